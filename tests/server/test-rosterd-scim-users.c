/* test-rosterd-scim-users.c: /Users as complete SCIM 2.0 against a real rosterd
 *
 * The RFC 7643 §8.2 and §8.3 examples round-trip; projection, sorting, filtering and
 * .search; PUT, the PATCH catalogue of RFC 7644 §3.5.2, ETags, DELETE, managers; the
 * discovery endpoints; and bad input that must leave the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "server-test-util.h"

#define CORE "urn:ietf:params:scim:schemas:core:2.0:User"
#define ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define ROSTER "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"

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

/* JSON written with ' for " so the literals stay readable (no value here has a '). */
static char *
jq (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* A request; @headers are name/value pairs. Asserts @expected_status. */
static JsonNode *
call (Fixture *fixture, const char *method, const char *path, const char *body,
      const char *const *headers, guint expected_status, GHashTable **headers_out)
{
  g_autofree char *response = NULL;
  guint status = 0;

  response = roster_test_server_request_headers (fixture->server, method, path, fixture->token,
                                                 body, headers, &status, headers_out);
  if (status != expected_status)
    g_error ("%s %s answered %u, not %u: %s", method, path, status, expected_status, response);
  if (*response == '\0')
    return NULL;
  return test_parse_object (response);
}

static JsonNode *
call_jq (Fixture *fixture, const char *method, const char *path, const char *body,
         guint expected_status)
{
  g_autofree char *json = body != NULL ? jq (body) : NULL;

  return call (fixture, method, path, json, NULL, expected_status, NULL);
}

static void
assert_error (JsonNode *node, const char *code, const char *scim_type)
{
  g_autofree char *body = to_string (node);
  JsonObject *object = json_node_get_object (node);

  test_assert_scim_error (body, (guint) g_ascii_strtoull (
                                  json_object_get_string_member (object, "status"), NULL, 10),
                          code, scim_type);
}

static char *
user_path (const char *id)
{
  return g_strconcat ("/scim/v2/Users/", id, NULL);
}

/* Creates a user from jq() JSON; returns its id. */
static char *
create (Fixture *fixture, const char *json)
{
  g_autoptr(JsonNode) node = call_jq (fixture, "POST", "/scim/v2/Users", json, 201);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static char *
create_named (Fixture *fixture, const char *user_name, const char *display_name)
{
  g_autofree char *json = g_strdup_printf ("{'userName': '%s', 'displayName': '%s'}", user_name,
                                           display_name);

  return create (fixture, json);
}

static JsonObject *
get_user (Fixture *fixture, const char *id, JsonNode **keep)
{
  g_autofree char *path = user_path (id);

  *keep = call (fixture, "GET", path, NULL, NULL, 200, NULL);
  return json_node_get_object (*keep);
}

static char *
get_version (Fixture *fixture, const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *user = get_user (fixture, id, &node);

  return g_strdup (json_object_get_string_member (json_object_get_object_member (user, "meta"),
                                                  "version"));
}

/* What the database holds about everyone, to compare before and after a refused request. */
static char *
db_snapshot (Fixture *fixture)
{
  return test_db_query_text (
    fixture->server->data_dir,
    TEST_SQL ("SELECT count(*) || ':' || group_concat (id || version || coalesce (resource, ''), "
              "'|') || ':' || (SELECT count(*) FROM user_emails) "
              "FROM (SELECT * FROM users ORDER BY id)",
              "SELECT count(*) || ':' || string_agg (id || version || coalesce (resource, ''), "
              "'|' ORDER BY id) || ':' || (SELECT count(*) FROM user_emails) FROM users"));
}

static void
remove_members (JsonObject *object, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    json_object_remove_member (object, names[i]);
}

static const char rfc_8_2[] =
  "{'schemas': ['" CORE "'],"
  " 'id': '2819c223-7f76-453a-919d-413861904646',"
  " 'externalId': '701984',"
  " 'userName': 'bjensen@example.com',"
  " 'name': {'formatted': 'Ms. Barbara J Jensen, III', 'familyName': 'Jensen',"
  "          'givenName': 'Barbara', 'middleName': 'Jane', 'honorificPrefix': 'Ms.',"
  "          'honorificSuffix': 'III'},"
  " 'displayName': 'Babs Jensen',"
  " 'nickName': 'Babs',"
  " 'profileUrl': 'https://login.example.com/bjensen',"
  " 'emails': [{'value': 'bjensen@example.com', 'type': 'work', 'primary': true},"
  "            {'value': 'babs@jensen.org', 'type': 'home'}],"
  " 'addresses': [{'type': 'work', 'streetAddress': '100 Universal City Plaza',"
  "                'locality': 'Hollywood', 'region': 'CA', 'postalCode': '91608',"
  "                'country': 'USA',"
  "                'formatted': '100 Universal City Plaza\\nHollywood, CA 91608 USA',"
  "                'primary': true},"
  "               {'type': 'home', 'streetAddress': '456 Hollywood Blvd',"
  "                'locality': 'Hollywood', 'region': 'CA', 'postalCode': '91608',"
  "                'country': 'USA',"
  "                'formatted': '456 Hollywood Blvd\\nHollywood, CA 91608 USA'}],"
  " 'phoneNumbers': [{'value': '555-555-5555', 'type': 'work'},"
  "                  {'value': '555-555-4444', 'type': 'mobile'}],"
  " 'ims': [{'value': 'someaimhandle', 'type': 'aim'}],"
  " 'photos': [{'value': 'https://photos.example.com/profilephoto/72930000000Ccne/F',"
  "             'type': 'photo'},"
  "            {'value': 'https://photos.example.com/profilephoto/72930000000Ccne/T',"
  "             'type': 'thumbnail'}],"
  " 'userType': 'Employee',"
  " 'title': 'Tour Guide',"
  " 'preferredLanguage': 'en-US',"
  " 'locale': 'en-US',"
  " 'timezone': 'America/Los_Angeles',"
  " 'active': true,"
  " 'password': 't1meMa$heen',"
  " 'groups': [{'value': 'e9e30dba-f08f-4109-8486-d5c6a331660a',"
  "             '$ref': 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',"
  "             'display': 'Tour Guides'},"
  "            {'value': 'fc348aa8-3835-40eb-a20b-c726e15c55b5',"
  "             '$ref': 'https://example.com/v2/Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5',"
  "             'display': 'Employees'}],"
  /* The RFC's certificate, shortened: the server checks it is base64, not what it says. */
  " 'x509Certificates': [{'value': 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw'}],"
  " 'meta': {'resourceType': 'User', 'created': '2010-01-23T04:56:22Z',"
  "          'lastModified': '2011-05-13T04:42:34Z', 'version': 'W/\\'3694e05e9dff591\\'',"
  "          'location': 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646'}}";

/* POSTs @json and checks that what comes back is what was sent, minus what the server owns:
 * id, meta, the password, read-only groups, and the Roster extension's server state. */
static void
round_trip (Fixture *fixture, const char *json, JsonObject **sent_out, char **id_out)
{
  static const char *const server_owned[] = { "id", "meta", "password", "groups", "schemas",
                                              ROSTER, NULL };
  g_autofree char *body = jq (json);
  g_autoptr(JsonNode) sent = test_parse_object (body);
  g_autoptr(JsonNode) created = call (fixture, "POST", "/scim/v2/Users", body, NULL, 201, NULL);
  g_autoptr(JsonNode) fetched = NULL;
  JsonObject *expected = json_node_get_object (sent);
  JsonObject *got, *ext;
  const char *id = json_object_get_string_member (json_node_get_object (created), "id");

  g_assert_cmpstr (id, !=, "2819c223-7f76-453a-919d-413861904646");
  got = get_user (fixture, id, &fetched);
  g_assert_true (json_node_equal (created, fetched));
  g_assert_false (json_object_has_member (got, "password"));
  g_assert_false (json_object_has_member (got, "groups"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (got, "schemas"),
                                                  0),
                   ==, CORE);
  ext = json_object_get_object_member (got, ROSTER);
  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "active");
  g_assert_true (json_object_has_member (ext, "passwordChangedAt"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (got, "meta"),
                                                  "version"),
                   ==, "W/\"1\"");

  if (sent_out != NULL)
    *sent_out = json_object_ref (expected);
  remove_members (expected, server_owned);
  remove_members (got, server_owned);
  if (!json_object_equal (expected, got))
    {
      g_autofree char *a = to_string (sent);
      g_autofree char *b = to_string (fetched);

      g_error ("round trip differs:\nsent %s\ngot  %s", a, b);
    }
  if (id_out != NULL)
    *id_out = g_strdup (id);
}

static void
test_rfc_full_user (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;

  round_trip (fixture, rfc_8_2, NULL, &id);
  /* Its password works. */
  g_free (roster_test_server_sign_in (fixture->server, "bjensen@example.com", "t1meMa$heen"));
  /* The e-mails and phone numbers are in their child tables. */
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM user_emails e JOIN users u ON "
                                      "u.id = e.user_id WHERE u.user_name = 'bjensen@example.com'"),
                   ==, 2);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM user_phone_numbers"),
                   ==, 2);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM users WHERE password_hash LIKE "
                                      "'$argon2id$%' AND resource NOT LIKE '%t1meMa%'"),
                   ==, 2);
}

static void
test_rfc_enterprise_user (Fixture *fixture, gconstpointer data)
{
  g_autofree char *manager = create_named (fixture, "jsmith", "John Smith");
  g_autofree char *base = g_strdup (rfc_8_2);
  g_autofree char *json = NULL;
  g_autofree char *extension = g_strdup_printf (
    ", '" ENTERPRISE "': {'employeeNumber': '701984', 'costCenter': '4130',"
    " 'organization': 'Universal Studios', 'division': 'Theme Park',"
    " 'department': 'Tour Operations',"
    " 'manager': {'value': '%s', '$ref': '../Users/%s', 'displayName': 'John Smith'}}}",
    manager, manager);
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ref = NULL;
  JsonObject *got, *manager_object;
  g_autofree char *id = NULL;

  /* §8.3 is §8.2 with the enterprise extension. */
  base[strlen (base) - 1] = '\0';
  json = g_strconcat (base, extension, NULL);
  {
    g_autofree char *schemas = g_strconcat ("['" CORE "']", NULL);
    g_auto(GStrv) parts = g_strsplit (json, schemas, 2);

    g_free (json);
    json = g_strjoinv ("['" CORE "', '" ENTERPRISE "']", parts);
  }
  /* The server computes $ref from the value: fix the expectation before comparing. */
  ref = g_strconcat (fixture->server->base_url, "/scim/v2/Users/", manager, NULL);
  {
    g_autofree char *relative = g_strconcat ("../Users/", manager, NULL);
    g_auto(GStrv) parts = g_strsplit (json, relative, 2);

    g_free (json);
    json = g_strjoinv (ref, parts);
  }
  round_trip (fixture, json, &sent, &id);

  got = get_user (fixture, id, &node);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (got, "schemas"),
                                                  1),
                   ==, ENTERPRISE);
  manager_object = json_object_get_object_member (json_object_get_object_member (got, ENTERPRISE),
                                                  "manager");
  g_assert_cmpstr (json_object_get_string_member (manager_object, "$ref"), ==, ref);
  g_assert_cmpstr (json_object_get_string_member (manager_object, "displayName"), ==,
                   "John Smith");
  /* displayName follows the manager: it is not a stored copy. */
  {
    g_autofree char *path = user_path (manager);
    g_autoptr(JsonNode) patched = call_jq (
      fixture, "PATCH", path,
      "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': 'displayName',"
      " 'value': 'Johnny Smith'}]}",
      200);
    g_autoptr(JsonNode) again = NULL;

    got = get_user (fixture, id, &again);
    manager_object = json_object_get_object_member (
      json_object_get_object_member (got, ENTERPRISE), "manager");
    g_assert_cmpstr (json_object_get_string_member (manager_object, "displayName"), ==,
                     "Johnny Smith");
  }
}

static void
test_projection (Fixture *fixture, gconstpointer data)
{
  g_autofree char *full = jq (rfc_8_2);
  g_autoptr(JsonNode) created = call (fixture, "POST", "/scim/v2/Users", full, NULL, 201, NULL);
  const char *id = json_object_get_string_member (json_node_get_object (created), "id");
  g_autofree char *path = NULL;
  JsonObject *user, *name;

  path = g_strdup_printf ("/scim/v2/Users/%s?attributes=userName,name.givenName,EMAILS.value", id);
  {
    g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, NULL, 200, NULL);
    JsonArray *emails;

    user = json_node_get_object (node);
    /* id, schemas and meta always come. */
    g_assert_true (json_object_has_member (user, "id"));
    g_assert_true (json_object_has_member (user, "schemas"));
    g_assert_true (json_object_has_member (user, "meta"));
    g_assert_true (json_object_has_member (user, "userName"));
    g_assert_false (json_object_has_member (user, "displayName"));
    g_assert_false (json_object_has_member (user, "active"));
    g_assert_false (json_object_has_member (user, ROSTER));
    name = json_object_get_object_member (user, "name");
    g_assert_cmpuint (json_object_get_size (name), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (name, "givenName"), ==, "Barbara");
    emails = json_object_get_array_member (user, "emails");
    g_assert_cmpuint (json_array_get_length (emails), ==, 2);
    g_assert_cmpuint (json_object_get_size (json_array_get_object_element (emails, 0)), ==, 1);
  }
  g_free (path);
  path = g_strdup_printf ("/scim/v2/Users/%s?excludedAttributes=emails,name.middleName,"
                          ROSTER ":status,id,password",
                          id);
  {
    g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, NULL, 200, NULL);

    user = json_node_get_object (node);
    g_assert_true (json_object_has_member (user, "id"));
    g_assert_false (json_object_has_member (user, "emails"));
    g_assert_false (json_object_has_member (user, "password"));
    g_assert_true (json_object_has_member (user, "phoneNumbers"));
    name = json_object_get_object_member (user, "name");
    g_assert_false (json_object_has_member (name, "middleName"));
    g_assert_true (json_object_has_member (name, "familyName"));
    g_assert_false (json_object_has_member (json_object_get_object_member (user, ROSTER),
                                            "status"));
  }
  /* A password is never returned, even when asked for. */
  g_free (path);
  path = g_strdup_printf ("/scim/v2/Users/%s?attributes=password," ROSTER, id);
  {
    g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, NULL, 200, NULL);

    user = json_node_get_object (node);
    g_assert_false (json_object_has_member (user, "password"));
    g_assert_false (json_object_has_member (user, "userName"));
    g_assert_true (json_object_has_member (json_object_get_object_member (user, ROSTER),
                                           "status"));
  }
  /* Lists project each resource the same way. */
  {
    g_autoptr(JsonNode) node = call_jq (fixture, "GET", "/scim/v2/Users?attributes=displayName",
                                        NULL, 200);
    JsonArray *resources = json_object_get_array_member (json_node_get_object (node),
                                                         "Resources");

    g_assert_cmpuint (json_array_get_length (resources), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *r = json_array_get_object_element (resources, i);

        g_assert_false (json_object_has_member (r, "userName"));
        g_assert_true (json_object_has_member (r, "meta"));
      }
  }
}

/* The userNames of a list, in order. */
static char *
names_of (Fixture *fixture, const char *method, const char *path, const char *body)
{
  g_autoptr(JsonNode) node = call_jq (fixture, method, path, body, 200);
  JsonArray *resources = json_object_get_array_member (json_node_get_object (node), "Resources");
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; resources != NULL && i < json_array_get_length (resources); i++)
    g_string_append_printf (names, "%s%s", i ? " " : "",
                            json_object_get_string_member (
                              json_array_get_object_element (resources, i), "userName"));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
assert_names (Fixture *fixture, const char *query, const char *expected)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users", query, NULL);
  g_autofree char *names = names_of (fixture, "GET", path, NULL);

  g_test_message ("%s", query);
  g_assert_cmpstr (names, ==, expected);
}

static void
make_people (Fixture *fixture)
{
  const char *people[][4] = {
    { "dora", "Dora Diaz", "Diaz", "E3" },
    { "Ben", "ben Brown", "Brown", "E1" },
    { "carl", "Carl Brown", "Brown", "E2" },
    { "alma", "Alma Zed", "Zed", "E4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{'userName': '%s', 'displayName': '%s', 'name': {'familyName': '%s'},"
        " 'emails': [{'value': '%s@work.example', 'type': 'work', 'primary': true},"
        "            {'value': '%s@home.example', 'type': 'home'}],"
        " '" ENTERPRISE "': {'employeeNumber': '%s', 'department': 'Sales'}}",
        people[i][0], people[i][1], people[i][2], people[i][0], people[i][0], people[i][3]);

      g_free (create (fixture, json));
    }
}

static void
test_sort (Fixture *fixture, gconstpointer data)
{
  make_people (fixture);
  assert_names (fixture, "", "admin alma Ben carl dora");
  assert_names (fixture, "?sortBy=userName&sortOrder=descending", "dora carl Ben alma admin");
  assert_names (fixture, "?sortBy=displayName", "admin alma Ben carl dora");
  assert_names (fixture, "?sortBy=name.familyName&sortOrder=DESCENDING&count=2", "alma dora");
  assert_names (fixture, "?sortBy=" ENTERPRISE ":employeeNumber", "admin Ben carl dora alma");
  assert_names (fixture, "?sortBy=employeeNumber&sortOrder=descending",
                "alma dora carl Ben admin");
  assert_names (fixture, "?sortBy=emails.value&startIndex=2&count=2", "alma Ben");
  /* Only the administrator signs in: never-signed-in users sort first, as NULLs do. */
  {
    guint status = 0;

    g_free (test_try_sign_in (fixture->server, ADMIN_NAME, ADMIN_PASSWORD, &status));
    g_assert_cmpuint (status, ==, 200);
  }
  assert_names (fixture, "?sortBy=" "urn:roster:params:scim:schemas:extension:crm:2.0:User" ":lastLoginAt"
                         "&sortOrder=descending&count=1", "admin");
  assert_names (fixture, "?sortBy=lastLoginAt&startIndex=5", "admin");
  /* Created within the same second, so mostly ties: descending is exactly the reverse. */
  {
    g_autofree char *up = names_of (fixture, "GET", "/scim/v2/Users?sortBy=meta.created", NULL);
    g_autofree char *down = names_of (
      fixture, "GET", "/scim/v2/Users?sortBy=meta.lastModified&sortOrder=descending", NULL);
    g_auto(GStrv) words = g_strsplit (up, " ", -1);
    g_autoptr(GString) reversed = g_string_new (NULL);

    for (guint i = g_strv_length (words); i > 0; i--)
      g_string_append_printf (reversed, "%s%s", reversed->len ? " " : "", words[i - 1]);
    g_assert_cmpuint (g_strv_length (words), ==, 5);
    g_assert_cmpstr (reversed->str, ==, down);
  }

  /* Ties (both "Brown") keep one order on every page: the id breaks them. */
  {
    g_autofree char *all = names_of (fixture, "GET", "/scim/v2/Users?sortBy=name.familyName",
                                     NULL);
    g_autofree char *page1 = names_of (fixture, "GET",
                                       "/scim/v2/Users?sortBy=name.familyName&count=2", NULL);
    g_autofree char *page2 = names_of (
      fixture, "GET", "/scim/v2/Users?sortBy=name.familyName&startIndex=3&count=3", NULL);
    g_autofree char *joined = g_strconcat (page1, " ", page2, NULL);

    g_assert_cmpstr (all, ==, joined);
  }

  {
    g_autoptr(JsonNode) node = call_jq (fixture, "GET", "/scim/v2/Users?sortBy=nickName", NULL,
                                        400);
    assert_error (node, "invalid-value", "invalidValue");
  }
  {
    g_autoptr(JsonNode) node = call_jq (fixture, "GET",
                                        "/scim/v2/Users?sortBy=userName&sortOrder=sideways",
                                        NULL, 400);
    assert_error (node, "invalid-value", "invalidValue");
  }
}

static void
assert_filter (Fixture *fixture, const char *filter, const char *expected)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *query = g_strconcat ("?filter=", escaped, NULL);

  assert_names (fixture, query, expected);
}

static void
test_filter_substrings (Fixture *fixture, gconstpointer data)
{
  /* co through the substring index (migration 11): a literal longer than the 16 indexed
   * characters, folded like the column (ß is ss); a match past the 1,024 indexed positions;
   * the index follows renames and deletes. */
    g_autoptr(GString) long_name = g_string_new (NULL);
    g_autofree char *eve = create_named (fixture, "eve", "Eve Straßenbahn-Haltestellenschild");
    g_autofree char *long_id = NULL, *path = NULL;
    g_autoptr(JsonNode) deleted = NULL;

    for (guint i = 0; i < 1100; i++)
      g_string_append_c (long_name, (char) ('a' + i % 7));
    g_string_append (long_name, " Needle");
    long_id = create_named (fixture, "longname", long_name->str);
    assert_filter (fixture, "displayName co \"STRASSENBAHN-HALTESTELLEN\"", "eve");
    assert_filter (fixture, "displayName co \"hn-hal\" or userName co \"ongnam\"",
                   "eve longname");
    assert_filter (fixture, "displayName co \"needle\"", "longname");
    assert_filter (fixture, "displayName co \"strassenbahnx\"", "");
    path = user_path (eve);
    json_node_unref (call_jq (fixture, "PATCH", path,
                              "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
                              " 'Operations': [{'op': 'replace', 'path': 'displayName',"
                              " 'value': 'Eve Tram'}]}",
                              200));
    assert_filter (fixture, "displayName co \"strassen\"", "");
    assert_filter (fixture, "displayName co \"ve tra\"", "eve");
    g_clear_pointer (&path, g_free);
    path = user_path (long_id);
    g_clear_pointer (&deleted, json_node_unref);
    deleted = call_jq (fixture, "DELETE", path, NULL, 204);
    assert_filter (fixture, "displayName co \"needle\"", "");
    /* SQLite's substring index follows the users (PostgreSQL's pg_trgm is an index). */
  if (!test_db_is_postgres ())
    g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                        "SELECT count(*) FROM user_substrings s WHERE NOT "
                                        "EXISTS (SELECT 1 FROM users u WHERE u.rowid = s.row)"),
                     ==, 0);
}

static void
test_filter (Fixture *fixture, gconstpointer data)
{
  make_people (fixture);
  assert_filter (fixture, "userName eq \"BEN\"", "Ben");
  assert_filter (fixture, "userName sw \"a\"", "admin alma");
  assert_filter (fixture, "displayName co \"brown\"", "Ben carl");
  assert_filter (fixture, "displayName co \"wn\"", "Ben carl");
  assert_filter (fixture, "emails[type eq \"home\" and value co \"dora\"]", "dora");
  assert_filter (fixture, "emails co \"home.example\" and not (name.familyName eq \"Brown\")",
                 "alma dora");
  assert_filter (fixture, ENTERPRISE ":employeeNumber gt \"E2\"", "alma dora");
  assert_filter (fixture, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"
                          " eq \"sales\"",
                 "alma Ben carl dora");
  assert_filter (fixture, ROSTER ":administrator eq true", "admin");
  assert_filter (fixture, "meta.created gt \"2000-01-01T00:00:00Z\" and userName ew \"a\"",
                 "alma dora");
  assert_filter (fixture, "nickName pr", "");
  assert_filter (fixture, "active eq true and userName eq \"nobody\"", "");

  {
    g_autoptr(JsonNode) node = call_jq (fixture, "GET",
                                        "/scim/v2/Users?filter=userName%20eq", NULL, 400);
    assert_error (node, "invalid-filter", "invalidFilter");
  }
  {
    g_autoptr(JsonNode) node = call_jq (fixture, "GET",
                                        "/scim/v2/Users?filter=shoeSize%20eq%2042", NULL, 400);
    assert_error (node, "invalid-filter", "invalidFilter");
  }

  /* POST /Users/.search takes the same in its body. */
  {
    g_autofree char *names = names_of (
      fixture, "POST", "/scim/v2/Users/.search",
      "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
      " 'filter': 'name.familyName eq \\'Brown\\'', 'sortBy': 'userName',"
      " 'sortOrder': 'descending', 'attributes': ['userName'], 'startIndex': 1, 'count': 10}");

    g_assert_cmpstr (names, ==, "carl Ben");
  }
  {
    g_autoptr(JsonNode) node = call_jq (
      fixture, "POST", "/scim/v2/Users/.search",
      "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
      " 'attributes': ['displayName'], 'excludedAttributes': [], 'count': 2,"
      " 'sortBy': 'userName', 'sortOrder': 'descending'}",
      200);
    JsonObject *list = json_node_get_object (node);
    JsonObject *first = json_array_get_object_element (
      json_object_get_array_member (list, "Resources"), 0);

    g_assert_cmpint (json_object_get_int_member (list, "totalResults"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (list, "itemsPerPage"), ==, 2);
    g_assert_false (json_object_has_member (first, "userName"));
    g_assert_true (json_object_has_member (first, "displayName"));
  }
  {
    g_autoptr(JsonNode) node = call_jq (fixture, "POST", "/scim/v2/Users/.search",
                                        "{'filter': 'userName pr'}", 400);
    assert_error (node, "invalid-syntax", "invalidSyntax");
  }
  {
    g_autoptr(JsonNode) node = call_jq (
      fixture, "POST", "/scim/v2/Users/.search",
      "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], 'count': 'ten'}",
      400);
    assert_error (node, "invalid-value", "invalidValue");
  }
}

static void
test_put (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = create (fixture, "{'userName': 'pat', 'nickName': 'P',"
                                         " 'emails': [{'value': 'pat@example.com'}]}");
  g_autofree char *path = user_path (id);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) headers = NULL;
  JsonObject *user, *ext;

  {
    g_autofree char *body = jq ("{'schemas': ['" CORE "'], 'id': 'other', 'userName': 'Patricia',"
                                " 'displayName': 'Patricia P', 'active': false,"
                                " 'password': 'a new long password',"
                                " 'meta': {'version': 'W/\\'99\\''},"
                                " '" ROSTER "': {'status': 'locked', 'administrator': false,"
                                "   'emailVerified': true, 'notifyByEmail': true}}");

    node = call (fixture, "PUT", path, body, NULL, 200, &headers);
  }
  user = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (user, "userName"), ==, "Patricia");
  /* Replaced: what the body left out is gone. */
  g_assert_false (json_object_has_member (user, "nickName"));
  g_assert_false (json_object_has_member (user, "emails"));
  g_assert_false (json_object_get_boolean_member (user, "active"));
  ext = json_object_get_object_member (user, ROSTER);
  /* Read-only attributes are the server's: status follows active, emailVerified is ignored. */
  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "inactive");
  g_assert_false (json_object_has_member (ext, "emailVerified"));
  g_assert_true (json_object_get_boolean_member (ext, "notifyByEmail"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "meta"),
                                                  "version"),
                   ==, "W/\"2\"");
  g_assert_cmpstr (g_hash_table_lookup (headers, "etag"), ==, "W/\"2\"");
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM user_emails WHERE value LIKE 'pat%'"),
                   ==, 0);

  /* The new password was hashed and stored (the account is inactive, so check the hash). */
  {
    g_autofree char *query = g_strdup_printf ("SELECT password_hash LIKE '$argon2id$%%' "
                                              "AND user_name = 'Patricia' FROM users "
                                              "WHERE id = '%s'",
                                              id);

    g_assert_cmpint (test_db_query_int (fixture->server->data_dir, query), ==, 1);
  }

  /* Back to active: status becomes active again; the userName must stay unique. */
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", path, "{'userName': 'pat', 'active': true}", 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (node), ROSTER),
                     "status"),
                   ==, "active");
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", path, "{'userName': 'ADMIN'}", 409);
  assert_error (node, "user-name-taken", "uniqueness");
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", "/scim/v2/Users/nobody", "{'userName': 'x'}", 404);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", path, "{'displayName': 'no userName'}", 400);
  assert_error (node, "missing-attribute", "invalidValue");
}

typedef struct
{
  const char *operations; /* the Operations array */
  guint status;
  const char *code;       /* on failure */
  const char *check;      /* on success: SQL on the user ('%s' = id) that must give 1 */
} PatchCase;

static void
test_patch (Fixture *fixture, gconstpointer data)
{
  const PatchCase cases[] = {
    /* §3.5.2.1 add without a path: append e-mails (an identical one is not doubled), set. */
    { "[{'op': 'add', 'value': {'emails': [{'value': 'babs@jensen.net', 'type': 'home'},"
      " {'value': 'bjensen@example.com', 'type': 'work', 'primary': true}],"
      " 'nickName': 'Barbie'}}]",
      200, NULL,
      "json_array_length (resource, '$.emails') = 3 AND json_extract (resource, '$.nickName') "
      "= 'Barbie'" },
    /* add with a path to a multi-valued attribute: a single value is appended. */
    { "[{'op': 'add', 'path': 'phoneNumbers', 'value': {'value': '555-1', 'type': 'work'}}]",
      200, NULL, "json_array_length (resource, '$.phoneNumbers') = 3" },
    /* primary: true on a new value takes it from the others. */
    { "[{'op': 'add', 'path': 'emails', 'value': [{'value': 'new@example.com', 'primary': true}]}]",
      200, NULL,
      "(SELECT count(*) FROM user_emails e WHERE e.user_id = users.id AND e.\"primary\") = 1 "
      "AND email = 'new@example.com'" },
    /* add a sub-attribute of a complex attribute. */
    { "[{'op': 'add', 'path': 'name.middleName', 'value': 'Jane'}]", 200, NULL,
      "json_extract (resource, '$.name.middleName') = 'Jane' AND "
      "json_extract (resource, '$.name.givenName') = 'Barbara'" },
    /* §3.5.2.3 replace with a value filter: the matching value is replaced. */
    { "[{'op': 'replace', 'path': 'addresses[type eq \\'work\\']',"
      " 'value': {'type': 'work', 'streetAddress': '911 Universal City Plaza',"
      " 'locality': 'Hollywood', 'region': 'CA', 'postalCode': '91608', 'country': 'US',"
      " 'formatted': '911 Universal City Plaza Hollywood, CA 91608 US', 'primary': true}}]",
      200, NULL,
      "json_extract (resource, '$.addresses[0].streetAddress') = '911 Universal City Plaza' AND "
      "json_array_length (resource, '$.addresses') = 2" },
    /* replace a sub-attribute of the filtered values. */
    { "[{'op': 'replace', 'path': 'addresses[type eq \\'work\\'].streetAddress',"
      " 'value': '1010 Broadway Ave'}]",
      200, NULL,
      "json_extract (resource, '$.addresses[0].streetAddress') = '1010 Broadway Ave' AND "
      "json_extract (resource, '$.addresses[0].locality') = 'Hollywood'" },
    /* replace without a path: multi-valued attributes are replaced whole, complex ones
     * merged. */
    { "[{'op': 'replace', 'value': {'ims': [{'value': 'babs', 'type': 'xmpp'}],"
      " 'name': {'givenName': 'Barb'}, 'userType': 'Contractor'}}]",
      200, NULL,
      "json_array_length (resource, '$.ims') = 1 AND json_extract (resource, '$.ims[0].type') = "
      "'xmpp' AND json_extract (resource, '$.name.familyName') = 'Jensen' AND given_name = "
      "'Barb'" },
    /* replace with a filter that matches nothing. */
    { "[{'op': 'replace', 'path': 'emails[type eq \\'fax\\'].value', 'value': 'x@example.com'}]",
      400, "no-target", NULL },
    /* §3.5.2.2 remove with a filter, and of a whole attribute. */
    { "[{'op': 'remove', 'path': 'emails[type eq \\'home\\' and value ew \\'jensen.org\\']'}]",
      200, NULL,
      "json_array_length (resource, '$.emails') = 3 AND (SELECT count(*) FROM user_emails e "
      "WHERE e.user_id = users.id) = 3" },
    { "[{'op': 'remove', 'path': 'x509Certificates'}]", 200, NULL,
      "json_type (resource, '$.x509Certificates') IS NULL" },
    { "[{'op': 'remove', 'path': 'photos[type eq \\'none\\']'}]", 400, "no-target", NULL },
    { "[{'op': 'remove'}]", 400, "no-target", NULL },
    { "[{'op': 'remove', 'path': 'userName'}]", 400, "missing-attribute", NULL },
    /* Read-only attributes cannot be targeted. */
    { "[{'op': 'replace', 'path': '" ROSTER ":status', 'value': 'active'}]", 400, "mutability",
      NULL },
    { "[{'op': 'add', 'path': 'groups', 'value': [{'value': 'g'}]}]", 400, "mutability", NULL },
    { "[{'op': 'replace', 'path': 'id', 'value': 'x'}]", 400, "mutability", NULL },
    /* Paths and values are checked against the schema. */
    { "[{'op': 'add', 'path': 'shoeSize', 'value': 42}]", 400, "invalid-path", NULL },
    { "[{'op': 'add', 'path': 'name.nickName', 'value': 'x'}]", 400, "invalid-path", NULL },
    { "[{'op': 'add', 'path': 'emails[type eq]', 'value': 'x'}]", 400, "invalid-path", NULL },
    { "[{'op': 'add', 'path': 'nickName', 'value': 42}]", 400, "invalid-value", NULL },
    { "[{'op': 'add', 'value': {'shoeSize': 42}}]", 400, "invalid-syntax", NULL },
    { "[{'op': 'add', 'path': 'emails', 'value': [{'value': 'not an address'}]}]", 400,
      "invalid-value", NULL },
    { "[{'op': 'move', 'path': 'nickName'}]", 400, "invalid-syntax", NULL },
    /* Atomic: the first operation is valid, the second is not; nothing changes. */
    { "[{'op': 'replace', 'path': 'nickName', 'value': 'Changed'},"
      " {'op': 'replace', 'path': 'active', 'value': 'yes'}]",
      400, "invalid-value", NULL },
    /* Extension attributes, with and without the URN in the path. */
    { "[{'op': 'add', 'path': '" ENTERPRISE ":department', 'value': 'Tours'},"
      " {'op': 'add', 'value': {'" ROSTER "': {'notifyByEmail': true}}},"
      " {'op': 'Replace', 'path': 'displayName', 'value': 'Babs J.'}]",
      200, NULL,
      "json_extract (resource, '$.\"" ENTERPRISE "\".department') = 'Tours' AND "
      "json_extract (resource, '$.\"" ROSTER "\".notifyByEmail') = 1 AND display_name = "
      "'Babs J.'" },
  };
  g_autofree char *full = jq (rfc_8_2);
  g_autoptr(JsonNode) created = call (fixture, "POST", "/scim/v2/Users", full, NULL, 201, NULL);
  const char *id = json_object_get_string_member (json_node_get_object (created), "id");
  g_autofree char *path = user_path (id);
  gint64 version = 1;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ops = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': %s}",
                                              cases[i].operations);
      g_autofree char *before = db_snapshot (fixture);
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("case %u: %s", i, cases[i].operations);
      node = call_jq (fixture, "PATCH", path, ops, cases[i].status);
      if (cases[i].status != 200)
        {
          g_autofree char *after = db_snapshot (fixture);

          assert_error (node, cases[i].code, NULL);
          g_assert_cmpstr (before, ==, after);
          continue;
        }
      version++;
      {
        g_autofree char *expected = g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
        g_autofree char *query = g_strdup_printf ("SELECT %s FROM users WHERE id = '%s'",
                                                  cases[i].check, id);
        g_autoptr(JsonNode) fetched = NULL;

        g_assert_cmpstr (json_object_get_string_member (
                           json_object_get_object_member (json_node_get_object (node), "meta"),
                           "version"),
                         ==, expected);
        /* The checks are in SQLite's JSON functions; in PostgreSQL the stored resource is
         * still compared with the answer below. */
        if (!test_db_is_postgres ())
          g_assert_cmpint (test_db_query_int (fixture->server->data_dir, query), ==, 1);
        /* The answer is the stored resource. */
        get_user (fixture, id, &fetched);
        g_assert_true (json_node_equal (node, fetched));
      }
    }

  /* A password set by PATCH is hashed and works. */
  {
    g_autoptr(JsonNode) node = call_jq (
      fixture, "PATCH", path,
      "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': 'password',"
      " 'value': 'patched password'}]}",
      200);

    g_assert_false (json_object_has_member (json_node_get_object (node), "password"));
    g_free (roster_test_server_sign_in (fixture->server, "bjensen@example.com",
                                        "patched password"));
  }
  {
    g_autoptr(JsonNode) node = call_jq (fixture, "PATCH", path,
                                        "{'Operations': [{'op': 'add', 'path': 'nickName',"
                                        " 'value': 'x'}]}",
                                        400);
    assert_error (node, "invalid-syntax", "invalidSyntax");
  }
}

static void
test_etags (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = create_named (fixture, "etag", "E Tag");
  g_autofree char *path = user_path (id);
  g_autofree char *v1 = get_version (fixture, id);
  g_autofree char *v2 = NULL;
  g_autofree char *before = NULL;
  g_autofree char *json = jq ("{'userName': 'etag', 'displayName': 'Changed'}");
  g_autofree char *patch = jq ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                               " 'path': 'displayName', 'value': 'Patched'}]}");
  g_autoptr(GHashTable) headers = NULL;

  g_assert_cmpstr (v1, ==, "W/\"1\"");
  /* A matching If-Match writes. */
  {
    const char *const h[] = { "If-Match", v1, NULL };
    g_autoptr(JsonNode) node = call (fixture, "PUT", path, json, h, 200, NULL);
  }
  v2 = get_version (fixture, id);
  g_assert_cmpstr (v2, ==, "W/\"2\"");
  before = db_snapshot (fixture);

  /* A stale one is 412, for PUT, PATCH and DELETE, and nothing changes. */
  {
    const char *const h[] = { "If-Match", v1, NULL };
    g_autoptr(JsonNode) put = call (fixture, "PUT", path, json, h, 412, NULL);
    g_autoptr(JsonNode) patched = call (fixture, "PATCH", path, patch, h, 412, NULL);
    g_autoptr(JsonNode) deleted = call (fixture, "DELETE", path, NULL, h, 412, NULL);
    g_autofree char *after = db_snapshot (fixture);
    g_autoptr(JsonNode) fetched = NULL;
    JsonObject *user = get_user (fixture, id, &fetched);

    assert_error (put, "precondition-failed", NULL);
    assert_error (patched, "precondition-failed", NULL);
    assert_error (deleted, "precondition-failed", NULL);
    g_assert_cmpstr (before, ==, after);
    g_assert_cmpstr (json_object_get_string_member (user, "displayName"), ==, "Changed");
  }
  /* Weak and strong forms, lists and * all compare by version. */
  {
    g_autofree char *list = g_strconcat ("\"7\", ", v2, NULL);
    const char *const h[] = { "If-Match", list, NULL };
    g_autoptr(JsonNode) node = call (fixture, "PATCH", path, patch, h, 200, NULL);
  }
  {
    const char *const h[] = { "If-Match", "*", NULL };
    g_autoptr(JsonNode) node = call (fixture, "PATCH", path, patch, h, 200, NULL);
  }
  {
    const char *const h[] = { "If-Match", "\"4\"", NULL };
    g_autoptr(JsonNode) node = call (fixture, "PATCH", path, patch, h, 200, NULL);
  }

  /* If-None-Match with the current version: 304 without a body. */
  {
    const char *const h[] = { "If-None-Match", "W/\"5\"", NULL };
    g_autofree char *body = roster_test_server_request_headers (fixture->server, "GET", path,
                                                                fixture->token, NULL, h, NULL,
                                                                &headers);
    guint status = 0;

    g_free (roster_test_server_request_headers (fixture->server, "GET", path, fixture->token,
                                                NULL, h, &status, NULL));
    g_assert_cmpuint (status, ==, 304);
    g_assert_cmpstr (body, ==, "");
    g_assert_cmpstr (g_hash_table_lookup (headers, "etag"), ==, "W/\"5\"");
  }
  {
    const char *const h[] = { "If-None-Match", "W/\"4\"", NULL };
    g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, h, 200, NULL);
  }
  /* DELETE with the current version. */
  {
    const char *const h[] = { "If-Match", "W/\"5\"", NULL };
    g_autoptr(JsonNode) node = call (fixture, "DELETE", path, NULL, h, 204, NULL);
  }
}

static void
test_delete (Fixture *fixture, gconstpointer data)
{
  g_autofree char *boss = create_named (fixture, "boss", "The Boss");
  g_autofree char *json = g_strdup_printf ("{'userName': 'worker', 'emails': [{'value': "
                                           "'w@example.com'}], '" ENTERPRISE "': {'manager': "
                                           "{'value': '%s'}}, '" ROSTER "': {'secondaryManager':"
                                           " {'value': '%s'}}}",
                                           boss, boss);
  g_autofree char *worker = create (fixture, json);
  g_autofree char *boss_path = user_path (boss);
  g_autofree char *worker_path = user_path (worker);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *user;

  g_free (roster_test_server_sign_in (fixture->server, ADMIN_NAME, ADMIN_PASSWORD));
  node = call (fixture, "DELETE", boss_path, NULL, NULL, 204, NULL);
  g_assert_null (node);
  node = call (fixture, "GET", boss_path, NULL, NULL, 404, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "DELETE", boss_path, NULL, NULL, 404, NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Whoever they managed has no manager now, and a new version. */
  user = get_user (fixture, worker, &node);
  g_assert_false (json_object_has_member (user, ENTERPRISE));
  g_assert_false (json_object_has_member (json_object_get_object_member (user, ROSTER),
                                          "secondaryManager"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "meta"),
                                                  "version"),
                   ==, "W/\"2\"");
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "DELETE", worker_path, NULL, NULL, 204, NULL);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM user_emails"),
                   ==, 1);
}

static void
test_last_administrator (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) me = call_jq (fixture, "GET", "/scim/v2/Users?filter=userName%20eq%20%22"
                                    ADMIN_NAME "%22", NULL, 200);
  const char *id = json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (me), "Resources"), 0),
    "id");
  g_autofree char *path = user_path (id);
  g_autofree char *before = db_snapshot (fixture);
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = call (fixture, "DELETE", path, NULL, NULL, 409, NULL);
  assert_error (node, "last-administrator", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PATCH", path,
                  "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path':"
                  " 'active', 'value': false}]}",
                  409);
  assert_error (node, "last-administrator", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PATCH", path,
                  "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': '"
                  ROSTER ":administrator', 'value': false}]}",
                  409);
  {
    g_autofree char *after = db_snapshot (fixture);

    g_assert_cmpstr (before, ==, after);
  }

  /* With a second active administrator, the first may go. */
  second = create (fixture, "{'userName': 'second', '" ROSTER "': {'administrator': true}}");
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "DELETE", path, NULL, NULL, 204, NULL);
}

static void
test_managers (Fixture *fixture, gconstpointer data)
{
  g_autofree char *a = create_named (fixture, "a", "A");
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *json = NULL;
  g_autofree char *before = NULL;
  g_autofree char *a_path = user_path (a);
  g_autoptr(JsonNode) node = NULL;

  /* b reports to a, c to b. */
  json = g_strdup_printf ("{'userName': 'b', '" ENTERPRISE "': {'manager': {'value': '%s'}}}", a);
  b = create (fixture, json);
  g_free (json);
  json = g_strdup_printf ("{'userName': 'c', '" ENTERPRISE "': {'manager': {'$ref': "
                          "'%s/scim/v2/Users/%s', 'displayName': 'ignored'}}}",
                          fixture->server->base_url, b);
  c = create (fixture, json);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM users WHERE manager_id IS NOT NULL"),
                   ==, 2);
  before = db_snapshot (fixture);

  {
    const char *refused[] = {
      /* a manager that does not exist */
      "{'userName': 'd', '" ENTERPRISE "': {'manager': {'value': 'nobody'}}}",
      "{'userName': 'd', '" ROSTER "': {'secondaryManager': {'value': 'nobody'}}}",
      "{'userName': 'd', '" ENTERPRISE "': {'manager': {'$ref': 'https://elsewhere/x'}}}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_clear_pointer (&node, json_node_unref);
        node = call_jq (fixture, "POST", "/scim/v2/Users", refused[i], 400);
        assert_error (node, "invalid-value", "invalidValue");
      }
  }
  /* Oneself, and a cycle a → c → b → a. */
  g_free (json);
  json = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': '"
                          ENTERPRISE ":manager', 'value': {'value': '%s'}}]}",
                          a);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PATCH", a_path, json, 400);
  assert_error (node, "invalid-value", "invalidValue");
  g_free (json);
  json = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': '"
                          ENTERPRISE ":manager.value', 'value': '%s'}]}",
                          c);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PATCH", a_path, json, 400);
  assert_error (node, "invalid-value", "invalidValue");
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (node), "detail"),
                            "cycle"));
  g_free (json);
  json = g_strdup_printf ("{'userName': 'a', '" ROSTER "': {'secondaryManager': {'value': '%s'}}}",
                          a);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", a_path, json, 400);
  assert_error (node, "invalid-value", "invalidValue");
  {
    g_autofree char *after = db_snapshot (fixture);

    g_assert_cmpstr (before, ==, after);
  }
  /* A secondary manager may be anyone else, even someone a manages. */
  g_free (json);
  json = g_strdup_printf ("{'userName': 'a', '" ROSTER "': {'secondaryManager': {'value': '%s'}}}",
                          c);
  g_clear_pointer (&node, json_node_unref);
  node = call_jq (fixture, "PUT", a_path, json, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (node), ROSTER),
                       "secondaryManager"),
                     "value"),
                   ==, c);
}

static void
assert_attributes (JsonArray *attributes, const char *where)
{
  static const char *const always[] = { "name", "type", "multiValued", "description", "required",
                                        "mutability", "returned", NULL };

  g_assert_cmpuint (json_array_get_length (attributes), >, 0);
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *a = json_array_get_object_element (attributes, i);
      const char *type = json_object_get_string_member (a, "type");

      for (guint j = 0; always[j] != NULL; j++)
        if (!json_object_has_member (a, always[j]))
          g_error ("%s.%s has no %s", where, json_object_get_string_member (a, "name"),
                   always[j]);
      if (g_str_equal (type, "complex"))
        {
          g_autofree char *sub = g_strconcat (where, ".",
                                              json_object_get_string_member (a, "name"), NULL);

          assert_attributes (json_object_get_array_member (a, "subAttributes"), sub);
        }
      else
        {
          g_assert_true (json_object_has_member (a, "caseExact"));
          if (!g_str_equal (type, "boolean"))
            g_assert_true (json_object_has_member (a, "uniqueness"));
        }
      if (g_str_equal (type, "reference"))
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a,
                                                                               "referenceTypes")),
                          >, 0);
    }
}

static JsonObject *
find_attribute (JsonArray *attributes, const char *name)
{
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (attributes, i),
                                                    "name"),
                     name))
      return json_array_get_object_element (attributes, i);
  g_error ("no attribute %s", name);
}

static void
test_discovery (Fixture *fixture, gconstpointer data)
{
  const char *ids[] = { CORE, ENTERPRISE, ROSTER };
  g_autoptr(JsonNode) list = call_jq (fixture, "GET", "/scim/v2/Schemas", NULL, 200);
  JsonObject *object = json_node_get_object (list);
  JsonArray *resources = json_object_get_array_member (object, "Resources");

  /* User's three, then Group's two, Role's one (test-rosterd-groups.c), AuditEvent's
   * (test-rosterd-audit.c), DeletedUser's and Record's (test-rosterd-delete.c). */
  g_assert_cmpint (json_object_get_int_member (object, "totalResults"), ==, 9);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *schema = json_array_get_object_element (resources, i);
      g_autofree char *path = g_strconcat ("/scim/v2/Schemas/", ids[i], NULL);
      g_autoptr(JsonNode) one = call_jq (fixture, "GET", path, NULL, 200);
      g_autofree char *location = g_strconcat (fixture->server->base_url, path, NULL);

      g_assert_cmpstr (json_object_get_string_member (schema, "id"), ==, ids[i]);
      g_assert_true (json_object_equal (schema, json_node_get_object (one)));
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (schema,
                                                                                    "schemas"),
                                                      0),
                       ==, "urn:ietf:params:scim:schemas:core:2.0:Schema");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (schema,
                                                                                     "meta"),
                                                      "location"),
                       ==, location);
      assert_attributes (json_object_get_array_member (schema, "attributes"), ids[i]);
    }
  {
    JsonArray *core = json_object_get_array_member (json_array_get_object_element (resources, 0),
                                                    "attributes");
    JsonArray *ext = json_object_get_array_member (json_array_get_object_element (resources, 2),
                                                   "attributes");
    const char *core_names[] = { "userName", "name", "displayName", "nickName", "profileUrl",
                                 "title", "userType", "preferredLanguage", "locale", "timezone",
                                 "active", "password", "emails", "phoneNumbers", "ims", "photos",
                                 "addresses", "groups", "entitlements", "roles",
                                 "x509Certificates" };
    JsonObject *a;

    for (guint i = 0; i < G_N_ELEMENTS (core_names); i++)
      find_attribute (core, core_names[i]);
    a = find_attribute (core, "password");
    g_assert_cmpstr (json_object_get_string_member (a, "mutability"), ==, "writeOnly");
    g_assert_cmpstr (json_object_get_string_member (a, "returned"), ==, "never");
    a = find_attribute (core, "userName");
    g_assert_true (json_object_get_boolean_member (a, "required"));
    g_assert_cmpstr (json_object_get_string_member (a, "uniqueness"), ==, "server");
    a = find_attribute (core, "groups");
    g_assert_cmpstr (json_object_get_string_member (a, "mutability"), ==, "readOnly");
    a = find_attribute (json_object_get_array_member (find_attribute (core, "addresses"),
                                                      "subAttributes"),
                        "type");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "canonicalValues")),
                      ==, 3);
    a = find_attribute (ext, "status");
    g_assert_cmpstr (json_object_get_string_member (a, "mutability"), ==, "readOnly");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "canonicalValues")),
                      ==, 4);
    find_attribute (json_object_get_array_member (find_attribute (ext, "lock"), "subAttributes"),
                    "since");
  }

  {
    g_autoptr(JsonNode) types = call_jq (fixture, "GET", "/scim/v2/ResourceTypes", NULL, 200);
    g_autoptr(JsonNode) user = call_jq (fixture, "GET", "/scim/v2/ResourceTypes/User", NULL, 200);
    JsonObject *type = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (types), "Resources"), 0);
    JsonArray *extensions = json_object_get_array_member (type, "schemaExtensions");

    g_assert_true (json_object_equal (type, json_node_get_object (user)));
    g_assert_cmpstr (json_object_get_string_member (type, "endpoint"), ==, "/Users");
    g_assert_cmpstr (json_object_get_string_member (type, "schema"), ==, CORE);
    g_assert_cmpuint (json_array_get_length (extensions), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (extensions, 0),
                                                    "schema"),
                     ==, ENTERPRISE);
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (extensions, 1),
                                                    "required"));
  }
}

static void
test_bad_input (Fixture *fixture, gconstpointer data)
{
  const struct
  {
    const char *json;
    const char *code;
  } cases[] = {
    { "{'userName': 'x', 'shoeSize': 42}", "invalid-syntax" },
    { "{'userName': 'x', 'name': {'nickName': 'y'}}", "invalid-syntax" },
    { "{'userName': 'x', 'urn:example:unknown:2.0:User': {'a': 1}}", "invalid-syntax" },
    { "{'userName': 'x', '" ENTERPRISE "': {'shoeSize': 42}}", "invalid-syntax" },
    { "{'userName': 'x', 'USERNAME': 'y'}", "invalid-syntax" },
    { "{'userName': 'x', 'displayName': ['a']}", "invalid-value" },
    { "{'userName': 'x', 'name': 'Barbara'}", "invalid-value" },
    { "{'userName': 'x', 'name': {'givenName': 7}}", "invalid-value" },
    { "{'userName': 'x', 'active': 'yes'}", "invalid-value" },
    { "{'userName': 'x', 'emails': {'value': 'a@example.com'}}", "invalid-value" },
    { "{'userName': 'x', 'emails': [{'type': 'work'}]}", "invalid-value" },
    { "{'userName': 'x', 'emails': ['a@example.com']}", "invalid-value" },
    { "{'userName': 'x', 'emails': [{'value': 'a@example.com', 'primary': 'true'}]}",
      "invalid-value" },
    { "{'userName': 'x', 'emails': [{'value': 'a@example.com', 'primary': true},"
      " {'value': 'b@example.com', 'primary': true}]}",
      "invalid-value" },
    { "{'userName': 'x', 'phoneNumbers': [{'value': 5555}]}", "invalid-value" },
    { "{'userName': 'x', 'x509Certificates': [{'value': 'not base64!'}]}", "invalid-value" },
    { "{'userName': 'x', '" ROSTER "': {'administrator': 1}}", "invalid-value" },
    { "{'userName': 'x', '" ROSTER "': 'admin'}", "invalid-value" },
    { "{'userName': 'x', '" ENTERPRISE "': {'manager': 'boss'}}", "invalid-value" },
    { "{'userName': 'x', 'password': ['a', 'b']}", "invalid-value" },
    { "{'userName': ''}", "missing-attribute" },
  };
  g_autofree char *before = db_snapshot (fixture);
  g_autoptr(GString) deep = g_string_new ("{\"userName\": \"deep\", \"name\": ");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      node = call_jq (fixture, "POST", "/scim/v2/Users", cases[i].json, 400);
      assert_error (node, cases[i].code, NULL);
    }

  /* 1000 levels of nesting, in an attribute and in an unknown one; and deeper still. */
  for (guint n = 0; n < 1000; n++)
    g_string_append (deep, "{\"a\": ");
  g_string_append (deep, "1");
  for (guint n = 0; n < 1000; n++)
    g_string_append_c (deep, '}');
  g_string_append_c (deep, '}');
  {
    g_autoptr(JsonNode) node = call (fixture, "POST", "/scim/v2/Users", deep->str, NULL, 400,
                                     NULL);
    assert_error (node, "invalid-syntax", "invalidSyntax");
  }
  {
    g_autofree char *brackets = g_malloc (200001);

    memset (brackets, '[', 200000);
    brackets[200000] = '\0';
    {
      g_autoptr(JsonNode) node = call (fixture, "POST", "/scim/v2/Users", brackets, NULL, 400,
                                       NULL);
      assert_error (node, "invalid-syntax", "invalidSyntax");
    }
  }
  {
    g_autofree char *after = db_snapshot (fixture);

    g_assert_cmpstr (before, ==, after);
    g_assert_cmpint (test_db_query_int (fixture->server->data_dir, "SELECT count(*) FROM users"),
                     ==, 1);
  }
  /* PUT and PATCH refuse the same, and leave the user as it was. */
  {
    g_autoptr(JsonNode) me = call_jq (fixture, "GET", "/scim/v2/Users", NULL, 200);
    const char *id = json_object_get_string_member (
      json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (me), "Resources"), 0),
      "id");
    g_autofree char *path = user_path (id);

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(JsonNode) node = call_jq (fixture, "PUT", path, cases[i].json, 400);

        assert_error (node, cases[i].code, NULL);
      }
    {
      g_autoptr(JsonNode) node = call (fixture, "PUT", path, deep->str, NULL, 400, NULL);
      g_autoptr(JsonNode) patched = call_jq (fixture, "PATCH", path,
                                             "{'schemas': ['" PATCH_OP "'], 'Operations':"
                                             " [{'op': 'add', 'value': {'title': 7}}]}",
                                             400);
    }
    {
      g_autofree char *after = db_snapshot (fixture);

      g_assert_cmpstr (before, ==, after);
    }
  }
}

/* A database written by rosterd before migration 2 is upgraded with its users intact. */
static void
test_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rosterd-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "roster.db", NULL);
  RosterTestServer *server;
  sqlite3 *db = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *user;
  guint status = 0;

  g_assert_no_error (error);
  if (test_skip_unless_sqlite ("a roster.db of an older rosterd"))
    {
      test_remove_tree (dir);
      return;
    }
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
    sqlite3_exec (
      db,
      "CREATE TABLE users (id TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL,"
      " user_name_folded TEXT NOT NULL UNIQUE, given_name TEXT, family_name TEXT,"
      " display_name TEXT, email TEXT, active INTEGER NOT NULL DEFAULT 1,"
      " status TEXT NOT NULL DEFAULT 'active', administrator INTEGER NOT NULL DEFAULT 0,"
      " password_hash TEXT, created INTEGER NOT NULL, last_modified INTEGER NOT NULL,"
      " version INTEGER NOT NULL DEFAULT 1);"
      "CREATE INDEX users_user_name ON users (user_name);"
      "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL"
      " REFERENCES users (id) ON DELETE CASCADE, created INTEGER NOT NULL,"
      " expires INTEGER NOT NULL, last_used INTEGER NOT NULL, user_agent TEXT,"
      " peer_address TEXT);"
      "CREATE INDEX sessions_user_id ON sessions (user_id);"
      "CREATE TABLE setup (id INTEGER PRIMARY KEY CHECK (id = 1), done INTEGER NOT NULL"
      " DEFAULT 0, token_hash TEXT);"
      "INSERT INTO setup VALUES (1, 1, NULL);"
      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
      "INSERT INTO schema_version VALUES (1);"
      "INSERT INTO users VALUES ('11111111-1111-4111-8111-111111111111', 'Old', 'old', 'Olga',"
      " NULL, 'Olga D', 'olga@example.com', 1, 'active', 1, NULL, 1700000000, 1700000500, 3);",
      NULL, NULL, NULL),
    ==, SQLITE_OK);
  sqlite3_close (db);

  server = roster_test_server_start_in (dir, NULL);
  /* A session made by hand (tokens are stored as their SHA-256): the old user has no
   * password to sign in with. */
  g_assert_cmpint (test_db_query_int (dir, "SELECT version FROM schema_version"), ==,
                   TEST_SCHEMA_VERSION);
  {
    sqlite3 *rw = NULL;
    g_autofree char *hash = NULL;
    GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);

    token = g_strdup ("migration-test-token");
    g_checksum_update (checksum, (const guchar *) token, -1);
    hash = g_strdup (g_checksum_get_string (checksum));
    g_checksum_free (checksum);
    g_assert_cmpint (sqlite3_open (db_path, &rw), ==, SQLITE_OK);
    sqlite3_busy_timeout (rw, 5000);
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO sessions (token_hash, user_id, created, expires, last_used)"
        " VALUES ('%s', '11111111-1111-4111-8111-111111111111', 0, 9999999999,"
        " CAST (strftime ('%%s', 'now') AS INTEGER))",
        hash);

      g_assert_cmpint (sqlite3_exec (rw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
    sqlite3_close (rw);
  }
  body = roster_test_server_request (server, "GET",
                                     "/scim/v2/Users/11111111-1111-4111-8111-111111111111",
                                     token, NULL, NULL, &status);
  {
      g_assert_cmpuint (status, ==, 200);
      node = test_parse_object (body);
      user = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (user, "userName"), ==, "Old");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user,
                                                                                     "name"),
                                                      "givenName"),
                       ==, "Olga");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user,
                                                                                     "meta"),
                                                      "version"),
                       ==, "W/\"3\"");
    }
  g_assert_cmpint (test_db_query_int (dir, "SELECT json_extract (resource, '$.emails[0].value')"
                                           " = 'olga@example.com' AND json_extract (resource,"
                                           " '$.\"" ROSTER "\".administrator') = 1 AND"
                                           " display_name_folded = 'olga d' FROM users"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM user_emails"), ==, 1);
  g_assert_cmpint (test_db_query_int (dir, "SELECT count(*) FROM user_substrings WHERE "
                                           "attribute = 2 AND substring = 'lga d'"),
                   ==, 1);
  roster_test_server_stop (server);
  test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/rosterd/scim-users/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("rfc-full-user", test_rfc_full_user);
  ADD ("rfc-enterprise-user", test_rfc_enterprise_user);
  ADD ("projection", test_projection);
  ADD ("sort", test_sort);
  ADD ("filter", test_filter);
  ADD ("filter-substrings", test_filter_substrings);
  ADD ("put", test_put);
  ADD ("patch", test_patch);
  ADD ("etags", test_etags);
  ADD ("delete", test_delete);
  ADD ("last-administrator", test_last_administrator);
  ADD ("managers", test_managers);
  ADD ("discovery", test_discovery);
  ADD ("bad-input", test_bad_input);
  g_test_add_func ("/rosterd/scim-users/migration", test_migration);

#undef ADD

  return g_test_run ();
}
