/* roster-sqlite-store-audit.c: RosterSqliteStore's audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-reference.h"
#include "roster-schema.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-sqlite-store-private.h"

#define AUDIT_COLUMNS                                                                              \
  "a.id, a.time, a.actor_id, a.actor_name, a.action, a.target_type, a.target_id, "                \
  "a.target_name, a.changes"

static gboolean
append_audit_locked (RosterSqliteStore *self, RosterAuditEntry *event, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self,
    "INSERT INTO audit_events (id, time, actor_id, actor_name, action, target_type, target_id,"
    "  target_name, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    error);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *changes = NULL;

  if (s == NULL)
    return FALSE;
  if (event->changes != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), event->changes);

      changes = roster_json_to_string (node, NULL);
    }
  roster_db_bind_text (s, 1, id);
  roster_db_bind_int64 (s, 2, event->time);
  roster_db_bind_text (s, 3, event->actor_id);
  roster_db_bind_text (s, 4, event->actor_name);
  roster_db_bind_text (s, 5, event->action);
  roster_db_bind_text (s, 6, event->target_type);
  roster_db_bind_text (s, 7, event->target_id);
  roster_db_bind_text (s, 8, event->target_name);
  roster_db_bind_text (s, 9, changes != NULL ? changes : "[]");
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "append audit event");
  g_free (event->id);
  event->id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
roster_sqlite_store_append_audit (RosterStore *store, RosterAuditEntry *event, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  if (!append_audit_locked (self, event, error) || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static char *
dup_column (RosterDbStmt *s, int column)
{
  return g_strdup (roster_db_column_text (s, column));
}

static RosterAuditEntry *
event_from_row (RosterSqliteStore *self, RosterDbStmt *s, GError **error)
{
  g_autoptr(RosterAuditEntry) event = g_new0 (RosterAuditEntry, 1);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *changes = roster_db_column_text (s, 8);
  JsonNode *root;

  event->id = dup_column (s, 0);
  event->time = roster_db_column_int64 (s, 1);
  event->actor_id = dup_column (s, 2);
  event->actor_name = dup_column (s, 3);
  event->action = dup_column (s, 4);
  event->target_type = dup_column (s, 5);
  event->target_id = dup_column (s, 6);
  event->target_name = dup_column (s, 7);
  if (!json_parser_load_from_data (parser, changes != NULL ? changes : "[]", -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      roster_sqlite_store_fail (self, error, "read audit event changes");
      return NULL;
    }
  event->changes = json_array_ref (json_node_get_array (root));
  return g_steal_pointer (&event);
}

/* Maps filter paths of the AuditEvent schema onto "audit_events a". Identifiers are compared
 * exactly (so the indexes serve them); names without regard to case. */
static gboolean
sql_mapper (const RosterScimAttrPath *path, RosterScimSqlColumn *column, gpointer user_data)
{
  static const struct
  {
    const char *name;
    const char *column;
    gboolean case_exact;
  } strings[] = {
    { "id", "a.id", TRUE },
    { "action", "a.action", TRUE },
    { "actor.value", "a.actor_id", TRUE },
    { "actor.display", "a.actor_name", FALSE },
    { "target.type", "a.target_type", TRUE },
    { "target.value", "a.target_id", TRUE },
    { "target.display", "a.target_name", FALSE },
  };
  const char *core = ROSTER_SCIM_SCHEMA_AUDIT_EVENT;

  if (roster_scim_attr_path_is (path, core, "time")
      || roster_scim_attr_path_is (path, core, "meta.created"))
    {
      column->type = ROSTER_SCIM_TYPE_DATE_TIME;
      column->column = roster_sqlite_store_is_postgres (user_data) ? "roster_date (a.time)"
                                                                   : "datetime (a.time, 'unixepoch')";
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (roster_scim_attr_path_is (path, core, strings[i].name))
      {
        column->column = strings[i].column;
        column->case_exact = strings[i].case_exact;
        return TRUE;
      }
  return FALSE;
}

static GPtrArray *
search_audit_locked (RosterSqliteStore *self, const RosterAuditQuery *query,
                     guint *total_results, GError **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_audit_entry_free);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *order = roster_sqlite_store_sort_order (self, query->descending);
  RosterDbStmt *s;
  int rc;

  if (query->filter != NULL)
    {
      params = roster_scim_sql_params_new ();
      if (!roster_scim_filter_to_sql (query->filter, roster_sqlite_store_sql_dialect (self), sql_mapper, self, where, params, error))
        return NULL;
    }
  /* The columns are fixed strings; the filter's values are parameters. */
  count_sql = g_strdup_printf ("SELECT count(*) FROM audit_events a%s%s",
                               where->len ? " WHERE " : "", where->str);
  s = roster_sqlite_store_query (self, count_sql, params, error);
  if (s == NULL)
    return NULL;
  if (roster_db_step (s) != ROSTER_DB_ROW)
    {
      roster_db_stmt_reset (s);
      roster_sqlite_store_fail (self, error, "count audit events");
      return NULL;
    }
  *total_results = (guint) CLAMP (roster_db_column_int64 (s, 0), 0, G_MAXUINT);
  roster_db_stmt_reset (s);
  if (query->count == 0 || *total_results < query->start_index)
    return g_steal_pointer (&events);

  /* seq breaks ties in the order of appending, so pages never overlap. */
  if (query->sort == ROSTER_AUDIT_SORT_ACTION)
    page_sql = g_strdup_printf ("SELECT " AUDIT_COLUMNS " FROM audit_events a%s%s "
                                "ORDER BY a.action %s, a.time %s, a.seq %s LIMIT %u OFFSET %u",
                                where->len ? " WHERE " : "", where->str, order, order, order,
                                query->count, query->start_index - 1);
  else
    page_sql = g_strdup_printf ("SELECT " AUDIT_COLUMNS " FROM audit_events a%s%s "
                                "ORDER BY a.time %s, a.seq %s LIMIT %u OFFSET %u",
                                where->len ? " WHERE " : "", where->str, order, order,
                                query->count, query->start_index - 1);
  s = roster_sqlite_store_query (self, page_sql, params, error);
  if (s == NULL)
    return NULL;
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    {
      RosterAuditEntry *event = event_from_row (self, s, error);

      if (event == NULL)
        {
          roster_db_stmt_reset (s);
          return NULL;
        }
      g_ptr_array_add (events, event);
    }
  roster_db_stmt_reset (s);
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "search audit events");
      return NULL;
    }
  return g_steal_pointer (&events);
}

static GPtrArray *
roster_sqlite_store_search_audit (RosterStore *store, const RosterAuditQuery *query,
                                  guint *total_results, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) events = NULL;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  events = search_audit_locked (self, query, total_results, error);
  if (events == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&events);
}

static RosterAuditEntry *
get_audit_locked (RosterSqliteStore *self, const char *id, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self, "SELECT " AUDIT_COLUMNS " FROM audit_events a WHERE a.id = ?1", error);
  int rc;

  if (s == NULL)
    return NULL;
  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("There is no audit event with this id"));
      return NULL;
    }
  if (rc != ROSTER_DB_ROW)
    {
      roster_sqlite_store_fail (self, error, "get audit event");
      return NULL;
    }
  return event_from_row (self, s, error);
}

static RosterAuditEntry *
roster_sqlite_store_get_audit (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterAuditEntry) event = NULL;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  event = get_audit_locked (self, id, error);
  if (event == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&event);
}

/* The same condition as the sweep's UPDATE (STMT_LOCK_INACTIVE). */
static GPtrArray *
list_inactive_locked (RosterSqliteStore *self, gint64 cutoff, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self,
    ROSTER_SQL (self,
                "SELECT id, user_name FROM users WHERE status = 'active' AND active = 1 AND "
                INACTIVE_SINCE " < ?1 ORDER BY id",
                "SELECT id, user_name FROM users WHERE status = 'active' AND active = 1 AND "
                INACTIVE_SINCE_POSTGRES " < ?1 ORDER BY id"),
    error);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_reference_free);
  int rc;

  if (s == NULL)
    return NULL;
  roster_db_bind_int64 (s, 1, cutoff);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    g_ptr_array_add (users, roster_reference_new (roster_db_column_text (s, 0),
                                                  roster_db_column_text (s, 1)));
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "list inactive users");
      return NULL;
    }
  return g_steal_pointer (&users);
}

static GPtrArray *
roster_sqlite_store_list_inactive_users (RosterStore *store, gint64 cutoff, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) users = NULL;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  users = list_inactive_locked (self, cutoff, error);
  if (users == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&users);
}

void
roster_sqlite_store_audit_iface_init (RosterStoreInterface *iface)
{
  iface->append_audit = roster_sqlite_store_append_audit;
  iface->search_audit = roster_sqlite_store_search_audit;
  iface->get_audit = roster_sqlite_store_get_audit;
  iface->list_inactive_users = roster_sqlite_store_list_inactive_users;
}
