/* roster-sqlite-store-mail.c: RosterSqliteStore's e-mail outbox and activation links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-error.h"
#include "roster-sqlite-store-private.h"

/* Runs one prepared write in its own (nested) transaction. */
static gboolean
step_write (RosterSqliteStore *self, RosterStmt *s, const char *what, GError **error)
{
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, what);
  return TRUE;
}

static gboolean
roster_sqlite_store_enqueue_mail (RosterStore *store, RosterOutboxMail *mail, gint64 now,
                                  GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  s = roster_sqlite_store_cached (
    self,
    "INSERT INTO mail_outbox (id, kind, user_id, recipient, message, created, next_attempt)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    error);
  if (s == NULL)
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  roster_db_bind_text (s, 1, mail->id);
  roster_db_bind_text (s, 2, mail->kind);
  roster_db_bind_text (s, 3, mail->user_id);
  roster_db_bind_text (s, 4, mail->recipient);
  roster_db_bind_text (s, 5, mail->message);
  roster_db_bind_int64 (s, 6, now);
  if (!step_write (self, s, "enqueue mail", error) || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  mail->next_attempt = now;
  return TRUE;
}

/* How long a message handed to one rosterd is left to it: long enough for any delivery
 * attempt (the sender's transfers time out well before), short enough that a rosterd that
 * died mid-delivery delays the message only this much. */
#define MAIL_LEASE_SECONDS 600

/* Claims the oldest due message: its next attempt moves a lease ahead, so that the other
 * rosterd of the database (another worker, another host) do not send it too. Sent or
 * failed, the sender then records what happened. */
static RosterOutboxMail *
roster_sqlite_store_next_mail (RosterStore *store, gint64 now, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = NULL;
  RosterOutboxMail *mail = NULL;
  int rc;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  s = roster_sqlite_store_cached (
    self,
    "UPDATE mail_outbox SET next_attempt = ?2 WHERE id = (SELECT id FROM mail_outbox"
    "  WHERE sent IS NULL AND next_attempt <= ?1 ORDER BY next_attempt, seq LIMIT 1)"
    " RETURNING id, kind, user_id, recipient, message, attempts",
    error);
  if (s == NULL)
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  roster_db_bind_int64 (s, 1, now);
  roster_db_bind_int64 (s, 2, now + MAIL_LEASE_SECONDS);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    {
      mail = roster_outbox_mail_new (
        roster_db_column_text (s, 0), roster_db_column_text (s, 1),
        roster_db_column_text (s, 2), roster_db_column_text (s, 3),
        roster_db_column_text (s, 4));
      mail->attempts = roster_db_column_int64 (s, 5);
      mail->next_attempt = now + MAIL_LEASE_SECONDS;
      rc = roster_db_step (s);
    }
  g_clear_pointer (&s, roster_db_stmt_reset);
  if (rc != ROSTER_DB_DONE || !roster_sqlite_store_commit (self, error))
    {
      if (rc != ROSTER_DB_DONE)
        roster_sqlite_store_fail (self, error, "next mail");
      roster_sqlite_store_rollback (self);
      g_clear_pointer (&mail, roster_outbox_mail_free);
      return NULL;
    }
  return mail;
}

static gboolean
write_one (RosterSqliteStore *self, const char *sql, const char *what, const char *id,
           gint64 number, const char *text, gboolean need_change, GError **error)
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
  roster_db_bind_text (s, 1, id);
  roster_db_bind_int64 (s, 2, number);
  if (text != NULL)
    roster_db_bind_text (s, 3, text);
  if (!step_write (self, s, what, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  if (need_change && roster_db_changes (roster_sqlite_store_db (self)) == 0)
    {
      roster_sqlite_store_rollback (self);
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("This link has already been used or does not exist"));
      return FALSE;
    }
  if (!roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_mail_sent (RosterStore *store, const char *id, gint64 now, GError **error)
{
  return write_one (ROSTER_SQLITE_STORE (store),
                    "UPDATE mail_outbox SET sent = ?2, message = NULL, last_error = NULL"
                    "  WHERE id = ?1 AND sent IS NULL",
                    "mark mail sent", id, now, NULL, FALSE, error);
}

static gboolean
roster_sqlite_store_mail_failed (RosterStore *store, const char *id, gint64 next_attempt,
                                 const char *reason, GError **error)
{
  return write_one (ROSTER_SQLITE_STORE (store),
                    "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt = ?2,"
                    "  last_error = ?3 WHERE id = ?1 AND sent IS NULL",
                    "mark mail failed", id, next_attempt, reason != NULL ? reason : "", FALSE,
                    error);
}

static gboolean
roster_sqlite_store_create_activation_link (RosterStore *store, const char *token_hash,
                                            const char *user_id, gint64 now, gint64 expires,
                                            GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) spend = NULL;
  g_autoptr(RosterStmt) insert = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  spend = roster_sqlite_store_cached (
    self, "UPDATE activation_links SET spent = ?2 WHERE user_id = ?1 AND spent IS NULL", error);
  if (spend != NULL)
    {
      roster_db_bind_text (spend, 1, user_id);
      roster_db_bind_int64 (spend, 2, now);
    }
  if (spend == NULL || !step_write (self, spend, "spend old activation links", error)
      || (insert = roster_sqlite_store_cached (
            self,
            "INSERT INTO activation_links (token_hash, user_id, created, expires)"
            "  VALUES (?1, ?2, ?3, ?4)",
            error))
           == NULL)
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  roster_db_bind_text (insert, 1, token_hash);
  roster_db_bind_text (insert, 2, user_id);
  roster_db_bind_int64 (insert, 3, now);
  roster_db_bind_int64 (insert, 4, expires);
  if (!step_write (self, insert, "create activation link", error)
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_lookup_activation_link (RosterStore *store, const char *token_hash,
                                            char **user_id, gint64 *expires, gboolean *spent,
                                            GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self, "SELECT user_id, expires, spent IS NOT NULL FROM activation_links WHERE token_hash = ?1",
    error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, token_hash);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("This link is not valid"));
      return FALSE;
    }
  if (rc != ROSTER_DB_ROW)
    return roster_sqlite_store_fail (self, error, "look up activation link");
  *user_id = g_strdup (roster_db_column_text (s, 0));
  *expires = roster_db_column_int64 (s, 1);
  *spent = (int) roster_db_column_int64 (s, 2) != 0;
  return TRUE;
}

static gboolean
roster_sqlite_store_spend_activation_link (RosterStore *store, const char *token_hash,
                                           gint64 now, GError **error)
{
  return write_one (ROSTER_SQLITE_STORE (store),
                    "UPDATE activation_links SET spent = ?2 WHERE token_hash = ?1 AND spent IS NULL",
                    "spend activation link", token_hash, now, NULL, TRUE, error);
}

void
roster_sqlite_store_mail_iface_init (RosterStoreInterface *iface)
{
  iface->enqueue_mail = roster_sqlite_store_enqueue_mail;
  iface->next_mail = roster_sqlite_store_next_mail;
  iface->mail_sent = roster_sqlite_store_mail_sent;
  iface->mail_failed = roster_sqlite_store_mail_failed;
  iface->create_activation_link = roster_sqlite_store_create_activation_link;
  iface->lookup_activation_link = roster_sqlite_store_lookup_activation_link;
  iface->spend_activation_link = roster_sqlite_store_spend_activation_link;
}
