/* roster-records-handler.c: /scim/v2/Records and /scim/v2/Users/{id}/ownership
 *
 * A minimal model of what users own in the CRM (clients, orders, tasks), as far as the
 * account lifecycle needs it: to see who owns what, and to move it when a user is deleted.
 * Not SCIM resources of RFC 7643: a Roster extension (docs/protocol.md). Each kind is
 * guarded by its own permissions (clients.view, clients.manage, …).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-records.h"
#include "roster-resource-handler.h"
#include "roster-scim.h"
#include "roster-server.h"

#define DEFAULT_COUNT 50
#define MAX_COUNT 500
#define MAX_TITLE 200

static const struct
{
  const char *kind;
  const char *plural;
  const char *view;
  const char *manage;
} kinds[] = {
  { "client", "clients", "clients.view", "clients.manage" },
  { "order", "orders", "orders.view", "orders.manage" },
  { "task", "tasks", "tasks.view", "tasks.manage" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == ROSTER_RECORD_N_KINDS);

/**
 * roster_records_kind_from_plural:
 *
 * Returns: the index of "clients", "orders" or "tasks", or -1
 */
int
roster_records_kind_from_plural (const char *plural)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].plural, plural))
      return (int) i;
  return -1;
}

const char *
roster_records_kind_name (guint kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].kind;
}

const char *
roster_records_kind_plural (guint kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].plural;
}

static int
kind_index (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].kind, kind))
      return (int) i;
  return -1;
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * roster_records_present:
 * @record: as the store returns it
 *
 * Returns: (transfer full): the record as sent: schemas, id, kind, title, state, owner
 *   (with "$ref"), meta
 */
JsonObject *
roster_records_present (RosterRequest *request, JsonObject *record)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  JsonObject *meta = json_object_new ();
  const char *id = json_object_get_string_member (record, "id");
  g_autofree char *location = roster_resource_location (request, "Records", id);
  g_autofree char *created = format_time (json_object_get_int_member (record, "created"));
  g_autofree char *modified = format_time (json_object_get_int_member (record, "lastModified"));

  json_array_add_string_element (schemas, ROSTER_SCIM_SCHEMA_RECORD);
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schemas));
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "kind", json_object_get_string_member (record, "kind"));
  json_object_set_string_member (object, "title", json_object_get_string_member (record, "title"));
  json_object_set_string_member (object, "state", json_object_get_string_member (record, "state"));
  if (json_object_has_member (record, "owner"))
    {
      JsonObject *owner = json_object_get_object_member (record, "owner");
      JsonObject *copy = json_object_new ();
      gboolean user = g_str_equal (json_object_get_string_member (owner, "type"), "user");
      g_autofree char *ref = roster_resource_location (
          request, user ? "Users" : "Groups", json_object_get_string_member (owner, "value"));

      json_object_set_string_member (copy, "type", user ? "user" : "group");
      json_object_set_string_member (copy, "value", json_object_get_string_member (owner, "value"));
      json_object_set_string_member (copy, "$ref", ref);
      if (json_object_has_member (owner, "display"))
        json_object_set_string_member (copy, "display",
                                       json_object_get_string_member (owner, "display"));
      json_object_set_object_member (object, "owner", copy);
    }
  json_object_set_string_member (meta, "resourceType", "Record");
  json_object_set_string_member (meta, "created", created);
  json_object_set_string_member (meta, "lastModified", modified);
  json_object_set_string_member (meta, "location", location);
  json_object_set_object_member (object, "meta", meta);
  return g_steal_pointer (&object);
}

static gboolean
parse_paging (RosterRequest *request, guint *start_index, guint *count)
{
  const char *start_text = roster_request_get_query (request, "startIndex");
  const char *count_text = roster_request_get_query (request, "count");
  guint64 value = 0;

  *start_index = 1;
  *count = DEFAULT_COUNT;
  if (start_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (start_text, 10, 0, G_MAXINT, &value, NULL))
        goto invalid;
      *start_index = MAX ((guint) value, 1);
    }
  if (count_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (count_text, 10, 0, G_MAXINT, &value, NULL))
        goto invalid;
      *count = MIN ((guint) value, MAX_COUNT);
    }
  return TRUE;

invalid:
  roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                _("“startIndex” and “count” must be whole numbers"));
  return FALSE;
}

/**
 * roster_records_list_response:
 *
 * Returns: (transfer full): a ListResponse of @records (as the store returns them)
 */
JsonObject *
roster_records_list_response (RosterRequest *request, GPtrArray *records, guint total,
                              guint start_index)
{
  g_autoptr(JsonObject) list = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(JsonArray) resources = json_array_new ();

  json_array_add_string_element (schemas, ROSTER_SCIM_MESSAGE_LIST);
  json_object_set_array_member (list, "schemas", g_steal_pointer (&schemas));
  json_object_set_int_member (list, "totalResults", total);
  json_object_set_int_member (list, "startIndex", start_index);
  json_object_set_int_member (list, "itemsPerPage", records->len);
  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (
        resources, roster_records_present (request, g_ptr_array_index (records, i)));
  json_object_set_array_member (list, "Resources", g_steal_pointer (&resources));
  return g_steal_pointer (&list);
}

static void
respond_object (RosterRequest *request, guint status, JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  roster_request_respond_json (request, status, node);
}

/* GET /Records?kind=&state=&owner=USER|ownerGroup=GROUP|queue=true&startIndex=&count= */
void
roster_records_handle_list (RosterRequest *request)
{
  const char *kind = roster_request_get_query (request, "kind");
  const char *state = roster_request_get_query (request, "state");
  const char *queue = roster_request_get_query (request, "queue");
  const char *visible[G_N_ELEMENTS (kinds) + 1] = { NULL };
  RosterRecordQuery query = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, n_visible = 0;
  int index = kind_index (kind);

  if (kind != NULL && index < 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“kind” must be client, order or task"));
      return;
    }
  if (state != NULL && !g_str_equal (state, "open") && !g_str_equal (state, "done"))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“state” must be open or done"));
      return;
    }
  if (queue != NULL && !g_str_equal (queue, "true") && !g_str_equal (queue, "false"))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“queue” must be true or false"));
      return;
    }
  if (index >= 0 && !roster_request_has_permission (request, kinds[index].view))
    {
      roster_request_forbid (request, kinds[index].view, NULL);
      return;
    }
  for (guint i = 0; index < 0 && i < G_N_ELEMENTS (kinds); i++)
    if (roster_request_has_permission (request, kinds[i].view))
      visible[n_visible++] = kinds[i].kind;
  if (index < 0 && n_visible == 0)
    {
      roster_request_forbid (request, kinds[0].view, NULL);
      return;
    }
  if (!parse_paging (request, &query.start_index, &query.count))
    return;
  query.kind = kind;
  query.kinds = index < 0 ? visible : NULL;
  query.state = state;
  query.owner_user_id = roster_request_get_query (request, "owner");
  query.owner_group_id = roster_request_get_query (request, "ownerGroup");
  query.queue = g_strcmp0 (queue, "true") == 0;
  records
      = roster_store_search_records (roster_request_get_store (request), &query, &total, &error);
  if (records == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  list = roster_records_list_response (request, records, total, query.start_index);
  respond_object (request, 200, list);
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, message);
  return FALSE;
}

/* Checks a new record; @normalized gets what the store takes. */
static gboolean
check_record (RosterRequest *request, JsonObject *body, JsonObject **normalized, int *index,
              GError **error)
{
  static const char *const known[] = { "schemas", "kind", "title", "state", "owner", NULL };
  g_autoptr(JsonObject) record = json_object_new ();
  g_autofree char *stripped = NULL;
  JsonObjectIter iter;
  const char *name, *title, *state;
  JsonNode *node;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (known, name))
      {
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                     _("“%s” is not an attribute of a record"), name);
        return FALSE;
      }
  *index = kind_index (json_object_get_string_member_with_default (body, "kind", NULL));
  if (*index < 0)
    return invalid (error, _("“kind” must be client, order or task"));
  title = json_object_get_string_member_with_default (body, "title", NULL);
  stripped = g_strstrip (g_strdup (title != NULL ? title : ""));
  if (*stripped == '\0')
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                           _("A record needs a “title”"));
      return FALSE;
    }
  if (!g_utf8_validate (title, -1, NULL) || g_utf8_strlen (title, -1) > MAX_TITLE)
    return invalid (error, _("“title” must be at most 200 characters"));
  state = json_object_get_string_member_with_default (body, "state", "open");
  if (state == NULL || (!g_str_equal (state, "open") && !g_str_equal (state, "done")))
    return invalid (error, _("“state” must be open or done"));
  json_object_set_string_member (record, "kind", kinds[*index].kind);
  json_object_set_string_member (record, "title", title);
  json_object_set_string_member (record, "state", state);
  node = json_object_get_member (body, "owner");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *owner, *copy;
      const char *type, *value;
      g_autoptr(GError) local = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("“owner” must be {\"type\": \"user\" or \"group\", "
                                 "\"value\": id}"));
      owner = json_node_get_object (node);
      type = json_object_get_string_member_with_default (owner, "type", NULL);
      value = json_object_get_string_member_with_default (owner, "value", NULL);
      if (type == NULL || value == NULL
          || (!g_str_equal (type, "user") && !g_str_equal (type, "group")))
        return invalid (error, _("“owner” must be {\"type\": \"user\" or \"group\", "
                                 "\"value\": id}"));
      if (g_str_equal (type, "user"))
        {
          g_autoptr(RosterUser) user
                     = roster_store_get_user (roster_request_get_store (request), value, &local);

          if (user == NULL)
            {
              if (g_error_matches (local, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
                return invalid (error, _("The owner is not a user of this server"));
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
        }
      else
        {
          g_autoptr(RosterResourceRecord) group = roster_store_get_resource (
              roster_request_get_store (request), ROSTER_RESOURCE_GROUP, value, &local);

          if (group == NULL)
            {
              if (g_error_matches (local, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
                return invalid (error, _("The owner is not a group of this server"));
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
        }
      copy = json_object_new ();
      json_object_set_string_member (copy, "type", type);
      json_object_set_string_member (copy, "value", value);
      json_object_set_object_member (record, "owner", copy);
    }
  *normalized = g_steal_pointer (&record);
  return TRUE;
}

/* POST /Records: needs the kind's .manage permission. */
void
roster_records_handle_create (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) presented = NULL;
  g_autoptr(GError) error = NULL;
  int index = -1;

  if (!check_record (request, roster_request_get_body (request), &record, &index, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!roster_request_has_permission (request, kinds[index].manage))
    {
      roster_request_forbid (request, kinds[index].manage, NULL);
      return;
    }
  if (roster_store_begin (store, &error))
    {
      stored = roster_store_create_record (store, record, &error);
      if (stored == NULL
          || !roster_audit_record (
              request, "create", "Record", json_object_get_string_member (stored, "id"),
              json_object_get_string_member (stored, "title"), NULL, record, &error)
          || !roster_store_commit (store, &error))
        {
          roster_store_rollback (store);
          g_clear_pointer (&stored, json_object_unref);
        }
    }
  if (stored == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  presented = roster_records_present (request, stored);
  {
    g_autofree char *location = roster_resource_location (
        request, "Records", json_object_get_string_member (stored, "id"));

    soup_message_headers_replace (
        soup_server_message_get_response_headers (roster_request_get_message (request)), "Location",
        location);
  }
  respond_object (request, 201, presented);
}

/**
 * roster_records_counts_to_json:
 *
 * Returns: (transfer full): {"clients": {"open", "done"}, "orders": …, "tasks": …}
 */
JsonObject *
roster_records_counts_to_json (const RosterRecordCounts *counts)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      JsonObject *kind = json_object_new ();

      json_object_set_int_member (kind, "open", counts->open[i]);
      json_object_set_int_member (kind, "done", counts->done[i]);
      json_object_set_object_member (object, kinds[i].plural, kind);
    }
  return object;
}

/* GET /Users/{id}/ownership: counts per kind and state, and the open orders and unfinished
 * tasks (what a delete must give to someone), paged. */
void
roster_records_handle_ownership (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  static const char *const open_kinds[] = { "order", "task", NULL };
  RosterRecordQuery query = { .kinds = open_kinds, .owner_user_id = id, .state = "open" };
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(GError) error = NULL;
  RosterRecordCounts counts;
  guint total = 0;

  if (!parse_paging (request, &query.start_index, &query.count))
    return;
  user = roster_store_get_user (store, id, &error);
  if (user == NULL || !roster_store_count_records (store, id, &counts, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  records = roster_store_search_records (store, &query, &total, &error);
  if (records == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  json_array_add_string_element (schemas, ROSTER_SCIM_SCHEMA_OWNERSHIP);
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schemas));
  json_object_set_string_member (object, "id", id);
  json_object_set_object_member (object, "counts", roster_records_counts_to_json (&counts));
  json_object_set_object_member (
      object, "openWork",
      roster_records_list_response (request, records, total, query.start_index));
  respond_object (request, 200, object);
}
