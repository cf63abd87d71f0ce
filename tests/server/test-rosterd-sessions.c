/* test-rosterd-sessions.c: listing and ending sessions, and what ends them, against a real
 * rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include "server-test-util.h"

#define BOB_PASSWORD "bob's password"
#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"

static char *
sign_in_as (RosterTestServer *server, const char *user_name, const char *password,
            const char *user_agent)
{
  g_autofree char *json = test_sign_in_json (user_name, password);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *headers[] = { "User-Agent", user_agent, NULL };
  guint status = 0;

  body = roster_test_server_request_headers (server, "POST", "/auth/token", NULL, json, headers,
                                             &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (body);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

static guint
probe (RosterTestServer *server, const char *token)
{
  guint status = 0;

  g_free (test_send_json (server, "GET", "/scim/v2/ServiceProviderConfig", token, NULL,
                          &status));
  return status;
}

static JsonArray *
list_sessions (RosterTestServer *server, const char *token, const char *id, JsonNode **node)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, "/sessions", NULL);
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "GET", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  *node = test_parse_object (body);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_node_get_object (*node), "schemas"), 0),
                   ==, "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  return json_object_get_array_member (json_node_get_object (*node), "Resources");
}

static void
test_sessions_list_delete (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *phone = sign_in_as (server, "bob", BOB_PASSWORD, "Phone/1.0");
  g_autofree char *laptop = sign_in_as (server, "bob", BOB_PASSWORD, "Laptop/2.0");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *phone_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  JsonArray *sessions;
  guint status = 0;

  sessions = list_sessions (server, admin, id, &node);
  g_assert_cmpuint (json_array_get_length (sessions), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "totalResults"), ==,
                   2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *session = json_array_get_object_element (sessions, i);
      const char *session_id = json_object_get_string_member (session, "id");
      const char *agent = json_object_get_string_member (session, "userAgent");
      g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM sessions WHERE token_hash = '%s'", session_id);

      g_assert_true (g_str_equal (agent, "Phone/1.0") || g_str_equal (agent, "Laptop/2.0"));
      g_assert_cmpstr (json_object_get_string_member (session, "address"), ==, "127.0.0.1");
      g_assert_true (json_object_has_member (session, "created"));
      g_assert_true (json_object_has_member (session, "lastUsed"));
      g_assert_true (json_object_has_member (session, "expires"));
      g_assert_false (json_object_get_boolean_member (session, "current"));
      /* The id is not the token's hash, nor the token. */
      g_assert_cmpint (test_db_query_int (server->data_dir, sql), ==, 0);
      g_assert_cmpstr (session_id, !=, phone);
      g_assert_cmpstr (session_id, !=, laptop);
      if (g_str_equal (agent, "Phone/1.0"))
        phone_id = g_strdup (session_id);
    }

  /* An administrator's own list marks the session it is asked from. */
  {
    g_autoptr(JsonNode) own = NULL;
    g_autofree char *admin_id = test_db_query_text (server->data_dir,
                                                    "SELECT id FROM users WHERE "
                                                    "user_name = 'admin'");
    JsonArray *mine = list_sessions (server, admin, admin_id, &own);
    guint current = 0;

    for (guint i = 0; i < json_array_get_length (mine); i++)
      current += json_object_get_boolean_member (json_array_get_object_element (mine, i),
                                                 "current");
    g_assert_cmpuint (current, ==, 1);
  }

  /* Ending one session leaves the other. */
  path = g_strconcat ("/scim/v2/Users/", id, "/sessions/", phone_id, NULL);
  body = test_send_json (server, "DELETE", path, admin, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpuint (probe (server, phone), ==, 401);
  g_assert_cmpuint (probe (server, laptop), ==, 200);
  g_free (body);
  body = test_send_json (server, "DELETE", path, admin, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  test_assert_scim_error (body, 404, "not-found", NULL);

  /* Only administrators see or end others' sessions. */
  g_free (body);
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", id, "/sessions", NULL);
  body = test_send_json (server, "GET", path, laptop, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  /* logout-all ends the rest. */
  g_free (phone);
  phone = sign_in_as (server, "bob", BOB_PASSWORD, "Phone/1.0");
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", id, "/actions/logout-all", NULL);
  g_free (body);
  body = test_send_json (server, "POST", path, admin, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpuint (probe (server, phone), ==, 401);
  g_assert_cmpuint (probe (server, laptop), ==, 401);
  g_assert_cmpuint (probe (server, admin), ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM sessions s JOIN users u "
                                      "ON u.id = s.user_id WHERE u.user_name = 'bob'"),
                   ==, 0);
}

static void
patch_user (RosterTestServer *server, const char *admin, const char *id, const char *op)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  g_autofree char *json = g_strdup_printf ("{\"schemas\": [\"" PATCH_OP "\"], "
                                           "\"Operations\": [%s]}", op);
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "PATCH", path, admin, json, &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_sessions_revoked (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  /* Deactivating. */
  token = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  patch_user (server, admin, id, "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}");
  g_assert_cmpuint (probe (server, token), ==, 401);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM sessions s "
                                                        "JOIN users u ON u.id = s.user_id "
                                                        "WHERE u.user_name = 'bob'"),
                   ==, 0);
  patch_user (server, admin, id, "{\"op\": \"replace\", \"path\": \"active\", \"value\": true}");

  /* Locking (six wrong passwords in a row). */
  g_free (token);
  token = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  for (int i = 0; i < 6; i++)
    g_free (test_try_sign_in (server, "bob", "not bob's password", &status));
  g_assert_cmpuint (probe (server, token), ==, 401);
  path = g_strconcat ("/scim/v2/Users/", id, "/actions/unlock", NULL);
  body = test_send_json (server, "POST", path, admin, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  /* set-password. */
  g_free (token);
  token = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", id, "/actions/set-password", NULL);
  g_free (body);
  body = test_send_json (server, "POST", path, admin,
                         "{\"password\": \"a reset passphrase\", \"mustChange\": false}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (probe (server, token), ==, 401);

  /* Removing the administrator flag. */
  patch_user (server, admin, id,
              "{\"op\": \"replace\", \"path\": "
              "\"urn:roster:params:scim:schemas:extension:crm:2.0:User:administrator\", "
              "\"value\": true}");
  g_free (token);
  token = roster_test_server_sign_in (server, "bob", "a reset passphrase");
  g_free (body);
  body = test_send_json (server, "GET", "/scim/v2/Users", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  patch_user (server, admin, id,
              "{\"op\": \"replace\", \"path\": "
              "\"urn:roster:params:scim:schemas:extension:crm:2.0:User:administrator\", "
              "\"value\": false}");
  g_assert_cmpuint (probe (server, token), ==, 401);

  /* An ordinary edit ends nothing. */
  g_free (token);
  token = roster_test_server_sign_in (server, "bob", "a reset passphrase");
  patch_user (server, admin, id, "{\"op\": \"replace\", \"path\": \"displayName\", "
                                 "\"value\": \"Bobby\"}");
  g_assert_cmpuint (probe (server, token), ==, 200);
}

/* A session unused for sessionIdleMinutes ends, and using it does not bring it back. */
static void
test_sessions_idle (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *token = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "PUT", "/scim/v2/Settings", admin,
                         "{\"sessionIdleMinutes\": 10}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (probe (server, token), ==, 200);
  test_db_exec (server->data_dir,
                "UPDATE sessions SET last_used = last_used - 601 WHERE user_id IN "
                "(SELECT id FROM users WHERE user_name = 'bob')");
  g_free (body);
  body = test_send_json (server, "GET", "/scim/v2/ServiceProviderConfig", token, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  test_assert_scim_error (body, 401, "token-expired", NULL);
  g_assert_cmpuint (probe (server, token), ==, 401);
}

/* Using a session records its last use (at most once a minute), which keeps it alive past
 * sessionIdleMinutes counted from sign-in; an idle one still ends. */
static void
test_sessions_use_keeps_alive (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *token = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  const char *bob_last_used = "SELECT last_used - created FROM sessions WHERE user_id IN "
                              "(SELECT id FROM users WHERE user_name = 'bob')";
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "PUT", "/scim/v2/Settings", admin,
                         "{\"sessionIdleMinutes\": 10}", &status);
  g_assert_cmpuint (status, ==, 200);
  if (!test_clock_advance (server, 30))
    return;
  g_assert_cmpuint (probe (server, token), ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir, bob_last_used), ==, 0); /* < 1 min */

  g_assert_true (test_clock_advance (server, 540));
  g_assert_cmpuint (probe (server, token), ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir, bob_last_used), >=, 570);
  g_assert_true (test_clock_advance (server, 540)); /* 18 minutes after sign-in */
  g_assert_cmpuint (probe (server, token), ==, 200);
  g_assert_cmpint (test_db_query_int (server->data_dir, bob_last_used), >=, 1110);

  g_assert_true (test_clock_advance (server, 601));
  g_assert_cmpuint (probe (server, token), ==, 401);
  g_assert_cmpint (test_db_query_int (server->data_dir, bob_last_used), <, 1200);
}

/* Only hashes of passwords and tokens reach the database. */
static void
test_sessions_nothing_in_clear (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *setup_token = g_strdup (server->setup_token);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", BOB_PASSWORD);
  g_autofree char *bob = roster_test_server_sign_in (server, "bob", BOB_PASSWORD);
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, "/actions/set-password", NULL);
  g_autofree char *body = NULL;
  g_autofree char *bob2 = NULL;
  g_autoptr(GBytes) db = NULL;
  guint status = 0;

  body = test_send_json (server, "POST", path, admin,
                         "{\"password\": \"a reset passphrase\", \"mustChange\": true}", &status);
  g_assert_cmpuint (status, ==, 200);
  bob2 = roster_test_server_sign_in (server, "bob", "a reset passphrase");
  g_free (body);
  body = test_send_json (server, "POST", "/auth/password", bob2,
                         "{\"password\": \"a reset passphrase\", \"newPassword\": "
                         "\"the final passphrase\"}",
                         &status);
  g_assert_cmpuint (status, ==, 204);
  g_free (test_try_sign_in (server, "bob", "a wrong passphrase", &status));

  db = test_read_db_bytes (server->data_dir);
  {
    const char *secrets[] = { setup_token, admin, bob, bob2, ADMIN_PASSWORD, BOB_PASSWORD,
                              "a reset passphrase", "the final passphrase",
                              "a wrong passphrase" };

    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      g_assert_false (test_bytes_contain (db, secrets[i]));
  }
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM user_password_history "
                                      "WHERE password_hash NOT LIKE '$argon2id$%'"),
                   ==, 0);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM sessions WHERE length (token_hash) != 64"),
                   ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rosterd/sessions/list-delete", test_sessions_list_delete);
  g_test_add_func ("/rosterd/sessions/revoked", test_sessions_revoked);
  g_test_add_func ("/rosterd/sessions/idle", test_sessions_idle);
  g_test_add_func ("/rosterd/sessions/use-keeps-alive", test_sessions_use_keeps_alive);
  g_test_add_func ("/rosterd/sessions/nothing-in-clear", test_sessions_nothing_in_clear);
  return g_test_run ();
}
