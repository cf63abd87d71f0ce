/* roster-user-actions-handler.c: POST /scim/v2/Users/{id}/actions/{unlock,set-password,
 * logout-all}
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

#include "roster-handlers.h"
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
} SetPassword;

static void
set_password_free (SetPassword *set)
{
  roster_request_unref (set->request);
  g_free (set->id);
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

  if (hash != NULL)
    stored = roster_store_set_password (roster_request_get_store (set->request), set->id, hash,
                                        set->must_change, NULL, &error);
  if (stored == NULL)
    {
      roster_request_respond_gerror (set->request, error);
      return;
    }
  g_info ("Set a new password for user %s", set->id);
  roster_users_respond_record (set->request, stored);
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
  gboolean must_change = TRUE;
  SetPassword *set;

  password = roster_json_get_string (body, "password", &error);
  if (error == NULL && json_object_has_member (body, "mustChange"))
    must_change = roster_json_get_boolean (body, "mustChange", TRUE, &error);
  if (error == NULL && roster_validate_password (password, &error))
    user = roster_store_get_user (roster_request_get_store (request), id, &error);
  if (user == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  set = g_new0 (SetPassword, 1);
  set->request = roster_request_ref (request);
  set->id = g_strdup (id);
  set->must_change = must_change;
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
