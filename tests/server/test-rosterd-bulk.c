/* test-rosterd-bulk.c: POST /scim/v2/Bulk (RFC 7644 §3.7) against a real rosterd
 *
 * The RFC's example (a user and a group that refers to it by bulkId), dependency order,
 * circular and unknown references, failOnErrors, the limits, per-operation permissions and
 * atomicity: every failed operation is re-read to have left nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define BULK_REQUEST "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
#define BULK_RESPONSE "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define PASSWORD "correct horse battery staple"

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

/* POSTs a BulkRequest with @jq_operations (test_jq() JSON of the "Operations" array) and
 * the extra top-level members @jq_extra ("'failOnErrors': 1, "). */
static JsonNode *
bulk (Fixture *fixture, const char *token, const char *jq_extra, const char *jq_operations,
      guint status)
{
  g_autofree char *body = g_strdup_printf ("{'schemas': ['" BULK_REQUEST "'], %s"
                                           "'Operations': %s}",
                                           jq_extra != NULL ? jq_extra : "", jq_operations);

  return test_call (fixture->server, token != NULL ? token : fixture->token, "POST",
                    "/scim/v2/Bulk", body, NULL, status, NULL);
}

static JsonArray *
results (JsonNode *response)
{
  JsonObject *object = json_node_get_object (response);

  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object,
                                                                                "schemas"),
                                                  0),
                   ==, BULK_RESPONSE);
  return json_object_get_array_member (object, "Operations");
}

static JsonObject *
result (JsonNode *response, guint index)
{
  return json_array_get_object_element (results (response), index);
}

static const char *
result_status (JsonNode *response, guint index)
{
  return json_object_get_string_member (result (response, index), "status");
}

/* The id at the end of a result's location. */
static char *
result_id (JsonNode *response, guint index)
{
  const char *location = json_object_get_string_member (result (response, index), "location");

  return g_strdup (strrchr (location, '/') + 1);
}

/* Asserts the result at @index failed with @status and the Roster error @code. */
static void
assert_failed (JsonNode *response, guint index, const char *status, const char *code,
               const char *scim_type)
{
  JsonObject *op = result (response, index);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *error = NULL;

  g_assert_cmpstr (json_object_get_string_member (op, "status"), ==, status);
  json_generator_set_root (generator, json_object_get_member (op, "response"));
  error = json_generator_to_data (generator, NULL);
  test_assert_scim_error (error, (guint) g_ascii_strtoull (status, NULL, 10), code, scim_type);
}

static gint64
count_users (Fixture *fixture, const char *user_name)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM users WHERE user_name = '%s'", user_name);

  return test_db_query_int (fixture->server->data_dir, sql);
}

static gint64
count_groups (Fixture *fixture, const char *display_name)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM groups WHERE display_name = '%s'", display_name);

  return test_db_query_int (fixture->server->data_dir, sql);
}

/* RFC 7644 §3.7.2: a user, and a group whose member is that user by bulkId; the group comes
 * first in the request, and a second user's manager is the first user, so the server must
 * order them. Then PUT, PATCH and DELETE by bulk, with versions. */
static void
test_rfc_example (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) group = NULL;
  g_autoptr(JsonNode) bob = NULL;
  g_autoptr(JsonNode) alice = NULL;
  g_autofree char *alice_id = NULL, *bob_id = NULL, *group_id = NULL;
  g_autofree char *ops = NULL, *path = NULL, *version = NULL;
  g_auto(GStrv) parts = NULL;
  JsonObject *op;
  JsonArray *members;

  response = bulk (fixture, NULL, NULL,
                   "[{'method': 'POST', 'path': '/Groups', 'bulkId': 'ytrewq',"
                   "  'data': {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                   "           'displayName': 'Tour Guides',"
                   "           'members': [{'type': 'User', 'value': 'bulkId:qwerty'}]}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'qwerty',"
                   "  'data': {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User'],"
                   "           'userName': 'Alice', 'password': '" PASSWORD "'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'bob',"
                   "  'data': {'userName': 'Bob',"
                   "           '" ENTERPRISE "': {'manager': {'value': 'bulkId:qwerty'}}}}]",
                   200);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      op = result (response, i);
      g_assert_cmpstr (json_object_get_string_member (op, "method"), ==, "POST");
      g_assert_cmpstr (json_object_get_string_member (op, "status"), ==, "201");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (op, "version"), "W/\""));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (op, "location"),
                                       fixture->server->base_url));
      /* Successes carry no body: the location is where to read it. */
      g_assert_false (json_object_has_member (op, "response"));
    }
  g_assert_cmpstr (json_object_get_string_member (result (response, 0), "bulkId"), ==,
                   "ytrewq");
  group_id = result_id (response, 0);
  alice_id = result_id (response, 1);
  bob_id = result_id (response, 2);

  path = g_strconcat ("/scim/v2/Groups/", group_id, NULL);
  group = test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
  members = json_object_get_array_member (json_node_get_object (group), "members");
  g_assert_cmpuint (json_array_get_length (members), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (members, 0),
                                                  "value"),
                   ==, alice_id);
  g_clear_pointer (&path, g_free);
  path = g_strconcat ("/scim/v2/Users/", bob_id, NULL);
  bob = test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (bob), ENTERPRISE),
                       "manager"),
                     "value"),
                   ==, alice_id);
  /* The password went through the same hashing as a single POST: Alice can sign in. */
  g_free (roster_test_server_sign_in (fixture->server, "Alice", PASSWORD));

  /* PUT, PATCH and DELETE, with the versions just returned; a stale one is 412. The
   * version's quotes are escaped as \' for test_jq(). */
  parts = g_strsplit (json_object_get_string_member (result (response, 1), "version"), "\"", -1);
  version = g_strjoinv ("\\'", parts);
  ops = g_strdup_printf (
    "[{'method': 'PATCH', 'path': '/Users/%s', 'version': '%s',"
    "  'data': {'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
    "           'path': 'displayName', 'value': 'Alice A.'}]}},"
    " {'method': 'PUT', 'path': '/Groups/%s',"
    "  'data': {'displayName': 'Guides', 'members': [{'value': '%s'}, {'value': '%s'}]}},"
    " {'method': 'DELETE', 'path': '/Users/%s', 'version': 'W/\\'999\\''}]",
    alice_id, version, group_id,
    alice_id, bob_id, bob_id);
  /* test_jq turns the \' into \", an escaped quote inside the version. */
  second = bulk (fixture, NULL, NULL, ops, 200);
  g_assert_cmpstr (result_status (second, 0), ==, "200");
  g_assert_cmpstr (json_object_get_string_member (result (second, 0), "location"), ==,
                   json_object_get_string_member (result (response, 1), "location"));
  g_assert_cmpstr (result_status (second, 1), ==, "200");
  assert_failed (second, 2, "412", "precondition-failed", NULL);
  g_assert_cmpint (count_users (fixture, "Bob"), ==, 1);
  g_clear_pointer (&path, g_free);
  path = g_strconcat ("/scim/v2/Users/", alice_id, NULL);
  alice = test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (alice), "displayName"),
                   ==, "Alice A.");
  g_assert_cmpint (count_groups (fixture, "Guides"), ==, 1);
}

/* failOnErrors: after that many errors the rest is not run (and not answered). */
static void
test_fail_on_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) unlimited = NULL;
  g_autofree char *text = NULL;

  g_free (test_create (fixture->server, fixture->token, "/scim/v2/Users",
                       "{'userName': 'taken'}"));
  response = bulk (fixture, NULL, "'failOnErrors': 2, ",
                   "[{'method': 'POST', 'path': '/Users', 'bulkId': 'a',"
                   "  'data': {'userName': 'first'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'b',"
                   "  'data': {'userName': 'taken'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'c',"
                   "  'data': {'userName': 'second'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'd',"
                   "  'data': {'userName': 'taken'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'e',"
                   "  'data': {'userName': 'never'}}]",
                   200);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 4);
  g_assert_cmpstr (result_status (response, 0), ==, "201");
  assert_failed (response, 1, "409", "user-name-taken", "uniqueness");
  g_assert_cmpstr (result_status (response, 2), ==, "201");
  assert_failed (response, 3, "409", "user-name-taken", "uniqueness");
  g_assert_cmpint (count_users (fixture, "first"), ==, 1);
  g_assert_cmpint (count_users (fixture, "second"), ==, 1);
  g_assert_cmpint (count_users (fixture, "never"), ==, 0);

  /* Without failOnErrors every operation runs. */
  unlimited = bulk (fixture, NULL, NULL,
                    "[{'method': 'POST', 'path': '/Users', 'bulkId': 'a',"
                    "  'data': {'userName': 'taken'}},"
                    " {'method': 'POST', 'path': '/Users', 'bulkId': 'b',"
                    "  'data': {'userName': 'never'}}]",
                    200);
  g_assert_cmpuint (json_array_get_length (results (unlimited)), ==, 2);
  g_assert_cmpstr (result_status (unlimited, 1), ==, "201");

  /* failOnErrors must be a positive whole number. */
  g_clear_pointer (&response, json_node_unref);
  response = bulk (fixture, NULL, "'failOnErrors': 0, ", "[]", 400);
  text = json_to_string (response, FALSE);
  test_assert_scim_error (text, 400, "invalid-value", "invalidValue");
}

/* Operations that refer to each other in a circle are not run; the others are. */
static void
test_circular (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *before = NULL, *after = NULL;

  response = bulk (fixture, NULL, NULL,
                   "[{'method': 'POST', 'path': '/Groups', 'bulkId': 'a',"
                   "  'data': {'displayName': 'A', 'members': [{'value': 'bulkId:b'}]}},"
                   " {'method': 'POST', 'path': '/Groups', 'bulkId': 'b',"
                   "  'data': {'displayName': 'B', 'members': [{'value': 'bulkId:a'}]}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'c',"
                   "  'data': {'userName': 'free'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'self',"
                   "  'data': {'userName': 'selfish',"
                   "           '" ENTERPRISE "': {'manager': {'value': 'bulkId:self'}}}}]",
                   200);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 4);
  assert_failed (response, 0, "409", "bulk-circular-reference", "invalidValue");
  assert_failed (response, 1, "409", "bulk-circular-reference", "invalidValue");
  g_assert_cmpstr (result_status (response, 2), ==, "201");
  assert_failed (response, 3, "409", "bulk-circular-reference", "invalidValue");
  g_assert_cmpint (count_groups (fixture, "A") + count_groups (fixture, "B"), ==, 0);
  g_assert_cmpint (count_users (fixture, "selfish"), ==, 0);

  /* A circle alone changes nothing at all. */
  before = test_db_snapshot (fixture->server->data_dir);
  g_clear_pointer (&response, json_node_unref);
  response = bulk (fixture, NULL, NULL,
                   "[{'method': 'POST', 'path': '/Groups', 'bulkId': 'x',"
                   "  'data': {'displayName': 'X', 'members': [{'value': 'bulkId:y'}]}},"
                   " {'method': 'POST', 'path': '/Groups', 'bulkId': 'y',"
                   "  'data': {'displayName': 'Y', 'members': [{'value': 'bulkId:x'}]}}]",
                   200);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
}

/* A bulkId nobody has, or whose POST failed, fails the operation that refers to it. */
static void
test_unresolved (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;

  response = bulk (fixture, NULL, NULL,
                   "[{'method': 'POST', 'path': '/Groups', 'bulkId': 'g',"
                   "  'data': {'displayName': 'G', 'members': [{'value': 'bulkId:nobody'}]}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'bad',"
                   "  'data': {'userName': ''}},"
                   " {'method': 'PATCH', 'path': '/Users/bulkId:bad',"
                   "  'data': {'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                   "           'path': 'displayName', 'value': 'x'}]}},"
                   " {'method': 'DELETE', 'path': '/Users/bulkId:nowhere'}]",
                   200);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 4);
  assert_failed (response, 0, "409", "bulk-unresolved-reference", "invalidValue");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (result (response, 0), "response"),
                              "detail"),
                            "nobody"));
  g_assert_cmpstr (result_status (response, 1), ==, "400");
  assert_failed (response, 2, "409", "bulk-unresolved-reference", "invalidValue");
  assert_failed (response, 3, "409", "bulk-unresolved-reference", "invalidValue");
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
}

/* maxOperations and maxPayloadSize are advertised and enforced with 413. */
static void
test_limits (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) spc = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GString) ops = g_string_new ("[");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;
  JsonObject *bulk_config;
  guint status = 0;

  spc = test_call (fixture->server, fixture->token, "GET", "/scim/v2/ServiceProviderConfig",
                   NULL, NULL, 200, NULL);
  bulk_config = json_object_get_object_member (json_node_get_object (spc), "bulk");
  g_assert_true (json_object_get_boolean_member (bulk_config, "supported"));
  g_assert_cmpint (json_object_get_int_member (bulk_config, "maxOperations"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (bulk_config, "maxPayloadSize"), ==, 1048576);

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (ops,
                            "%s{'method': 'POST', 'path': '/Users', 'bulkId': 'u%u',"
                            " 'data': {'userName': 'u%u'}}",
                            i > 0 ? ", " : "", i, i);
  g_string_append (ops, "]");
  response = bulk (fixture, NULL, NULL, ops->str, 413);
  answer = json_to_string (response, FALSE);
  test_assert_scim_error (answer, 413, "payload-too-large", NULL);
  g_assert_nonnull (strstr (answer, "maxOperations (1000)"));

  /* A body one byte past maxPayloadSize (a valid BulkRequest, padded with spaces). */
  g_string_append (big, "{\"schemas\": [\"" BULK_REQUEST "\"], \"Operations\": []");
  while (big->len < 1048576)
    g_string_append_c (big, ' ');
  g_string_append_c (big, '}');
  g_free (answer);
  answer = roster_test_server_request_full (fixture->server, "POST", "/scim/v2/Bulk",
                                            fixture->token, "application/scim+json", big->str,
                                            big->len, &status, NULL);
  g_assert_cmpuint (status, ==, 413);
  test_assert_scim_error (answer, 413, "payload-too-large", NULL);
  g_assert_nonnull (strstr (answer, "maxPayloadSize (1048576)"));
  /* At the limit it is read. */
  g_free (answer);
  answer = roster_test_server_request_full (fixture->server, "POST", "/scim/v2/Bulk",
                                            fixture->token, "application/scim+json",
                                            big->str + 1, big->len - 1, &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
}

/* A desktop app creates a few hundred users in one request, some with passwords. */
static void
test_many (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GString) ops = g_string_new ("[");
  g_autoptr(JsonNode) response = NULL;
  JsonArray *array;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (ops,
                            "%s{'method': 'POST', 'path': '/Users', 'bulkId': 'u%u',"
                            " 'data': {'userName': 'user%u', 'emails': [{'value':"
                            " 'user%u@example.com', 'type': 'work'}]%s}}",
                            i > 0 ? ", " : "", i, i, i,
                            i % 30 == 0 ? ", 'password': '" PASSWORD "'" : "");
  g_string_append (ops, "]");
  response = bulk (fixture, NULL, NULL, ops->str, 200);
  array = results (response);
  g_assert_cmpuint (json_array_get_length (array), ==, 300);
  for (guint i = 0; i < 300; i++)
    g_assert_cmpstr (result_status (response, i), ==, "201");
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir, "SELECT count(*) FROM users"),
                   ==, 301);
  g_free (roster_test_server_sign_in (fixture->server, "user270", PASSWORD));
}

/* A failing operation in the middle leaves the earlier successes and nothing of its own. */
static void
test_atomic (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) before_user = NULL;
  g_autoptr(JsonNode) after_user = NULL;
  g_autofree char *id = test_create (fixture->server, fixture->token, "/scim/v2/Users",
                                     "{'userName': 'existing', 'displayName': 'Before'}");
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  g_autofree char *ops = NULL;

  before_user = test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
  /* The PATCH's first change would work, its second cannot: the whole PATCH fails. The
   * group's second member does not exist: no group. */
  ops = g_strdup_printf (
    "[{'method': 'POST', 'path': '/Users', 'bulkId': 'one', 'data': {'userName': 'one'}},"
    " {'method': 'PATCH', 'path': '/Users/%s',"
    "  'data': {'schemas': ['" PATCH_OP "'], 'Operations': ["
    "   {'op': 'replace', 'path': 'displayName', 'value': 'After'},"
    "   {'op': 'replace', 'path': 'emails[type eq \\'home\\'].value', 'value': 'x@y.z'}]}},"
    " {'method': 'POST', 'path': '/Groups', 'bulkId': 'g',"
    "  'data': {'displayName': 'Half', 'members': [{'value': 'bulkId:one'},"
    "           {'value': '00000000-0000-0000-0000-000000000000'}]}},"
    " {'method': 'POST', 'path': '/Users', 'bulkId': 'two', 'data': {'userName': 'two'}}]",
    id);
  response = bulk (fixture, NULL, NULL, ops, 200);
  g_assert_cmpstr (result_status (response, 0), ==, "201");
  assert_failed (response, 1, "400", "no-target", "noTarget");
  g_assert_cmpstr (result_status (response, 2), ==, "400");
  g_assert_cmpstr (result_status (response, 3), ==, "201");

  after_user = test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
  g_assert_true (json_node_equal (before_user, after_user));
  g_assert_cmpint (count_groups (fixture, "Half"), ==, 0);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM group_members"),
                   ==, 0);
  g_assert_cmpint (count_users (fixture, "one"), ==, 1);
  g_assert_cmpint (count_users (fixture, "two"), ==, 1);
}

/* Each operation checks its own permission: a user manager can create users in bulk but
 * not roles, and cannot make an administrator. */
static void
test_permissions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *role = test_create (fixture->server, fixture->token, "/scim/v2/Roles",
                                       "{'name': 'User managers',"
                                       " 'permissions': ['users.view', 'users.manage']}");
  g_autofree char *body = g_strdup_printf ("{'userName': 'manager', 'password': '" PASSWORD
                                           "', 'roles': [{'value': '%s'}]}",
                                           role);
  g_autofree char *manager_id = test_create (fixture->server, fixture->token, "/scim/v2/Users",
                                             body);
  g_autofree char *token = roster_test_server_sign_in (fixture->server, "manager", PASSWORD);
  g_autofree char *nobody_id = test_create (fixture->server, fixture->token, "/scim/v2/Users",
                                            "{'userName': 'nobody', 'password': '" PASSWORD
                                            "'}");
  g_autofree char *nobody = roster_test_server_sign_in (fixture->server, "nobody", PASSWORD);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(JsonNode) refused = NULL;

  response = bulk (fixture, token, NULL,
                   "[{'method': 'POST', 'path': '/Roles', 'bulkId': 'r',"
                   "  'data': {'name': 'Sneaky', 'permissions': ['users.view']}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'u',"
                   "  'data': {'userName': 'hired'}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'a',"
                   "  'data': {'userName': 'boss', 'urn:roster:params:scim:schemas:extension:"
                   "crm:2.0:User': {'administrator': true}}},"
                   " {'method': 'POST', 'path': '/Groups', 'bulkId': 'g',"
                   "  'data': {'displayName': 'Club'}}]",
                   200);
  assert_failed (response, 0, "403", "forbidden", NULL);
  g_assert_cmpstr (result_status (response, 1), ==, "201");
  assert_failed (response, 2, "403", "forbidden", NULL);
  assert_failed (response, 3, "403", "forbidden", NULL);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM roles WHERE name = 'Sneaky'"),
                   ==, 0);
  g_assert_cmpint (count_users (fixture, "boss"), ==, 0);
  g_assert_cmpint (count_groups (fixture, "Club"), ==, 0);

  /* The Bulk route needs only a signed-in caller; every operation then needs its own. */
  empty = bulk (fixture, nobody, NULL, "[]", 200);
  g_assert_cmpuint (json_array_get_length (results (empty)), ==, 0);
  refused = bulk (fixture, nobody, NULL,
                  "[{'method': 'POST', 'path': '/Users', 'bulkId': 'x',"
                  "  'data': {'userName': 'x'}}]",
                  200);
  assert_failed (refused, 0, "403", "forbidden", NULL);
  g_assert_cmpint (count_users (fixture, "x"), ==, 0);
  g_assert_nonnull (manager_id);
  g_assert_nonnull (nobody_id);
}

/* The caller is read again before each operation: once an operation deactivated them, the
 * rest are refused. */
static void
test_caller_changes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = test_create (fixture->server, fixture->token, "/scim/v2/Users",
                                     "{'userName': 'second', 'password': '" PASSWORD "',"
                                     " 'urn:roster:params:scim:schemas:extension:crm:2.0:User':"
                                     " {'administrator': true}}");
  g_autofree char *token = roster_test_server_sign_in (fixture->server, "second", PASSWORD);
  g_autofree char *ops = g_strdup_printf (
    "[{'method': 'PATCH', 'path': '/Users/%s', 'data': {'schemas': ['" PATCH_OP "'],"
    "  'Operations': [{'op': 'replace', 'path': 'active', 'value': false}]}},"
    " {'method': 'POST', 'path': '/Users', 'bulkId': 'late', 'data': {'userName': 'late'}}]",
    id);
  g_autoptr(JsonNode) response = bulk (fixture, token, NULL, ops, 200);

  g_assert_cmpstr (result_status (response, 0), ==, "200");
  assert_failed (response, 1, "401", "unauthenticated", NULL);
  g_assert_cmpint (count_users (fixture, "late"), ==, 0);
}

/* Malformed requests and operations get the right errors and change nothing. */
static void
test_bad_input (Fixture *fixture, gconstpointer data)
{
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  node = test_call (fixture->server, fixture->token, "POST", "/scim/v2/Bulk",
                    "{'Operations': []}", NULL, 400, NULL);
  text = json_to_string (node, FALSE);
  test_assert_scim_error (text, 400, "invalid-syntax", "invalidSyntax");
  g_clear_pointer (&node, json_node_unref);
  node = bulk (fixture, NULL, NULL, "{}", 400);
  g_clear_pointer (&node, json_node_unref);
  node = bulk (fixture, NULL, NULL,
               "[{'method': 'POST', 'path': '/Users', 'bulkId': 'same', 'data': {'userName': "
               "'a'}}, {'method': 'POST', 'path': '/Users', 'bulkId': 'same', 'data': "
               "{'userName': 'b'}}]",
               400);
  g_free (text);
  text = json_to_string (node, FALSE);
  test_assert_scim_error (text, 400, "invalid-value", "invalidValue");

  response = bulk (fixture, NULL, NULL,
                   "[{'method': 'GET', 'path': '/Users'},"
                   " {'method': 'POST', 'path': '/Users', 'data': {'userName': 'nobulkid'}},"
                   " {'method': 'POST', 'path': '/Users/.search', 'bulkId': 's',"
                   "  'data': {'schemas': ['urn:ietf:params:scim:api:messages:2.0:"
                   "SearchRequest']}},"
                   " {'method': 'POST', 'path': '/Nowhere', 'bulkId': 'n', 'data': {}},"
                   " {'method': 'PUT', 'path': '/Users/none'},"
                   " {'method': 'POST', 'path': 'Users', 'bulkId': 'p', 'data': {}},"
                   " {'method': 'POST', 'path': '/Users', 'bulkId': 'd', 'data': [1]},"
                   " 'operation',"
                   " {'method': 'POST', 'path': '/Settings', 'bulkId': 'set', 'data': {}}]",
                   200);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 9);
  assert_failed (response, 0, "400", "invalid-value", "invalidValue");
  assert_failed (response, 1, "400", "missing-attribute", "invalidValue");
  assert_failed (response, 2, "405", "method-not-allowed", NULL);
  assert_failed (response, 3, "404", "not-found", NULL);
  assert_failed (response, 4, "400", "invalid-syntax", "invalidSyntax");
  assert_failed (response, 5, "400", "invalid-path", "invalidPath");
  assert_failed (response, 6, "400", "invalid-syntax", "invalidSyntax");
  assert_failed (response, 7, "400", "invalid-syntax", "invalidSyntax");
  assert_failed (response, 8, "405", "method-not-allowed", NULL);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func)                                                                        \
  g_test_add ("/rosterd/bulk/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rfc-example", test_rfc_example);
  ADD ("fail-on-errors", test_fail_on_errors);
  ADD ("circular", test_circular);
  ADD ("unresolved", test_unresolved);
  ADD ("limits", test_limits);
  ADD ("many", test_many);
  ADD ("atomic", test_atomic);
  ADD ("permissions", test_permissions);
  ADD ("caller-changes", test_caller_changes);
  ADD ("bad-input", test_bad_input);
#undef ADD
  return g_test_run ();
}
