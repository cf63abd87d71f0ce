/* test-client.c: RosterClient against a real rosterd on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "roster-client.h"
#include "roster-error.h"
#include "roster-user-diff.h"
#include "roster-test-async.h"
#include "roster-test-server.h"

#define ADMIN_PASSWORD "correct horse battery"

typedef struct
{
  RosterTestServer *server;
  RosterClient *client;
} Fixture;

static RosterUser *
make_user (const char *user_name, const char *given, const char *family, const char *email)
{
  RosterUser *user = roster_user_new ();

  roster_user_set_user_name (user, user_name);
  roster_user_set_given_name (user, given);
  roster_user_set_family_name (user, family);
  roster_user_set_email (user, email);
  return user;
}

static gboolean
setup_admin (RosterClient *client, const char *setup_token, GError **error)
{
  g_autoptr(RosterUser) admin = make_user ("ada", "Ada", "Lovelace", "ada@example.com");
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_setup_async (client, setup_token, admin, ADMIN_PASSWORD, NULL,
                             roster_test_async_cb, &result);
  return roster_client_setup_finish (client, roster_test_wait_result (&result), error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->client = roster_client_new (f->server->base_url);
}

static void
fixture_set_up_admin (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up (f, data);
  g_assert_true (setup_admin (f->client, f->server->setup_token, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->client);
  roster_test_server_stop (f->server);
}

static gboolean
get_setup_required (RosterClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean required = FALSE;

  roster_client_get_setup_required_async (client, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_client_get_setup_required_finish (client, roster_test_wait_result (&result),
                                                          &required, error));
  return required;
}

static GPtrArray *
list_users (RosterClient *client, guint start, guint count, guint *total, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_list_users_async (client, start, count, NULL, NULL, FALSE, NULL,
                                  roster_test_async_cb, &result);
  return roster_client_list_users_finish (client, roster_test_wait_result (&result), total,
                                          error);
}

static RosterUser *
create_user (RosterClient *client, RosterUser *user, const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_create_user_async (client, user, password, NULL, roster_test_async_cb, &result);
  return roster_client_create_user_finish (client, roster_test_wait_result (&result), error);
}

static gboolean
sign_in (RosterClient *client, const char *user_name, const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_sign_in_async (client, user_name, password, NULL, roster_test_async_cb, &result);
  return roster_client_sign_in_finish (client, roster_test_wait_result (&result), error);
}

static void
test_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  RosterUser *admin;
  guint total = 0;

  g_assert_nonnull (f->server->setup_token);
  g_assert_true (get_setup_required (f->client, &error));
  g_assert_null (roster_client_get_token (f->client));

  /* A wrong setup token is refused, and nothing is created. */
  g_assert_false (setup_admin (f->client, "not-the-token", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SETUP_TOKEN);
  g_clear_error (&error);
  g_assert_true (get_setup_required (f->client, &error));

  g_assert_true (setup_admin (f->client, f->server->setup_token, &error));
  g_assert_no_error (error);
  g_assert_nonnull (roster_client_get_token (f->client));
  g_assert_false (get_setup_required (f->client, &error));

  users = list_users (f->client, 1, 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpuint (users->len, ==, 1);
  admin = g_ptr_array_index (users, 0);
  g_assert_cmpstr (roster_user_get_user_name (admin), ==, "ada");
  g_assert_cmpstr (roster_user_get_title (admin), ==, "Ada Lovelace");
  g_assert_cmpstr (roster_user_get_email (admin), ==, "ada@example.com");
  g_assert_true (roster_user_get_administrator (admin));
  g_assert_cmpint (roster_user_get_status (admin), ==, ROSTER_USER_STATUS_ACTIVE);
  g_assert_nonnull (roster_user_get_id (admin));
  g_assert_nonnull (roster_user_get_created (admin));

  /* Setup happens once. */
  g_assert_false (setup_admin (f->client, f->server->setup_token, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_SETUP_COMPLETE);
}

static void
test_sign_in (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterClient) other = roster_client_new (f->server->base_url);
  g_autoptr(GPtrArray) users = NULL;

  g_assert_false (sign_in (other, "ada", "wrong password", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  g_assert_null (roster_client_get_token (other));

  /* Usernames are unique without regard to case, but signing in compares them exactly. */
  g_assert_false (sign_in (other, "ADA", ADMIN_PASSWORD, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);

  g_assert_true (sign_in (other, "ada", ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_nonnull (roster_client_get_token (other));
  g_assert_cmpstr (roster_client_get_token (other), !=, roster_client_get_token (f->client));

  users = list_users (other, 1, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
}

static void
on_session_expired_cb (RosterClient *client, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_session_expired (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint expired = 0;

  g_signal_connect (f->client, "session-expired", G_CALLBACK (on_session_expired_cb), &expired);
  roster_client_set_token (f->client, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  users = list_users (f->client, 1, 10, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (expired, ==, 1);
  g_assert_null (roster_client_get_token (f->client));
  g_clear_error (&error);

  /* Without a token the client does not even ask. */
  users = list_users (f->client, 1, 10, NULL, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (expired, ==, 1);
}

static void
test_users (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) clash = make_user ("GRACE", "Other", "Grace", "other@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterUser) fetched = NULL;
  g_autoptr(RosterUser) missing = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint total = 0;

  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (roster_user_get_id (created));
  g_assert_nonnull (roster_user_get_version (created));
  g_assert_cmpstr (roster_user_get_user_name (created), ==, "grace");
  g_assert_cmpstr (roster_user_get_email (created), ==, "grace@example.com");
  g_assert_false (roster_user_get_administrator (created));

  roster_client_get_user_async (f->client, roster_user_get_id (created), NULL,
                                roster_test_async_cb, &result);
  fetched = roster_client_get_user_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_id (fetched), ==, roster_user_get_id (created));
  g_assert_cmpstr (roster_user_get_title (fetched), ==, "Grace Hopper");
  g_clear_object (&result);

  g_assert_null (create_user (f->client, clash, NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN);
  g_assert_cmpstr (error->message, ==, roster_error_code_describe (ROSTER_ERROR_USER_NAME_TAKEN));
  g_clear_error (&error);

  /* An id with characters that need escaping still reaches the server as one segment. */
  roster_client_get_user_async (f->client, "no such/user?", NULL, roster_test_async_cb, &result);
  missing = roster_client_get_user_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_null (missing);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  users = list_users (f->client, 1, 100, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (users->len, ==, 2);
}

static RosterUser *
update_user (RosterClient *client, RosterUser *base, RosterUser *changed, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_update_user_async (client, base, changed, NULL, roster_test_async_cb, &result);
  return roster_client_update_user_finish (client, roster_test_wait_result (&result), error);
}

static void
test_update_and_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) base = NULL;
  g_autoptr(RosterUser) mine = roster_user_new ();
  g_autoptr(RosterUser) saved = NULL;
  g_autoptr(RosterUser) theirs = roster_user_new ();
  g_autoptr(RosterUser) stale = NULL;
  g_autoptr(RosterUser) unchanged = NULL;

  base = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);

  /* Change the family name and the e-mail, and deactivate. */
  roster_user_update_from (mine, base);
  roster_user_set_family_name (mine, "Brewster Hopper");
  roster_user_set_email (mine, "ghopper@example.com");
  roster_user_set_active (mine, FALSE);
  g_assert_cmpint (roster_user_diff (base, mine), ==,
                   ROSTER_USER_FIELD_FAMILY_NAME | ROSTER_USER_FIELD_EMAIL
                     | ROSTER_USER_FIELD_ACTIVE);
  saved = update_user (f->client, base, mine, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_family_name (saved), ==, "Brewster Hopper");
  g_assert_cmpstr (roster_user_get_email (saved), ==, "ghopper@example.com");
  g_assert_false (roster_user_get_active (saved));
  g_assert_cmpstr (roster_user_get_given_name (saved), ==, "Grace");
  g_assert_cmpstr (roster_user_get_version (saved), !=, roster_user_get_version (base));

  /* Someone saving from the old version gets 412, and the server keeps the newer one. */
  roster_user_update_from (theirs, base);
  roster_user_set_given_name (theirs, "Amazing Grace");
  stale = update_user (f->client, base, theirs, &error);
  g_assert_null (stale);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);

  /* Nothing changed: no PATCH, just the current user back. */
  unchanged = update_user (f->client, saved, saved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_given_name (unchanged), ==, "Grace");
  g_assert_cmpstr (roster_user_get_version (unchanged), ==, roster_user_get_version (saved));
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalogue = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(RosterRole) sales = NULL;
  g_autoptr(RosterRole) updated = NULL;
  g_autoptr(RosterRole) stale = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  const char *const wanted[] = { "clients.view", "orders.view", NULL };
  const char *const other[] = { "tasks.view", NULL };
  g_autofree char *patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;
  gboolean found = FALSE;
  guint status = 0;

  roster_client_list_permissions_async (f->client, NULL, roster_test_async_cb, &result);
  catalogue = roster_client_list_permissions_finish (f->client, roster_test_wait_result (&result),
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalogue->len, ==, 13);
  for (guint i = 0; i < catalogue->len; i++)
    {
      RosterPermissionDescription *permission = g_ptr_array_index (catalogue, i);

      g_assert_nonnull (permission->name);
      g_assert_nonnull (permission->area);
      found |= g_str_equal (permission->id, "users.manage");
    }
  g_assert_true (found);
  g_clear_object (&result);

  roster_client_create_role_async (f->client, "Sales", "Sells things", NULL,
                                   roster_test_async_cb, &result);
  sales = roster_client_role_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_role_get_name (sales), ==, "Sales");
  g_assert_cmpuint (g_strv_length ((GStrv) roster_role_get_permissions (sales)), ==, 0);
  g_clear_object (&result);

  roster_client_set_role_permissions_async (f->client, sales, wanted, NULL, roster_test_async_cb,
                                            &result);
  updated = roster_client_role_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (roster_role_has_permission (updated, "clients.view"));
  g_assert_true (roster_role_has_permission (updated, "orders.view"));
  g_assert_false (roster_role_has_permission (updated, "tasks.view"));
  g_clear_object (&result);

  /* From the old version: someone else's change would be lost, so it is refused. */
  roster_client_set_role_permissions_async (f->client, sales, other, NULL, roster_test_async_cb,
                                            &result);
  stale = roster_client_role_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_null (stale);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);
  g_clear_object (&result);

  roster_client_list_roles_async (f->client, NULL, roster_test_async_cb, &result);
  roles = roster_client_list_roles_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roles->len, ==, 1);
  g_assert_true (roster_role_has_permission (g_ptr_array_index (roles, 0), "orders.view"));
  g_clear_object (&result);

  /* Give the role to a user: deleting it then needs force. */
  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (created), NULL);
  patch = g_strdup_printf ("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                           "\"Operations\":[{\"op\":\"add\",\"path\":\"roles\","
                           "\"value\":[{\"value\":\"%s\"}]}]}",
                           roster_role_get_id (sales));
  reply = roster_test_server_request (f->server, "PATCH", path, roster_client_get_token (f->client),
                                      "application/scim+json", patch, &status);
  g_assert_cmpuint (status, ==, 200);

  roster_client_delete_role_async (f->client, updated, FALSE, NULL, roster_test_async_cb, &result);
  g_assert_false (roster_client_delete_role_finish (f->client, roster_test_wait_result (&result),
                                                    &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_ROLE_IN_USE);
  g_clear_error (&error);
  g_clear_object (&result);

  roster_client_delete_role_async (f->client, updated, TRUE, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_client_delete_role_finish (f->client, roster_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
}

static gboolean
change_password (RosterClient *client, const char *current, const char *new_password,
                 GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_change_password_async (client, current, new_password, NULL, roster_test_async_cb,
                                       &result);
  return roster_client_change_password_finish (client, roster_test_wait_result (&result), error);
}

static void
test_must_change_password (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterClient) other = roster_client_new (f->server->base_url);
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;
  guint status = 0;

  created = create_user (f->client, grace, "first compiler 1952", &error);
  g_assert_no_error (error);
  g_assert_true (sign_in (other, "grace", "first compiler 1952", &error));
  g_assert_false (roster_client_get_password_change_required (other));

  /* An administrator sets a password to be changed at the next sign-in. */
  path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (created), "/actions/set-password",
                      NULL);
  reply = roster_test_server_request (f->server, "POST", path, roster_client_get_token (f->client),
                                      "application/scim+json",
                                      "{\"password\": \"temporary mainframe 7\", "
                                      "\"mustChange\": true}",
                                      &status);
  g_assert_cmpuint (status, ==, 200);

  g_assert_true (sign_in (other, "grace", "temporary mainframe 7", &error));
  g_assert_no_error (error);
  g_assert_true (roster_client_get_password_change_required (other));

  /* pwquality's reason comes back with the error. */
  g_assert_false (change_password (other, "temporary mainframe 7", "grace hopper 12", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD);
  g_assert_cmpstr (error->message, !=, roster_error_code_describe (ROSTER_ERROR_WEAK_PASSWORD));
  g_clear_error (&error);
  g_assert_true (roster_client_get_password_change_required (other));

  g_assert_true (change_password (other, "temporary mainframe 7", "cobol standard 1959", &error));
  g_assert_no_error (error);
  g_assert_false (roster_client_get_password_change_required (other));
  g_assert_true (sign_in (other, "grace", "cobol standard 1959", &error));
  g_assert_false (roster_client_get_password_change_required (other));
}

static RosterGroup *
change_member (RosterClient *client, RosterGroup *group, const char *user_id, gboolean add,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_change_member_async (client, group, user_id, add, NULL, roster_test_async_cb,
                                     &result);
  return roster_client_group_finish (client, roster_test_wait_result (&result), error);
}

static void
test_groups (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterGroup) team = NULL;
  g_autoptr(RosterGroup) with_grace = NULL;
  g_autoptr(RosterGroup) stale = NULL;
  g_autoptr(RosterGroup) without = NULL;
  g_autoptr(GPtrArray) groups = NULL;

  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  roster_client_create_group_async (f->client, "Tour Guides", TRUE, NULL, roster_test_async_cb,
                                    &result);
  team = roster_client_group_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (roster_group_get_is_team (team));
  g_assert_cmpuint (roster_group_get_n_members (team), ==, 0);
  g_clear_object (&result);

  with_grace = change_member (f->client, team, roster_user_get_id (created), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roster_group_get_n_members (with_grace), ==, 1);
  g_assert_cmpstr (roster_group_get_member_id (with_grace, 0), ==, roster_user_get_id (created));
  /* The server shows a member by displayName, else userName. */
  g_assert_cmpstr (roster_group_get_member_display (with_grace, 0), ==, "grace");

  /* From the old version the change is refused. */
  stale = change_member (f->client, team, roster_user_get_id (created), FALSE, &error);
  g_assert_null (stale);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);

  without = change_member (f->client, with_grace, roster_user_get_id (created), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roster_group_get_n_members (without), ==, 0);

  roster_client_list_groups_async (f->client, NULL, roster_test_async_cb, &result);
  groups = roster_client_list_groups_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (roster_group_get_display_name (g_ptr_array_index (groups, 0)), ==,
                   "Tour Guides");
}

/* Several accounts in one Bulk request: each row gets its own outcome, the team membership
 * refers to the new account by bulkId, and a bad row does not stop the others. */
static void
test_create_users (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterGroup) team = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_bulk_row_free);
  g_autoptr(GPtrArray) groups = NULL;
  const char *names[] = { "alan", "barbara", "ada", "dennis" }; /* ada exists */
  RosterBulkRow *row;

  roster_client_create_group_async (f->client, "Night Shift", TRUE, NULL, roster_test_async_cb,
                                    &result);
  team = roster_client_group_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *email = g_strconcat (names[i], "@example.com", NULL);
      g_autoptr(RosterUser) user = make_user (names[i], names[i], "Tester", email);

      g_ptr_array_add (rows, roster_bulk_row_new (user, i == 1 ? "correct horse battery" : NULL,
                                                  NULL, i < 3 ? roster_group_get_id (team) : NULL));
    }
  /* Dennis is invited: created pending, with a link to choose his password. */
  ((RosterBulkRow *) g_ptr_array_index (rows, 3))->send_invitation = TRUE;
  roster_client_create_users_async (f->client, rows, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_client_create_users_finish (f->client, roster_test_wait_result (&result),
                                                    &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  for (guint i = 0; i < rows->len; i++)
    {
      row = g_ptr_array_index (rows, i);
      if (i == 2)
        {
          g_assert_cmpuint (row->status, ==, 409);
          g_assert_error (row->error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN);
          g_assert_null (row->id);
        }
      else
        {
          g_assert_cmpuint (row->status, ==, 201);
          g_assert_no_error (row->error);
          g_assert_nonnull (row->id);
        }
      g_assert_no_error (row->team_error);
    }

  /* Alan and Barbara joined the team; the refused row did not add the existing Ada. */
  roster_client_list_groups_async (f->client, NULL, roster_test_async_cb, &result);
  groups = roster_client_list_groups_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (roster_group_get_n_members (g_ptr_array_index (groups, 0)), ==, 2);

  {
    g_autoptr(RosterUser) dennis = NULL;
    RosterBulkRow *invited = g_ptr_array_index (rows, 3);

    g_clear_object (&result);
    roster_client_get_user_async (f->client, invited->id, NULL, roster_test_async_cb, &result);
    dennis = roster_client_get_user_finish (f->client, roster_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpint (roster_user_get_status (dennis), ==, ROSTER_USER_STATUS_PENDING);
    g_clear_object (&result);
  }

  /* Barbara can sign in with the password the row gave her. */
  {
    g_autoptr(RosterClient) barbara = roster_client_new (f->server->base_url);

    g_assert_true (sign_in (barbara, "barbara", "correct horse battery", &error));
    g_assert_no_error (error);
  }
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterClient) client = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean required;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = roster_client_new (url);

  roster_client_get_setup_required_async (client, NULL, roster_test_async_cb, &result);
  g_assert_false (roster_client_get_setup_required_finish (client, roster_test_wait_result (&result),
                                                           &required, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);
  g_assert_cmpstr (error->message, ==, roster_error_code_describe (ROSTER_ERROR_UNREACHABLE));
}

static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;

  roster_client_list_users_async (f->client, 1, 10, NULL, NULL, FALSE, cancellable,
                                  roster_test_async_cb, &result);
  g_cancellable_cancel (cancellable);
  users = roster_client_list_users_finish (f->client, roster_test_wait_result (&result), NULL,
                                           &error);
  g_assert_null (users);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A page's JSON is read in a worker thread after the answer arrives. Cancelled at any point
 * — before the request is sent, while it is on its way, while the page is parsed, after the
 * worker is done — the call answers once: cancelled, or with the whole page. */
static void
test_cancelled_while_parsing (Fixture *f, gconstpointer data)
{
  g_autofree char *token = NULL;
  guint cancelled = 0, completed = 0, needed = 0;

  token = g_strdup (roster_client_get_token (f->client));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"p%02u\"}", i);
      guint status = 0;
      g_autofree char *reply = roster_test_server_request (
        f->server, "POST", "/scim/v2/Users", token, "application/scim+json", body, &status);

      g_assert_cmpuint (status, ==, 201);
    }

  /* How many main-loop iterations a whole call takes (a call after a cancelled one may need
   * a new connection, and more): cancelling after fewer cancels it. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) users = NULL;

    roster_client_list_users_async (f->client, 1, 100, NULL, NULL, FALSE, NULL,
                                    roster_test_async_cb, &result);
    while (result == NULL)
      {
        g_main_context_iteration (NULL, TRUE);
        needed++;
      }
    users = roster_client_list_users_finish (f->client, result, NULL, NULL);
    g_assert_nonnull (users);
  }

  for (guint spins = 0; spins <= 4 * needed; spins++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) users = NULL;
      guint total = 0;

      roster_client_list_users_async (f->client, 1, 100, NULL, NULL, FALSE, cancellable,
                                      roster_test_async_cb, &result);
      for (guint i = 0; i < spins && result == NULL; i++)
        g_main_context_iteration (NULL, TRUE);
      /* Once answered, a cancel would still turn the finish into CANCELLED (GTask checks the
       * cancellable there): only cancel what has not answered yet. */
      if (result == NULL)
        g_cancellable_cancel (cancellable);
      users = roster_client_list_users_finish (f->client, roster_test_wait_result (&result),
                                               &total, &error);
      if (users == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (total, ==, 61);
      g_assert_cmpuint (users->len, ==, 61);
      g_assert_cmpstr (roster_user_get_user_name (users->pdata[60]), ==, "p59");
      /* Built in the worker, handed over whole: nothing else holds them. */
      for (guint i = 0; i < users->len; i++)
        g_assert_cmpuint (G_OBJECT (users->pdata[i])->ref_count, ==, 1);
      completed++;
    }
  g_test_message ("%u iterations for a call; %u cancelled, %u completed", needed, cancelled,
                  completed);
  g_assert_cmpuint (cancelled, >, 0);
  g_assert_cmpuint (completed, >, 0);
}

/* Every field of the user page goes through RosterUserDiff to one PATCH the server takes,
 * and comes back from the server as it was sent; a second edit replaces (not adds to) the
 * mobile number, the Skype name and the work address. */
static void
test_profile_fields (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) linus = make_user ("linus", "Linus", "Torvalds", "linus@example.com");
  g_autoptr(RosterUser) base = NULL;
  g_autoptr(RosterUser) manager = NULL;
  g_autoptr(RosterUser) mine = roster_user_new ();
  g_autoptr(RosterUser) saved = NULL;
  g_autoptr(RosterUser) again = roster_user_new ();
  g_autoptr(RosterUser) final = NULL;
  g_autoptr(RosterRole) sales = NULL;
  const char *const entitlements[] = { "clients.view", NULL };
  const char *role_ids[2] = { NULL, NULL };
  static const char *const strings[][2] = {
    { "employee-number", "E-1906" }, { "department", "Navy" },
    { "preferred-language", "de" }, { "country", "US" }, { "mobile", "+1 555 0100" },
    { "skype", "grace.hopper" }, { "street-address", "1 Cobol Way" },
    { "locality", "Arlington" }, { "postal-code", "22201" }, { "region", "VA" },
    { "address-country", "US" },
  };

  base = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  /* A manager's displayName is the manager's own. */
  roster_user_set_display_name (linus, "Linus Torvalds");
  manager = create_user (f->client, linus, NULL, &error);
  g_assert_no_error (error);
  roster_client_create_role_async (f->client, "Sales", NULL, NULL, roster_test_async_cb, &result);
  sales = roster_client_role_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  roster_user_update_from (mine, base);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    roster_user_set_string (mine, strings[i][0], strings[i][1]);
  roster_user_set_display_name (mine, "Amazing Grace");
  roster_user_set_string (mine, "manager-id", roster_user_get_id (manager));
  roster_user_set_string (mine, "secondary-manager-id", roster_user_get_id (manager));
  role_ids[0] = roster_role_get_id (sales);
  roster_user_set_roles (mine, role_ids, NULL);
  roster_user_set_entitlements (mine, entitlements);
  g_assert_cmpint (roster_user_diff (base, mine) & ROSTER_USER_FIELDS_ADDRESS, ==,
                   ROSTER_USER_FIELDS_ADDRESS);
  saved = update_user (f->client, base, mine, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_user_diff (mine, saved), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_assert_cmpstr (roster_user_get_string (saved, strings[i][0]), ==, strings[i][1]);
  g_assert_cmpstr (roster_user_get_string (saved, "manager-name"), ==, "Linus Torvalds");
  g_assert_cmpstr (roster_user_get_string (saved, "secondary-manager-name"), ==,
                   "Linus Torvalds");
  g_assert_cmpstr (roster_user_get_role_names (saved)[0], ==, "Sales");
  g_assert_true (roster_user_has_entitlement (saved, "clients.view"));
  {
    g_autofree char *sources = roster_user_dup_permission_sources (saved, "clients.view");

    g_assert_nonnull (sources);
  }

  /* Change some, empty others: replaced, never doubled. */
  roster_user_update_from (again, saved);
  roster_user_set_string (again, "mobile", "+1 555 0199");
  roster_user_set_string (again, "skype", NULL);
  roster_user_set_string (again, "locality", "Washington");
  roster_user_set_string (again, "region", NULL);
  roster_user_set_string (again, "secondary-manager-id", NULL);
  roster_user_set_roles (again, NULL, NULL);
  roster_user_set_entitlements (again, NULL);
  final = update_user (f->client, saved, again, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_user_diff (again, final), ==, 0);
  g_assert_cmpstr (roster_user_get_string (final, "mobile"), ==, "+1 555 0199");
  g_assert_null (roster_user_get_string (final, "skype"));
  g_assert_cmpstr (roster_user_get_string (final, "street-address"), ==, "1 Cobol Way");
  g_assert_cmpstr (roster_user_get_string (final, "locality"), ==, "Washington");
  g_assert_null (roster_user_get_string (final, "secondary-manager-id"));
  g_assert_cmpstr (roster_user_get_string (final, "manager-id"), ==, roster_user_get_id (manager));
  g_assert_null (roster_user_get_roles (final)[0]);
}

/* Unlock, set a password, log out everywhere: the account actions of the Security section. */
static void
test_user_actions (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterUser) unlocked = NULL;
  g_autoptr(RosterUser) reset = NULL;

  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);

  roster_client_set_user_password_async (f->client, roster_user_get_id (created),
                                         "compiler pioneer 1952", TRUE, NULL,
                                         roster_test_async_cb, &result);
  reset = roster_client_user_action_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (roster_user_get_must_change_password (reset));
  g_assert_nonnull (roster_user_get_password_expires (reset));
  g_clear_object (&result);

  /* A weak password is refused with the reason, and nothing changes. */
  roster_client_set_user_password_async (f->client, roster_user_get_id (created), "grace12345", TRUE,
                                         NULL, roster_test_async_cb, &result);
  g_assert_null (roster_client_user_action_finish (f->client, roster_test_wait_result (&result),
                                                   &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);
  g_clear_object (&result);

  roster_client_unlock_user_async (f->client, roster_user_get_id (created), NULL,
                                   roster_test_async_cb, &result);
  unlocked = roster_client_user_action_finish (f->client, roster_test_wait_result (&result),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_user_get_status (unlocked), ==, ROSTER_USER_STATUS_ACTIVE);
  g_clear_object (&result);

  roster_client_logout_user_async (f->client, roster_user_get_id (created), NULL,
                                   roster_test_async_cb, &result);
  g_assert_true (roster_client_logout_user_finish (f->client, roster_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
}

/* A 2 × 2 PNG. */
static const char tiny_png[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
  "\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9a"
  "\x73\x00\x00\x00\x11\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\x00"
  "\x44\x0c\x60\xf2\x3f\x00\x1b\xf2\x03\xfd\xf3\xe7\x4b\xb1\x00\x00"
  "\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

static RosterUser *
fetch_user (RosterClient *client, const char *id, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_get_user_async (client, id, NULL, roster_test_async_cb, &result);
  return roster_client_get_user_finish (client, roster_test_wait_result (&result), error);
}

static GBytes *
get_photo (RosterClient *client, RosterUser *user, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_get_photo_async (client, user, NULL, roster_test_async_cb, &result);
  return roster_client_get_photo_finish (client, roster_test_wait_result (&result), error);
}

static RosterUser *
set_photo (RosterClient *client, RosterUser *user, const char *dir, const char *name,
           const char *contents, gsize length, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) write_error = NULL;

  g_file_set_contents (path, contents, length, &write_error);
  g_assert_no_error (write_error);
  roster_client_set_photo_async (client, user, file, NULL, roster_test_async_cb, &result);
  return roster_client_set_photo_finish (client, roster_test_wait_result (&result), error);
}

/* Photos: none costs nothing, one set from a file comes back and is kept for its version,
 * a file too large or not an image is refused before sending, and deleting removes it. */
static void
test_photos (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterUser) with_photo = NULL;
  g_autoptr(RosterUser) refused = NULL;
  g_autoptr(RosterUser) without = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autofree char *dir = g_dir_make_tmp ("roster-client-photo-XXXXXX", NULL);
  g_autofree char *big = g_malloc0 (ROSTER_CLIENT_PHOTO_MAX_SIZE + 1);

  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  none = get_photo (f->client, created, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  refused = set_photo (f->client, created, dir, "notes.png", "plain text", 10, &error);
  g_assert_null (refused);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_clear_error (&error);
  memcpy (big, tiny_png, 8);
  refused = set_photo (f->client, created, dir, "huge.png", big, ROSTER_CLIENT_PHOTO_MAX_SIZE + 1,
                       &error);
  g_assert_null (refused);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PAYLOAD_TOO_LARGE);
  g_clear_error (&error);

  with_photo = set_photo (f->client, created, dir, "grace.png", tiny_png, sizeof tiny_png - 1,
                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (roster_user_get_string (with_photo, "photo"));
  g_assert_cmpstr (roster_user_get_version (with_photo), !=, roster_user_get_version (created));
  first = get_photo (f->client, with_photo, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpuint (g_bytes_get_size (first), >, 8);
  g_assert_cmpint (memcmp (g_bytes_get_data (first, NULL), "\x89PNG", 4), ==, 0);
  /* The same version again is answered from memory: the very same bytes. */
  again = get_photo (f->client, with_photo, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);

  roster_client_delete_photo_async (f->client, with_photo, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_client_delete_photo_finish (f->client, roster_test_wait_result (&result),
                                                    &error));
  g_assert_no_error (error);
  /* A stale copy that still names the photo asks again and learns it is gone. */
  gone = get_photo (f->client, with_photo, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  without = fetch_user (f->client, roster_user_get_id (created), &error);
  g_assert_no_error (error);
  g_assert_null (roster_user_get_string (without, "photo"));

  for (const char *const *name = (const char *const[]) { "notes.png", "huge.png", "grace.png",
                                                        NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* Joining several groups: one that does not exist is reported, the others are joined. */
static void
test_join_groups (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = make_user ("grace", "Grace", "Hopper", "grace@example.com");
  g_autoptr(RosterUser) created = NULL;
  g_autoptr(RosterUser) member = NULL;
  g_autoptr(RosterGroup) team = NULL;
  g_auto(GStrv) failed = NULL;
  const char *ids[] = { NULL, "no-such-group", NULL };

  created = create_user (f->client, grace, NULL, &error);
  g_assert_no_error (error);
  roster_client_create_group_async (f->client, "Tour Guides", TRUE, NULL, roster_test_async_cb,
                                    &result);
  team = roster_client_group_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  ids[0] = roster_group_get_id (team);

  roster_client_join_groups_async (f->client, roster_user_get_id (created), ids, NULL,
                                   roster_test_async_cb, &result);
  g_assert_false (roster_client_join_groups_finish (f->client, roster_test_wait_result (&result),
                                                    &failed, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (g_strv_length (failed), ==, 1);
  g_assert_cmpstr (failed[0], ==, "no-such-group");

  member = fetch_user (f->client, roster_user_get_id (created), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) roster_user_get_group_ids (member)), ==, 1);
  g_assert_cmpstr (roster_user_get_group_ids (member)[0], ==, roster_group_get_id (team));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/setup", Fixture, NULL, fixture_set_up, test_setup, fixture_tear_down);
  g_test_add ("/client/sign-in", Fixture, NULL, fixture_set_up_admin, test_sign_in,
              fixture_tear_down);
  g_test_add ("/client/session-expired", Fixture, NULL, fixture_set_up_admin,
              test_session_expired, fixture_tear_down);
  g_test_add ("/client/users", Fixture, NULL, fixture_set_up_admin, test_users,
              fixture_tear_down);
  g_test_add ("/client/cancelled-while-parsing", Fixture, NULL, fixture_set_up_admin,
              test_cancelled_while_parsing, fixture_tear_down);
  g_test_add ("/client/cancelled", Fixture, NULL, fixture_set_up_admin, test_cancelled,
              fixture_tear_down);
  g_test_add ("/client/update-and-conflict", Fixture, NULL, fixture_set_up_admin,
              test_update_and_conflict, fixture_tear_down);
  g_test_add ("/client/roles", Fixture, NULL, fixture_set_up_admin, test_roles,
              fixture_tear_down);
  g_test_add ("/client/must-change-password", Fixture, NULL, fixture_set_up_admin,
              test_must_change_password, fixture_tear_down);
  g_test_add ("/client/groups", Fixture, NULL, fixture_set_up_admin, test_groups,
              fixture_tear_down);
  g_test_add ("/client/create-users", Fixture, NULL, fixture_set_up_admin, test_create_users,
              fixture_tear_down);
  g_test_add ("/client/profile-fields", Fixture, NULL, fixture_set_up_admin, test_profile_fields,
              fixture_tear_down);
  g_test_add ("/client/user-actions", Fixture, NULL, fixture_set_up_admin, test_user_actions,
              fixture_tear_down);
  g_test_add ("/client/photos", Fixture, NULL, fixture_set_up_admin, test_photos,
              fixture_tear_down);
  g_test_add ("/client/join-groups", Fixture, NULL, fixture_set_up_admin, test_join_groups,
              fixture_tear_down);
  g_test_add_func ("/client/unreachable", test_unreachable);

  return g_test_run ();
}
