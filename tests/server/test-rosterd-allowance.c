/* test-rosterd-allowance.c: maxActiveUsers and administratorsCountTowardsAllowance against a
 * real rosterd
 *
 * Every refused request is checked to leave the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
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

static JsonNode *
call (Fixture *fixture, const char *method, const char *path, const char *body, guint status)
{
  return test_call (fixture->server, fixture->token, method, path, body, NULL, status, NULL);
}

/* Refused with @code, nothing changed; returns the detail. */
static char *
refuse (Fixture *fixture, const char *method, const char *path, const char *body, guint status,
        const char *code)
{
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) node = call (fixture, method, path, body, status);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  test_assert_scim_error (text, status, code, NULL);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "detail"));
}

static char *
make_user (Fixture *fixture, const char *user_name, gboolean active)
{
  g_autofree char *body
      = g_strdup_printf ("{'userName': '%s', 'active': %s}", user_name, active ? "true" : "false");

  return test_create (fixture->server, fixture->token, "/scim/v2/Users", body);
}

static void
set_active (Fixture *fixture, const char *id, gboolean active, guint status)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op':"
                                           " 'replace', 'path': 'active', 'value': %s}]}",
                                           active ? "true" : "false");
  g_autoptr(JsonNode) node = call (fixture, "PATCH", path, body, status);
}

static void
put_settings (Fixture *fixture, const char *body)
{
  g_autoptr(JsonNode) node = call (fixture, "PUT", "/scim/v2/Settings", body, 200);
}

static void
assert_seats (Fixture *fixture, gint64 used, gint64 available)
{
  g_autoptr(JsonNode) node = call (fixture, "GET", "/scim/v2/Settings", NULL, 200);
  JsonObject *seats = json_object_get_object_member (json_node_get_object (node), "seats");

  g_assert_cmpint (json_object_get_int_member (seats, "used"), ==, used);
  if (available < 0)
    g_assert_false (json_object_has_member (seats, "available"));
  else
    g_assert_cmpint (json_object_get_int_member (seats, "available"), ==, available);
}

/* The defaults: no limit, administrators count; seats shown read-only. */
static void
test_defaults (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) node = call (fixture, "GET", "/scim/v2/Settings", NULL, 200);
  JsonObject *settings = json_node_get_object (node);

  g_assert_cmpint (json_object_get_int_member (settings, "maxActiveUsers"), ==, 0);
  g_assert_true (json_object_get_boolean_member (settings, "administratorsCountTowardsAllowance"));
  g_assert_cmpint (json_object_get_int_member (settings, "restoreWindowDays"), ==, 14);
  assert_seats (fixture, 1, -1);
  g_free (make_user (fixture, "bob", TRUE));
  g_free (make_user (fixture, "carol", FALSE));
  assert_seats (fixture, 2, -1);

  /* A client may send back what it read, seats included; seats are not a setting. */
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "PUT", "/scim/v2/Settings", "{'maxActiveUsers': 5, 'seats': {'used': 99}}",
               200);
  assert_seats (fixture, 2, 3);
  /* Audited with what changed. */
  {
    g_autofree char *changes = test_db_query_text (
        fixture->server->data_dir,
        "SELECT changes FROM audit_events WHERE action = 'update' AND target_type = 'Settings'");

    g_assert_nonnull (strstr (changes, "\"maxActiveUsers\""));
    g_assert_null (strstr (changes, "seats"));
  }
  g_free (
      refuse (fixture, "PUT", "/scim/v2/Settings", "{'maxActiveUsers': -1}", 400, "invalid-value"));
  g_free (refuse (fixture, "PUT", "/scim/v2/Settings", "{'administratorsCountTowardsAllowance': 1}",
                  400, "invalid-value"));
}

/* Past the allowance, a create of an active user and an activation are refused with the
 * numbers; inactive users, deactivations and other edits still pass. */
static void
test_limit (Fixture *fixture, gconstpointer data)
{
  g_autofree char *detail = NULL;
  g_autofree char *bob = NULL, *carol = NULL, *dave = NULL;
  g_autoptr(JsonNode) node = NULL;

  put_settings (fixture, "{'maxActiveUsers': 3}");
  bob = make_user (fixture, "bob", TRUE);
  carol = make_user (fixture, "carol", TRUE);
  assert_seats (fixture, 3, 0);

  detail = refuse (fixture, "POST", "/scim/v2/Users", "{'userName': 'dave'}", 409,
                   "seat-limit-reached");
  g_assert_nonnull (strstr (detail, "3 of 3 seats are in use"));
  g_clear_pointer (&detail, g_free);
  /* An inactive user takes no seat. */
  dave = make_user (fixture, "dave", FALSE);
  {
    g_autofree char *path = g_strconcat ("/scim/v2/Users/", dave, NULL);

    detail = refuse (fixture, "PATCH", path,
                     "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                     " 'path': 'active', 'value': true}]}",
                     409, "seat-limit-reached");
    g_clear_pointer (&detail, g_free);
    detail = refuse (fixture, "PUT", path, "{'userName': 'dave', 'active': true}", 409,
                     "seat-limit-reached");
    g_clear_pointer (&detail, g_free);
    /* Editing an inactive user without activating them is fine. */
    node = call (fixture, "PATCH", path,
                 "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                 " 'path': 'displayName', 'value': 'Dave'}]}",
                 200);
    g_clear_pointer (&node, json_node_unref);
  }
  /* Editing an active user is fine at the limit. */
  {
    g_autofree char *path = g_strconcat ("/scim/v2/Users/", bob, NULL);

    node = call (fixture, "PATCH", path,
                 "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                 " 'path': 'displayName', 'value': 'Bob'}]}",
                 200);
    g_clear_pointer (&node, json_node_unref);
  }
  /* A seat freed is a seat to use. */
  set_active (fixture, carol, FALSE, 200);
  assert_seats (fixture, 2, 1);
  set_active (fixture, dave, TRUE, 200);
  assert_seats (fixture, 3, 0);

  /* Lowering the limit below what is used refuses nothing that is there, only new seats. */
  put_settings (fixture, "{'maxActiveUsers': 2}");
  assert_seats (fixture, 3, 0);
  detail = refuse (fixture, "POST", "/scim/v2/Users", "{'userName': 'erin'}", 409,
                   "seat-limit-reached");
  g_assert_nonnull (strstr (detail, "3 of 2 seats are in use"));
  set_active (fixture, bob, FALSE, 200);
}

/* With administratorsCountTowardsAllowance off, administrators take no seat. */
static void
test_administrators (Fixture *fixture, gconstpointer data)
{
  g_autofree char *detail = NULL;
  g_autoptr(JsonNode) node = NULL;

  put_settings (fixture, "{'maxActiveUsers': 1, 'administratorsCountTowardsAllowance': false}");
  assert_seats (fixture, 0, 1);
  g_free (make_user (fixture, "bob", TRUE));
  assert_seats (fixture, 1, 0);
  /* Another administrator takes no seat either. */
  node = call (fixture, "POST", "/scim/v2/Users",
               "{'userName': 'root2', 'urn:roster:params:scim:schemas:extension:crm:2.0:User':"
               " {'administrator': true}}",
               201);
  g_clear_pointer (&node, json_node_unref);
  assert_seats (fixture, 1, 0);
  detail = refuse (fixture, "POST", "/scim/v2/Users", "{'userName': 'carol'}", 409,
                   "seat-limit-reached");
  g_assert_nonnull (strstr (detail, "1 of 1 seat is in use"));

  /* Counting administrators again: the seats say so, new ones are refused. */
  put_settings (fixture, "{'maxActiveUsers': 3, 'administratorsCountTowardsAllowance': true}");
  assert_seats (fixture, 3, 0);
}

/* A restore that activates takes a seat, and is refused past the allowance; a restore
 * (inactive by default) always passes. */
static void
test_restore (Fixture *fixture, gconstpointer data)
{
  g_autofree char *bob = make_user (fixture, "bob", TRUE);
  g_autofree char *carol = make_user (fixture, "carol", TRUE);
  g_autofree char *bob_path = g_strconcat ("/scim/v2/Users/", bob, NULL);
  g_autofree char *carol_path = g_strconcat ("/scim/v2/Users/", carol, NULL);
  g_autofree char *restore_bob = g_strconcat ("/scim/v2/DeletedUsers/", bob, "/restore", NULL);
  g_autofree char *restore_carol = g_strconcat ("/scim/v2/DeletedUsers/", carol, "/restore", NULL);
  g_autoptr(JsonNode) node = NULL;

  node = call (fixture, "DELETE", bob_path, NULL, 204);
  node = call (fixture, "DELETE", carol_path, NULL, 204);
  put_settings (fixture, "{'maxActiveUsers': 2}");
  node = call (fixture, "POST", restore_bob, "{'active': true}", 200);
  g_assert_true (json_object_get_boolean_member (
      json_object_get_object_member (json_node_get_object (node), "user"), "active"));
  g_clear_pointer (&node, json_node_unref);
  assert_seats (fixture, 2, 0);
  g_free (refuse (fixture, "POST", restore_carol, "{'active': true}", 409, "seat-limit-reached"));
  node = call (fixture, "POST", restore_carol, NULL, 200);
  g_assert_false (json_object_get_boolean_member (
      json_object_get_object_member (json_node_get_object (node), "user"), "active"));
  assert_seats (fixture, 2, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rosterd/allowance/defaults", Fixture, NULL, fixture_set_up, test_defaults,
              fixture_tear_down);
  g_test_add ("/rosterd/allowance/limit", Fixture, NULL, fixture_set_up, test_limit,
              fixture_tear_down);
  g_test_add ("/rosterd/allowance/administrators", Fixture, NULL, fixture_set_up,
              test_administrators, fixture_tear_down);
  g_test_add ("/rosterd/allowance/restore", Fixture, NULL, fixture_set_up, test_restore,
              fixture_tear_down);
  return g_test_run ();
}
