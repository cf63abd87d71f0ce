/* test-activity-page.c: the audit log page against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-activity-page"

#include "config.h"

#include "roster-activity-page.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterActivityPage *page;
  GtkWindow *window;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_ACTIVITY_PAGE, NULL));
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->client);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static GPtrArray *
event_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_EXPANDER_ROW, rows);
  return rows;
}

static const char *
row_title (GPtrArray *rows, guint i)
{
  return adw_preferences_row_get_title (g_ptr_array_index (rows, i));
}

static char *
request (Fixture *f, const char *method, const char *path, const char *body, guint expected)
{
  char *reply;
  guint status = 0;

  reply = roster_test_server_request (f->server, method, path, f->token,
                                      "application/scim+json", body, &status);
  g_assert_cmpuint (status, ==, expected);
  return reply;
}

static gboolean
has_rows (Fixture *f, guint min, guint max)
{
  g_autoptr(GPtrArray) rows = event_rows (f);

  return rows->len >= min && rows->len <= max;
}

static GPtrArray *
wait_for_rows (Fixture *f, guint min, guint max)
{
  roster_test_wait_until (has_rows (f, min, max), 10);
  return event_rows (f);
}

static void
test_events_and_filter (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *grace = NULL, *ada = NULL, *path = NULL, *filter = NULL;
  guint all;

  grace = request (f, "POST", "/scim/v2/Users", "{\"userName\": \"grace\"}", 201);
  ada = request (f, "POST", "/scim/v2/Users", "{\"userName\": \"ada\"}", 201);
  node = json_from_string (grace, NULL);
  path = g_strconcat ("/scim/v2/Users/",
                      json_object_get_string_member (json_node_get_object (node), "id"), NULL);
  g_free (request (f, "DELETE", path, NULL, 204));

  roster_activity_page_set_client (f->page, f->client);
  /* The administrator's own create at setup, grace, ada and grace's deletion; newest first. */
  rows = wait_for_rows (f, 4, G_MAXUINT);
  all = rows->len;
  g_assert_cmpstr (row_title (rows, 0), ==, "admin deleted grace");
  g_assert_cmpstr (row_title (rows, 1), ==, "admin created ada");
  g_assert_cmpstr (row_title (rows, 2), ==, "admin created grace");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Only deletions: the server filters, the list shrinks to grace's. */
  roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 3);
  filter = roster_activity_page_get_filter (f->page);
  g_assert_cmpstr (filter, ==, "action eq \"delete\"");
  rows = wait_for_rows (f, 1, 1);
  g_assert_cmpuint (rows->len, <, all);
  g_assert_cmpstr (row_title (rows, 0), ==, "admin deleted grace");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* And the user filter on top: nothing deleted ada. */
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();
    g_autofree char *combined = NULL;
    GtkEditable *user_entry = NULL;

    /* The drop-downs' popovers hold search entries of their own. */
    roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY, entries);
    for (guint i = 0; i < entries->len; i++)
      {
        g_autofree char *placeholder = NULL;

        g_object_get (g_ptr_array_index (entries, i), "placeholder-text", &placeholder, NULL);
        if (g_strcmp0 (placeholder, "Search by user") == 0)
          user_entry = g_ptr_array_index (entries, i);
      }
    g_assert_nonnull (user_entry);
    gtk_editable_set_text (user_entry, "ada");
    roster_activity_page_reload (f->page);
    combined = roster_activity_page_get_filter (f->page);
    g_assert_cmpstr (combined, ==,
                     "(actor.display co \"ada\" or target.display co \"ada\") and action eq \"delete\"");
    rows = wait_for_rows (f, 0, 0);
  }
}

/* Someone without audit.view is told so instead of seeing an empty log. */
static void
test_forbidden (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterClient) client = roster_client_new (f->server->base_url);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autofree char *token = NULL;
  AdwStatusPage *status;

  g_free (request (f, "POST", "/scim/v2/Users",
                   "{\"userName\": \"bob\", \"password\": \"correct horse battery\"}", 201));
  token = roster_test_server_sign_in (f->server, "bob", "correct horse battery");
  roster_client_set_token (client, token);
  roster_activity_page_set_client (f->page, client);

  roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_STATUS_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  status = g_ptr_array_index (pages, 0);
  roster_test_wait_until (g_strcmp0 (adw_status_page_get_description (status),
                                     "You need the audit.view permission") == 0, 10);
  roster_activity_page_set_client (f->page, NULL);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/activity-page/events-and-filter", Fixture, NULL, fixture_set_up,
              test_events_and_filter, fixture_tear_down);
  g_test_add ("/activity-page/forbidden", Fixture, NULL, fixture_set_up, test_forbidden,
              fixture_tear_down);

  return g_test_run ();
}
