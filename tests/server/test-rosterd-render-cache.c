/* test-rosterd-render-cache.c: what rosterd sends from its render cache is never stale
 *
 * rosterd keeps each user's JSON as last sent and sends it again while the store is
 * unchanged (src/server/roster-render-cache.c). These tests change what a user's JSON shows
 * without touching the user's own row (the manager's name, a group's name and members, a
 * role's permissions) and check that the next GET and the next page show it, also with two
 * rosterd processes where the write and the read land on different ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define ROLE "urn:roster:params:scim:schemas:core:2.0:Role"

static const char *const two_workers[] = { "--workers", "2", NULL };

typedef struct
{
  RosterTestServer *server;
  char *token;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = roster_test_server_start (data);
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

static char *
create (Fixture *fixture, const char *path, const char *body)
{
  return test_create (fixture->server, fixture->token, path, body);
}

static void
patch (Fixture *fixture, const char *kind, const char *id, const char *operations)
{
  g_autofree char *path = g_strdup_printf ("/scim/v2/%s/%s", kind, id);
  g_autofree char *body = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [%s]}",
                                           operations);
  g_autoptr(JsonNode) node = call (fixture, "PATCH", path, body, 200);
}

/* What GET @path answers, read @times times (every request is on a new connection, so with
 * two processes both answer), all answers the same. */
static char *
get_repeatedly (Fixture *fixture, const char *path, guint times)
{
  char *first = NULL;

  for (guint i = 0; i < times; i++)
    {
      guint status = 0;
      g_autofree char *body = roster_test_server_request (fixture->server, "GET", path,
                                                          fixture->token, NULL, NULL, &status);

      g_assert_cmpuint (status, ==, 200);
      if (first == NULL)
        first = g_steal_pointer (&body);
      else
        g_assert_cmpstr (body, ==, first);
    }
  return first;
}

/* The user as GET /Users/{id} shows it, serialised. */
static char *
get_user (Fixture *fixture, const char *id, guint times)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);

  return get_repeatedly (fixture, path, times);
}

/* A page of users filtered to @user_name, serialised. */
static char *
get_page (Fixture *fixture, const char *user_name, guint times)
{
  g_autofree char *path = g_strdup_printf (
    "/scim/v2/Users?filter=userName%%20eq%%20%%22%s%%22&sortBy=displayName", user_name);

  return get_repeatedly (fixture, path, times);
}

static gboolean
contains (const char *haystack, const char *needle)
{
  return strstr (haystack, needle) != NULL;
}

static void
assert_shows (Fixture *fixture, const char *id, const char *user_name, const char *needle,
              gboolean shown, guint times)
{
  g_autofree char *user = get_user (fixture, id, times);
  g_autofree char *page = get_page (fixture, user_name, times);

  if (shown != contains (user, needle) || shown != contains (page, needle))
    g_error ("expected %s “%s” in\n%s\nand\n%s", shown ? "" : "no", needle, user, page);
}

/* Everything a user's JSON shows from other rows: each change shows at once. */
static void
test_derived_data (Fixture *fixture, gconstpointer data)
{
  guint times = data != NULL ? 8 : 2;
  g_autofree char *boss = create (fixture, "/scim/v2/Users",
                                  "{'userName': 'boss', 'displayName': 'Ada Boss'}");
  g_autofree char *body = g_strdup_printf (
    "{'userName': 'worker', 'displayName': 'Will Worker', '" ENTERPRISE "':"
    " {'manager': {'value': '%s'}}}", boss);
  g_autofree char *worker = create (fixture, "/scim/v2/Users", body);
  g_autofree char *role = create (fixture, "/scim/v2/Roles",
                                  "{'schemas': ['" ROLE "'], 'name': 'Sales',"
                                  " 'permissions': ['clients.view']}");
  g_autofree char *group = NULL;
  g_autofree char *ops = NULL;

  /* Read first, so that the next reads could come from the cache. */
  assert_shows (fixture, worker, "worker", "Ada Boss", TRUE, times);

  /* The manager's new name, written to the manager's row only. */
  patch (fixture, "Users", boss, "{'op': 'replace', 'path': 'displayName', 'value': 'Ada Chief'}");
  assert_shows (fixture, worker, "worker", "Ada Chief", TRUE, times);
  assert_shows (fixture, worker, "worker", "Ada Boss", FALSE, times);

  /* A role, then the role's new permission and name (effectivePermissions, roles.display). */
  ops = g_strdup_printf ("{'op': 'add', 'path': 'roles', 'value': [{'value': '%s'}]}", role);
  patch (fixture, "Users", worker, ops);
  assert_shows (fixture, worker, "worker", "\"Sales\"", TRUE, times);
  assert_shows (fixture, worker, "worker", "orders.view", FALSE, times);
  patch (fixture, "Roles", role,
         "{'op': 'add', 'path': 'permissions', 'value': ['orders.view']},"
         "{'op': 'replace', 'path': 'name', 'value': 'Key Accounts'}");
  assert_shows (fixture, worker, "worker", "orders.view", TRUE, times);
  assert_shows (fixture, worker, "worker", "Key Accounts", TRUE, times);

  /* Membership, written to the group; then the group's name; then leaving it. */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{'schemas': ['" GROUP "'], 'displayName': 'Night Shift',"
                          " 'members': [{'value': '%s'}]}", worker);
  group = create (fixture, "/scim/v2/Groups", body);
  assert_shows (fixture, worker, "worker", "Night Shift", TRUE, times);
  patch (fixture, "Groups", group,
         "{'op': 'replace', 'path': 'displayName', 'value': 'Day Shift'}");
  assert_shows (fixture, worker, "worker", "Day Shift", TRUE, times);
  g_clear_pointer (&ops, g_free);
  ops = g_strdup_printf ("{'op': 'remove', 'path': 'members[value eq \\\"%s\\\"]'}", worker);
  patch (fixture, "Groups", group, ops);
  assert_shows (fixture, worker, "worker", "Day Shift", FALSE, times);

  /* The manager deleted: the reference goes. */
  {
    g_autofree char *path = g_strconcat ("/scim/v2/Users/", boss, NULL);
    g_autoptr(JsonNode) node = call (fixture, "DELETE", path, NULL, 204);
  }
  assert_shows (fixture, worker, "worker", boss, FALSE, times);
}

/* The user's own change, its ETag, and a deleted user are never answered from the cache. */
static void
test_own_changes (Fixture *fixture, gconstpointer data)
{
  guint times = data != NULL ? 8 : 2;
  g_autofree char *id = create (fixture, "/scim/v2/Users",
                                "{'userName': 'own', 'displayName': 'Own Name'}");
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  g_autofree char *first = get_user (fixture, id, times);
  g_autofree char *second = NULL;
  const char *const current[] = { "If-None-Match", "W/\"2\"", NULL };
  const char *const stale[] = { "If-None-Match", "W/\"1\"", NULL };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) headers = NULL;

  g_assert_true (contains (first, "\"version\":\"W/\\\"1\\\"\""));
  patch (fixture, "Users", id, "{'op': 'replace', 'path': 'displayName', 'value': 'New Name'}");
  second = get_user (fixture, id, times);
  g_assert_true (contains (second, "New Name"));
  g_assert_true (contains (second, "\"version\":\"W/\\\"2\\\"\""));

  /* If-None-Match with the current version: 304 with the ETag; an old one: the user. */
  for (guint i = 0; i < times; i++)
    {
      g_clear_pointer (&headers, g_hash_table_unref);
      g_clear_pointer (&node, json_node_unref);
      node = test_call (fixture->server, fixture->token, "GET", path, NULL, current, 304,
                        &headers);
      g_assert_cmpstr (g_hash_table_lookup (headers, "etag"), ==, "W/\"2\"");
      g_clear_pointer (&node, json_node_unref);
      node = test_call (fixture->server, fixture->token, "GET", path, NULL, stale, 200, NULL);
    }

  /* A projection is answered as asked, not from the cache. */
  {
    g_autofree char *projected_path = g_strconcat (path, "?attributes=userName", NULL);
    JsonObject *object;

    g_clear_pointer (&node, json_node_unref);
    node = call (fixture, "GET", projected_path, NULL, 200);
    object = json_node_get_object (node);
    g_assert_true (json_object_has_member (object, "userName"));
    g_assert_false (json_object_has_member (object, "displayName"));
  }

  /* Deleted: 404 from every process. */
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "DELETE", path, NULL, 204);
  for (guint i = 0; i < times; i++)
    {
      g_clear_pointer (&node, json_node_unref);
      node = call (fixture, "GET", path, NULL, 404);
    }
}

/* The page from the cache is the page json-glib would build: same members, same order. */
static void
test_page_shape (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) cached = NULL;
  g_autoptr(JsonNode) projected = NULL;
  JsonObject *list, *plain;
  JsonArray *resources, *projected_resources;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("{'userName': 'page%u', 'displayName': "
                                               "'Page \\u00e9 \\\\ \\\" %u'}", i, i);
      g_autofree char *id = create (fixture, "/scim/v2/Users", body);
    }
  for (guint round = 0; round < 2; round++)
    {
      g_clear_pointer (&cached, json_node_unref);
      cached = call (fixture, "GET", "/scim/v2/Users?filter=userName%20sw%20%22page%22"
                                     "&sortBy=userName&startIndex=2&count=3", NULL, 200);
    }
  /* excludedAttributes of something no user has: the same users, built without the cache. */
  projected = call (fixture, "GET", "/scim/v2/Users?filter=userName%20sw%20%22page%22"
                                    "&sortBy=userName&startIndex=2&count=3"
                                    "&excludedAttributes=nickName", NULL, 200);
  list = json_node_get_object (cached);
  plain = json_node_get_object (projected);
  g_assert_cmpint (json_object_get_int_member (list, "totalResults"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (list, "startIndex"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (list, "itemsPerPage"), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (list, "schemas"),
                                                  0),
                   ==, "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  resources = json_object_get_array_member (list, "Resources");
  projected_resources = json_object_get_array_member (plain, "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonNode *a = json_array_get_element (resources, i);
      JsonNode *b = json_array_get_element (projected_resources, i);
      g_autofree char *name = g_strdup_printf ("page%u", i + 1);

      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a), "userName"), ==,
                       name);
      g_assert_true (json_node_equal (a, b));
    }
}

/* What the render cache did so far (GET /_test/render-cache, test-clock builds). */
static gboolean
cache_stats (Fixture *fixture, gint64 *hits, gint64 *flushes)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  body = roster_test_server_request (fixture->server, "GET", "/_test/render-cache", NULL, NULL,
                                     NULL, &status);
  if (status == 404)
    {
      g_test_skip ("rosterd was built without -Dtest_clock=true");
      return FALSE;
    }
  g_assert_cmpuint (status, ==, 200);
  node = json_from_string (body, NULL);
  g_assert_nonnull (node);
  *hits = json_object_get_int_member (json_node_get_object (node), "hits");
  *flushes = json_object_get_int_member (json_node_get_object (node), "flushes");
  return TRUE;
}

/* Writes that no user's JSON shows (a session's last use, a new session, a sign-out, the
 * audit log of them, a wrong password counted on the account, a refused name counted on its
 * tag) leave the cache as it is; a change of a user, or a sign-in (lastLoginAt), empties
 * it. */
static void
test_unrelated_writes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = create (fixture, "/scim/v2/Users",
                                "{'userName': 'ana', 'displayName': 'Ana', "
                                "'password': 'a long passphrase here'}");
  g_autofree char *ana = roster_test_server_sign_in (fixture->server, "ana",
                                                     "a long passphrase here");
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  gint64 hits, flushes, hits2, flushes2;
  guint status = 0;

  first = get_user (fixture, id, 2);
  if (!cache_stats (fixture, &hits, &flushes))
    return;
  g_assert_cmpint (hits, >=, 1);

  /* A minute on, the next request records the session's use: a write to sessions. */
  g_assert_true (test_clock_advance (fixture->server, 61));
  g_free (get_user (fixture, id, 1));
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM sessions WHERE last_used > created"),
                   >=, 1);
  /* Ana signs out: a session deleted, an audit event written. */
  g_free (roster_test_server_request (fixture->server, "DELETE", "/auth/token", ana, NULL, NULL,
                                      &status));
  g_assert_cmpuint (status, ==, 204);
  /* A wrong password for ana, and a name that matches nobody: both counted. */
  g_free (test_try_sign_in (fixture->server, "ana", "not her passphrase", &status));
  g_assert_cmpuint (status, ==, 401);
  g_free (test_try_sign_in (fixture->server, "nobody", "a guess", &status));
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT failed_logins FROM users WHERE user_name = 'ana'"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM sign_in_refusals"),
                   ==, 1);

  again = get_user (fixture, id, 2);
  g_assert_cmpstr (again, ==, first);
  g_assert_true (cache_stats (fixture, &hits2, &flushes2));
  g_assert_cmpint (flushes2, ==, flushes);
  g_assert_cmpint (hits2, >=, hits + 3);

  /* A change that shows empties it. */
  patch (fixture, "Users", id, "{'op': 'replace', 'path': 'displayName', 'value': 'Ana L.'}");
  g_free (again);
  again = get_user (fixture, id, 1);
  g_assert_true (contains (again, "Ana L."));
  g_assert_true (cache_stats (fixture, &hits, &flushes));
  g_assert_cmpint (flushes, ==, flushes2 + 1);

  /* So does a sign-in: the user's lastLoginAt changes. */
  g_free (ana);
  g_assert_true (test_clock_advance (fixture->server, 1));
  ana = roster_test_server_sign_in (fixture->server, "ana", "a long passphrase here");
  g_free (again);
  again = get_user (fixture, id, 1);
  g_assert_true (cache_stats (fixture, &hits2, &flushes2));
  g_assert_cmpint (flushes2, ==, flushes + 1);
}

/* Splits @list at commas into a set of trimmed names. */
static GHashTable *
name_set (const char *list)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_add (set, g_strstrip (g_strdup (names[i])));
  return set;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The users table's update trigger names every column but the two that sign-in counts
 * (failed_logins, totp_last_step), which no user's JSON shows: a column added later must
 * be added to it (migration 16). */
static void
test_users_columns (Fixture *fixture, gconstpointer data)
{
  const char *dir = fixture->server->data_dir;
  g_autofree char *columns = test_db_query_text (
    dir, TEST_SQL ("SELECT group_concat (name, ',') FROM pragma_table_info ('users')",
                   "SELECT string_agg (column_name::text, ',') FROM information_schema.columns"
                   " WHERE table_schema = current_schema () AND table_name = 'users'"));
  g_autofree char *trigger = test_db_query_text (
    dir, TEST_SQL ("SELECT sql FROM sqlite_master WHERE name = 'users_render_after_update'",
                   "SELECT string_agg (a.attname::text, ',') FROM pg_trigger t"
                   " JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr)"
                   " WHERE t.tgname = 'users_render'"));
  g_autoptr(GHashTable) all = NULL;
  g_autoptr(GHashTable) counted = NULL;
  g_autoptr(GPtrArray) uncounted = g_ptr_array_new ();
  GHashTableIter iter;
  const char *name;

  g_assert_nonnull (columns);
  g_assert_nonnull (trigger);
  if (!test_db_is_postgres ())
    {
      const char *start = strstr (trigger, "UPDATE OF ");
      const char *end = start != NULL ? strstr (start, " ON users") : NULL;
      char *list;

      g_assert_nonnull (end);
      list = g_strndup (start + strlen ("UPDATE OF "), end - start - strlen ("UPDATE OF "));
      g_free (trigger);
      trigger = list;
    }
  all = name_set (columns);
  counted = name_set (trigger);
  g_assert_cmpuint (g_hash_table_size (all), >=, 20);
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!g_hash_table_contains (counted, name))
      g_ptr_array_add (uncounted, (gpointer) name);
  g_ptr_array_sort (uncounted, compare_names);
  g_assert_cmpuint (uncounted->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (uncounted, 0), ==, "failed_logins");
  g_assert_cmpstr (g_ptr_array_index (uncounted, 1), ==, "totp_last_step");
  /* And it names no column that is not there. */
  g_assert_cmpuint (g_hash_table_size (counted), ==, g_hash_table_size (all) - 2);
}

/* Every table is either counted in render_version or named here as one that no user's JSON
 * is made of: a new table must choose (migration 12 in roster-sqlite-store.c). */
static void
test_every_table_counted (Fixture *fixture, gconstpointer data)
{
  const char *not_shown = "('sessions', 'setup', 'user_password_history', 'audit_events', "
                          "'records', 'deleted_users', 'mail_outbox', 'activation_links', "
                          "'substring_positions', 'user_substrings', 'schema_version', "
                          "'render_version', 'sign_in_refusals')";
  g_autofree char *uncounted = g_strdup_printf (
    "SELECT count(*) FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%%' "
    "AND t.name NOT IN %s AND (SELECT count(*) FROM sqlite_master g WHERE g.type = 'trigger' "
    "AND g.tbl_name = t.name AND g.name LIKE '%%_render_after_%%') != 3",
    not_shown);
  g_autofree char *named = g_strdup_printf (
    "SELECT count(*) FROM sqlite_master t WHERE t.type = 'table' AND t.name IN %s "
    "AND NOT EXISTS (SELECT 1 FROM sqlite_master g WHERE g.type = 'trigger' "
    "AND g.tbl_name = t.name AND g.name LIKE '%%_render_after_%%')",
    not_shown);

  if (test_db_is_postgres ())
    {
      /* One row-level trigger per table there (roster-postgres-schema.c), and no substring
       * tables (pg_trgm). */
      g_autofree char *pg_uncounted = g_strdup_printf (
        "SELECT count(*) FROM pg_tables t WHERE t.schemaname = current_schema () "
        "AND t.tablename NOT IN %s AND NOT EXISTS (SELECT 1 FROM pg_trigger g "
        "WHERE g.tgrelid = CAST (t.tablename AS regclass) AND g.tgname = t.tablename || '_render')",
        not_shown);
      g_autofree char *pg_named = g_strdup_printf (
        "SELECT count(*) FROM pg_tables t WHERE t.schemaname = current_schema () "
        "AND t.tablename IN %s AND NOT EXISTS (SELECT 1 FROM pg_trigger g "
        "WHERE g.tgrelid = CAST (t.tablename AS regclass) AND g.tgname LIKE '%%_render')",
        not_shown);

      g_assert_cmpint (test_db_query_int (fixture->server->data_dir, pg_uncounted), ==, 0);
      g_assert_cmpint (test_db_query_int (fixture->server->data_dir, pg_named), ==, 11);
      g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                          "SELECT count(*) FROM pg_trigger "
                                          "WHERE tgname LIKE '%_render'"),
                       ==, 12);
      return;
    }
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir, uncounted), ==, 0);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir, named), ==, 13);
  g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                      "AND name LIKE '%_render_after_%'"),
                   ==, 12 * 3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/rosterd/render-cache/derived-data", Fixture, NULL, fixture_set_up,
              test_derived_data, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/derived-data-two-workers", Fixture, two_workers,
              fixture_set_up, test_derived_data, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/own-changes", Fixture, NULL, fixture_set_up,
              test_own_changes, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/own-changes-two-workers", Fixture, two_workers,
              fixture_set_up, test_own_changes, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/unrelated-writes", Fixture, NULL, fixture_set_up,
              test_unrelated_writes, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/users-columns", Fixture, NULL, fixture_set_up,
              test_users_columns, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/every-table-counted", Fixture, NULL, fixture_set_up,
              test_every_table_counted, fixture_tear_down);
  g_test_add ("/rosterd/render-cache/page-shape", Fixture, NULL, fixture_set_up,
              test_page_shape, fixture_tear_down);
  return g_test_run ();
}
