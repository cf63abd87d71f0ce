/* test-recently-deleted.c: Recently Deleted over a real rosterd, with its test clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-recently-deleted"

#include "config.h"

#include <string.h>

#include "roster-recently-deleted-dialog.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

#define PASSWORD "correct horse battery"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  GtkWindow *window;
  char *ada_id;
  char *bob_id;
  char *carol_id;
  guint restored;
  guint n_reassigned;
} Fixture;

static JsonNode *
api (Fixture *f, const char *method, const char *path, const char *body, guint expected)
{
  guint status = 0;
  g_autofree char *answer = roster_test_server_request (
    f->server, method, path, f->token, body != NULL ? "application/json" : NULL, body, &status);

  g_assert_cmpuint (status, ==, expected);
  return answer != NULL && *answer != '\0' ? json_from_string (answer, NULL) : NULL;
}

static char *
make_user (Fixture *f, const char *user_name, const char *display_name)
{
  g_autofree char *body = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\","
    "\"displayName\":\"%s\",\"password\":\"" PASSWORD "\"}",
    user_name, display_name);
  g_autoptr(JsonNode) node = api (f, "POST", "/scim/v2/Users", body, 201);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static void
advance_days (Fixture *f, guint days)
{
  g_autofree char *body = g_strdup_printf ("{\"advance\": %u}", days * 86400);
  guint status = 0;
  g_autofree char *answer = roster_test_server_request (f->server, "POST", "/_test/clock", NULL,
                                                        "application/json", body, &status);

  /* The test command builds with -Dtest_clock=true; without it this cannot pass. */
  g_assert_cmpuint (status, ==, 200);
  /* Days later the session has timed out: sign in again. */
  g_free (f->token);
  f->token = roster_test_server_sign_in (f->server, "admin", PASSWORD);
  roster_client_set_token (f->client, f->token);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *order = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;

  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", PASSWORD);
  f->ada_id = make_user (f, "ada", "Ada Lovelace");
  f->bob_id = make_user (f, "bob", "Bob Builder");
  f->carol_id = make_user (f, "carol", "Carol Shaw");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) record = NULL;

      g_free (order);
      order = g_strdup_printf ("{\"kind\":\"order\",\"title\":\"Order %u\",\"owner\":"
                               "{\"type\":\"user\",\"value\":\"%s\"}}",
                               i, f->ada_id);
      record = api (f, "POST", "/scim/v2/Records", order, 201);
    }
  /* Ada's orders go to Carol; Bob owns nothing. */
  plan = g_strdup_printf ("{\"orders\":{\"to\":\"user\",\"value\":\"%s\"}}", f->carol_id);
  path = g_strconcat ("/scim/v2/Users/", f->ada_id, NULL);
  node = api (f, "DELETE", path, plan, 204);
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", f->bob_id, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = api (f, "DELETE", path, NULL, 204);

  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->window = roster_ui_test_window (gtk_label_new (""));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  roster_test_assert_finalize (f->client);
  g_free (f->ada_id);
  g_free (f->bob_id);
  g_free (f->carol_id);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static AdwActionRow *
find_row (GtkWidget *root, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

static guint
n_rows (GtkWidget *root)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  return rows->len;
}

static void
on_restored_cb (RosterRecentlyDeletedDialog *dialog, RosterUser *user, guint n_reassigned,
                Fixture *f)
{
  g_assert_cmpstr (roster_user_get_id (user), ==, f->ada_id);
  g_assert_false (roster_user_get_active (user));
  f->restored++;
  f->n_reassigned = n_reassigned;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Reloads and waits until @expected rows are shown (or the empty page, for 0). */
static void
reload (RosterRecentlyDeletedDialog *dialog, guint expected)
{
  roster_recently_deleted_dialog_reload (dialog);
  roster_test_wait_until (
    g_strcmp0 (roster_recently_deleted_dialog_get_state (dialog), expected > 0 ? "list" : "empty")
        == 0
      && (expected == 0 || n_rows (GTK_WIDGET (dialog)) == expected),
    10);
}

static void
test_list_days_restore_purge (Fixture *f, gconstpointer data)
{
  RosterRecentlyDeletedDialog *dialog = roster_recently_deleted_dialog_new (f->window, f->client);
  AdwActionRow *ada, *bob;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  AdwMessageDialog *ask;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) back = NULL;

  g_signal_connect (dialog, "restored", G_CALLBACK (on_restored_cb), f);
  roster_test_wait_until (g_strcmp0 (roster_recently_deleted_dialog_get_state (dialog), "list")
                              == 0
                            && n_rows (GTK_WIDGET (dialog)) == 2,
                          10);
  ada = find_row (GTK_WIDGET (dialog), "Ada Lovelace");
  bob = find_row (GTK_WIDGET (dialog), "Bob Builder");
  g_assert_nonnull (ada);
  g_assert_nonnull (bob);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ada), "by admin"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ada), "14 days left"));

  /* Three days later on the server's clock. */
  advance_days (f, 3);
  roster_recently_deleted_dialog_reload (dialog);
  roster_test_wait_until ((ada = find_row (GTK_WIDGET (dialog), "Ada Lovelace")) != NULL
                            && strstr (adw_action_row_get_subtitle (ada), "11 days left") != NULL,
                          10);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (find_row (GTK_WIDGET (dialog),
                                                                   "Bob Builder")),
                            "11 days left"));

  /* Restore asks, and says her orders stay with Carol. */
  roster_ui_test_collect (GTK_WIDGET (ada), GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_cmpstr (gtk_button_get_label (buttons->pdata[0]), ==, "Restore");
  g_signal_emit_by_name (buttons->pdata[0], "clicked");
  ask = find_message_dialog ();
  g_assert_nonnull (ask);
  g_assert_cmpstr (adw_message_dialog_get_heading (ask), ==, "Restore Ada Lovelace?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ask),
                            "The records given to others at the deletion stay with their new "
                            "owners."));
  adw_message_dialog_response (ask, "restore");
  roster_test_wait_until (f->restored == 1, 10);
  g_assert_cmpuint (f->n_reassigned, ==, 2);
  path = g_strconcat ("/scim/v2/Users/", f->ada_id, NULL);
  back = api (f, "GET", path, NULL, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (back), "active"));
  roster_test_wait_until (n_rows (GTK_WIDGET (dialog)) == 1
                            && find_row (GTK_WIDGET (dialog), "Bob Builder") != NULL,
                          10);

  /* Past the window Bob is purged, and the list is empty. */
  advance_days (f, 12);
  reload (dialog, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_forbidden (Fixture *f, gconstpointer data)
{
  g_autofree char *viewer_id = make_user (f, "viewer", "Viewer");
  g_autofree char *token = roster_test_server_sign_in (f->server, "viewer", PASSWORD);
  g_autoptr(RosterClient) client = roster_client_new (f->server->base_url);
  RosterRecentlyDeletedDialog *dialog;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  gboolean explained = FALSE;

  roster_client_set_token (client, token);
  dialog = roster_recently_deleted_dialog_new (f->window, client);
  roster_test_wait_until (
    g_strcmp0 (roster_recently_deleted_dialog_get_state (dialog), "error") == 0, 10);
  roster_ui_test_collect (GTK_WIDGET (dialog), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_description (pages->pdata[i]),
                   "Seeing deleted users needs the users.view permission.")
        == 0)
      explained = TRUE;
  g_assert_true (explained);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A user created the way the app's form does, with a given and a family name and no
 * display name, is listed by name as in the user list, not by username. */
static void
test_listed_by_name (Fixture *f, gconstpointer data)
{
  RosterRecentlyDeletedDialog *dialog = NULL;
  g_autoptr(JsonNode) node = api (
    f, "POST", "/scim/v2/Users",
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"dora\","
    "\"name\":{\"givenName\":\"Dora\",\"familyName\":\"Gray\"}}",
    201);
  g_autofree char *path = g_strconcat (
    "/scim/v2/Users/", json_object_get_string_member (json_node_get_object (node), "id"), NULL);
  g_autoptr(JsonNode) gone = api (f, "DELETE", path, NULL, 204);

  dialog = roster_recently_deleted_dialog_new (f->window, f->client);
  roster_test_wait_until (g_strcmp0 (roster_recently_deleted_dialog_get_state (dialog), "list")
                              == 0
                            && n_rows (GTK_WIDGET (dialog)) == 3,
                          10);
  g_assert_nonnull (find_row (GTK_WIDGET (dialog), "Dora Gray"));
  g_assert_null (find_row (GTK_WIDGET (dialog), "dora"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/recently-deleted/list-days-restore-purge", Fixture, NULL, fixture_set_up,
              test_list_days_restore_purge, fixture_tear_down);
  g_test_add ("/recently-deleted/listed-by-name", Fixture, NULL, fixture_set_up,
              test_listed_by_name, fixture_tear_down);
  g_test_add ("/recently-deleted/forbidden", Fixture, NULL, fixture_set_up, test_forbidden,
              fixture_tear_down);

  return g_test_run ();
}
