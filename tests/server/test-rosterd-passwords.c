/* test-rosterd-passwords.c: password quality, history, expiry and must-change against a real
 * rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include "server-test-util.h"

#define EXT "urn:roster:params:scim:schemas:extension:crm:2.0:User"
/* libpwquality's message for a dictionary word, in the C locale the tests run in. */
#define DICTIONARY_MESSAGE "The password fails the dictionary check - it is based on a dictionary word"

static char *
user_path (const char *id, const char *suffix)
{
  return g_strconcat ("/scim/v2/Users/", id, suffix, NULL);
}

static void
assert_error_detail (const char *body, const char *detail)
{
  g_autoptr(JsonNode) node = test_parse_object (body);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "detail"), ==,
                   detail);
}

static char *
set_password_json (const char *password, gboolean must_change)
{
  return g_strdup_printf ("{\"password\": \"%s\", \"mustChange\": %s}", password,
                          must_change ? "true" : "false");
}

static guint
set_password (RosterTestServer *server, const char *token, const char *id,
              const char *password, gboolean must_change, char **body_out)
{
  g_autofree char *path = user_path (id, "/actions/set-password");
  g_autofree char *json = set_password_json (password, must_change);
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "POST", path, token, json, &status);
  if (body_out != NULL)
    *body_out = g_steal_pointer (&body);
  return status;
}

/* Every way a password is set refuses a weak one with pwquality's own reason. */
static void
test_passwords_weak (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *setup = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  /* Setup. */
  json = g_strdup_printf ("{\"setupToken\": \"%s\", \"user\": {\"userName\": \"admin\", "
                          "\"emails\": [{\"value\": \"admin@example.com\"}], "
                          "\"password\": \"password\"}}",
                          server->setup_token);
  setup = roster_test_server_request (server, "POST", "/setup", NULL, "application/json", json,
                                      &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (setup, 400, "weak-password", "invalidValue");
  assert_error_detail (setup, DICTIONARY_MESSAGE);

  token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);

  /* POST /Users: a dictionary word, and the username in the password. */
  g_free (json);
  json = test_user_json ("bob", NULL, "password");
  body = test_send_json (server, "POST", "/scim/v2/Users", token, json, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "weak-password", "invalidValue");
  assert_error_detail (body, DICTIONARY_MESSAGE);
  g_free (json);
  g_free (body);
  json = test_user_json ("robertson", NULL, "robertson1");
  body = test_send_json (server, "POST", "/scim/v2/Users", token, json, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "weak-password", NULL);
  assert_error_detail (body, "The password contains the user name in some form");
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM users"), ==, 1);

  id = test_create_user (server, token, "bob", "bob's password");
  path = user_path (id, NULL);

  /* PATCH and PUT. */
  g_free (body);
  body = test_send_json (server, "PATCH", path, token,
                         "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], "
                         "\"Operations\": [{\"op\": \"replace\", \"path\": \"password\", "
                         "\"value\": \"password\"}]}",
                         &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "weak-password", NULL);
  g_free (json);
  g_free (body);
  json = test_user_json ("bob", NULL, "password");
  body = test_send_json (server, "PUT", path, token, json, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "weak-password", NULL);

  /* set-password and POST /auth/password. */
  g_free (body);
  g_assert_cmpuint (set_password (server, token, id, "password", FALSE, &body), ==, 400);
  test_assert_scim_error (body, 400, "weak-password", NULL);
  assert_error_detail (body, DICTIONARY_MESSAGE);
  {
    g_autofree char *bob = roster_test_server_sign_in (server, "bob", "bob's password");

    g_free (body);
    body = test_send_json (server, "POST", "/auth/password", bob,
                           "{\"password\": \"bob's password\", \"newPassword\": \"password\"}",
                           &status);
    g_assert_cmpuint (status, ==, 400);
    test_assert_scim_error (body, 400, "weak-password", NULL);
  }

  /* The old password still works: nothing was changed. */
  g_free (roster_test_server_sign_in (server, "bob", "bob's password"));
}

/* The last passwordHistory (5) passwords, the current one included, cannot come back; the
 * sixth-oldest can. */
static void
test_passwords_history (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  const char *passwords[] = { "first of many", "second of many", "third of many",
                              "fourth of many", "fifth of many", "sixth of many" };
  g_autofree char *id = test_create_user (server, token, "bob", passwords[0]);

  for (guint i = 1; i < G_N_ELEMENTS (passwords); i++)
    g_assert_cmpuint (set_password (server, token, id, passwords[i], FALSE, NULL), ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM user_password_history h "
                                      "JOIN users u ON u.id = h.user_id "
                                      "WHERE u.user_name = 'bob'"),
                   ==, 5);

  for (guint i = 1; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autofree char *body = NULL;

      g_assert_cmpuint (set_password (server, token, id, passwords[i], FALSE, &body), ==, 400);
      test_assert_scim_error (body, 400, "password-reused", "invalidValue");
    }
  /* Reuse through PATCH is refused too. */
  {
    g_autofree char *path = user_path (id, NULL);
    g_autofree char *patch = g_strdup_printf (
      "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], "
      "\"Operations\": [{\"op\": \"replace\", \"path\": \"password\", \"value\": \"%s\"}]}",
      passwords[3]);
    g_autofree char *body = NULL;
    guint status = 0;

    body = test_send_json (server, "PATCH", path, token, patch, &status);
    g_assert_cmpuint (status, ==, 400);
    test_assert_scim_error (body, 400, "password-reused", NULL);
  }
  g_free (roster_test_server_sign_in (server, "bob", passwords[5]));

  g_assert_cmpuint (set_password (server, token, id, passwords[0], FALSE, NULL), ==, 200);
  g_free (roster_test_server_sign_in (server, "bob", passwords[0]));
}

static gboolean
token_requires_change (const char *answer)
{
  g_autoptr(JsonNode) node = test_parse_object (answer);

  return json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                      "password_change_required", FALSE);
}

static char *
access_token (const char *answer)
{
  g_autoptr(JsonNode) node = test_parse_object (answer);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

static void
assert_restricted (RosterTestServer *server, const char *token)
{
  const char *paths[] = { "/scim/v2/Users", "/scim/v2/ServiceProviderConfig", "/scim/v2/Settings" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      guint status = 0;
      g_autofree char *body = test_send_json (server, "GET", paths[i], token, NULL, &status);

      g_assert_cmpuint (status, ==, 403);
      test_assert_scim_error (body, 403, "password-change-required", NULL);
    }
}

/* An expired password signs in to a session that may only change it. */
static void
test_passwords_expired (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *setup = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expires = NULL;
  guint status = 0;

  /* A fresh password expires passwordMaxAgeDays (120) after it was set. */
  g_assert_cmpint (
    test_db_query_int (server->data_dir,
                       TEST_SQL ("SELECT round ((julianday (json_extract (resource, '$.\"" EXT
                                 "\".passwordExpiresAt')) - julianday (json_extract (resource, "
                                 "'$.\"" EXT "\".passwordChangedAt'))))"
                                 " FROM users WHERE user_name = 'admin'",
                                 "SELECT round (extract (epoch FROM CAST (CAST (resource AS jsonb) "
                                 "#>> '{" EXT ",passwordExpiresAt}' AS timestamptz) - "
                                 "CAST (CAST (resource AS jsonb) #>> '{" EXT ",passwordChangedAt}' "
                                 "AS timestamptz)) / 86400) FROM users WHERE user_name = 'admin'")),
    ==, 120);
  answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (token_requires_change (answer));

  test_db_exec (server->data_dir,
                TEST_SQL ("UPDATE users SET resource = json_set (resource, '$.\"" EXT
                          "\".passwordExpiresAt', '2001-01-01T00:00:00Z') "
                          "WHERE user_name = 'admin'",
                          "UPDATE users SET resource = CAST (jsonb_set (CAST (resource AS jsonb), "
                          "'{" EXT ",passwordExpiresAt}', '\"2001-01-01T00:00:00Z\"') AS text) "
                          "WHERE user_name = 'admin'"));
  g_free (answer);
  answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (token_requires_change (answer));
  token = access_token (answer);
  assert_restricted (server, token);

  /* The current password is required, and a new one must be new. */
  body = test_send_json (server, "POST", "/auth/password", token,
                         "{\"password\": \"not it at all\", \"newPassword\": \"the renewed secret\"}",
                         &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "invalid-value", NULL);
  g_free (body);
  body = test_send_json (server, "POST", "/auth/password", token,
                         "{\"password\": \"" ADMIN_PASSWORD "\", \"newPassword\": \""
                         ADMIN_PASSWORD "\"}",
                         &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "password-reused", NULL);
  assert_restricted (server, token);

  g_free (body);
  body = test_send_json (server, "POST", "/auth/password", token,
                         "{\"password\": \"" ADMIN_PASSWORD "\", \"newPassword\": "
                         "\"the renewed secret\"}",
                         &status);
  g_assert_cmpuint (status, ==, 204);

  /* The same session may do everything again; the other sessions ended. */
  g_free (body);
  body = test_send_json (server, "GET", "/scim/v2/Users", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  body = test_send_json (server, "GET", "/scim/v2/Users", setup, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  expires = test_db_query_text (server->data_dir,
                                TEST_SQL ("SELECT json_extract (resource, '$.\"" EXT
                                          "\".passwordExpiresAt') FROM users "
                                          "WHERE user_name = 'admin'",
                                          "SELECT CAST (resource AS jsonb) #>> '{" EXT
                                          ",passwordExpiresAt}' FROM users "
                                          "WHERE user_name = 'admin'"));
  g_assert_cmpstr (expires, >, "2026-01-01");
  g_free (answer);
  answer = test_try_sign_in (server, ADMIN_NAME, "the renewed secret", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (token_requires_change (answer));
}

/* A password an administrator set with mustChange: the user changes it at the next
 * sign-in. */
static void
test_passwords_must_change (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", "bob's password");
  g_autofree char *answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) user = NULL;
  guint status = 0;

  g_assert_cmpuint (set_password (server, admin, id, "a brand new one", TRUE, &body), ==, 200);
  user = test_parse_object (body);
  g_assert_true (json_object_get_boolean_member (test_roster_extension (user),
                                                 "mustChangePassword"));
  g_assert_false (json_object_has_member (json_node_get_object (user), "password"));

  answer = test_try_sign_in (server, "bob", "a brand new one", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (token_requires_change (answer));
  token = access_token (answer);
  assert_restricted (server, token);

  g_free (body);
  body = test_send_json (server, "POST", "/auth/password", token,
                         "{\"password\": \"a brand new one\", \"newPassword\": "
                         "\"an expired secret\"}",
                         &status);
  g_assert_cmpuint (status, ==, 204);
  g_free (body);
  body = test_send_json (server, "GET", "/scim/v2/ServiceProviderConfig", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      TEST_SQL ("SELECT json_extract (resource, '$.\"" EXT
                                                "\".mustChangePassword') FROM users "
                                                "WHERE user_name = 'bob'",
                                                "SELECT CAST (CAST (CAST (resource AS jsonb) #> '{"
                                                EXT ",mustChangePassword}' AS boolean) AS integer) "
                                                "FROM users WHERE user_name = 'bob'")),
                   ==, 0);
  g_free (answer);
  answer = test_try_sign_in (server, "bob", "an expired secret", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (token_requires_change (answer));

  /* A normal session changes its own password the same way. */
  g_free (token);
  token = access_token (answer);
  g_free (body);
  body = test_send_json (server, "POST", "/auth/password", token,
                         "{\"password\": \"an expired secret\", \"newPassword\": "
                         "\"the renewed secret\"}",
                         &status);
  g_assert_cmpuint (status, ==, 204);
  g_free (roster_test_server_sign_in (server, "bob", "the renewed secret"));
}

/* Expiry on rosterd's own clock: still valid on day 119, expired on day 121. */
static void
test_passwords_expired_clock (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *setup = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *answer = NULL;
  guint status = 0;

  /* A sign-in on day 80 keeps the account clear of the 90-day inactivity lock. */
  if (!test_clock_advance (server, 80 * TEST_DAY))
    return;
  answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (token_requires_change (answer));

  g_assert_true (test_clock_advance (server, 39 * TEST_DAY));
  g_free (answer);
  answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (token_requires_change (answer));

  g_assert_true (test_clock_advance (server, 2 * TEST_DAY));
  g_free (answer);
  answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (token_requires_change (answer));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rosterd/passwords/weak", test_passwords_weak);
  g_test_add_func ("/rosterd/passwords/history", test_passwords_history);
  g_test_add_func ("/rosterd/passwords/expired", test_passwords_expired);
  g_test_add_func ("/rosterd/passwords/expired-clock", test_passwords_expired_clock);
  g_test_add_func ("/rosterd/passwords/must-change", test_passwords_must_change);
  return g_test_run ();
}
