/* roster-user-actions-handler.c: POST /scim/v2/Users/{id}/actions/{unlock,set-password,
 * logout-all,confirm,resend-verification,email-username}
 *
 * What an administrator does to an account beyond editing it. Every action is one store
 * transaction; set-password checks quality and history like any other new password.
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
#include "roster-user-mail.h"
#include "roster-user-resource.h"
#include "roster-password-policy.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-validation.h"

/* Clears the lock and the failure counter; status follows "active" again. */
void
roster_user_actions_handle_unlock (RosterRequest *request)
{
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = roster_store_unlock_user (roster_request_get_store (request), id, &error);
  if (stored == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Unlocked user %s", id);
  roster_users_respond_record (request, stored);
}

typedef struct
{
  RosterRequest *request;
  char *id;
  gboolean must_change;
  char *password; /* only when it is to be mailed */
} SetPassword;

static void
set_password_free (SetPassword *set)
{
  roster_request_unref (set->request);
  g_free (set->id);
  if (set->password != NULL)
    explicit_bzero (set->password, strlen (set->password));
  g_free (set->password);
  g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetPassword, set_password_free)

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SetPassword) set = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = roster_password_policy_hash_finish (result, &error);
  g_autoptr(RosterUserRecord) stored = NULL;

  RosterStore *store = roster_request_get_store (set->request);

  /* The password, its audit event and the mail (if asked for) land together. */
  if (hash != NULL && roster_store_begin (store, &error))
    {
      stored = roster_store_set_password (store, set->id, hash, set->must_change, NULL, &error);
      if (stored == NULL
          || !roster_audit_record (set->request, "set-password", "User", set->id,
                                   roster_user_resource_get_string (stored->resource, NULL,
                                                                    "userName", NULL),
                                   NULL, NULL, &error)
          || (set->password != NULL
              && !roster_user_mail_queue (set->request, ROSTER_USER_MAIL_PASSWORD, stored,
                                          set->password, set->must_change, &error))
          || !roster_store_commit (store, &error))
        {
          roster_store_rollback (store);
          g_clear_pointer (&stored, roster_user_record_free);
        }
    }
  if (stored == NULL)
    {
      roster_request_respond_gerror (set->request, error);
      return;
    }
  g_info ("Set a new password for user %s", set->id);
  roster_users_respond_record (set->request, stored);
}

/* {"password": "…", "mustChange": true|false, "email": true|false}: a new password, chosen
 * by an administrator; every session of the user ends. With "email": true the user gets a
 * mail holding the new password (the only mail that ever holds one). */
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
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = roster_store_get_user (roster_request_get_store (request), id, &error);
  if (user == NULL
      || !roster_store_delete_user_sessions (roster_request_get_store (request), id, NULL,
                                             &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Ended every session of user %s", id);
  roster_request_respond_empty (request, 204);
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
