/* roster-recovery.c: what an operator can do on the database when nobody can sign in
 *
 * `rosterd --data-dir DIR --unlock USERNAME` is the way back in when the last administrator
 * locked themselves out (too many wrong passwords, or 90 days away): only someone who can
 * read and write the data dir, with rosterd stopped (the data dir's lock says so), can run
 * it. It is audited like an unlock through the API, with rosterd itself as the actor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-audit.h"
#include "roster-error.h"
#include "roster-recovery.h"
#include "roster-user-resource.h"

/**
 * roster_recovery_unlock:
 * @user_name: the account's userName, exactly
 *
 * Unlocks the account and resets its failed sign-ins, as `actions/unlock` does.
 */
gboolean
roster_recovery_unlock (RosterStore *store, const char *user_name, GError **error)
{
  g_autoptr(RosterCredentials) credentials = NULL;
  g_autoptr(RosterUserRecord) before = NULL;
  g_autoptr(RosterUserRecord) after = NULL;

  credentials = roster_store_lookup_credentials (store, user_name, error);
  if (credentials == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                     _("there is no account with the username “%s”"), user_name);
      return FALSE;
    }
  if (!roster_store_begin (store, error))
    return FALSE;
  before = roster_store_get_user_record (store, credentials->user_id, error);
  if (before == NULL
      || (after = roster_store_unlock_user (store, credentials->user_id, error)) == NULL
      || !roster_audit_record_system (store, "unlock", "User", credentials->user_id, user_name,
                                      before->resource, after->resource, error)
      || !roster_store_commit (store, error))
    {
      roster_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
