/* test-roles-page.c: roles and their permission switches against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-roles-page"

#include "config.h"

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
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_ROLES_PAGE, NULL));
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  /* Requests the page started may still be landing: let the main loop finish them. */
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->client);
  g_free (f->token);
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

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/roles-page/create-and-grant", Fixture, NULL, fixture_set_up,
              test_create_and_grant, fixture_tear_down);

  return g_test_run ();
}
