/* roster-user-resource.c: a User as rosterd stores it, a canonical JSON object
 *
 * The stored form has the schema's spelling of every attribute name, extension attributes
 * under their schema URN, no "schemas", "id", "meta" or password, no unassigned (null or
 * empty) values, and no computed values (manager "$ref" and "displayName"). Requests are
 * turned into this form by roster_user_resource_normalize(), which is strict: an attribute
 * no schema defines is an error (RFC 7644 §3.3 lets a server refuse them), a value of the
 * wrong type is an error, and read-only attributes a client sends are ignored (RFC 7643
 * §2.2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-error.h"
#include "roster-scim.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

static JsonNode *
deep_copy (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *copy = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        JsonNode *result;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          json_object_set_member (copy, name, deep_copy (member));
        result = json_node_init_object (json_node_alloc (), copy);
        json_object_unref (copy);
        return result;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        JsonArray *copy = json_array_sized_new (json_array_get_length (source));
        JsonNode *result;

        for (guint i = 0; i < json_array_get_length (source); i++)
          json_array_add_element (copy, deep_copy (json_array_get_element (source, i)));
        result = json_node_init_array (json_node_alloc (), copy);
        json_array_unref (copy);
        return result;
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      {
        JsonNode *copy = json_node_copy (node);

        return copy;
      }
    }
}

/**
 * roster_user_resource_copy:
 *
 * Returns: (transfer full): a deep, mutable copy of @resource
 */
JsonObject *
roster_user_resource_copy (JsonObject *resource)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), resource);
  g_autoptr(JsonNode) copy = deep_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static gboolean
fail (GError **error, RosterErrorCode code, const char *format, const char *where)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Every caller passes a literal _("…%s…"). */
  g_set_error (error, ROSTER_ERROR, code, format, where);
#pragma GCC diagnostic pop
  return FALSE;
}

static gboolean
is_base64 (const char *str)
{
  gsize length = 0;

  for (const char *p = str; *p != '\0'; p++, length++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  return length % 4 == 0;
}

static JsonNode *normalize_single (const RosterAttribute *attribute, JsonNode *node,
                                   RosterResourceMode mode, const char *where, GError **error);

static JsonNode *
normalize_complex (const RosterAttribute *attribute, JsonNode *node, RosterResourceMode mode,
                   const char *where, GError **error)
{
  g_autoptr(JsonObject) result = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be an object"), where);
      return NULL;
    }
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      const RosterAttribute *sub = roster_attribute_find_sub (attribute, name);
      g_autofree char *sub_where = g_strconcat (where, ".", name, NULL);
      JsonNode *value;

      if (sub == NULL)
        {
          fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” is not an attribute of this server"),
                sub_where);
          return NULL;
        }
      if (mode == ROSTER_RESOURCE_INPUT && roster_attribute_is_read_only (sub))
        continue;
      if (json_object_has_member (result, sub->name))
        {
          fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” appears twice"), sub_where);
          return NULL;
        }
      value = normalize_single (sub, member, mode, sub_where, error);
      if (value == NULL)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          continue;
        }
      json_object_set_member (result, sub->name, value);
    }
  if (json_object_get_size (result) == 0)
    return NULL;
  return json_node_init_object (json_node_alloc (), result);
}

/* One value of @attribute; %NULL without an error means unassigned. */
static JsonNode *
normalize_single (const RosterAttribute *attribute, JsonNode *node, RosterResourceMode mode,
                  const char *where, GError **error)
{
  GType value_type;

  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (attribute->type == ROSTER_ATTRIBUTE_COMPLEX)
    return normalize_complex (attribute, node, mode, where, error);

  value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  switch (attribute->type)
    {
    case ROSTER_ATTRIBUTE_BOOLEAN:
      if (value_type != G_TYPE_BOOLEAN)
        {
          fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be true or false"), where);
          return NULL;
        }
      return json_node_copy (node);
    case ROSTER_ATTRIBUTE_INTEGER:
      if (value_type != G_TYPE_INT64)
        {
          fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a whole number"), where);
          return NULL;
        }
      return json_node_copy (node);
    case ROSTER_ATTRIBUTE_DECIMAL:
      if (value_type != G_TYPE_INT64 && value_type != G_TYPE_DOUBLE)
        {
          fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a number"), where);
          return NULL;
        }
      return json_node_copy (node);
    case ROSTER_ATTRIBUTE_STRING:
    case ROSTER_ATTRIBUTE_REFERENCE:
    case ROSTER_ATTRIBUTE_DATE_TIME:
    case ROSTER_ATTRIBUTE_BINARY:
      {
        const char *str;

        if (value_type != G_TYPE_STRING)
          {
            fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a string"), where);
            return NULL;
          }
        str = json_node_get_string (node);
        if (*str == '\0')
          return NULL;
        if (attribute->type == ROSTER_ATTRIBUTE_DATE_TIME)
          {
            g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
            g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (str, utc);

            if (date == NULL)
              {
                fail (error, ROSTER_ERROR_INVALID_VALUE,
                      _("“%s” must be a date and time such as 2024-05-01T12:00:00Z"), where);
                return NULL;
              }
          }
        if (attribute->type == ROSTER_ATTRIBUTE_BINARY && !is_base64 (str))
          {
            fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be base64"), where);
            return NULL;
          }
        return json_node_copy (node);
      }
    case ROSTER_ATTRIBUTE_COMPLEX:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * roster_user_resource_normalize_value:
 * @where: the attribute's path, for error messages
 *
 * Type-checks @node against @attribute: an array for a multi-valued attribute (each value
 * checked), an object with known sub-attributes for a complex one.
 *
 * Returns: (transfer full) (nullable): the canonical value; %NULL without an error when it
 *   is unassigned (null, "", [] or {})
 */
JsonNode *
roster_user_resource_normalize_value (const RosterAttribute *attribute, JsonNode *node,
                                      RosterResourceMode mode, const char *where,
                                      GError **error)
{
  g_autoptr(JsonArray) values = NULL;
  JsonArray *array;

  if (!roster_attribute_is_multi_valued (attribute) || JSON_NODE_HOLDS_NULL (node))
    return normalize_single (attribute, node, mode, where, error);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a list"), where);
      return NULL;
    }
  array = json_node_get_array (node);
  values = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *value = normalize_single (attribute, json_array_get_element (array, i), mode,
                                          where, error);

      if (value == NULL)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          continue;
        }
      json_array_add_element (values, value);
    }
  if (json_array_get_length (values) == 0)
    return NULL;
  return json_node_init_array (json_node_alloc (), values);
}

/* Manager references keep only their value: "$ref" and "displayName" are computed when the
 * user is sent. A "$ref" alone names the manager by its URL. */
static gboolean
reduce_reference (JsonObject *container, const char *member, GError **error)
{
  JsonObject *manager = container != NULL && json_object_has_member (container, member)
                          ? json_object_get_object_member (container, member)
                          : NULL;
  g_autofree char *value = NULL;

  if (manager == NULL)
    return TRUE;
  if (json_object_has_member (manager, "value"))
    value = g_strdup (json_object_get_string_member (manager, "value"));
  else if (json_object_has_member (manager, "$ref"))
    {
      const char *ref = json_object_get_string_member (manager, "$ref");
      const char *slash = strrchr (ref, '/');

      if (slash == NULL || slash[1] == '\0' || strstr (ref, "/Users/") == NULL)
        return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must name a user of this server"),
                     member);
      value = g_strdup (slash + 1);
    }
  json_object_remove_member (container, member);
  if (value != NULL)
    {
      g_autoptr(JsonObject) reduced = json_object_new ();

      json_object_set_string_member (reduced, "value", value);
      json_object_set_object_member (container, member, g_steal_pointer (&reduced));
    }
  return TRUE;
}

static gboolean
normalize_attributes (const RosterSchema *schema, JsonObject *input, JsonObject *result,
                      RosterResourceMode mode, char **password, GError **error)
{
  gboolean core = schema == roster_schema_user_core ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, input);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      const RosterAttribute *attribute = roster_schema_find_attribute (schema, name);
      const RosterSchema *extension = core ? roster_schema_lookup (name) : NULL;
      JsonNode *value;

      if (core && (g_ascii_strcasecmp (name, "schemas") == 0 || g_ascii_strcasecmp (name, "id") == 0
                   || g_ascii_strcasecmp (name, "meta") == 0))
        continue; /* computed, or read-only (RFC 7643 §3.1) */
      if (core && g_ascii_strcasecmp (name, "externalId") == 0)
        {
          static const RosterAttribute external_id = {
            .name = "externalId", .type = ROSTER_ATTRIBUTE_STRING,
            .flags = ROSTER_ATTRIBUTE_CASE_EXACT,
          };

          attribute = &external_id;
        }
      if (extension != NULL && extension != roster_schema_user_core ())
        {
          g_autoptr(JsonObject) ext = json_object_new ();

          if (!JSON_NODE_HOLDS_OBJECT (member))
            return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be an object"), name);
          if (json_object_has_member (result, extension->id))
            return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” appears twice"), name);
          if (!normalize_attributes (extension, json_node_get_object (member), ext, mode, NULL,
                                     error))
            return FALSE;
          if (json_object_get_size (ext) > 0)
            json_object_set_object_member (result, extension->id, g_steal_pointer (&ext));
          continue;
        }
      if (attribute == NULL)
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” is not an attribute of this server"),
                     name);
      if (attribute->mutability == ROSTER_MUTABILITY_WRITE_ONLY)
        {
          /* The password: handed to the caller, never stored as it is. */
          if (!JSON_NODE_HOLDS_NULL (member)
              && (!JSON_NODE_HOLDS_VALUE (member)
                  || json_node_get_value_type (member) != G_TYPE_STRING))
            return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a string"),
                         attribute->name);
          if (password != NULL && JSON_NODE_HOLDS_VALUE (member))
            {
              g_free (*password);
              *password = g_strdup (json_node_get_string (member));
            }
          continue;
        }
      if (mode == ROSTER_RESOURCE_INPUT && roster_attribute_is_read_only (attribute))
        continue;
      if (json_object_has_member (result, attribute->name))
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” appears twice"), name);
      value = roster_user_resource_normalize_value (attribute, member, mode, attribute->name,
                                                    error);
      if (value == NULL)
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          continue;
        }
      json_object_set_member (result, attribute->name, value);
    }
  return TRUE;
}

/**
 * roster_user_resource_normalize:
 * @password: (out) (optional) (nullable): the "password" the client sent
 *
 * Returns: (transfer full): the canonical stored form of @input, checked with
 *   roster_user_resource_check()
 */
JsonObject *
roster_user_resource_normalize (JsonObject *input, RosterResourceMode mode, char **password,
                                GError **error)
{
  g_autoptr(JsonObject) result = json_object_new ();
  g_autofree char *password_value = NULL;

  if (!normalize_attributes (roster_schema_user_core (), input, result, mode, &password_value,
                             error)
      || !reduce_reference (roster_user_resource_get_extension (
                              result, ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, FALSE),
                            "manager", error)
      || !reduce_reference (roster_user_resource_get_extension (
                              result, ROSTER_SCIM_SCHEMA_ROSTER_USER, FALSE),
                            "secondaryManager", error)
      || !roster_user_resource_check (result, error))
    return NULL;
  if (password != NULL)
    *password = g_steal_pointer (&password_value);
  return g_steal_pointer (&result);
}

static gboolean
check_multi_valued (JsonObject *container, const RosterAttribute *attribute, GError **error)
{
  JsonArray *values;
  guint primaries = 0;

  if (!json_object_has_member (container, attribute->name))
    return TRUE;
  values = json_object_get_array_member (container, attribute->name);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);

      if (roster_attribute_find_sub (attribute, "value") != NULL
          && !roster_attribute_is_read_only (attribute)
          && !json_object_has_member (value, "value"))
        return fail (error, ROSTER_ERROR_INVALID_VALUE, _("Each of “%s” needs a “value”"),
                     attribute->name);
      if (json_object_has_member (value, "primary")
          && json_object_get_boolean_member (value, "primary"))
        primaries++;
      if (g_str_equal (attribute->name, "emails")
          && !roster_validate_email (json_object_get_string_member (value, "value"), error))
        return FALSE;
    }
  if (primaries > 1)
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("Only one of “%s” can be primary"),
                 attribute->name);
  return TRUE;
}

/**
 * roster_user_resource_check:
 *
 * The rules beyond types: a valid userName, valid e-mail addresses, a value in every
 * multi-valued entry and at most one primary value per attribute (RFC 7643 §2.4).
 */
gboolean
roster_user_resource_check (JsonObject *resource, GError **error)
{
  const RosterSchema *core = roster_schema_user_core ();
  const char *user_name = roster_user_resource_get_string (resource, NULL, "userName", NULL);

  if (user_name == NULL)
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"), "userName");
  if (!roster_validate_user_name (user_name, error))
    return FALSE;
  for (guint i = 0; core->attributes[i].name != NULL; i++)
    if (roster_attribute_is_multi_valued (&core->attributes[i])
        && !check_multi_valued (resource, &core->attributes[i], error))
      return FALSE;
  return TRUE;
}

/**
 * roster_user_resource_keep_read_only:
 *
 * Replaces the read-only attributes of @resource with those of @stored: what a PUT cannot
 * change (RFC 7644 §3.5.1).
 */
void
roster_user_resource_keep_read_only (JsonObject *resource, JsonObject *stored)
{
  for (const RosterSchema *const *schemas = roster_schema_user_schemas (); *schemas; schemas++)
    {
      const RosterSchema *schema = *schemas;
      gboolean core = schema == roster_schema_user_core ();
      JsonObject *from = core ? stored : roster_user_resource_get_extension (stored, schema->id,
                                                                             FALSE);
      JsonObject *to = core ? resource : NULL;

      for (guint i = 0; schema->attributes[i].name != NULL; i++)
        {
          const RosterAttribute *attribute = &schema->attributes[i];

          if (!roster_attribute_is_read_only (attribute))
            continue;
          if (to == NULL)
            to = roster_user_resource_get_extension (resource, schema->id, TRUE);
          json_object_remove_member (to, attribute->name);
          if (from != NULL && json_object_has_member (from, attribute->name))
            json_object_set_member (to, attribute->name,
                                    deep_copy (json_object_get_member (from, attribute->name)));
        }
      if (!core && to != NULL && json_object_get_size (to) == 0)
        json_object_remove_member (resource, schema->id);
    }
}

/**
 * roster_user_resource_get_extension:
 * @create: add an empty object if there is none
 *
 * Returns: (transfer none) (nullable): the attributes of the extension @urn
 */
JsonObject *
roster_user_resource_get_extension (JsonObject *resource, const char *urn, gboolean create)
{
  JsonNode *node;

  if (resource == NULL)
    return NULL;
  node = json_object_get_member (resource, urn);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (!create)
    return NULL;
  json_object_set_object_member (resource, urn, json_object_new ());
  return json_object_get_object_member (resource, urn);
}

static JsonNode *
get_node (JsonObject *resource, const char *urn, const char *attribute,
          const char *sub_attribute)
{
  JsonObject *container = urn != NULL ? roster_user_resource_get_extension (resource, urn, FALSE)
                                      : resource;
  JsonNode *node;

  if (container == NULL)
    return NULL;
  node = json_object_get_member (container, attribute);
  if (node != NULL && sub_attribute != NULL)
    node = JSON_NODE_HOLDS_OBJECT (node)
             ? json_object_get_member (json_node_get_object (node), sub_attribute)
             : NULL;
  return node;
}

/**
 * roster_user_resource_get_string:
 * @urn: (nullable): an extension, or %NULL for the core schema
 *
 * Returns: (nullable): a string attribute of a canonical resource
 */
const char *
roster_user_resource_get_string (JsonObject *resource, const char *urn, const char *attribute,
                                 const char *sub_attribute)
{
  JsonNode *node = get_node (resource, urn, attribute, sub_attribute);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
roster_user_resource_get_boolean (JsonObject *resource, const char *urn, const char *attribute,
                                  gboolean default_value)
{
  JsonNode *node = get_node (resource, urn, attribute, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

/**
 * roster_user_resource_primary_email:
 *
 * Returns: (nullable): the primary address, else the "work" one, else the first (RFC 7643
 *   §2.4), as the app shows it
 */
const char *
roster_user_resource_primary_email (JsonObject *resource)
{
  JsonNode *node = json_object_get_member (resource, "emails");
  const char *first = NULL, *work = NULL;
  JsonArray *emails;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  emails = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (emails); i++)
    {
      JsonObject *email = json_array_get_object_element (emails, i);
      const char *value = json_object_get_string_member_with_default (email, "value", NULL);
      const char *type = json_object_get_string_member_with_default (email, "type", NULL);

      if (value == NULL)
        continue;
      if (json_object_get_boolean_member_with_default (email, "primary", FALSE))
        return value;
      if (first == NULL)
        first = value;
      if (work == NULL && g_strcmp0 (type, "work") == 0)
        work = value;
    }
  return work != NULL ? work : first;
}
