/* test-rosterd-users.c: /scim/v2/Users and the discovery against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <libsoup/soup.h>

#include "server-test-util.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = roster_test_server_start (NULL);
  fixture->token = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->token, g_free);
}

static char *
post_user (Fixture *fixture, const char *content_type, const char *json, guint *status,
           GHashTable **headers)
{
  return roster_test_server_request_full (fixture->server, "POST", "/scim/v2/Users",
                                          fixture->token, content_type, json, (gsize) -1, status,
                                          headers);
}

static gint64
count_users (Fixture *fixture)
{
  return test_db_query_int (fixture->server->data_dir, "SELECT count(*) FROM users");
}

static void
test_users_create (Fixture *fixture, gconstpointer data)
{
  /* id and meta are read-only: what the client sends is ignored. */
  const char *json = "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                     " \"id\": \"chosen-by-client\", \"userName\": \"ana\","
                     " \"name\": {\"givenName\": \"Ana\", \"familyName\": \"Lima\"},"
                     " \"emails\": [{\"value\": \"ana@example.com\", \"type\": \"work\"}],"
                     " \"password\": \"ana's password\","
                     " \"meta\": {\"version\": \"W/\\\"42\\\"\"}}";
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GHashTable) get_headers = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *expected_location = NULL;
  g_autofree char *path = NULL;
  JsonObject *user, *meta;
  const char *id;
  guint status = 0;

  body = post_user (fixture, "application/scim+json", json, &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  g_assert_null (g_strrstr (body, "\"password\""));
  g_assert_null (g_strrstr (body, "ana's password"));
  node = test_parse_object (body);
  user = json_node_get_object (node);
  id = json_object_get_string_member (user, "id");
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpstr (json_object_get_string_member (user, "userName"), ==, "ana");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "name"),
                                                  "givenName"),
                   ==, "Ana");
  meta = json_object_get_object_member (user, "meta");
  g_assert_nonnull (meta);
  g_assert_cmpstr (json_object_get_string_member (meta, "resourceType"), ==, "User");
  g_assert_cmpstr (json_object_get_string_member (meta, "version"), ==, "W/\"1\"");
  g_assert_nonnull (json_object_get_string_member (meta, "created"));
  expected_location = g_strconcat (fixture->server->base_url, "/scim/v2/Users/", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (meta, "location"), ==, expected_location);
  g_assert_cmpstr (g_hash_table_lookup (headers, "location"), ==, expected_location);
  g_assert_cmpstr (g_hash_table_lookup (headers, "etag"), ==, "W/\"1\"");
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-type"), ==, "application/scim+json");

  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  fetched = roster_test_server_request_full (fixture->server, "GET", path, fixture->token, NULL,
                                             NULL, (gsize) -1, &status, &get_headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fetched, ==, body);
  g_assert_cmpstr (g_hash_table_lookup (get_headers, "etag"), ==, "W/\"1\"");

  /* The password was hashed, and the new user can sign in with it. */
  g_free (roster_test_server_sign_in (fixture->server, "ana", "ana's password"));
  g_assert_cmpint (count_users (fixture), ==, 2);
}

static void
test_users_not_found (Fixture *fixture, gconstpointer data)
{
  const char *paths[] = { "/scim/v2/Users/00000000-0000-4000-8000-000000000000",
                          "/scim/v2/Users/not-a-uuid", "/scim/v2/Users/%27%20OR%201%3D1" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      guint status = 0;
      g_autofree char *body = roster_test_server_request (fixture->server, "GET", paths[i],
                                                          fixture->token, NULL, NULL, &status);

      g_assert_cmpuint (status, ==, 404);
      test_assert_scim_error (body, 404, "not-found", NULL);
    }
}

static void
test_users_duplicate (Fixture *fixture, gconstpointer data)
{
  g_autofree char *first = test_user_json ("Marie", NULL, NULL);
  g_autofree char *second = test_user_json ("mARIE", NULL, NULL);
  g_autofree char *admin = test_user_json ("ADMIN", NULL, NULL);
  g_autofree char *body = NULL;
  guint status = 0;

  body = post_user (fixture, "application/json", first, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&body, g_free);
  g_assert_cmpint (count_users (fixture), ==, 2);

  body = post_user (fixture, "application/json", second, &status, NULL);
  g_assert_cmpuint (status, ==, 409);
  test_assert_scim_error (body, 409, "user-name-taken", "uniqueness");
  g_clear_pointer (&body, g_free);
  body = post_user (fixture, "application/json", admin, &status, NULL);
  g_assert_cmpuint (status, ==, 409);
  test_assert_scim_error (body, 409, "user-name-taken", "uniqueness");
  g_assert_cmpint (count_users (fixture), ==, 2);
}

static void
test_users_bad_requests (Fixture *fixture, gconstpointer data)
{
  const struct
  {
    const char *content_type;
    const char *body;
    guint status;
    const char *code;
    const char *scim_type;
  } cases[] = {
    { "application/scim+json", "{\"userName\": ", 400, "invalid-syntax", "invalidSyntax" },
    { "application/scim+json", "[1, 2]", 400, "invalid-syntax", "invalidSyntax" },
    { "application/scim+json", "", 400, "invalid-syntax", "invalidSyntax" },
    { "application/scim+json", "{\"userName\": \"\\udc00\"}", 400, "invalid-syntax", NULL },
    { "text/plain", "{\"userName\": \"x\"}", 415, "unsupported-media-type", NULL },
    { "application/xml", "<user/>", 415, "unsupported-media-type", NULL },
    { NULL, "{\"userName\": \"x\"}", 415, "unsupported-media-type", NULL },
    { "application/scim+json", "{\"name\": {\"givenName\": \"No\"}}", 400, "missing-attribute",
      "invalidValue" },
    { "application/scim+json", "{\"userName\": 7}", 400, "invalid-value", "invalidValue" },
    { "application/scim+json", "{\"userName\": \"has space\"}", 400, "invalid-value", NULL },
    { "application/scim+json", "{\"userName\": \"e\", \"emails\": [{\"value\": \"nope\"}]}", 400,
      "invalid-value", "invalidValue" },
    { "application/scim+json", "{\"userName\": \"p\", \"password\": \"short\"}", 400,
      "invalid-value", NULL },
    { "application/scim+json", "{\"userName\": \"p\", \"password\": 12345678}", 400,
      "invalid-value", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = NULL;
      guint status = 0;

      g_test_message ("case %u: %s", i, cases[i].body);
      body = post_user (fixture, cases[i].content_type, cases[i].body, &status, NULL);
      g_assert_cmpuint (status, ==, cases[i].status);
      test_assert_scim_error (body, cases[i].status, cases[i].code, cases[i].scim_type);
    }

  /* Parameters of the media type are fine. */
  {
    g_autofree char *json = test_user_json ("param", NULL, NULL);
    g_autofree char *body = NULL;
    guint status = 0;

    body = post_user (fixture, "application/scim+json; charset=utf-8", json, &status, NULL);
    g_assert_cmpuint (status, ==, 201);
  }
  g_assert_cmpint (count_users (fixture), ==, 2);
}

static void
test_users_too_large (Fixture *fixture, gconstpointer data)
{
  gsize size = 1024 * 1024 + 1;
  g_autofree char *big = g_malloc (size);
  g_autofree char *body = NULL;
  guint status = 0;

  /* A JSON object, so only its size is wrong. */
  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';
  body = roster_test_server_request_full (fixture->server, "POST", "/scim/v2/Users",
                                          fixture->token, "application/scim+json", big, size,
                                          &status, NULL);
  g_assert_cmpuint (status, ==, 413);
  test_assert_scim_error (body, 413, "payload-too-large", NULL);
  g_clear_pointer (&body, g_free);

  /* The same without a Content-Length (chunked): caught while reading. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (fixture->server->base_url, "/scim/v2/Users", NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", fixture->token, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (big, size, NULL);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/scim+json", stream, -1);
    response = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
    body = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
    test_assert_scim_error (body, 413, "payload-too-large", NULL);
  }

  /* Just under the limit is read (and then judged on its content). */
  g_clear_pointer (&body, g_free);
  body = roster_test_server_request_full (fixture->server, "POST", "/scim/v2/Users",
                                          fixture->token, "application/scim+json", big, size - 1,
                                          &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "invalid-syntax", NULL);
  g_assert_cmpint (count_users (fixture), ==, 1);
}

static JsonNode *
list_users (Fixture *fixture, const char *query, guint expected_status)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users", query, NULL);
  g_autofree char *body = NULL;
  guint status = 0;

  body = roster_test_server_request (fixture->server, "GET", path, fixture->token, NULL, NULL,
                                     &status);
  g_assert_cmpuint (status, ==, expected_status);
  return test_parse_object (body);
}

static void
assert_page (JsonNode *node, gint64 total, gint64 start_index, guint n_resources)
{
  JsonObject *object = json_node_get_object (node);
  JsonArray *resources = json_object_get_array_member (object, "Resources");

  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object,
                                                                                "schemas"),
                                                  0),
                   ==, "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  g_assert_cmpint (json_object_get_int_member (object, "totalResults"), ==, total);
  g_assert_cmpint (json_object_get_int_member (object, "startIndex"), ==, start_index);
  g_assert_cmpint (json_object_get_int_member (object, "itemsPerPage"), ==, n_resources);
  g_assert_cmpuint (json_array_get_length (resources), ==, n_resources);
  for (guint i = 0; i < n_resources; i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (resources, i),
                                            "password"));
}

static void
test_users_list (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);
      g_autofree char *json = test_user_json (name, NULL, NULL);
      g_autofree char *body = NULL;
      guint status = 0;

      body = post_user (fixture, "application/scim+json", json, &status, NULL);
      g_assert_cmpuint (status, ==, 201);
    }

  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=3&count=2", 200);
    assert_page (page, 8, 3, 2);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "", 200);
    assert_page (page, 8, 1, 8);
  }
  /* Pages are disjoint and cover everyone, in a stable order. */
  for (guint start = 1; start <= 8; start += 3)
    {
      g_autofree char *query = g_strdup_printf ("?startIndex=%u&count=3", start);
      g_autoptr(JsonNode) page = list_users (fixture, query, 200);
      JsonArray *resources = json_object_get_array_member (json_node_get_object (page),
                                                           "Resources");

      for (guint i = 0; i < json_array_get_length (resources); i++)
        {
          const char *id = json_object_get_string_member (
            json_array_get_object_element (resources, i), "id");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 8);

  /* RFC 7644 §3.4.2.4: startIndex < 1 is 1, count < 0 is 0; garbage is the default. */
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=-5&count=2", 200);
    assert_page (page, 8, 1, 2);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=0&count=-1", 200);
    assert_page (page, 8, 1, 0);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?count=0", 200);
    assert_page (page, 8, 1, 0);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=abc&count=lots", 200);
    assert_page (page, 8, 1, 8);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=7&count=100000", 200);
    assert_page (page, 8, 7, 2);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=99999999999999999999", 200);
    assert_page (page, 8, 1, 8);
  }
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?startIndex=100", 200);
    assert_page (page, 8, 100, 0);
  }
}

static void
test_users_filter (Fixture *fixture, gconstpointer data)
{
  guint status = 0;
  g_autofree char *body = NULL;

  /* Filters work (test-rosterd-scim-users has the catalogue); a malformed one is 400. */
  {
    g_autoptr(JsonNode) page = list_users (fixture, "?filter=userName%20eq%20%22ADMIN%22", 200);
    assert_page (page, 1, 1, 1);
  }
  body = roster_test_server_request (fixture->server, "GET",
                                     "/scim/v2/Users?filter=userName%20eq", fixture->token, NULL,
                                     NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (body, 400, "invalid-filter", "invalidFilter");
}

/* A filtered page and its totalResults come from one statement; the total must be right
 * on every page, past the end too, in both orders, and the pages must tile the matches. */
static void
test_users_filtered_pages (Fixture *fixture, gconstpointer data)
{
  /* userName sw "user1" or displayName co "ser1": user1, user10…user13 (5 of 9 users). */
  const char *filter = "?filter=userName%20sw%20%22user1%22%20or%20displayName%20co%20%22ser1%22"
                       "&sortBy=userName";
  const char *const orders[] = { "ascending", "descending" };

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i == 0 ? 1 : (i < 5 ? 9 + i : i));
      g_autofree char *json = test_user_json (name, NULL, NULL);
      g_autofree char *body = NULL;
      guint status = 0;

      body = post_user (fixture, "application/scim+json", json, &status, NULL);
      g_assert_cmpuint (status, ==, 201);
    }

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint start = 1; start <= 5; start += 2)
        {
          g_autofree char *query = g_strdup_printf ("%s&sortOrder=%s&startIndex=%u&count=2",
                                                    filter, orders[o], start);
          g_autoptr(JsonNode) page = list_users (fixture, query, 200);
          JsonArray *resources = json_object_get_array_member (json_node_get_object (page),
                                                               "Resources");

          assert_page (page, 5, start, start < 5 ? 2 : 1);
          for (guint i = 0; i < json_array_get_length (resources); i++)
            g_string_append_printf (names, "%s ",
                                    json_object_get_string_member (
                                      json_array_get_object_element (resources, i), "userName"));
        }
      g_assert_cmpstr (names->str, ==,
                       o == 0 ? "user1 user10 user11 user12 user13 "
                              : "user13 user12 user11 user10 user1 ");
      {
        g_autofree char *query = g_strdup_printf ("%s&sortOrder=%s&startIndex=6", filter,
                                                  orders[o]);
        g_autoptr(JsonNode) page = list_users (fixture, query, 200);

        assert_page (page, 5, 6, 0);
      }
      {
        g_autofree char *query = g_strdup_printf ("%s&sortOrder=%s&count=0", filter, orders[o]);
        g_autoptr(JsonNode) page = list_users (fixture, query, 200);

        assert_page (page, 5, 1, 0);
      }
    }
  {
    g_autoptr(JsonNode) page = list_users (fixture,
                                           "?filter=userName%20sw%20%22nobody%22&count=5", 200);

    assert_page (page, 0, 1, 0);
  }
}

static void
test_users_routing (Fixture *fixture, gconstpointer data)
{
  const struct
  {
    const char *method;
    const char *path;
    guint status;
    const char *code;
    const char *allow;
  } cases[] = {
    { "DELETE", "/scim/v2/Users", 405, "method-not-allowed", "GET, POST" },
    { "POST", "/scim/v2/Users/00000000-0000-4000-8000-000000000000", 405, "method-not-allowed",
      "GET, PUT, PATCH, DELETE" },
    { "DELETE", "/scim/v2/Schemas", 405, "method-not-allowed", "GET" },
    { "GET", "/scim/v2/Schemas/urn:nope", 404, "not-found", NULL },
    { "GET", "/scim/v2/ResourceTypes/Nope", 404, "not-found", NULL },
    { "POST", "/scim/v2/ServiceProviderConfig", 405, "method-not-allowed", "GET" },
    { "GET", "/auth/token", 405, "method-not-allowed", "POST, DELETE" },
    { "PATCH", "/setup", 405, "method-not-allowed", "GET, POST" },
    { "GET", "/scim/v2/Nope", 404, "not-found", NULL },
    { "GET", "/scim/v2/Users/a/b", 404, "not-found", NULL },
    { "GET", "/scim/v2/Users/", 404, "not-found", NULL },
    { "GET", "/", 404, "not-found", NULL },
    { "GET", "/nope", 404, "not-found", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) headers = NULL;
      g_autofree char *body = NULL;
      guint status = 0;

      g_test_message ("%s %s", cases[i].method, cases[i].path);
      body = roster_test_server_request_full (fixture->server, cases[i].method, cases[i].path,
                                              fixture->token, NULL, NULL, (gsize) -1, &status,
                                              &headers);
      g_assert_cmpuint (status, ==, cases[i].status);
      test_assert_scim_error (body, cases[i].status, cases[i].code, NULL);
      g_assert_cmpstr (g_hash_table_lookup (headers, "allow"), ==, cases[i].allow);
    }
}

static void
test_discovery_spc (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *location = NULL;
  JsonObject *spc, *scheme, *meta;
  const char *unsupported[] = { "changePassword" };
  const char *supported[] = { "patch", "bulk", "filter", "sort", "etag" };
  guint status = 0;

  body = roster_test_server_request_full (fixture->server, "GET",
                                          "/scim/v2/ServiceProviderConfig", fixture->token, NULL,
                                          NULL, (gsize) -1, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-type"), ==, "application/scim+json");
  node = test_parse_object (body);
  spc = json_node_get_object (node);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (spc, "schemas"),
                                                  0),
                   ==, "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    g_assert_false (json_object_get_boolean_member (
      json_object_get_object_member (spc, unsupported[i]), "supported"));
  for (guint i = 0; i < G_N_ELEMENTS (supported); i++)
    g_assert_true (json_object_get_boolean_member (
      json_object_get_object_member (spc, supported[i]), "supported"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (spc, "filter"),
                                               "maxResults"),
                   ==, 1000);
  scheme = json_array_get_object_element (
    json_object_get_array_member (spc, "authenticationSchemes"), 0);
  g_assert_cmpstr (json_object_get_string_member (scheme, "type"), ==, "oauthbearertoken");
  g_assert_cmpstr (json_object_get_string_member (scheme, "description"), !=, "");
  meta = json_object_get_object_member (spc, "meta");
  location = g_strconcat (fixture->server->base_url, "/scim/v2/ServiceProviderConfig", NULL);
  g_assert_cmpstr (json_object_get_string_member (meta, "resourceType"), ==,
                   "ServiceProviderConfig");
  g_assert_cmpstr (json_object_get_string_member (meta, "location"), ==, location);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/rosterd/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("users/create", test_users_create);
  ADD ("users/not-found", test_users_not_found);
  ADD ("users/duplicate", test_users_duplicate);
  ADD ("users/bad-requests", test_users_bad_requests);
  ADD ("users/too-large", test_users_too_large);
  ADD ("users/list", test_users_list);
  ADD ("users/filter", test_users_filter);
  ADD ("users/filtered-pages", test_users_filtered_pages);
  ADD ("users/routing", test_users_routing);
  ADD ("discovery/service-provider-config", test_discovery_spc);

#undef ADD

  return g_test_run ();
}
