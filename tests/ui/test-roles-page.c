/* test-roles-page.c: roles and their permission switches against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-roles-page"

#include "config.h"

#include <string.h>

#include "roster-roles-page.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterRolesPage *page;
  GtkWindow *window;
  char *failure; /* the page's last error */
} Fixture;

static void
on_failed_cb (RosterRolesPage *page, const GError *error, Fixture *f)
{
  g_test_message ("the page failed: %s", error->message);
  g_free (f->failure);
  f->failure = g_strdup (error->message);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_ROLES_PAGE, NULL));
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_cb), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  /* Requests the page started may still be landing: let the main loop finish them. */
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->client);
  g_free (f->token);
  g_free (f->failure);
  roster_test_server_stop (f->server);
}

static GtkWidget *
find_row (Fixture *f, GType type, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static char *
server_roles (Fixture *f)
{
  guint status = 0;
  char *body = roster_test_server_request (f->server, "GET", "/scim/v2/Roles", f->token, NULL,
                                           NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return body;
}

static void
test_create_and_grant (Fixture *f, gconstpointer data)
{
  GtkWidget *new_row, *sales, *permission;
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  roster_roles_page_set_client (f->page, f->client);
  new_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Role Name");
  g_assert_nonnull (new_row);
  gtk_editable_set_text (GTK_EDITABLE (new_row), "Sales");
  g_signal_emit_by_name (new_row, "apply");
  roster_test_wait_until ((sales = find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales")) != NULL, 10);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (sales)), ==, "0 permissions");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (new_row)), ==, "");

  /* One switch per permission of the catalogue; turning one on saves it. */
  permission = find_row (f, ADW_TYPE_ACTION_ROW, "View orders");
  g_assert_nonnull (permission);
  roster_ui_test_collect (permission, GTK_TYPE_SWITCH, switches);
  g_assert_cmpuint (switches->len, ==, 1);
  before = server_roles (f);
  g_assert_null (strstr (before, "orders.view"));
  gtk_switch_set_active (g_ptr_array_index (switches, 0), TRUE);
  roster_test_wait_until (g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (sales)),
                                     "1 permission")
                            == 0,
                          10);
  after = server_roles (f);
  g_assert_nonnull (strstr (after, "orders.view"));
}

static char *
create (Fixture *f, const char *path, const char *body)
{
  guint status = 0;
  g_autofree char *answer = roster_test_server_request (f->server, "POST", path, f->token,
                                                        "application/scim+json", body, &status);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (status, ==, 201);
  node = json_from_string (answer, NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
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

/* Clicks the Delete button inside the role's expander row and returns the question. */
static AdwMessageDialog *
ask_delete (Fixture *f, const char *role)
{
  GtkWidget *expander = find_row (f, ADW_TYPE_EXPANDER_ROW, role);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  AdwMessageDialog *dialog = NULL;

  g_assert_nonnull (expander);
  roster_ui_test_collect (expander, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Delete") == 0)
      g_signal_emit_by_name (buttons->pdata[i], "clicked");
  roster_test_wait_until ((dialog = find_message_dialog ()) != NULL, 10);
  return dialog;
}

static void
test_delete_in_use (Fixture *f, gconstpointer data)
{
  g_autofree char *sales = create (f, "/scim/v2/Roles", "{\"name\": \"Sales\"}");
  g_autofree char *empty = create (f, "/scim/v2/Roles", "{\"name\": \"Empty\"}");
  g_autofree char *roles = NULL;
  AdwMessageDialog *dialog;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
        "\"userName\":\"seller%u\",\"roles\":[{\"value\":\"%s\"}]}",
        i, sales);
      g_autofree char *id = create (f, "/scim/v2/Users", body);
    }
  roster_roles_page_set_client (f->page, f->client);
  roster_test_wait_until (find_row (f, ADW_TYPE_EXPANDER_ROW, "Empty") != NULL, 10);

  /* Held by two users: the question says so and offers to take it from them. */
  dialog = ask_delete (f, "Sales");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Role “Sales” Is Held by 2 Users");
  g_assert_true (adw_message_dialog_has_response (dialog, "force"));
  g_assert_false (adw_message_dialog_has_response (dialog, "delete"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "force"), ==,
                   "Remove From Users and Delete");
  adw_message_dialog_response (dialog, "force");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_test_wait_until (find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales") == NULL
                            && find_row (f, ADW_TYPE_EXPANDER_ROW, "Empty") != NULL,
                          10);
  {
    guint status = 0;
    g_autofree char *users = roster_test_server_request (
      f->server, "GET", "/scim/v2/Users?filter=userName%20sw%20%22seller%22", f->token, NULL,
      NULL, &status);

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (users, "\"totalResults\":2"));
    g_assert_null (strstr (users, sales));
  }

  /* Held by nobody: a plain question. */
  dialog = ask_delete (f, "Empty");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Empty”?");
  g_assert_false (adw_message_dialog_has_response (dialog, "force"));
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_test_wait_until (find_row (f, ADW_TYPE_EXPANDER_ROW, "Empty") == NULL, 10);
  roles = server_roles (f);
  g_assert_null (strstr (roles, empty));
}

static GtkSwitch *
find_switch (GtkWidget *root, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();

  roster_ui_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      roster_ui_test_collect (rows->pdata[i], GTK_TYPE_SWITCH, switches);
  g_assert_cmpuint (switches->len, ==, 1);
  return switches->pdata[0];
}

/* The role @id's permissions on the server, as JSON. */
static char *
server_permissions (Fixture *f, const char *id)
{
  g_autofree char *path = g_strdup_printf ("/scim/v2/Roles/%s", id);
  guint status = 0;
  g_autofree char *body = roster_test_server_request (f->server, "GET", path, f->token, NULL,
                                                      NULL, &status);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *role;

  g_assert_cmpuint (status, ==, 200);
  node = json_from_string (body, NULL);
  role = json_node_get_object (node);
  if (!json_object_has_member (role, "permissions"))
    return g_strdup ("");
  return json_to_string (json_object_get_member (role, "permissions"), FALSE);
}

/* Two switches of one role, the second before the first one's answer: the page sends the
 * second after it, with the version it made, instead of failing against itself (412). */
static void
test_quick_switches (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, "/scim/v2/Roles", "{\"name\": \"Sales\"}");
  g_autofree char *permissions = NULL;
  GtkWidget *sales;

  roster_roles_page_set_client (f->page, f->client);
  roster_test_wait_until ((sales = find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales")) != NULL, 10);
  gtk_switch_set_active (find_switch (sales, "View orders"), TRUE);
  gtk_switch_set_active (find_switch (sales, "Manage orders"), TRUE);
  roster_test_wait_until (
    f->failure != NULL
      || g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (sales)), "2 permissions") == 0,
    10);
  g_assert_null (f->failure);
  permissions = server_permissions (f, id);
  g_assert_cmpstr (permissions, ==, "[\"orders.view\",\"orders.manage\"]");
  g_assert_true (find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales") == sales); /* not reloaded */
}

/* The switches come grouped by area, in the order the catalogue first names each area, under
 * headings that the keys pass over; a switch under a heading still saves. */
static void
test_grouped_by_area (Fixture *f, gconstpointer data)
{
  g_autofree char *id = create (f, "/scim/v2/Roles", "{\"name\": \"Sales\"}");
  g_autofree char *layout = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  GtkWidget *sales;

  roster_roles_page_set_client (f->page, f->client);
  roster_test_wait_until ((sales = find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales")) != NULL, 10);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (sales), TRUE);
  /* The keys only reach rows on screen. */
  roster_test_wait_until (
    gtk_widget_get_mapped (roster_ui_test_permission_row (sales, "Manage tasks")), 10);
  layout = roster_ui_test_describe_permissions (sales);
  g_assert_cmpstr (layout, ==, ROSTER_UI_TEST_CATALOGUE_BY_AREA);
  roster_ui_test_assert_keys_cross_heading (sales, "Manage photos", "View the activity log");
  roster_ui_test_assert_keys_cross_heading (sales, "Manage clients", "View orders");

  roster_ui_test_collect (roster_ui_test_permission_row (sales, "Manage settings"),
                          GTK_TYPE_SWITCH, switches);
  gtk_switch_set_active (g_ptr_array_index (switches, 0), TRUE);
  roster_test_wait_until (g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (
                                       find_row (f, ADW_TYPE_EXPANDER_ROW, "Sales"))),
                                     "1 permission")
                            == 0,
                          10);
  after = server_roles (f);
  g_assert_nonnull (strstr (after, "settings.manage"));
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/roles-page/create-and-grant", Fixture, NULL, fixture_set_up,
              test_create_and_grant, fixture_tear_down);
  g_test_add ("/roles-page/delete-in-use", Fixture, NULL, fixture_set_up, test_delete_in_use,
              fixture_tear_down);
  g_test_add ("/roles-page/quick-switches", Fixture, NULL, fixture_set_up,
              test_quick_switches, fixture_tear_down);
  g_test_add ("/roles-page/grouped-by-area", Fixture, NULL, fixture_set_up,
              test_grouped_by_area, fixture_tear_down);

  return g_test_run ();
}
