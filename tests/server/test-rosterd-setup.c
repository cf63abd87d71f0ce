/* test-rosterd-setup.c: first-run setup against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "server-test-util.h"

static char *
setup_body (const char *token, const char *user_json)
{
  return g_strdup_printf ("{\"setupToken\": \"%s\", \"user\": %s}", token, user_json);
}

static gboolean
setup_required (RosterTestServer *server)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  body = roster_test_server_request (server, "GET", "/setup", NULL, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (body);
  g_assert_true (json_object_has_member (json_node_get_object (node), "setupRequired"));
  return json_object_get_boolean_member (json_node_get_object (node), "setupRequired");
}

static void
test_setup_token_file (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *path = g_build_filename (server->data_dir, "setup-token", NULL);
  g_autofree char *url_path = g_build_filename (server->data_dir, "rosterd.url", NULL);
  g_autofree char *url = NULL;
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_nonnull (server->setup_token);
  /* 256 bits as unpadded base64url */
  g_assert_cmpuint (strlen (server->setup_token), ==, 43);
  for (const char *p = server->setup_token; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  g_assert_cmpint (g_stat (url_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (url_path, &url, NULL, NULL));
  g_assert_cmpstr (g_strstrip (url), ==, server->base_url);

  /* Only the hash is in the database. */
  {
    g_autoptr(GBytes) db = test_read_db_bytes (server->data_dir);

    g_assert_false (test_bytes_contain (db, server->setup_token));
  }
  g_assert_true (setup_required (server));
}

static void
test_setup_wrong_token (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *user = test_user_json (ADMIN_NAME, "admin@example.com", ADMIN_PASSWORD);
  g_autofree char *wrong = setup_body ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", user);
  g_autofree char *empty = g_strdup_printf ("{\"user\": %s}", user);
  g_autofree char *path = g_build_filename (server->data_dir, "setup-token", NULL);
  guint status = 0;

  {
    g_autofree char *body = roster_test_server_request (server, "POST", "/setup", NULL,
                                                        "application/json", wrong, &status);

    g_assert_cmpuint (status, ==, 403);
    test_assert_scim_error (body, 403, "invalid-setup-token", NULL);
  }
  {
    g_autofree char *body = roster_test_server_request (server, "POST", "/setup", NULL,
                                                        "application/json", empty, &status);

    g_assert_cmpuint (status, ==, 403);
    test_assert_scim_error (body, 403, "invalid-setup-token", NULL);
  }

  /* Nothing was created and the token still works. */
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM users"), ==, 0);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM sessions"), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (setup_required (server));
  g_free (roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD));
}

static void
test_setup_invalid_admin (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  const struct
  {
    const char *email;
    const char *password;
    guint status;
    const char *code;
  } cases[] = {
    { NULL, ADMIN_PASSWORD, 400, "missing-attribute" }, /* e-mail is required here */
    { "not-an-address", ADMIN_PASSWORD, 400, "invalid-value" },
    { "admin@example.com", NULL, 400, "missing-attribute" },
    { "admin@example.com", "short", 400, "invalid-value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *user = test_user_json (ADMIN_NAME, cases[i].email, cases[i].password);
      g_autofree char *request = setup_body (server->setup_token, user);
      g_autofree char *body = NULL;
      guint status = 0;

      body = roster_test_server_request (server, "POST", "/setup", NULL, "application/json",
                                         request, &status);
      g_assert_cmpuint (status, ==, cases[i].status);
      test_assert_scim_error (body, cases[i].status, cases[i].code, NULL);
      g_assert_false (g_strrstr (body, ADMIN_PASSWORD) != NULL);
    }
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM users"), ==, 0);
  g_assert_true (setup_required (server));
}

static void
test_setup_complete (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *old_token = g_strdup (server->setup_token);
  g_autofree char *path = g_build_filename (server->data_dir, "setup-token", NULL);
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *resources;
  JsonObject *admin, *ext;
  guint status = 0;

  token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (setup_required (server));

  body = roster_test_server_request (server, "GET", "/scim/v2/Users", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "totalResults"), ==, 1);
  resources = json_object_get_array_member (json_node_get_object (node), "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 1);
  admin = json_array_get_object_element (resources, 0);
  g_assert_cmpstr (json_object_get_string_member (admin, "userName"), ==, ADMIN_NAME);
  g_assert_true (json_object_get_boolean_member (admin, "active"));
  g_assert_false (json_object_has_member (admin, "password"));
  ext = json_object_get_object_member (admin,
                                       "urn:roster:params:scim:schemas:extension:crm:2.0:User");
  g_assert_true (json_object_get_boolean_member (ext, "administrator"));
  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "active");

  /* The token is spent: a second setup is refused, with the old token or without. */
  {
    g_autofree char *user = test_user_json ("second", "second@example.com", ADMIN_PASSWORD);
    g_autofree char *request = setup_body (old_token, user);
    g_autofree char *again = roster_test_server_request (server, "POST", "/setup", NULL,
                                                         "application/json", request, &status);

    g_assert_cmpuint (status, ==, 403);
    test_assert_scim_error (again, 403, "setup-complete", NULL);
  }
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM users"), ==, 1);
}

static void
test_setup_restart (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *path = g_build_filename (server->data_dir, "setup-token", NULL);
  g_autofree char *first_token = g_strdup (server->setup_token);
  g_autofree char *journal = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  /* Until setup is done, every start makes a new token; the old one stops working. */
  roster_test_server_restart (server);
  g_assert_nonnull (server->setup_token);
  g_assert_cmpstr (server->setup_token, !=, first_token);
  {
    g_autofree char *user = test_user_json (ADMIN_NAME, "admin@example.com", ADMIN_PASSWORD);
    g_autofree char *request = setup_body (first_token, user);

    body = roster_test_server_request (server, "POST", "/setup", NULL, "application/json",
                                       request, &status);
    g_assert_cmpuint (status, ==, 403);
    test_assert_scim_error (body, 403, "invalid-setup-token", NULL);
    g_clear_pointer (&body, g_free);
  }

  token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  roster_test_server_restart (server);

  /* Setup is done for good: no token, no file, and the data is still there. */
  g_assert_null (server->setup_token);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (setup_required (server));
  body = roster_test_server_request (server, "GET", "/scim/v2/Users", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strrstr (body, "\"userName\":\"" ADMIN_NAME "\""));
  g_free (roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD));

  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM schema_version"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT version FROM schema_version"),
                   ==, TEST_SCHEMA_VERSION);
  if (!test_db_is_postgres ())
    {
      journal = test_db_query_text (server->data_dir, "PRAGMA journal_mode");
      g_assert_cmpstr (journal, ==, "wal");
    }
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM users"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rosterd/setup/token-file", test_setup_token_file);
  g_test_add_func ("/rosterd/setup/wrong-token", test_setup_wrong_token);
  g_test_add_func ("/rosterd/setup/invalid-admin", test_setup_invalid_admin);
  g_test_add_func ("/rosterd/setup/complete", test_setup_complete);
  g_test_add_func ("/rosterd/setup/restart", test_setup_restart);

  return g_test_run ();
}
