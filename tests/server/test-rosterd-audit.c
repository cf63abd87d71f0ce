/* test-rosterd-audit.c: the audit log against a real rosterd: every change writes exactly
 * one event (with its actor, target and diff) in the change's transaction, no event holds a
 * secret, and /AuditEvents filters, sorts, pages and projects like any SCIM list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "server-test-util.h"

#define EXT "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define EVENT "urn:roster:params:scim:schemas:core:2.0:AuditEvent"
#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SEARCH "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
#define BOB_PASSWORD "purple monkey dishwasher"
#define BOB_SECOND "seven tidy lanterns glow"
#define BOB_THIRD "quiet orange harbour lights"
#define CAROL_PASSWORD "velvet thunder above rooftops"

typedef struct
{
  RosterTestServer *server;
  char *admin;
  char *admin_id;
} Fixture;

static gint64
count_events (Fixture *fixture)
{
  return test_db_query_int (fixture->server->data_dir, "SELECT count(*) FROM audit_events");
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = roster_test_server_start (NULL);
  fixture->admin = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
  fixture->admin_id = test_db_query_text (fixture->server->data_dir,
                                          "SELECT id FROM users WHERE user_name = 'admin'");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->admin_id, g_free);
}

/* A list or search answer, asserting 200. */
static JsonNode *
list (Fixture *fixture, const char *token, const char *query)
{
  g_autofree char *path = g_strconcat ("/scim/v2/AuditEvents", query, NULL);

  return test_call (fixture->server, token, "GET", path, NULL, NULL, 200, NULL);
}

/* POST /AuditEvents/.search with @filter (nullable) and the paging/sort members given. */
static JsonNode *
search (Fixture *fixture, const char *filter, const char *sort_by, const char *sort_order,
        gint64 start_index, gint64 count, guint expected_status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, SEARCH);
  json_builder_end_array (builder);
  if (filter != NULL)
    {
      json_builder_set_member_name (builder, "filter");
      json_builder_add_string_value (builder, filter);
    }
  if (sort_by != NULL)
    {
      json_builder_set_member_name (builder, "sortBy");
      json_builder_add_string_value (builder, sort_by);
    }
  if (sort_order != NULL)
    {
      json_builder_set_member_name (builder, "sortOrder");
      json_builder_add_string_value (builder, sort_order);
    }
  if (start_index > 0)
    {
      json_builder_set_member_name (builder, "startIndex");
      json_builder_add_int_value (builder, start_index);
    }
  if (count >= 0)
    {
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, count);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  body = test_send_json (fixture->server, "POST", "/scim/v2/AuditEvents/.search",
                         fixture->admin, json, &status);
  if (status != expected_status)
    g_error ("search %s answered %u, not %u: %s", filter, status, expected_status, body);
  return test_parse_object (body);
}

static JsonArray *
resources (JsonNode *list_node)
{
  JsonObject *object = json_node_get_object (list_node);

  if (!json_object_has_member (object, "Resources"))
    return NULL;
  return json_object_get_array_member (object, "Resources");
}

static gint64
total (JsonNode *list_node)
{
  return json_object_get_int_member (json_node_get_object (list_node), "totalResults");
}

/* The newest event, as /AuditEvents serves it. */
static JsonObject *
newest (Fixture *fixture)
{
  g_autoptr(JsonNode) node = list (fixture, fixture->admin, "?count=1");

  return json_object_ref (json_array_get_object_element (resources (node), 0));
}

/* The attributes the event's changes name, sorted, comma-separated. */
static char *
changed (JsonObject *event)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonArray *changes;

  if (!json_object_has_member (event, "changes"))
    return g_strdup ("");
  changes = json_object_get_array_member (event, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    g_ptr_array_add (names, (gpointer) json_object_get_string_member (
                              json_array_get_object_element (changes, i), "attribute"));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static JsonObject *
find_change (JsonObject *event, const char *attribute)
{
  JsonArray *changes = json_object_get_array_member (event, "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "attribute"), attribute))
        return change;
    }
  g_error ("no change of %s", attribute);
}

/* Asserts that exactly one event was appended since @before, and what it says. @actor_id
 * %NULL means no actor. Returns the event. */
static JsonObject *
assert_one (Fixture *fixture, gint64 before, const char *action, const char *target_type,
            const char *target_id, const char *actor_id)
{
  JsonObject *event;
  JsonObject *target;

  g_assert_cmpint (count_events (fixture), ==, before + 1);
  event = newest (fixture);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, action);
  target = json_object_get_object_member (event, "target");
  g_assert_cmpstr (json_object_get_string_member (target, "type"), ==, target_type);
  g_assert_cmpstr (json_object_get_string_member_with_default (target, "value", NULL), ==,
                   target_id);
  if (actor_id == NULL)
    g_assert_false (json_object_has_member (event, "actor"));
  else
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event,
                                                                                   "actor"),
                                                    "value"),
                     ==, actor_id);
  return event;
}

static JsonNode *
call (Fixture *fixture, const char *token, const char *method, const char *path,
      const char *jq_body, guint status)
{
  return test_call (fixture->server, token, method, path, jq_body, NULL, status, NULL);
}

static void
assert_no_secret (Fixture *fixture, const char *const *secrets)
{
  g_autofree char *all = test_db_query_text (
    fixture->server->data_dir,
    TEST_SQL ("SELECT group_concat (coalesce (actor_name, '') || target_type || "
              "coalesce (target_id, '') || coalesce (target_name, '') || action || changes, '|') "
              "FROM audit_events",
              "SELECT string_agg (coalesce (actor_name, '') || target_type || "
              "coalesce (target_id, '') || coalesce (target_name, '') || action || changes, '|') "
              "FROM audit_events"));

  g_assert_nonnull (all);
  g_assert_null (strstr (all, "$argon2"));
  g_assert_null (strstr (all, "password_hash"));
  for (guint i = 0; secrets[i] != NULL; i++)
    if (strstr (all, secrets[i]) != NULL)
      g_error ("the audit log holds a secret: %s", secrets[i]);
}

/* Setup, users, roles, groups, teams, settings: one event each, with the right diff. */
static void
test_resources (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *bob = NULL, *carol = NULL, *role = NULL, *group = NULL, *team = NULL;
  g_autofree char *path = NULL, *list_text = NULL;
  gint64 before;

  /* Setup: the first administrator, who is their own actor. */
  g_assert_cmpint (count_events (fixture), ==, 1);
  event = assert_one (fixture, 0, "create", "User", fixture->admin_id, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event,
                                                                                 "target"),
                                                  "display"),
                   ==, ADMIN_NAME);
  g_clear_pointer (&event, json_object_unref);

  /* A user: created, patched (the diff holds exactly the changed attribute), deleted. */
  before = count_events (fixture);
  bob = test_create_user (fixture->server, fixture->admin, "bob", BOB_PASSWORD);
  event = assert_one (fixture, before, "create", "User", bob, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (find_change (event, "userName"), "after"), ==,
                   "bob");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (find_change (event, "userName"),
                                                               "before")));
  g_clear_pointer (&event, json_object_unref);
  path = g_strconcat ("/scim/v2/Users/", bob, NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
               " 'path': 'displayName', 'value': 'Bob Builder'}]}",
               200);
  event = assert_one (fixture, before, "update", "User", bob, fixture->admin_id);
  list_text = changed (event);
  g_assert_cmpstr (list_text, ==, "displayName");
  g_assert_cmpstr (json_object_get_string_member (find_change (event, "displayName"), "after"),
                   ==, "Bob Builder");
  g_clear_pointer (&event, json_object_unref);

  /* A role: created, its permissions changed, deleted. */
  before = count_events (fixture);
  role = test_create (fixture->server, fixture->admin, "/scim/v2/Roles",
                      "{'name': 'Auditors', 'permissions': ['users.view']}");
  event = assert_one (fixture, before, "create", "Role", role, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event,
                                                                                 "target"),
                                                  "display"),
                   ==, "Auditors");
  g_clear_pointer (&event, json_object_unref);
  g_free (path);
  path = g_strconcat ("/scim/v2/Roles/", role, NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add',"
               " 'path': 'permissions', 'value': ['audit.view']}]}",
               200);
  event = assert_one (fixture, before, "update", "Role", role, fixture->admin_id);
  g_free (list_text);
  list_text = changed (event);
  g_assert_cmpstr (list_text, ==, "permissions");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (
                      json_object_get_member (find_change (event, "permissions"), "after"))),
                    ==, 2);
  g_clear_pointer (&event, json_object_unref);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "DELETE", path, NULL, 204);
  event = assert_one (fixture, before, "delete", "Role", role, fixture->admin_id);
  g_clear_pointer (&event, json_object_unref);

  /* A group: created empty, a member added and removed (each its own event, with the
   * member's id and name), renamed (no member event), deleted. */
  carol = test_create_user (fixture->server, fixture->admin, "carol", CAROL_PASSWORD);
  before = count_events (fixture);
  group = test_create (fixture->server, fixture->admin, "/scim/v2/Groups",
                       "{'displayName': 'Sales'}");
  event = assert_one (fixture, before, "create", "Group", group, fixture->admin_id);
  g_clear_pointer (&event, json_object_unref);
  g_free (path);
  path = g_strconcat ("/scim/v2/Groups/", group, NULL);
  {
    g_autofree char *add = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations':"
                                            " [{'op': 'add', 'path': 'members',"
                                            " 'value': [{'value': '%s'}]}]}",
                                            carol);
    g_autofree char *remove = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations':"
                                               " [{'op': 'remove',"
                                               " 'path': 'members[value eq \\'%s\\']'}]}",
                                               carol);
    JsonObject *change;

    before = count_events (fixture);
    g_clear_pointer (&node, json_node_unref);
    node = call (fixture, fixture->admin, "PATCH", path, add, 200);
    event = assert_one (fixture, before, "member-add", "Group", group, fixture->admin_id);
    change = find_change (event, "members");
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (change, "before")));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change,
                                                                                   "after"),
                                                    "value"),
                     ==, carol);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change,
                                                                                   "after"),
                                                    "display"),
                     ==, "carol");
    g_clear_pointer (&event, json_object_unref);

    before = count_events (fixture);
    g_clear_pointer (&node, json_node_unref);
    node = call (fixture, fixture->admin, "PATCH", path, remove, 200);
    event = assert_one (fixture, before, "member-remove", "Group", group, fixture->admin_id);
    change = find_change (event, "members");
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (change, "after")));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change,
                                                                                   "before"),
                                                    "value"),
                     ==, carol);
    g_clear_pointer (&event, json_object_unref);
  }
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
               " 'path': 'displayName', 'value': 'Sales EMEA'}]}",
               200);
  event = assert_one (fixture, before, "update", "Group", group, fixture->admin_id);
  g_free (list_text);
  list_text = changed (event);
  g_assert_cmpstr (list_text, ==, "displayName");
  g_clear_pointer (&event, json_object_unref);
  /* A write that changes nothing still leaves its trace, with no changes. */
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "PUT", path, "{'displayName': 'Sales EMEA'}", 200);
  event = assert_one (fixture, before, "update", "Group", group, fixture->admin_id);
  g_assert_false (json_object_has_member (event, "changes"));
  g_clear_pointer (&event, json_object_unref);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "DELETE", path, NULL, 204);
  event = assert_one (fixture, before, "delete", "Group", group, fixture->admin_id);
  g_clear_pointer (&event, json_object_unref);

  /* A team created with a member: the create, then the member's own event. */
  {
    g_autofree char *body = g_strdup_printf (
      "{'displayName': 'Support', 'members': [{'value': '%s'}],"
      " 'urn:roster:params:scim:schemas:extension:crm:2.0:Group': {'kind': 'team'}}",
      bob);

    before = count_events (fixture);
    team = test_create (fixture->server, fixture->admin, "/scim/v2/Groups", body);
    event = assert_one (fixture, before + 1, "member-add", "Group", team, fixture->admin_id);
    g_clear_pointer (&event, json_object_unref);
    g_clear_pointer (&node, json_node_unref);
    node = search (fixture, "action eq \"create\" and target.type eq \"Group\"", NULL, NULL, 0,
                   1, 200);
    event = json_object_ref (json_array_get_object_element (resources (node), 0));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event,
                                                                                   "target"),
                                                    "value"),
                     ==, team);
    g_assert_cmpstr (json_object_get_string_member (
                       find_change (event, "urn:roster:params:scim:schemas:extension:crm:2.0:"
                                           "Group:kind"),
                       "after"),
                     ==, "team");
    g_clear_pointer (&event, json_object_unref);
  }

  /* Settings. */
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "PUT", "/scim/v2/Settings", "{'lockoutThreshold': 7}",
               200);
  event = assert_one (fixture, before, "update", "Settings", NULL, fixture->admin_id);
  g_free (list_text);
  list_text = changed (event);
  g_assert_cmpstr (list_text, ==, "lockoutThreshold");
  g_assert_cmpint (json_object_get_int_member (find_change (event, "lockoutThreshold"), "before"),
                   ==, 5);
  g_assert_cmpint (json_object_get_int_member (find_change (event, "lockoutThreshold"), "after"),
                   ==, 7);
  g_clear_pointer (&event, json_object_unref);

  /* The user's deletion last: the event keeps what the user was. */
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", bob, NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "DELETE", path, NULL, 204);
  event = assert_one (fixture, before, "delete", "User", bob, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (find_change (event, "userName"), "before"), ==,
                   "bob");
}

/* Sign-in, passwords, locks, sessions: one event each, and never a secret. */
static void
test_accounts (Fixture *fixture, gconstpointer data)
{
  const char *const secrets[] = { ADMIN_PASSWORD, BOB_PASSWORD, BOB_SECOND, BOB_THIRD, NULL };
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *bob = test_create_user (fixture->server, fixture->admin, "bob",
                                           BOB_PASSWORD);
  g_autofree char *actions = g_strconcat ("/scim/v2/Users/", bob, "/actions/", NULL);
  g_autofree char *path = NULL, *token = NULL, *body = NULL, *session = NULL;
  gint64 before;
  guint status = 0;

  /* An administrator sets a password: the event has the dates, not the password. */
  path = g_strconcat (actions, "set-password", NULL);
  before = count_events (fixture);
  node = call (fixture, fixture->admin, "POST", path,
               "{'password': '" BOB_SECOND "', 'mustChange': true}", 200);
  event = assert_one (fixture, before, "set-password", "User", bob, fixture->admin_id);
  /* Set in the second bob was made, the password's dates may not have changed. */
  g_assert_true (json_object_get_boolean_member (find_change (event, EXT ":mustChangePassword"),
                                                 "after"));
  g_clear_pointer (&event, json_object_unref);

  /* Bob changes it himself: he is the actor. */
  token = roster_test_server_sign_in (fixture->server, "bob", BOB_SECOND);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, token, "POST", "/auth/password",
               "{'password': '" BOB_SECOND "', 'newPassword': '" BOB_THIRD "'}", 204);
  event = assert_one (fixture, before, "password-change", "User", bob, bob);
  g_assert_true (json_object_get_boolean_member (find_change (event, EXT ":mustChangePassword"),
                                                 "before"));
  g_clear_pointer (&event, json_object_unref);
  g_clear_pointer (&token, g_free);

  /* A session revoked by its id, then every session ended. */
  token = roster_test_server_sign_in (fixture->server, "bob", BOB_THIRD);
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", bob, "/sessions", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "GET", path, NULL, 200);
  session = g_strdup (json_object_get_string_member (
    json_array_get_object_element (resources (node), 0), "id"));
  g_free (path);
  path = g_strconcat ("/scim/v2/Users/", bob, "/sessions/", session, NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "DELETE", path, NULL, 204);
  event = assert_one (fixture, before, "session-revoke", "User", bob, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (find_change (event, "session"), "before"), ==,
                   session);
  g_clear_pointer (&event, json_object_unref);
  g_clear_pointer (&token, g_free);
  token = roster_test_server_sign_in (fixture->server, "bob", BOB_THIRD);
  g_free (path);
  path = g_strconcat (actions, "logout-all", NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "POST", path, NULL, 204);
  event = assert_one (fixture, before, "logout-all", "User", bob, fixture->admin_id);
  g_clear_pointer (&event, json_object_unref);

  /* Wrong passwords: the one that locks writes a lock event without an actor; the others
   * write nothing. */
  before = count_events (fixture);
  for (int i = 0; i < 5; i++)
    {
      g_free (body);
      body = test_try_sign_in (fixture->server, "bob", "not the right one at all", &status);
      g_assert_cmpuint (status, ==, 401);
    }
  g_assert_cmpint (count_events (fixture), ==, before);
  g_free (body);
  body = test_try_sign_in (fixture->server, "bob", "not the right one at all", &status);
  event = assert_one (fixture, before, "lock", "User", bob, NULL);
  g_assert_cmpstr (json_object_get_string_member (find_change (event, EXT ":status"), "before"),
                   ==, "active");
  g_assert_cmpstr (json_object_get_string_member (find_change (event, EXT ":status"), "after"),
                   ==, "locked");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (find_change (event, EXT ":lock"), "after"),
                     "reason"),
                   ==, "failed-logins");
  g_clear_pointer (&event, json_object_unref);
  /* Failing on a locked account changes nothing more. */
  g_free (body);
  body = test_try_sign_in (fixture->server, "bob", "not the right one at all", &status);
  g_assert_cmpint (count_events (fixture), ==, before + 1);

  g_free (path);
  path = g_strconcat (actions, "unlock", NULL);
  before = count_events (fixture);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, fixture->admin, "POST", path, NULL, 200);
  event = assert_one (fixture, before, "unlock", "User", bob, fixture->admin_id);
  g_assert_cmpstr (json_object_get_string_member (find_change (event, EXT ":status"), "after"),
                   ==, "active");
  g_clear_pointer (&event, json_object_unref);

  /* Unused for too long, found at sign-in: locked for inactivity, no actor. */
  test_db_exec (fixture->server->data_dir,
                "UPDATE users SET last_login = NULL, inactivity_reset = NULL,"
                " created = created - 100 * 86400 WHERE user_name = 'bob'");
  before = count_events (fixture);
  g_free (body);
  body = test_try_sign_in (fixture->server, "bob", BOB_THIRD, &status);
  g_assert_cmpuint (status, ==, 401);
  event = assert_one (fixture, before, "lock", "User", bob, NULL);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (find_change (event, EXT ":lock"), "after"),
                     "reason"),
                   ==, "inactivity");
  g_clear_pointer (&event, json_object_unref);

  assert_no_secret (fixture, secrets);
}

/* The inactivity sweep locks with one event per account, without an actor. */
static void
test_sweep (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = test_create_user (fixture->server, fixture->admin, "bob",
                                           BOB_PASSWORD);
  g_autofree char *sql = NULL;
  gint64 before = count_events (fixture);

  if (!test_clock_advance (fixture->server, 91 * TEST_DAY))
    return;
  /* Both accounts were unused: admin and bob. */
  g_assert_cmpint (count_events (fixture), ==, before + 2);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE action = 'lock'"
                         " AND actor_id IS NULL AND target_id = '%s'"
                         " AND changes LIKE '%%\"inactivity\"%%'",
                         bob);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir, sql), ==, 1);
  /* A second sweep finds nothing more to lock. */
  g_assert_true (test_clock_advance (fixture->server, 3600));
  g_assert_cmpint (count_events (fixture), ==, before + 2);
}

/* A write that fails leaves no event. */
static void
test_failed_writes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = test_create_user (fixture->server, fixture->admin, "bob",
                                           BOB_PASSWORD);
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", bob, NULL);
  g_autofree char *group = test_create (fixture->server, fixture->admin, "/scim/v2/Groups",
                                        "{'displayName': 'Sales'}");
  g_autofree char *group_path = g_strconcat ("/scim/v2/Groups/", group, NULL);
  g_autofree char *body = NULL;
  const char *const stale[] = { "If-Match", "W/\"999\"", NULL };
  gint64 before = count_events (fixture);
  guint status = 0;

  json_node_unref (test_call (fixture->server, fixture->admin, "PATCH", path,
                              "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                              " 'path': 'displayName', 'value': 'Late'}]}",
                              stale, 412, NULL));
  body = test_send_json (fixture->server, "POST", "/scim/v2/Users", fixture->admin,
                         "{\"userName\": \"BOB\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  g_free (body);
  body = test_send_json (fixture->server, "PATCH", group_path, fixture->admin,
                         "{\"schemas\": [\"" PATCH_OP "\"], \"Operations\": [{\"op\": \"add\","
                         " \"path\": \"members\", \"value\": [{\"value\": \"nobody-here\"}]}]}",
                         &status);
  g_assert_cmpuint (status, >=, 400);
  g_free (body);
  body = test_send_json (fixture->server, "PUT", "/scim/v2/Settings", fixture->admin,
                         "{\"lockoutThreshold\": -3}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_free (body);
  body = test_send_json (fixture->server, "DELETE",
                         "/scim/v2/Users/00000000-0000-4000-8000-000000000000", fixture->admin,
                         NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (body);
  body = test_send_json (fixture->server, "POST", "/scim/v2/Users/nobody/actions/unlock",
                         fixture->admin, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (body);
  body = test_send_json (fixture->server, "DELETE", "/scim/v2/Roles/nobody", fixture->admin,
                         NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpint (count_events (fixture), ==, before);
}

/* Filters (every operator, and/or/not, grouping, injection), sort, paging, projection. */
static void
test_search (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *first_time = NULL;
  g_autofree char *filter = NULL;
  const char *names[] = { "Alpha", "Beta", "Gamma", "Delta" };
  gboolean clock = TRUE;
  gint64 all;

  /* Four roles, a minute apart and after setup (when the clock can be moved). */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *body = g_strdup_printf ("{'name': '%s'}", names[i]);

      if (clock)
        clock = test_clock_advance (fixture->server, 60);
      g_free (test_create (fixture->server, fixture->admin, "/scim/v2/Roles", body));
    }
  if (!clock)
    return;
  all = count_events (fixture);
  g_assert_cmpint (all, ==, 5);

  /* Newest first by default. */
  node = list (fixture, fixture->admin, "");
  g_assert_cmpint (total (node), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_array_get_object_element (resources (node), 0), "target"),
                     "display"),
                   ==, "Delta");
  first_time = g_strdup (json_object_get_string_member (
    json_array_get_object_element (resources (node), 4), "time"));
  {
    JsonObject *event = json_array_get_object_element (resources (node), 0);
    JsonObject *meta = json_object_get_object_member (event, "meta");
    g_autofree char *location = NULL;

    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (event,
                                                                                  "schemas"),
                                                    0),
                     ==, EVENT);
    g_assert_cmpstr (json_object_get_string_member (meta, "resourceType"), ==, "AuditEvent");
    location = g_strconcat (fixture->server->base_url, "/scim/v2/AuditEvents/",
                            json_object_get_string_member (event, "id"), NULL);
    g_assert_cmpstr (json_object_get_string_member (meta, "location"), ==, location);
    g_assert_cmpstr (json_object_get_string_member (meta, "created"), ==,
                     json_object_get_string_member (event, "time"));
    g_assert_true (g_str_has_suffix (json_object_get_string_member (
                                       json_object_get_object_member (event, "target"), "$ref"),
                                     json_object_get_string_member (
                                       json_object_get_object_member (event, "target"),
                                       "value")));

    /* GET by id answers the same event; an unknown id is 404. */
    {
      g_autofree char *one_path = g_strconcat ("/scim/v2/AuditEvents/",
                                               json_object_get_string_member (event, "id"), NULL);
      g_autoptr(JsonNode) one = call (fixture, fixture->admin, "GET", one_path, NULL, 200);
      g_autofree char *body = NULL;
      guint status = 0;

      g_assert_true (json_object_equal (json_node_get_object (one), event));
      body = test_send_json (fixture->server, "GET", "/scim/v2/AuditEvents/nothing-here",
                             fixture->admin, NULL, &status);
      test_assert_scim_error (body, 404, "not-found", NULL);
    }
  }
  g_clear_pointer (&node, json_node_unref);

  /* Sorted by action, then time: "create" ×5 ascending keeps the order of appending. */
  node = search (fixture, NULL, "action", NULL, 0, -1, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_array_get_object_element (resources (node), 0), "target"),
                     "display"),
                   ==, ADMIN_NAME);
  g_clear_pointer (&node, json_node_unref);
  node = search (fixture, NULL, "time", "ascending", 0, -1, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_array_get_object_element (resources (node), 4), "target"),
                     "display"),
                   ==, "Delta");
  g_clear_pointer (&node, json_node_unref);

  /* Paging: totalResults stays, the page moves. */
  node = search (fixture, NULL, NULL, NULL, 2, 2, 200);
  g_assert_cmpint (total (node), ==, 5);
  g_assert_cmpuint (json_array_get_length (resources (node)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "startIndex"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_array_get_object_element (resources (node), 0), "target"),
                     "display"),
                   ==, "Gamma");
  g_clear_pointer (&node, json_node_unref);
  node = search (fixture, NULL, NULL, NULL, 1, 0, 200);
  g_assert_cmpint (total (node), ==, 5);
  g_assert_null (resources (node) != NULL && json_array_get_length (resources (node)) > 0
                   ? resources (node)
                   : NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Every operator, on every filterable attribute. */
  {
    g_autofree char *actor = g_strdup_printf ("actor.value eq \"%s\"", fixture->admin_id);
    g_autofree char *target = g_strdup_printf ("target.value eq \"%s\"", fixture->admin_id);
    g_autofree char *since = g_strdup_printf ("time gt \"%s\"", first_time);
    g_autofree char *until = g_strdup_printf ("time le \"%s\"", first_time);
    g_autofree char *at = g_strdup_printf ("time eq \"%s\"", first_time);
    g_autofree char *from = g_strdup_printf ("meta.created ge \"%s\"", first_time);
    const struct
    {
      const char *filter;
      gint64 expected;
    } cases[] = {
      { "action eq \"create\"", 5 },
      { "action ne \"create\"", 0 },
      { "target.type eq \"Role\"", 4 },
      { "target.type eq \"role\"", 0 }, /* caseExact */
      { "target.display eq \"alpha\"", 1 }, /* not caseExact */
      { "target.display co \"lph\"", 1 },
      { "target.display sw \"g\"", 1 },
      { "target.display ew \"TA\"", 2 },
      /* Without regard to case: admin < Alpha < Beta < Delta < Gamma. */
      { "target.display gt \"Beta\"", 2 },
      { "target.display lt \"Beta\"", 2 },
      { "target.display ge \"Beta\"", 3 },
      { "target.display le \"Beta\"", 3 },
      { "actor.display eq \"ADMIN\"", 5 },
      { actor, 5 },
      { target, 1 },
      { "actor pr", 0 }, /* complex without sub-attribute: refused below */
      { since, 4 },
      { until, 1 },
      { at, 1 },
      { from, 5 },
      { "target.value pr", 5 },
      { "not (target.type eq \"Role\")", 1 },
      { "target.type eq \"Role\" and (target.display sw \"A\" or target.display sw \"D\")", 2 },
      { "(target.display eq \"Alpha\" or target.display eq \"Beta\") and not (action eq "
        "\"delete\")",
        2 },
      { "target.display eq \"x\\\" or 1=1 --\"", 0 },
      { "urn:roster:params:scim:schemas:core:2.0:AuditEvent:action eq \"create\"", 5 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        if (g_str_equal (cases[i].filter, "actor pr"))
          continue;
        node = search (fixture, cases[i].filter, NULL, NULL, 0, -1, 200);
        if (total (node) != cases[i].expected)
          g_error ("%s: %" G_GINT64_FORMAT " events, not %" G_GINT64_FORMAT, cases[i].filter,
                   total (node), cases[i].expected);
        g_clear_pointer (&node, json_node_unref);
      }
  }

  /* The same through GET, percent-encoded, with a projection. */
  {
    g_autofree char *escaped = g_uri_escape_string ("target.display sw \"Al\"", NULL, FALSE);
    g_autofree char *query = g_strconcat ("?filter=", escaped, "&attributes=action", NULL);
    JsonObject *event;

    node = list (fixture, fixture->admin, query);
    g_assert_cmpint (total (node), ==, 1);
    event = json_array_get_object_element (resources (node), 0);
    g_assert_true (json_object_has_member (event, "id"));
    g_assert_true (json_object_has_member (event, "action"));
    g_assert_true (json_object_has_member (event, "meta"));
    g_assert_false (json_object_has_member (event, "target"));
    g_assert_false (json_object_has_member (event, "changes"));
    g_clear_pointer (&node, json_node_unref);
    node = list (fixture, fixture->admin, "?excludedAttributes=changes,actor&count=1");
    event = json_array_get_object_element (resources (node), 0);
    g_assert_true (json_object_has_member (event, "target"));
    g_assert_false (json_object_has_member (event, "changes"));
    g_assert_false (json_object_has_member (event, "actor"));
    g_clear_pointer (&node, json_node_unref);
  }

  /* Bad filters and sorts: the right SCIM error. */
  {
    const char *bad[] = { "action eq", "(action eq \"create\"", "action xx \"create\"",
                          "password eq \"x\"", "actor pr", "time gt \"yesterday\"",
                          "changes.before eq \"x\"" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        JsonObject *error;

        node = search (fixture, bad[i], NULL, NULL, 0, -1, 400);
        error = json_node_get_object (node);
        if (g_strcmp0 (json_object_get_string_member_with_default (error, "scimType", NULL),
                       "invalidFilter")
            != 0)
          g_error ("%s: not invalidFilter", bad[i]);
        g_clear_pointer (&node, json_node_unref);
      }
    node = search (fixture, NULL, "target.display", NULL, 0, -1, 400);
    g_clear_pointer (&node, json_node_unref);
    node = search (fixture, NULL, NULL, "sideways", 0, -1, 400);
    g_clear_pointer (&node, json_node_unref);
  }
  g_assert_cmpint (count_events (fixture), ==, all);
}

/* The log is read-only: every write is 405 with a SCIM error, and changes nothing. */
static void
test_read_only (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = test_db_query_text (fixture->server->data_dir,
                                            "SELECT id FROM audit_events LIMIT 1");
  g_autofree char *item = g_strconcat ("/scim/v2/AuditEvents/", id, NULL);
  const char *methods[] = { "POST", "PUT", "PATCH", "DELETE" };
  g_autofree char *before = test_db_query_text (fixture->server->data_dir,
                                                TEST_SQL ("SELECT group_concat (id || changes) FROM "
                                                          "(SELECT * FROM audit_events ORDER BY seq)",
                                                          "SELECT string_agg (id || changes, ',' "
                                                          "ORDER BY seq) FROM audit_events"));

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      const char *paths[] = { "/scim/v2/AuditEvents", item };

      for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
        {
          g_autofree char *body = NULL;
          guint status = 0;

          if (g_str_equal (methods[i], "POST") && j == 1)
            continue;
          body = test_send_json (fixture->server, methods[i], paths[j], fixture->admin, "{}",
                                 &status);
          test_assert_scim_error (body, 405, "method-not-allowed", NULL);
        }
    }
  {
    g_autofree char *after = test_db_query_text (fixture->server->data_dir,
                                                 TEST_SQL ("SELECT group_concat (id || changes) FROM "
                                                           "(SELECT * FROM audit_events ORDER BY seq)",
                                                           "SELECT string_agg (id || changes, ',' "
                                                           "ORDER BY seq) FROM audit_events"));

    g_assert_cmpstr (before, ==, after);
  }
}

/* audit.view decides: a user manager gets 403, a user with a role that grants it 200. */
static void
test_permission (Fixture *fixture, gconstpointer data)
{
  g_autofree char *auditors = test_create (fixture->server, fixture->admin, "/scim/v2/Roles",
                                           "{'name': 'Auditors', 'permissions': ['audit.view']}");
  g_autofree char *managers = test_create (
    fixture->server, fixture->admin, "/scim/v2/Roles",
    "{'name': 'Managers', 'permissions': ['users.view', 'users.manage']}");
  g_autofree char *body_a = g_strdup_printf ("{'userName': 'ann', 'password': '" BOB_PASSWORD
                                             "', 'roles': [{'value': '%s'}]}",
                                             auditors);
  g_autofree char *body_m = g_strdup_printf ("{'userName': 'max', 'password': '" BOB_PASSWORD
                                             "', 'roles': [{'value': '%s'}]}",
                                             managers);
  g_autofree char *ann = test_create (fixture->server, fixture->admin, "/scim/v2/Users", body_a);
  g_autofree char *max = test_create (fixture->server, fixture->admin, "/scim/v2/Users", body_m);
  g_autofree char *ann_token = roster_test_server_sign_in (fixture->server, "ann", BOB_PASSWORD);
  g_autofree char *max_token = roster_test_server_sign_in (fixture->server, "max", BOB_PASSWORD);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = list (fixture, ann_token, "");
  g_assert_cmpint (total (node), ==, count_events (fixture));
  body = test_send_json (fixture->server, "GET", "/scim/v2/AuditEvents", max_token, NULL,
                         &status);
  test_assert_scim_error (body, 403, "forbidden", NULL);
  g_assert_nonnull (strstr (body, "audit.view"));
  g_free (body);
  body = test_send_json (fixture->server, "POST", "/scim/v2/AuditEvents/.search", max_token,
                         "{\"schemas\": [\"" SEARCH "\"]}", &status);
  test_assert_scim_error (body, 403, "forbidden", NULL);
}

/* The newest 50 events of one user are read through an index, not a scan and a sort. */
static void
test_indexes (Fixture *fixture, gconstpointer data)
{
  const char *queries[] = {
    "EXPLAIN QUERY PLAN SELECT id FROM audit_events a WHERE a.target_id = 'x'"
    " ORDER BY a.time DESC, a.seq DESC LIMIT 50",
    "EXPLAIN QUERY PLAN SELECT id FROM audit_events a WHERE a.actor_id = 'x'"
    " ORDER BY a.time DESC, a.seq DESC LIMIT 50",
    "EXPLAIN QUERY PLAN SELECT id FROM audit_events a ORDER BY a.time DESC, a.seq DESC LIMIT 50",
    "EXPLAIN QUERY PLAN SELECT id FROM audit_events a ORDER BY a.action ASC, a.time ASC,"
    " a.seq ASC LIMIT 50",
  };

  if (test_skip_unless_sqlite ("EXPLAIN QUERY PLAN"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *plan = NULL;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      g_autofree char *path = g_build_filename (fixture->server->data_dir, "roster.db", NULL);
      GString *details = g_string_new (NULL);

      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (details, "%s; ", (const char *) sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      plan = g_string_free (details, FALSE);
      if (strstr (plan, "USING INDEX audit_events_") == NULL || strstr (plan, "TEMP B-TREE"))
        g_error ("%s: %s", queries[i], plan);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rosterd/audit/resources", test_resources);
  ADD ("/rosterd/audit/accounts", test_accounts);
  ADD ("/rosterd/audit/sweep", test_sweep);
  ADD ("/rosterd/audit/failed-writes", test_failed_writes);
  ADD ("/rosterd/audit/search", test_search);
  ADD ("/rosterd/audit/read-only", test_read_only);
  ADD ("/rosterd/audit/permission", test_permission);
  ADD ("/rosterd/audit/indexes", test_indexes);
#undef ADD
  return g_test_run ();
}
