/* test-rosterd-totp.c: two-factor sign-in (RFC 6238) against a real rosterd on its test
 * clock: enrolment, confirmation, sign-in with and without a code, the ±1 step window, no
 * code accepted twice, the administrator's reset and requireTwoFactorForAdministrators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "roster-totp.h"
#include "server-test-util.h"

#define BOB_PASSWORD "purple monkey dishwasher"

typedef struct
{
  RosterTestServer *server;
  char *admin;
  char *bob_id;
  char *bob;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = roster_test_server_start (NULL);
  fixture->admin = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
  fixture->bob_id = test_create_user (fixture->server, fixture->admin, "bob", BOB_PASSWORD);
  fixture->bob = roster_test_server_sign_in (fixture->server, "bob", BOB_PASSWORD);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->bob_id, g_free);
  g_clear_pointer (&fixture->bob, g_free);
}

/* rosterd's clock: the real time plus the offset the test clock reports. */
static gboolean
server_now (Fixture *fixture, gint64 *now)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  answer = roster_test_server_request (fixture->server, "POST", "/_test/clock", NULL,
                                       "application/json", "{\"advance\": 0}", &status);
  if (status == 404)
    {
      g_test_skip ("rosterd was built without -Dtest_clock=true");
      return FALSE;
    }
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (answer);
  *now = g_get_real_time () / G_USEC_PER_SEC
         + json_object_get_int_member (json_node_get_object (node), "offset");
  return TRUE;
}

/* Moves rosterd's clock to one second into a fresh 30-second step, so a test has the whole
 * step before the next one begins; returns that time. */
static gint64
align (Fixture *fixture)
{
  gint64 now = 0;

  g_assert_true (server_now (fixture, &now));
  g_assert_true (test_clock_advance (fixture->server, ROSTER_TOTP_PERIOD
                                                        - now % ROSTER_TOTP_PERIOD + 1));
  g_assert_true (server_now (fixture, &now));
  return now;
}

static char *
code_at (const char *secret, gint64 time)
{
  g_autofree guint8 *key = NULL;
  gsize length = 0;

  key = roster_totp_base32_decode (secret, &length);
  g_assert_nonnull (key);
  return g_strdup_printf ("%06u", roster_totp_hotp (key, length,
                                                     (guint64) roster_totp_step (time), 6));
}

/* A code that no step around @time has. */
static char *
wrong_code (const char *secret, gint64 time)
{
  for (guint candidate = 0;; candidate++)
    {
      g_autofree char *code = g_strdup_printf ("%06u", candidate);
      gboolean taken = FALSE;

      for (gint64 offset = -1; offset <= 1; offset++)
        {
          g_autofree char *real = code_at (secret, time + offset * ROSTER_TOTP_PERIOD);

          taken = taken || g_str_equal (real, code);
        }
      if (!taken)
        return g_steal_pointer (&code);
    }
}

static char *
sign_in_json (const char *user_name, const char *password, const char *totp)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (totp != NULL)
    {
      json_builder_set_member_name (builder, "totp");
      json_builder_add_string_value (builder, totp);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Signs in; asserts @status and, for an error, @code. Returns the answer. */
static JsonNode *
sign_in (Fixture *fixture, const char *user_name, const char *password, const char *totp,
         guint expected_status, const char *code)
{
  g_autofree char *json = sign_in_json (user_name, password, totp);
  g_autofree char *body = NULL;
  guint status = 0;

  body = roster_test_server_request (fixture->server, "POST", "/auth/token", NULL,
                                     "application/json", json, &status);
  if (status != expected_status)
    g_error ("sign-in (%s) answered %u, not %u: %s", totp, status, expected_status, body);
  if (code != NULL)
    test_assert_scim_error (body, expected_status, code, NULL);
  return test_parse_object (body);
}

/* Enrols @token's user and returns the secret (base32). */
static char *
enrol (Fixture *fixture, const char *token, const char *user_name)
{
  GHashTable *headers = NULL;
  g_autoptr(JsonNode) node = test_call (fixture->server, token, "POST", "/auth/totp", NULL,
                                        NULL, 200, &headers);
  JsonObject *object = json_node_get_object (node);
  const char *secret = json_object_get_string_member (object, "secret");
  g_autofree char *label = g_strconcat ("otpauth://totp/Roster:", user_name, "?secret=", secret,
                                        "&issuer=Roster", NULL);
  gsize length = 0;
  g_autofree guint8 *key = roster_totp_base32_decode (secret, &length);

  g_assert_cmpuint (length, ==, ROSTER_TOTP_SECRET_BYTES);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "otpauth"), label));
  g_assert_cmpint (json_object_get_int_member (object, "digits"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (object, "period"), ==, 30);
  g_assert_cmpstr (g_hash_table_lookup (headers, "cache-control"), ==, "no-store");
  g_hash_table_unref (headers);
  return g_strdup (secret);
}

static JsonObject *
bob_extension (Fixture *fixture, JsonNode **holder)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", fixture->bob_id, NULL);

  *holder = test_call (fixture->server, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  return test_roster_extension (*holder);
}

static gint64
count_events (Fixture *fixture, const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE action = '%s'",
                                          action);

  return test_db_query_int (fixture->server->data_dir, sql);
}

static void
test_enrol_and_sign_in (Fixture *fixture, gconstpointer data)
{
  g_autofree char *secret = NULL, *code = NULL, *body = NULL, *audit = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) user = NULL;
  gint64 now = 0;
  guint status = 0;

  if (!server_now (fixture, &now))
    return;
  now = align (fixture);
  secret = enrol (fixture, fixture->bob, "bob");

  /* Pending: sign-in does not ask for a code yet, and nothing says it is on. */
  node = sign_in (fixture, "bob", BOB_PASSWORD, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  g_assert_false (json_object_get_boolean_member_with_default (bob_extension (fixture, &user),
                                                               "twoFactorEnabled", FALSE));
  g_clear_pointer (&user, json_node_unref);

  /* A wrong code does not confirm, and leaves no event. */
  {
    g_autofree char *wrong = wrong_code (secret, now);
    g_autofree char *confirm = g_strdup_printf ("{\"code\": \"%s\"}", wrong);

    body = test_send_json (fixture->server, "POST", "/auth/totp/confirm", fixture->bob, confirm,
                           &status);
    test_assert_scim_error (body, 400, "invalid-value", NULL);
  }
  g_assert_cmpint (count_events (fixture, "two-factor-enable"), ==, 0);
  g_free (body);
  body = test_send_json (fixture->server, "POST", "/auth/totp/confirm", fixture->bob, "{}",
                         &status);
  g_assert_cmpuint (status, ==, 400);

  /* The right one does: twoFactorEnabled, one audited event, and no secret anywhere. */
  code = code_at (secret, now);
  {
    g_autofree char *confirm = g_strdup_printf ("{\"code\": \"%s\"}", code);

    g_free (body);
    body = test_send_json (fixture->server, "POST", "/auth/totp/confirm", fixture->bob, confirm,
                           &status);
    g_assert_cmpuint (status, ==, 204);
  }
  g_assert_cmpint (count_events (fixture, "two-factor-enable"), ==, 1);
  g_assert_true (json_object_get_boolean_member (bob_extension (fixture, &user),
                                                 "twoFactorEnabled"));
  {
    g_autofree char *text = json_to_string (user, FALSE);

    g_assert_null (strstr (text, secret));
  }
  g_clear_pointer (&user, json_node_unref);
  audit = test_db_query_text (fixture->server->data_dir,
                              TEST_SQL ("SELECT group_concat (changes) FROM audit_events",
                                        "SELECT string_agg (changes, ',') FROM audit_events"));
  g_assert_null (strstr (audit, secret));
  g_assert_nonnull (strstr (audit, "twoFactorEnabled"));

  /* Enrolling again is refused until an administrator resets it. */
  g_free (body);
  body = test_send_json (fixture->server, "POST", "/auth/totp", fixture->bob, NULL, &status);
  test_assert_scim_error (body, 409, "two-factor-enabled", NULL);

  /* Now sign-in asks for the code, but only once the password is right. */
  node = sign_in (fixture, "bob", BOB_PASSWORD, NULL, 401, "totp-required");
  g_clear_pointer (&node, json_node_unref);
  node = sign_in (fixture, "bob", "not bob's password at all", NULL, 401, "invalid-credentials");
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *next = code_at (secret, now + ROSTER_TOTP_PERIOD);

    node = sign_in (fixture, "bob", "not bob's password at all", next, 401,
                    "invalid-credentials");
    g_clear_pointer (&node, json_node_unref);
  }
  /* The code that confirmed enrolment is used up. */
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 401, "totp-invalid");
  g_clear_pointer (&node, json_node_unref);
  node = sign_in (fixture, "bob", BOB_PASSWORD, "12345", 401, "totp-invalid");
  g_clear_pointer (&node, json_node_unref);
  /* Wrong codes count as failed sign-ins; a success resets the count. */
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT failed_logins FROM users WHERE user_name = 'bob'"),
                   ==, 4);

  /* The next step's code works once. */
  g_free (code);
  code = code_at (secret, now + ROSTER_TOTP_PERIOD);
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 200, NULL);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (node), "access_token"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT failed_logins FROM users WHERE user_name = 'bob'"),
                   ==, 0);
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 401, "totp-invalid");
  g_clear_pointer (&node, json_node_unref);
  /* An older step's code is refused once a later one was used. */
  {
    g_autofree char *current = code_at (secret, now);

    node = sign_in (fixture, "bob", BOB_PASSWORD, current, 401, "totp-invalid");
    g_clear_pointer (&node, json_node_unref);
  }
}

/* ±1 step passes, ±2 does not, on rosterd's own clock. */
static void
test_window (Fixture *fixture, gconstpointer data)
{
  g_autofree char *secret = NULL, *code = NULL, *confirm = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 now = 0;

  if (!server_now (fixture, &now))
    return;
  now = align (fixture);
  secret = enrol (fixture, fixture->bob, "bob");
  /* The previous step's code confirms (a clock a little behind). */
  code = code_at (secret, now - ROSTER_TOTP_PERIOD);
  confirm = g_strdup_printf ("{'code': '%s'}", code);
  g_clear_pointer (&node, json_node_unref);
  node = test_call (fixture->server, fixture->bob, "POST", "/auth/totp/confirm", confirm, NULL,
                    204, NULL);

  /* Two steps ahead or behind: refused, and refusals use nothing up. */
  {
    g_autofree char *ahead = code_at (secret, now + 2 * ROSTER_TOTP_PERIOD);
    g_autofree char *behind = code_at (secret, now - 2 * ROSTER_TOTP_PERIOD);

    node = sign_in (fixture, "bob", BOB_PASSWORD, ahead, 401, "totp-invalid");
    g_clear_pointer (&node, json_node_unref);
    node = sign_in (fixture, "bob", BOB_PASSWORD, behind, 401, "totp-invalid");
    g_clear_pointer (&node, json_node_unref);
  }
  /* One step ahead passes; then the clock moves on and the code of now + 2 steps is the
   * next one's neighbour and passes too; the step just used never does again. */
  g_free (code);
  code = code_at (secret, now + ROSTER_TOTP_PERIOD);
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  g_assert_true (test_clock_advance (fixture->server, ROSTER_TOTP_PERIOD));
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 401, "totp-invalid");
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *later = code_at (secret, now + 2 * ROSTER_TOTP_PERIOD);

    node = sign_in (fixture, "bob", BOB_PASSWORD, later, 200, NULL);
    g_clear_pointer (&node, json_node_unref);
  }
  /* Ten minutes later the codes of then are all stale. */
  g_assert_true (test_clock_advance (fixture->server, 600));
  {
    g_autofree char *stale = code_at (secret, now + 3 * ROSTER_TOTP_PERIOD);

    node = sign_in (fixture, "bob", BOB_PASSWORD, stale, 401, "totp-invalid");
  }
}

/* An administrator resets it (audited); the user then signs in with the password alone. */
static void
test_reset (Fixture *fixture, gconstpointer data)
{
  g_autofree char *secret = NULL, *code = NULL, *confirm = NULL, *body = NULL;
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", fixture->bob_id,
                                       "/actions/reset-two-factor", NULL);
  g_autoptr(JsonNode) node = NULL;
  gint64 now = 0;
  guint status = 0;

  if (!server_now (fixture, &now))
    return;
  now = align (fixture);
  secret = enrol (fixture, fixture->bob, "bob");
  code = code_at (secret, now);
  confirm = g_strdup_printf ("{'code': '%s'}", code);
  node = test_call (fixture->server, fixture->bob, "POST", "/auth/totp/confirm", confirm, NULL,
                    204, NULL);

  /* Only administrators reset. */
  body = test_send_json (fixture->server, "POST", path, fixture->bob, NULL, &status);
  test_assert_scim_error (body, 403, "forbidden", NULL);
  g_assert_cmpint (count_events (fixture, "two-factor-reset"), ==, 0);

  node = test_call (fixture->server, fixture->admin, "POST", path, NULL, NULL, 200, NULL);
  g_assert_false (json_object_get_boolean_member (test_roster_extension (node),
                                                  "twoFactorEnabled"));
  g_assert_cmpint (count_events (fixture, "two-factor-reset"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE action ="
                                            " 'two-factor-reset' AND target_id = '%s'"
                                            " AND actor_name = 'admin'",
                                            fixture->bob_id);

    g_assert_cmpint (test_db_query_int (fixture->server->data_dir, sql), ==, 1);
  }
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM users WHERE totp_secret IS NOT NULL"
                                      " OR totp_pending IS NOT NULL"),
                   ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = sign_in (fixture, "bob", BOB_PASSWORD, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Unknown users are 404. */
  g_free (body);
  body = test_send_json (fixture->server, "POST",
                         "/scim/v2/Users/00000000-0000-4000-8000-000000000000/actions/"
                         "reset-two-factor",
                         fixture->admin, NULL, &status);
  test_assert_scim_error (body, 404, "not-found", NULL);
}

/* requireTwoFactorForAdministrators: off by default; on, an administrator without it gets
 * a session that may only enrol; other users are not affected. */
static void
test_required_for_administrators (Fixture *fixture, gconstpointer data)
{
  g_autofree char *secret = NULL, *code = NULL, *confirm = NULL, *body = NULL;
  g_autofree char *restricted = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 now = 0;
  guint status = 0;

  if (!server_now (fixture, &now))
    return;
  node = test_call (fixture->server, fixture->admin, "GET", "/scim/v2/Settings", NULL, NULL, 200,
                    NULL);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node),
                                                  "requireTwoFactorForAdministrators"));
  g_clear_pointer (&node, json_node_unref);
  body = test_send_json (fixture->server, "PUT", "/scim/v2/Settings", fixture->admin,
                         "{\"requireTwoFactorForAdministrators\": 1}", &status);
  test_assert_scim_error (body, 400, "invalid-value", NULL);
  node = test_call (fixture->server, fixture->admin, "PUT", "/scim/v2/Settings",
                    "{'requireTwoFactorForAdministrators': true}", NULL, 200, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node),
                                                 "requireTwoFactorForAdministrators"));
  g_clear_pointer (&node, json_node_unref);

  /* The administrator's open session may only enrol now. */
  g_free (body);
  body = test_send_json (fixture->server, "GET", "/scim/v2/Users", fixture->admin, NULL,
                         &status);
  test_assert_scim_error (body, 403, "two-factor-setup-required", NULL);
  /* Signing in again says so. */
  node = sign_in (fixture, ADMIN_NAME, ADMIN_PASSWORD, NULL, 200, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node),
                                                 "two_factor_setup_required"));
  restricted = g_strdup (json_object_get_string_member (json_node_get_object (node),
                                                        "access_token"));
  g_clear_pointer (&node, json_node_unref);
  /* Bob is no administrator: nothing changes for him. */
  node = test_call (fixture->server, fixture->bob, "GET", "/scim/v2/ServiceProviderConfig", NULL,
                    NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);

  now = align (fixture);
  secret = enrol (fixture, restricted, ADMIN_NAME);
  code = code_at (secret, now);
  confirm = g_strdup_printf ("{'code': '%s'}", code);
  node = test_call (fixture->server, restricted, "POST", "/auth/totp/confirm", confirm, NULL, 204,
                    NULL);
  node = test_call (fixture->server, restricted, "GET", "/scim/v2/Users", NULL, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = sign_in (fixture, ADMIN_NAME, ADMIN_PASSWORD, NULL, 401, "totp-required");
  g_clear_pointer (&node, json_node_unref);
  g_free (code);
  code = code_at (secret, now + ROSTER_TOTP_PERIOD);
  node = sign_in (fixture, ADMIN_NAME, ADMIN_PASSWORD, code, 200, NULL);
  g_assert_false (json_object_has_member (json_node_get_object (node),
                                          "two_factor_setup_required"));
}

/* The secret is sealed in the database (never there in the clear, and bound to its user);
 * one stored in the clear by an older rosterd is sealed at the next start and still works. */
static void
test_sealed (Fixture *fixture, gconstpointer data)
{
  g_autofree char *secret = NULL, *code = NULL, *confirm = NULL, *body = NULL;
  g_autofree char *sealed = NULL, *clear_sql = NULL;
  g_autoptr(GBytes) db = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *bob_secret = "SELECT totp_secret FROM users WHERE user_name = 'bob'";
  gint64 now = 0;
  guint status = 0;

  if (!server_now (fixture, &now))
    return;
  now = align (fixture);
  secret = enrol (fixture, fixture->bob, "bob");
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM users WHERE user_name = 'bob' AND "
                                      "totp_pending LIKE 'rsb1:%'"),
                   ==, 1);
  code = code_at (secret, now);
  confirm = g_strdup_printf ("{\"code\": \"%s\"}", code);
  body = test_send_json (fixture->server, "POST", "/auth/totp/confirm", fixture->bob, confirm,
                         &status);
  g_assert_cmpuint (status, ==, 204);
  sealed = test_db_query_text (fixture->server->data_dir, bob_secret);
  g_assert_true (g_str_has_prefix (sealed, "rsb1:"));
  db = test_read_db_bytes (fixture->server->data_dir);
  g_assert_false (test_bytes_contain (db, secret));

  /* Bound to bob: the same sealed value in the administrator's row does not open. */
  {
    g_autofree char *copy = g_strdup_printf (
        "UPDATE users SET totp_secret = '%s' WHERE user_name = '%s'", sealed, ADMIN_NAME);
    g_autofree char *json = sign_in_json (ADMIN_NAME, ADMIN_PASSWORD, code);

    test_db_exec (fixture->server->data_dir, copy);
    g_free (body);
    body = roster_test_server_request (fixture->server, "POST", "/auth/token", NULL,
                                       "application/json", json, &status);
    g_assert_cmpuint (status, ==, 500);
    g_assert_null (strstr (body, secret));
    test_db_exec (fixture->server->data_dir, "UPDATE users SET totp_secret = NULL, "
                                             "totp_pending = NULL WHERE user_name = 'admin'");
  }

  /* In the clear, as before session 8: sealed when rosterd starts, and the code works. */
  clear_sql = g_strdup_printf ("UPDATE users SET totp_secret = '%s' WHERE user_name = 'bob'",
                               secret);
  test_db_exec (fixture->server->data_dir, clear_sql);
  roster_test_server_crash_restart (fixture->server);
  g_free (sealed);
  sealed = test_db_query_text (fixture->server->data_dir, bob_secret);
  g_assert_true (g_str_has_prefix (sealed, "rsb1:"));
  g_clear_pointer (&code, g_free);
  code = code_at (secret, now + ROSTER_TOTP_PERIOD);
  g_assert_true (test_clock_advance (fixture->server, ROSTER_TOTP_PERIOD));
  node = sign_in (fixture, "bob", BOB_PASSWORD, code, 200, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rosterd/totp/enrol-and-sign-in", test_enrol_and_sign_in);
  ADD ("/rosterd/totp/window", test_window);
  ADD ("/rosterd/totp/reset", test_reset);
  ADD ("/rosterd/totp/sealed", test_sealed);
  ADD ("/rosterd/totp/required-for-administrators", test_required_for_administrators);
#undef ADD
  return g_test_run ();
}
