/* roster-sqlite-store-totp.c: RosterSqliteStore's TOTP secrets (two-factor sign-in)
 *
 * The secrets live in columns of users that no resource, list or log ever reads; the
 * resource only says twoFactorEnabled. totp_last_step only ever grows, in one UPDATE, so
 * no code is accepted twice even by two sign-ins at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-clock.h"
#include "roster-scim.h"
#include "roster-sqlite-store-private.h"

#define TWO_FACTOR_PATH "'$.\"" ROSTER_SCIM_SCHEMA_ROSTER_USER "\".twoFactorEnabled'"

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                       _("There is no user with this id"));
  return FALSE;
}

/* Runs @sql with ?1 the user id, ?2 @text, ?3 @number and ?4 now (a statement may leave
 * any of them out: binding one it does not use is harmless), and counts the rows changed. */
static gboolean
update_user (RosterSqliteStore *self, const char *sql, const char *user_id, const char *text,
             gint64 number, gint *changed, GError **error)
{
  g_autoptr(RosterStmt) s = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  s = roster_sqlite_store_cached (self, sql, error);
  if (s == NULL)
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (s, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 3, number);
  sqlite3_bind_int64 (s, 4, roster_clock_now ());
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      roster_sqlite_store_fail (self, error, "update TOTP");
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  *changed = sqlite3_changes (roster_sqlite_store_db (self));
  g_clear_pointer (&s, roster_stmt_release);
  if (!roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_get_totp (RosterStore *store, const char *user_id, RosterTotpState *state,
                              GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = NULL;
  int rc;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return FALSE;
  s = roster_sqlite_store_cached (
    self, "SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = ?1", error);
  if (s == NULL)
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (s, 1, user_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      state->secret = g_strdup ((const char *) sqlite3_column_text (s, 0));
      state->pending = g_strdup ((const char *) sqlite3_column_text (s, 1));
      state->last_step = sqlite3_column_int64 (s, 2);
    }
  else if (rc != SQLITE_DONE)
    roster_sqlite_store_fail (self, error, "get TOTP");
  g_clear_pointer (&s, roster_stmt_release);
  if (rc != SQLITE_ROW || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return rc == SQLITE_DONE ? not_found (error) : FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_set_totp_pending (RosterStore *store, const char *user_id,
                                      const char *secret, GError **error)
{
  gint changed = 0;

  if (!update_user (ROSTER_SQLITE_STORE (store),
                    "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
                    user_id, secret, 0, &changed, error))
    return FALSE;
  return changed > 0 || not_found (error);
}

static gboolean
roster_sqlite_store_enable_totp (RosterStore *store, const char *user_id, gint64 step,
                                 GError **error)
{
  gint changed = 0;

  if (!update_user (ROSTER_SQLITE_STORE (store),
                    "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL,"
                    " totp_last_step = ?3, resource = json_set (resource, " TWO_FACTOR_PATH
                    ", json ('true')), version = version + 1, last_modified = ?4"
                    " WHERE id = ?1 AND totp_pending IS NOT NULL",
                    user_id, NULL, step, &changed, error))
    return FALSE;
  return changed > 0 || not_found (error);
}

static gboolean
roster_sqlite_store_use_totp_step (RosterStore *store, const char *user_id, gint64 step,
                                   gboolean *used, GError **error)
{
  gint changed = 0;

  if (!update_user (ROSTER_SQLITE_STORE (store),
                    "UPDATE users SET totp_last_step = ?3 WHERE id = ?1 AND totp_last_step < ?3",
                    user_id, NULL, step, &changed, error))
    return FALSE;
  *used = changed > 0;
  return TRUE;
}

static gboolean
roster_sqlite_store_reset_totp (RosterStore *store, const char *user_id, GError **error)
{
  gint changed = 0;

  if (!update_user (ROSTER_SQLITE_STORE (store),
                    "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0,"
                    " resource = json_set (resource, " TWO_FACTOR_PATH ", json ('false')),"
                    " version = version + 1, last_modified = ?4"
                    " WHERE id = ?1",
                    user_id, NULL, 0, &changed, error))
    return FALSE;
  return changed > 0 || not_found (error);
}

void
roster_sqlite_store_totp_iface_init (RosterStoreInterface *iface)
{
  iface->get_totp = roster_sqlite_store_get_totp;
  iface->set_totp_pending = roster_sqlite_store_set_totp_pending;
  iface->enable_totp = roster_sqlite_store_enable_totp;
  iface->use_totp_step = roster_sqlite_store_use_totp_step;
  iface->reset_totp = roster_sqlite_store_reset_totp;
}
