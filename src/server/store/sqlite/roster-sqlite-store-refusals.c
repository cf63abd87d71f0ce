/* roster-sqlite-store-refusals.c: RosterSqliteStore's refused sign-ins per name
 *
 * A wrong password for an account that may sign in is counted on the account
 * (failed_logins). Every other refused sign-in (a name that matches no account, or an
 * account that may not sign in) is counted here, per keyed tag of the name, so that every
 * refusal costs one write transaction and its timing does not tell which names exist
 * (migration 15).
 *
 * A tag is the first NAME_TAG_HEX_DIGITS hex digits of the name's HMAC: at most 4,096 rows,
 * whatever names a client makes up (a row per name would let anyone grow the database by
 * hundreds of megabytes a day), and a few names share each tag. A count is then for one name
 * or the few that share its tag; it is only logged, never used to lock anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-secret-box.h"
#include "roster-sqlite-store-private.h"

/* The purpose the tags are made for (roster_secret_box_mac()). */
#define NAME_TAG_PURPOSE "roster sign-in refusal name"
/* 16^3 = 4,096 tags */
#define NAME_TAG_HEX_DIGITS 3

static gboolean
count_refusal (RosterSqliteStore *self, const char *name_tag, gint64 since, gint64 now,
               gint64 *refusals, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      "INSERT INTO sign_in_refusals (name_tag, refusals, last_refused) VALUES (?1, 1, ?3)"
      " ON CONFLICT (name_tag) DO UPDATE SET refusals = CASE"
      "  WHEN sign_in_refusals.last_refused < ?2 THEN 1 ELSE sign_in_refusals.refusals + 1 END,"
      "  last_refused = ?3"
      " RETURNING refusals",
      error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, name_tag);
  roster_db_bind_int64 (s, 2, since);
  roster_db_bind_int64 (s, 3, now);
  if (roster_db_step (s) != ROSTER_DB_ROW)
    return roster_sqlite_store_fail (self, error, "count refused sign-in");
  *refusals = roster_db_column_int64 (s, 0);
  /* RETURNING rows are all produced before the first one is returned: step to the end. */
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    ;
  if (rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "count refused sign-in");
  return TRUE;
}

static gint64
roster_sqlite_store_record_refused_sign_in (RosterStore *store, const char *user_name, gint64 since,
                                            gint64 now, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autofree char *name_tag
      = roster_secret_box_mac (roster_sqlite_store_get_secrets (self), user_name, NAME_TAG_PURPOSE);
  gint64 refusals = 0;

  name_tag[NAME_TAG_HEX_DIGITS] = '\0';

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return -1;
  if (!count_refusal (self, name_tag, since, now, &refusals, error)
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return -1;
    }
  return refusals;
}

static gboolean
forget_before (RosterSqliteStore *self, gint64 before, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self, "DELETE FROM sign_in_refusals WHERE last_refused < ?1", error);

  if (s == NULL)
    return FALSE;
  roster_db_bind_int64 (s, 1, before);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "forget refused sign-ins");
  return TRUE;
}

static gboolean
roster_sqlite_store_forget_refused_sign_ins (RosterStore *store, gint64 before, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  if (!forget_before (self, before, error) || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
roster_sqlite_store_refusals_iface_init (RosterStoreInterface *iface)
{
  iface->record_refused_sign_in = roster_sqlite_store_record_refused_sign_in;
  iface->forget_refused_sign_ins = roster_sqlite_store_forget_refused_sign_ins;
}
