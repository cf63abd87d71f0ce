/* roster-sqlite-store-totp.c: RosterSqliteStore's TOTP secrets (two-factor sign-in)
 *
 * The secrets live in columns of users that no resource, list or log ever reads; the
 * resource only says twoFactorEnabled. They are sealed (roster-secret-box.c, the user's id
 * as associated data): the store seals what it is given and opens what it hands out, and
 * at every start seals any it finds in the clear (from before session 8). totp_last_step
 * only ever grows, in one UPDATE, so no code is accepted twice even by two sign-ins at
 * once.
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
#define TWO_FACTOR_PATH_POSTGRES "ARRAY['" ROSTER_SCIM_SCHEMA_ROSTER_USER "', 'twoFactorEnabled']"

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
  roster_db_bind_text (s, 1, user_id);
  roster_db_bind_text (s, 2, text);
  roster_db_bind_int64 (s, 3, number);
  roster_db_bind_int64 (s, 4, roster_clock_now ());
  if (roster_db_step (s) != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "update TOTP");
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  *changed = roster_db_changes (roster_sqlite_store_db (self));
  g_clear_pointer (&s, roster_db_stmt_reset);
  if (!roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Column @i of @s, opened; NULL stays NULL. A damaged value or another key file is an error
 * (logged without the value), never a secret taken as it is. */
static gboolean
open_column (RosterSqliteStore *self, RosterDbStmt *s, int i, const char *user_id, char **out,
             GError **error)
{
  const char *stored = roster_db_column_text (s, i);
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (stored == NULL)
    return TRUE;
  *out = roster_secret_box_open (roster_sqlite_store_get_secrets (self), stored, user_id,
                                 &local_error);
  if (*out != NULL)
    return TRUE;
  g_warning ("The two-factor secret of user %s cannot be opened: %s", user_id,
             local_error->message);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
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
  roster_db_bind_text (s, 1, user_id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    {
      if (!open_column (self, s, 0, user_id, &state->secret, error)
          || !open_column (self, s, 1, user_id, &state->pending, error))
        rc = ROSTER_DB_ERROR;
      state->last_step = roster_db_column_int64 (s, 2);
    }
  else if (rc != ROSTER_DB_DONE)
    roster_sqlite_store_fail (self, error, "get TOTP");
  g_clear_pointer (&s, roster_db_stmt_reset);
  if (rc != ROSTER_DB_ROW || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      roster_totp_state_clear (state);
      return rc == ROSTER_DB_DONE ? not_found (error) : FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_set_totp_pending (RosterStore *store, const char *user_id,
                                      const char *secret, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autofree char *sealed = NULL;
  gint changed = 0;

  if (secret != NULL)
    sealed = roster_secret_box_seal (roster_sqlite_store_get_secrets (self), secret, user_id);
  if (!update_user (self, "UPDATE users SET totp_pending = ?2 WHERE id = ?1", user_id, sealed,
                    0, &changed, error))
    return FALSE;
  return changed > 0 || not_found (error);
}

static gboolean
roster_sqlite_store_enable_totp (RosterStore *store, const char *user_id, gint64 step,
                                 GError **error)
{
  gint changed = 0;

  if (!update_user (ROSTER_SQLITE_STORE (store),
                    ROSTER_SQL (ROSTER_SQLITE_STORE (store),
                                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL,"
                                " totp_last_step = ?3, resource = json_set (resource, "
                                TWO_FACTOR_PATH ", json ('true')), version = version + 1,"
                                " last_modified = ?4 WHERE id = ?1 AND totp_pending IS NOT NULL",
                                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL,"
                                " totp_last_step = ?3, resource = roster_json_set (resource, "
                                TWO_FACTOR_PATH_POSTGRES ", 'true'), version = version + 1,"
                                " last_modified = ?4 WHERE id = ?1 AND totp_pending IS NOT NULL"),
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
                    ROSTER_SQL (ROSTER_SQLITE_STORE (store),
                                "UPDATE users SET totp_secret = NULL, totp_pending = NULL,"
                                " totp_last_step = 0, resource = json_set (resource, "
                                TWO_FACTOR_PATH ", json ('false')),"
                                " version = version + 1, last_modified = ?4 WHERE id = ?1",
                                "UPDATE users SET totp_secret = NULL, totp_pending = NULL,"
                                " totp_last_step = 0, resource = roster_json_set (resource, "
                                TWO_FACTOR_PATH_POSTGRES ", 'false'),"
                                " version = version + 1, last_modified = ?4 WHERE id = ?1"),
                    user_id, NULL, 0, &changed, error))
    return FALSE;
  return changed > 0 || not_found (error);
}

/* Seals the secrets a rosterd before session 8 stored in the clear, in one transaction. */
gboolean
roster_sqlite_store_seal_totp (RosterSqliteStore *self, GError **error)
{
  RosterSecretBox *secrets = roster_sqlite_store_get_secrets (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free); /* id, secret, pending */
  static const char *const sql[] = {
    "UPDATE users SET totp_secret = ?2 WHERE id = ?1",
    "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
  };

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      /* The first term is users_totp's: the partial index serves the query (migration 14). */
      "SELECT id, totp_secret, totp_pending FROM users "
      "WHERE (totp_secret IS NOT NULL OR totp_pending IS NOT NULL) "
      "AND (substr (totp_secret, 1, 5) IS DISTINCT FROM '" ROSTER_SECRET_BOX_PREFIX "' "
      "AND totp_secret IS NOT NULL OR substr (totp_pending, 1, 5) IS DISTINCT FROM '"
      ROSTER_SECRET_BOX_PREFIX "' AND totp_pending IS NOT NULL)",
      error);
    int rc = ROSTER_DB_ERROR;

    while (s != NULL && (rc = roster_db_step (s)) == ROSTER_DB_ROW)
      for (int i = 0; i < 3; i++)
        g_ptr_array_add (rows, g_strdup (roster_db_column_text (s, i)));
    if (s != NULL && rc != ROSTER_DB_DONE)
      roster_sqlite_store_fail (self, error, "find clear TOTP secrets");
    if (rc != ROSTER_DB_DONE)
      {
        roster_sqlite_store_rollback (self);
        return FALSE;
      }
  }
  for (guint r = 0; r < rows->len; r += 3)
    for (guint column = 0; column < 2; column++)
      {
        const char *id = g_ptr_array_index (rows, r);
        const char *value = g_ptr_array_index (rows, r + 1 + column);
        g_autofree char *sealed = NULL;
        g_autoptr(RosterStmt) s = NULL;

        if (value == NULL || roster_secret_box_is_sealed (value))
          continue;
        sealed = roster_secret_box_seal (secrets, value, id);
        s = roster_sqlite_store_cached (self, sql[column], error);
        if (s == NULL)
          {
            roster_sqlite_store_rollback (self);
            return FALSE;
          }
        roster_db_bind_text (s, 1, id);
        roster_db_bind_text (s, 2, sealed);
        if (roster_db_step (s) != ROSTER_DB_DONE)
          {
            roster_sqlite_store_fail (self, error, "seal TOTP secret");
            g_clear_pointer (&s, roster_db_stmt_reset);
            roster_sqlite_store_rollback (self);
            return FALSE;
          }
      }
  if (!roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  if (rows->len > 0)
    g_message ("Sealed the two-factor secrets of %u users", rows->len / 3);
  return TRUE;
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
