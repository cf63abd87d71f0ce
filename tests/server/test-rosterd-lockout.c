/* test-rosterd-lockout.c: failed-login and inactivity locks against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include "server-test-util.h"

#define EXT "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define BOB_PASSWORD "bob's password"

static void
assert_refused (RosterTestServer *server, const char *user_name, const char *password,
                const char *expected_body)
{
  guint status = 0;
  g_autofree char *body = test_try_sign_in (server, user_name, password, &status);

  g_assert_cmpuint (status, ==, 401);
  test_assert_scim_error (body, 401, "invalid-credentials", NULL);
  if (expected_body != NULL)
    g_assert_cmpstr (body, ==, expected_body);
}

static JsonNode *
get_user (RosterTestServer *server, const char *token, const char *id)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "GET", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return test_parse_object (body);
}

static void
assert_locked (RosterTestServer *server, const char *token, const char *id, const char *reason)
{
  g_autoptr(JsonNode) user = get_user (server, token, id);
  JsonObject *ext = test_roster_extension (user);
  JsonObject *lock = json_object_get_object_member (ext, "lock");

  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "locked");
  g_assert_nonnull (lock);
  g_assert_cmpstr (json_object_get_string_member (lock, "reason"), ==, reason);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (lock, "since"), "20"));
}

static void
test_lockout_failed_logins (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *wrong = NULL;
  g_autofree char *session = NULL;
  g_autofree char *unlock_path = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  /* Five wrong passwords in a row are allowed; a right one resets the count. */
  for (int round = 0; round < 2; round++)
    {
      for (int i = 0; i < 5; i++)
        assert_refused (server, "bob", "not bob's password", NULL);
      g_assert_cmpint (test_db_query_int (server->data_dir,
                                          "SELECT failed_logins FROM users "
                                          "WHERE user_name = 'bob'"),
                       ==, 5);
      g_free (roster_test_server_sign_in (server, "bob", BOB_PASSWORD));
      g_assert_cmpint (test_db_query_int (server->data_dir,
                                          "SELECT failed_logins FROM users "
                                          "WHERE user_name = 'bob'"),
                       ==, 0);
    }

  /* The sixth in a row locks the account and ends its sessions. */
  session = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  wrong = test_try_sign_in (server, "bob", "not bob's password", &status);
  for (int i = 0; i < 5; i++)
    assert_refused (server, "bob", "not bob's password", wrong);
  assert_locked (server, admin, id, "failed-logins");
  body = test_send_json (server, "GET", "/scim/v2/ServiceProviderConfig", session, NULL,
                         &status);
  g_assert_cmpuint (status, ==, 401);

  /* The right password is refused now, with the very same bytes as a wrong one. */
  assert_refused (server, "bob", BOB_PASSWORD, wrong);
  assert_refused (server, "bob", "not bob's password", wrong);

  /* An administrator unlocks. */
  unlock_path = g_strconcat ("/scim/v2/Users/", id, "/actions/unlock", NULL);
  g_free (body);
  body = test_send_json (server, "POST", unlock_path, admin, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autoptr(JsonNode) user = test_parse_object (body);
    JsonObject *ext = test_roster_extension (user);

    g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "active");
    g_assert_false (json_object_has_member (ext, "lock"));
  }
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT failed_logins FROM users WHERE user_name = 'bob'"),
                   ==, 0);
  g_free (roster_test_server_sign_in (server, "bob", BOB_PASSWORD));

  /* Only administrators unlock; unknown users are 404. */
  {
    g_autofree char *bob = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);

    g_free (body);
    body = test_send_json (server, "POST", unlock_path, bob, NULL, &status);
    g_assert_cmpuint (status, ==, 403);
    g_free (body);
    body = test_send_json (server, "POST",
                           "/scim/v2/Users/00000000-0000-4000-8000-000000000000/actions/unlock",
                           admin, NULL, &status);
    g_assert_cmpuint (status, ==, 404);
  }
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
median_of (GArray *samples)
{
  g_array_sort (samples, compare_gint64);
  return g_array_index (samples, gint64, samples->len / 2);
}

/* A wrong username costs what a wrong password costs (the dummy hash), so timing does not
 * tell which usernames exist. */
static void
test_lockout_timing (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) wrong = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *body = NULL;
  gint64 unknown_median, wrong_median;
  guint status = 0;

  /* Keep bob unlocked through all the wrong passwords: the wrong-password path is timed. */
  body = test_send_json (server, "PUT", "/scim/v2/Settings", admin, "{\"lockoutThreshold\": 100}",
                         &status);
  g_assert_cmpuint (status, ==, 200);

  for (int i = 0; i < 20; i++)
    for (int which = 0; which < 2; which++)
      {
        gint64 start = g_get_monotonic_time (), elapsed;
        g_autofree char *answer = test_try_sign_in (server, which == 0 ? "nobody-here" : "bob",
                                                    "not bob's password", &status);

        elapsed = g_get_monotonic_time () - start;
        g_assert_cmpuint (status, ==, 401);
        g_array_append_val (which == 0 ? unknown : wrong, elapsed);
      }
  unknown_median = median_of (unknown);
  wrong_median = median_of (wrong);
  g_test_message ("median sign-in: unknown user %" G_GINT64_FORMAT " µs, wrong password %"
                  G_GINT64_FORMAT " µs", unknown_median, wrong_median);
  g_assert_cmpfloat (ABS (unknown_median - wrong_median), <=,
                     0.3 * MAX (unknown_median, wrong_median));
}

static void
test_lockout_inactivity (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "ana's password");
  g_autofree char *carl = test_create_user (server, admin, "carl", "a quiet winter evening");
  g_autofree char *dora = test_create_user (server, admin, "dora", "a loud summer morning");
  g_autofree char *ana_token = NULL;

  /* lastLoginAt is set by a sign-in. */
  ana_token = roster_test_server_sign_in (server, "ana", "ana's password");
  {
    g_autoptr(JsonNode) user = get_user (server, admin, ana);

    g_assert_true (json_object_has_member (test_roster_extension (user), "lastLoginAt"));
  }

  /* Ana's last sign-in was 91 days ago: the next one locks her account. */
  test_db_exec (server->data_dir,
                TEST_SQL ("UPDATE users SET last_login = CAST (strftime ('%s', 'now', '-91 days') "
                          "AS INTEGER) WHERE user_name = 'ana'",
                          "UPDATE users SET last_login = CAST (extract (epoch FROM now () - "
                          "interval '91 days') AS bigint) WHERE user_name = 'ana'"));
  assert_refused (server, "ana", "ana's password", NULL);
  assert_locked (server, admin, ana, "inactivity");

  /* Carl never signed in and was created 91 days ago; the sweep at startup locks him, and
   * leaves Dora (created now) alone. */
  test_db_exec (server->data_dir,
                TEST_SQL ("UPDATE users SET created = CAST (strftime ('%s', 'now', '-91 days') "
                          "AS INTEGER) WHERE user_name = 'carl'",
                          "UPDATE users SET created = CAST (extract (epoch FROM now () - "
                          "interval '91 days') AS bigint) WHERE user_name = 'carl'"));
  roster_test_server_restart (server);
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  assert_locked (server, admin, carl, "inactivity");
  {
    g_autoptr(JsonNode) user = get_user (server, admin, dora);

    g_assert_cmpstr (json_object_get_string_member (test_roster_extension (user), "status"), ==,
                     "active");
  }
  assert_refused (server, "carl", "a quiet winter evening", NULL);
  g_free (roster_test_server_sign_in (server, "dora", "a loud summer morning"));

  /* Unlocking restarts the clock: the next sweep does not lock him again. */
  {
    g_autofree char *path = g_strconcat ("/scim/v2/Users/", carl, "/actions/unlock", NULL);
    g_autofree char *body = NULL;
    guint status = 0;

    body = test_send_json (server, "POST", path, admin, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  roster_test_server_restart (server);
  g_free (roster_test_server_sign_in (server, "carl", "a quiet winter evening"));
}

/* The same rules on rosterd's own clock: the periodic sweep locks whoever has not signed in
 * for more than 90 days, and nobody else. */
static void
test_lockout_inactivity_clock (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "ana's password");

  g_free (roster_test_server_sign_in (server, "ana", "ana's password"));
  if (!test_clock_advance (server, 89 * TEST_DAY))
    return;
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  {
    g_autoptr(JsonNode) user = get_user (server, admin, ana);

    g_assert_cmpstr (json_object_get_string_member (test_roster_extension (user), "status"), ==,
                     "active");
  }

  /* Day 91 since Ana's sign-in, day 2 since the administrator's. */
  g_assert_true (test_clock_advance (server, 2 * TEST_DAY));
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  assert_locked (server, admin, ana, "inactivity");
  assert_refused (server, "ana", "ana's password", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rosterd/lockout/failed-logins", test_lockout_failed_logins);
  g_test_add_func ("/rosterd/lockout/timing", test_lockout_timing);
  g_test_add_func ("/rosterd/lockout/inactivity", test_lockout_inactivity);
  g_test_add_func ("/rosterd/lockout/inactivity-clock", test_lockout_inactivity_clock);
  return g_test_run ();
}
