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

/* Makes sleeper, an account that may not sign in (inactive), with a password. */
static void
create_sleeper (RosterTestServer *server, const char *admin)
{
  g_free (test_create (server, admin, "/scim/v2/Users",
                       "{'userName': 'sleeper', 'active': false,"
                       " 'password': 'a dormant passphrase'}"));
}

/* A wrong username, and the right password of an account that may not sign in, cost what a
 * wrong password costs (the dummy hash, and one write transaction each), so timing does not
 * tell which usernames exist. */
static void
test_lockout_timing (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  const struct
  {
    const char *what;
    const char *user_name;
    const char *password;
  } kinds[] = {
    { "unknown user", "nobody-here", "not bob's password" },
    { "wrong password", "bob", "not bob's password" },
    { "inactive account", "sleeper", "a dormant passphrase" },
  };
  gint64 medians[G_N_ELEMENTS (kinds)];
  g_autofree char *body = NULL;
  guint status = 0;

  create_sleeper (server, admin);
  /* Keep bob unlocked through all the wrong passwords: the wrong-password path is timed. */
  body = test_send_json (server, "PUT", "/scim/v2/Settings", admin, "{\"lockoutThreshold\": 100}",
                         &status);
  g_assert_cmpuint (status, ==, 200);

  {
    GArray *times[G_N_ELEMENTS (kinds)];

    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      times[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
    for (int i = 0; i < 20; i++)
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          gint64 start = g_get_monotonic_time (), elapsed;
          g_autofree char *answer = test_try_sign_in (server, kinds[k].user_name,
                                                      kinds[k].password, &status);

          elapsed = g_get_monotonic_time () - start;
          g_assert_cmpuint (status, ==, 401);
          g_array_append_val (times[k], elapsed);
        }
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        medians[k] = median_of (times[k]);
        g_test_message ("median sign-in, %s: %" G_GINT64_FORMAT " µs", kinds[k].what,
                        medians[k]);
        g_array_unref (times[k]);
      }
  }
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_assert_cmpfloat (ABS (medians[k] - medians[1]), <=, 0.3 * MAX (medians[k], medians[1]));
}

/* Those other refusals are counted per name, and only as a short keyed tag of the name: the
 * first three hex digits of its HMAC under a key derived from secret.key, so that at most
 * 4,096 rows are ever kept. With a known key (bytes 0 to 31), the tags are those Python's
 * hmac module gives: "a91" for nobody-here, "5fe" for sleeper. A day later they are
 * forgotten. */
static void
test_lockout_refusals (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-rosterd-refusals-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (dir, "secret.key", NULL);
  g_autoptr(RosterTestServer) server = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *id = NULL;
  guint8 key[32];

  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) i;
  g_assert_true (g_file_set_contents (key_path, (const char *) key, sizeof key, NULL));
  server = roster_test_server_start_in (dir, NULL);
  admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  create_sleeper (server, admin);
  g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM sign_in_refusals"), ==, 0);
  assert_refused (server, "nobody-here", "a guess", NULL);
  assert_refused (server, "nobody-here", "another guess", NULL);
  assert_refused (server, "sleeper", "a dormant passphrase", NULL);
  /* A wrong password of an account that may sign in counts on the account instead. */
  assert_refused (server, "bob", "not bob's password", NULL);

  g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM sign_in_refusals"), ==, 2);
  g_assert_cmpint (test_db_query_int (dir, "SELECT refusals FROM sign_in_refusals"
                                           " WHERE name_tag = 'a91'"),
                   ==, 2);
  g_assert_cmpint (test_db_query_int (dir, "SELECT refusals FROM sign_in_refusals"
                                           " WHERE name_tag = '5fe'"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (dir, "SELECT failed_logins FROM users"
                                           " WHERE user_name = 'bob'"),
                   ==, 1);

  /* The hourly sweep forgets a tag a day after its last refusal. */
  if (test_clock_advance (server, TEST_DAY - 3600))
    {
      g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM sign_in_refusals"), ==, 2);
      g_assert_true (test_clock_advance (server, 2 * 3600));
      g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM sign_in_refusals"), ==, 0);
    }
  g_clear_pointer (&server, roster_test_server_stop);
  test_remove_tree (dir);
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
  g_test_add_func ("/rosterd/lockout/refusals", test_lockout_refusals);
  g_test_add_func ("/rosterd/lockout/inactivity", test_lockout_inactivity);
  g_test_add_func ("/rosterd/lockout/inactivity-clock", test_lockout_inactivity_clock);
  return g_test_run ();
}
