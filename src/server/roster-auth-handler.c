/* roster-auth-handler.c: POST /auth/token (sign in) and DELETE /auth/token (sign out)
 *
 * Sign-in answers the same 401 for an unknown userName, a wrong password and an account that
 * may not sign in, after the same argon2id work, so neither the answer nor its timing tells
 * which usernames exist.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-handlers.h"
#include "roster-password.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-token.h"

/**
 * roster_auth_new_session:
 * @user_id: (nullable): the user, if already known
 * @token: (out): the bearer token to hand to the client, once
 *
 * Returns: (transfer full): a session expiring after the configured token lifetime, to be
 *   stored by the caller
 */
RosterSession *
roster_auth_new_session (RosterRequest *request, const char *user_id, char **token,
                         GError **error)
{
  SoupServerMessage *msg = roster_request_get_message (request);
  gint64 lifetime = roster_server_get_token_lifetime (roster_request_get_server (request));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
  g_autoptr(GDateTime) expires = g_date_time_add_seconds (created, (gdouble) lifetime);
  g_autofree char *secret = roster_token_generate (error);
  g_autofree char *hash = NULL;
  const char *user_agent;

  if (secret == NULL)
    return NULL;
  hash = roster_token_hash (secret);
  user_agent = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                             "User-Agent");
  *token = g_steal_pointer (&secret);
  return roster_session_new (hash, user_id != NULL ? user_id : "", created, expires, user_agent,
                             soup_server_message_get_remote_host (msg));
}

/**
 * roster_auth_respond_token:
 *
 * Answers 200 with an OAuth 2.0 token response (RFC 6749 §5.1).
 */
void
roster_auth_respond_token (RosterRequest *request, const char *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder,
                              roster_server_get_token_lifetime (roster_request_get_server (request)));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, node);
}

typedef struct
{
  RosterRequest *request;
  RosterCredentials *credentials;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  roster_request_unref (sign_in->request);
  g_clear_pointer (&sign_in->credentials, roster_credentials_free);
  g_free (sign_in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

static void
verified_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RosterRequest *request = sign_in->request;
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gboolean matched = roster_password_verify_finish (result, &error);

  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!matched || sign_in->credentials == NULL
      || !roster_credentials_may_sign_in (sign_in->credentials))
    {
      g_info ("Sign-in refused from %s",
              soup_server_message_get_remote_host (roster_request_get_message (request)));
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_CREDENTIALS,
                                    _("The username or password is wrong"));
      return;
    }

  session = roster_auth_new_session (request, sign_in->credentials->user_id, &token, &error);
  if (session == NULL
      || !roster_store_create_session (roster_request_get_store (request), session, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_auth_respond_token (request, token);
  explicit_bzero (token, strlen (token));
}

void
roster_auth_handle_token_post (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(GError) error = NULL;
  const char *user_name, *password = NULL;
  SignIn *sign_in;

  user_name = roster_json_get_string (body, "userName", &error);
  if (error == NULL)
    password = roster_json_get_string (body, "password", &error);
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
