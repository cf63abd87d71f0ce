/* test-setup-wizard.c: the wizard's real widgets, its validation and its flow
 *
 * The local server is a real rosterd on a temp data dir; the keyring is the headless
 * session's gnome-keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-setup-wizard"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "roster-client.h"
#include "roster-setup-wizard.h"
#include "roster-team-results.h"
#include "roster-team-table.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

#define PASSWORD "analytical engine"

typedef struct
{
  char *tmp;
  RosterLocalServer *local_server;
  RosterCredentials *credentials;
  GSettings *settings;
  RosterTestServer *remote; /* a rosterd started by the test, for "Remote server" */
  RosterSetupWizard *wizard;
  GtkWindow *window;
  RosterClient *completed_client;
  char *completed_user;
  guint completed;
} Fixture;

static void
on_completed_cb (RosterSetupWizard *wizard, RosterClient *client, const char *user_name,
                 gpointer user_data)
{
  Fixture *f = user_data;

  f->completed++;
  g_set_object (&f->completed_client, client);
  g_free (f->completed_user);
  f->completed_user = g_strdup (user_name);
}

/* A wizard as the window makes it, in a window of its own. */
static void
open_wizard (Fixture *f)
{
  f->wizard = g_object_ref_sink (g_object_new (ROSTER_TYPE_SETUP_WIZARD, NULL));
  roster_setup_wizard_set_local_server (f->wizard, f->local_server);
  roster_setup_wizard_set_credentials (f->wizard, f->credentials);
  roster_setup_wizard_set_settings (f->wizard, f->settings);
  roster_setup_wizard_reset (f->wizard);
  g_signal_connect (f->wizard, "completed", G_CALLBACK (on_completed_cb), f);
  f->window = roster_ui_test_window (GTK_WIDGET (f->wizard));
}

/* Closing mid-way, as closing Roster does. */
static void
close_wizard (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->wizard);
  f->wizard = NULL;
  f->window = NULL;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  f->tmp = g_dir_make_tmp ("roster-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (f->tmp, "server", NULL);
  f->local_server = roster_local_server_new (g_getenv ("ROSTERD"), data_dir);
  f->credentials = roster_credentials_new ();
  f->settings = g_settings_new (APP_ID);
  g_settings_reset (f->settings, "wizard-state");
  open_wizard (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->tmp);

  if (f->wizard != NULL)
    close_wizard (f);
  /* The team page's requests (roles, teams) may still be returning, cancelled. */
  if (f->completed_client != NULL)
    roster_test_assert_finalize (f->completed_client);
  if (f->remote != NULL)
    roster_test_server_stop (f->remote);
  g_assert_finalize_object (f->settings);
  roster_local_server_stop (f->local_server);
  g_assert_finalize_object (f->local_server);
  g_assert_finalize_object (f->credentials);
  g_free (f->completed_user);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->tmp);
}

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *title)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  roster_ui_test_collect (root, type, all);
  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (all, i);
      const char *text = NULL;

      if (ADW_IS_PREFERENCES_ROW (widget))
        text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      else if (GTK_IS_BUTTON (widget))
        text = gtk_button_get_label (GTK_BUTTON (widget));
      else if (GTK_IS_LABEL (widget))
        text = gtk_label_get_label (GTK_LABEL (widget));
      else if (GTK_IS_CHECK_BUTTON (widget))
        text = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      if (g_strcmp0 (text, title) == 0)
        return widget;
    }
  g_error ("no %s “%s”", g_type_name (type), title);
}

#define ROW(f, title) find_widget (GTK_WIDGET ((f)->wizard), ADW_TYPE_PREFERENCES_ROW, title)

static const char *
page (Fixture *f)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "welcome") != NULL)
      return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, i));
  g_error ("no wizard stack");
}

/* The error shown on the current page, if any: each page has its own error label. */
static const char *
shown_error (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_mapped (label))
        return gtk_label_get_label (GTK_LABEL (label));
    }
  return NULL;
}

static void
set_text (Fixture *f, const char *title, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ROW (f, title)), text);
}

static gboolean
can_create (Fixture *f)
{
  return gtk_widget_get_sensitive (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "Create Administrator"));
}

/* The administrator page's server row (the welcome page has a row of the same title). */
static gboolean
server_ready (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_action_row_get_subtitle (g_ptr_array_index (rows, i)),
                   "Ready. Only this computer can reach it.")
        == 0)
      return TRUE;
  return FALSE;
}

static void
go_to_administrator (Fixture *f)
{
  GtkWidget *local_row = ROW (f, "On This Computer");

  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (local_row, "activated");
  g_assert_cmpstr (page (f), ==, "administrator");
  roster_test_wait_until (server_ready (f), 20);
}

static void
fill_valid (Fixture *f)
{
  set_text (f, "First Name", "Ada");
  set_text (f, "Last Name", "Lovelace");
  set_text (f, "Username", "ada");
  set_text (f, "E-mail", "ada@example.com");
  set_text (f, "Password", PASSWORD);
  set_text (f, "Confirm Password", PASSWORD);
}

/* The team page, signed in: the table can be typed in and sent. */
static gboolean
team_ready (Fixture *f)
{
  return g_strcmp0 (page (f), "team") == 0
         && gtk_widget_get_sensitive (find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON,
                                                   "_Skip"));
}

/* After the administrator: Skip the team, and Start Using Roster on Done. */
static void
finish_wizard (Fixture *f)
{
  roster_test_wait_until (team_ready (f), 20);
  g_assert_cmpuint (f->completed, ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.team-done", NULL));
  g_assert_cmpstr (page (f), ==, "done");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.start", NULL));
  g_assert_cmpuint (f->completed, ==, 1);
}

static void
test_validation (Fixture *f, gconstpointer data)
{
  go_to_administrator (f);

  /* Nothing typed: nothing to complain about yet, but nothing to send either. */
  g_assert_null (shown_error (f));
  g_assert_false (can_create (f));

  fill_valid (f);
  g_assert_null (shown_error (f));
  g_assert_true (can_create (f));

  set_text (f, "E-mail", "ada at example");
  g_assert_cmpstr (shown_error (f), ==, "Enter an e-mail address such as name@example.com");
  g_assert_true (gtk_widget_has_css_class (ROW (f, "E-mail"), "error"));
  g_assert_false (can_create (f));
  set_text (f, "E-mail", "ada@example.com");
  g_assert_false (gtk_widget_has_css_class (ROW (f, "E-mail"), "error"));

  set_text (f, "Username", "ada lovelace");
  g_assert_cmpstr (shown_error (f), ==,
                   "The username cannot contain spaces or control characters");
  g_assert_false (can_create (f));
  set_text (f, "Username", "ada");

  set_text (f, "Password", "short");
  g_assert_cmpstr (shown_error (f), ==, "The password must be at least 8 characters long");
  set_text (f, "Password", "analytical engine");
  set_text (f, "Confirm Password", "analytical engines");
  g_assert_cmpstr (shown_error (f), ==, "The passwords do not match");
  g_assert_false (can_create (f));
  set_text (f, "Confirm Password", "analytical engine");

  /* A name is needed, either one. */
  set_text (f, "First Name", "");
  set_text (f, "Last Name", "");
  g_assert_false (can_create (f));
  set_text (f, "Last Name", "Lovelace");
  g_assert_true (can_create (f));
  g_assert_null (shown_error (f));
}

static void
test_back_keeps_input (Fixture *f, gconstpointer data)
{
  go_to_administrator (f);
  set_text (f, "First Name", "Ada");
  set_text (f, "Username", "ada");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (ROW (f, "On This Computer"), "activated");
  g_assert_cmpstr (page (f), ==, "administrator");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "First Name"))), ==, "Ada");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Username"))), ==, "ada");
  /* The server is not started twice. */
  g_assert_true (server_ready (f));
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autofree char *token_file = NULL;

  go_to_administrator (f);
  fill_valid (f);
  g_assert_true (can_create (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  /* Busy: no second request. */
  g_assert_false (can_create (f));

  finish_wizard (f);
  g_assert_cmpstr (f->completed_user, ==, "ada");
  g_assert_nonnull (roster_client_get_token (f->completed_client));
  /* The password does not linger in the form, and the setup token is spent. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password"))), ==, "");
  token_file = g_build_filename (roster_local_server_get_data_dir (f->local_server),
                                 "setup-token", NULL);
  g_assert_false (g_file_test (token_file, G_FILE_TEST_EXISTS));
}


/* ------------------------------------------------------------ remote server */

static void
forget_tokens (Fixture *f, const char *server)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_credentials_clear_async (f->credentials, server, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_credentials_clear_finish (f->credentials,
                                                  roster_test_wait_result (&result), NULL));
}

static void
go_to_remote (Fixture *f, const char *url)
{
  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (ROW (f, "Remote Server"), "activated");
  g_assert_cmpstr (page (f), ==, "remote");
  set_text (f, "Server Address", url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.connect", NULL));
}

static gboolean
connecting (Fixture *f)
{
  return !gtk_widget_get_sensitive (ROW (f, "Server Address"));
}

static void
test_remote_wrong_url (Fixture *f, gconstpointer data)
{
  g_autofree char *not_scim = NULL;

  f->remote = roster_test_server_start (NULL);

  /* Not an address at all: said at once, nothing sent. */
  go_to_remote (f, "ftp://example.com");
  g_assert_cmpstr (shown_error (f), ==, "Enter an address such as https://crm.example.com");
  g_assert_cmpstr (page (f), ==, "remote");

  /* Nobody listens there. */
  set_text (f, "Server Address", "http://127.0.0.1:1");
  g_assert_null (shown_error (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.connect", NULL));
  roster_test_wait_until (!connecting (f), 20);
  g_assert_cmpstr (shown_error (f), ==, "The server cannot be reached.");
  g_assert_cmpstr (page (f), ==, "remote");

  /* A web server that is no SCIM server: rosterd's own 404s under another path. */
  not_scim = g_strconcat (f->remote->base_url, "/not-here", NULL);
  set_text (f, "Server Address", not_scim);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.connect", NULL));
  roster_test_wait_until (!connecting (f), 20);
  g_assert_nonnull (shown_error (f));
  g_assert_true (g_str_has_prefix (shown_error (f), "No SCIM 2.0 server answers at this address."));
  g_assert_cmpstr (page (f), ==, "remote");

  /* Back goes to the welcome page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "welcome");
  g_assert_cmpuint (f->completed, ==, 0);
}


/* A server whose certificate this computer does not trust: said in words, never accepted. */
static void
test_remote_tls (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = g_build_filename (f->tmp, "cert.pem", NULL);
  g_autofree char *key_file = g_build_filename (f->tmp, "key.pem", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) soup_server = NULL;
  GSList *uris;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                         "2", "-subj", "/CN=127.0.0.1", "-keyout", key_file, "-out",
                         cert_file, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);
  soup_server = soup_server_new ("tls-certificate", certificate, NULL);
  /* soup_server_listen(), not _listen_local(): libsoup 3.2's _listen_local() leaks the
   * address it asks the listener for (LeakSanitizer). */
  {
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);

    g_assert_true (soup_server_listen (soup_server, address, SOUP_SERVER_LISTEN_HTTPS, &error));
  }
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  go_to_remote (f, url);
  roster_test_wait_until (!connecting (f), 20);
  g_assert_cmpstr (page (f), ==, "remote");
  g_assert_nonnull (shown_error (f));
  g_assert_true (g_str_has_prefix (shown_error (f), "The server’s identity could not be verified."));
  g_assert_nonnull (strstr (shown_error (f), "not signed by an authority this computer trusts"));
  g_assert_cmpuint (f->completed, ==, 0);
  /* The user can go back and choose something else. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "welcome");
  soup_server_disconnect (soup_server);
}

static void
test_remote_setup_token (Fixture *f, gconstpointer data)
{
  g_autofree char *stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint status = 0;
  g_autofree char *body = NULL;

  f->remote = roster_test_server_start (NULL);
  g_assert_nonnull (f->remote->setup_token);
  /* As typed: no scheme would mean https, so the test gives http; a trailing / is dropped. */
  {
    g_autofree char *typed = g_strconcat (f->remote->base_url, "/", NULL);

    go_to_remote (f, typed);
  }
  roster_test_wait_until (g_strcmp0 (page (f), "setup-token") == 0, 20);
  g_assert_cmpstr (roster_setup_wizard_get_remote_url (f->wizard), ==, f->remote->base_url);

  /* A wrong token is only found out by using it: Create comes back here with the reason. */
  set_text (f, "Setup Token", "not-the-token");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.use-token", NULL));
  g_assert_cmpstr (page (f), ==, "administrator");
  fill_valid (f);
  roster_test_wait_until (can_create (f), 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  roster_test_wait_until (g_strcmp0 (page (f), "setup-token") == 0, 20);
  g_assert_cmpstr (shown_error (f), ==, "The setup token is wrong.");
  g_assert_cmpuint (f->completed, ==, 0);

  /* The right one: what was typed on the administrator page is still there. */
  set_text (f, "Setup Token", f->remote->setup_token);
  g_assert_null (shown_error (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.use-token", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Username"))), ==, "ada");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password"))), ==, PASSWORD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  roster_test_wait_until (team_ready (f), 20);

  /* Closed on the team page: it comes back there, signed in with the stored token. */
  close_wizard (f);
  open_wizard (f);
  g_assert_cmpstr (page (f), ==, "team");
  finish_wizard (f);
  g_assert_cmpstr (f->completed_user, ==, "ada");

  /* The token is the server's: stored under its address, and it works there. */
  roster_credentials_lookup_async (f->credentials, f->remote->base_url, "ada", NULL,
                                   roster_test_async_cb, &result);
  stored = roster_credentials_lookup_finish (f->credentials, roster_test_wait_result (&result),
                                             NULL);
  g_assert_cmpstr (stored, ==, roster_client_get_token (f->completed_client));
  body = roster_test_server_request (f->remote, "GET", "/scim/v2/Users", stored, NULL, NULL,
                                     &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (body, "\"ada\""));
  forget_tokens (f, f->remote->base_url);
}

static void
test_remote_signed_up_server (Fixture *f, gconstpointer data)
{
  g_autofree char *token = NULL;

  f->remote = roster_test_server_start (NULL);
  token = roster_test_server_setup_admin (f->remote, "grace", "correct horse battery");
  go_to_remote (f, f->remote->base_url);
  /* Set up already: no token asked for, the window signs in. */
  roster_test_wait_until (f->completed == 1, 20);
  g_assert_null (f->completed_user);
  g_assert_cmpstr (roster_client_get_base_url (f->completed_client), ==, f->remote->base_url);
  g_assert_cmpstr (page (f), ==, "remote");
}

static GVariant *
saved_state (Fixture *f)
{
  return g_settings_get_value (f->settings, "wizard-state");
}

static void
test_resume (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) state = NULL;
  g_autofree char *printed = NULL;

  f->remote = roster_test_server_start (NULL);
  go_to_remote (f, f->remote->base_url);
  roster_test_wait_until (g_strcmp0 (page (f), "setup-token") == 0, 20);
  set_text (f, "Setup Token", f->remote->setup_token);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.use-token", NULL));
  fill_valid (f);

  /* Nothing secret is kept: not the password, not the setup token. */
  state = saved_state (f);
  printed = g_variant_print (state, FALSE);
  g_assert_null (strstr (printed, PASSWORD));
  g_assert_null (strstr (printed, f->remote->setup_token));
  g_assert_nonnull (strstr (printed, "'page': 'administrator'"));
  g_assert_nonnull (strstr (printed, "'given-name': 'Ada'"));

  /* Closed mid-way, started again: the same server is checked again and the token (not kept)
   * is asked for; every field typed is back, the passwords are not. */
  close_wizard (f);
  open_wizard (f);
  roster_test_wait_until (g_strcmp0 (page (f), "setup-token") == 0, 20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Server Address"))), ==,
                   f->remote->base_url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Setup Token"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "First Name"))), ==, "Ada");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "E-mail"))), ==,
                   "ada@example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password"))), ==, "");

  /* The local server resumes on its administrator page too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (ROW (f, "On This Computer"), "activated");
  roster_test_wait_until (server_ready (f), 20);
  close_wizard (f);
  open_wizard (f);
  g_assert_cmpstr (page (f), ==, "administrator");
  roster_test_wait_until (server_ready (f), 20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Last Name"))), ==, "Lovelace");

  /* Done: nothing left to resume. */
  set_text (f, "Password", PASSWORD);
  set_text (f, "Confirm Password", PASSWORD);
  roster_test_wait_until (can_create (f), 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  finish_wizard (f);
  g_clear_pointer (&state, g_variant_unref);
  state = saved_state (f);
  g_assert_cmpuint (g_variant_n_children (state), ==, 0);
  forget_tokens (f, "local");
}

static double
strength (Fixture *f)
{
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_LEVEL_BAR, bars);
  g_assert_cmpuint (bars->len, ==, 1);
  return gtk_level_bar_get_value (g_ptr_array_index (bars, 0));
}

static const char *
strength_hint (Fixture *f)
{
  const char *hint = adw_action_row_get_subtitle (ADW_ACTION_ROW (ROW (f, "Password Strength")));

  return hint != NULL ? hint : "";
}

static void
test_strength_and_generate (Fixture *f, gconstpointer data)
{
  const char *password;
  GtkWidget *generated;

  go_to_administrator (f);
  fill_valid (f);
  roster_test_wait_until (strength (f) > 0, 10);
  g_assert_true (can_create (f));

  /* libpwquality's own reason, live: a dictionary word, the username. */
  set_text (f, "Password", "password");
  set_text (f, "Confirm Password", "password");
  roster_test_wait_until (strength (f) == 0 && *strength_hint (f) != '\0', 10);
  g_assert_true (strstr (strength_hint (f), "dictionary") != NULL);
  g_assert_cmpstr (shown_error (f), ==, strength_hint (f));
  g_assert_false (can_create (f));


  /* Generate fills both fields with a password libpwquality passes, and shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.generate", NULL));
  roster_test_wait_until (
    strlen (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password")))) >= 16, 10);
  password = gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Confirm Password"))), ==,
                   password);
  generated = NULL;
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), password) != NULL)
        generated = g_ptr_array_index (labels, i);
  }
  g_assert_nonnull (generated);
  g_assert_true (gtk_widget_get_visible (generated));
  roster_test_wait_until (strength (f) >= 70, 10);
  g_assert_cmpstr (strength_hint (f), ==, "Strong password.");
  g_assert_true (can_create (f));

  /* Typing over it hides the shown password: it is not the one in the field any more. */
  set_text (f, "Password", "correct horse battery");
  g_assert_false (gtk_widget_get_visible (generated));
}


/* ------------------------------------------------------------------ the team */

/* The local rosterd the wizard started, as the test's own helpers want it. */
#define LOCAL(f)                                                                                   \
  (&(RosterTestServer){ .base_url = (char *) roster_local_server_get_base_url ((f)->local_server) })

static char *
local_request (Fixture *f, const char *method, const char *path, const char *token,
               const char *body, guint expected)
{
  guint status = 0;
  char *reply = roster_test_server_request (LOCAL (f), method, path, token,
                                            body != NULL ? "application/scim+json" : NULL, body,
                                            &status);

  g_assert_cmpuint (status, ==, expected);
  return reply;
}

static char *
id_of (const char *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
  return g_strdup (
    json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));
}

static guint
total_results (const char *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
  return (guint) json_object_get_int_member (
    json_node_get_object (json_parser_get_root (parser)), "totalResults");
}

static guint
users_named (Fixture *f, const char *token, const char *user_name)
{
  g_autofree char *path = g_strdup_printf ("/scim/v2/Users?filter=userName%%20eq%%20%%22%s%%22",
                                           user_name);
  g_autofree char *reply = local_request (f, "GET", path, token, NULL, 200);

  return total_results (reply);
}

static RosterTeamTable *
team_table (Fixture *f)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), ROSTER_TYPE_TEAM_TABLE, found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* The team page's and the Done page's results show one sender's accounts. */
static RosterTeamSender *
team_sender (Fixture *f)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), ROSTER_TYPE_TEAM_RESULTS, found);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_true (roster_team_results_get_sender (g_ptr_array_index (found, 0))
                 == roster_team_results_get_sender (g_ptr_array_index (found, 1)));
  return roster_team_results_get_sender (g_ptr_array_index (found, 0));
}

/* Two drop-downs a row: role (column 0), then team (1). */
static GtkDropDown *
drop_down (Fixture *f, guint row, guint column)
{
  g_autoptr(GPtrArray) drops = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (team_table (f)), GTK_TYPE_DROP_DOWN, drops);
  return g_ptr_array_index (drops, row * 2 + column);
}

static guint
n_choices (Fixture *f, guint row, guint column)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (drop_down (f, row, column)));
}

/* A status cell that says something went wrong, if any. */
static const char *
row_problem (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (team_table (f)), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error")
          && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
        return gtk_label_get_text (GTK_LABEL (label));
    }
  return NULL;
}

/* A label shown on the current page whose text contains @part. */
static GtkWidget *
shown_label (Fixture *f, const char *part)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label)
          && strstr (gtk_label_get_text (GTK_LABEL (label)), part) != NULL)
        return label;
    }
  return NULL;
}

static const char *
done_summary (Fixture *f)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_title (g_ptr_array_index (pages, i)), "Roster Is Ready")
        == 0)
      return adw_status_page_get_description (g_ptr_array_index (pages, i));
  g_error ("no Done page");
}

static void
test_team (Fixture *f, gconstpointer data)
{
  RosterTeamTable *table;
  RosterTeamSender *sender;
  g_autofree char *token = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *team_id = NULL;
  g_autofree char *role_id = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) fields = NULL;
  const char *problem;

  go_to_administrator (f);
  fill_valid (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  roster_test_wait_until (team_ready (f), 20);
  /* The administrator exists: no way back past it. */
  gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL);
  g_assert_cmpstr (page (f), ==, "team");

  /* The new server has no roles and no teams: each choice is only "none". */
  table = team_table (f);
  g_assert_cmpuint (roster_team_table_get_n_rows (table), ==, 3);
  roster_test_spin (500);
  g_assert_cmpuint (n_choices (f, 0, 0), ==, 1);
  g_assert_cmpuint (n_choices (f, 0, 1), ==, 1);

  /* A team and a role made elsewhere. The wizard, closed and started again, resumes on the
   * team page signed in, and offers them. */
  token = roster_test_server_sign_in (LOCAL (f), "ada", PASSWORD);
  reply = local_request (f, "POST", "/scim/v2/Groups", token,
                         "{\"displayName\": \"Front Desk\", "
                         "\"urn:roster:params:scim:schemas:extension:crm:2.0:Group\":"
                         " {\"kind\": \"team\"}}",
                         201);
  team_id = id_of (reply);
  g_free (reply);
  reply = local_request (f, "POST", "/scim/v2/Roles", token,
                         "{\"schemas\": [\"urn:roster:params:scim:schemas:core:2.0:Role\"], "
                         "\"name\": \"Sales\"}",
                         201);
  role_id = id_of (reply);
  close_wizard (f);
  open_wizard (f);
  g_assert_cmpstr (page (f), ==, "team");
  roster_test_wait_until (team_ready (f), 20);
  table = team_table (f);
  roster_test_wait_until (n_choices (f, 0, 0) == 2 && n_choices (f, 0, 1) == 2, 10);

  /* Three rows, the first with the role and the team. */
  roster_team_table_set_cell (table, 0, "given", "Grace");
  roster_team_table_set_cell (table, 0, "family", "Hopper");
  roster_team_table_set_cell (table, 0, "user-name", "grace");
  roster_team_table_set_cell (table, 0, "email", "grace@example.com");
  gtk_drop_down_set_selected (drop_down (f, 0, 0), 1);
  gtk_drop_down_set_selected (drop_down (f, 0, 1), 1);
  roster_team_table_set_cell (table, 1, "user-name", "alan");
  roster_team_table_set_cell (table, 2, "user-name", "edsger");
  /* The live check of "edsger" passes; then someone else takes the name, which only the
   * server finds out when the rows are sent. */
  roster_test_spin (1000);
  g_assert_true (roster_team_table_get_valid (table));
  g_free (reply);
  reply = local_request (f, "POST", "/scim/v2/Users", token,
                         "{\"userName\": \"edsger\", \"name\": {\"givenName\": \"E\"}}", 201);

  /* First passwords, not e-mails. */
  gtk_check_button_set_active (
    GTK_CHECK_BUTTON (find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_CHECK_BUTTON,
                                   "_E-mail details")),
    FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.send-team", NULL));
  roster_test_wait_until (row_problem (f) != NULL, 20);
  problem = row_problem (f);
  g_test_message ("the taken username: %s", problem);
  g_assert_null (strstr (problem, "409")); /* a sentence, not a status */
  g_assert_cmpuint (strlen (problem), >, 10);
  g_assert_cmpstr (page (f), ==, "team");
  g_assert_nonnull (shown_label (f, "2 of 3 accounts created: correct the rows that say why"));
  sender = team_sender (f);
  g_assert_cmpuint (roster_team_sender_get_n_created (sender), ==, 2);
  g_assert_true (gtk_widget_get_mapped (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "_Continue")));

  /* Corrected and sent again: only that row goes, and the wizard goes on to Done. */
  roster_team_table_set_cell (table, 2, "user-name", "edsger.d");
  roster_test_wait_until (roster_team_table_get_valid (table), 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.send-team", NULL));
  roster_test_wait_until (g_strcmp0 (page (f), "done") == 0, 20);
  g_assert_cmpuint (roster_team_sender_get_n_created (sender), ==, 3);
  g_assert_cmpuint (users_named (f, token, "grace"), ==, 1);
  g_assert_cmpuint (users_named (f, token, "alan"), ==, 1);
  g_assert_cmpuint (users_named (f, token, "edsger.d"), ==, 1);
  g_assert_cmpuint (users_named (f, token, "edsger"), ==, 1);
  g_assert_cmpstr (done_summary (f), ==, "3 accounts created, 0 invitations sent.");
  /* The Done page says plainly where the first passwords are, and only there. */
  g_assert_nonnull (shown_label (f, "Roster does not keep them"));

  /* Grace has the role and is in the team, on the server; Alan has neither. */
  g_free (reply);
  reply = local_request (f, "GET", "/scim/v2/Users?filter=userName%20eq%20%22grace%22", token,
                         NULL, 200);
  g_assert_nonnull (strstr (reply, role_id));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *resources;
    const char *grace_id;

    g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
    resources = json_object_get_array_member (
      json_node_get_object (json_parser_get_root (parser)), "Resources");
    grace_id = json_object_get_string_member (json_array_get_object_element (resources, 0), "id");
    path = g_strconcat ("/scim/v2/Groups/", team_id, NULL);
    g_free (reply);
    reply = local_request (f, "GET", path, token, NULL, 200);
    g_assert_nonnull (strstr (reply, grace_id));
    g_assert_null (strstr (reply, "alan"));
  }

  /* The CSV, from the shared builder: the first passwords are in it, and they work. */
  csv = roster_team_sender_build_csv (sender);
  g_assert_true (g_str_has_prefix (csv, "First Name,Last Name,Username,E-mail,Role,Team,"
                                        "First Password\r\nGrace,Hopper,grace,"
                                        "grace@example.com,Sales,Front Desk,"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* the header, 3 rows, after the last CRLF */
  g_assert_true (g_str_has_prefix (lines[2], ",,alan,,,,"));
  g_assert_true (g_str_has_prefix (lines[3], ",,edsger.d,,,,"));
  fields = g_strsplit (lines[2], ",", -1);
  {
    g_autofree char *body = g_strdup_printf ("{\"userName\": \"alan\", \"password\": \"%s\"}",
                                             fields[6]);
    guint status = 0;
    g_autofree char *answer = roster_test_server_request (LOCAL (f), "POST", "/auth/token", NULL,
                                                          "application/json", body, &status);
    g_autoptr(GVariant) state = saved_state (f);
    g_autofree char *printed = g_variant_print (state, FALSE);

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (answer, "password_change_required"));
    /* Shown on the Done page, and not in the saved state. */
    g_assert_nonnull (shown_label (f, fields[6]));
    g_assert_null (strstr (printed, fields[6]));
    g_assert_nonnull (strstr (printed, "'page': 'team'"));
  }

  /* Back: the team page shows what was sent, not an empty table. Forward sends nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "team");
  g_assert_nonnull (shown_label (f, "3 accounts created"));
  g_assert_cmpuint (roster_team_table_get_n_filled (table), ==, 0); /* all created, locked */
  g_assert_nonnull (find_widget (GTK_WIDGET (table), GTK_TYPE_LABEL, "Created"));
  g_assert_false (gtk_widget_get_sensitive (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "C_reate Accounts")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.team-done", NULL));
  g_assert_cmpstr (page (f), ==, "done");
  g_free (reply);
  reply = local_request (f, "GET", "/scim/v2/Users", token, NULL, 200);
  g_assert_cmpuint (total_results (reply), ==, 5);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.start", NULL));
  g_assert_cmpuint (f->completed, ==, 1);
  g_assert_cmpstr (f->completed_user, ==, "ada");
  forget_tokens (f, "local");
}

static void
test_team_skip (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) state = NULL;

  go_to_administrator (f);
  fill_valid (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  roster_test_wait_until (team_ready (f), 20);
  /* Nothing typed: nothing to send, but Skip. */
  g_assert_false (gtk_widget_get_sensitive (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "C_reate Accounts")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.team-done", NULL));
  g_assert_cmpstr (page (f), ==, "done");
  g_assert_cmpstr (done_summary (f), ==,
                   "Only your administrator account was created. You can add people later "
                   "from the user list.");
  g_assert_null (shown_label (f, "Roster does not keep them"));
  g_assert_false (gtk_widget_get_mapped (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "E_xport as CSV…")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.start", NULL));
  g_assert_cmpuint (f->completed, ==, 1);
  g_assert_cmpstr (f->completed_user, ==, "ada");
  state = saved_state (f);
  g_assert_cmpuint (g_variant_n_children (state), ==, 0);
  forget_tokens (f, "local");
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/setup-wizard/validation", Fixture, NULL, fixture_set_up, test_validation,
              fixture_tear_down);
  g_test_add ("/setup-wizard/back-keeps-input", Fixture, NULL, fixture_set_up,
              test_back_keeps_input, fixture_tear_down);
  g_test_add ("/setup-wizard/create", Fixture, NULL, fixture_set_up, test_create,
              fixture_tear_down);
  g_test_add ("/setup-wizard/remote-wrong-url", Fixture, NULL, fixture_set_up,
              test_remote_wrong_url, fixture_tear_down);
  g_test_add ("/setup-wizard/remote-tls", Fixture, NULL, fixture_set_up, test_remote_tls,
              fixture_tear_down);
  g_test_add ("/setup-wizard/remote-setup-token", Fixture, NULL, fixture_set_up,
              test_remote_setup_token, fixture_tear_down);
  g_test_add ("/setup-wizard/remote-set-up-server", Fixture, NULL, fixture_set_up,
              test_remote_signed_up_server, fixture_tear_down);
  g_test_add ("/setup-wizard/resume", Fixture, NULL, fixture_set_up, test_resume,
              fixture_tear_down);
  g_test_add ("/setup-wizard/team", Fixture, NULL, fixture_set_up, test_team, fixture_tear_down);
  g_test_add ("/setup-wizard/team-skip", Fixture, NULL, fixture_set_up, test_team_skip,
              fixture_tear_down);
  g_test_add ("/setup-wizard/strength-and-generate", Fixture, NULL, fixture_set_up,
              test_strength_and_generate, fixture_tear_down);

  return g_test_run ();
}
