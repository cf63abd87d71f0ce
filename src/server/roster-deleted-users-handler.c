/* roster-deleted-users-handler.c: /scim/v2/DeletedUsers (a Roster extension)
 *
 * Read-only: users deleted within the restore window, with who deleted them, when, when
 * they will be purged and what was reassigned. Few by nature (they are purged after
 * restoreWindowDays), so filters, sorting and paging run on the whole list in memory,
 * with the same SCIM filter evaluator as everywhere else.
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
#include "roster-permission.h"
#include "roster-records.h"
#include "roster-resource-handler.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-server.h"

#define DEFAULT_COUNT 100

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

/* The entry as sent; "administrator" stays internal. */
static JsonObject *
present (RosterRequest *request, JsonObject *entry)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  JsonObject *meta = json_object_new ();
  const char *id = json_object_get_string_member (entry, "id");
  g_autofree char *location = roster_resource_location (request, "DeletedUsers", id);
  g_autofree char *deleted_at = format_time (json_object_get_int_member (entry, "deletedAt"));
  g_autofree char *purge_at = format_time (json_object_get_int_member (entry, "purgeAt"));

  json_array_add_string_element (schemas, ROSTER_SCIM_SCHEMA_DELETED_USER);
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schemas));
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "userName",
                                 json_object_get_string_member (entry, "userName"));
  if (json_object_has_member (entry, "displayName"))
    json_object_set_string_member (object, "displayName",
                                   json_object_get_string_member (entry, "displayName"));
  if (json_object_has_member (entry, "name"))
    json_object_set_object_member (
        object, "name", json_object_ref (json_object_get_object_member (entry, "name")));
  json_object_set_string_member (object, "deletedAt", deleted_at);
  if (json_object_has_member (entry, "deletedBy"))
    {
      JsonObject *by = json_object_get_object_member (entry, "deletedBy");
      JsonObject *copy = json_object_new ();
      const char *value = json_object_get_string_member (by, "value");
      g_autofree char *ref = roster_resource_location (request, "Users", value);

      json_object_set_string_member (copy, "value", value);
      json_object_set_string_member (copy, "$ref", ref);
      if (json_object_has_member (by, "display"))
        json_object_set_string_member (copy, "display",
                                       json_object_get_string_member (by, "display"));
      json_object_set_object_member (object, "deletedBy", copy);
    }
  json_object_set_string_member (object, "purgeAt", purge_at);
  json_object_set_object_member (
      object, "reassigned", json_object_ref (json_object_get_object_member (entry, "reassigned")));
  json_object_set_string_member (meta, "resourceType", "DeletedUser");
  json_object_set_string_member (meta, "created", deleted_at);
  json_object_set_string_member (meta, "lastModified", deleted_at);
  json_object_set_string_member (meta, "location", location);
  json_object_set_object_member (object, "meta", meta);
  return g_steal_pointer (&object);
}

static const struct
{
  const char *name;
  RosterScimAttributeType type;
  gboolean case_exact;
  const char *sub;
} attributes[] = {
  { "id", ROSTER_SCIM_TYPE_STRING, TRUE, NULL },
  { "userName", ROSTER_SCIM_TYPE_STRING, FALSE, NULL },
  { "displayName", ROSTER_SCIM_TYPE_STRING, FALSE, NULL },
  { "name", ROSTER_SCIM_TYPE_STRING, FALSE, "givenName" },
  { "name", ROSTER_SCIM_TYPE_STRING, FALSE, "familyName" },
  { "name", ROSTER_SCIM_TYPE_STRING, FALSE, "formatted" },
  { "deletedAt", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, NULL },
  { "purgeAt", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, NULL },
  { "deletedBy", ROSTER_SCIM_TYPE_STRING, TRUE, "value" },
  { "deletedBy", ROSTER_SCIM_TYPE_STRING, FALSE, "display" },
  { "meta", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, "created" },
  { "meta", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, "lastModified" },
};

static gboolean
lookup (const RosterScimAttrPath *path, RosterScimAttributeInfo *info, gpointer user_data)
{
  if (path->schema != NULL
      && g_ascii_strcasecmp (path->schema, ROSTER_SCIM_SCHEMA_DELETED_USER) != 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    if (g_ascii_strcasecmp (path->attribute, attributes[i].name) == 0
        && ((path->sub_attribute == NULL && attributes[i].sub == NULL)
            || (path->sub_attribute != NULL && attributes[i].sub != NULL
                && g_ascii_strcasecmp (path->sub_attribute, attributes[i].sub) == 0)))
      {
        info->type = attributes[i].type;
        info->case_exact = attributes[i].case_exact;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  const char *member;
  gboolean descending;
} Sort;

static int
compare_entries (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Sort *sort = user_data;
  JsonObject *x = *(JsonObject *const *) a, *y = *(JsonObject *const *) b;
  int result;

  if (g_str_equal (sort->member, "deletedAt") || g_str_equal (sort->member, "purgeAt"))
    {
      gint64 u = json_object_get_int_member (x, sort->member);
      gint64 v = json_object_get_int_member (y, sort->member);

      result = u < v ? -1 : u > v ? 1 : 0;
    }
  else
    {
      g_autofree char *u
          = g_utf8_casefold (json_object_get_string_member_with_default (x, sort->member, ""), -1);
      g_autofree char *v
          = g_utf8_casefold (json_object_get_string_member_with_default (y, sort->member, ""), -1);

      result = g_utf8_collate (u, v);
    }
  if (result == 0)
    result
        = strcmp (json_object_get_string_member (x, "id"), json_object_get_string_member (y, "id"));
  return sort->descending ? -result : result;
}

static gboolean
parse_unsigned (const char *text, guint fallback, guint *value)
{
  guint64 parsed = 0;

  if (text == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &parsed, NULL))
    return FALSE;
  *value = (guint) parsed;
  return TRUE;
}

/* GET /DeletedUsers: filter, sortBy (userName, displayName, deletedAt, purgeAt; default
 * deletedAt, newest first), sortOrder, startIndex, count. */
void
roster_deleted_users_handle_list (RosterRequest *request)
{
  const char *filter_text = roster_request_get_query (request, "filter");
  const char *sort_by = roster_request_get_query (request, "sortBy");
  const char *sort_order = roster_request_get_query (request, "sortOrder");
  static const char *const sortable[] = { "userName", "displayName", "deletedAt", "purgeAt", NULL };
  g_autoptr(RosterScimFilter) filter = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) matching
             = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) list = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(JsonArray) resources = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Sort sort = { "deletedAt", TRUE };
  guint start_index = 1, count = DEFAULT_COUNT, shown = 0;

  if (!parse_unsigned (roster_request_get_query (request, "startIndex"), 1, &start_index)
      || !parse_unsigned (roster_request_get_query (request, "count"), DEFAULT_COUNT, &count))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“startIndex” and “count” must be whole numbers"));
      return;
    }
  start_index = MAX (start_index, 1);
  if (sort_by != NULL)
    {
      sort.member = NULL;
      for (guint i = 0; sortable[i] != NULL; i++)
        if (g_ascii_strcasecmp (sort_by, sortable[i]) == 0)
          sort.member = sortable[i];
      if (sort.member == NULL)
        {
          g_autofree char *detail = g_strdup_printf (
              _("Deleted users cannot be sorted by “%s”: use userName, displayName, deletedAt or "
              "purgeAt"),
                 sort_by);

          roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE, detail);
          return;
        }
      sort.descending = FALSE;
    }
  if (sort_order != NULL)
    {
      if (g_str_equal (sort_order, "descending"))
        sort.descending = TRUE;
      else if (g_str_equal (sort_order, "ascending"))
        sort.descending = FALSE;
      else
        {
          roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                        _("“sortOrder” must be ascending or descending"));
          return;
        }
    }
  if (filter_text != NULL && *filter_text != '\0')
    {
      filter = roster_scim_filter_parse (filter_text, &error);
      if (filter == NULL)
        {
          roster_request_respond_gerror (request, error);
          return;
        }
    }
  entries = roster_store_list_deleted_users (roster_request_get_store (request), &error);
  if (entries == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(JsonObject) presented = present (request, g_ptr_array_index (entries, i));

      if (filter != NULL)
        {
          gboolean match = roster_scim_filter_match (filter, presented, lookup, NULL, &error);

          if (error != NULL)
            {
              roster_request_respond_gerror (request, error);
              return;
            }
          if (!match)
            continue;
        }
      g_ptr_array_add (matching, json_object_ref (g_ptr_array_index (entries, i)));
    }
  g_ptr_array_sort_with_data (matching, compare_entries, &sort);
  for (guint i = start_index - 1; i < matching->len && shown < count; i++, shown++)
    json_array_add_object_element (resources, present (request, g_ptr_array_index (matching, i)));
  json_array_add_string_element (schemas, ROSTER_SCIM_MESSAGE_LIST);
  json_object_set_array_member (list, "schemas", g_steal_pointer (&schemas));
  json_object_set_int_member (list, "totalResults", matching->len);
  json_object_set_int_member (list, "startIndex", start_index);
  json_object_set_int_member (list, "itemsPerPage", shown);
  json_object_set_array_member (list, "Resources", g_steal_pointer (&resources));
  node = json_node_init_object (json_node_alloc (), list);
  roster_request_respond_json (request, 200, node);
}

static JsonObject *
find_entry (RosterRequest *request, const char *id, GError **error)
{
  g_autoptr(GPtrArray) entries
             = roster_store_list_deleted_users (roster_request_get_store (request), error);

  if (entries == NULL)
    return NULL;
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "id"), id))
        return json_object_ref (entry);
    }
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                       _("There is no deleted user with this id"));
  return NULL;
}

void
roster_deleted_users_handle_get (RosterRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) entry
             = find_entry (request, roster_request_get_param (request, 0), &error);
  g_autoptr(JsonNode) node = NULL;

  if (entry == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  {
    g_autoptr(JsonObject) presented = present (request, entry);

    node = json_node_init_object (json_node_alloc (), presented);
  }
  roster_request_respond_json (request, 200, node);
}

/* Reads the optional body {"active": true|false}. */
static gboolean
parse_restore (RosterRequest *request, gboolean *active, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  *active = FALSE;
  if (!roster_request_has_body (request))
    return TRUE;
  json_object_iter_init (&iter, roster_request_get_body (request));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_str_equal (name, "schemas"))
        continue;
      if (!g_str_equal (name, "active"))
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                       _("“%s” is not part of a restore: only “active” is"), name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                               _("“active” must be true or false"));
          return FALSE;
        }
      *active = json_node_get_boolean (node);
    }
  return TRUE;
}

/* POST /DeletedUsers/{id}/restore: the user comes back (inactive unless the body says
 * "active": true) under its id, with its roles, memberships and settings. The answer says
 * that reassignments stay as they are. */
void
roster_deleted_users_handle_restore (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *reassigned;
  gboolean active = FALSE, moved = FALSE;
  JsonObjectIter iter;
  JsonNode *member;

  if (!parse_restore (request, &active, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  entry = find_entry (request, id, &error);
  if (entry != NULL && json_object_get_boolean_member (entry, "administrator")
      && !roster_request_is_administrator (request))
    g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN,
                         _("Only administrators can restore an administrator"));
  else if (entry != NULL)
    record = roster_store_restore_user (store, id, active, NULL, &error);
  if (record == NULL || !roster_allowance_check (store, NULL, record->resource, &error)
      || !roster_audit_record (request, "restore", "User", id,
                               json_object_get_string_member (entry, "userName"), NULL,
                               record->resource, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Restored user %s", id);

  reassigned = json_object_get_object_member (entry, "reassigned");
  json_object_iter_init (&iter, reassigned);
  while (json_object_iter_next (&iter, NULL, &member))
    if (json_object_get_int_member_with_default (json_node_get_object (member), "count", 0) > 0)
      moved = TRUE;
  json_array_add_string_element (schemas, ROSTER_SCIM_MESSAGE_RESTORED);
  json_object_set_array_member (answer, "schemas", g_steal_pointer (&schemas));
  json_object_set_member (answer, "user", roster_users_record_to_node (request, record));
  json_object_set_object_member (answer, "reassigned", json_object_ref (reassigned));
  json_object_set_boolean_member (answer, "reassignmentsUndone", FALSE);
  json_object_set_string_member (
      answer, "detail",
      moved ? _("The user is back. The records given to others when the user was deleted stay "
              "with them: reassign them by hand if needed.")
            : _("The user is back."));
  node = json_node_init_object (json_node_alloc (), answer);
  {
    g_autofree char *location = roster_resource_location (request, "Users", id);

    soup_message_headers_replace (
        soup_server_message_get_response_headers (roster_request_get_message (request)), "Location",
        location);
  }
  roster_request_respond_json (request, 200, node);
}
