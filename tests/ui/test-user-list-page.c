/* test-user-list-page.c: the user list's real widgets over a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-user-list-page"

#include "config.h"

#include <string.h>

#include "roster-avatar.h"
#include "roster-error.h"
#include "roster-group.h"
#include "roster-role.h"
#include "roster-scim.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"
#include "roster-user-list-page.h"
#include "roster-user-row.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterUserPager *pager;
  RosterUserListPage *page;
  GtkWindow *window;
} Fixture;

static void
create_users (Fixture *f, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"u%03u\","
        "\"name\":{\"givenName\":\"Person\",\"familyName\":\"%03u\"}}",
        i, i);
      guint status = 0;
      g_autofree char *reply = roster_test_server_request (
        f->server, "POST", "/scim/v2/Users", f->token, "application/scim+json", body, &status);

      g_assert_cmpuint (status, ==, 201);
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  create_users (f, GPOINTER_TO_UINT (data));
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->pager = roster_user_pager_new (f->client);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_USER_LIST_PAGE, NULL));
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  /* Page fetches in flight keep the pager alive until they land. */
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->page);
  g_assert_finalize_object (f->pager);
  g_assert_finalize_object (f->client);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static const char *
visible_page (Fixture *f)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  /* The page's own stack: the one with a "list" page. */
  roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "list") != NULL)
      return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, i));
  g_error ("no content stack");
}

static GPtrArray *
rows (Fixture *f)
{
  GPtrArray *out = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), ROSTER_TYPE_USER_ROW, out);
  return out;
}

static gboolean
label_shown (GtkWidget *root, const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (g_ptr_array_index (labels, i))
        && g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

/* The search bar's entry (the filter popover's drop-downs have entries of their own). */
static GtkEditable *
search_entry (Fixture *f)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    if (gtk_widget_get_ancestor (entries->pdata[i], GTK_TYPE_SEARCH_BAR) != NULL)
      return entries->pdata[i];
  g_error ("no search entry");
}

static void
test_rows (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) shown = NULL;
  RosterUser *user;

  g_assert_cmpstr (visible_page (f), ==, "loading");
  roster_user_list_page_set_pager (f->page, f->pager);
  g_assert_cmpstr (visible_page (f), ==, "loading");
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);

  /* Rows bind to real users; the title shows the count from totalResults. */
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "Person 000"), 10);
  g_assert_true (label_shown (GTK_WIDGET (f->page), "500 users"));
  shown = rows (f);
  g_assert_cmpuint (shown->len, >, 5);
  /* GtkListView 4.8 keeps about 200 rows around the visible ones, not one per user, and
   * the pager has fetched only the pages those rows asked for. */
  g_assert_cmpuint (shown->len, <=, 250);
  g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), <=, 5);
  user = roster_user_row_get_user (g_ptr_array_index (shown, 0));
  g_assert_nonnull (user);
  g_assert_false (roster_user_list_page_get_server_unreachable (f->page));
}

static void
test_empty_and_refresh (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) shown = NULL;

  /* The administrator only: one row. */
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);
  g_assert_true (label_shown (GTK_WIDGET (f->page), "1 user"));

  create_users (f, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "users.refresh", NULL));
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "4 users"), 10);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "Person 002"), 10);
}

static void
on_load_failed_cb (RosterUserListPage *page, GError *error, gpointer user_data)
{
  GError **out = user_data;

  g_clear_error (out);
  *out = g_error_copy (error);
}

/* Lists the users, stops the server and refreshes: *error gets the page's load failure,
 * and the strip shows. */
static void
list_then_lose_server (Fixture *f, GError **error)
{
  g_signal_connect (f->page, "load-failed", G_CALLBACK (on_load_failed_cb), error);
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);

  roster_test_server_stop (f->server);
  f->server = NULL;
  gtk_widget_activate_action (GTK_WIDGET (f->page), "users.refresh", NULL);
  roster_test_wait_until (*error != NULL, 10);
  g_assert_error (*error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);
  g_assert_true (roster_user_list_page_get_server_unreachable (f->page));
}

static void
test_server_gone (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  list_then_lose_server (f, &error);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "The server cannot be reached."), 10);
  /* What was listed stays listed. */
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_true (label_shown (GTK_WIDGET (f->page), "Person 000"));
  /* Nobody presses Retry: the page tries again by itself, and finds it still gone. */
  g_clear_error (&error);
  roster_test_wait_until (error != NULL, 10);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);
  g_assert_true (roster_user_list_page_get_server_unreachable (f->page));

  f->server = roster_test_server_start (NULL);
}

/* The page retries an unreachable server by itself only while it is on screen: not behind
 * the sign-in page or the wizard, which the window shows in its place. */
static void
test_no_retry_off_screen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  list_then_lose_server (f, &error);
  g_clear_error (&error);

  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  roster_test_spin (7000); /* past the first automatic retry, at 5 s */
  g_assert_null (error);

  gtk_window_present (f->window);
  roster_test_wait_until (error != NULL, 10);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);

  f->server = roster_test_server_start (NULL);
}

/* While rosterd cannot reach its database (PostgreSQL restarting), the list keeps what it
 * shows, and the strip says what is wrong and offers Retry; with the database back, the
 * page's own next retry hides the strip again. Needs a rosterd on PostgreSQL: the postgres
 * setup. */
static void
test_database_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("ROSTER_TEST_POSTGRES") == NULL)
    {
      g_test_skip ("needs rosterd on PostgreSQL ($ROSTER_TEST_POSTGRES, the postgres setup)");
      return;
    }
  g_signal_connect (f->page, "load-failed", G_CALLBACK (on_load_failed_cb), &error);
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);

  roster_test_server_set_database_available (f->server, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "users.refresh", NULL);
  roster_test_wait_until (error != NULL, 10);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE_UNAVAILABLE);
  g_assert_true (roster_user_list_page_get_server_unreachable (f->page));
  roster_test_wait_until (
    label_shown (GTK_WIDGET (f->page), "The server is running but cannot reach its database."),
    10);
  g_assert_false (label_shown (GTK_WIDGET (f->page), "The server cannot be reached."));
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_true (label_shown (GTK_WIDGET (f->page), "Person 000"));

  /* Nobody presses Retry: the page tries again by itself (first after 5 s). */
  roster_test_server_set_database_available (f->server, TRUE);
  roster_test_wait_until (!roster_user_list_page_get_server_unreachable (f->page), 10);
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_true (label_shown (GTK_WIDGET (f->page), "3 users"));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  GtkEditable *entry;

  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);
  g_assert_true (label_shown (GTK_WIDGET (f->page), "3 users"));

  /* Ctrl+F's action opens the search bar; typing filters on the server. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "users.search", NULL));
  entry = search_entry (f);
  gtk_editable_set_text (entry, "u001");
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "1 user"), 10);
  g_assert_cmpstr (roster_user_pager_get_filter (f->pager), !=, NULL);

  gtk_editable_set_text (entry, "nobody-by-this-name");
  roster_test_wait_until (g_strcmp0 (visible_page (f), "empty") == 0, 10);
  g_assert_true (label_shown (GTK_WIDGET (f->page), "No Matching Users"));

  /* Clearing the search lists everyone again. */
  gtk_editable_set_text (entry, "");
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "3 users"), 10);
  g_assert_null (roster_user_pager_get_filter (f->pager));
}

/* Sends @body to the server and returns the id of what it answered. */
static char *
server_send (Fixture *f, const char *method, const char *path, const char *body, guint expect)
{
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, method, path, f->token,
                                                       "application/scim+json", body, &status);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (status, ==, expect);
  node = roster_json_parse (reply, strlen (reply), NULL);
  g_assert_nonnull (node);
  return g_strdup (roster_json_get_string (json_node_get_object (node), "id", NULL));
}

static char *
user_id (Fixture *f, const char *user_name)
{
  g_autofree char *filter = g_strdup_printf ("userName%%20eq%%20%%22%s%%22", user_name);
  g_autofree char *path = g_strconcat ("/scim/v2/Users?filter=", filter, NULL);
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "GET", path, f->token, NULL,
                                                       NULL, &status);
  g_autoptr(JsonNode) node = roster_json_parse (reply, strlen (reply), NULL);
  JsonArray *resources = roster_json_get_array (json_node_get_object (node), "Resources", NULL);

  g_assert_cmpuint (json_array_get_length (resources), ==, 1);
  return g_strdup (roster_json_get_string (json_array_get_object_element (resources, 0), "id",
                                           NULL));
}

static const char *
user_name_at (Fixture *f, guint position)
{
  g_autoptr(RosterUser) user = g_list_model_get_item (G_LIST_MODEL (f->pager), position);

  return user != NULL && roster_user_get_id (user) != NULL ? roster_user_get_user_name (user)
                                                           : NULL;
}

#define first_user_name(f) user_name_at (f, 0)

/* The filters beside the search become the pager's SCIM filter and sort, and the server
 * answers with just those users. */
static void
test_filters (Fixture *f, gconstpointer data)
{
  RosterUserFilterPopover *popover = roster_user_list_page_get_filter_popover (f->page);
  g_autofree char *u000 = user_id (f, "u000");
  g_autofree char *u001 = user_id (f, "u001");
  g_autofree char *u002 = user_id (f, "u002");
  g_autofree char *role = NULL;
  g_autofree char *team = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected = NULL;

  /* u000 has the role Sales, u001 is inactive, u002 is in the team Support. */
  role = server_send (f, "POST", "/scim/v2/Roles",
                      "{\"schemas\":[\"" ROSTER_SCIM_SCHEMA_ROLE "\"],\"name\":\"Sales\"}", 201);
  body = g_strdup_printf ("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                          "\"Operations\":[{\"op\":\"add\",\"path\":\"roles\","
                          "\"value\":[{\"value\":\"%s\"}]}]}", role);
  path = g_strconcat ("/scim/v2/Users/", u000, NULL);
  g_free (server_send (f, "PATCH", path, body, 200));
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&body, g_free);
  path = g_strconcat ("/scim/v2/Users/", u001, NULL);
  g_free (server_send (f, "PATCH", path,
                       "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                       "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                       200));
  body = g_strdup_printf ("{\"schemas\":[\"" ROSTER_SCIM_SCHEMA_GROUP "\",\""
                          ROSTER_SCIM_SCHEMA_ROSTER_GROUP "\"],\"displayName\":\"Support\","
                          "\"" ROSTER_SCIM_SCHEMA_ROSTER_GROUP "\":{\"kind\":\"team\"},"
                          "\"members\":[{\"value\":\"%s\"}]}", u002);
  team = server_send (f, "POST", "/scim/v2/Groups", body, 201);

  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "4 users"), 10);

  /* Status: only the inactive one, with its badge. */
  roster_user_filter_popover_set_status (popover, "inactive");
  expected = roster_scim_user_list_filter_new (NULL, "inactive", NULL, NULL);
  g_assert_cmpstr (roster_user_pager_get_filter (f->pager), ==, expected);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "1 user"), 10);
  roster_test_wait_until (g_strcmp0 (first_user_name (f), "u001") == 0, 10);
  g_assert_true (label_shown (GTK_WIDGET (f->page), "Inactive"));
  roster_user_filter_popover_set_status (popover, NULL);
  g_clear_pointer (&expected, g_free);

  /* Role and team, once the popover has them from /Roles and /Groups. */
  roster_test_wait_until ((roster_user_filter_popover_set_role_id (popover, role),
                           roster_user_filter_popover_get_role_id (popover) != NULL), 10);
  expected = roster_scim_user_list_filter_new (NULL, NULL, role, NULL);
  g_assert_cmpstr (roster_user_pager_get_filter (f->pager), ==, expected);
  roster_test_wait_until (g_strcmp0 (first_user_name (f), "u000") == 0
                            && label_shown (GTK_WIDGET (f->page), "1 user"), 10);
  roster_user_filter_popover_set_role_id (popover, NULL);
  g_clear_pointer (&expected, g_free);

  roster_test_wait_until ((roster_user_filter_popover_set_team_id (popover, team),
                           roster_user_filter_popover_get_team_id (popover) != NULL), 10);
  roster_test_wait_until (g_strcmp0 (first_user_name (f), "u002") == 0
                            && label_shown (GTK_WIDGET (f->page), "1 user"), 10);

  /* With a search too: every part joined with "and". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "users.search", NULL));
  gtk_editable_set_text (search_entry (f), "u00");
  expected = roster_scim_user_list_filter_new ("u00", NULL, NULL, team);
  roster_test_wait_until (g_strcmp0 (roster_user_pager_get_filter (f->pager), expected) == 0, 10);
  g_clear_pointer (&expected, g_free);
  gtk_editable_set_text (search_entry (f), "");
  roster_test_wait_until (roster_user_pager_get_filter (f->pager) != NULL
                            && strstr (roster_user_pager_get_filter (f->pager), " co ") == NULL,
                          10);

  /* Reset, then sort by name, descending: the server orders them. */
  roster_user_filter_popover_reset (popover);
  g_assert_null (roster_user_pager_get_filter (f->pager));
  roster_user_filter_popover_set_sort (popover, "name.familyName", TRUE);
  g_assert_cmpstr (roster_user_pager_get_sort_by (f->pager), ==, "name.familyName");
  g_assert_true (roster_user_pager_get_sort_descending (f->pager));
  roster_test_wait_until (g_strcmp0 (first_user_name (f), "u002") == 0
                            && label_shown (GTK_WIDGET (f->page), "4 users"), 10);
  /* Ascending, the administrator (no family name) comes first, as missing values do. */
  roster_user_filter_popover_set_sort (popover, "name.familyName", FALSE);
  roster_test_wait_until (g_strcmp0 (user_name_at (f, 1), "u000") == 0, 10);
  g_assert_cmpstr (user_name_at (f, 3), ==, "u002");
  roster_user_filter_popover_set_sort (popover,
                                       ROSTER_SCIM_SCHEMA_ROSTER_USER ":lastLoginAt", TRUE);
  g_assert_cmpstr (roster_user_pager_get_sort_by (f->pager), ==,
                   ROSTER_SCIM_SCHEMA_ROSTER_USER ":lastLoginAt");
  /* Only the administrator has signed in: first, descending. */
  roster_test_wait_until (g_strcmp0 (first_user_name (f), "admin") == 0, 10);
}

static RosterAvatar *
row_avatar (GtkWidget *row)
{
  g_autoptr(GPtrArray) avatars = g_ptr_array_new ();

  roster_ui_test_collect (row, ROSTER_TYPE_AVATAR, avatars);
  g_assert_cmpuint (avatars->len, ==, 1);
  return avatars->pdata[0];
}

static GtkWidget *
row_of (Fixture *f, const char *user_name)
{
  g_autoptr(GPtrArray) shown = rows (f);

  for (guint i = 0; i < shown->len; i++)
    {
      RosterUser *user = roster_user_row_get_user (shown->pdata[i]);

      if (user != NULL && g_strcmp0 (roster_user_get_user_name (user), user_name) == 0)
        return shown->pdata[i];
    }
  return NULL;
}

static void
put_photo (Fixture *f, const char *user_name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  g_autofree char *png = NULL;
  gsize length = 0;
  g_autofree char *filter_path = g_strdup_printf (
    "/scim/v2/Users?filter=userName%%20eq%%20%%22%s%%22", user_name);
  g_autofree char *list = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  guint status = 0;
  g_autofree char *reply = NULL;

  gdk_pixbuf_fill (pixbuf, 0xc03030ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &png, &length, "png", &error, NULL);
  g_assert_no_error (error);
  list = roster_test_server_request (f->server, "GET", filter_path, f->token, NULL, NULL,
                                     &status);
  g_assert_cmpuint (status, ==, 200);
  id = strstr (list, "\"id\":\"");
  g_assert_nonnull (id);
  id += strlen ("\"id\":\"");
  path = g_strdup_printf ("/scim/v2/Users/%.*s/photo", (int) strcspn (id, "\""), id);
  reply = roster_test_server_request_full (f->server, "PUT", path, f->token, "image/png", png,
                                           length, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* Rows on screen show the photo of a user who has one; the others keep their initials. */
static void
test_row_photos (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) shown = NULL;
  GtkWidget *row;
  guint with_image = 0;

  put_photo (f, "u001");
  put_photo (f, "u290");
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until ((row = row_of (f, "u001")) != NULL, 10);
  roster_test_wait_until (roster_avatar_get_custom_image (row_avatar (row)) != NULL, 10);

  /* Only mapped rows of users with a photo ever get one. */
  shown = rows (f);
  for (guint i = 0; i < shown->len; i++)
    {
      RosterUser *user = roster_user_row_get_user (shown->pdata[i]);

      if (roster_avatar_get_custom_image (row_avatar (shown->pdata[i])) == NULL)
        continue;
      with_image++;
      g_assert_true (gtk_widget_get_mapped (shown->pdata[i]));
      g_assert_nonnull (roster_user_get_string (user, "photo"));
    }
  g_assert_cmpuint (with_image, ==, 1);
  row = row_of (f, "u290");
  g_assert_true (row == NULL || !gtk_widget_get_mapped (row));
}

/* The row showing the pager's item at @position, or %NULL. */
static GtkWidget *
row_at (Fixture *f, guint position)
{
  g_autoptr(RosterUser) user = g_list_model_get_item (G_LIST_MODEL (f->pager), position);
  g_autoptr(GPtrArray) shown = rows (f);

  for (guint i = 0; i < shown->len; i++)
    if (roster_user_row_get_user (shown->pdata[i]) == user)
      return shown->pdata[i];
  return NULL;
}

/* The page's refresh action (F5), until the answer has landed and the list is laid out. */
static void
refresh_and_wait (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "users.refresh", NULL));
  g_assert_true (roster_user_pager_get_loading (f->pager));
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static const char *
focused_user_name (Fixture *f)
{
  GtkWidget *focus = gtk_window_get_focus (f->window);
  g_autoptr(GPtrArray) inside = g_ptr_array_new ();

  g_assert_nonnull (focus);
  roster_ui_test_collect (focus, ROSTER_TYPE_USER_ROW, inside);
  g_assert_cmpuint (inside->len, ==, 1);
  return roster_user_get_user_name (roster_user_row_get_user (inside->pdata[0]));
}

/* A refresh keeps the focused row: the same widget, showing the same user, also when a user
 * who sorts first pushes it down. */
static void
test_refresh_keeps_focus (Fixture *f, gconstpointer data)
{
  GtkWidget *row;
  GtkWidget *focus;
  guint status = 0;
  g_autofree char *reply = NULL;

  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "Person 001"), 10);

  /* admin, u000, u001: the third item's row (in GtkListView's item widget) takes focus. */
  row = row_at (f, 2);
  g_assert_nonnull (row);
  gtk_widget_grab_focus (gtk_widget_get_parent (row));
  focus = gtk_window_get_focus (f->window);
  g_assert_nonnull (focus);
  g_object_add_weak_pointer (G_OBJECT (focus), (gpointer *) &focus);
  g_assert_cmpstr (focused_user_name (f), ==, "u001");

  refresh_and_wait (f);
  g_assert_nonnull (focus);
  g_assert_true (gtk_window_get_focus (f->window) == focus);
  g_assert_cmpstr (focused_user_name (f), ==, "u001");

  reply = roster_test_server_request (
    f->server, "POST", "/scim/v2/Users", f->token, "application/scim+json",
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"aaron\"}",
    &status);
  g_assert_cmpuint (status, ==, 201);
  refresh_and_wait (f);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "aaron"), 10);
  g_assert_nonnull (focus);
  g_assert_true (gtk_window_get_focus (f->window) == focus);
  g_assert_cmpstr (focused_user_name (f), ==, "u001");
  g_assert_true (row_at (f, 3) == row);
  g_object_remove_weak_pointer (G_OBJECT (focus), (gpointer *) &focus);
}

/* The mapped user list's vertical adjustment (the filter popover's drop-downs hold lists of
 * their own). */
static GtkAdjustment *
list_adjustment (Fixture *f)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_LIST_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    if (gtk_widget_get_mapped (views->pdata[i]))
      return gtk_scrollable_get_vadjustment (views->pdata[i]);
  g_error ("no list view on screen");
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Until the window has drawn a frame: the list has laid out and bound its rows by then. */
static void
wait_for_frame (Fixture *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  roster_test_wait_until (painted, 10);
  g_signal_handler_disconnect (clock, id);
}

/* The row's label with style class @name (its avatar's initials are no such label). */
static GtkLabel *
row_label (GtkWidget *row, const char *name)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], name))
      return labels->pdata[i];
  g_error ("no label .%s in the row", name);
}

static gboolean
row_is_placeholder (GtkWidget *row)
{
  return g_strcmp0 (gtk_label_get_label (row_label (row, "heading")), "Loading…") == 0;
}

/* How many mapped rows show "Loading…"; fails if a row shows anything but a placeholder or
 * exactly its user: u%03u at position n + 1 (the administrator is first), "Person %03u",
 * initials and colour from that title, and the badge of the status @statuses gives it. */
static guint
check_mapped_rows (Fixture *f, const RosterUserStatus *statuses)
{
  g_autoptr(GPtrArray) shown = rows (f);
  guint placeholders = 0, checked = 0;

  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *row = shown->pdata[i];
      RosterUser *user = roster_user_row_get_user (ROSTER_USER_ROW (row));
      RosterAvatar *avatar = row_avatar (row);
      GtkLabel *badge = row_label (row, "status-badge");
      g_autofree char *title = NULL;
      g_autofree char *initials = NULL;
      g_autoptr(RosterUser) at_position = NULL;
      RosterUserStatus status;
      guint n;

      if (!gtk_widget_get_mapped (row) || user == NULL)
        continue;
      if (roster_user_get_id (user) == NULL)
        {
          g_assert_true (row_is_placeholder (row));
          g_assert_false (gtk_widget_get_visible (GTK_WIDGET (badge)));
          g_assert_null (roster_avatar_get_initials (avatar));
          placeholders++;
          continue;
        }
      if (g_str_equal (roster_user_get_user_name (user), "admin"))
        continue;
      g_assert_true (sscanf (roster_user_get_user_name (user), "u%u", &n) == 1);
      at_position = g_list_model_get_item (G_LIST_MODEL (f->pager), n + 1);
      g_assert_true (at_position == user);
      title = g_strdup_printf ("Person %03u", n);
      initials = g_strdup_printf ("P%u", n / 100);
      g_assert_cmpstr (gtk_label_get_label (row_label (row, "heading")), ==, title);
      g_assert_cmpstr (gtk_label_get_label (row_label (row, "caption")), ==,
                       roster_user_get_user_name (user));
      g_assert_cmpstr (roster_avatar_get_text (avatar), ==, title);
      g_assert_cmpstr (roster_avatar_get_initials (avatar), ==, initials);
      status = statuses[n];
      g_assert_cmpint (roster_user_get_status (user), ==, status);
      g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (badge)), ==,
                       status != ROSTER_USER_STATUS_ACTIVE);
      if (status != ROSTER_USER_STATUS_ACTIVE)
        g_assert_cmpstr (gtk_label_get_label (badge), ==, roster_user_status_describe (status));
      for (RosterUserStatus other = ROSTER_USER_STATUS_PENDING;
           other <= ROSTER_USER_STATUS_LOCKED; other++)
        g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (badge),
                                                   roster_user_status_to_string (other)),
                         ==, other == status);
      checked++;
    }
  g_assert_cmpuint (checked + placeholders, >, 5);
  return placeholders;
}

/* Jumps the list to @value; returns how many rows, recycled from other users, were
 * placeholders in the first frame, then waits until every page on screen has landed. */
static guint
jump_to (Fixture *f, double value, const RosterUserStatus *statuses, guint *rebound)
{
  g_autoptr(GPtrArray) before = rows (f);
  g_autoptr(GHashTable) shown_before = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) after = NULL;
  guint placeholders;

  for (guint i = 0; i < before->len; i++)
    g_hash_table_insert (shown_before, before->pdata[i],
                         roster_user_row_get_user (before->pdata[i]));
  gtk_adjustment_set_value (list_adjustment (f), value);
  wait_for_frame (f);
  placeholders = check_mapped_rows (f, statuses);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  wait_for_frame (f);
  g_assert_cmpuint (check_mapped_rows (f, statuses), ==, 0);

  /* The same row widgets, bound to other users: GtkListView recycles them. */
  after = rows (f);
  for (guint i = 0; i < after->len; i++)
    if (gtk_widget_get_mapped (after->pdata[i])
        && g_hash_table_contains (shown_before, after->pdata[i])
        && g_hash_table_lookup (shown_before, after->pdata[i])
             != roster_user_row_get_user (after->pdata[i]))
      (*rebound)++;
  return placeholders;
}

/* Scrolling far and back rebinds recycled rows to placeholders, then fills them when their
 * page lands: every row on screen shows its own user's name, username, initials and status,
 * never what it showed before. */
static void
test_scroll_rebinds (Fixture *f, gconstpointer data)
{
  guint n_users = GPOINTER_TO_UINT (data);
  g_autofree RosterUserStatus *statuses = g_new (RosterUserStatus, n_users);
  g_autofree char *u000 = user_id (f, "u000");
  g_autofree char *first = NULL;
  RosterUserStatus created;
  GtkAdjustment *adjustment;
  guint placeholders = 0, rebound = 0;
  double end;

  /* What a new user starts as (pending or active, by the server's settings) … */
  first = g_strconcat ("/scim/v2/Users/", u000, NULL);
  {
    guint status = 0;
    g_autofree char *json = roster_test_server_request (f->server, "GET", first, f->token, NULL,
                                                        NULL, &status);
    g_autoptr(JsonNode) node = roster_json_parse (json, strlen (json), NULL);
    g_autoptr(RosterUser) user = NULL;

    g_assert_cmpuint (status, ==, 200);
    user = roster_user_new_from_json (json_node_get_object (node), NULL);
    g_assert_nonnull (user);
    created = roster_user_get_status (user);
  }
  /* … and every seventh made inactive, so recycled rows change badges. */
  for (guint i = 0; i < n_users; i++)
    {
      statuses[i] = created;
      if (i % 7 == 3)
        {
          g_autofree char *name = g_strdup_printf ("u%03u", i);
          g_autofree char *id = user_id (f, name);
          g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);

          g_free (server_send (
            f, "PATCH", path,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
            200));
          statuses[i] = ROSTER_USER_STATUS_INACTIVE;
        }
    }

  /* Small pages, and fewer held than the list has users: jumping back finds its pages
   * dropped. The pages held still cover the rows GtkListView keeps bound (about 200). */
  roster_user_pager_set_page_size (f->pager, 10);
  roster_user_pager_set_max_pages (f->pager, 30);
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_strcmp0 (visible_page (f), "list") == 0, 10);
  roster_test_wait_until (label_shown (GTK_WIDGET (f->page), "Person 000"), 10);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  adjustment = list_adjustment (f);
  roster_test_wait_until (gtk_adjustment_get_upper (adjustment)
                            > 10 * gtk_adjustment_get_page_size (adjustment), 10);
  g_assert_cmpuint (check_mapped_rows (f, statuses), ==, 0);

  end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  placeholders += jump_to (f, end / 2, statuses, &rebound);
  placeholders += jump_to (f, end, statuses, &rebound);
  placeholders += jump_to (f, 0, statuses, &rebound);
  /* A screen further: half the rows stay bound, the others are recycled. */
  placeholders += jump_to (f, gtk_adjustment_get_page_size (adjustment) / 2, statuses, &rebound);
  placeholders += jump_to (f, end / 3, statuses, &rebound);
  g_test_message ("%u placeholders in first frames, %u rows rebound", placeholders, rebound);
  g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), <=, 30);
  /* The jumps did show placeholders first and rebind recycled rows: what was checked
   * happened. */
  g_assert_cmpuint (placeholders, >, 0);
  g_assert_cmpuint (rebound, >, 0);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/user-list-page/row-photos", Fixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_row_photos, fixture_tear_down);
  g_test_add ("/user-list-page/rows", Fixture, GUINT_TO_POINTER (499), fixture_set_up, test_rows,
              fixture_tear_down);
  g_test_add ("/user-list-page/refresh", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_empty_and_refresh, fixture_tear_down);
  g_test_add ("/user-list-page/search", Fixture, GUINT_TO_POINTER (2), fixture_set_up,
              test_search, fixture_tear_down);
  g_test_add ("/user-list-page/filters", Fixture, GUINT_TO_POINTER (3), fixture_set_up,
              test_filters, fixture_tear_down);
  g_test_add ("/user-list-page/refresh-keeps-focus", Fixture, GUINT_TO_POINTER (30),
              fixture_set_up, test_refresh_keeps_focus, fixture_tear_down);
  g_test_add ("/user-list-page/scroll-rebinds", Fixture, GUINT_TO_POINTER (700), fixture_set_up,
              test_scroll_rebinds, fixture_tear_down);
  g_test_add ("/user-list-page/server-gone", Fixture, GUINT_TO_POINTER (2), fixture_set_up,
              test_server_gone, fixture_tear_down);
  g_test_add ("/user-list-page/no-retry-off-screen", Fixture, GUINT_TO_POINTER (2),
              fixture_set_up, test_no_retry_off_screen, fixture_tear_down);
  g_test_add ("/user-list-page/database-down", Fixture, GUINT_TO_POINTER (2), fixture_set_up,
              test_database_down, fixture_tear_down);

  return g_test_run ();
}
