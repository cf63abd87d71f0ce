/* roster-setup-handler.c: first-run setup, GET and POST /setup
 *
 * POST /setup takes the one-time token from DIR/setup-token and the first administrator,
 * and answers with that administrator's first access token. Creating the user, marking setup
 * done, spending the token and creating the session are one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-password-policy.h"
#include "roster-password.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-token.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

void
roster_setup_handle_get (RosterRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (!roster_store_get_setup_done (roster_request_get_store (request), &done, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "setupRequired");
  json_builder_add_boolean_value (builder, !done);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, node);
}

typedef struct
{
  RosterRequest *request;
  JsonObject *admin;
  char *token_hash;
} Setup;

static void
setup_free (Setup *setup)
{
  roster_request_unref (setup->request);
  g_clear_pointer (&setup->admin, json_object_unref);
  g_free (setup->token_hash);
  g_free (setup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Setup, setup_free)

/* What the first administrator of the app's own server owns, so that the ownership page
 * and a delete with reassignment have something to show. */
static const struct
{
  const char *kind;
  const char *title;
  const char *state;
} sample_records[] = {
  /* Translators: sample CRM records rosterd gives the first administrator. */
  { "client", N_("Nordwind Trading"), "open" },
  { "client", N_("Blue Harbor Consulting"), "open" },
  { "order", N_("Order 1001: 20 annual licences"), "open" },
  { "order", N_("Order 1002: onboarding workshop"), "open" },
  { "order", N_("Order 0999: support renewal"), "done" },
  { "task", N_("Call Blue Harbor about the renewal"), "open" },
  { "task", N_("Send Nordwind the signed contract"), "done" },
};

static gboolean
seed_records (RosterStore *store, const char *owner_id, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (sample_records); i++)
    {
      g_autoptr(JsonObject) record = json_object_new ();
      g_autoptr(JsonObject) stored = NULL;
      JsonObject *owner = json_object_new ();

      json_object_set_string_member (record, "kind", sample_records[i].kind);
      json_object_set_string_member (record, "title", _(sample_records[i].title));
      json_object_set_string_member (record, "state", sample_records[i].state);
      json_object_set_string_member (owner, "type", "user");
      json_object_set_string_member (owner, "value", owner_id);
      json_object_set_object_member (record, "owner", owner);
      stored = roster_store_create_record (store, record, error);
      if (stored == NULL
          || !roster_audit_record_system (store, "create", "Record",
                                          json_object_get_string_member (stored, "id"),
                                          json_object_get_string_member (stored, "title"), NULL,
                                          record, error))
        return FALSE;
    }
  return TRUE;
}

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Setup) setup = user_data;
  RosterRequest *request = setup->request;
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = roster_password_policy_hash_finish (result, &error);
  g_autofree char *token = NULL;

  if (password_hash == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  session = roster_auth_new_session (request, NULL, &token, &error);
  if (session == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  /* The first administrator creates themselves: they are the event's actor. */
  if (!roster_store_begin (store, &error)
      || (stored = roster_store_complete_setup (store, setup->token_hash, setup->admin,
                                                password_hash, session, &error))
           == NULL
      || !roster_audit_record_as (
        store, stored->id, roster_user_resource_get_string (stored->resource, NULL, "userName",
                                                            NULL),
        "create", "User", stored->id,
        roster_user_resource_get_string (stored->resource, NULL, "userName", NULL), NULL,
        stored->resource, &error)
      || (roster_server_get_sample_records (roster_request_get_server (request))
          && !seed_records (store, stored->id, &error))
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_server_setup_completed (roster_request_get_server (request));
  roster_auth_respond_token (request, session, token);
  explicit_bzero (token, strlen (token));
}

/* Reads and checks the first administrator: a SCIM User with a password and an e-mail
 * address. */
static JsonObject *
read_admin (JsonObject *body, const RosterSettings *settings, char **password, GError **error)
{
  g_autoptr(JsonObject) admin = NULL;
  JsonObject *user, *ext;

  user = roster_json_get_object (body, "user", error);
  if (user == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                             _("“user” is required"));
      return NULL;
    }
  admin = roster_user_resource_normalize (user, ROSTER_RESOURCE_INPUT, password, error);
  if (admin == NULL || !roster_validate_email (roster_user_resource_primary_email (admin), error)
      || !roster_validate_password (*password, error))
    return NULL;

  /* The first user administers the server, whatever the request said. */
  json_object_set_boolean_member (admin, "active", TRUE);
  ext = roster_user_resource_get_extension (admin, ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE);
  json_object_set_boolean_member (ext, "administrator", TRUE);
  json_object_set_string_member (ext, "status", "active");
  roster_settings_date_password (settings, ext);
  return g_steal_pointer (&admin);
}

void
roster_setup_handle_post (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(JsonObject) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *password = NULL;
  const char *token;
  gboolean done = FALSE;
  RosterSettings settings;
  Setup *setup;

  if (!roster_store_get_setup_done (store, &done, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (done)
    {
      roster_request_respond_error (request, ROSTER_ERROR_SETUP_COMPLETE,
                                    _("This server has already been set up"));
      return;
    }

  /* The token first: without it, nothing else about the request is answered. */
  token = roster_json_get_string (body, "setupToken", NULL);
  token_hash = roster_token_hash (token != NULL ? token : "");
  if (!roster_store_check_setup_token (store, token_hash, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  if (roster_store_get_settings (store, &settings, &error))
    admin = read_admin (body, &settings, &password, &error);
  if (admin == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  setup = g_new0 (Setup, 1);
  setup->request = roster_request_ref (request);
  setup->admin = g_steal_pointer (&admin);
  setup->token_hash = g_steal_pointer (&token_hash);
  roster_request_pause (request);
  roster_auth_check_password_async (
    request, NULL, roster_user_resource_get_string (setup->admin, NULL, "userName", NULL), password,
    hashed_cb, setup);
  explicit_bzero (password, strlen (password));
}
