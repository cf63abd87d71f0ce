/* test-rosterd-auth.c: sign-in, bearer tokens and sessions against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <glib/gstdio.h>

#include "server-test-util.h"

static char *
sign_in_body (const char *user_name, const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (user_name != NULL)
    {
      json_builder_set_member_name (builder, "userName");
      json_builder_add_string_value (builder, user_name);
    }
  if (password != NULL)
    {
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
try_sign_in (RosterTestServer *server, const char *user_name, const char *password,
             guint *status, gint64 *elapsed_us)
{
  g_autofree char *request = sign_in_body (user_name, password);
  gint64 start = g_get_monotonic_time ();
  char *body = roster_test_server_request (server, "POST", "/auth/token", NULL,
                                           "application/json", request, status);

  if (elapsed_us != NULL)
    *elapsed_us = g_get_monotonic_time () - start;
  return body;
}

/* Creates a user through the API (as @admin_token) and returns its id. */
static char *
create_user (RosterTestServer *server, const char *admin_token, const char *json)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  body = roster_test_server_request (server, "POST", "/scim/v2/Users", admin_token,
                                     "application/scim+json", json, &status);
  g_assert_cmpuint (status, ==, 201);
  node = test_parse_object (body);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static void
assert_unauthenticated (RosterTestServer *server, const char *method, const char *path,
                        const char *token, const char *code)
{
  g_autoptr(GHashTable) headers = NULL;
  g_autofree char *body = NULL;
  const char *challenge;
  guint status = 0;

  body = roster_test_server_request_full (server, method, path, token,
                                          g_str_equal (method, "POST") ? "application/json"
                                                                       : NULL,
                                          g_str_equal (method, "POST") ? "{}" : NULL,
                                          (gsize) -1, &status, &headers);
  g_assert_cmpuint (status, ==, 401);
  test_assert_scim_error (body, 401, code, NULL);
  challenge = g_hash_table_lookup (headers, "www-authenticate");
  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Bearer realm=\"rosterd\""));
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-type"), ==, "application/scim+json");
}

static void
test_auth_sign_in (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  g_autofree char *good = NULL;
  g_autofree char *wrong_password = NULL;
  g_autofree char *unknown_user = NULL;
  g_autofree char *other_case = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gint64 wrong_us = 0, unknown_us = 0;
  guint status = 0;

  good = try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (good);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 43200);
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "access_token")), ==, 43);
  g_assert_cmpstr (json_object_get_string_member (object, "access_token"), !=, admin_token);

  wrong_password = try_sign_in (server, ADMIN_NAME, "wrong password!", &status, &wrong_us);
  g_assert_cmpuint (status, ==, 401);
  test_assert_scim_error (wrong_password, 401, "invalid-credentials", NULL);
  unknown_user = try_sign_in (server, "nobody", ADMIN_PASSWORD, &status, &unknown_us);
  g_assert_cmpuint (status, ==, 401);
  /* The same answer, byte for byte, whether or not the username exists… */
  g_assert_cmpstr (unknown_user, ==, wrong_password);
  /* …after the same argon2id work (19 MiB, 2 passes takes well over 2 ms). */
  g_assert_cmpint (unknown_us, >=, 2000);
  g_assert_cmpint (wrong_us, >=, 2000);

  /* userName is unique case-insensitively, but sign-in compares it exactly. */
  other_case = try_sign_in (server, "ADMIN", ADMIN_PASSWORD, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (other_case, ==, wrong_password);

  {
    g_autofree char *body = try_sign_in (server, ADMIN_NAME, NULL, &status, NULL);

    g_assert_cmpuint (status, ==, 400);
    test_assert_scim_error (body, 400, "missing-attribute", NULL);
  }
  {
    g_autofree char *body = roster_test_server_request (server, "POST", "/auth/token", NULL,
                                                        "application/json",
                                                        "{\"userName\": 1, \"password\": 2}",
                                                        &status);

    g_assert_cmpuint (status, ==, 400);
    test_assert_scim_error (body, 400, "invalid-value", NULL);
  }
}

static void
test_auth_inactive_user (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  const char *json = "{\"userName\": \"sleeper\", \"active\": false, "
                     "\"password\": \"a dormant passphrase\"}";
  g_autofree char *id = create_user (server, admin_token, json);
  g_autofree char *wrong = NULL;
  g_autofree char *inactive = NULL;
  guint status = 0;

  g_assert_nonnull (id);
  wrong = try_sign_in (server, "sleeper", "not the password", &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  inactive = try_sign_in (server, "sleeper", "a dormant passphrase", &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  test_assert_scim_error (inactive, 401, "invalid-credentials", NULL);
  /* An inactive account is not told apart from a wrong password. */
  g_assert_cmpstr (inactive, ==, wrong);
}

static void
test_auth_token_required (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  const struct
  {
    const char *method;
    const char *path;
  } endpoints[] = {
    { "GET", "/scim/v2/ServiceProviderConfig" },
    { "GET", "/scim/v2/Users" },
    { "POST", "/scim/v2/Users" },
    { "GET", "/scim/v2/Users/00000000-0000-4000-8000-000000000000" },
    { "DELETE", "/auth/token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *garbage = g_strconcat (admin_token, "x", NULL);

      assert_unauthenticated (server, endpoints[i].method, endpoints[i].path, NULL,
                              "unauthenticated");
      assert_unauthenticated (server, endpoints[i].method, endpoints[i].path, "garbage",
                              "unauthenticated");
      assert_unauthenticated (server, endpoints[i].method, endpoints[i].path, garbage,
                              "unauthenticated");
      assert_unauthenticated (server, endpoints[i].method, endpoints[i].path, "",
                              "unauthenticated");
    }

  /* And the real token works. */
  {
    g_autofree char *body = NULL;
    guint status = 0;

    body = roster_test_server_request (server, "GET", "/scim/v2/ServiceProviderConfig",
                                       admin_token, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
}

static void
test_auth_sign_out (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  g_autofree char *token = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *body = NULL;
  guint status = 0;

  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM sessions"), ==, 2);
  body = roster_test_server_request (server, "GET", "/scim/v2/Users", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, g_free);

  body = roster_test_server_request (server, "DELETE", "/auth/token", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpstr (body, ==, "");
  g_clear_pointer (&body, g_free);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM sessions"), ==, 1);

  assert_unauthenticated (server, "GET", "/scim/v2/Users", token, "unauthenticated");
  assert_unauthenticated (server, "DELETE", "/auth/token", token, "unauthenticated");

  /* Only that session ended. */
  body = roster_test_server_request (server, "GET", "/scim/v2/Users", admin_token, NULL, NULL,
                                     &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_auth_expired (void)
{
  g_autofree char *config_dir = g_dir_make_tmp ("rosterd-config-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (config_dir, "rosterd.conf", NULL);
  const char *args[] = { "--config", config, NULL };
  g_autoptr(RosterTestServer) server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  g_assert_true (g_file_set_contents (config, "[rosterd]\ntoken-lifetime=1\n", -1, NULL));
  server = roster_test_server_start (args);
  token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);

  body = try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "expires_in"), ==, 1);

  g_usleep (2100 * G_TIME_SPAN_MILLISECOND);
  assert_unauthenticated (server, "GET", "/scim/v2/Users", token, "token-expired");
  assert_unauthenticated (server, "GET", "/scim/v2/ServiceProviderConfig", token,
                          "token-expired");

  g_unlink (config);
  g_rmdir (config_dir);
}

static void
test_auth_forbidden (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  g_autofree char *json = test_user_json ("bob", "bob@example.com", "bob's password");
  g_autofree char *id = create_user (server, admin_token, json);
  g_autofree char *token = roster_test_server_sign_in (server, "bob", "bob's password");
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  const char *admin_only[][2] = {
    { "GET", "/scim/v2/Users" },
    { "POST", "/scim/v2/Users" },
    { "GET", path },
  };
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (admin_only); i++)
    {
      gboolean post = g_str_equal (admin_only[i][0], "POST");
      g_autofree char *body = roster_test_server_request (server, admin_only[i][0],
                                                          admin_only[i][1], token,
                                                          post ? "application/json" : NULL,
                                                          post ? json : NULL, &status);

      g_assert_cmpuint (status, ==, 403);
      test_assert_scim_error (body, 403, "forbidden", NULL);
    }

  /* A signed-in user who is not an administrator may still read the discovery. */
  {
    g_autofree char *body = roster_test_server_request (server, "GET",
                                                        "/scim/v2/ServiceProviderConfig",
                                                        token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 200);
  }
}

static void
test_auth_nothing_in_clear (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *setup_token = g_strdup (server->setup_token);
  g_autofree char *admin_token = roster_test_server_setup_admin (server, ADMIN_NAME,
                                                                 ADMIN_PASSWORD);
  g_autofree char *json = test_user_json ("carol", NULL, "an unguessable secret");
  g_autofree char *id = create_user (server, admin_token, json);
  g_autofree char *token = roster_test_server_sign_in (server, "carol", "an unguessable secret");
  g_autofree char *hash = NULL;
  const char *secrets[] = { setup_token, admin_token, token, ADMIN_PASSWORD, "an unguessable secret" };

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GBytes) db = test_read_db_bytes (server->data_dir);

      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        g_assert_false (test_bytes_contain (db, secrets[i]));
      /* Again once rosterd has checkpointed its log into the database on exit. */
      roster_test_server_restart (server);
    }

  hash = test_db_query_text (server->data_dir,
                             "SELECT password_hash FROM users WHERE user_name = 'carol'");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
  g_clear_pointer (&hash, g_free);
  hash = test_db_query_text (server->data_dir,
                             "SELECT password_hash FROM users WHERE user_name = 'admin'");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
  g_clear_pointer (&hash, g_free);
  /* Sessions keep the SHA-256 of the token. */
  hash = test_db_query_text (server->data_dir, "SELECT min(token_hash) FROM sessions");
  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM sessions"), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rosterd/auth/sign-in", test_auth_sign_in);
  g_test_add_func ("/rosterd/auth/inactive-user", test_auth_inactive_user);
  g_test_add_func ("/rosterd/auth/token-required", test_auth_token_required);
  g_test_add_func ("/rosterd/auth/sign-out", test_auth_sign_out);
  g_test_add_func ("/rosterd/auth/expired", test_auth_expired);
  g_test_add_func ("/rosterd/auth/forbidden", test_auth_forbidden);
  g_test_add_func ("/rosterd/auth/nothing-in-clear", test_auth_nothing_in_clear);

  return g_test_run ();
}
