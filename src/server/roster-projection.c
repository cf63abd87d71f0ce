/* roster-projection.c: which attributes a response carries (RFC 7644 §3.4.2.5)
 *
 * "attributes" replaces the default set with the attributes named (and those returned
 * "always"); "excludedAttributes" takes attributes out of the default set. "id", "schemas"
 * and "meta" are always returned, "returned": "never" attributes never, and "returned":
 * "request" ones only when named in "attributes". Names are case-insensitive and may be
 * qualified by their schema URN; names this server does not know select nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-projection.h"
#include "roster-schema.h"
#include "roster-scim.h"
#include "roster-user-resource.h"

struct _RosterProjection
{
  const RosterSchema *const *schemas; /* of the resource type, core first */
  /* Lower-case keys: "urn", "urn:attribute" or "urn:attribute.sub" */
  GHashTable *attributes;
  GHashTable *excluded;
};

/* Qualifies @path with its schema ("name.givenName" → "urn:…:user:name.givenname"). */
static char *
qualify (const RosterSchema *const *schemas, const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *core = g_ascii_strdown (schemas[0]->id, -1);

  for (guint i = 0; schemas[i] != NULL; i++)
    {
      gsize length = strlen (schemas[i]->id);

      if (g_ascii_strncasecmp (path, schemas[i]->id, length) == 0
          && (path[length] == '\0' || path[length] == ':'))
        return g_steal_pointer (&lower);
    }
  return g_strconcat (core, ":", lower, NULL);
}

static GHashTable *
make_set (const RosterSchema *const *schemas, const char *const *paths)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (paths[i]));

      if (*trimmed != '\0')
        g_hash_table_add (set, qualify (schemas, trimmed));
    }
  if (g_hash_table_size (set) == 0)
    g_clear_pointer (&set, g_hash_table_unref);
  return set;
}

/**
 * roster_projection_new_for:
 * @schemas: the %NULL-terminated schemas of the resource type, core first
 *
 * Returns: (transfer full): a projection of resources of that type
 */
RosterProjection *
roster_projection_new_for (const RosterSchema *const *schemas, const char *const *attributes,
                           const char *const *excluded_attributes)
{
  RosterProjection *self = g_new0 (RosterProjection, 1);

  self->schemas = schemas;
  self->attributes = make_set (schemas, attributes);
  self->excluded = make_set (schemas, excluded_attributes);
  return self;
}

/* Of users. */
RosterProjection *
roster_projection_new (const char *const *attributes, const char *const *excluded_attributes)
{
  return roster_projection_new_for (roster_schema_user_schemas (), attributes,
                                    excluded_attributes);
}

/* From the comma-separated query parameters. */
RosterProjection *
roster_projection_new_from_query (const char *attributes, const char *excluded_attributes)
{
  g_auto(GStrv) a = attributes != NULL ? g_strsplit (attributes, ",", -1) : NULL;
  g_auto(GStrv) e = excluded_attributes != NULL ? g_strsplit (excluded_attributes, ",", -1)
                                                : NULL;

  return roster_projection_new ((const char *const *) a, (const char *const *) e);
}

void
roster_projection_free (RosterProjection *self)
{
  g_clear_pointer (&self->attributes, g_hash_table_unref);
  g_clear_pointer (&self->excluded, g_hash_table_unref);
  g_free (self);
}

typedef enum
{
  PICK_NONE,
  PICK_ALL,
  PICK_SOME, /* only some sub-attributes */
} Pick;

static gboolean
has_sub_keys (GHashTable *set, const char *prefix)
{
  GHashTableIter iter;
  const char *key;
  gsize length = strlen (prefix);

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (strncmp (key, prefix, length) == 0 && key[length] == '.')
      return TRUE;
  return FALSE;
}

/* Keeps the sub-attributes of @object that @keep says to keep. */
static JsonObject *
filter_object (JsonObject *object, const char *prefix, GHashTable *set, gboolean keep_listed)
{
  JsonObject *result = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      g_autofree char *key = g_strconcat (prefix, ".", lower, NULL);

      if (g_hash_table_contains (set, key) == keep_listed)
        json_object_set_member (result, name, json_node_copy (member));
    }
  return result;
}

static JsonNode *
filter_value (JsonNode *node, const char *prefix, GHashTable *set, gboolean keep_listed)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) object = filter_object (json_node_get_object (node), prefix, set,
                                                    keep_listed);

      if (json_object_get_size (object) == 0)
        return NULL;
      return json_node_init_object (json_node_alloc (), object);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *values = json_node_get_array (node);
      g_autoptr(JsonArray) result = json_array_new ();

      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *value = filter_value (json_array_get_element (values, i), prefix, set,
                                          keep_listed);

          if (value != NULL)
            json_array_add_element (result, value);
        }
      if (json_array_get_length (result) == 0)
        return NULL;
      return json_node_init_array (json_node_alloc (), result);
    }
  return json_node_copy (node);
}

static JsonNode *
project_attribute (RosterProjection *self, const RosterSchema *schema,
                   const RosterAttribute *attribute, const char *name, JsonNode *node)
{
  g_autofree char *urn = g_ascii_strdown (schema->id, -1);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autofree char *key = g_strconcat (urn, ":", lower, NULL);
  RosterReturned returned = attribute != NULL ? attribute->returned : ROSTER_RETURNED_DEFAULT;

  if (returned == ROSTER_RETURNED_NEVER)
    return NULL;
  if (returned == ROSTER_RETURNED_ALWAYS)
    return json_node_copy (node);
  if (self->attributes != NULL)
    {
      if (g_hash_table_contains (self->attributes, urn)
          || g_hash_table_contains (self->attributes, key))
        return json_node_copy (node);
      if (has_sub_keys (self->attributes, key))
        return filter_value (node, key, self->attributes, TRUE);
      return NULL;
    }
  if (returned == ROSTER_RETURNED_REQUEST)
    return NULL;
  if (self->excluded != NULL)
    {
      if (g_hash_table_contains (self->excluded, urn)
          || g_hash_table_contains (self->excluded, key))
        return NULL;
      if (has_sub_keys (self->excluded, key))
        return filter_value (node, key, self->excluded, FALSE);
    }
  return json_node_copy (node);
}

/**
 * roster_projection_apply:
 * @resource: a full User as sent, with "schemas", "id" and "meta"
 *
 * Returns: (transfer full): the attributes of @resource this projection returns
 */
JsonObject *
roster_projection_apply (RosterProjection *self, JsonObject *resource)
{
  const RosterSchema *core = self->schemas[0];
  JsonObject *result = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      const RosterSchema *extension = roster_schema_find_in (self->schemas + 1, name);
      JsonNode *value;

      if (g_str_equal (name, "schemas") || g_str_equal (name, "id") || g_str_equal (name, "meta"))
        {
          json_object_set_member (result, name, json_node_copy (member));
          continue;
        }
      if (extension != NULL && JSON_NODE_HOLDS_OBJECT (member))
        {
          g_autoptr(JsonObject) ext = json_object_new ();
          JsonObjectIter ext_iter;
          const char *ext_name;
          JsonNode *ext_member;

          json_object_iter_init_ordered (&ext_iter, json_node_get_object (member));
          while (json_object_iter_next_ordered (&ext_iter, &ext_name, &ext_member))
            {
              value = project_attribute (self, extension,
                                         roster_schema_find_attribute (extension, ext_name),
                                         ext_name, ext_member);
              if (value != NULL)
                json_object_set_member (ext, ext_name, value);
            }
          if (json_object_get_size (ext) > 0)
            json_object_set_object_member (result, name, g_steal_pointer (&ext));
          continue;
        }
      value = project_attribute (self, core, roster_schema_find_attribute (core, name), name,
                                 member);
      if (value != NULL)
        json_object_set_member (result, name, value);
    }
  return result;
}
