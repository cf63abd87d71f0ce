/* test-sign-in-page.c: signing in, and choosing a new password when it must be changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-sign-in-page"

#include "config.h"

#include "roster-sign-in-page.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterSignInPage *page;
  GtkWindow *window;
  char *signed_in;
} Fixture;

static void
on_signed_in_cb (RosterSignInPage *page, const char *user_name, gpointer user_data)
{
  Fixture *f = user_data;

  g_free (f->signed_in);
  f->signed_in = g_strdup (user_name);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;
  const char *start;
  guint status = 0;

  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  reply = roster_test_server_request (
    f->server, "POST", "/scim/v2/Users", f->token, "application/scim+json",
    "{\"userName\": \"grace\", \"password\": \"first compiler 1952\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  start = strstr (reply, "\"id\":\"") + 6;
  id = g_strndup (start, strchr (start, '"') - start);
  path = g_strconcat ("/scim/v2/Users/", id, "/actions/set-password", NULL);
  g_free (reply);
  reply = roster_test_server_request (
    f->server, "POST", path, f->token, "application/scim+json",
    "{\"password\": \"temporary mainframe 7\", \"mustChange\": true}", &status);
  g_assert_cmpuint (status, ==, 200);

  f->client = roster_client_new (f->server->base_url);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_SIGN_IN_PAGE, NULL));
  g_signal_connect (f->page, "signed-in", G_CALLBACK (on_signed_in_cb), f);
  roster_sign_in_page_set_client (f->page, f->client);
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->client);
  g_free (f->token);
  g_free (f->signed_in);
  roster_test_server_stop (f->server);
}

static GtkWidget *
find_row (Fixture *f, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no row %s", title);
}

static void
test_must_change (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterClient) check = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  roster_sign_in_page_prepare (f->page, "grace", NULL);
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Password")), "temporary mainframe 7");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "sign-in.sign-in", NULL));

  /* Signed in, but asked for a new password first: no signed-in yet. */
  roster_test_wait_until (gtk_widget_is_visible (find_row (f, "New Password")), 10);
  g_assert_null (f->signed_in);
  g_assert_true (roster_client_get_password_change_required (f->client));

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "New Password")), "cobol standard 1959");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Confirm New Password")),
                         "cobol standard 1959");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "sign-in.sign-in", NULL));
  roster_test_wait_until (f->signed_in != NULL, 10);
  g_assert_cmpstr (f->signed_in, ==, "grace");
  g_assert_false (roster_client_get_password_change_required (f->client));

  /* The new password is the one that works now. */
  check = roster_client_new (f->server->base_url);
  roster_client_sign_in_async (check, "grace", "cobol standard 1959", NULL, roster_test_async_cb,
                               &result);
  g_assert_true (roster_client_sign_in_finish (check, roster_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/sign-in-page/must-change", Fixture, NULL, fixture_set_up, test_must_change,
              fixture_tear_down);

  return g_test_run ();
}
