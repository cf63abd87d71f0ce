/* roster-store.c: the store interface and its documented contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-store.h"

G_DEFINE_INTERFACE (RosterStore, roster_store, G_TYPE_OBJECT)

static void
roster_store_default_init (RosterStoreInterface *iface)
{
}

#define IFACE(self) ROSTER_STORE_GET_IFACE (self)

/**
 * roster_store_create_user:
 * @resource: the new user in canonical form (roster_user_resource_normalize())
 * @password_hash: (nullable): argon2id encoded hash
 *
 * A userName that clashes case-insensitively with another is %ROSTER_ERROR_USER_NAME_TAKEN;
 * a manager that is not a user of this server is %ROSTER_ERROR_INVALID_VALUE.
 *
 * Returns: (transfer full): the stored user with a new id, meta and version 1
 */
RosterUserRecord *
roster_store_create_user (RosterStore *self, JsonObject *resource, const char *password_hash,
                          GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  return IFACE (self)->create_user (self, resource, password_hash, error);
}

/**
 * roster_store_get_user_record:
 *
 * Returns: (transfer full): the user, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterUserRecord *
roster_store_get_user_record (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_user_record (self, id, error);
}

/**
 * roster_store_get_user:
 *
 * The few attributes sign-in and authorization need.
 *
 * Returns: (transfer full): the user, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterUser *
roster_store_get_user (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_user (self, id, error);
}

/**
 * roster_store_search_users:
 *
 * A filter the store cannot answer is %ROSTER_ERROR_INVALID_FILTER. The order is stable:
 * ties are broken by id.
 *
 * Returns: (transfer full) (element-type RosterUserRecord): one page of users
 */
GPtrArray *
roster_store_search_users (RosterStore *self, const RosterUserQuery *query,
                           guint *total_results, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && query->start_index >= 1, NULL);
  g_return_val_if_fail (total_results != NULL, NULL);
  return IFACE (self)->search_users (self, query, total_results, error);
}

/**
 * roster_store_replace_user:
 * @resource: the whole new representation, in canonical form
 * @if_version: the version the caller read (If-Match), or 0 for any
 * @password_hash: (nullable): a new password, or %NULL to keep the old one
 *
 * In one transaction: checks the version (%ROSTER_ERROR_PRECONDITION_FAILED), the userName
 * (%ROSTER_ERROR_USER_NAME_TAKEN), the managers (%ROSTER_ERROR_INVALID_VALUE: unknown, the
 * user themself, or a cycle of managers) and that an active administrator remains
 * (%ROSTER_ERROR_LAST_ADMINISTRATOR), then writes and bumps the version.
 *
 * Returns: (transfer full): the stored user
 */
RosterUserRecord *
roster_store_replace_user (RosterStore *self, const char *id, JsonObject *resource,
                           gint64 if_version, const char *password_hash, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  return IFACE (self)->replace_user (self, id, resource, if_version, password_hash, error);
}

/**
 * roster_store_delete_user:
 * @if_version: the version the caller read (If-Match), or 0 for any
 *
 * Deletes the user, their sessions, and the references other users have to them as their
 * manager (those users get a new version). Refuses with
 * %ROSTER_ERROR_LAST_ADMINISTRATOR to delete the last active administrator. This is the one
 * place deletion happens, so that it can become a soft delete.
 */
gboolean
roster_store_delete_user (RosterStore *self, const char *id, gint64 if_version, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return IFACE (self)->delete_user (self, id, if_version, error);
}

/**
 * roster_store_lookup_credentials:
 * @user_name: compared exactly, case-sensitively
 *
 * Returns: (transfer full) (nullable): the credentials; %NULL without an error if no user
 *   has this userName
 */
RosterCredentials *
roster_store_lookup_credentials (RosterStore *self, const char *user_name, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (user_name != NULL, NULL);
  return IFACE (self)->lookup_credentials (self, user_name, error);
}

gboolean
roster_store_get_setup_done (RosterStore *self, gboolean *done, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (done != NULL, FALSE);
  return IFACE (self)->get_setup_done (self, done, error);
}

/**
 * roster_store_set_setup_token:
 *
 * Replaces the setup token hash (a new token is made at each start until setup is done).
 * After setup it is %ROSTER_ERROR_SETUP_COMPLETE.
 */
gboolean
roster_store_set_setup_token (RosterStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  return IFACE (self)->set_setup_token (self, token_hash, error);
}

/**
 * roster_store_check_setup_token:
 *
 * Compares in constant time. Fails with %ROSTER_ERROR_SETUP_COMPLETE after setup and with
 * %ROSTER_ERROR_INVALID_SETUP_TOKEN for a wrong token.
 */
gboolean
roster_store_check_setup_token (RosterStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  return IFACE (self)->check_setup_token (self, token_hash, error);
}

/**
 * roster_store_complete_setup:
 * @session: the administrator's first session; its user_id is filled in by the store
 *
 * In one transaction: checks the token as roster_store_check_setup_token() does, creates
 * @admin, marks setup done, forgets the token and creates @session.
 *
 * Returns: (transfer full): the stored administrator
 */
RosterUserRecord *
roster_store_complete_setup (RosterStore *self, const char *token_hash, JsonObject *admin,
                             const char *password_hash, RosterSession *session, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (password_hash != NULL, NULL);
  g_return_val_if_fail (session != NULL, NULL);
  return IFACE (self)->complete_setup (self, token_hash, admin, password_hash, session, error);
}

gboolean
roster_store_create_session (RosterStore *self, RosterSession *session, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);
  return IFACE (self)->create_session (self, session, error);
}

/**
 * roster_store_lookup_session:
 *
 * Only reads: it can run inside a read transaction with the reads that follow it.
 *
 * Returns: (transfer full) (nullable): the session, expired or not; %NULL without an error
 *   for an unknown token
 */
RosterSession *
roster_store_lookup_session (RosterStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  return IFACE (self)->lookup_session (self, token_hash, error);
}

/**
 * roster_store_touch_session:
 * @now: recorded as the session's last use
 *
 * Records a use of the session, in a write transaction of its own: call it outside any
 * transaction (a read transaction that turns into a write fails at once when another
 * process wrote since it began). Does nothing if the session is gone or was touched less
 * than ROSTER_SESSION_TOUCH_INTERVAL_SECONDS before @now.
 */
gboolean
roster_store_touch_session (RosterStore *self, const char *token_hash, GDateTime *now,
                            GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  return IFACE (self)->touch_session (self, token_hash, now, error);
}

/**
 * roster_store_delete_session:
 *
 * Deleting a session that does not exist is not an error.
 */
gboolean
roster_store_delete_session (RosterStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  return IFACE (self)->delete_session (self, token_hash, error);
}

/**
 * roster_store_create_resource:
 * @resource: a Role or Group in canonical form; a group's members as [{"value": id}]
 *
 * A role name that clashes case-insensitively is %ROSTER_ERROR_ROLE_NAME_TAKEN; a member that
 * is not a user of this server is %ROSTER_ERROR_INVALID_VALUE.
 *
 * Returns: (transfer full): the stored resource with a new id, meta and version 1
 */
RosterResourceRecord *
roster_store_create_resource (RosterStore *self, RosterResourceKind kind, JsonObject *resource,
                              GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  return IFACE (self)->create_resource (self, kind, resource, error);
}

/**
 * roster_store_get_resource:
 *
 * Returns: (transfer full): the role or group, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterResourceRecord *
roster_store_get_resource (RosterStore *self, RosterResourceKind kind, const char *id,
                           GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_resource (self, kind, id, error);
}

/**
 * roster_store_search_resources:
 *
 * A filter on an attribute the store cannot search is %ROSTER_ERROR_INVALID_FILTER.
 *
 * Returns: (transfer full) (element-type RosterResourceRecord): one page
 */
GPtrArray *
roster_store_search_resources (RosterStore *self, RosterResourceKind kind,
                               const RosterResourceQuery *query, guint *total_results,
                               GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && total_results != NULL, NULL);
  return IFACE (self)->search_resources (self, kind, query, total_results, error);
}

/**
 * roster_store_replace_resource:
 * @if_version: the version the new state was computed from: another one is
 *   %ROSTER_ERROR_PRECONDITION_FAILED and nothing changes
 *
 * Returns: (transfer full): the stored resource, with a new version
 */
RosterResourceRecord *
roster_store_replace_resource (RosterStore *self, RosterResourceKind kind, const char *id,
                               JsonObject *resource, gint64 if_version, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL && resource != NULL, NULL);
  return IFACE (self)->replace_resource (self, kind, id, resource, if_version, error);
}

/**
 * roster_store_delete_resource:
 * @if_version: as for roster_store_replace_resource(); 0 for any
 * @force: for a role users still have: take it from them in the same transaction (each of
 *   them gets a new version) instead of failing with %ROSTER_ERROR_ROLE_IN_USE
 */
gboolean
roster_store_delete_resource (RosterStore *self, RosterResourceKind kind, const char *id,
                              gint64 if_version, gboolean force, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return IFACE (self)->delete_resource (self, kind, id, if_version, force, error);
}

/**
 * roster_store_get_grants:
 *
 * What the user's roles, groups and entitlements give them, in one query. Being an
 * administrator is not a grant: the caller knows it from the user.
 *
 * Returns: (transfer full) (element-type RosterGrant): the grants
 */
GPtrArray *
roster_store_get_grants (RosterStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  return IFACE (self)->get_grants (self, user_id, error);
}

/**
 * roster_store_get_settings:
 *
 * Fills @settings with the stored policy settings (defaults for what was never set).
 */
gboolean
roster_store_get_settings (RosterStore *self, RosterSettings *settings, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->get_settings (self, settings, error);
}

/**
 * roster_store_put_settings:
 * @if_version: the version the change is based on (0: any); stale is
 *   %ROSTER_ERROR_PRECONDITION_FAILED
 *
 * Stores @settings and sets its new version.
 */
gboolean
roster_store_put_settings (RosterStore *self, RosterSettings *settings, gint64 if_version,
                           GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->put_settings (self, settings, if_version, error);
}

/**
 * roster_store_record_sign_in:
 * @success: whether the password was right
 * @locked: (out): whether this failure locked the account
 *
 * A success resets the failure counter and sets lastLoginAt; a failure counts, and the
 * failure past @lockout_threshold locks an active account (reason "failed-logins") and ends
 * its sessions.
 */
gboolean
roster_store_record_sign_in (RosterStore *self, const char *user_id, gboolean success,
                             gint64 lockout_threshold, gint64 now, gboolean *locked,
                             GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->record_sign_in (self, user_id, success, lockout_threshold, now, locked,
                                       error);
}

/**
 * roster_store_lock_user:
 *
 * Locks an account that is not locked yet, with @reason, and ends its sessions.
 */
gboolean
roster_store_lock_user (RosterStore *self, const char *user_id, const char *reason, gint64 now,
                        GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->lock_user (self, user_id, reason, now, error);
}

/**
 * roster_store_record_refused_sign_in:
 * @user_name: what was typed as the userName, matching no account that may sign in
 * @since: (Unix time) refusals before this are forgotten: the count starts again
 *
 * Counts a refused sign-in for @user_name in its own write transaction, as
 * roster_store_record_sign_in() counts a wrong password for an account. Only a short keyed
 * tag of @user_name is stored (part of roster_secret_box_mac()), never the name; a few names
 * share each tag, so the table stays small whatever names are tried.
 *
 * Returns: the refusals for this name's tag since @since, this one included, or -1 on error
 */
gint64
roster_store_record_refused_sign_in (RosterStore *self, const char *user_name, gint64 since,
                                     gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), -1);
  g_return_val_if_fail (user_name != NULL, -1);
  return IFACE (self)->record_refused_sign_in (self, user_name, since, now, error);
}

/**
 * roster_store_forget_refused_sign_ins:
 * @before: (Unix time) name tags last refused before this are forgotten
 */
gboolean
roster_store_forget_refused_sign_ins (RosterStore *self, gint64 before, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->forget_refused_sign_ins (self, before, error);
}

/**
 * roster_store_lock_inactive_users:
 * @cutoff: (Unix time) active accounts not used since before this are locked
 *
 * Returns: how many accounts were locked (reason "inactivity"), or -1 on error
 */
gint64
roster_store_lock_inactive_users (RosterStore *self, gint64 cutoff, gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), -1);
  return IFACE (self)->lock_inactive_users (self, cutoff, now, error);
}

/**
 * roster_store_unlock_user:
 *
 * Clears the lock and the failure counter; status goes back to what "active" says, and the
 * inactivity clock starts again.
 *
 * Returns: (transfer full): the user as stored now
 */
RosterUserRecord *
roster_store_unlock_user (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->unlock_user (self, id, error);
}

/**
 * roster_store_set_password:
 * @must_change: the user must change it at the next sign-in
 * @keep_session: (nullable): the token hash of the one session that survives (and may do
 *   everything again); %NULL ends every session of the user
 *
 * Stores a new password (checked and hashed by the caller), dates it, remembers it in the
 * history (as long as the passwordHistory setting says) and ends the user's other sessions.
 *
 * Returns: (transfer full): the user as stored now
 */
RosterUserRecord *
roster_store_set_password (RosterStore *self, const char *id, const char *password_hash,
                           gboolean must_change, const char *keep_session, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (password_hash != NULL, NULL);
  return IFACE (self)->set_password (self, id, password_hash, must_change, keep_session, error);
}

/**
 * roster_store_get_password_history:
 *
 * Returns: (transfer full): the hashes of the user's last passwords, newest first, as many as
 *   the passwordHistory setting keeps
 */
GStrv
roster_store_get_password_history (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->get_password_history (self, id, error);
}

/**
 * roster_store_list_sessions:
 *
 * Returns: (transfer full) (element-type RosterSession): the user's sessions, oldest first
 */
GPtrArray *
roster_store_list_sessions (RosterStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->list_sessions (self, user_id, error);
}

/**
 * roster_store_delete_user_sessions:
 * @session_id: (nullable): one session's id (%ROSTER_ERROR_NOT_FOUND if the user has no such
 *   session), or %NULL for all of them
 */
gboolean
roster_store_delete_user_sessions (RosterStore *self, const char *user_id,
                                   const char *session_id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->delete_user_sessions (self, user_id, session_id, error);
}

/**
 * roster_store_search_user_ids:
 *
 * Like roster_store_search_users(), without reading the users.
 *
 * Returns: (transfer full) (element-type utf8): the ids of one page of users, in order
 */
GPtrArray *
roster_store_search_user_ids (RosterStore *self, const RosterUserQuery *query,
                              guint *total_results, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && query->start_index >= 1, NULL);
  g_return_val_if_fail (total_results != NULL, NULL);
  return IFACE (self)->search_user_ids (self, query, total_results, error);
}

/**
 * roster_store_get_user_records:
 * @ids: (element-type utf8): user ids
 *
 * Returns: (transfer full) (element-type RosterUserRecord): the users of @ids that exist,
 *   in no particular order
 */
GPtrArray *
roster_store_get_user_records (RosterStore *self, GPtrArray *ids, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL, NULL);
  return IFACE (self)->get_user_records (self, ids, error);
}

/**
 * roster_store_begin_read:
 *
 * Opens a read transaction around several store calls, so that they see one snapshot of
 * the store. Ended by roster_store_commit() or roster_store_rollback(), like
 * roster_store_begin().
 */
gboolean
roster_store_begin_read (RosterStore *self, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->begin_read (self, error);
}

/**
 * roster_store_get_stamp:
 *
 * Inside a read transaction: a stamp of what users' representations are made of in the
 * snapshot it reads (users and their child rows, roles, groups, settings). Whatever was
 * computed from them in a snapshot with an equal stamp is still true of this one: no
 * connection has changed any of it in between. Writes to anything else (sessions, the audit
 * log, the outbox) leave the stamp as it was.
 */
gboolean
roster_store_get_stamp (RosterStore *self, RosterStoreStamp *stamp, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (stamp != NULL, FALSE);
  return IFACE (self)->get_stamp (self, stamp, error);
}

/**
 * roster_store_begin:
 *
 * Opens a write transaction around several store calls, so that they (with the audit entry
 * and the mail they cause) happen together or not at all. Transactions nest: every call of
 * the store runs in its own, inside the caller's. Each begin is ended by exactly one
 * roster_store_commit() or roster_store_rollback().
 */
gboolean
roster_store_begin (RosterStore *self, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->begin (self, error);
}

/**
 * roster_store_commit:
 *
 * On failure the transaction is still open: call roster_store_rollback().
 */
gboolean
roster_store_commit (RosterStore *self, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->commit (self, error);
}

void
roster_store_rollback (RosterStore *self)
{
  g_return_if_fail (ROSTER_IS_STORE (self));
  IFACE (self)->rollback (self);
}

/**
 * roster_store_append_audit:
 * @event: the event; its @id is set
 *
 * Appends @event to the audit log, in the caller's transaction if one is open.
 */
gboolean
roster_store_append_audit (RosterStore *self, RosterAuditEntry *event, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL && event->action != NULL, FALSE);
  return IFACE (self)->append_audit (self, event, error);
}

/**
 * roster_store_set_user_photo:
 * @photo: (nullable): the normalised PNG, or %NULL to remove the photo
 * @photos: (nullable): the user's new `photos` attribute (%NULL with no photo)
 *
 * Stores or removes the user's photo and sets their `photos` attribute to match, as one
 * change of the user (a new version).
 *
 * Returns: (transfer full): the changed user, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterUserRecord *
roster_store_set_user_photo (RosterStore *self, const char *id, GBytes *photo,
                             JsonArray *photos, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->set_user_photo (self, id, photo, photos, error);
}

/**
 * roster_store_get_user_photo:
 *
 * Returns: (transfer full): the photo, or %NULL with %ROSTER_ERROR_NOT_FOUND when the user
 *   does not exist or has none
 */
GBytes *
roster_store_get_user_photo (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_user_photo (self, id, error);
}

/**
 * roster_store_search_audit:
 *
 * Returns: (transfer container) (element-type RosterAuditEntry): one page of the audit log
 */
GPtrArray *
roster_store_search_audit (RosterStore *self, const RosterAuditQuery *query,
                           guint *total_results, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && total_results != NULL, NULL);
  return IFACE (self)->search_audit (self, query, total_results, error);
}

/**
 * roster_store_get_audit:
 *
 * Returns: (transfer full): the event, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterAuditEntry *
roster_store_get_audit (RosterStore *self, const char *id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_audit (self, id, error);
}

/**
 * roster_store_list_inactive_users:
 * @cutoff: accounts unused since before this time
 *
 * What roster_store_lock_inactive_users() would lock now, for the sweep's audit entries:
 * call both in one transaction.
 *
 * Returns: (transfer container) (element-type RosterReference): id and userName of each
 */
GPtrArray *
roster_store_list_inactive_users (RosterStore *self, gint64 cutoff, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->list_inactive_users (self, cutoff, error);
}

void
roster_totp_state_clear (RosterTotpState *state)
{
  if (state->secret != NULL)
    explicit_bzero (state->secret, strlen (state->secret));
  if (state->pending != NULL)
    explicit_bzero (state->pending, strlen (state->pending));
  g_clear_pointer (&state->secret, g_free);
  g_clear_pointer (&state->pending, g_free);
  state->last_step = 0;
}

/**
 * roster_store_get_totp:
 * @state: (out caller-allocates): zeroed; clear it with roster_totp_state_clear()
 *
 * Reads @user_id's TOTP secrets; %ROSTER_ERROR_NOT_FOUND if there is no such user.
 */
gboolean
roster_store_get_totp (RosterStore *self, const char *user_id, RosterTotpState *state,
                       GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->get_totp (self, user_id, state, error);
}

/**
 * roster_store_set_totp_pending:
 *
 * Keeps @secret as the one being enrolled, replacing any earlier pending one.
 */
gboolean
roster_store_set_totp_pending (RosterStore *self, const char *user_id, const char *secret,
                               GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->set_totp_pending (self, user_id, secret, error);
}

/**
 * roster_store_enable_totp:
 * @step: the step of the code that confirmed it (not accepted again)
 *
 * Makes the pending secret the user's, and sets twoFactorEnabled.
 */
gboolean
roster_store_enable_totp (RosterStore *self, const char *user_id, gint64 step, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->enable_totp (self, user_id, step, error);
}

/**
 * roster_store_use_totp_step:
 * @used: (out): %TRUE if @step was newer than the last accepted one and is now the last;
 *   %FALSE if a code of @step or later was accepted already (a replay)
 */
gboolean
roster_store_use_totp_step (RosterStore *self, const char *user_id, gint64 step, gboolean *used,
                            GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->use_totp_step (self, user_id, step, used, error);
}

/**
 * roster_store_reset_totp:
 *
 * Forgets both secrets; twoFactorEnabled becomes false.
 */
gboolean
roster_store_reset_totp (RosterStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->reset_totp (self, user_id, error);
}

/* ------------------------------------------------------------ records and lifecycle */

/**
 * roster_store_create_record:
 * @record: kind, title, state and owner ({"type": "user"|"group", "value": id}, or none for
 *   the general queue), already checked
 *
 * Returns: (transfer full): the stored record with its id, created and lastModified
 */
JsonObject *
roster_store_create_record (RosterStore *self, JsonObject *record, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->create_record (self, record, error);
}

/**
 * roster_store_search_records:
 *
 * Returns: (transfer container) (element-type JsonObject): a page of records
 */
GPtrArray *
roster_store_search_records (RosterStore *self, const RosterRecordQuery *query,
                             guint *total_results, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->search_records (self, query, total_results, error);
}

gboolean
roster_store_count_records (RosterStore *self, const char *user_id, RosterRecordCounts *counts,
                            GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->count_records (self, user_id, counts, error);
}

/**
 * roster_store_reassign_records:
 * @kind: "client", "order" or "task"
 * @to_user_id: (nullable): the new owner
 * @to_group_id: (nullable): the new owning group; both %NULL: the general queue
 *
 * Gives every record of @kind that @user_id owns to the new owner.
 *
 * Returns: how many moved, or -1 on error
 */
gint64
roster_store_reassign_records (RosterStore *self, const char *user_id, const char *kind,
                               const char *to_user_id, const char *to_group_id, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), -1);
  return IFACE (self)->reassign_records (self, user_id, kind, to_user_id, to_group_id, error);
}

/**
 * roster_store_soft_delete_user:
 * @deleted_by: (nullable): who deletes (for DeletedUsers' deletedBy)
 * @window: how many seconds it can be restored: the sweep purges it after
 * @reassigned: what went where, shown in DeletedUsers
 *
 * Takes the user out of /Users, keeping a snapshot (roles, memberships, settings) for
 * roster_store_restore_user(); ends their sessions. Refuses the last active administrator
 * with %ROSTER_ERROR_LAST_ADMINISTRATOR, a stale @if_version with
 * %ROSTER_ERROR_PRECONDITION_FAILED.
 */
gboolean
roster_store_soft_delete_user (RosterStore *self, const char *id, gint64 if_version,
                               RosterUser *deleted_by, gint64 window, JsonObject *reassigned,
                               GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->soft_delete_user (self, id, if_version, deleted_by, window, reassigned,
                                         error);
}

/**
 * roster_store_list_deleted_users:
 *
 * Returns: (transfer container) (element-type JsonObject): every deleted user not purged
 *   yet: id, userName, displayName, deletedAt and purgeAt (unix seconds), deletedBy
 *   ({value, display}), reassigned, administrator
 */
GPtrArray *
roster_store_list_deleted_users (RosterStore *self, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->list_deleted_users (self, error);
}

/**
 * roster_store_restore_user:
 * @deleted: (out) (optional) (transfer full): the deleted user's entry as listed
 *
 * Brings a deleted user back with its roles (those that still exist), memberships (of
 * groups that still exist) and settings; inactive unless @active.
 *
 * Returns: (transfer full): the user, or %NULL with %ROSTER_ERROR_NOT_FOUND
 */
RosterUserRecord *
roster_store_restore_user (RosterStore *self, const char *id, gboolean active,
                           JsonObject **deleted, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->restore_user (self, id, active, deleted, error);
}

/**
 * roster_store_purge_deleted_users:
 *
 * Forgets the deleted users whose purgeAt is before @now; the records they still own go to
 * the general queue.
 *
 * Returns: (transfer container) (element-type JsonObject): the purged entries, as listed
 */
GPtrArray *
roster_store_purge_deleted_users (RosterStore *self, gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->purge_deleted_users (self, now, error);
}

/**
 * roster_store_count_seats:
 *
 * Returns: how many users take a seat of the allowance (active ones, administrators only
 *   if @administrators_count), or -1 on error
 */
gint64
roster_store_count_seats (RosterStore *self, gboolean administrators_count, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), -1);
  return IFACE (self)->count_seats (self, administrators_count, error);
}

/**
 * roster_store_enqueue_mail:
 *
 * Adds @mail to the outbox, due now, in the caller's transaction if one is open: the mail
 * leaves only if the change that caused it is committed.
 */
gboolean
roster_store_enqueue_mail (RosterStore *self, RosterOutboxMail *mail, gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->enqueue_mail (self, mail, now, error);
}

/**
 * roster_store_next_mail:
 *
 * Claims the oldest unsent message due at @now for this process: until its sending is
 * recorded (roster_store_mail_sent(), roster_store_mail_failed()), or a lease of some
 * minutes runs out, no other rosterd of the database is given it.
 *
 * Returns: (transfer full) (nullable): the message; %NULL with no error when none is due
 */
RosterOutboxMail *
roster_store_next_mail (RosterStore *self, gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  return IFACE (self)->next_mail (self, now, error);
}

/**
 * roster_store_mail_sent:
 *
 * The relay accepted the message (or it was written to the outbox folder): it is never
 * sent again, and its text is erased.
 */
gboolean
roster_store_mail_sent (RosterStore *self, const char *id, gint64 now, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->mail_sent (self, id, now, error);
}

/**
 * roster_store_mail_failed:
 * @reason: why, for the operator (never a secret)
 *
 * Counts a failed attempt and puts the message off until @next_attempt.
 */
gboolean
roster_store_mail_failed (RosterStore *self, const char *id, gint64 next_attempt,
                          const char *reason, GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->mail_failed (self, id, next_attempt, reason, error);
}

/**
 * roster_store_create_activation_link:
 * @token_hash: roster_token_hash() of the link's token (the token is never stored)
 *
 * Stores a new activation link for @user_id valid until @expires; the user's earlier
 * links are spent, so only the newest mail works.
 */
gboolean
roster_store_create_activation_link (RosterStore *self, const char *token_hash,
                                     const char *user_id, gint64 now, gint64 expires,
                                     GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->create_activation_link (self, token_hash, user_id, now, expires, error);
}

/**
 * roster_store_lookup_activation_link:
 *
 * Finds a link by its hash, whatever its state: %ROSTER_ERROR_NOT_FOUND if there is none.
 */
gboolean
roster_store_lookup_activation_link (RosterStore *self, const char *token_hash,
                                     char **user_id, gint64 *expires, gboolean *spent,
                                     GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->lookup_activation_link (self, token_hash, user_id, expires, spent,
                                               error);
}

/**
 * roster_store_spend_activation_link:
 *
 * Marks the link used; %ROSTER_ERROR_NOT_FOUND if it was already spent (or never existed),
 * so two concurrent uses cannot both succeed.
 */
gboolean
roster_store_spend_activation_link (RosterStore *self, const char *token_hash, gint64 now,
                                    GError **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  return IFACE (self)->spend_activation_link (self, token_hash, now, error);
}
