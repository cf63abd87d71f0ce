/* roster-auth-handler.c: POST /auth/token (sign in), DELETE /auth/token (sign out) and
 * POST /auth/password (change one's own password)
 *
 * Sign-in answers the same 401 for an unknown userName, a wrong password and an account that
 * may not sign in, after the same argon2id work and the same one write transaction (a wrong
 * password counts on the account, anything else on the name: roster-sqlite-store-refusals.c),
 * so neither the answer nor its timing tells which usernames exist, or whether a locked
 * account's password was right. The sign-in policy (settings): more than lockoutThreshold
 * wrong passwords in a row lock the account, and so does inactivityLockDays without a
 * sign-in; an expired or administrator-set password gives a session that may only change
 * it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-password-policy.h"
#include "roster-password.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-token.h"
#include "roster-validation.h"

/**
 * roster_auth_new_session:
 * @user_id: (nullable): the user, if already known
 * @token: (out): the bearer token to hand to the client, once
 *
 * Returns: (transfer full): a session expiring after sessionAbsoluteHours (or the configured
 *   token lifetime), to be stored by the caller
 */
RosterSession *
roster_auth_new_session (RosterRequest *request, const char *user_id, char **token,
                         GError **error)
{
  gint64 lifetime;
  RosterSettings settings;
  g_autoptr(GDateTime) now = roster_clock_now_utc ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *secret = roster_token_generate (error);
  g_autofree char *hash = NULL;
  const char *user_agent;

  if (secret == NULL || !roster_store_get_settings (roster_request_get_store (request), &settings,
                                                    error))
    return NULL;
  lifetime = roster_settings_session_lifetime (
    &settings, roster_server_get_token_lifetime (roster_request_get_server (request)));
  expires = g_date_time_add_seconds (created, (gdouble) lifetime);
  hash = roster_token_hash (secret);
  user_agent = roster_request_get_header (request, "User-Agent");
  *token = g_steal_pointer (&secret);
  return roster_session_new (hash, user_id != NULL ? user_id : "", created, expires, user_agent,
                             roster_request_get_remote_host (request));
}

/**
 * roster_auth_respond_token:
 *
 * Answers 200 with an OAuth 2.0 token response (RFC 6749 §5.1), plus
 * "password_change_required": true for a session that may only change the password, and
 * "two_factor_setup_required": true for an administrator who must enrol in TOTP first.
 */
void
roster_auth_respond_token (RosterRequest *request, RosterSession *session, const char *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, g_date_time_difference (session->expires, session->created)
                                         / G_TIME_SPAN_SECOND);
  if (session->password_change_required)
    {
      json_builder_set_member_name (builder, "password_change_required");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (session->two_factor_setup_required)
    {
      json_builder_set_member_name (builder, "two_factor_setup_required");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, node);
}

/* How long refused sign-ins for one name are counted together. */
#define REFUSAL_WINDOW_SECONDS (24 * 3600)

typedef struct
{
  RosterRequest *request;
  char *user_name; /* what was typed: perhaps a password, so wiped */
  RosterCredentials *credentials;
  char *totp;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  roster_request_unref (sign_in->request);
  explicit_bzero (sign_in->user_name, strlen (sign_in->user_name));
  g_free (sign_in->user_name);
  g_clear_pointer (&sign_in->credentials, roster_credentials_free);
  g_free (sign_in->totp);
  g_free (sign_in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

static void
refuse_sign_in (RosterRequest *request)
{
  g_info ("Sign-in refused from %s", roster_request_get_remote_host (request));
  roster_request_respond_error (request, ROSTER_ERROR_INVALID_CREDENTIALS,
                                _("The username or password is wrong"));
}

/* Refuses a sign-in that was not a wrong password for an account that may sign in, and
 * counts it on the name's tag, in one write transaction, as a wrong password is counted on
 * the account. A tag refused more often in a day than an account may fail is logged once,
 * without the name (it may have been a password): under a spray of made-up names that is
 * at most one line per tag (4,096) a day, each with the client's address. */
static void
refuse_name (RosterRequest *request, const char *user_name, const RosterSettings *settings,
             gint64 now)
{
  g_autoptr(GError) error = NULL;
  gint64 refusals = roster_store_record_refused_sign_in (
    roster_request_get_store (request), user_name, now - REFUSAL_WINDOW_SECONDS, now, &error);

  if (refusals < 0)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (refusals == settings->lockout_threshold + 1)
    g_message ("More than %" G_GINT64_FORMAT " sign-ins refused within a day for a name (or "
               "the few that share its tag) that matches no account that may sign in, the "
               "last from %s",
               settings->lockout_threshold, roster_request_get_remote_host (request));
  refuse_sign_in (request);
}

/**
 * roster_auth_forget_refusals:
 *
 * Forgets the name tags whose last refused sign-in is more than a day old (the sweep).
 */
gboolean
roster_auth_forget_refusals (RosterStore *store, gint64 now, GError **error)
{
  return roster_store_forget_refused_sign_ins (store, now - REFUSAL_WINDOW_SECONDS, error);
}

/* Counts a sign-in, and audits the lock if it locked the account, in one transaction. */
static gboolean
record_sign_in (RosterStore *store, const char *user_id, gboolean success,
                gint64 lockout_threshold, gint64 now, gboolean *locked, GError **error)
{
  *locked = FALSE;
  if (!roster_store_begin (store, error))
    return FALSE;
  if (!roster_store_record_sign_in (store, user_id, success, lockout_threshold, now, locked,
                                    error)
      || (*locked && !roster_audit_record_lock (store, user_id, "failed-logins", now, error))
      || !roster_store_commit (store, error))
    {
      roster_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lock_user (RosterStore *store, const char *user_id, const char *reason, gint64 now,
           GError **error)
{
  if (!roster_store_begin (store, error))
    return FALSE;
  if (!roster_store_lock_user (store, user_id, reason, now, error)
      || !roster_audit_record_lock (store, user_id, reason, now, error)
      || !roster_store_commit (store, error))
    {
      roster_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
verified_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RosterRequest *request = sign_in->request;
  RosterStore *store = roster_request_get_store (request);
  RosterCredentials *credentials = sign_in->credentials;
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gboolean matched = roster_password_verify_finish (result, &error);
  gint64 now = roster_clock_now ();
  RosterSettings settings;
  RosterErrorCode refusal = 0;
  gboolean enrolled = FALSE;
  gboolean locked = FALSE;

  if (error != NULL || !roster_store_get_settings (store, &settings, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (credentials == NULL)
    {
      refuse_name (request, sign_in->user_name, &settings, now);
      return;
    }

  /* Unused for too long: locked now, whatever the password (the sweep would do it within
   * the hour anyway). */
  if (roster_credentials_may_sign_in (credentials) && settings.inactivity_lock_days > 0
      && credentials->inactive_since < now - settings.inactivity_lock_days * 86400)
    {
      if (!lock_user (store, credentials->user_id, "inactivity", now, &error))
        {
          roster_request_respond_gerror (request, error);
          return;
        }
      g_message ("Locked user %s: no sign-in for %" G_GINT64_FORMAT " days",
                 credentials->user_id, settings.inactivity_lock_days);
      refuse_sign_in (request);
      return;
    }
  if (!roster_credentials_may_sign_in (credentials))
    {
      refuse_name (request, sign_in->user_name, &settings, now);
      return;
    }
  /* The second factor is asked for only once the password is right; a missing code is not
   * a failure, a wrong one is. */
  if (matched
      && !roster_totp_check_sign_in (store, credentials->user_id, sign_in->totp, now, &refusal,
                                     &enrolled, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (refusal == ROSTER_ERROR_TOTP_REQUIRED)
    {
      roster_request_respond_error (request, ROSTER_ERROR_TOTP_REQUIRED,
                                    _("Enter the code from your authenticator app (“totp”)"));
      return;
    }
  if (!record_sign_in (store, credentials->user_id, matched && refusal == 0,
                       settings.lockout_threshold, now, &locked, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (locked)
    g_message ("Locked user %s: more than %" G_GINT64_FORMAT " failed sign-ins in a row",
               credentials->user_id, settings.lockout_threshold);
  if (!matched)
    {
      refuse_sign_in (request);
      return;
    }
  if (refusal != 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_TOTP_INVALID,
                                    _("The code is wrong or was already used"));
      return;
    }

  session = roster_auth_new_session (request, credentials->user_id, &token, &error);
  if (session != NULL)
    session->password_change_required
      = credentials->must_change_password
        || (credentials->password_expires != 0 && credentials->password_expires <= now);
  if (session != NULL && settings.require_two_factor_admins && !enrolled)
    {
      g_autoptr(RosterUser) user = roster_store_get_user (store, credentials->user_id, &error);

      if (user == NULL)
        g_clear_pointer (&session, roster_session_free);
      else
        session->two_factor_setup_required = roster_user_get_administrator (user);
    }
  if (session == NULL || !roster_store_create_session (store, session, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_auth_respond_token (request, session, token);
  explicit_bzero (token, strlen (token));
}

void
roster_auth_handle_token_post (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(GError) error = NULL;
  const char *user_name, *password = NULL, *totp = NULL;
  SignIn *sign_in;

  user_name = roster_json_get_string (body, "userName", &error);
  if (error == NULL)
    password = roster_json_get_string (body, "password", &error);
  if (error == NULL)
    totp = roster_json_get_string (body, "totp", &error);
  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (user_name == NULL || *user_name == '\0' || password == NULL || *password == '\0')
    {
      roster_request_respond_error (request, ROSTER_ERROR_MISSING_ATTRIBUTE,
                                    _("“userName” and “password” are required"));
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->request = roster_request_ref (request);
  sign_in->user_name = g_strdup (user_name);
  sign_in->totp = g_strdup (totp);
  sign_in->credentials = roster_store_lookup_credentials (roster_request_get_store (request),
                                                          user_name, &error);
  if (error != NULL)
    {
      sign_in_free (sign_in);
      roster_request_respond_gerror (request, error);
      return;
    }

  /* An account without a password, or no account at all, is checked against the dummy
   * hash, so it costs what a wrong password costs. */
  roster_request_pause (request);
  roster_password_verify_async (sign_in->credentials != NULL
                                  ? sign_in->credentials->password_hash
                                  : NULL,
                                password, NULL, verified_cb, sign_in);
}

void
roster_auth_handle_token_delete (RosterRequest *request)
{
  RosterSession *session = roster_request_get_session (request);
  g_autoptr(GError) error = NULL;

  if (!roster_store_delete_session (roster_request_get_store (request), session->token_hash,
                                    &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_request_respond_empty (request, 204);
}

typedef struct
{
  RosterRequest *request;
  char *user_id;
  char *password;
  char *new_password;
} PasswordChange;

static void
password_change_free (PasswordChange *change)
{
  roster_request_unref (change->request);
  g_free (change->user_id);
  if (change->password != NULL)
    explicit_bzero (change->password, strlen (change->password));
  g_free (change->password);
  if (change->new_password != NULL)
    explicit_bzero (change->new_password, strlen (change->new_password));
  g_free (change->new_password);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasswordChange, password_change_free)

/**
 * roster_auth_check_password_async:
 * @user_id: (nullable): the user whose password changes, %NULL for a new user
 * @user_name: (nullable): their username, which the password may not contain
 *
 * Checks @password against the quality setting and the user's password history, off the
 * main loop, and hashes it. Finish with roster_password_policy_hash_finish().
 */
void
roster_auth_check_password_async (RosterRequest *request, const char *user_id,
                                  const char *user_name, const char *password,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) history = NULL;
  g_autoptr(GError) error = NULL;
  RosterSettings settings;

  if (!roster_store_get_settings (store, &settings, &error)
      || (user_id != NULL
          && (history = roster_store_get_password_history (store, user_id, &error)) == NULL))
    {
      task = g_task_new (NULL, NULL, callback, user_data);
      g_task_set_source_tag (task, roster_password_policy_hash_async);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  roster_password_policy_hash_async (password, user_name, settings.password_min_quality,
                                     (const char *const *) history, NULL, callback, user_data);
}

static void
new_password_hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PasswordChange) change = user_data;
  RosterRequest *request = change->request;
  RosterSession *session = roster_request_get_session (request);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = roster_password_policy_hash_finish (result, &error);
  g_autoptr(RosterUserRecord) stored = NULL;

  RosterStore *store = roster_request_get_store (request);
  g_autoptr(RosterUserRecord) before = NULL;

  /* The event holds the password's new dates, never the password or its hash. */
  if (hash == NULL || !roster_store_begin (store, &error)
      || (before = roster_store_get_user_record (store, change->user_id, &error)) == NULL
      || (stored = roster_store_set_password (store, change->user_id, hash, FALSE,
                                              session->token_hash, &error))
           == NULL
      || !roster_audit_record (request, "password-change", "User", change->user_id,
                               roster_user_get_user_name (roster_request_get_user (request)),
                               before->resource, stored->resource, &error)
      || !roster_store_commit (store, &error))
    {
      if (hash != NULL)
        roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("User %s changed their password", change->user_id);
  roster_request_respond_empty (request, 204);
}

static void
current_verified_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PasswordChange) change = user_data;
  RosterRequest *request = change->request;
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GError) error = NULL;
  gboolean matched = roster_password_verify_finish (result, &error);
  gboolean locked = FALSE;
  RosterSettings settings;
  const char *new_password, *user_id;

  if (error != NULL || !roster_store_get_settings (store, &settings, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!matched)
    {
      /* Counts like a wrong sign-in: a session left open is no way to guess passwords. */
      if (!record_sign_in (store, change->user_id, FALSE, settings.lockout_threshold,
                           roster_clock_now (), &locked, &error))
        {
          roster_request_respond_gerror (request, error);
          return;
        }
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("The current password is wrong"));
      return;
    }
  new_password = change->new_password;
  user_id = change->user_id;
  roster_auth_check_password_async (request, user_id,
                                    roster_user_get_user_name (roster_request_get_user (request)),
                                    new_password, new_password_hashed_cb,
                                    g_steal_pointer (&change));
}

/* POST /auth/password {"password": "current", "newPassword": "…"}: the one thing a session
 * with password_change_required may do; a success lifts the restriction and ends the user's
 * other sessions. */
void
roster_auth_handle_password_post (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  RosterUser *user = roster_request_get_user (request);
  g_autoptr(RosterCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  const char *password, *new_password = NULL;
  PasswordChange *change;

  password = roster_json_get_string (body, "password", &error);
  if (error == NULL)
    new_password = roster_json_get_string (body, "newPassword", &error);
  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (password == NULL || *password == '\0')
    {
      roster_request_respond_error (request, ROSTER_ERROR_MISSING_ATTRIBUTE,
                                    _("“password” (the current one) is required"));
      return;
    }
  if (!roster_validate_password (new_password, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  credentials = roster_store_lookup_credentials (roster_request_get_store (request),
                                                 roster_user_get_user_name (user), &error);
  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  change = g_new0 (PasswordChange, 1);
  change->request = roster_request_ref (request);
  change->user_id = g_strdup (roster_user_get_id (user));
  change->password = g_strdup (password);
  change->new_password = g_strdup (new_password);
  roster_request_pause (request);
  roster_password_verify_async (credentials != NULL ? credentials->password_hash : NULL,
                                password, NULL, current_verified_cb, change);
}
