/* test-rosterd-delete.c: records and ownership, delete with a reassignment plan, DeletedUsers,
 * restore within the window, the purge after it, and a crash in the middle of deletes,
 * against a real rosterd
 *
 * Every refused request is checked to leave the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "server-test-util.h"

#define ROSTER "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define PASSWORD "correct horse battery staple"

typedef struct
{
  RosterTestServer *server;
  char *token;
  char *admin_id;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) list = NULL;

  fixture->server = roster_test_server_start (data);
  fixture->token = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
  list = test_call (fixture->server, fixture->token, "GET",
                    "/scim/v2/Users?filter=userName%20eq%20%22admin%22", NULL, NULL, 200, NULL);
  fixture->admin_id = g_strdup (json_object_get_string_member (
      json_array_get_object_element (
          json_object_get_array_member (json_node_get_object (list), "Resources"), 0),
      "id"));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->token, g_free);
  g_clear_pointer (&fixture->admin_id, g_free);
}

static JsonNode *
call (Fixture *fixture, const char *method, const char *path, const char *body, guint status)
{
  return test_call (fixture->server, fixture->token, method, path, body, NULL, status, NULL);
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* A request that must be refused with @code and change nothing; returns the detail. */
static char *
refuse (Fixture *fixture, const char *token, const char *method, const char *path, const char *body,
        guint status, const char *code)
{
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) node = test_call (fixture->server, token != NULL ? token : fixture->token,
                                         method, path, body, NULL, status, NULL);
  g_autofree char *text = to_text (node);

  test_assert_scim_error (text, status, code, NULL);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "detail"));
}

/* Moves the clock (running the sweeps) and signs the administrator in again, since a
 * session does not outlive days. FALSE (the test is skipped) without a test clock. */
static gboolean
advance (Fixture *fixture, gint64 seconds)
{
  if (!test_clock_advance (fixture->server, seconds))
    return FALSE;
  g_free (fixture->token);
  fixture->token = roster_test_server_sign_in (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
  return TRUE;
}

static char *
user_path (const char *id)
{
  return g_strconcat ("/scim/v2/Users/", id, NULL);
}

static char *
make_user (Fixture *fixture, const char *user_name)
{
  g_autofree char *body
      = g_strdup_printf ("{'userName': '%s', 'password': '" PASSWORD "'}", user_name);

  return test_create (fixture->server, fixture->token, "/scim/v2/Users", body);
}

static char *
make_record (Fixture *fixture, const char *kind, const char *title, const char *state,
             const char *owner_type, const char *owner)
{
  g_autofree char *body = NULL;

  if (owner != NULL)
    body = g_strdup_printf ("{'kind': '%s', 'title': '%s', 'state': '%s',"
                            " 'owner': {'type': '%s', 'value': '%s'}}",
                            kind, title, state, owner_type, owner);
  else
    body = g_strdup_printf ("{'kind': '%s', 'title': '%s', 'state': '%s'}", kind, title, state);
  return test_create (fixture->server, fixture->token, "/scim/v2/Records", body);
}

static gint64 db_int (Fixture *fixture, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gint64
db_int (Fixture *fixture, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return test_db_query_int (fixture->server->data_dir, sql);
}

static JsonArray *
resources (JsonNode *list)
{
  return json_object_get_array_member (json_node_get_object (list), "Resources");
}

static gint64
total (JsonNode *list)
{
  return json_object_get_int_member (json_node_get_object (list), "totalResults");
}

/* Records: created with permissions checked, listed by owner, kind, state, the queue. */
static void
test_records (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *group = test_create (fixture->server, fixture->token, "/scim/v2/Groups",
                                        "{'displayName': 'Sales'}");
  g_autofree char *order = make_record (fixture, "order", "Order 1", "open", "user", bob);
  g_autofree char *task = make_record (fixture, "task", "Task 1", "done", "group", group);
  g_autofree char *client = make_record (fixture, "client", "Client 1", "open", NULL, NULL);
  g_autofree char *path = NULL;
  g_autofree char *bob_token = NULL;
  g_autofree char *role = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *record, *owner;

  path = g_strdup_printf ("/scim/v2/Records?owner=%s", bob);
  list = call (fixture, "GET", path, NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  record = json_array_get_object_element (resources (list), 0);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, order);
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "order");
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "open");
  owner = json_object_get_object_member (record, "owner");
  g_assert_cmpstr (json_object_get_string_member (owner, "type"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (owner, "value"), ==, bob);
  g_assert_cmpstr (json_object_get_string_member (owner, "display"), ==, "bob");
  g_clear_pointer (&list, json_node_unref);
  g_clear_pointer (&path, g_free);

  path = g_strdup_printf ("/scim/v2/Records?ownerGroup=%s", group);
  list = call (fixture, "GET", path, NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (resources (list), 0), "id"), ==,
      task);
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/Records?queue=true", NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (resources (list), 0), "id"), ==,
      client);
  g_assert_false (
      json_object_has_member (json_array_get_object_element (resources (list), 0), "owner"));
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/Records?kind=task&state=done", NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_clear_pointer (&list, json_node_unref);

  /* Bad input changes nothing. */
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Records", "{'kind': 'invoice', 'title': 'x'}",
                  400, "invalid-value"));
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Records", "{'kind': 'task'}", 400,
                  "missing-attribute"));
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Records",
                  "{'kind': 'task', 'title': 'x', 'state': 'maybe'}", 400, "invalid-value"));
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Records",
                  "{'kind': 'task', 'title': 'x', 'owner': {'type': 'user', 'value': 'nobody'}}",
                  400, "invalid-value"));
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Records",
                  "{'kind': 'task', 'title': 'x', 'colour': 'red'}", 400, "invalid-syntax"));

  /* Each kind has its own permissions. */
  bob_token = roster_test_server_sign_in (fixture->server, "bob", PASSWORD);
  detail = refuse (fixture, bob_token, "POST", "/scim/v2/Records",
                   "{'kind': 'order', 'title': 'Mine'}", 403, "forbidden");
  g_assert_nonnull (strstr (detail, "orders.manage"));
  g_clear_pointer (&detail, g_free);
  g_free (refuse (fixture, bob_token, "GET", "/scim/v2/Records", NULL, 403, "forbidden"));
  role = test_create (fixture->server, fixture->token, "/scim/v2/Roles",
                      "{'name': 'Tasks', 'permissions': ['tasks.view', 'tasks.manage']}");
  {
    g_autofree char *body = g_strdup_printf (
        "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], 'Operations':"
        " [{'op': 'add', 'path': 'roles', 'value': [{'value': '%s'}]}]}",
        role);
    g_autofree char *bob_path = user_path (bob);

    node = call (fixture, "PATCH", bob_path, body, 200);
  }
  g_clear_pointer (&node, json_node_unref);
  node = test_call (fixture->server, bob_token, "POST", "/scim/v2/Records",
                    "{'kind': 'task', 'title': 'Mine'}", NULL, 201, NULL);
  g_clear_pointer (&node, json_node_unref);
  detail
      = refuse (fixture, bob_token, "GET", "/scim/v2/Records?kind=order", NULL, 403, "forbidden");
  g_assert_nonnull (strstr (detail, "orders.view"));
  /* Without a kind, only what the caller may see: the two tasks. */
  list = test_call (fixture->server, bob_token, "GET", "/scim/v2/Records", NULL, NULL, 200, NULL);
  g_assert_cmpint (total (list), ==, 2);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM audit_events WHERE action = 'create'"
                                    " AND target_type = 'Record'"),
                   ==, 4);
}

/* GET /Users/{id}/ownership: counts per kind and state, the open work listed and paged. */
static void
test_ownership (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *path = g_strdup_printf ("/scim/v2/Users/%s/ownership?count=2", bob);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *counts, *open_work;

  g_free (make_record (fixture, "client", "C1", "open", "user", bob));
  g_free (make_record (fixture, "client", "C2", "done", "user", bob));
  g_free (make_record (fixture, "order", "O1", "open", "user", bob));
  g_free (make_record (fixture, "order", "O2", "open", "user", bob));
  g_free (make_record (fixture, "order", "O3", "done", "user", bob));
  g_free (make_record (fixture, "task", "T1", "open", "user", bob));
  g_free (make_record (fixture, "task", "T2", "open", NULL, NULL));

  node = call (fixture, "GET", path, NULL, 200);
  counts = json_object_get_object_member (json_node_get_object (node), "counts");
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (counts, "clients"), "open"), ==,
      1);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (counts, "clients"), "done"), ==,
      1);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (counts, "orders"), "open"), ==, 2);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (counts, "orders"), "done"), ==, 1);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (counts, "tasks"), "open"), ==, 1);
  open_work = json_object_get_object_member (json_node_get_object (node), "openWork");
  g_assert_cmpint (json_object_get_int_member (open_work, "totalResults"), ==, 3);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (open_work, "Resources")),
                   ==, 2);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "GET", "/scim/v2/Users/no-such-user/ownership", NULL, 404);
}

/* A user who owns nothing is deleted like in plain SCIM: 204, gone from /Users, lists and
 * filters, sessions ended, username kept reserved, listed in DeletedUsers, audited. */
static void
test_plain_delete (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *bob_path = user_path (bob);
  g_autofree char *bob_token = roster_test_server_sign_in (fixture->server, "bob", PASSWORD);
  g_autofree char *dpath = g_strconcat ("/scim/v2/DeletedUsers/", bob, NULL);
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GDateTime) deleted_at = NULL, purge_at = NULL;
  JsonObject *entry;
  guint status = 0;

  node = call (fixture, "DELETE", bob_path, NULL, 204);
  node = call (fixture, "GET", bob_path, NULL, 404);
  g_clear_pointer (&node, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/Users?filter=userName%20eq%20%22bob%22", NULL, 200);
  g_assert_cmpint (total (list), ==, 0);
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/Users", NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_clear_pointer (&list, json_node_unref);

  /* Their session ended, and they cannot sign in. */
  answer = roster_test_server_request (fixture->server, "GET", "/scim/v2/Users", bob_token, NULL,
                                       NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);
  answer = test_try_sign_in (fixture->server, "bob", PASSWORD, &status);
  g_assert_cmpuint (status, ==, 401);

  /* The username stays reserved until the purge. */
  g_free (refuse (fixture, NULL, "POST", "/scim/v2/Users",
                  "{'userName': 'BOB', 'password': '" PASSWORD "'}", 409, "user-name-taken"));

  node = call (fixture, "GET", dpath, NULL, 200);
  entry = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (entry, "userName"), ==, "bob");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (entry, "deletedBy"), "value"),
      ==, fixture->admin_id);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (entry, "deletedBy"), "display"),
      ==, ADMIN_NAME);
  deleted_at
      = g_date_time_new_from_iso8601 (json_object_get_string_member (entry, "deletedAt"), NULL);
  purge_at = g_date_time_new_from_iso8601 (json_object_get_string_member (entry, "purgeAt"), NULL);
  g_assert_cmpint (g_date_time_difference (purge_at, deleted_at), ==, 14 * G_TIME_SPAN_DAY);
  g_assert_cmpint (json_object_get_size (json_object_get_object_member (entry, "reassigned")), ==,
                   0);
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM audit_events WHERE action = 'delete'"
                           " AND target_id = '%s' AND actor_id = '%s'",
                           bob, fixture->admin_id),
                   ==, 1);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM sessions WHERE user_id = '%s'", bob), ==,
                   0);
  /* Deleting again: it is not a user any more. */
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "DELETE", bob_path, NULL, 404);
}

/* Open orders and unfinished tasks need a destination; every bad plan is refused and changes
 * nothing. */
static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *carol = make_user (fixture, "carol");
  g_autofree char *bob_path = user_path (bob);
  g_autofree char *detail = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_free (make_record (fixture, "order", "O1", "open", "user", bob));
  g_free (make_record (fixture, "order", "O2", "open", "user", bob));
  g_free (make_record (fixture, "order", "O3", "open", "user", bob));
  g_free (make_record (fixture, "order", "O4", "done", "user", bob));
  g_free (make_record (fixture, "task", "T1", "open", "user", bob));
  g_free (make_record (fixture, "client", "C1", "open", "user", bob));

  detail = refuse (fixture, NULL, "DELETE", bob_path, NULL, 409, "records-unassigned");
  g_assert_nonnull (strstr (detail, "3 open orders"));
  g_assert_nonnull (strstr (detail, "1 unfinished task"));
  g_clear_pointer (&detail, g_free);
  /* Only tasks given: the orders are still left. */
  body = g_strdup_printf ("{'tasks': {'to': 'user', 'value': '%s'}}", carol);
  detail = refuse (fixture, NULL, "DELETE", bob_path, body, 409, "records-unassigned");
  g_assert_nonnull (strstr (detail, "3 open orders"));
  g_assert_null (strstr (detail, "unfinished"));
  g_clear_pointer (&detail, g_free);
  g_clear_pointer (&body, g_free);

  g_free (refuse (fixture, NULL, "DELETE", bob_path, "{'invoices': {'to': 'queue'}}", 400,
                  "invalid-syntax"));
  g_free (refuse (fixture, NULL, "DELETE", bob_path, "{'orders': {'to': 'moon'}}", 400,
                  "invalid-value"));
  g_free (refuse (fixture, NULL, "DELETE", bob_path, "{'orders': {'to': 'user'}}", 400,
                  "invalid-value"));
  g_free (refuse (fixture, NULL, "DELETE", bob_path, "{'orders': 'queue'}", 400, "invalid-value"));
  g_free (refuse (fixture, NULL, "DELETE", bob_path,
                  "{'orders': {'to': 'user', 'value': 'nobody'}, 'tasks': {'to': 'queue'}}", 400,
                  "invalid-value"));
  g_free (refuse (fixture, NULL, "DELETE", bob_path,
                  "{'orders': {'to': 'group', 'value': 'nothing'}, 'tasks': {'to': 'queue'}}", 400,
                  "invalid-value"));
  body = g_strdup_printf ("{'orders': {'to': 'user', 'value': '%s'}, 'tasks': {'to': 'queue'}}",
                          bob);
  g_free (refuse (fixture, NULL, "DELETE", bob_path, body, 400, "invalid-value"));
  g_clear_pointer (&body, g_free);

  /* The target must be active. */
  {
    g_autofree char *carol_path = user_path (carol);

    node = call (fixture, "PATCH", carol_path,
                 "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], 'Operations':"
                 " [{'op': 'replace', 'path': 'active', 'value': false}]}",
                 200);
  }
  body = g_strdup_printf ("{'orders': {'to': 'user', 'value': '%s'}, 'tasks': {'to': 'queue'}}",
                          carol);
  detail = refuse (fixture, NULL, "DELETE", bob_path, body, 400, "invalid-value");
  g_assert_nonnull (strstr (detail, "not active"));
  g_clear_pointer (&detail, g_free);

  /* A stale If-Match is 412 and changes nothing either. */
  {
    g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
    g_autofree char *after = NULL;
    const char *const headers[] = { "If-Match", "W/\"999\"", NULL };
    g_autoptr(JsonNode) stale = test_call (fixture->server, fixture->token, "DELETE", bob_path,
                                            "{'orders': {'to': 'queue'}, 'tasks': {'to': 'queue'}}",
                                            headers, 412, NULL);

    after = test_db_snapshot (fixture->server->data_dir);
    g_assert_cmpstr (before, ==, after);
  }

  /* The last active administrator stays. */
  {
    g_autofree char *admin_path = user_path (fixture->admin_id);

    g_free (refuse (fixture, NULL, "DELETE", admin_path, NULL, 409, "last-administrator"));
  }
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM deleted_users"), ==, 0);
}

/* A delete with a plan: each kind goes where the plan says (user, group, queue), the rest
 * stays the deleted user's; DeletedUsers and the audit log say what went where. */
static void
test_reassign (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *carol = make_user (fixture, "carol");
  g_autofree char *group = test_create (fixture->server, fixture->token, "/scim/v2/Groups",
                                        "{'displayName': 'Support'}");
  g_autofree char *bob_path = user_path (bob);
  g_autofree char *dpath = g_strconcat ("/scim/v2/DeletedUsers/", bob, NULL);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *reassigned, *orders, *tasks;

  g_free (make_record (fixture, "order", "O1", "open", "user", bob));
  g_free (make_record (fixture, "order", "O2", "done", "user", bob));
  g_free (make_record (fixture, "task", "T1", "open", "user", bob));
  g_free (make_record (fixture, "task", "T2", "open", "user", bob));
  g_free (make_record (fixture, "client", "C1", "open", "user", bob));
  g_free (make_record (fixture, "order", "Carol order", "open", "user", carol));

  body = g_strdup_printf ("{'orders': {'to': 'user', 'value': '%s'},"
                          " 'tasks': {'to': 'group', 'value': '%s'}}",
                          carol, group);
  node = call (fixture, "DELETE", bob_path, body, 204);

  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM records WHERE owner_user_id = '%s'"
                           " AND kind = 'order'",
                           carol),
                   ==, 3);
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM records WHERE owner_group_id = '%s'"
                           " AND kind = 'task'",
                           group),
                   ==, 2);
  /* Clients had no destination: they stay Bob's (and go to the queue at the purge). */
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records WHERE owner_user_id = '%s'", bob),
                   ==, 1);

  node = call (fixture, "GET", dpath, NULL, 200);
  reassigned = json_object_get_object_member (json_node_get_object (node), "reassigned");
  orders = json_object_get_object_member (reassigned, "orders");
  tasks = json_object_get_object_member (reassigned, "tasks");
  g_assert_cmpstr (json_object_get_string_member (orders, "to"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (orders, "value"), ==, carol);
  g_assert_cmpstr (json_object_get_string_member (orders, "display"), ==, "carol");
  g_assert_cmpint (json_object_get_int_member (orders, "count"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (tasks, "to"), ==, "group");
  g_assert_cmpstr (json_object_get_string_member (tasks, "display"), ==, "Support");
  g_assert_cmpint (json_object_get_int_member (tasks, "count"), ==, 2);
  g_assert_false (json_object_has_member (reassigned, "clients"));
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM audit_events WHERE action = 'reassign'"
                           " AND target_id = '%s'",
                           bob),
                   ==, 2);

  /* The queue as a destination. */
  {
    g_autofree char *dave = make_user (fixture, "dave");
    g_autofree char *dave_path = user_path (dave);
    g_autoptr(JsonNode) done = NULL;

    g_free (make_record (fixture, "task", "Dave task", "open", "user", dave));
    done = call (fixture, "DELETE", dave_path, "{'tasks': {'to': 'queue'}}", 204);
    g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records WHERE owner_user_id IS NULL"
                                      " AND owner_group_id IS NULL"),
                     ==, 1);
  }
  path = g_strdup_printf ("/scim/v2/Users/%s/ownership", carol);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "GET", path, NULL, 200);
  g_assert_cmpint (
      json_object_get_int_member (
          json_object_get_object_member (
              json_object_get_object_member (json_node_get_object (node), "counts"), "orders"),
          "open"),
      ==, 2);
}

/* DeletedUsers filters, sorts and pages like the other lists. */
static void
test_deleted_list (Fixture *fixture, gconstpointer data)
{
  const char *names[] = { "bert", "anna", "bella" };
  g_autoptr(JsonNode) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *id = make_user (fixture, names[i]);
      g_autofree char *path = user_path (id);
      g_autoptr(JsonNode) node = call (fixture, "DELETE", path, NULL, 204);

      /* Distinct deletion times. */
      if (!advance (fixture, 60))
        return;
    }
  list = call (fixture, "GET", "/scim/v2/DeletedUsers", NULL, 200);
  g_assert_cmpint (total (list), ==, 3);
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET",
               "/scim/v2/DeletedUsers?filter=userName%20sw%20%22B%22&sortBy=userName", NULL, 200);
  g_assert_cmpint (total (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (resources (list), 0), "userName"),
                   ==, "bella");
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET",
               "/scim/v2/DeletedUsers?sortBy=userName&sortOrder=descending&startIndex=2&count=1",
               NULL, 200);
  g_assert_cmpint (total (list), ==, 3);
  g_assert_cmpint (json_array_get_length (resources (list)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (resources (list), 0), "userName"),
                   ==, "bella");
  g_clear_pointer (&list, json_node_unref);
  {
    g_autofree char *path = g_strdup_printf (
        "/scim/v2/DeletedUsers?filter=deletedBy.value%%20eq%%20%%22%s%%22", fixture->admin_id);

    list = call (fixture, "GET", path, NULL, 200);
    g_assert_cmpint (total (list), ==, 3);
  }
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/DeletedUsers?filter=colour%20eq%20%22red%22", NULL, 400);
  g_clear_pointer (&list, json_node_unref);
  list = call (fixture, "GET", "/scim/v2/DeletedUsers?sortBy=colour", NULL, 400);
}

/* A deleted user carries the name parts, so a user created without a displayName is
 * listed by name; filters reach them, and /Schemas describes them. */
static void
test_deleted_name (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = test_create (
      fixture->server, fixture->token, "/scim/v2/Users",
      "{'userName': 'dora', 'password': '" PASSWORD "', "
      "'name': {'givenName': 'Dora', 'familyName': 'Gray', 'middleName': 'M'}}");
  g_autofree char *path = user_path (id);
  g_autofree char *deleted_path = g_strconcat ("/scim/v2/DeletedUsers/", id, NULL);
  g_autoptr(JsonNode) gone = call (fixture, "DELETE", path, NULL, 204);
  g_autoptr(JsonNode) deleted = call (fixture, "GET", deleted_path, NULL, 200);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) schema = NULL;
  JsonObject *object = json_node_get_object (deleted);
  JsonObject *name;
  JsonArray *attributes;
  gboolean described = FALSE;

  g_assert_false (json_object_has_member (object, "displayName"));
  g_assert_true (json_object_has_member (object, "name"));
  name = json_object_get_object_member (object, "name");
  g_assert_cmpstr (json_object_get_string_member (name, "givenName"), ==, "Dora");
  g_assert_cmpstr (json_object_get_string_member (name, "familyName"), ==, "Gray");
  /* Only the parts a list shows. */
  g_assert_false (json_object_has_member (name, "middleName"));

  list = call (fixture, "GET", "/scim/v2/DeletedUsers?filter=name.familyName%20eq%20%22gray%22",
               NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (
                           json_array_get_object_element (resources (list), 0), "name"),
                       "givenName"),
                   ==, "Dora");

  schema = call (fixture, "GET", "/scim/v2/Schemas/urn:roster:params:scim:schemas:core:2.0:DeletedUser", NULL, 200);
  attributes = json_object_get_array_member (json_node_get_object (schema), "attributes");
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = json_array_get_object_element (attributes, i);

      if (g_strcmp0 (json_object_get_string_member (attribute, "name"), "name") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (attribute, "type"), ==, "complex");
          g_assert_cmpuint (
              json_array_get_length (json_object_get_array_member (attribute, "subAttributes")),
              ==, 3);
          described = TRUE;
        }
    }
  g_assert_true (described);
}

/* A restore within the window: inactive, with its roles, the memberships of the groups that
 * still exist, its settings and password; reassignments stay, and the answer says so. */
static void
test_restore (Fixture *fixture, gconstpointer data)
{
  g_autofree char *carol = make_user (fixture, "carol");
  g_autofree char *role = test_create (fixture->server, fixture->token, "/scim/v2/Roles",
                                       "{'name': 'Sales', 'permissions': ['users.view']}");
  g_autofree char *kept
      = test_create (fixture->server, fixture->token, "/scim/v2/Groups", "{'displayName': 'Kept'}");
  g_autofree char *gone
      = test_create (fixture->server, fixture->token, "/scim/v2/Groups", "{'displayName': 'Gone'}");
  g_autofree char *body = NULL, *bob = NULL, *bob_path = NULL, *restore = NULL;
  g_autofree char *gone_path = g_strconcat ("/scim/v2/Groups/", gone, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *user, *ext;
  JsonArray *groups, *roles;

  body = g_strdup_printf ("{'userName': 'bob', 'password': '" PASSWORD "', 'title': 'Buyer',"
                          " 'preferredLanguage': 'de', 'roles': [{'value': '%s'}]}",
                          role);
  bob = test_create (fixture->server, fixture->token, "/scim/v2/Users", body);
  bob_path = user_path (bob);
  g_clear_pointer (&body, g_free);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *group_path = g_strconcat ("/scim/v2/Groups/", i == 0 ? kept : gone, NULL);
      g_autofree char *patch = g_strdup_printf (
          "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], 'Operations':"
          " [{'op': 'add', 'path': 'members', 'value': [{'value': '%s'}]}]}",
          bob);

      node = call (fixture, "PATCH", group_path, patch, 200);
      g_clear_pointer (&node, json_node_unref);
    }
  g_free (make_record (fixture, "order", "O1", "open", "user", bob));
  body = g_strdup_printf ("{'orders': {'to': 'user', 'value': '%s'}}", carol);
  node = call (fixture, "DELETE", bob_path, body, 204);
  /* A group deleted meanwhile: that membership cannot come back. */
  node = call (fixture, "DELETE", gone_path, NULL, 204);
  if (!advance (fixture, 13 * TEST_DAY))
    return;

  restore = g_strconcat ("/scim/v2/DeletedUsers/", bob, "/restore", NULL);
  g_free (refuse (fixture, NULL, "POST", restore, "{'active': 'yes'}", 400, "invalid-value"));
  g_free (refuse (fixture, NULL, "POST", restore, "{'password': 'x'}", 400, "invalid-syntax"));
  answer = call (fixture, "POST", restore, NULL, 200);
  g_assert_false (
      json_object_get_boolean_member (json_node_get_object (answer), "reassignmentsUndone"));
  g_assert_nonnull (
      strstr (json_object_get_string_member (json_node_get_object (answer), "detail"), "stay"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                                                   json_object_get_object_member (
                                                       json_node_get_object (answer), "reassigned"),
                                                   "orders"),
                                               "count"),
                   ==, 1);
  user = json_object_get_object_member (json_node_get_object (answer), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, bob);

  node = call (fixture, "GET", bob_path, NULL, 200);
  user = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (user, "active"));
  ext = json_object_get_object_member (user, ROSTER);
  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "inactive");
  g_assert_cmpstr (json_object_get_string_member (user, "title"), ==, "Buyer");
  g_assert_cmpstr (json_object_get_string_member (user, "preferredLanguage"), ==, "de");
  roles = json_object_get_array_member (user, "roles");
  g_assert_cmpint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (roles, 0), "value"), ==, role);
  groups = json_object_get_array_member (user, "groups");
  g_assert_cmpint (json_array_get_length (groups), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (groups, 0), "value"), ==, kept);
  /* The order stays Carol's. */
  g_assert_cmpint (
      db_int (fixture, "SELECT count(*) FROM records WHERE owner_user_id = '%s'", carol), ==, 1);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM deleted_users"), ==, 0);
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM audit_events WHERE action = 'restore'"
                           " AND target_id = '%s'",
                           bob),
                   ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "POST", restore, NULL, 404);

  /* Activated again, the old password works. */
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "PATCH", bob_path,
               "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], 'Operations':"
               " [{'op': 'replace', 'path': 'active', 'value': true}]}",
               200);
  g_free (roster_test_server_sign_in (fixture->server, "bob", PASSWORD));
}

/* After the window the sweep purges: gone from DeletedUsers, not restorable, username free,
 * records it kept go to the queue, audited as the system. */
static void
test_purge (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *bob_path = user_path (bob);
  g_autofree char *restore = g_strconcat ("/scim/v2/DeletedUsers/", bob, "/restore", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;

  g_free (make_record (fixture, "client", "C1", "open", "user", bob));
  node = call (fixture, "DELETE", bob_path, NULL, 204);
  if (!advance (fixture, 13 * TEST_DAY))
    return;
  list = call (fixture, "GET", "/scim/v2/DeletedUsers", NULL, 200);
  g_assert_cmpint (total (list), ==, 1);
  g_clear_pointer (&list, json_node_unref);
  g_assert_true (advance (fixture, 2 * TEST_DAY));

  list = call (fixture, "GET", "/scim/v2/DeletedUsers", NULL, 200);
  g_assert_cmpint (total (list), ==, 0);
  node = call (fixture, "POST", restore, NULL, 404);
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM audit_events WHERE action = 'purge'"
                           " AND target_id = '%s' AND actor_id IS NULL",
                           bob),
                   ==, 1);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records WHERE owner_user_id IS NULL"), ==,
                   1);
  g_free (make_user (fixture, "bob"));
}

/* restoreWindowDays is a setting. */
static void
test_window_setting (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob");
  g_autofree char *bob_path = user_path (bob);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;

  node = call (fixture, "PUT", "/scim/v2/Settings", "{'restoreWindowDays': 3}", 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "restoreWindowDays"),
                   ==, 3);
  g_clear_pointer (&node, json_node_unref);
  g_free (refuse (fixture, NULL, "PUT", "/scim/v2/Settings", "{'restoreWindowDays': 0}", 400,
                  "invalid-value"));
  node = call (fixture, "DELETE", bob_path, NULL, 204);
  if (!advance (fixture, 3 * TEST_DAY + 1))
    return;
  list = call (fixture, "GET", "/scim/v2/DeletedUsers", NULL, 200);
  g_assert_cmpint (total (list), ==, 0);
}

/* Setup with --sample-records gives the first administrator records to look at; without it
 * there are none. */
static void
test_sample_records (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_strdup_printf ("/scim/v2/Users/%s/ownership", fixture->admin_id);
  g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, 200);
  JsonObject *counts = json_object_get_object_member (json_node_get_object (node), "counts");
  gint64 open_orders
      = json_object_get_int_member (json_object_get_object_member (counts, "orders"), "open");

  if (data == NULL)
    {
      g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records"), ==, 0);
      return;
    }
  g_assert_cmpint (open_orders, >, 0);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records WHERE owner_user_id = '%s'",
                           fixture->admin_id),
                   ==, db_int (fixture, "SELECT count(*) FROM records"));
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM audit_events WHERE action = 'create'"
                                    " AND target_type = 'Record'"),
                   ==, db_int (fixture, "SELECT count(*) FROM records"));
}

/* ------------------------------------------------------------------------- crash test */

#define CRASH_USERS 200
#define CRASH_ROUNDS 4

typedef struct
{
  char *base_url;
  char *token;
  char **ids;   /* the users to delete, in order */
  char *target; /* who takes the orders */
  char *group;  /* which group takes the tasks */
  guint next;   /* the first not yet answered */
} Stream;

/* Deletes ids[next…] one after the other until the server goes away. */
static gpointer
stream_thread (gpointer user_data)
{
  Stream *stream = user_data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *plan = g_strdup_printf ("{\"orders\": {\"to\": \"user\", \"value\": \"%s\"},"
                                           " \"tasks\": {\"to\": \"group\", \"value\": \"%s\"},"
                                           " \"clients\": {\"to\": \"queue\"}}",
                                           stream->target, stream->group);
  g_autofree char *auth = g_strconcat ("Bearer ", stream->token, NULL);

  for (; stream->ids[stream->next] != NULL; stream->next++)
    {
      g_autofree char *url
          = g_strconcat (stream->base_url, "/scim/v2/Users/", stream->ids[stream->next], NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("DELETE", url);
      g_autoptr(GBytes) body = g_bytes_new (plan, strlen (plan));
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
      response = soup_session_send_and_read (session, msg, NULL, &error);
      if (error != NULL)
        break;
      g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
    }
  return NULL;
}

/* Each user of the stream is either still a user with all its records, or deleted entirely:
 * in DeletedUsers, each kind moved where the plan said, its audit events written. Checked
 * in SQL over all of them at once. Returns how many are deleted. */
static guint
check_all_or_nothing (Fixture *fixture, Stream *stream)
{
  gint64 deleted;

  g_assert_cmpint (db_int (fixture, "SELECT count(DISTINCT id) FROM (SELECT id FROM users"
                                    " WHERE user_name LIKE 'leaver-%%' UNION ALL SELECT id FROM"
                                    " deleted_users WHERE user_name LIKE 'leaver-%%') AS ids"),
                   ==, CRASH_USERS);
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM users u JOIN deleted_users d"
                                    " ON d.id = u.id"),
                   ==, 0);
  /* Not deleted: nothing moved, nothing audited. */
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM users u WHERE u.user_name LIKE"
                                    " 'leaver-%%' AND ((SELECT count(*) FROM records WHERE"
                                    " owner_user_id = u.id AND title LIKE u.id || ':%%') != 3"
                                    " OR EXISTS (SELECT 1 FROM audit_events WHERE target_id ="
                                    " u.id AND action IN ('delete', 'reassign')))"),
                   ==, 0);
  /* Deleted: the order to the heir, the task to the group, the client to the queue, and the
   * delete and three reassignments in the audit log. */
  g_assert_cmpint (db_int (fixture,
                           "SELECT count(*) FROM deleted_users d WHERE d.user_name LIKE"
                           " 'leaver-%%' AND (EXISTS (SELECT 1 FROM records WHERE"
                           " owner_user_id = d.id)"
                           " OR NOT EXISTS (SELECT 1 FROM records WHERE title = d.id ||"
                           " ':order' AND owner_user_id = '%s')"
                           " OR NOT EXISTS (SELECT 1 FROM records WHERE title = d.id ||"
                           " ':task' AND owner_group_id = '%s')"
                           " OR NOT EXISTS (SELECT 1 FROM records WHERE title = d.id ||"
                           " ':client' AND owner_user_id IS NULL AND owner_group_id IS"
                           " NULL)"
                           " OR (SELECT count(*) FROM audit_events WHERE target_id ="
                           " d.id AND action IN ('delete', 'reassign')) != 4)",
                           stream->target, stream->group),
                   ==, 0);
  deleted = db_int (fixture, "SELECT count(*) FROM deleted_users WHERE user_name LIKE"
                             " 'leaver-%%'");
  /* The stream deletes in order: the deleted ones are its first. */
  if (deleted > 0)
    g_assert_cmpint (db_int (fixture, "SELECT max (CAST (substr (user_name, 8) AS INTEGER))"
                                      " FROM deleted_users WHERE user_name LIKE 'leaver-%%'"),
                     ==, deleted - 1);
  return (guint) deleted;
}

static void
test_crash (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  Stream stream = { 0 };
  guint deleted = 0;

  stream.ids = g_new0 (char *, CRASH_USERS + 1);
  stream.target = make_user (fixture, "heir");
  stream.group = test_create (fixture->server, fixture->token, "/scim/v2/Groups",
                              "{'displayName': 'Heirs'}");
  for (guint i = 0; i < CRASH_USERS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{'userName': 'leaver-%u'}", i);

      /* No password: argon2id for every user would take longer than the test. */
      stream.ids[i] = test_create (fixture->server, fixture->token, "/scim/v2/Users", body);
    }
  /* An open order, task and client each, titled "ID:kind". Written directly, to keep the
   * test quick under the sanitizers: POST /Records is tested above. */
#define INSERT_RECORDS(random_id)                                                                  \
  "INSERT INTO records (id, kind, title, state, owner_user_id, created, last_modified) "           \
  "SELECT " random_id ", k.kind, u.id || ':' || k.kind, 'open', u.id, 0, 0 FROM users u, "         \
  "(SELECT 'order' AS kind UNION ALL SELECT 'task' UNION ALL SELECT 'client') k "                  \
  "WHERE u.user_name LIKE 'leaver-%'"
  test_db_exec (fixture->server->data_dir,
                TEST_SQL (INSERT_RECORDS ("lower (hex (randomblob (16)))"),
                          INSERT_RECORDS ("md5 (random () || u.id || k.kind)")));
  g_assert_cmpint (db_int (fixture, "SELECT count(*) FROM records"), ==, 3 * CRASH_USERS);

  for (guint round = 0; round < CRASH_ROUNDS && stream.ids[stream.next] != NULL; round++)
    {
      g_autoptr(GThread) thread = NULL;
      guint before = stream.next;

      stream.base_url = fixture->server->base_url;
      stream.token = fixture->token;
      thread = g_thread_new ("deletes", stream_thread, &stream);
      /* Somewhere in the middle of the stream. */
      g_usleep (g_rand_int_range (rand, 10, 150) * 1000);
      roster_test_server_crash_restart (fixture->server);
      g_thread_join (g_steal_pointer (&thread));
      g_test_message ("round %u: killed after %u answered deletes", round, stream.next - before);

      /* Sessions survive a restart: the token still works. */
      deleted = check_all_or_nothing (fixture, &stream);
      g_assert_cmpuint (deleted, >=, stream.next);
      g_assert_cmpuint (deleted, <=, stream.next + 1);
      /* A delete that was in flight may have committed: go on after it. */
      stream.next = deleted;
    }
  g_test_message ("%u of %u users deleted across %u crashes", deleted, CRASH_USERS, CRASH_ROUNDS);
  /* The survivors are still whole users that can be deleted normally. */
  for (guint i = deleted; stream.ids[i] != NULL; i++)
    {
      g_autofree char *path = user_path (stream.ids[i]);
      g_autoptr(JsonNode) node = call (fixture, "GET", path, NULL, 200);
    }
  g_strfreev (stream.ids);
  g_free (stream.target);
  g_free (stream.group);
}

int
main (int argc, char **argv)
{
  static const char *const sample_args[] = { "--sample-records", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rosterd/delete/records", Fixture, NULL, fixture_set_up, test_records,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/ownership", Fixture, NULL, fixture_set_up, test_ownership,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/plain", Fixture, NULL, fixture_set_up, test_plain_delete,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/reassign", Fixture, NULL, fixture_set_up, test_reassign,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/deleted-list", Fixture, NULL, fixture_set_up, test_deleted_list,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/deleted-name", Fixture, NULL, fixture_set_up, test_deleted_name,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/restore", Fixture, NULL, fixture_set_up, test_restore,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/purge", Fixture, NULL, fixture_set_up, test_purge,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/window-setting", Fixture, NULL, fixture_set_up, test_window_setting,
              fixture_tear_down);
  g_test_add ("/rosterd/delete/no-sample-records", Fixture, NULL, fixture_set_up,
              test_sample_records, fixture_tear_down);
  g_test_add ("/rosterd/delete/sample-records", Fixture, sample_args, fixture_set_up,
              test_sample_records, fixture_tear_down);
  g_test_add ("/rosterd/delete/crash", Fixture, NULL, fixture_set_up, test_crash,
              fixture_tear_down);
  return g_test_run ();
}
