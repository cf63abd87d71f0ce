/* roster-user-actions-handler.c: POST /scim/v2/Users/{id}/actions/{unlock,set-password,
 * logout-all}
 *
 * What an administrator does to an account beyond editing it (also confirm,
 * resend-verification and email-username, which queue mail). Every action is one store
 * transaction with its audit event; set-password checks quality and history like any other
 * new password (and its event holds the dates, never the password).
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
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-user-mail.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

/**
 * roster_user_actions_apply:
 * @action: the audit action
 * @change: makes the change in the open transaction; returns the user after it
 *
 * Runs @change and records @action on the user with the attributes that changed, in one
 * transaction, then answers with the user. Shared by the actions that change a user.
 */
void
roster_user_actions_apply (RosterRequest *request, const char *id, const char *action,
                           RosterUserRecord *(*change) (RosterStore *store, const char *id,
                                                        gpointer data, GError **error),
                           gpointer data)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(RosterUserRecord) before = NULL;
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error)
      || (before = roster_store_get_user_record (store, id, &error)) == NULL
      || (stored = change (store, id, data, &error)) == NULL
      || !roster_audit_record (request, action, "User", id,
                               roster_user_resource_get_string (stored->resource, NULL,
                                                                "userName", NULL),
                               before->resource, stored->resource, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("%s: user %s", action, id);
  roster_users_respond_record (request, stored);
}

static RosterUserRecord *
unlock (RosterStore *store, const char *id, gpointer data, GError **error)
{
  return roster_store_unlock_user (store, id, error);
}

/* Clears the lock and the failure counter; status follows "active" again. */
void
roster_user_actions_handle_unlock (RosterRequest *request)
{
  roster_user_actions_apply (request, roster_request_get_param (request, 0), "unlock", unlock,
                             NULL);
}

typedef struct
{
  RosterRequest *request;
  char *id;
  gboolean must_change;
  char *hash;
  char *password; /* only when it is to be mailed */
} SetPassword;

static void
set_password_free (SetPassword *set)
{
  roster_request_unref (set->request);
  g_free (set->id);
  g_free (set->hash);
  if (set->password != NULL)
    explicit_bzero (set->password, strlen (set->password));
  g_free (set->password);
  g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetPassword, set_password_free)

static RosterUserRecord *
set_password (RosterStore *store, const char *id, gpointer data, GError **error)
{
  SetPassword *set = data;
  g_autoptr(RosterUserRecord) stored = NULL;

  stored = roster_store_set_password (store, id, set->hash, set->must_change, NULL, error);
  /* The mail, if asked for, in the same transaction as the password and its event. */
  if (stored != NULL && set->password != NULL
      && !roster_user_mail_queue (set->request, ROSTER_USER_MAIL_PASSWORD, stored, set->password,
                                  set->must_change, error))
    return NULL;
  return g_steal_pointer (&stored);
}

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SetPassword) set = user_data;
  g_autoptr(GError) error = NULL;

  set->hash = roster_password_policy_hash_finish (result, &error);
  if (set->hash == NULL)
    {
      roster_request_respond_gerror (set->request, error);
      return;
    }
  roster_user_actions_apply (set->request, set->id, "set-password", set_password, set);
}

/* {"password": "…", "mustChange": true|false}: a new password, chosen by an administrator;
 * every session of the user ends. */
void
roster_user_actions_handle_set_password (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;
  gboolean must_change = TRUE, email = FALSE;
  g_autoptr(RosterUserRecord) record = NULL;
  SetPassword *set;

  password = roster_json_get_string (body, "password", &error);
  if (error == NULL && json_object_has_member (body, "mustChange"))
    must_change = roster_json_get_boolean (body, "mustChange", TRUE, &error);
  if (error == NULL && json_object_has_member (body, "email"))
    email = roster_json_get_boolean (body, "email", FALSE, &error);
  if (error == NULL && roster_validate_password (password, &error))
    user = roster_store_get_user (roster_request_get_store (request), id, &error);
  if (user != NULL && email)
    {
      record = roster_store_get_user_record (roster_request_get_store (request), id, &error);
      if (record == NULL || !roster_user_mail_check_address (record, &error))
        g_clear_object (&user);
    }
  if (user == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  set = g_new0 (SetPassword, 1);
  set->request = roster_request_ref (request);
  set->id = g_strdup (id);
  set->must_change = must_change;
  set->password = email ? g_strdup (password) : NULL;
  roster_request_pause (request);
  roster_auth_check_password_async (request, id, roster_user_get_user_name (user), password,
                                    hashed_cb, set);
}

void
roster_user_actions_handle_logout_all (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error)
      || (user = roster_store_get_user (store, id, &error)) == NULL
      || !roster_store_delete_user_sessions (store, id, NULL, &error)
      || !roster_audit_record (request, "logout-all", "User", id,
                               roster_user_get_user_name (user), NULL, NULL, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Ended every session of user %s", id);
  roster_request_respond_empty (request, 204);
}

static RosterUserRecord *
reset_two_factor (RosterStore *store, const char *id, gpointer data, GError **error)
{
  if (!roster_store_reset_totp (store, id, error))
    return NULL;
  return roster_store_get_user_record (store, id, error);
}

/* Turns two-factor sign-in off for a user who lost their authenticator: they sign in with
 * the password alone until they enrol again. */
void
roster_user_actions_handle_reset_two_factor (RosterRequest *request)
{
  roster_user_actions_apply (request, roster_request_get_param (request, 0), "two-factor-reset",
                             reset_two_factor, NULL);
}

/**
 * roster_user_actions_activate:
 * @password_hash: (nullable): the first password, when the user chose one (POST /activate)
 * @before: (out): the resource before
 *
 * pending → active, emailVerified true, in the caller's transaction. Fails with
 * %ROSTER_ERROR_NOT_PENDING for an account that is not pending.
 */
RosterUserRecord *
roster_user_actions_activate (RosterStore *store, const char *id, const char *password_hash,
                              JsonObject **before, GError **error)
{
  g_autoptr(RosterUserRecord) current = roster_store_get_user_record (store, id, error);
  g_autoptr(JsonObject) resource = NULL;
  JsonObject *ext;

  if (current == NULL)
    return NULL;
  if (g_strcmp0 (roster_user_resource_get_string (current->resource,
                                                  ROSTER_SCIM_SCHEMA_ROSTER_USER, "status", NULL),
                 "pending")
      != 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_PENDING,
                           _("This account is already activated."));
      return NULL;
    }
  resource = roster_user_resource_copy (current->resource);
  ext = roster_user_resource_get_extension (resource, ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE);
  json_object_set_string_member (ext, "status",
                                 json_object_get_boolean_member_with_default (resource, "active",
                                                                              TRUE)
                                   ? "active"
                                   : "inactive");
  json_object_set_boolean_member (ext, "emailVerified", TRUE);
  if (password_hash != NULL)
    {
      RosterSettings settings;

      if (!roster_store_get_settings (store, &settings, error))
        return NULL;
      roster_settings_date_password (&settings, ext);
      json_object_remove_member (ext, "mustChangePassword");
    }
  *before = json_object_ref (current->resource);
  return roster_store_replace_user (store, id, resource, current->version, password_hash, error);
}

/* An administrator vouches for a pending account: it becomes active without the link. */
void
roster_user_actions_handle_confirm (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  stored = roster_user_actions_activate (store, id, NULL, &before, &error);
  if (stored == NULL
      || !roster_audit_record (request, "confirm", "User", id,
                               roster_user_resource_get_string (stored->resource, NULL,
                                                                "userName", NULL),
                               before, stored->resource, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Confirmed user %s", id);
  roster_users_respond_record (request, stored);
}

/* Queues one mail about the user, audited as @action; answers 202 (the mail is queued). */
static void
queue_mail_action (RosterRequest *request, RosterUserMailKind kind, const char *action,
                   gboolean pending_only)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  record = roster_store_get_user_record (store, id, &error);
  if (record != NULL && pending_only
      && g_strcmp0 (roster_user_resource_get_string (record->resource,
                                                     ROSTER_SCIM_SCHEMA_ROSTER_USER, "status",
                                                     NULL),
                    "pending")
           != 0)
    {
      g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_PENDING,
                           _("This account is already activated."));
      g_clear_pointer (&record, roster_user_record_free);
    }
  if (record == NULL || !roster_user_mail_queue (request, kind, record, NULL, FALSE, &error)
      || !roster_audit_record (request, action, "User", id,
                               roster_user_resource_get_string (record->resource, NULL,
                                                                "userName", NULL),
                               NULL, NULL, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_request_respond_empty (request, 202);
}

/* A new activation link for a pending account; the earlier ones stop working. */
void
roster_user_actions_handle_resend_verification (RosterRequest *request)
{
  queue_mail_action (request, ROSTER_USER_MAIL_VERIFICATION, "resend-verification", TRUE);
}

void
roster_user_actions_handle_email_user_name (RosterRequest *request)
{
  queue_mail_action (request, ROSTER_USER_MAIL_USER_NAME, "email-username", FALSE);
}
