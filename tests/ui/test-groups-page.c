/* test-groups-page.c: teams, groups and their members against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-groups-page"

#include "config.h"

#include "roster-groups-page.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterGroupsPage *page;
  GtkWindow *window;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_GROUPS_PAGE, NULL));
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

static void
test_team_and_members (Fixture *f, gconstpointer data)
{
  GtkWidget *new_row, *team, *add_row;
  g_autofree char *reply = NULL;
  guint status = 0;

  reply = roster_test_server_request (f->server, "POST", "/scim/v2/Users", f->token,
                                      "application/scim+json",
                                      "{\"userName\": \"grace\", \"displayName\": \"Grace Hopper\"}",
                                      &status);
  g_assert_cmpuint (status, ==, 201);

  roster_groups_page_set_client (f->page, f->client);
  new_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Team or Group Name");
  gtk_editable_set_text (GTK_EDITABLE (new_row), "Tour Guides");
  g_signal_emit_by_name (new_row, "apply");
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL, 10);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)), ==, "Team · 0 members");

  /* A member by username: found with a filter, added with a PATCH. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (team), TRUE);
  add_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Add a Member by Username");
  gtk_editable_set_text (GTK_EDITABLE (add_row), "grace");
  g_signal_emit_by_name (add_row, "apply");
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL
                            && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                          "Team · 1 member") == 0,
                          10);
  g_assert_nonnull (find_row (f, ADW_TYPE_ACTION_ROW, "Grace Hopper"));
  /* The rows are new, but the team someone works on stays open. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (team)));

  /* And removed again. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    roster_ui_test_collect (find_row (f, ADW_TYPE_ACTION_ROW, "Grace Hopper"), GTK_TYPE_BUTTON,
                            buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  }
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL
                            && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                          "Team · 0 members") == 0,
                          10);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/groups-page/team-and-members", Fixture, NULL, fixture_set_up,
              test_team_and_members, fixture_tear_down);

  return g_test_run ();
}
