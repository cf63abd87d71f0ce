/* roster-scim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-scim.h"

/* @message: a translated format with one %s, the member's name */
static JsonNode *
get_member (JsonObject *object, const char *member, JsonNodeType type, const char *message,
            GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_TYPE (node) != type)
    {
      /* Every caller passes a literal _("…%s…"). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, message, member);
#pragma GCC diagnostic pop
      return NULL;
    }
  return node;
}

/**
 * roster_json_get_string:
 *
 * Returns: (nullable): the string @member of @object, or %NULL if it is missing or null;
 *   %NULL with @error set if it holds anything but a string.
 */
const char *
roster_json_get_string (JsonObject *object, const char *member, GError **error)
{
  /* Translators: "%s" is a JSON member such as "userName" */
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, _("“%s” must be a string"), error);

  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be a string"),
                   member);
      return NULL;
    }
  return json_node_get_string (node);
}

gboolean
roster_json_get_boolean (JsonObject *object, const char *member, gboolean default_value,
                         GError **error)
{
  /* Translators: "%s" is a JSON member such as "active" */
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, _("“%s” must be true or false"),
                               error);

  if (node == NULL)
    return default_value;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be true or false"), member);
      return default_value;
    }
  return json_node_get_boolean (node);
}

JsonObject *
roster_json_get_object (JsonObject *object, const char *member, GError **error)
{
  /* Translators: "%s" is a JSON member such as "name" */
  JsonNode *node = get_member (object, member, JSON_NODE_OBJECT, _("“%s” must be an object"),
                               error);

  return node != NULL ? json_node_get_object (node) : NULL;
}

JsonArray *
roster_json_get_array (JsonObject *object, const char *member, GError **error)
{
  /* Translators: "%s" is a JSON member such as "emails" */
  JsonNode *node = get_member (object, member, JSON_NODE_ARRAY, _("“%s” must be a list"), error);

  return node != NULL ? json_node_get_array (node) : NULL;
}

/**
 * roster_json_array_dup_strings:
 * @array: (nullable): a JSON array
 *
 * Returns: (transfer full): the strings of @array (other elements skipped), never %NULL
 */
GStrv
roster_json_array_dup_strings (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

/**
 * roster_json_parse:
 *
 * Parses a request or response body. Empty or malformed input is %ROSTER_ERROR_INVALID_SYNTAX.
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
roster_json_parse (const char *data, gsize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                           _("The request body is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                           _("The request body is not valid UTF-8"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX, _("Malformed JSON: %s"),
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                           _("The request body must be a JSON object"));
      return NULL;
    }
  return json_node_ref (root);
}

char *
roster_json_to_string (JsonNode *node, gsize *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

/**
 * roster_json_new_strings:
 * @first_member: the first member's name, followed by its value, then more name/value
 *   pairs, ending with %NULL
 *
 * Builds a flat object of strings, such as the sign-in body {"userName": …, "password": …}.
 *
 * Returns: (transfer full): the object
 */
JsonNode *
roster_json_new_strings (const char *first_member, ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *member = first_member;
  va_list args;

  va_start (args, first_member);
  json_builder_begin_object (builder);
  while (member != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, va_arg (args, const char *));
      member = va_arg (args, const char *);
    }
  json_builder_end_object (builder);
  va_end (args);
  return json_builder_get_root (builder);
}

/**
 * roster_scim_error_new:
 * @detail: (nullable): a human-readable detail, never containing a secret
 *
 * Builds an RFC 7644 §3.12 error message with the Roster error code in its own extension.
 */
JsonNode *
roster_scim_error_new (RosterErrorCode code, const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *status = g_strdup_printf ("%u", roster_error_code_http_status (code));
  const char *scim_type = roster_error_code_scim_type (code);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_MESSAGE_ERROR);
  json_builder_add_string_value (builder, ROSTER_SCIM_MESSAGE_ROSTER_ERROR);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  if (scim_type != NULL)
    {
      json_builder_set_member_name (builder, "scimType");
      json_builder_add_string_value (builder, scim_type);
    }
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder,
                                 detail != NULL ? detail : roster_error_code_describe (code));
  json_builder_set_member_name (builder, ROSTER_SCIM_MESSAGE_ROSTER_ERROR);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, roster_error_code_to_string (code));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_scim_error_parse:
 * @node: (nullable): the body of an error response, if it was JSON
 *
 * Turns an error response into a #GError in %ROSTER_ERROR. The code comes from the Roster
 * extension when the server sent one, else from the HTTP status. The message is the
 * translated description of the code; the server's detail is kept in it only for codes that
 * describe bad input, where it names the field.
 */
void
roster_scim_error_parse (JsonNode *node, guint http_status, GError **error)
{
  RosterErrorCode code = roster_error_code_from_http_status (http_status);
  const char *detail = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *ext = roster_json_get_object (object, ROSTER_SCIM_MESSAGE_ROSTER_ERROR, NULL);
      const char *ext_code = ext != NULL ? roster_json_get_string (ext, "code", NULL) : NULL;

      /* Without a code the extension says no more than the HTTP status does. */
      if (ext_code != NULL)
        code = roster_error_code_from_string (ext_code);
      detail = roster_json_get_string (object, "detail", NULL);
    }

  g_debug ("server error %u %s: %s", http_status, roster_error_code_to_string (code),
           detail ? detail : "");

  if (detail != NULL && (code == ROSTER_ERROR_INVALID_VALUE || code == ROSTER_ERROR_MISSING_ATTRIBUTE
                         || code == ROSTER_ERROR_INVALID_FILTER || code == ROSTER_ERROR_WEAK_PASSWORD))
    g_set_error (error, ROSTER_ERROR, code, "%s (%s)", roster_error_code_describe (code), detail);
  else
    g_set_error_literal (error, ROSTER_ERROR, code, roster_error_code_describe (code));
}

/**
 * roster_scim_list_new:
 * @resources: (element-type JsonNode): the page of resources
 *
 * Returns: (transfer full): an RFC 7644 §3.4.2 ListResponse
 */
JsonNode *
roster_scim_list_new (GPtrArray *resources, guint total_results, guint start_index)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_MESSAGE_LIST);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "totalResults");
  json_builder_add_int_value (builder, total_results);
  json_builder_set_member_name (builder, "startIndex");
  json_builder_add_int_value (builder, start_index);
  json_builder_set_member_name (builder, "itemsPerPage");
  json_builder_add_int_value (builder, resources->len);
  json_builder_set_member_name (builder, "Resources");
  json_builder_begin_array (builder);
  for (guint i = 0; i < resources->len; i++)
    json_builder_add_value (builder, json_node_ref (g_ptr_array_index (resources, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_scim_list_join:
 * @resources: (element-type GBytes): the page of resources, each already serialised JSON
 *
 * The ListResponse of roster_scim_list_new(), serialised, around resources that are
 * already: only integers and a constant are written here, nothing that needs escaping.
 *
 * Returns: (transfer full): the JSON text
 */
GBytes *
roster_scim_list_join (GPtrArray *resources, guint total_results, guint start_index)
{
  gsize size = 160;
  GString *text;

  for (guint i = 0; i < resources->len; i++)
    size += g_bytes_get_size (g_ptr_array_index (resources, i)) + 1;
  text = g_string_sized_new (size);
  g_string_append_printf (text,
                          "{\"schemas\":[\"" ROSTER_SCIM_MESSAGE_LIST "\"],\"totalResults\":%u,"
                          "\"startIndex\":%u,\"itemsPerPage\":%u,\"Resources\":[",
                          total_results, start_index, resources->len);
  for (guint i = 0; i < resources->len; i++)
    {
      gsize length = 0;
      gconstpointer data = g_bytes_get_data (g_ptr_array_index (resources, i), &length);

      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append_len (text, data, (gssize) length);
    }
  g_string_append (text, "]}");
  return g_string_free_to_bytes (text);
}

/**
 * roster_scim_list_parse:
 *
 * Returns: (transfer none) (nullable): the Resources of a ListResponse; %NULL without an
 *   error when the server left them out, as RFC 7644 allows for an empty page
 */
JsonArray *
roster_scim_list_parse (JsonNode *node, guint *total_results, guint *start_index,
                        GError **error)
{
  JsonObject *object;
  JsonNode *total;
  JsonArray *resources;
  GError *local_error = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  total = json_object_get_member (object, "totalResults");
  if (total == NULL || json_node_get_value_type (total) != G_TYPE_INT64
      || json_node_get_int (total) < 0 || json_node_get_int (total) > G_MAXUINT)
    goto bad;
  *total_results = (guint) json_node_get_int (total);
  *start_index = 1;
  if (json_object_has_member (object, "startIndex")
      && json_node_get_value_type (json_object_get_member (object, "startIndex")) == G_TYPE_INT64)
    *start_index = (guint) CLAMP (json_object_get_int_member (object, "startIndex"), 1, G_MAXUINT);
  resources = roster_json_get_array (object, "Resources", &local_error);
  if (local_error != NULL)
    {
      g_error_free (local_error);
      goto bad;
    }
  return resources;

bad:
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL,
                       roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
  return NULL;
}

/* A SCIM string literal for @text: quotes and backslashes escaped, control characters as
 * \uXXXX (RFC 7644 §3.4.2.2 literals are JSON strings). */
static void
append_literal (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/**
 * roster_scim_search_filter_new:
 * @text: what the user typed in the search entry
 *
 * Builds the SCIM filter the user list sends for a search: the text anywhere in the
 * username, the display name, the given or family name or an e-mail address, or at the start
 * of the employee number. Surrounding spaces are ignored.
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL for an empty search
 */
char *
roster_scim_search_filter_new (const char *text)
{
  static const char *const contains[] = { "userName", "displayName", "name.givenName",
                                          "name.familyName", "emails.value" };
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) filter = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return NULL;

  filter = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (contains); i++)
    {
      g_string_append_printf (filter, "%s%s co ", i > 0 ? " or " : "", contains[i]);
      append_literal (filter, trimmed);
    }
  g_string_append (filter, " or " ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":employeeNumber sw ");
  append_literal (filter, trimmed);
  return g_string_free (g_steal_pointer (&filter), FALSE);
}

/**
 * roster_scim_filter_eq_new:
 *
 * Returns: (transfer full): the filter `ATTRIBUTE eq "VALUE"`, with @value escaped
 */
char *
roster_scim_filter_eq_new (const char *attribute, const char *value)
{
  g_autoptr(GString) filter = g_string_new (attribute);

  g_string_append (filter, " eq ");
  append_literal (filter, value);
  return g_string_free (g_steal_pointer (&filter), FALSE);
}

/**
 * roster_scim_set_password_new:
 *
 * Returns: (transfer full): the body of POST /Users/{id}/actions/set-password
 */
JsonNode *
roster_scim_set_password_new (const char *password, gboolean must_change)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (password != NULL, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "mustChange");
  json_builder_add_boolean_value (builder, must_change);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_scim_user_list_filter_new:
 * @search: (nullable): what was typed in the search entry
 * @status: (nullable): "active", "inactive", "locked" or "pending", or %NULL for any
 * @role_id: (nullable): only users with this role
 * @team_id: (nullable): only members of this team (or group)
 *
 * Combines the user list's search and filters into one SCIM filter: each part in
 * parentheses, joined with "and".
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL for everyone
 */
char *
roster_scim_user_list_filter_new (const char *search, const char *status, const char *role_id,
                                  const char *team_id)
{
  g_autofree char *search_filter = roster_scim_search_filter_new (search);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) filter = g_string_new (NULL);

  if (search_filter != NULL)
    g_ptr_array_add (parts, g_steal_pointer (&search_filter));
  if (status != NULL && *status != '\0')
    g_ptr_array_add (parts,
                     roster_scim_filter_eq_new (ROSTER_SCIM_SCHEMA_ROSTER_USER ":status", status));
  if (role_id != NULL && *role_id != '\0')
    g_ptr_array_add (parts, roster_scim_filter_eq_new ("roles.value", role_id));
  if (team_id != NULL && *team_id != '\0')
    g_ptr_array_add (parts, roster_scim_filter_eq_new ("groups.value", team_id));
  if (parts->len == 0)
    return NULL;
  if (parts->len == 1)
    return g_strdup (parts->pdata[0]);
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (filter, "%s(%s)", i > 0 ? " and " : "", (char *) parts->pdata[i]);
  return g_string_free (g_steal_pointer (&filter), FALSE);
}
