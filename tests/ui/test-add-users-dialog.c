/* test-add-users-dialog.c: "Add Several Users" against a real rosterd: validation as you
 * type, one Bulk request, per-row outcomes, a second attempt, and the CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-add-users-dialog"

#include "config.h"

#include <sys/stat.h>

#include "roster-add-users-dialog.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterAddUsersDialog *dialog;
  RosterTeamTable *table;
  char *team_id;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;
  guint status = 0;

  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  reply = roster_test_server_request (
    f->server, "POST", "/scim/v2/Groups", f->token, "application/scim+json",
    "{\"displayName\": \"Front Desk\", \"urn:roster:params:scim:schemas:extension:crm:2.0:Group\":"
    " {\"kind\": \"team\"}}",
    &status);
  g_assert_cmpuint (status, ==, 201);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
    f->team_id = g_strdup (json_object_get_string_member (
      json_node_get_object (json_parser_get_root (parser)), "id"));
  }
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->dialog = roster_add_users_dialog_new (NULL, f->client, 0);
  f->table = roster_add_users_dialog_get_table (f->dialog);
  gtk_window_present (GTK_WINDOW (f->dialog));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  roster_test_assert_finalize (f->client);
  g_free (f->team_id);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static GtkWidget *
find_by_label (GtkWidget *root, GType type, const char *label)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  roster_ui_test_collect (root, type, found);
  for (guint i = 0; i < found->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (found, i);

      if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
        return widget;
      if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0)
        return widget;
    }
  return NULL;
}

static void
choose_team (Fixture *f, guint row)
{
  g_autoptr(GPtrArray) drops = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->table), GTK_TYPE_DROP_DOWN, drops);
  /* Two drop-downs a row: role, then team; "Front Desk" is the team list's second item. */
  roster_test_wait_until (g_list_model_get_n_items (gtk_drop_down_get_model (
                            g_ptr_array_index (drops, row * 2 + 1))) == 2,
                          10);
  gtk_drop_down_set_selected (g_ptr_array_index (drops, row * 2 + 1), 1);
}

static void
test_create_and_export (Fixture *f, gconstpointer data)
{
  GtkWidget *create = find_by_label (GTK_WIDGET (f->dialog), GTK_TYPE_BUTTON, "C_reate Accounts");
  GtkWidget *email = NULL;
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  guint status = 0;

  g_assert_nonnull (create);
  g_assert_cmpuint (roster_team_table_get_n_rows (f->table), ==, 3);
  /* Nothing typed: nothing to create. */
  g_assert_false (roster_team_table_get_valid (f->table));

  roster_team_table_set_cell (f->table, 0, "given", "Grace");
  roster_team_table_set_cell (f->table, 0, "family", "Hopper");
  roster_team_table_set_cell (f->table, 0, "user-name", "grace");
  roster_team_table_set_cell (f->table, 0, "email", "grace@example.com");
  g_assert_true (roster_team_table_get_valid (f->table));
  g_assert_true (gtk_widget_get_sensitive (create));

  /* The same username twice, and a bad e-mail: refused as typed, with the reason. */
  roster_team_table_set_cell (f->table, 1, "user-name", "Grace");
  g_assert_false (roster_team_table_get_valid (f->table));
  g_assert_nonnull (find_by_label (GTK_WIDGET (f->table), GTK_TYPE_LABEL,
                                   "This username is already in the table"));
  roster_team_table_set_cell (f->table, 1, "user-name", "alan");
  roster_team_table_set_cell (f->table, 1, "email", "not an address");
  g_assert_false (roster_team_table_get_valid (f->table));
  roster_team_table_set_cell (f->table, 1, "email", "alan@example.com");
  g_assert_true (roster_team_table_get_valid (f->table));
  choose_team (f, 1);

  /* "admin" exists: the server check marks it after the pause in typing. */
  roster_team_table_set_cell (f->table, 2, "user-name", "admin");
  roster_test_wait_until (!roster_team_table_get_valid (f->table), 10);
  g_assert_nonnull (find_by_label (GTK_WIDGET (f->table), GTK_TYPE_LABEL,
                                   "Someone already has this username"));
  roster_team_table_set_cell (f->table, 2, "user-name", "edsger");
  roster_test_wait_until (roster_team_table_get_valid (f->table), 10);

  /* Without e-mails each account gets a first password, which the export carries. */
  roster_ui_test_collect (GTK_WIDGET (f->dialog), GTK_TYPE_CHECK_BUTTON, checks);
  email = g_ptr_array_index (checks, 0);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (email), FALSE);
  g_signal_emit_by_name (create, "clicked");
  roster_test_wait_until (find_by_label (GTK_WIDGET (f->dialog), GTK_TYPE_LABEL,
                                         "3 accounts created") != NULL,
                          15);
  g_assert_nonnull (find_by_label (GTK_WIDGET (f->table), GTK_TYPE_LABEL, "Created"));

  /* Everyone is on the server, Alan in the team. */
  reply = roster_test_server_request (f->server, "GET",
                                      "/scim/v2/Users?filter=userName%20eq%20%22alan%22",
                                      f->token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (reply, "\"totalResults\":1"));
  g_free (reply);
  path = g_strconcat ("/scim/v2/Groups/", f->team_id, NULL);
  reply = roster_test_server_request (f->server, "GET", path, f->token, NULL, NULL, &status);
  g_assert_nonnull (strstr (reply, "alan"));

  csv = roster_add_users_dialog_build_csv (f->dialog);
  g_assert_true (g_str_has_prefix (csv, "First Name,Last Name,Username,E-mail,Role,Team,"
                                        "First Password\r\nGrace,Hopper,grace,grace@example.com,,,"));
  g_assert_nonnull (strstr (csv, "\r\n,,alan,alan@example.com,,Front Desk,"));
  g_assert_nonnull (strstr (csv, "\r\n,,edsger,,,,"));

  /* Each first password works, once, to choose a new one. */
  {
    g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);
    g_auto (GStrv) fields = g_strsplit (lines[1], ",", -1);
    g_autofree char *body = g_strdup_printf ("{\"userName\": \"grace\", \"password\": \"%s\"}",
                                             fields[6]);
    g_autofree char *answer = roster_test_server_request (f->server, "POST", "/auth/token", NULL,
                                                          "application/json", body, &status);

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (answer, "password_change_required"));
  }

  /* The export file is the owner's alone. */
  path = (g_free (path), g_build_filename (f->server->data_dir, "export.csv", NULL));
  file = g_file_new_for_path (path);
  roster_add_users_dialog_export (f->dialog, file);
  roster_test_wait_until (g_file_test (path, G_FILE_TEST_EXISTS), 10);
  {
    struct stat st;
    g_autofree char *contents = NULL;

    roster_test_wait_until (g_file_get_contents (path, &contents, NULL, NULL)
                              && g_strcmp0 (contents, csv) == 0,
                            10);
    g_assert_cmpint (stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/add-users-dialog/create-and-export", Fixture, NULL, fixture_set_up,
              test_create_and_export, fixture_tear_down);

  return g_test_run ();
}
