/* roster-sqlite-store-audit.c: RosterSqliteStore's audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-scim.h"
#include "roster-sqlite-store-private.h"

static void
bind_text (sqlite3_stmt *s, int index, const char *value)
{
  sqlite3_bind_text (s, index, value, -1, SQLITE_TRANSIENT);
}

static gboolean
append_audit_locked (RosterSqliteStore *self, RosterAuditEvent *event, GError **error)
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
  bind_text (s, 1, id);
  sqlite3_bind_int64 (s, 2, event->time);
  bind_text (s, 3, event->actor_id);
  bind_text (s, 4, event->actor_name);
  bind_text (s, 5, event->action);
  bind_text (s, 6, event->target_type);
  bind_text (s, 7, event->target_id);
  bind_text (s, 8, event->target_name);
  bind_text (s, 9, changes != NULL ? changes : "[]");
  if (sqlite3_step (s) != SQLITE_DONE)
    return roster_sqlite_store_fail (self, error, "append audit event");
  g_free (event->id);
  event->id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
roster_sqlite_store_append_audit (RosterStore *store, RosterAuditEvent *event, GError **error)
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

void
roster_sqlite_store_audit_iface_init (RosterStoreInterface *iface)
{
  iface->append_audit = roster_sqlite_store_append_audit;
}
