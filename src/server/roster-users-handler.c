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

#include "roster-allowance.h"
#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-password-policy.h"
#include "roster-password.h"
#include "roster-permission.h"
#include "roster-resource-handler.h"
#include "roster-projection.h"
#include "roster-records.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-render-cache.h"
#include "roster-server.h"
#include "roster-user-mail.h"
#include "roster-user-patch.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

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
  return roster_projection_new_from_query (roster_schema_user_schemas (),
                                           roster_request_get_query (request, "attributes"),
                                           roster_request_get_query (request,
                                                                     "excludedAttributes"));
}

static void
respond_record (RosterRequest *request, guint status, RosterUserRecord *record)
{
  g_autoptr(RosterProjection) projection = projection_from_query (request);
  g_autoptr(JsonNode) node = present (request, record, projection);
  g_autofree char *etag = roster_user_record_dup_etag (record);

  if (status == 201)
    {
      g_autofree char *location = user_location (request, record->id);

      roster_request_set_response_header (request, "Location", location);
    }
  roster_request_set_response_header (request, "ETag", etag);
  roster_request_respond_json (request, status, node);
}

/* Whether @header (If-Match or If-None-Match) names @record's version; "*" names any. */
static gboolean
etag_matches (const char *header, gint64 record_version)
{
  g_auto(GStrv) tags = g_strsplit (header, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      gint64 version = 0;

      if (g_str_equal (g_strstrip (tags[i]), "*"))
        return TRUE;
      if (roster_user_record_parse_etag (tags[i], &version) && version == record_version)
        return TRUE;
    }
  return FALSE;
}

/* RFC 7644 §3.14: a stale If-Match is 412 and nothing changes. */
static gboolean
check_if_match (RosterRequest *request, RosterUserRecord *record, GError **error)
{
  const char *header = roster_request_get_header (request, "If-Match");

  if (header == NULL || etag_matches (header, record->version))
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
  gboolean cacheable; /* the default representation, over HTTP */
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
  { ROSTER_SCIM_SCHEMA_ROSTER_USER ":lastLoginAt", ROSTER_USER_SORT_LAST_LOGIN },
  { "lastLoginAt", ROSTER_USER_SORT_LAST_LOGIN },
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
                         "meta.lastModified, employeeNumber or lastLoginAt"),
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

/* The default representation, serialised: what the render cache holds. */
static GBytes *
render (RosterRequest *request, RosterUserRecord *record, RosterProjection *projection)
{
  g_autoptr(JsonNode) node = present (request, record, projection);
  gsize length = 0;
  char *data = roster_json_to_string (node, &length);

  return g_bytes_new_take (data, length);
}

/* Whether the answer is the default representation (no attributes or excludedAttributes),
 * sent over HTTP: what the render cache serves. */
static gboolean
cacheable (RosterRequest *request)
{
  return !roster_request_is_sub (request)
         && roster_request_get_query (request, "attributes") == NULL
         && roster_request_get_query (request, "excludedAttributes") == NULL;
}

/* Opens a read transaction and empties the render cache unless the store is as it was. */
static RosterRenderCache *
begin_cached_read (RosterRequest *request, GError **error)
{
  RosterStore *store = roster_request_get_store (request);
  RosterRenderCache *cache = roster_server_get_render_cache (roster_request_get_server (request));
  RosterStoreStamp stamp;

  if (!roster_store_begin_read (store, error))
    return NULL;
  if (!roster_store_get_stamp (store, &stamp, error))
    {
      roster_store_rollback (store);
      return NULL;
    }
  roster_render_cache_validate (cache, &stamp);
  return cache;
}

/* GET /Users/{id} from the render cache, or into it. */
static void
get_cached (RosterRequest *request, const char *id)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autofree char *etag = NULL;
  RosterRenderCache *cache;
  const char *cached_etag = NULL;
  const char *if_none_match;
  gint64 version = 0;

  cache = begin_cached_read (request, &error);
  if (cache == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  json = roster_render_cache_lookup (cache, id, &cached_etag);
  if (json != NULL)
    {
      g_bytes_ref (json);
      etag = g_strdup (cached_etag);
    }
  else
    {
      g_autoptr(RosterUserRecord) record = roster_store_get_user_record (store, id, &error);
      g_autoptr(RosterProjection) projection = NULL;

      if (record == NULL)
        {
          roster_store_rollback (store);
          roster_request_respond_gerror (request, error);
          return;
        }
      projection = projection_from_query (request);
      json = render (request, record, projection);
      etag = roster_user_record_dup_etag (record);
      roster_render_cache_insert (cache, id, etag, json);
    }
  if (!roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_request_set_response_header (request, "ETag", etag);
  if_none_match = roster_request_get_header (request, "If-None-Match");
  if (if_none_match != NULL && roster_user_record_parse_etag (etag, &version)
      && etag_matches (if_none_match, version))
    {
      roster_request_respond_empty (request, 304);
      return;
    }
  roster_request_respond_json_bytes (request, 200, json);
}

/* A page of users from the render cache, reading only the ones it lacks. */
static void
search_cached (RosterRequest *request, Search *search)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = NULL;
  RosterRenderCache *cache;
  guint total = 0;

  cache = begin_cached_read (request, &error);
  if (cache == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  ids = roster_store_search_user_ids (store, &search->query, &total, &error);
  if (ids == NULL)
    goto failed;
  for (guint i = 0; i < ids->len; i++)
    {
      const char *etag = NULL;
      GBytes *json = roster_render_cache_lookup (cache, g_ptr_array_index (ids, i), &etag);

      if (json == NULL)
        g_ptr_array_add (missing, g_ptr_array_index (ids, i));
    }
  records = roster_store_get_user_records (store, missing, &error);
  if (records == NULL)
    goto failed;
  for (guint i = 0; i < records->len; i++)
    {
      RosterUserRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GBytes) json = render (request, record, search->projection);
      g_autofree char *etag = roster_user_record_dup_etag (record);

      roster_render_cache_insert (cache, record->id, etag, json);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      const char *etag = NULL;
      GBytes *json = roster_render_cache_lookup (cache, g_ptr_array_index (ids, i), &etag);

      /* Only if it was too big to keep, or the cache was emptied when it filled up. */
      if (json == NULL)
        {
          g_autoptr(RosterUserRecord) record = roster_store_get_user_record (
            store, g_ptr_array_index (ids, i), &error);

          if (record == NULL)
            goto failed;
          g_ptr_array_add (page, render (request, record, search->projection));
        }
      else
        g_ptr_array_add (page, g_bytes_ref (json));
    }
  if (!roster_store_commit (store, &error))
    goto failed;
  list = roster_scim_list_join (page, total, search->query.start_index);
  roster_request_respond_json_bytes (request, 200, list);
  return;

failed:
  roster_store_rollback (store);
  roster_request_respond_gerror (request, error);
}

static void
run_search (RosterRequest *request, Search *search)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  if (search->cacheable)
    {
      search_cached (request, search);
      return;
    }

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
  search.cacheable = cacheable (request);
  run_search (request, &search);
}

/* POST /Users/.search (RFC 7644 §3.4.3): the query parameters in a SearchRequest body. */
void
roster_users_handle_search (RosterRequest *request)
{
  g_auto(RosterSearchRequest) body = { 0 };
  g_auto(Search) search = { 0 };
  g_autoptr(GError) error = NULL;

  if (!roster_search_request_parse (&body, roster_request_get_body (request), &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  set_paging (&search.query, body.start_index, body.count);
  if (!parse_sort (body.sort_by, body.sort_order, &search.query, &error)
      || !set_filter (&search, body.filter, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  search.projection = roster_projection_new (roster_schema_user_schemas (),
                                             (const char *const *) body.attributes,
                                             (const char *const *) body.excluded_attributes);
  search.cacheable = !roster_request_is_sub (request) && body.attributes == NULL
                     && body.excluded_attributes == NULL;
  run_search (request, &search);
}

void
roster_users_handle_get (RosterRequest *request)
{
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *if_none_match;

  if (cacheable (request))
    {
      get_cached (request, roster_request_get_param (request, 0));
      return;
    }

  record = roster_store_get_user_record (roster_request_get_store (request),
                                         roster_request_get_param (request, 0), &error);
  if (record == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  /* RFC 7232 §3.2: the client's copy is current. */
  if_none_match = roster_request_get_header (request, "If-None-Match");
  if (if_none_match != NULL && etag_matches (if_none_match, record->version))
    {
      g_autofree char *etag = roster_user_record_dup_etag (record);

      roster_request_set_response_header (request, "ETag", etag);
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
      if (stored == NULL || !roster_allowance_check (store, before, stored->resource, &error)
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

/* ------------------------------------------------------------------------ delete */

/* One kind's destination in a reassignment plan. */
typedef struct
{
  gboolean given;
  char *to;         /* "user", "group" or "queue" */
  char *value;      /* the user or group id */
  char *display;    /* its name, for DeletedUsers and the audit log */
} Destination;

static void
plan_clear (Destination *plan)
{
  for (guint i = 0; i < ROSTER_RECORD_N_KINDS; i++)
    {
      g_free (plan[i].to);
      g_free (plan[i].value);
      g_free (plan[i].display);
    }
}

static gboolean G_GNUC_PRINTF (3, 4)
plan_invalid (GError **error, RosterErrorCode code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ROSTER_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

/* Reads {"clients": {"to": "user", "value": ID} | {"to": "group", "value": ID} |
 * {"to": "queue"}, "orders": …, "tasks": …}. */
static gboolean
parse_plan (JsonObject *body, Destination *plan, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &node))
    {
      int kind = roster_records_kind_from_plural (name);
      JsonObject *dest;
      const char *to, *value;

      if (g_str_equal (name, "schemas"))
        continue;
      if (kind < 0)
        return plan_invalid (error, ROSTER_ERROR_INVALID_SYNTAX,
                             _("“%s” is not part of a reassignment plan: use clients, orders "
                               "and tasks"),
                             name);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                             _("“%s” must be {\"to\": \"user\" or \"group\", \"value\": id} or "
                               "{\"to\": \"queue\"}"),
                             name);
      dest = json_node_get_object (node);
      to = json_object_get_string_member_with_default (dest, "to", NULL);
      value = json_object_get_string_member_with_default (dest, "value", NULL);
      if (to == NULL
          || (!g_str_equal (to, "user") && !g_str_equal (to, "group")
              && !g_str_equal (to, "queue"))
          || (g_str_equal (to, "queue") != (value == NULL)))
        return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                             _("“%s” must be {\"to\": \"user\" or \"group\", \"value\": id} or "
                               "{\"to\": \"queue\"}"),
                             name);
      plan[kind].given = TRUE;
      plan[kind].to = g_strdup (to);
      plan[kind].value = g_strdup (value);
    }
  return TRUE;
}

/* The destinations exist: an active user other than @id, or a group. */
static gboolean
check_destinations (RosterStore *store, const char *id, Destination *plan, GError **error)
{
  for (guint i = 0; i < ROSTER_RECORD_N_KINDS; i++)
    {
      const char *kind = roster_records_kind_plural (i);
      g_autoptr(GError) local = NULL;

      if (!plan[i].given || g_str_equal (plan[i].to, "queue"))
        continue;
      if (g_str_equal (plan[i].to, "user"))
        {
          g_autoptr(RosterUser) user = NULL;

          if (g_str_equal (plan[i].value, id))
            return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                                 _("“%s” cannot go to the user being deleted"), kind);
          user = roster_store_get_user (store, plan[i].value, &local);
          if (user == NULL && !g_error_matches (local, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (user == NULL)
            return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                                 _("“%s” goes to a user that does not exist"), kind);
          if (!roster_user_get_active (user)
              || roster_user_get_status (user) != ROSTER_USER_STATUS_ACTIVE)
            return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                                 _("“%s” goes to a user who is not active"), kind);
          plan[i].display = g_strdup (roster_user_get_user_name (user));
        }
      else
        {
          g_autoptr(RosterResourceRecord) group = roster_store_get_resource (
            store, ROSTER_RESOURCE_GROUP, plan[i].value, &local);

          if (group == NULL && !g_error_matches (local, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (group == NULL)
            return plan_invalid (error, ROSTER_ERROR_INVALID_VALUE,
                                 _("“%s” goes to a group that does not exist"), kind);
          plan[i].display = g_strdup (json_object_get_string_member_with_default (
            group->resource, "displayName", NULL));
        }
    }
  return TRUE;
}

/* Open orders and unfinished tasks need a destination; the detail counts what has none. */
static gboolean
check_unassigned (const RosterRecordCounts *counts, Destination *plan, GError **error)
{
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  guint order = 1, task = 2;

  if (!plan[order].given && counts->open[order] > 0)
    g_ptr_array_add (left, g_strdup_printf (ngettext ("%d open order", "%d open orders",
                                                      (unsigned long) counts->open[order]),
                                            (int) counts->open[order]));
  if (!plan[task].given && counts->open[task] > 0)
    g_ptr_array_add (left, g_strdup_printf (ngettext ("%d unfinished task",
                                                      "%d unfinished tasks",
                                                      (unsigned long) counts->open[task]),
                                            (int) counts->open[task]));
  if (left->len == 0)
    return TRUE;
  g_ptr_array_add (left, NULL);
  list = g_strjoinv (", ", (char **) left->pdata);
  /* Translators: %s lists what is left, e.g. "3 open orders, 1 unfinished task". */
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_RECORDS_UNASSIGNED,
               _("Choose who takes over the user’s open work first (“orders”, “tasks” in the "
                 "reassignment plan): %s"),
               list);
  return FALSE;
}

static JsonObject *
owner_object (const char *to, const char *value, const char *display)
{
  JsonObject *owner = json_object_new ();

  json_object_set_string_member (owner, "to", to);
  if (value != NULL)
    json_object_set_string_member (owner, "value", value);
  if (display != NULL)
    json_object_set_string_member (owner, "display", display);
  return owner;
}

/* Moves each kind the plan names; fills @reassigned ({"orders": {"to", "value", "display",
 * "count"}, …}) and writes one audit event per kind moved. */
static gboolean
reassign (RosterRequest *request, const char *id, const char *user_name, Destination *plan,
          JsonObject *reassigned, GError **error)
{
  RosterStore *store = roster_request_get_store (request);

  for (guint i = 0; i < ROSTER_RECORD_N_KINDS; i++)
    {
      g_autoptr(JsonObject) before = NULL;
      g_autoptr(JsonObject) after = NULL;
      JsonObject *entry;
      gint64 moved;

      if (!plan[i].given)
        continue;
      moved = roster_store_reassign_records (
        store, id, roster_records_kind_name (i),
        g_str_equal (plan[i].to, "user") ? plan[i].value : NULL,
        g_str_equal (plan[i].to, "group") ? plan[i].value : NULL, error);
      if (moved < 0)
        return FALSE;
      entry = owner_object (plan[i].to, plan[i].value, plan[i].display);
      json_object_set_int_member (entry, "count", moved);
      json_object_set_object_member (reassigned, roster_records_kind_plural (i), entry);
      if (moved == 0)
        continue;
      before = json_object_new ();
      json_object_set_object_member (before, roster_records_kind_plural (i),
                                     owner_object ("user", id, user_name));
      after = json_object_new ();
      json_object_set_object_member (after, roster_records_kind_plural (i),
                                     owner_object (plan[i].to, plan[i].value, plan[i].display));
      json_object_set_int_member (json_object_get_object_member (after,
                                                                 roster_records_kind_plural (i)),
                                  "count", moved);
      if (!roster_audit_record (request, "reassign", "Records", id, user_name, before, after,
                                error))
        return FALSE;
    }
  return TRUE;
}

/* DELETE (RFC 7644 §3.6) with the Roster reassignment plan as an optional body. The user
 * leaves /Users for DeletedUsers (restorable for restoreWindowDays); the records it owns go
 * where the plan says, the rest stay its own. Everything, audit included, is one
 * transaction. Administrators may delete themselves, unless nobody else could administer
 * the server afterwards (the store refuses that with last-administrator). */
void
roster_users_handle_delete (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) current = NULL;
  g_autoptr(JsonObject) reassigned = json_object_new ();
  g_autoptr(GError) error = NULL;
  Destination plan[ROSTER_RECORD_N_KINDS] = { { 0 } };
  RosterRecordCounts counts;
  RosterSettings settings;
  const char *user_name = NULL;
  gboolean ok;

  if (roster_request_has_body (request)
      && !parse_plan (roster_request_get_body (request), plan, &error))
    {
      plan_clear (plan);
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!roster_store_begin (store, &error))
    {
      plan_clear (plan);
      roster_request_respond_gerror (request, error);
      return;
    }
  current = roster_store_get_user_record (store, id, &error);
  if (current != NULL)
    user_name = roster_user_resource_get_string (current->resource, NULL, "userName", NULL);
  ok = current != NULL && check_if_match (request, current, &error)
       && check_admin_only (request, current->resource, current->resource, &error)
       && check_destinations (store, id, plan, &error)
       && roster_store_count_records (store, id, &counts, &error)
       && check_unassigned (&counts, plan, &error)
       && roster_store_get_settings (store, &settings, &error)
       && reassign (request, id, user_name, plan, reassigned, &error)
       && roster_store_soft_delete_user (store, id, current->version,
                                         roster_request_get_user (request),
                                         settings.restore_window_days * 86400,
                                         reassigned, &error)
       && roster_audit_record (request, "delete", "User", id, user_name, current->resource, NULL,
                               &error)
       && roster_store_commit (store, &error);
  plan_clear (plan);
  if (!ok)
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

/**
 * roster_users_record_to_node:
 *
 * Returns: (transfer full): @record as GET /Users/{id} sends it
 */
JsonNode *
roster_users_record_to_node (RosterRequest *request, RosterUserRecord *record)
{
  g_autoptr(RosterProjection) projection = roster_projection_new (roster_schema_user_schemas (), NULL, NULL);

  return present (request, record, projection);
}
