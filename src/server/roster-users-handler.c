/* roster-users-handler.c: /scim/v2/Users (RFC 7644 §3.3–3.6, §3.14)
 *
 * Requests are checked against the schemas (roster-user-resource.c) before anything is
 * stored; responses are the stored resource plus what the server computes (schemas, id,
 * meta, the managers' "$ref" and "displayName"), projected by "attributes" and
 * "excludedAttributes". Every write carries the version it was based on down to the store,
 * which refuses it if the user changed meanwhile: If-Match is checked against that version.
 * Passwords are hashed on a worker thread; the write itself then runs again from the
 * current state, so nothing read before the hash is trusted after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-password-policy.h"
#include "roster-password.h"
#include "roster-permission.h"
#include "roster-resource-handler.h"
#include "roster-projection.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-user-mail.h"
#include "roster-user-patch.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

#define ROSTER_SCIM_MESSAGE_SEARCH_REQUEST "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

static char *
user_location (RosterRequest *request, const char *id)
{
  return g_strconcat (roster_server_get_base_url (roster_request_get_server (request)),
                      "/scim/v2/Users/", id, NULL);
}

static char *
format_date (GDateTime *date)
{
  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

/* Adds "$ref" and "displayName" to a manager reference, computed from its value. */
static void
complete_reference (RosterRequest *request, JsonObject *container, const char *member,
                    const char *display_name)
{
  JsonNode *node = container != NULL ? json_object_get_member (container, member) : NULL;
  g_autoptr(JsonObject) reference = NULL;
  g_autofree char *ref = NULL;
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  value = json_object_get_string_member_with_default (json_node_get_object (node), "value", NULL);
  if (value == NULL)
    return;
  ref = user_location (request, value);
  reference = json_object_new ();
  json_object_set_string_member (reference, "value", value);
  json_object_set_string_member (reference, "$ref", ref);
  if (display_name != NULL)
    json_object_set_string_member (reference, "displayName", display_name);
  json_object_set_object_member (container, member, g_steal_pointer (&reference));
}

static JsonArray *
get_array (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
add_source (JsonArray *sources, const char *type, const char *value, const char *display)
{
  JsonObject *source = json_object_new ();

  json_object_set_string_member (source, "type", type);
  if (value != NULL)
    json_object_set_string_member (source, "value", value);
  if (display != NULL)
    json_object_set_string_member (source, "display", display);
  json_array_add_object_element (sources, source);
}

/* effectivePermissions: every permission of the catalogue the user has, in its order, each
 * with what grants it (administrator first, then roles, groups, entitlements). */
static JsonArray *
effective_permissions (RosterUserRecord *record)
{
  gboolean administrator = roster_user_resource_get_boolean (record->resource,
                                                             ROSTER_SCIM_SCHEMA_ROSTER_USER,
                                                             "administrator", FALSE);
  guint n = 0;
  const RosterPermission *all = roster_permission_get_all (&n);
  g_autoptr(JsonArray) result = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonArray) sources = json_array_new ();

      if (administrator)
        add_source (sources, "administrator", NULL, NULL);
      for (guint j = 0; j < record->grants->len; j++)
        {
          RosterGrant *grant = g_ptr_array_index (record->grants, j);

          if (!g_str_equal (grant->permission, all[i].id))
            continue;
          add_source (sources, grant->source_type, grant->source_id,
                      g_str_equal (grant->source_type, "entitlement") ? _(all[i].name)
                                                                      : grant->source_name);
        }
      if (json_array_get_length (sources) > 0)
        {
          JsonObject *permission = json_object_new ();

          json_object_set_string_member (permission, "value", all[i].id);
          json_object_set_array_member (permission, "sources", g_steal_pointer (&sources));
          json_array_add_object_element (result, permission);
        }
    }
  return g_steal_pointer (&result);
}

/* The computed parts of roles, entitlements, groups and effectivePermissions. */
static void
complete_access (RosterRequest *request, RosterUserRecord *record, JsonObject *object)
{
  JsonArray *roles = get_array (object, "roles");
  JsonArray *entitlements = get_array (object, "entitlements");
  g_autoptr(JsonArray) effective = effective_permissions (record);

  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonObject *role = json_array_get_object_element (roles, i);
      const char *name = g_hash_table_lookup (
        record->role_names, json_object_get_string_member_with_default (role, "value", ""));

      if (name != NULL)
        json_object_set_string_member (role, "display", name);
    }
  for (guint i = 0; entitlements != NULL && i < json_array_get_length (entitlements); i++)
    {
      JsonObject *entitlement = json_array_get_object_element (entitlements, i);
      const RosterPermission *permission = roster_permission_lookup (
        json_object_get_string_member_with_default (entitlement, "value", NULL));

      if (permission != NULL)
        json_object_set_string_member (entitlement, "display", _(permission->name));
    }
  if (record->groups->len > 0)
    {
      g_autoptr(JsonArray) groups = json_array_new ();

      for (guint i = 0; i < record->groups->len; i++)
        {
          RosterReference *group = g_ptr_array_index (record->groups, i);
          g_autofree char *ref = roster_resource_location (request, "Groups", group->id);
          JsonObject *value = json_object_new ();

          json_object_set_string_member (value, "value", group->id);
          json_object_set_string_member (value, "$ref", ref);
          if (group->display != NULL)
            json_object_set_string_member (value, "display", group->display);
          json_object_set_string_member (value, "type", "direct");
          json_array_add_object_element (groups, value);
        }
      json_object_set_array_member (object, "groups", g_steal_pointer (&groups));
    }
  if (json_array_get_length (effective) > 0)
    {
      JsonObject *ext = roster_user_resource_get_extension (object,
                                                            ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE);

      json_object_set_array_member (ext, "effectivePermissions", g_steal_pointer (&effective));
    }
}

/* The full representation: schemas, id, the stored attributes, computed ones, then meta. */
static JsonObject *
record_to_object (RosterRequest *request, RosterUserRecord *record)
{
  const RosterSchema *const *schemas = roster_schema_user_schemas ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schema_ids = json_array_new ();
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *location = user_location (request, record->id);
  g_autofree char *created = format_date (record->created);
  g_autofree char *last_modified = format_date (record->last_modified);
  g_autofree char *version = roster_user_record_dup_etag (record);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_array_add_string_element (schema_ids, ROSTER_SCIM_SCHEMA_USER);
  for (guint i = 1; schemas[i] != NULL; i++)
    {
      JsonObject *ext = roster_user_resource_get_extension (record->resource, schemas[i]->id,
                                                            FALSE);

      /* The Roster extension is there for effectivePermissions even when nothing is stored. */
      if ((ext != NULL && json_object_get_size (ext) > 0)
          || (g_str_equal (schemas[i]->id, ROSTER_SCIM_SCHEMA_ROSTER_USER)
              && (record->grants->len > 0
                  || roster_user_resource_get_boolean (record->resource,
                                                       ROSTER_SCIM_SCHEMA_ROSTER_USER,
                                                       "administrator", FALSE))))
        json_array_add_string_element (schema_ids, schemas[i]->id);
    }
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schema_ids));
  json_object_set_string_member (object, "id", record->id);

  json_object_iter_init_ordered (&iter, record->resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (JSON_NODE_HOLDS_OBJECT (member) && json_object_get_size (json_node_get_object (member))
                                               == 0)
        continue;
      json_object_set_member (object, name, json_node_copy (member));
    }
  complete_reference (request,
                      roster_user_resource_get_extension (object,
                                                          ROSTER_SCIM_SCHEMA_ENTERPRISE_USER,
                                                          FALSE),
                      "manager", record->manager_display_name);
  complete_reference (request,
                      roster_user_resource_get_extension (object, ROSTER_SCIM_SCHEMA_ROSTER_USER,
                                                          FALSE),
                      "secondaryManager", record->secondary_manager_display_name);
  complete_access (request, record, object);

  json_object_set_string_member (meta, "resourceType", "User");
  json_object_set_string_member (meta, "created", created);
  json_object_set_string_member (meta, "lastModified", last_modified);
  json_object_set_string_member (meta, "location", location);
  json_object_set_string_member (meta, "version", version);
  json_object_set_object_member (object, "meta", g_steal_pointer (&meta));
  return g_steal_pointer (&object);
}

/* The response for @record, projected. */
static JsonNode *
present (RosterRequest *request, RosterUserRecord *record, RosterProjection *projection)
{
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(JsonObject) projected = NULL;
  g_autoptr(JsonObject) copy = roster_user_resource_copy (record->resource);
  JsonObject *saved = record->resource;

  /* complete_reference replaces members of the extension objects: work on a copy. */
  record->resource = copy;
  full = record_to_object (request, record);
  record->resource = saved;
  projected = roster_projection_apply (projection, full);
  return json_node_init_object (json_node_alloc (), projected);
}

static RosterProjection *
projection_from_query (RosterRequest *request)
{
  return roster_projection_new_from_query (roster_request_get_query (request, "attributes"),
                                           roster_request_get_query (request,
                                                                     "excludedAttributes"));
}

static void
respond_record (RosterRequest *request, guint status, RosterUserRecord *record)
{
  SoupMessageHeaders *headers
    = soup_server_message_get_response_headers (roster_request_get_message (request));
  g_autoptr(RosterProjection) projection = projection_from_query (request);
  g_autoptr(JsonNode) node = present (request, record, projection);
  g_autofree char *etag = roster_user_record_dup_etag (record);

  if (status == 201)
    {
      g_autofree char *location = user_location (request, record->id);

      soup_message_headers_replace (headers, "Location", location);
    }
  soup_message_headers_replace (headers, "ETag", etag);
  roster_request_respond_json (request, status, node);
}

/* Whether @header (If-Match or If-None-Match) names @record's version; "*" names any. */
static gboolean
etag_matches (const char *header, RosterUserRecord *record)
{
  g_auto(GStrv) tags = g_strsplit (header, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      gint64 version = 0;

      if (g_str_equal (g_strstrip (tags[i]), "*"))
        return TRUE;
      if (roster_user_record_parse_etag (tags[i], &version) && version == record->version)
        return TRUE;
    }
  return FALSE;
}

/* RFC 7644 §3.14: a stale If-Match is 412 and nothing changes. */
static gboolean
check_if_match (RosterRequest *request, RosterUserRecord *record, GError **error)
{
  const char *header = soup_message_headers_get_one (
    soup_server_message_get_request_headers (roster_request_get_message (request)), "If-Match");

  if (header == NULL || etag_matches (header, record))
    return TRUE;
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED,
                       _("The user has changed since this version was read"));
  return FALSE;
}

/* ---------------------------------------------------------------- GET and .search */

typedef struct
{
  RosterUserQuery query;
  RosterScimFilter *filter;
  RosterProjection *projection;
} Search;

static void
search_clear (Search *search)
{
  g_clear_pointer (&search->filter, roster_scim_filter_unref);
  g_clear_pointer (&search->projection, roster_projection_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Search, search_clear)

static const struct
{
  const char *name;
  RosterUserSort sort;
} sortable[] = {
  { "userName", ROSTER_USER_SORT_USER_NAME },
  { "name.familyName", ROSTER_USER_SORT_FAMILY_NAME },
  { "name.givenName", ROSTER_USER_SORT_GIVEN_NAME },
  { "displayName", ROSTER_USER_SORT_DISPLAY_NAME },
  { "emails", ROSTER_USER_SORT_EMAIL },
  { "emails.value", ROSTER_USER_SORT_EMAIL },
  { "meta.created", ROSTER_USER_SORT_CREATED },
  { "meta.lastModified", ROSTER_USER_SORT_LAST_MODIFIED },
  { ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":employeeNumber", ROSTER_USER_SORT_EMPLOYEE_NUMBER },
  { "employeeNumber", ROSTER_USER_SORT_EMPLOYEE_NUMBER },
};

/* Unknown sort attributes are refused rather than ignored (RFC 7644 §3.4.2.3 allows
 * either), so a client never shows an order it did not get. */
static gboolean
parse_sort (const char *sort_by, const char *sort_order, RosterUserQuery *query, GError **error)
{
  const char *core_prefix = ROSTER_SCIM_SCHEMA_USER ":";
  gboolean found = FALSE;

  if (sort_by != NULL && *sort_by != '\0')
    {
      if (g_ascii_strncasecmp (sort_by, core_prefix, strlen (core_prefix)) == 0)
        sort_by += strlen (core_prefix);
      for (guint i = 0; i < G_N_ELEMENTS (sortable) && !found; i++)
        if (g_ascii_strcasecmp (sort_by, sortable[i].name) == 0)
          {
            query->sort = sortable[i].sort;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("Users cannot be sorted by “%s”; use userName, name.familyName, "
                         "name.givenName, displayName, emails, meta.created, "
                         "meta.lastModified or employeeNumber"),
                       sort_by);
          return FALSE;
        }
    }
  if (sort_order == NULL || g_ascii_strcasecmp (sort_order, "ascending") == 0)
    query->descending = FALSE;
  else if (g_ascii_strcasecmp (sort_order, "descending") == 0)
    query->descending = TRUE;
  else
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be “ascending” or “descending”"), "sortOrder");
      return FALSE;
    }
  return TRUE;
}

/* RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0. */
static void
set_paging (RosterUserQuery *query, gint64 start_index, gint64 count)
{
  query->start_index = (guint) CLAMP (start_index, 1, G_MAXINT32);
  query->count = (guint) CLAMP (count, 0, ROSTER_USERS_MAX_COUNT);
}

static gboolean
set_filter (Search *search, const char *filter, GError **error)
{
  if (filter == NULL)
    return TRUE;
  search->filter = roster_scim_filter_parse (filter, error);
  search->query.filter = search->filter;
  return search->filter != NULL;
}

/* Values that are not integers get the default, as if they had not been sent. */
static gint64
query_integer (RosterRequest *request, const char *name, gint64 default_value)
{
  const char *str = roster_request_get_query (request, name);
  gint64 value;

  if (str == NULL || !g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return default_value;
  return value;
}

static void
run_search (RosterRequest *request, Search *search)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  records = roster_store_search_users (roster_request_get_store (request), &search->query,
                                       &total, &error);
  if (records == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (resources,
                     present (request, g_ptr_array_index (records, i), search->projection));
  list = roster_scim_list_new (resources, total, search->query.start_index);
  roster_request_respond_json (request, 200, list);
}

void
roster_users_handle_list (RosterRequest *request)
{
  g_auto(Search) search = { 0 };
  g_autoptr(GError) error = NULL;

  set_paging (&search.query, query_integer (request, "startIndex", 1),
              query_integer (request, "count", ROSTER_USERS_DEFAULT_COUNT));
  if (!parse_sort (roster_request_get_query (request, "sortBy"),
                   roster_request_get_query (request, "sortOrder"), &search.query, &error)
      || !set_filter (&search, roster_request_get_query (request, "filter"), &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  search.projection = projection_from_query (request);
  run_search (request, &search);
}

/* "attributes" and "excludedAttributes" of a SearchRequest: lists of strings. */
static gboolean
get_string_list (JsonObject *body, const char *member, GStrv *out, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = roster_json_get_array (body, member, error);

  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("“%s” must be a list of attribute names"), member);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_integer (JsonObject *body, const char *member, gint64 default_value, gint64 *out,
             GError **error)
{
  JsonNode *node = json_object_get_member (body, member);

  *out = default_value;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be a whole number"), member);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/* POST /Users/.search (RFC 7644 §3.4.3): the query parameters in a SearchRequest body. */
void
roster_users_handle_search (RosterRequest *request)
{
  static const char *const known[] = { "schemas", "attributes", "excludedAttributes", "filter",
                                       "sortBy", "sortOrder", "startIndex", "count", NULL };
  JsonObject *body = roster_request_get_body (request);
  g_auto(Search) search = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) attributes = NULL;
  g_auto(GStrv) excluded = NULL;
  const char *filter = NULL, *sort_by = NULL, *sort_order = NULL;
  gint64 start_index = 1, count = ROSTER_USERS_DEFAULT_COUNT;
  gboolean search_request = FALSE;
  JsonArray *schemas;
  JsonObjectIter iter;
  const char *name;

  schemas = roster_json_get_array (body, "schemas", NULL);
  for (guint i = 0; schemas != NULL && i < json_array_get_length (schemas); i++)
    {
      JsonNode *node = json_array_get_element (schemas, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (node), ROSTER_SCIM_MESSAGE_SEARCH_REQUEST))
        search_request = TRUE;
    }
  if (!search_request)
    {
      g_autofree char *detail = g_strdup_printf (_("“schemas” must contain %s"),
                                                 ROSTER_SCIM_MESSAGE_SEARCH_REQUEST);

      roster_request_respond_error (request, ROSTER_ERROR_INVALID_SYNTAX, detail);
      return;
    }
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (known, name))
      {
        g_autofree char *detail = g_strdup_printf (_("“%s” is not part of a search request"),
                                                   name);

        roster_request_respond_error (request, ROSTER_ERROR_INVALID_SYNTAX, detail);
        return;
      }

  if (!get_string_list (body, "attributes", &attributes, &error)
      || !get_string_list (body, "excludedAttributes", &excluded, &error)
      || (filter = roster_json_get_string (body, "filter", &error), error != NULL)
      || (sort_by = roster_json_get_string (body, "sortBy", &error), error != NULL)
      || (sort_order = roster_json_get_string (body, "sortOrder", &error), error != NULL)
      || !get_integer (body, "startIndex", 1, &start_index, &error)
      || !get_integer (body, "count", ROSTER_USERS_DEFAULT_COUNT, &count, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  set_paging (&search.query, start_index, count);
  if (!parse_sort (sort_by, sort_order, &search.query, &error)
      || !set_filter (&search, filter, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  search.projection = roster_projection_new ((const char *const *) attributes,
                                             (const char *const *) excluded);
  run_search (request, &search);
}

void
roster_users_handle_get (RosterRequest *request)
{
  SoupServerMessage *msg = roster_request_get_message (request);
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *if_none_match;

  record = roster_store_get_user_record (roster_request_get_store (request),
                                         roster_request_get_param (request, 0), &error);
  if (record == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  /* RFC 7232 §3.2: the client's copy is current. */
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "If-None-Match");
  if (if_none_match != NULL && etag_matches (if_none_match, record))
    {
      g_autofree char *etag = roster_user_record_dup_etag (record);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    etag);
      roster_request_respond_empty (request, 304);
      return;
    }
  respond_record (request, 200, record);
}

/* ------------------------------------------------------------------------ writes */

/* The Roster extension's status is the server's: it follows "active" (an inactive account
 * becomes active again, pending and locked ones stay as they are until verified or
 * unlocked), and a new password is dated. */
static gboolean
update_server_attributes (RosterStore *store, JsonObject *resource, JsonObject *stored,
                          gboolean new_password, GError **error)
{
  JsonObject *ext;
  const char *old = stored != NULL ? roster_user_resource_get_string (
                                       stored, ROSTER_SCIM_SCHEMA_ROSTER_USER, "status", NULL)
                                   : NULL;
  gboolean active;

  if (!json_object_has_member (resource, "active"))
    json_object_set_boolean_member (resource, "active", TRUE);
  active = json_object_get_boolean_member (resource, "active");
  ext = roster_user_resource_get_extension (resource, ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE);
  if (!active)
    json_object_set_string_member (ext, "status", "inactive");
  else if (old == NULL || g_str_equal (old, "inactive"))
    json_object_set_string_member (ext, "status", "active");
  else
    json_object_set_string_member (ext, "status", old);
  if (new_password)
    {
      RosterSettings settings;

      if (!roster_store_get_settings (store, &settings, error))
        return FALSE;
      roster_settings_date_password (&settings, ext);
    }
  return TRUE;
}

typedef enum
{
  WRITE_CREATE,
  WRITE_REPLACE,
  WRITE_PATCH,
} WriteKind;

/* One write on its way, possibly waiting for a password hash. */
typedef struct
{
  RosterRequest *request;
  WriteKind kind;
  JsonObject *input; /* CREATE, REPLACE: the normalized body; PATCH: the PatchOp */
  char *password;
  gboolean invite; /* CREATE with ?sendInvitation=true: pending, and mail the link */
} Write;

static void
write_free (Write *write)
{
  roster_request_unref (write->request);
  g_clear_pointer (&write->input, json_object_unref);
  if (write->password != NULL)
    explicit_bzero (write->password, strlen (write->password));
  g_free (write->password);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static gboolean
forbidden (GError **error, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN, message);
  return FALSE;
}

/* What only administrators may change: administrators (else a user manager could set an
 * administrator's password and sign in as them), administrator flags and entitlements. A
 * user manager may give existing roles. @old is %NULL for a new user. */
static gboolean
check_admin_only (RosterRequest *request, JsonObject *old, JsonObject *new, GError **error)
{
  const char *ext = ROSTER_SCIM_SCHEMA_ROSTER_USER;

  if (roster_request_is_administrator (request))
    return TRUE;
  if (roster_user_resource_get_boolean (old, ext, "administrator", FALSE))
    return forbidden (error, _("Only administrators can change or delete an administrator"));
  if (roster_user_resource_get_boolean (old, ext, "administrator", FALSE)
      != roster_user_resource_get_boolean (new, ext, "administrator", FALSE))
    return forbidden (error, _("Only administrators can make or unmake administrators"));
  if (roster_resource_strings_differ (old, new, NULL, "entitlements"))
    return forbidden (error, _("Only administrators can change entitlements"));
  return TRUE;
}

/* Builds the new representation from the current state; with @store, writes it. */
static RosterUserRecord *
perform (Write *write, gboolean store, const char *password_hash, JsonObject **before,
         GError **error)
{
  RosterRequest *request = write->request;
  RosterStore *st = roster_request_get_store (request);
  g_autoptr(RosterUserRecord) current = NULL;
  g_autoptr(JsonObject) resource = NULL;
  g_autofree char *password = NULL;

  if (write->kind == WRITE_CREATE)
    {
      resource = roster_user_resource_copy (write->input);
      if (!update_server_attributes (st, resource, NULL, write->password != NULL, error)
          || !check_admin_only (request, NULL, resource, error))
        return NULL;
      if (write->invite)
        {
          g_autoptr(RosterUserRecord) probe = roster_user_record_new ();

          /* Pending until the link is opened or an administrator confirms. */
          json_object_set_string_member (
            roster_user_resource_get_extension (resource, ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE),
            "status", "pending");
          probe->resource = json_object_ref (resource);
          if (!roster_user_mail_check_address (probe, error))
            return NULL;
        }
      if (!store)
        return roster_user_record_new ();
      return roster_store_create_user (st, resource, password_hash, error);
    }

  current = roster_store_get_user_record (st, roster_request_get_param (request, 0), error);
  if (current == NULL || !check_if_match (request, current, error))
    return NULL;
  if (write->kind == WRITE_REPLACE)
    {
      resource = roster_user_resource_copy (write->input);
      roster_user_resource_keep_read_only (resource, current->resource);
    }
  else
    {
      g_autoptr(JsonObject) patched = roster_user_resource_copy (current->resource);

      if (!roster_user_patch_apply (patched, write->input, &password, error))
        return NULL;
      resource = roster_user_resource_normalize (patched, ROSTER_RESOURCE_STORED, NULL, error);
      if (resource == NULL)
        return NULL;
      if (write->password == NULL && password != NULL)
        write->password = g_steal_pointer (&password);
    }
  if (!update_server_attributes (st, resource, current->resource, write->password != NULL,
                                 error)
      || !check_admin_only (request, current->resource, resource, error))
    return NULL;
  if (!store)
    return g_steal_pointer (&current);
  if (before != NULL)
    *before = json_object_ref (current->resource);
  return roster_store_replace_user (st, current->id, resource, current->version, password_hash,
                                    error);
}

static void
finish (Write *write, const char *password_hash)
{
  RosterStore *store = roster_request_get_store (write->request);
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(GError) error = NULL;

  /* The change and its audit entry land together or not at all. */
  if (roster_store_begin (store, &error))
    {
      stored = perform (write, TRUE, password_hash, &before, &error);
      if (stored == NULL
          || (write->invite
              && (!roster_user_mail_queue (write->request, ROSTER_USER_MAIL_INVITATION, stored,
                                           NULL, FALSE, &error)
                  || !roster_audit_record (write->request, "send-invitation", "User",
                                           stored->id,
                                           roster_user_resource_get_string (
                                             stored->resource, NULL, "userName", NULL),
                                           NULL, NULL, &error)))
          || !roster_audit_record (write->request,
                                   write->kind == WRITE_CREATE ? "create" : "update", "User",
                                   stored->id,
                                   roster_user_resource_get_string (stored->resource, NULL,
                                                                    "userName", NULL),
                                   before, stored->resource, &error)
          || !roster_store_commit (store, &error))
        {
          roster_store_rollback (store);
          g_clear_pointer (&stored, roster_user_record_free);
        }
    }
  if (stored == NULL)
    {
      roster_request_respond_gerror (write->request, error);
      return;
    }
  g_info ("%s user %s", write->kind == WRITE_CREATE ? "Created" : "Changed", stored->id);
  respond_record (write->request, write->kind == WRITE_CREATE ? 201 : 200, stored);
}

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Write) write = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = roster_password_policy_hash_finish (result, &error);

  if (password_hash == NULL)
    {
      roster_request_respond_gerror (write->request, error);
      return;
    }
  finish (write, password_hash);
}

/* Checks everything that can be checked before hashing, then hashes (if there is a new
 * password) and writes. Takes @write. */
static void
start_write (Write *write_in)
{
  g_autoptr(Write) write = write_in;
  g_autoptr(RosterUserRecord) dry = NULL;
  g_autoptr(GError) error = NULL;
  RosterRequest *request;
  const char *password, *user_name, *user_id;

  dry = perform (write, FALSE, NULL, NULL, &error);
  if (dry == NULL
      || (write->password != NULL && !roster_validate_password (write->password, &error)))
    {
      roster_request_respond_gerror (write->request, error);
      return;
    }
  if (write->password == NULL)
    {
      finish (write, NULL);
      return;
    }
  roster_request_pause (write->request);
  password = write->password;
  if (write->kind == WRITE_PATCH)
    user_name = roster_user_resource_get_string (dry->resource, NULL, "userName", NULL);
  else
    user_name = roster_user_resource_get_string (write->input, NULL, "userName", NULL);
  request = write->request;
  user_id = write->kind == WRITE_CREATE ? NULL : dry->id;
  roster_auth_check_password_async (request, user_id, user_name, password, hashed_cb,
                                    g_steal_pointer (&write));
}

static Write *
write_new (RosterRequest *request, WriteKind kind)
{
  Write *write = g_new0 (Write, 1);

  write->request = roster_request_ref (request);
  write->kind = kind;
  write->invite = kind == WRITE_CREATE
                  && g_strcmp0 (roster_request_get_query (request, "sendInvitation"), "true") == 0;
  return write;
}

static void
start_resource_write (RosterRequest *request, WriteKind kind)
{
  g_autoptr(Write) write = write_new (request, kind);
  g_autoptr(GError) error = NULL;

  /* id and meta are read-only (RFC 7643 §3.1): what the client sent is ignored. */
  write->input = roster_user_resource_normalize (roster_request_get_body (request),
                                                 ROSTER_RESOURCE_INPUT, &write->password,
                                                 &error);
  if (write->input == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  start_write (g_steal_pointer (&write));
}

/* ?sendInvitation=true (the Roster extension, see docs/protocol.md) creates the user
 * pending and mails them an activation link. */
void
roster_users_handle_create (RosterRequest *request)
{
  const char *invite = roster_request_get_query (request, "sendInvitation");

  if (invite != NULL && !g_str_equal (invite, "true") && !g_str_equal (invite, "false"))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“sendInvitation” must be true or false"));
      return;
    }
  start_resource_write (request, WRITE_CREATE);
}

/* PUT (RFC 7644 §3.5.1): replaces every writable attribute; read-only ones keep their
 * stored values whatever the body says. */
void
roster_users_handle_replace (RosterRequest *request)
{
  start_resource_write (request, WRITE_REPLACE);
}

void
roster_users_handle_patch (RosterRequest *request)
{
  g_autoptr(Write) write = write_new (request, WRITE_PATCH);

  write->input = json_object_ref (roster_request_get_body (request));
  start_write (g_steal_pointer (&write));
}

/* Administrators may delete themselves, unless nobody else could administer the server
 * afterwards (the store refuses that with last-administrator). */
void
roster_users_handle_delete (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) current = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  current = roster_store_get_user_record (store, id, &error);
  if (current == NULL || !check_if_match (request, current, &error)
      || !check_admin_only (request, current->resource, current->resource, &error)
      || !roster_store_delete_user (store, id, current->version, &error)
      || !roster_audit_record (request, "delete", "User", id,
                               roster_user_resource_get_string (current->resource, NULL,
                                                                "userName", NULL),
                               current->resource, NULL, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Deleted user %s", id);
  roster_request_respond_empty (request, 204);
}

/**
 * roster_users_respond_record:
 *
 * Answers with @record as GET /Users/{id} would (ETag included), for the user actions.
 */
void
roster_users_respond_record (RosterRequest *request, RosterUserRecord *record)
{
  respond_record (request, 200, record);
}
