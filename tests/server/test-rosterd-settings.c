/* test-rosterd-settings.c: GET/PUT /scim/v2/Settings against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include "server-test-util.h"

#define SETTINGS "/scim/v2/Settings"
#define SETTINGS_SCHEMA "urn:roster:params:scim:schemas:core:2.0:Settings"

static char *
get_etag (RosterTestServer *server, const char *token, JsonNode **node_out)
{
  g_autoptr(GHashTable) headers = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  body = roster_test_server_request_full (server, "GET", SETTINGS, token, NULL, NULL, 0, &status,
                                          &headers);
  g_assert_cmpuint (status, ==, 200);
  if (node_out != NULL)
    *node_out = test_parse_object (body);
  return g_strdup (g_hash_table_lookup (headers, "etag"));
}

static void
test_settings_defaults (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *etag = get_etag (server, token, &node);
  JsonObject *settings = json_node_get_object (node);
  JsonObject *meta = json_object_get_object_member (settings, "meta");

  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (settings, "schemas"), 0), ==,
                   SETTINGS_SCHEMA);
  g_assert_cmpint (json_object_get_int_member (settings, "lockoutThreshold"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (settings, "inactivityLockDays"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (settings, "passwordMaxAgeDays"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (settings, "passwordHistory"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (settings, "sessionIdleMinutes"), ==, 480);
  /* The config's token-lifetime (12 hours by default) is the fallback. */
  g_assert_cmpint (json_object_get_int_member (settings, "sessionAbsoluteHours"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (settings, "passwordMinQuality"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (meta, "version"), ==, "W/\"1\"");
  g_assert_cmpstr (etag, ==, "W/\"1\"");
}

static void
test_settings_put (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *etag = get_etag (server, token, NULL);
  const char *headers[] = { "If-Match", etag, NULL };
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *new_etag = NULL;
  guint status = 0;

  body = roster_test_server_request_headers (
    server, "PUT", SETTINGS, token,
    "{\"schemas\": [\"" SETTINGS_SCHEMA "\"], \"lockoutThreshold\": 3, "
    "\"inactivityLockDays\": 30, \"passwordMaxAgeDays\": 0, \"passwordHistory\": 2, "
    "\"sessionIdleMinutes\": 15, \"sessionAbsoluteHours\": 2, \"passwordMinQuality\": 50}",
    headers, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  node = test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "lockoutThreshold"),
                   ==, 3);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (node), "meta"),
                     "version"), ==, "W/\"2\"");

  /* Stored, and it survives a restart. */
  roster_test_server_restart (server);
  g_free (token);
  token = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  new_etag = get_etag (server, token, &again);
  g_assert_cmpstr (new_etag, ==, "W/\"2\"");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "sessionIdleMinutes"),
                   ==, 15);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again),
                                               "sessionAbsoluteHours"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "passwordMinQuality"),
                   ==, 50);

  /* A new session lasts sessionAbsoluteHours. */
  {
    g_autofree char *answer = test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status);
    g_autoptr(JsonNode) token_node = test_parse_object (answer);

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (token_node), "expires_in"),
                     ==, 7200);
  }

  /* The old version is stale now: 412, and nothing changes. */
  g_free (body);
  body = roster_test_server_request_headers (server, "PUT", SETTINGS, token,
                                             "{\"lockoutThreshold\": 9}", headers, &status, NULL);
  g_assert_cmpuint (status, ==, 412);
  test_assert_scim_error (body, 412, "precondition-failed", NULL);
  g_clear_pointer (&again, json_node_unref);
  g_free (new_etag);
  new_etag = get_etag (server, token, &again);
  g_assert_cmpstr (new_etag, ==, "W/\"2\"");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "lockoutThreshold"),
                   ==, 3);

  /* PUT replaces: what it leaves out goes back to the default. */
  g_free (body);
  body = test_send_json (server, "PUT", SETTINGS, token, "{\"lockoutThreshold\": 7}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);
  node = test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "lockoutThreshold"),
                   ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "passwordHistory"),
                   ==, 5);
}

static void
test_settings_validation (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  static const struct
  {
    const char *body;
    const char *code;
  } cases[] = {
    { "{\"lockoutThreshold\": 0}", "invalid-value" },
    { "{\"lockoutThreshold\": 101}", "invalid-value" },
    { "{\"inactivityLockDays\": -1}", "invalid-value" },
    { "{\"passwordHistory\": 25}", "invalid-value" },
    { "{\"sessionIdleMinutes\": 0}", "invalid-value" },
    { "{\"sessionAbsoluteHours\": 0}", "invalid-value" },
    { "{\"passwordMinQuality\": 101}", "invalid-value" },
    { "{\"lockoutThreshold\": \"5\"}", "invalid-value" },
    { "{\"lockoutThreshold\": 2.5}", "invalid-value" },
    { "{\"noSuchSetting\": 1}", "invalid-syntax" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status = 0;
      g_autofree char *body = test_send_json (server, "PUT", SETTINGS, token, cases[i].body,
                                              &status);

      g_assert_cmpuint (status, ==, 400);
      test_assert_scim_error (body, 400, cases[i].code, NULL);
    }
  /* Nothing was changed by any of them. */
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT version FROM settings"), ==, 1);
}

static void
test_settings_admin_only (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = test_create_user (server, admin, "bob", "bob's password");
  g_autofree char *token = roster_test_server_sign_in (server, "bob", "bob's password");
  g_autofree char *get = NULL;
  g_autofree char *put = NULL;
  guint status = 0;

  get = test_send_json (server, "GET", SETTINGS, token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  test_assert_scim_error (get, 403, "forbidden", NULL);
  put = test_send_json (server, "PUT", SETTINGS, token, "{\"lockoutThreshold\": 100}", &status);
  g_assert_cmpuint (status, ==, 403);
  g_free (get);
  get = test_send_json (server, "GET", SETTINGS, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rosterd/settings/defaults", test_settings_defaults);
  g_test_add_func ("/rosterd/settings/put", test_settings_put);
  g_test_add_func ("/rosterd/settings/validation", test_settings_validation);
  g_test_add_func ("/rosterd/settings/admin-only", test_settings_admin_only);
  return g_test_run ();
}
