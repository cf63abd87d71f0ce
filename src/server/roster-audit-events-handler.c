/* roster-audit-events-handler.c: GET /scim/v2/AuditEvents, /AuditEvents/{id} and
 * POST /AuditEvents/.search
 *
 * The audit log as a read-only SCIM resource type (schema
 * urn:roster:params:scim:schemas:core:2.0:AuditEvent). Lists take filter (compiled to SQL
 * with bound parameters), sortBy (time or action), sortOrder, startIndex, count, attributes
 * and excludedAttributes. Without sortBy the newest event comes first; with one the order is
 * ascending unless sortOrder says otherwise (RFC 7644 §3.4.2.3). Writes have no route: the
 * router answers 405.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-handlers.h"
#include "roster-projection.h"
#include "roster-resource-handler.h"
#include "roster-schema.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-server.h"


static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

/* Where the target lives, if it is something this server serves. */
static char *
target_location (RosterRequest *request, const char *type, const char *id)
{
  static const struct
  {
    const char *type;
    const char *path;
  } paths[] = { { "User", "Users" }, { "Group", "Groups" }, { "Role", "Roles" } };

  if (g_strcmp0 (type, "Settings") == 0)
    return g_strconcat (roster_server_get_base_url (roster_request_get_server (request)),
                        "/scim/v2/Settings", NULL);
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (paths); i++)
    if (g_strcmp0 (type, paths[i].type) == 0)
      return roster_resource_location (request, paths[i].path, id);
  return NULL;
}

static JsonObject *
event_to_object (RosterRequest *request, RosterAuditEntry *event)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(JsonObject) target = json_object_new ();
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *time = format_time (event->time);
  g_autofree char *location = roster_resource_location (request, "AuditEvents", event->id);
  g_autofree char *target_ref = target_location (request, event->target_type,
                                                 event->target_id);

  json_array_add_string_element (schemas, ROSTER_SCIM_SCHEMA_AUDIT_EVENT);
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schemas));
  json_object_set_string_member (object, "id", event->id);
  json_object_set_string_member (object, "time", time);
  if (event->actor_id != NULL)
    {
      g_autoptr(JsonObject) actor = json_object_new ();
      g_autofree char *ref = roster_resource_location (request, "Users", event->actor_id);

      json_object_set_string_member (actor, "value", event->actor_id);
      if (event->actor_name != NULL)
        json_object_set_string_member (actor, "display", event->actor_name);
      json_object_set_string_member (actor, "$ref", ref);
      json_object_set_object_member (object, "actor", g_steal_pointer (&actor));
    }
  json_object_set_string_member (object, "action", event->action);
  json_object_set_string_member (target, "type", event->target_type);
  if (event->target_id != NULL)
    json_object_set_string_member (target, "value", event->target_id);
  if (event->target_name != NULL)
    json_object_set_string_member (target, "display", event->target_name);
  if (target_ref != NULL)
    json_object_set_string_member (target, "$ref", target_ref);
  json_object_set_object_member (object, "target", g_steal_pointer (&target));
  if (event->changes != NULL && json_array_get_length (event->changes) > 0)
    json_object_set_array_member (object, "changes", json_array_ref (event->changes));
  json_object_set_string_member (meta, "resourceType", "AuditEvent");
  json_object_set_string_member (meta, "created", time);
  json_object_set_string_member (meta, "lastModified", time);
  json_object_set_string_member (meta, "location", location);
  /* Events never change: one version each. */
  json_object_set_string_member (meta, "version", "W/\"1\"");
  json_object_set_object_member (object, "meta", g_steal_pointer (&meta));
  return g_steal_pointer (&object);
}

static JsonNode *
present (RosterRequest *request, RosterAuditEntry *event, RosterProjection *projection)
{
  g_autoptr(JsonObject) full = event_to_object (request, event);
  g_autoptr(JsonObject) projected = roster_projection_apply (projection, full);

  return json_node_init_object (json_node_alloc (), projected);
}

typedef struct
{
  RosterAuditQuery query;
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

static gboolean
parse_sort (const char *sort_by, const char *sort_order, RosterAuditQuery *query,
            GError **error)
{
  const char *prefix = ROSTER_SCIM_SCHEMA_AUDIT_EVENT ":";

  query->sort = ROSTER_AUDIT_SORT_TIME;
  query->descending = TRUE;
  if (sort_by != NULL && *sort_by != '\0')
    {
      if (g_ascii_strncasecmp (sort_by, prefix, strlen (prefix)) == 0)
        sort_by += strlen (prefix);
      if (g_ascii_strcasecmp (sort_by, "time") == 0
          || g_ascii_strcasecmp (sort_by, "meta.created") == 0)
        query->sort = ROSTER_AUDIT_SORT_TIME;
      else if (g_ascii_strcasecmp (sort_by, "action") == 0)
        query->sort = ROSTER_AUDIT_SORT_ACTION;
      else
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("Audit events cannot be sorted by “%s”; use time or action"),
                       sort_by);
          return FALSE;
        }
      query->descending = FALSE;
    }
  if (sort_order == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (sort_order, "ascending") == 0)
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
set_paging (RosterAuditQuery *query, gint64 start_index, gint64 count)
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

static gint64
query_integer (RosterRequest *request, const char *name, gint64 default_value)
{
  const char *str = roster_request_get_query (request, name);
  gint64 value;

  if (str == NULL || !g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return default_value;
  return value;
}

/* "attributes" and "excludedAttributes", comma-separated. */
static RosterProjection *
projection_from_query (RosterRequest *request)
{
  const char *a = roster_request_get_query (request, "attributes");
  const char *e = roster_request_get_query (request, "excludedAttributes");
  g_auto(GStrv) attributes = a != NULL ? g_strsplit (a, ",", -1) : NULL;
  g_auto(GStrv) excluded = e != NULL ? g_strsplit (e, ",", -1) : NULL;

  return roster_projection_new (roster_schema_audit_event_schemas (),
                                (const char *const *) attributes,
                                (const char *const *) excluded);
}

static void
run_search (RosterRequest *request, Search *search)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  events = roster_store_search_audit (roster_request_get_store (request), &search->query,
                                      &total, &error);
  if (events == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (resources,
                     present (request, g_ptr_array_index (events, i), search->projection));
  list = roster_scim_list_new (resources, total, search->query.start_index);
  roster_request_respond_json (request, 200, list);
}

void
roster_audit_events_handle_list (RosterRequest *request)
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

/* POST /AuditEvents/.search (RFC 7644 §3.4.3) */
void
roster_audit_events_handle_search (RosterRequest *request)
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
  search.projection = roster_projection_new (roster_schema_audit_event_schemas (),
                                             (const char *const *) body.attributes,
                                             (const char *const *) body.excluded_attributes);
  run_search (request, &search);
}

void
roster_audit_events_handle_get (RosterRequest *request)
{
  g_autoptr(RosterAuditEntry) event = NULL;
  g_autoptr(RosterProjection) projection = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  event = roster_store_get_audit (roster_request_get_store (request),
                                  roster_request_get_param (request, 0), &error);
  if (event == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  projection = projection_from_query (request);
  /* Events never change: every one is at its first version. */
  roster_request_set_response_header (request, "ETag", "W/\"1\"");
  node = present (request, event, projection);
  roster_request_respond_json (request, 200, node);
}
