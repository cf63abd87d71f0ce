/* test-user-pager.c: RosterUserPager paging a real rosterd's /Users
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-user-pager"

#include "config.h"

#include <gio/gio.h>

#include "roster-error.h"
#include "roster-scim.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-user-pager.h"

#define N_CREATED 120 /* plus the administrator */
#define PAGE_SIZE 50

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterUserPager *pager;
  GPtrArray *expected; /* userNames in the server's order */
  guint items_changed;
  GString *changes; /* "position,removed,added;" for each items-changed */
} Fixture;

static void
create_users (Fixture *f, guint first, guint n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
        "\"userName\":\"user%03u\",\"name\":{\"givenName\":\"User\",\"familyName\":\"%03u\"}}",
        i, i);
      guint status = 0;
      g_autofree char *reply = roster_test_server_request (
        f->server, "POST", "/scim/v2/Users", f->token, "application/scim+json", body, &status);

      g_assert_cmpuint (status, ==, 201);
    }
}

/* What the server lists, in its order, fetched in one go to compare the pager against. */
static void
load_expected (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  roster_client_list_users_async (f->client, 1, 1000, NULL, NULL, FALSE, NULL, roster_test_async_cb, &result);
  users = roster_client_list_users_finish (f->client, roster_test_wait_result (&result), NULL,
                                           &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->expected, g_ptr_array_unref);
  f->expected = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (f->expected,
                     g_strdup (roster_user_get_user_name (g_ptr_array_index (users, i))));
}

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     gpointer user_data)
{
  Fixture *f = user_data;

  f->items_changed++;
  g_string_append_printf (f->changes, "%u,%u,%u;", position, removed, added);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  create_users (f, 0, N_CREATED);
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  load_expected (f);
  f->pager = roster_user_pager_new (f->client);
  f->changes = g_string_new (NULL);
  roster_user_pager_set_page_size (f->pager, PAGE_SIZE);
  g_signal_connect (f->pager, "items-changed", G_CALLBACK (on_items_changed_cb), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->pager);
  g_assert_finalize_object (f->client);
  g_clear_pointer (&f->expected, g_ptr_array_unref);
  g_string_free (f->changes, TRUE);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static void
refresh (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  roster_user_pager_refresh_async (f->pager, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_user_pager_refresh_finish (f->pager, roster_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
}

static void
test_refresh (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autoptr(RosterUser) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (g_list_model_get_item_type (model) == ROSTER_TYPE_USER);
  refresh (f);

  /* totalResults, not the length of the first page. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 1);
  g_assert_cmpuint (f->items_changed, ==, 1);
  g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), ==, 1);
  g_assert_false (roster_user_pager_get_loading (f->pager));

  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (roster_user_get_user_name (first), ==, g_ptr_array_index (f->expected, 0));
  g_assert_null (g_list_model_get_item (model, N_CREATED + 1));
}

static void
test_page_on_demand (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autoptr(RosterUser) item = NULL;
  g_autoptr(RosterUser) again = NULL;
  g_autoptr(RosterUser) last = NULL;

  refresh (f);

  /* An item of a page not fetched yet is a placeholder at once; the page comes later. */
  item = g_list_model_get_item (model, 75);
  g_assert_true (roster_user_get_placeholder (item));
  g_assert_null (roster_user_get_id (item));
  g_assert_true (roster_user_pager_get_loading (f->pager));
  g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), ==, 2);

  /* Asking again while it loads gives the same object and no second request. */
  again = g_list_model_get_item (model, 75);
  g_assert_true (again == item);

  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_nonnull (roster_user_get_id (item));
  g_assert_cmpstr (roster_user_get_user_name (item), ==, g_ptr_array_index (f->expected, 75));
  /* Filled in place: no items-changed beyond the refresh's. */
  g_assert_cmpuint (f->items_changed, ==, 1);

  /* The last page is short. */
  last = g_list_model_get_item (model, N_CREATED);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_cmpstr (roster_user_get_user_name (last), ==,
                   g_ptr_array_index (f->expected, N_CREATED));
}

static void
test_eviction (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);

  roster_user_pager_set_max_pages (f->pager, 2);
  refresh (f);

  for (guint i = 0; i < N_CREATED + 1; i++)
    {
      g_autoptr(RosterUser) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), <=, 2);
    }
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);

  /* Page 0 was dropped: asking for it again fetches it again, correctly. */
  {
    g_autoptr(RosterUser) item = g_list_model_get_item (model, 3);

    g_assert_true (roster_user_get_placeholder (item));
    roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
    g_assert_cmpstr (roster_user_get_user_name (item), ==, g_ptr_array_index (f->expected, 3));
  }
  g_assert_cmpuint (roster_user_pager_get_n_loaded_pages (f->pager), <=, 2);
}

static void
test_refresh_sees_changes (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);

  refresh (f);
  create_users (f, N_CREATED, 5);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 6);
  g_assert_cmpuint (f->items_changed, ==, 2);
}

static void
on_load_failed_cb (RosterUserPager *pager, GError *error, gpointer user_data)
{
  GError **out = user_data;

  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
test_load_failed (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) item = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  refresh (f);
  g_signal_connect (f->pager, "load-failed", G_CALLBACK (on_load_failed_cb), &error);

  /* The server goes away; the next page cannot come. */
  roster_test_server_stop (f->server);
  f->server = NULL;
  item = g_list_model_get_item (model, 60);
  roster_test_wait_until (error != NULL, 10);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);
  g_assert_true (roster_user_get_placeholder (item));
  g_assert_null (roster_user_get_id (item));
  g_assert_false (roster_user_pager_get_loading (f->pager));
  g_clear_error (&error);

  /* A refresh that fails keeps what was there. */
  roster_user_pager_refresh_async (f->pager, NULL, roster_test_async_cb, &result);
  g_assert_false (roster_user_pager_refresh_finish (f->pager, roster_test_wait_result (&result),
                                                    &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 1);

  /* Teardown stops the server; start a stand-in so it has one to stop. */
  f->server = roster_test_server_start (NULL);
}

static void
test_filter_and_sort (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autofree char *filter = roster_scim_search_filter_new ("user01");
  g_autoptr(RosterUser) first = NULL;
  g_autoptr(RosterUser) last = NULL;

  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 1);

  /* A filter takes effect at the next refresh, not before. */
  roster_user_pager_set_filter (f->pager, filter);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 1);
  refresh (f);
  g_assert_cmpstr (roster_user_pager_get_filter (f->pager), ==, filter);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10); /* user010 … user019 */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (model, i);

      g_assert_true (g_str_has_prefix (roster_user_get_user_name (user), "user01"));
    }

  /* Back to everyone, from Z to A. */
  roster_user_pager_set_filter (f->pager, NULL);
  roster_user_pager_set_sort (f->pager, "userName", TRUE);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CREATED + 1);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (roster_user_get_user_name (first), ==, "user119");
  last = g_list_model_get_item (model, N_CREATED);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_cmpstr (roster_user_get_user_name (last), ==, "admin");
}

/* ------------------------------------------------------------ refresh in place */

/* The objects at positions [0, n), once their pages have landed. */
static GPtrArray *
snapshot (Fixture *f, guint n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_list_model_get_item (G_LIST_MODEL (f->pager), i));
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  return out;
}

static char *
user_path (Fixture *f, const char *user_name)
{
  g_autofree char *filter = g_strdup_printf ("userName eq \"%s\"", user_name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  roster_client_list_users_async (f->client, 1, 1, filter, NULL, FALSE, NULL,
                                  roster_test_async_cb, &result);
  users = roster_client_list_users_finish (f->client, roster_test_wait_result (&result), NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  return g_strconcat ("/scim/v2/Users/", roster_user_get_id (users->pdata[0]), NULL);
}

/* Another client renames @user_name on the server. */
static void
rename_user (Fixture *f, const char *user_name, const char *display_name)
{
  g_autofree char *path = user_path (f, user_name);
  g_autofree char *patch = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
    "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"%s\"}]}",
    display_name);
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "PATCH", path, f->token,
                                                       "application/scim+json", patch, &status);

  g_assert_cmpuint (status, ==, 200);
}

static void
delete_user (Fixture *f, const char *user_name)
{
  g_autofree char *path = user_path (f, user_name);
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "DELETE", path, f->token, NULL,
                                                       NULL, &status);

  g_assert_cmpuint (status, ==, 204);
}

static void
on_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_refresh_unchanged (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  refresh (f);
  before = snapshot (f, N_CREATED + 1); /* every page */
  f->items_changed = 0;

  /* Nothing changed on the server: no items-changed, the same objects everywhere, also on
   * the pages fetched again after the refresh. */
  refresh (f);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  after = snapshot (f, N_CREATED + 1);
  g_assert_cmpuint (f->items_changed, ==, 0);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (before->pdata[i] == after->pdata[i]);
  g_assert_cmpstr (roster_user_get_user_name (after->pdata[0]), ==, f->expected->pdata[0]);
}

static void
test_refresh_renamed (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autoptr(RosterUser) third = NULL;
  g_autoptr(RosterUser) far = NULL;
  g_autoptr(RosterUser) again = NULL;
  g_autoptr(RosterUser) near = NULL;
  guint notified = 0;

  /* Pages of 30: page 3 is used first, then 1 and 2, so after the refresh pages 1 and 2
   * are fetched at once and page 3 only when asked for. */
  roster_user_pager_set_page_size (f->pager, 30);
  refresh (f);
  far = g_list_model_get_item (model, 100);
  near = g_list_model_get_item (model, 40);
  g_object_unref (g_list_model_get_item (model, 70));
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  third = g_list_model_get_item (model, 2);
  g_assert_cmpstr (roster_user_get_user_name (third), ==, f->expected->pdata[2]);
  g_assert_cmpstr (roster_user_get_user_name (far), ==, f->expected->pdata[100]);
  g_signal_connect (third, "notify::title", G_CALLBACK (on_notify_cb), &notified);
  f->items_changed = 0;

  rename_user (f, f->expected->pdata[2], "Renamed Third");
  rename_user (f, f->expected->pdata[40], "Renamed Near");
  rename_user (f, f->expected->pdata[100], "Renamed Far");
  refresh (f);

  /* The same object, updated in place. */
  again = g_list_model_get_item (model, 2);
  g_assert_true (again == third);
  g_assert_cmpstr (roster_user_get_title (third), ==, "Renamed Third");
  g_assert_cmpuint (notified, ==, 1);
  /* A page the view used last came at once, in place too. */
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_cmpstr (roster_user_get_title (near), ==, "Renamed Near");

  /* Page 3 is stale: it is fetched again when asked for, and lands in place. */
  g_assert_cmpstr (roster_user_get_title (far), !=, "Renamed Far");
  g_clear_object (&again);
  again = g_list_model_get_item (model, 100);
  g_assert_true (again == far);
  g_assert_true (roster_user_pager_get_loading (f->pager));
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_cmpstr (roster_user_get_title (far), ==, "Renamed Far");
  g_assert_cmpuint (f->items_changed, ==, 0);
  g_signal_handlers_disconnect_by_data (third, &notified);
}

static void
test_refresh_created_first (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  guint status = 0;
  g_autofree char *reply = NULL;

  roster_user_pager_set_sort (f->pager, "userName", FALSE);
  refresh (f);
  before = snapshot (f, PAGE_SIZE);
  g_assert_cmpstr (roster_user_get_user_name (before->pdata[0]), ==, "admin");
  g_string_truncate (f->changes, 0);

  reply = roster_test_server_request (
    f->server, "POST", "/scim/v2/Users", f->token, "application/scim+json",
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"aaron\"}",
    &status);
  g_assert_cmpuint (status, ==, 201);
  refresh (f);

  /* Every position of the first page has another user now: one run, in which each user
   * keeps the object it had; one more position at the end. */
  g_assert_cmpstr (f->changes->str, ==, "0,50,50;121,0,1;");
  after = snapshot (f, PAGE_SIZE);
  g_assert_cmpstr (roster_user_get_user_name (after->pdata[0]), ==, "aaron");
  g_assert_false (roster_user_get_placeholder (after->pdata[0]));
  for (guint i = 1; i < PAGE_SIZE; i++)
    g_assert_true (after->pdata[i] == before->pdata[i - 1]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->pager)), ==, N_CREATED + 2);
}

static void
test_refresh_deleted (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  roster_user_pager_set_sort (f->pager, "userName", FALSE);
  refresh (f);
  before = snapshot (f, PAGE_SIZE);
  g_assert_cmpstr (roster_user_get_user_name (before->pdata[6]), ==, "user005");
  g_string_truncate (f->changes, 0);

  delete_user (f, "user005");
  refresh (f);

  /* Those before the deleted user stay where they were, untouched; those after move up
   * with their objects; the first page's last position is a user it did not hold; one
   * position less at the end. */
  g_assert_cmpstr (f->changes->str, ==, "6,44,44;120,1,0;");
  after = snapshot (f, PAGE_SIZE);
  for (guint i = 0; i < 6; i++)
    g_assert_true (after->pdata[i] == before->pdata[i]);
  for (guint i = 6; i < PAGE_SIZE - 1; i++)
    g_assert_true (after->pdata[i] == before->pdata[i + 1]);
  g_assert_cmpstr (roster_user_get_user_name (after->pdata[PAGE_SIZE - 1]), ==, "user049");
  for (guint i = 0; i < PAGE_SIZE; i++)
    g_assert_cmpstr (roster_user_get_user_name (after->pdata[i]), !=, "user005");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->pager)), ==, N_CREATED);
}

/* A page fetch of the old query that lands after a refresh with a new one is dropped. */
static void
test_refresh_old_page_never_lands (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->pager);
  g_autofree char *filter = roster_scim_search_filter_new ("user01");
  g_autoptr(RosterUser) old = NULL;

  refresh (f);
  old = g_list_model_get_item (model, 75); /* its page is on its way */
  roster_user_pager_set_filter (f->pager, filter);
  refresh (f);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_null (roster_user_get_id (old));
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (model, i);

      g_assert_true (g_str_has_prefix (roster_user_get_user_name (user), "user01"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/user-pager/refresh", Fixture, NULL, fixture_set_up, test_refresh,
              fixture_tear_down);
  g_test_add ("/user-pager/page-on-demand", Fixture, NULL, fixture_set_up, test_page_on_demand,
              fixture_tear_down);
  g_test_add ("/user-pager/eviction", Fixture, NULL, fixture_set_up, test_eviction,
              fixture_tear_down);
  g_test_add ("/user-pager/refresh-sees-changes", Fixture, NULL, fixture_set_up,
              test_refresh_sees_changes, fixture_tear_down);
  g_test_add ("/user-pager/filter-and-sort", Fixture, NULL, fixture_set_up,
              test_filter_and_sort, fixture_tear_down);
  g_test_add ("/user-pager/load-failed", Fixture, NULL, fixture_set_up, test_load_failed,
              fixture_tear_down);

  g_test_add ("/user-pager/refresh-in-place/unchanged", Fixture, NULL, fixture_set_up,
              test_refresh_unchanged, fixture_tear_down);
  g_test_add ("/user-pager/refresh-in-place/renamed", Fixture, NULL, fixture_set_up,
              test_refresh_renamed, fixture_tear_down);
  g_test_add ("/user-pager/refresh-in-place/created-first", Fixture, NULL, fixture_set_up,
              test_refresh_created_first, fixture_tear_down);
  g_test_add ("/user-pager/refresh-in-place/deleted", Fixture, NULL, fixture_set_up,
              test_refresh_deleted, fixture_tear_down);
  g_test_add ("/user-pager/refresh-old-page-never-lands", Fixture, NULL, fixture_set_up,
              test_refresh_old_page_never_lands, fixture_tear_down);

  return g_test_run ();
}
