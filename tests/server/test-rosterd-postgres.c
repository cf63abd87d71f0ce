/* test-rosterd-postgres.c: two rosterd on one PostgreSQL database, as on two hosts
 *
 * Each has its own data dir (its lock, its URL file) and the same database and secret.key.
 * What one of them writes, the other serves at once: sessions, users, versions, the
 * uniqueness of user names, the count of failed sign-ins; and both carry on when their
 * database connections are lost. Runs in the postgres test setup
 * (tools/test.sh); elsewhere there is no PostgreSQL to share, and it skips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd-postgres"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "server-test-util.h"

typedef struct
{
  RosterTestServer *a;
  RosterTestServer *b;
  char *admin; /* a token from a */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  if (!test_db_is_postgres ())
    return;
  fixture->a = roster_test_server_start (NULL);
  fixture->admin = roster_test_server_setup_admin (fixture->a, ADMIN_NAME, ADMIN_PASSWORD);
  fixture->b = roster_test_server_start_sharing (fixture->a, NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->b, roster_test_server_stop);
  g_clear_pointer (&fixture->a, roster_test_server_stop);
  g_clear_pointer (&fixture->admin, g_free);
}

static gboolean
skip_without_postgres (void)
{
  if (test_db_is_postgres ())
    return FALSE;
  g_test_skip ("needs $ROSTER_TEST_POSTGRES: tools/test.sh runs it in the postgres setup");
  return TRUE;
}

static const char *
member (JsonNode *node, const char *name)
{
  return json_object_get_string_member (json_node_get_object (node), name);
}

static char *
version_of (JsonNode *node)
{
  return g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (node), "meta"), "version"));
}

/* A token and a user made at a serve at b, and b's changes show at a at once, even for a
 * user a had just served (and kept in its render cache). */
static void
test_shared_data (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;
  g_autoptr(JsonNode) at_a = NULL;
  g_autoptr(JsonNode) at_b = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) again = NULL;

  if (skip_without_postgres ())
    return;
  id = test_create (fixture->a, fixture->admin, "/scim/v2/Users",
                    "{'userName': 'ana', 'displayName': 'Ana'}");
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  at_a = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  at_b = test_call (fixture->b, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (at_b, "displayName"), ==, "Ana");
  version = version_of (at_a);
  {
    g_autofree char *version_b = version_of (at_b);

    g_assert_cmpstr (version_b, ==, version);
  }

  {
    const char *headers[] = { "If-Match", version, NULL };

    patched = test_call (fixture->b, fixture->admin, "PATCH", path,
                         "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], "
                         "'Operations': [{'op': 'replace', 'path': 'displayName', "
                         "'value': 'Ana Lima'}]}",
                         headers, 200, NULL);
  }
  again = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (again, "displayName"), ==, "Ana Lima");
  {
    g_autofree char *version_patched = version_of (patched);
    g_autofree char *version_again = version_of (again);

    g_assert_cmpstr (version_again, ==, version_patched);
    g_assert_cmpstr (version_again, !=, version);
  }
}

/* A write at a with the version b has replaced fails with 412 and changes nothing. */
static void
test_stale_version (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *from_b = NULL;
  g_autofree char *from_a = NULL;

  if (skip_without_postgres ())
    return;
  id = test_create (fixture->a, fixture->admin, "/scim/v2/Users", "{'userName': 'bea'}");
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  first = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  old = version_of (first);
#define RENAME(name)                                                                               \
  "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], "                               \
  "'Operations': [{'op': 'replace', 'path': 'displayName', 'value': '" name "'}]}"
  from_b = g_strdup (RENAME ("from b"));
  from_a = g_strdup (RENAME ("from a"));
  {
    const char *headers[] = { "If-Match", old, NULL };
    g_autoptr(JsonNode) ok = test_call (fixture->b, fixture->admin, "PATCH", path, from_b, headers,
                                        200, NULL);
    g_autoptr(JsonNode) refused = test_call (fixture->a, fixture->admin, "PATCH", path, from_a,
                                             headers, 412, NULL);

    g_assert_nonnull (ok);
    g_assert_nonnull (refused);
  }
  after = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (after, "displayName"), ==, "from b");
}

typedef struct
{
  RosterTestServer *server;
  const char *token;
  char *body;
  guint status;
  GMutex *mutex;
  GCond *cond;
  gboolean *go;
} Post;

/* Waits for the start signal, then POSTs, so both requests leave at once. */
static gpointer
post_thread (gpointer data)
{
  Post *post = data;
  g_autofree char *answer = NULL;

  g_mutex_lock (post->mutex);
  while (!*post->go)
    g_cond_wait (post->cond, post->mutex);
  g_mutex_unlock (post->mutex);
  answer = test_send_json (post->server, "POST", "/scim/v2/Users", post->token, post->body,
                           &post->status);
  return NULL;
}

/* The same userName sent to both at the same moment is created once: the other gets 409.
 * Different names sent to both at once are all created. */
static void
test_unique_across_hosts (Fixture *fixture, gconstpointer data)
{
  GMutex mutex;
  GCond cond;
  guint created = 0;

  if (skip_without_postgres ())
    return;
  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint round = 0; round < 20; round++)
    {
      gboolean go = FALSE;
      g_autofree char *same = g_strdup_printf ("{\"userName\": \"twin-%u\"}", round);
      Post posts[4] = {
        { fixture->a, fixture->admin, g_strdup (same), 0, &mutex, &cond, &go },
        { fixture->b, fixture->admin, g_strdup (same), 0, &mutex, &cond, &go },
        { fixture->a, fixture->admin, g_strdup_printf ("{\"userName\": \"a-%u\"}", round), 0,
          &mutex, &cond, &go },
        { fixture->b, fixture->admin, g_strdup_printf ("{\"userName\": \"b-%u\"}", round), 0,
          &mutex, &cond, &go },
      };
      GThread *threads[G_N_ELEMENTS (posts)];

      for (guint i = 0; i < G_N_ELEMENTS (posts); i++)
        threads[i] = g_thread_new ("post", post_thread, &posts[i]);
      g_mutex_lock (&mutex);
      go = TRUE;
      g_cond_broadcast (&cond);
      g_mutex_unlock (&mutex);
      for (guint i = 0; i < G_N_ELEMENTS (posts); i++)
        {
          g_thread_join (threads[i]);
          g_free (posts[i].body);
        }
      /* One twin each round, whichever host won. */
      g_assert_true ((posts[0].status == 201 && posts[1].status == 409)
                     || (posts[0].status == 409 && posts[1].status == 201));
      g_assert_cmpuint (posts[2].status, ==, 201);
      g_assert_cmpuint (posts[3].status, ==, 201);
      created += 3;
    }
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  {
    g_autoptr(JsonNode) list_a = test_call (fixture->a, fixture->admin, "GET",
                                            "/scim/v2/Users?count=0", NULL, NULL, 200, NULL);
    g_autoptr(JsonNode) list_b = test_call (fixture->b, fixture->admin, "GET",
                                            "/scim/v2/Users?count=0", NULL, NULL, 200, NULL);
    JsonObject *a = json_node_get_object (list_a);
    JsonObject *b = json_node_get_object (list_b);

    /* …and the administrator */
    g_assert_cmpint (json_object_get_int_member (a, "totalResults"), ==, created + 1);
    g_assert_cmpint (json_object_get_int_member (b, "totalResults"), ==, created + 1);
  }
}

/* Wrong passwords count together whichever host they reach: 3 at a and 3 at b lock the
 * account (the threshold is 5), and then the right one is refused at both. */
static void
test_lockout_across_hosts (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) user = NULL;
  guint status = 0;

  if (skip_without_postgres ())
    return;
  id = test_create (fixture->a, fixture->admin, "/scim/v2/Users",
                    "{'userName': 'cai', 'password': 'the right passphrase'}");
  for (guint i = 0; i < 6; i++)
    {
      g_free (test_try_sign_in (i % 2 == 0 ? fixture->a : fixture->b, "cai", "wrong guess",
                                &status));
      g_assert_cmpuint (status, ==, 401);
    }
  g_free (test_try_sign_in (fixture->a, "cai", "the right passphrase", &status));
  g_assert_cmpuint (status, ==, 401);
  g_free (test_try_sign_in (fixture->b, "cai", "the right passphrase", &status));
  g_assert_cmpuint (status, ==, 401);
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  user = test_call (fixture->b, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (json_object_get_string_member (test_roster_extension (user), "status"), ==,
                   "locked");
}

/* The name of the fixture's database, and a connection to the server's "postgres"
 * database, from where the test can act on it. */
static PGconn *
connect_beside (Fixture *fixture, char **name)
{
  PGconn *own = PQconnectdb (fixture->a->database);
  PGconn *conn;

  g_assert_cmpint (PQstatus (own), ==, CONNECTION_OK);
  *name = g_strdup (PQdb (own));
  PQfinish (own);
  conn = PQconnectdb (g_getenv ("ROSTER_TEST_POSTGRES"));
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static char *
query_value (PGconn *conn, const char *sql, const char *name)
{
  const char *params[] = { name };
  PGresult *result = PQexecParams (conn, sql, 1, NULL, params, NULL, NULL, 0);
  char *value;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

/* Ends every connection to database @name but @conn, as a restart of the PostgreSQL
 * server would, and waits until they are gone. Returns how many there were. */
static guint
terminate_connections_to (PGconn *conn, const char *name)
{
  g_autofree char *terminated = query_value (conn, "SELECT count(pg_terminate_backend (pid))"
                                                   " FROM pg_stat_activity WHERE datname = $1",
                                             name);

  for (guint i = 0;; i++)
    {
      g_autofree char *left = query_value (conn, "SELECT count(*) FROM pg_stat_activity"
                                                 " WHERE datname = $1", name);

      if (g_str_equal (left, "0"))
        break;
      g_assert_cmpuint (i, <, 500);
      g_usleep (10 * 1000);
    }
  return (guint) g_ascii_strtoull (terminated, NULL, 10);
}

static guint
terminate_connections (Fixture *fixture)
{
  g_autofree char *name = NULL;
  PGconn *conn = connect_beside (fixture, &name);
  guint n = terminate_connections_to (conn, name);

  PQfinish (conn);
  return n;
}

/* Both hosts lose their database connection (PostgreSQL restarted): the next request at
 * each is served, on a connection opened again, reads and writes alike. */
static void
test_connection_lost (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) at_a = NULL;
  g_autoptr(JsonNode) at_b = NULL;

  if (skip_without_postgres ())
    return;
  id = test_create (fixture->a, fixture->admin, "/scim/v2/Users",
                    "{'userName': 'dara', 'displayName': 'Dara'}");
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  at_b = test_call (fixture->b, fixture->admin, "GET", path, NULL, NULL, 200, NULL);

  /* a and b, one connection each at least */
  g_assert_cmpuint (terminate_connections (fixture), >=, 2);

  at_a = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (at_a, "displayName"), ==, "Dara");
  second = test_create (fixture->b, fixture->admin, "/scim/v2/Users",
                        "{'userName': 'eli', 'displayName': 'Eli'}");
  g_clear_pointer (&at_a, json_node_unref);
  {
    g_autofree char *second_path = g_strconcat ("/scim/v2/Users/", second, NULL);

    at_a = test_call (fixture->a, fixture->admin, "GET", second_path, NULL, NULL, 200, NULL);
  }
  g_assert_cmpstr (member (at_a, "userName"), ==, "eli");

  /* Again, to be sure the statements prepared anew on the first reconnection serve a
   * second one as well. */
  terminate_connections (fixture);
  g_clear_pointer (&at_b, json_node_unref);
  at_b = test_call (fixture->b, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (at_b, "userName"), ==, "dara");
}

/* Runs @sql on a connection of the fixture's own to its database. */
/* While the database takes no connections, a request is answered 503 store-unavailable
 * with Retry-After, and nothing else; once it does again, rosterd connects at a later
 * request (it tries at most once a second). */
static void
test_database_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(JsonNode) user = NULL;
  guint status = 0;

  if (skip_without_postgres ())
    return;
  id = test_create (fixture->a, fixture->admin, "/scim/v2/Users", "{'userName': 'fen'}");
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  roster_test_server_set_database_available (fixture->a, FALSE);

  body = test_send_json (fixture->a, "GET", path, fixture->admin, NULL, &status);
  test_assert_scim_error (body, 503, "store-unavailable", NULL);
  g_clear_pointer (&body, g_free);
  body = test_send_json (fixture->a, "POST", "/scim/v2/Users", fixture->admin,
                         "{\"userName\": \"gil\"}", &status);
  test_assert_scim_error (body, 503, "store-unavailable", NULL);
  user = test_call (fixture->b, fixture->admin, "GET", path, NULL, NULL, 503, &headers);
  g_assert_cmpstr (g_hash_table_lookup (headers, "retry-after"), ==, "1");
  g_clear_pointer (&user, json_node_unref);

  roster_test_server_set_database_available (fixture->a, TRUE);
  g_usleep (1100 * 1000); /* past the second between two attempts */
  user = test_call (fixture->a, fixture->admin, "GET", path, NULL, NULL, 200, NULL);
  g_assert_cmpstr (member (user, "userName"), ==, "fen");
  g_clear_pointer (&body, g_free);
  /* The create refused while the database was away left nothing behind. */
  body = test_send_json (fixture->b, "GET", "/scim/v2/Users?filter=userName%20eq%20%22gil%22",
                         fixture->admin, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&user, json_node_unref);
  user = test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (user), "totalResults"), ==,
                   0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/rosterd/postgres/shared-data", Fixture, NULL, fixture_set_up, test_shared_data,
              fixture_tear_down);
  g_test_add ("/rosterd/postgres/stale-version", Fixture, NULL, fixture_set_up,
              test_stale_version, fixture_tear_down);
  g_test_add ("/rosterd/postgres/unique-across-hosts", Fixture, NULL, fixture_set_up,
              test_unique_across_hosts, fixture_tear_down);
  g_test_add ("/rosterd/postgres/lockout-across-hosts", Fixture, NULL, fixture_set_up,
              test_lockout_across_hosts, fixture_tear_down);
  g_test_add ("/rosterd/postgres/connection-lost", Fixture, NULL, fixture_set_up,
              test_connection_lost, fixture_tear_down);
  g_test_add ("/rosterd/postgres/database-down", Fixture, NULL, fixture_set_up,
              test_database_down, fixture_tear_down);
  return g_test_run ();
}
