/* roster-user-patch.c: PATCH /Users/{id} (RFC 7644 §3.5.2) on a stored resource
 *
 * The operations are applied in order to a copy of the stored resource; the first that
 * fails fails the whole request and nothing is written (§3.5.2: PATCH is atomic). Values
 * are type-checked like a POST. What the operations may target follows the schema:
 * read-only attributes are a mutability error, a required one cannot be removed, and a
 * value filter that matches nothing is noTarget. Adding to a multi-valued attribute appends
 * the values it does not have yet; a value made primary takes "primary" from the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-error.h"
#include "roster-schema.h"
#include "roster-scim-path.h"
#include "roster-scim.h"
#include "roster-user-patch.h"
#include "roster-user-resource.h"

typedef enum
{
  OP_ADD,
  OP_REPLACE,
  OP_REMOVE,
} Op;

/* What one operation's path names. */
typedef struct
{
  const RosterSchema *const *schemas; /* of the resource type, core first */
  const RosterSchema *schema;
  const RosterAttribute *attribute;
  const RosterAttribute *sub;
  RosterScimPath *path; /* for its value filter, or NULL */
  const char *text;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->path, roster_scim_path_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static const RosterAttribute external_id = {
  .name = "externalId", .type = ROSTER_ATTRIBUTE_STRING, .flags = ROSTER_ATTRIBUTE_CASE_EXACT,
};

static gboolean
fail (GError **error, RosterErrorCode code, const char *format, const char *what)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Every caller passes a literal _("…%s…"). */
  g_set_error (error, ROSTER_ERROR, code, format, what);
#pragma GCC diagnostic pop
  return FALSE;
}

/* Attribute lookup for value filters: the type and case-exactness from the schema. */
static gboolean
lookup_cb (const RosterScimAttrPath *path, RosterScimAttributeInfo *info, gpointer user_data)
{
  const Target *target = user_data;
  const RosterAttribute *sub;

  if (path->sub_attribute == NULL)
    return FALSE;
  sub = roster_attribute_find_sub (target->attribute, path->sub_attribute);
  if (sub == NULL)
    return FALSE;
  info->type = (RosterScimAttributeType) sub->type;
  info->case_exact = (sub->flags & ROSTER_ATTRIBUTE_CASE_EXACT) != 0;
  return TRUE;
}

G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_STRING == (int) ROSTER_SCIM_TYPE_STRING);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_BOOLEAN == (int) ROSTER_SCIM_TYPE_BOOLEAN);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_DECIMAL == (int) ROSTER_SCIM_TYPE_DECIMAL);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_INTEGER == (int) ROSTER_SCIM_TYPE_INTEGER);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_DATE_TIME == (int) ROSTER_SCIM_TYPE_DATE_TIME);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_REFERENCE == (int) ROSTER_SCIM_TYPE_REFERENCE);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_BINARY == (int) ROSTER_SCIM_TYPE_BINARY);
G_STATIC_ASSERT ((int) ROSTER_ATTRIBUTE_COMPLEX == (int) ROSTER_SCIM_TYPE_COMPLEX);

static gboolean
resolve_target (const RosterSchema *const *schemas, const char *text, Target *target,
                GError **error)
{
  const RosterScimAttrPath *attr_path;
  const RosterSchema *schema = schemas[0];

  target->schemas = schemas;
  target->text = text;
  target->path = roster_scim_path_parse (text, error);
  if (target->path == NULL)
    return FALSE;
  attr_path = roster_scim_path_get_attr_path (target->path);
  if (attr_path->schema != NULL)
    {
      schema = roster_schema_find_in (schemas, attr_path->schema);
      if (schema == NULL)
        return fail (error, ROSTER_ERROR_INVALID_PATH, _("“%s” names an unknown schema"), text);
    }
  target->schema = schema;
  if (schema == schemas[0]
      && (g_ascii_strcasecmp (attr_path->attribute, "id") == 0
          || g_ascii_strcasecmp (attr_path->attribute, "meta") == 0
          || g_ascii_strcasecmp (attr_path->attribute, "schemas") == 0))
    return fail (error, ROSTER_ERROR_MUTABILITY, _("“%s” cannot be changed"), text);
  if (schema == schemas[0] && g_ascii_strcasecmp (attr_path->attribute, "externalId") == 0)
    target->attribute = &external_id;
  else
    target->attribute = roster_schema_find_attribute (schema, attr_path->attribute);
  if (target->attribute == NULL)
    return fail (error, ROSTER_ERROR_INVALID_PATH, _("“%s” is not an attribute of this server"),
                 text);
  if (attr_path->sub_attribute != NULL)
    {
      target->sub = roster_attribute_find_sub (target->attribute, attr_path->sub_attribute);
      if (target->sub == NULL)
        return fail (error, ROSTER_ERROR_INVALID_PATH,
                     _("“%s” is not an attribute of this server"), text);
    }
  if (roster_scim_path_get_filter (target->path) != NULL
      && !(roster_attribute_is_multi_valued (target->attribute)
           && roster_attribute_is_complex (target->attribute)))
    return fail (error, ROSTER_ERROR_INVALID_PATH,
                 _("“%s” filters an attribute that has a single value"), text);
  if (roster_attribute_is_read_only (target->attribute)
      || (target->sub != NULL && roster_attribute_is_read_only (target->sub)))
    return fail (error, ROSTER_ERROR_MUTABILITY, _("“%s” is read-only"), text);
  return TRUE;
}

static gboolean
has_filter (const Target *target)
{
  return target->path != NULL && roster_scim_path_get_filter (target->path) != NULL;
}

static JsonObject *
container (JsonObject *resource, const Target *target, gboolean create)
{
  if (target->schema == target->schemas[0])
    return resource;
  return roster_user_resource_get_extension (resource, target->schema->id, create);
}

/* Drops an extension object that an operation left empty. */
static void
tidy (JsonObject *resource, const Target *target)
{
  JsonObject *ext = container (resource, target, FALSE);

  if (ext != NULL && ext != resource && json_object_get_size (ext) == 0)
    json_object_remove_member (resource, target->schema->id);
}

static JsonArray *
get_values (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* One value made primary takes "primary" from the others (RFC 7643 §2.4, RFC 7644 §3.5.2).
 * One operation that makes two values primary is refused: no order of taking "primary"
 * away would leave both, and a later operation must not make the request valid. */
static gboolean
enforce_primary (JsonArray *values, GPtrArray *touched, const Target *target, GError **error)
{
  guint new_primary = 0;

  for (guint i = 0; i < touched->len; i++)
    if (json_object_get_boolean_member_with_default (g_ptr_array_index (touched, i), "primary",
                                                     FALSE))
      new_primary++;
  if (new_primary > 1)
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("Only one of “%s” can be primary"),
                 target->attribute->name);
  if (new_primary == 0 || values == NULL)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);

      if (!g_ptr_array_find (touched, value, NULL)
          && json_object_get_boolean_member_with_default (value, "primary", FALSE))
        json_object_set_boolean_member (value, "primary", FALSE);
    }
  return TRUE;
}

static gboolean
matches (const Target *target, JsonNode *value, gboolean *match, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  *match = roster_scim_path_match_value (target->path, value, lookup_cb, (gpointer) target,
                                         &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A normalized value for @attribute (or its @sub) from an operation's "value". */
static JsonNode *
normalize (const Target *target, const RosterAttribute *attribute, JsonNode *value,
           gboolean wrap, GError **error)
{
  g_autoptr(JsonNode) wrapped = NULL;

  if (wrap && roster_attribute_is_multi_valued (attribute) && !JSON_NODE_HOLDS_ARRAY (value)
      && !JSON_NODE_HOLDS_NULL (value))
    {
      g_autoptr(JsonArray) array = json_array_new ();

      json_array_add_element (array, json_node_copy (value));
      wrapped = json_node_init_array (json_node_alloc (), array);
      value = wrapped;
    }
  return roster_user_resource_normalize_value (attribute, value, ROSTER_RESOURCE_INPUT,
                                               target->text, error);
}

/* Sets @sub in @object, or removes it for an unassigned @value. */
static void
set_sub (JsonObject *object, const RosterAttribute *sub, JsonNode *value)
{
  if (value == NULL)
    json_object_remove_member (object, sub->name);
  else
    json_object_set_member (object, sub->name, json_node_copy (value));
}

/* Applies @value to the sub-attribute of every value of a multi-valued attribute that
 * the target's filter matches (every value without a filter). */
static gboolean
apply_to_values (JsonObject *resource, const Target *target, Op op, JsonNode *value,
                 GError **error)
{
  JsonArray *values = get_values (container (resource, target, FALSE), target->attribute->name);
  g_autoptr(GPtrArray) touched = g_ptr_array_new ();
  g_autoptr(JsonNode) normalized = NULL;
  g_autoptr(JsonArray) kept = json_array_new ();

  if (op != OP_REMOVE)
    {
      const RosterAttribute *attribute = target->sub != NULL ? target->sub : target->attribute;
      /* A filtered value is one element, not the whole list. */
      RosterAttribute single = *attribute;

      single.flags &= ~ROSTER_ATTRIBUTE_MULTI_VALUED;
      normalized = normalize (target, &single, value, FALSE, error);
      if (normalized == NULL && error != NULL && *error != NULL)
        return FALSE;
    }

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *element = json_array_get_element (values, i);
      JsonObject *object = json_node_get_object (element);
      gboolean match = TRUE;

      if (has_filter (target) && !matches (target, element, &match, error))
        return FALSE;
      if (!match)
        {
          json_array_add_element (kept, json_node_copy (element));
          continue;
        }
      if (target->sub != NULL)
        {
          g_autoptr(JsonObject) copy = roster_user_resource_copy (object);

          set_sub (copy, target->sub, op == OP_REMOVE ? NULL : normalized);
          if (json_object_get_size (copy) > 0)
            {
              g_ptr_array_add (touched, copy);
              json_array_add_object_element (kept, g_steal_pointer (&copy));
            }
          else
            g_ptr_array_add (touched, object); /* counts as a target, goes away */
        }
      else if (op != OP_REMOVE)
        {
          if (normalized == NULL)
            return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” needs a value"), target->text);
          if (!JSON_NODE_HOLDS_OBJECT (normalized))
            return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be an object"),
                         target->text);
          {
            g_autoptr(JsonObject) copy = roster_user_resource_copy (
              json_node_get_object (normalized));

            g_ptr_array_add (touched, copy);
            json_array_add_object_element (kept, g_steal_pointer (&copy));
          }
        }
      else
        g_ptr_array_add (touched, object);
    }
  if (touched->len == 0)
    return fail (error, ROSTER_ERROR_NO_TARGET, _("“%s” matches no value"), target->text);
  if (!enforce_primary (kept, touched, target, error))
    return FALSE;
  if (json_array_get_length (kept) == 0)
    json_object_remove_member (container (resource, target, FALSE), target->attribute->name);
  else
    json_object_set_array_member (container (resource, target, FALSE), target->attribute->name,
                                  g_steal_pointer (&kept));
  tidy (resource, target);
  return TRUE;
}

/* Merges the sub-attributes of @value into the complex attribute (RFC 7644 §3.5.2.1/3:
 * sub-attributes not given are left as they are). */
static void
merge_complex (JsonObject *into, const char *name, JsonNode *value)
{
  JsonNode *existing = json_object_get_member (into, name);
  g_autoptr(JsonObject) merged = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (existing == NULL || !JSON_NODE_HOLDS_OBJECT (existing))
    {
      json_object_set_member (into, name, json_node_copy (value));
      return;
    }
  merged = roster_user_resource_copy (json_node_get_object (existing));
  json_object_iter_init_ordered (&iter, json_node_get_object (value));
  while (json_object_iter_next_ordered (&iter, &member, &node))
    json_object_set_member (merged, member, json_node_copy (node));
  json_object_set_object_member (into, name, g_steal_pointer (&merged));
}

static gboolean
add_or_replace (JsonObject *resource, const Target *target, Op op, JsonNode *value,
                GError **error)
{
  const RosterAttribute *attribute = target->attribute;
  g_autoptr(JsonNode) normalized = NULL;
  JsonObject *into;

  if (value == NULL)
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” needs a value"), target->text);
  if (has_filter (target)
      || (target->sub != NULL && roster_attribute_is_multi_valued (attribute)))
    return apply_to_values (resource, target, op, value, error);

  if (target->sub != NULL)
    {
      g_autoptr(JsonNode) sub_value = normalize (target, target->sub, value, FALSE, error);
      JsonNode *existing;
      g_autoptr(JsonObject) object = NULL;

      if (sub_value == NULL && error != NULL && *error != NULL)
        return FALSE;
      into = container (resource, target, TRUE);
      existing = json_object_get_member (into, attribute->name);
      object = existing != NULL ? roster_user_resource_copy (json_node_get_object (existing))
                                : json_object_new ();
      set_sub (object, target->sub, sub_value);
      if (json_object_get_size (object) > 0)
        json_object_set_object_member (into, attribute->name, g_steal_pointer (&object));
      else
        json_object_remove_member (into, attribute->name);
      tidy (resource, target);
      return TRUE;
    }

  normalized = normalize (target, attribute, value, TRUE, error);
  if (normalized == NULL && error != NULL && *error != NULL)
    return FALSE;
  into = container (resource, target, TRUE);
  if (normalized == NULL)
    {
      /* Replacing with null or [] unassigns; adding nothing changes nothing. */
      if (op == OP_REPLACE && (attribute->flags & ROSTER_ATTRIBUTE_REQUIRED))
        return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"),
                     attribute->name);
      if (op == OP_REPLACE)
        json_object_remove_member (into, attribute->name);
    }
  else if (roster_attribute_is_multi_valued (attribute))
    {
      JsonArray *new_values = json_node_get_array (normalized);
      JsonArray *old_values = op == OP_ADD ? get_values (into, attribute->name) : NULL;
      g_autoptr(JsonArray) result = json_array_new ();
      g_autoptr(GPtrArray) touched = g_ptr_array_new ();

      for (guint i = 0; old_values != NULL && i < json_array_get_length (old_values); i++)
        json_array_add_element (result,
                                json_node_copy (json_array_get_element (old_values, i)));
      for (guint i = 0; i < json_array_get_length (new_values); i++)
        {
          JsonNode *element = json_array_get_element (new_values, i);
          gboolean present = FALSE;

          for (guint j = 0; j < json_array_get_length (result) && !present; j++)
            present = json_node_equal (json_array_get_element (result, j), element);
          if (present)
            continue;
          json_array_add_element (result, json_node_copy (element));
          if (JSON_NODE_HOLDS_OBJECT (element))
            g_ptr_array_add (touched, json_node_get_object (element));
        }
      if (!enforce_primary (result, touched, target, error))
        return FALSE;
      json_object_set_array_member (into, attribute->name, g_steal_pointer (&result));
    }
  else if (roster_attribute_is_complex (attribute))
    merge_complex (into, attribute->name, normalized);
  else
    json_object_set_member (into, attribute->name, json_node_copy (normalized));
  tidy (resource, target);
  return TRUE;
}

static gboolean
remove_target (JsonObject *resource, const Target *target, GError **error)
{
  JsonObject *from;

  if ((target->attribute->flags & ROSTER_ATTRIBUTE_REQUIRED) && target->sub == NULL
      && !has_filter (target))
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"),
                 target->attribute->name);
  if (has_filter (target)
      || (target->sub != NULL && roster_attribute_is_multi_valued (target->attribute)))
    {
      if (get_values (container (resource, target, FALSE), target->attribute->name) == NULL)
        return fail (error, ROSTER_ERROR_NO_TARGET, _("“%s” matches no value"), target->text);
      return apply_to_values (resource, target, OP_REMOVE, NULL, error);
    }
  from = container (resource, target, FALSE);
  if (from == NULL)
    return TRUE;
  if (target->sub != NULL)
    {
      JsonNode *existing = json_object_get_member (from, target->attribute->name);
      g_autoptr(JsonObject) object = NULL;

      if (existing == NULL)
        return TRUE;
      object = roster_user_resource_copy (json_node_get_object (existing));
      json_object_remove_member (object, target->sub->name);
      if (json_object_get_size (object) > 0)
        json_object_set_object_member (from, target->attribute->name, g_steal_pointer (&object));
      else
        json_object_remove_member (from, target->attribute->name);
    }
  else
    json_object_remove_member (from, target->attribute->name);
  tidy (resource, target);
  return TRUE;
}

/* "remove" of a multi-valued attribute with a "value": only those values go (what several
 * SCIM clients send for members). Values of a complex attribute are matched by "value". */
static gboolean
remove_values (JsonObject *resource, const Target *target, JsonNode *value, GError **error)
{
  JsonArray *values = get_values (container (resource, target, FALSE), target->attribute->name);
  g_autoptr(JsonNode) normalized = normalize (target, target->attribute, value, TRUE, error);
  g_autoptr(JsonArray) kept = json_array_new ();
  JsonArray *remove;
  guint removed = 0;

  if (normalized == NULL)
    return error == NULL || *error == NULL
             ? fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” needs a value"), target->text)
             : FALSE;
  remove = json_node_get_array (normalized);
  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *element = json_array_get_element (values, i);
      gboolean match = FALSE;

      for (guint j = 0; j < json_array_get_length (remove) && !match; j++)
        {
          JsonNode *gone = json_array_get_element (remove, j);

          if (JSON_NODE_HOLDS_OBJECT (element) && JSON_NODE_HOLDS_OBJECT (gone))
            match = g_strcmp0 (json_object_get_string_member_with_default (
                                 json_node_get_object (element), "value", NULL),
                               json_object_get_string_member_with_default (
                                 json_node_get_object (gone), "value", NULL))
                    == 0;
          else
            match = json_node_equal (element, gone);
        }
      if (match)
        removed++;
      else
        json_array_add_element (kept, json_node_copy (element));
    }
  if (removed == 0)
    return fail (error, ROSTER_ERROR_NO_TARGET, _("“%s” matches no value"), target->text);
  if (json_array_get_length (kept) == 0)
    json_object_remove_member (container (resource, target, FALSE), target->attribute->name);
  else
    json_object_set_array_member (container (resource, target, FALSE), target->attribute->name,
                                  g_steal_pointer (&kept));
  tidy (resource, target);
  return TRUE;
}

static gboolean
take_password (JsonNode *value, char **password, GError **error)
{
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
      || json_node_get_value_type (value) != G_TYPE_STRING)
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a string"), "password");
  g_free (*password);
  *password = g_strdup (json_node_get_string (value));
  return TRUE;
}

static gboolean
is_password (const Target *target)
{
  return target->attribute->mutability == ROSTER_MUTABILITY_WRITE_ONLY;
}

/* "add" or "replace" without a path: each member of @value is an attribute (or an
 * extension's attributes under its URN). */
static gboolean
apply_members (const RosterSchema *const *schemas, JsonObject *resource, Op op, const char *urn,
               JsonNode *value, char **password, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return fail (error, ROSTER_ERROR_INVALID_VALUE,
                 _("Without a “path”, the “value” of “%s” must be an object"),
                 op == OP_ADD ? "add" : "replace");
  json_object_iter_init_ordered (&iter, json_node_get_object (value));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_auto(Target) target = { 0 };
      g_autofree char *path = NULL;
      const RosterSchema *extension = urn == NULL ? roster_schema_find_in (schemas, name) : NULL;

      if (urn == NULL && (g_ascii_strcasecmp (name, "schemas") == 0
                          || g_ascii_strcasecmp (name, "id") == 0
                          || g_ascii_strcasecmp (name, "meta") == 0))
        continue; /* sent back as they were read: nothing to change */
      if (extension != NULL && extension != schemas[0])
        {
          if (!apply_members (schemas, resource, op, extension->id, member, password, error))
            return FALSE;
          continue;
        }
      if (strchr (name, '[') != NULL || strchr (name, '.') != NULL
          || strchr (name, ' ') != NULL)
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX,
                     _("“%s” is not an attribute of this server"), name);
      path = urn != NULL ? g_strconcat (urn, ":", name, NULL) : g_strdup (name);
      if (!resolve_target (schemas, path, &target, error))
        {
          /* An unknown member of a value is bad syntax, not a bad path. */
          if (error != NULL && g_error_matches (*error, ROSTER_ERROR, ROSTER_ERROR_INVALID_PATH))
            (*error)->code = ROSTER_ERROR_INVALID_SYNTAX;
          return FALSE;
        }
      if (is_password (&target))
        {
          if (!take_password (member, password, error))
            return FALSE;
          continue;
        }
      if (!add_or_replace (resource, &target, op, member, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_operation (const RosterSchema *const *schemas, JsonObject *resource, JsonObject *operation,
                 guint index, char **password, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(Target) target = { 0 };
  const char *op_name, *path;
  JsonNode *value = json_object_get_member (operation, "value");
  Op op;

  op_name = roster_json_get_string (operation, "op", &local_error);
  if (local_error == NULL)
    path = roster_json_get_string (operation, "path", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Operation names are case-insensitive: several clients send "Replace". */
  if (op_name != NULL && g_ascii_strcasecmp (op_name, "add") == 0)
    op = OP_ADD;
  else if (op_name != NULL && g_ascii_strcasecmp (op_name, "replace") == 0)
    op = OP_REPLACE;
  else if (op_name != NULL && g_ascii_strcasecmp (op_name, "remove") == 0)
    op = OP_REMOVE;
  else
    {
      g_autofree char *which = g_strdup_printf ("%u", index + 1);

      return fail (error, ROSTER_ERROR_INVALID_SYNTAX,
                   _("Operation %s needs an “op” of add, replace or remove"), which);
    }

  if (path == NULL || *path == '\0')
    {
      if (op == OP_REMOVE)
        return fail (error, ROSTER_ERROR_NO_TARGET, _("“%s” needs a “path”"), "remove");
      return apply_members (schemas, resource, op, NULL, value, password, error);
    }
  if (!resolve_target (schemas, path, &target, error))
    return FALSE;
  if (is_password (&target))
    {
      if (op == OP_REMOVE)
        return fail (error, ROSTER_ERROR_MUTABILITY, _("“%s” cannot be removed"), "password");
      return take_password (value, password, error);
    }
  if (op == OP_REMOVE && value != NULL && !JSON_NODE_HOLDS_NULL (value) && !has_filter (&target)
      && target.sub == NULL && roster_attribute_is_multi_valued (target.attribute))
    return remove_values (resource, &target, value, error);
  if (op == OP_REMOVE)
    return remove_target (resource, &target, error);
  return add_or_replace (resource, &target, op, value, error);
}

/**
 * roster_user_patch_apply:
 *
 * roster_resource_patch_apply() for a User.
 */
gboolean
roster_user_patch_apply (JsonObject *resource, JsonObject *patch, char **password,
                         GError **error)
{
  return roster_resource_patch_apply (roster_schema_user_schemas (), resource, patch, password,
                                      error);
}

/**
 * roster_resource_patch_apply:
 * @schemas: the %NULL-terminated schemas of the resource type, core first
 * @resource: a mutable copy of the stored resource, changed in place
 * @patch: the request body, a PatchOp message
 * @password: (out) (optional) (nullable): a new password the operations set
 *
 * Applies every operation or fails; on failure @resource is half-changed and must be
 * dropped. The caller checks the result as a whole (roster_user_resource_normalize()).
 */
gboolean
roster_resource_patch_apply (const RosterSchema *const *schemas, JsonObject *resource,
                             JsonObject *patch, char **password, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *new_password = NULL;
  JsonArray *message_schemas, *operations;
  gboolean patch_op = FALSE;

  message_schemas = roster_json_get_array (patch, "schemas", &local_error);
  for (guint i = 0; message_schemas != NULL && i < json_array_get_length (message_schemas); i++)
    {
      JsonNode *node = json_array_get_element (message_schemas, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && g_ascii_strcasecmp (json_node_get_string (node), ROSTER_SCIM_MESSAGE_PATCH_OP) == 0)
        patch_op = TRUE;
    }
  if (!patch_op)
    return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“schemas” must contain %s"),
                 ROSTER_SCIM_MESSAGE_PATCH_OP);
  g_clear_error (&local_error);
  operations = roster_json_get_array (patch, "Operations", &local_error);
  if (local_error != NULL || operations == NULL || json_array_get_length (operations) == 0)
    return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” must be a list of operations"),
                 "Operations");
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonNode *node = json_array_get_element (operations, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("Each of “%s” must be an object"),
                     "Operations");
      if (!apply_operation (schemas, resource, json_node_get_object (node), i, &new_password,
                            error))
        return FALSE;
    }
  if (password != NULL)
    *password = g_steal_pointer (&new_password);
  return TRUE;
}
