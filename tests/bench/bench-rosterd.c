/* bench-rosterd.c: rosterd's own latency at 100,000 users (issue 3)
 *
 * Starts a real rosterd on 127.0.0.1 with a fresh SQLite file, seeds it with N users over
 * HTTP (8 connections, one POST /Users each), then sends requests one at a time from a single
 * keep-alive connection and prints p50/p99 latency for:
 *   - GET /scim/v2/Users/{id} (random ids);
 *   - a filtered page: filter=userName sw "userNNNN" or displayName co "userNNNN",
 *     sortBy=displayName, count=50 (the literal varies);
 *   - a sorted page: sortBy=name.familyName, random startIndex, count=50;
 *   - POST /Users (a new user each time);
 *   - PATCH /Users/{id} (replace displayName, with If-Match).
 * Each runs for BENCH_REQUESTS requests (2,000) or BENCH_SECONDS (10 s), whichever ends first.
 * It is a benchmark, not a test: run it with tests/bench/run-rosterd.sh. Arguments:
 *   bench-rosterd [N_USERS] [DATA_DIR]
 * With DATA_DIR the seeded database stays there (rosterd is stopped) and the last lines of
 * the output are `id: ID` and `token: TOKEN` (and, with $ROSTER_TEST_POSTGRES, `database:
 * CONNINFO`), for run-rosterd.sh to drive wrk with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-rosterd"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "roster-test-server.h"

/* ----------------------------------------------------------------- seeding */

typedef struct
{
  SoupSession *session;
  char *url;
  char *auth;
  guint next;
  guint total;
  guint done;
  guint failed;
  GPtrArray *ids;
} Seeder;

static void seed_one (Seeder *seeder);

static char *
take_id (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "id", NULL));
}

static void
seed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Seeder *seeder = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               NULL);
  char *id = NULL;

  if (bytes != NULL && soup_message_get_status (msg) == 201)
    id = take_id (bytes);
  if (id != NULL)
    g_ptr_array_add (seeder->ids, id);
  else
    seeder->failed++;
  seeder->done++;
  seed_one (seeder);
}

static const char *const given_names[] = { "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald",
                                           "Frances", "Ken", "Margaret", "Dennis", "Radia",
                                           "Linus", "Karen", "Niklaus", "Hedy", "John" };
static const char *const family_names[] = { "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov",
                                            "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie",
                                            "Perlman", "Torvalds", "Jones", "Wirth", "Lamarr",
                                            "Backus" };

static GBytes *
user_json (const char *user_name, guint i)
{
  char *json;

  json = g_strdup_printf ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                          "\"userName\":\"%s\",\"displayName\":\"%s %s (%s)\","
                          "\"name\":{\"givenName\":\"%s\",\"familyName\":\"%s %u\"},"
                          "\"emails\":[{\"value\":\"%s@example.com\",\"primary\":true}]}",
                          user_name, given_names[i % G_N_ELEMENTS (given_names)],
                          family_names[(i / 16) % G_N_ELEMENTS (family_names)], user_name,
                          given_names[i % G_N_ELEMENTS (given_names)],
                          family_names[(i / 16) % G_N_ELEMENTS (family_names)], i, user_name);
  return g_bytes_new_take (json, strlen (json));
}

static void
seed_one (Seeder *seeder)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *user_name = NULL;
  guint i;

  if (seeder->next >= seeder->total)
    return;
  i = seeder->next++;
  msg = soup_message_new ("POST", seeder->url);
  /* libsoup opens a new connection for every non-idempotent request; seeding 100,000 users
   * that way costs a connection each. These creates are safe to send on a reused one. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                seeder->auth);
  user_name = g_strdup_printf ("user%06u", i);
  body = user_json (user_name, i);
  soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
  soup_session_send_and_read_async (seeder->session, msg, G_PRIORITY_DEFAULT, NULL, seed_cb,
                                    seeder);
}

static GPtrArray *
seed (RosterTestServer *server, const char *token, guint n_users)
{
  Seeder seeder = { 0 };
  gint64 start = g_get_monotonic_time ();

  seeder.session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  seeder.url = g_strconcat (server->base_url, "/scim/v2/Users", NULL);
  seeder.auth = g_strconcat ("Bearer ", token, NULL);
  seeder.total = n_users;
  seeder.ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 8; i++)
    seed_one (&seeder);
  while (seeder.done < seeder.total)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (seeder.failed, ==, 0);
  g_print ("seeded %u users in %.1f s (%.0f creates/s, 8 connections)\n", n_users,
           (g_get_monotonic_time () - start) / 1e6,
           n_users / ((g_get_monotonic_time () - start) / 1e6));
  g_object_unref (seeder.session);
  g_free (seeder.url);
  g_free (seeder.auth);
  return seeder.ids;
}

/* --------------------------------------------------------------- measuring */

typedef struct
{
  SoupSession *session;
  char *base_url;
  char *auth;
  GPtrArray *ids;
  guint n_users;
  guint created;
} Bench;

typedef enum
{
  OP_GET,
  OP_FILTER,
  OP_SORTED,
  OP_CREATE,
  OP_PATCH,
  OP_REFUSED_UNKNOWN,
  OP_REFUSED_WRONG,
  OP_REFUSED_INACTIVE,
} Op;

/* Accounts with a password for the wrong-password row (lockoutThreshold is raised to 100
 * for the run, so none locks within BENCH_SECONDS), and one inactive account. */
#define N_SIGN_IN_USERS 50
#define SIGN_IN_PASSWORD "a long walk by the river"

static const char *const op_names[] = {
  "GET /Users/{id}",
  "filtered page (sw/co, sortBy=displayName, 50)",
  "sorted page (name.familyName, random startIndex, 50)",
  "POST /Users",
  "PATCH /Users/{id} (If-Match)",
  "POST /auth/token refused: unknown name",
  "POST /auth/token refused: wrong password",
  "POST /auth/token refused: inactive account, right password",
};

/* Sends @msg and waits for the whole body; returns the status, 0 on a transport error. */
static guint
send_message (Bench *bench, SoupMessage *msg, GBytes **body_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                bench->auth);
  body = soup_session_send_and_read (bench->session, msg, NULL, &error);
  if (body == NULL)
    {
      g_printerr ("%s %s: %s\n", soup_message_get_method (msg),
                  g_uri_to_string (soup_message_get_uri (msg)), error->message);
      return 0;
    }
  if (body_out != NULL)
    *body_out = g_steal_pointer (&body);
  return soup_message_get_status (msg);
}

static const char *
random_id (Bench *bench)
{
  return g_ptr_array_index (bench->ids, g_random_int_range (0, (gint32) bench->ids->len));
}

static SoupMessage *
new_message (Bench *bench, const char *method, const char *path)
{
  g_autofree char *url = g_strconcat (bench->base_url, path, NULL);

  return soup_message_new (method, url);
}

/* One request of @op; returns its latency in µs, or -1 if it failed. Only the request
 * itself is timed (PATCH's preliminary GET for the ETag is not). */
static gint64
run_one (Bench *bench, Op op)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GBytes) body = NULL;
  guint expected = 200;
  gint64 start;
  guint status;

  switch (op)
    {
    case OP_GET:
      path = g_strconcat ("/scim/v2/Users/", random_id (bench), NULL);
      msg = new_message (bench, "GET", path);
      break;

    case OP_FILTER:
      {
        g_autofree char *literal = g_strdup_printf ("user%04u",
                                                    (guint) g_random_int_range (0, 1000));
        g_autofree char *filter = g_strdup_printf ("userName sw \"%s\" or displayName co \"%s\"",
                                                   literal, literal);
        g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

        path = g_strdup_printf ("/scim/v2/Users?filter=%s&sortBy=displayName&count=50",
                                escaped);
        msg = new_message (bench, "GET", path);
      }
      break;

    case OP_SORTED:
      path = g_strdup_printf ("/scim/v2/Users?sortBy=name.familyName&startIndex=%u&count=50",
                              (guint) g_random_int_range (1, (gint32) MAX (2, bench->n_users)));
      msg = new_message (bench, "GET", path);
      break;

    case OP_CREATE:
      {
        g_autofree char *user_name = g_strdup_printf ("bench%06u", bench->created++);

        msg = new_message (bench, "POST", "/scim/v2/Users");
        soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
        body = user_json (user_name, bench->created);
        soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
        g_clear_pointer (&body, g_bytes_unref);
        expected = 201;
      }
      break;

    case OP_PATCH:
      {
        g_autoptr(SoupMessage) get = NULL;
        g_autofree char *json = NULL;
        g_autoptr(GBytes) patch = NULL;

        path = g_strconcat ("/scim/v2/Users/", random_id (bench), NULL);
        get = new_message (bench, "GET", path);
        if (send_message (bench, get, NULL) != 200)
          return -1;
        etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (get),
                                                       "ETag"));
        if (etag == NULL)
          return -1;
        msg = new_message (bench, "PATCH", path);
        soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
        soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match",
                                      etag);
        json = g_strdup_printf ("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                                "\"value\":\"Patched %u\"}]}",
                                g_random_int ());
        patch = g_bytes_new_take (g_steal_pointer (&json), strlen (json));
        soup_message_set_request_body_from_bytes (msg, "application/scim+json", patch);
      }
      break;

    case OP_REFUSED_UNKNOWN:
    case OP_REFUSED_WRONG:
    case OP_REFUSED_INACTIVE:
      {
        g_autofree char *user_name = NULL;
        g_autofree char *json = NULL;
        g_autoptr(GBytes) sign_in = NULL;

        if (op == OP_REFUSED_UNKNOWN)
          user_name = g_strdup_printf ("nobody%08u", g_random_int ());
        else if (op == OP_REFUSED_WRONG)
          user_name = g_strdup_printf ("signin%02d", g_random_int_range (0, N_SIGN_IN_USERS));
        else
          user_name = g_strdup ("inactive");
        json = g_strdup_printf ("{\"userName\":\"%s\",\"password\":\"%s\"}", user_name,
                                op == OP_REFUSED_WRONG ? "not the password" : SIGN_IN_PASSWORD);
        sign_in = g_bytes_new_take (g_steal_pointer (&json), strlen (json));
        msg = new_message (bench, "POST", "/auth/token");
        soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
        soup_message_set_request_body_from_bytes (msg, "application/json", sign_in);
        expected = 401;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  start = g_get_monotonic_time ();
  status = send_message (bench, msg, &body);
  if (status != expected)
    {
      g_printerr ("%s %s: status %u\n", soup_message_get_method (msg), path != NULL ? path : "",
                  status);
      return -1;
    }
  return g_get_monotonic_time () - start;
}

/* Makes the accounts the sign-in rows use, and lets them fail 100 times in a row. */
static void
add_sign_in_users (Bench *bench)
{
  for (int i = 0; i <= N_SIGN_IN_USERS; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (bench, "POST", "/scim/v2/Users");
      g_autofree char *user_name = i < N_SIGN_IN_USERS ? g_strdup_printf ("signin%02d", i)
                                                       : g_strdup ("inactive");
      g_autofree char *json = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\","
        "\"password\":\"%s\",\"active\":%s}",
        user_name, SIGN_IN_PASSWORD, i < N_SIGN_IN_USERS ? "true" : "false");
      g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&json), strlen (json));
      guint status;

      soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
      status = send_message (bench, msg, NULL);
      if (status != 201)
        g_error ("creating %s: status %u", user_name, status);
    }
  {
    g_autoptr(SoupMessage) msg = new_message (bench, "PUT", "/scim/v2/Settings");
    const char *json = "{\"lockoutThreshold\": 100}";
    g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
    guint status;

    soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
    status = send_message (bench, msg, NULL);
    if (status != 200)
      g_error ("PUT /Settings: status %u", status);
  }
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *values, double p)
{
  guint index;

  if (values->len == 0)
    return 0;
  index = MIN (values->len - 1, (guint) (p * values->len));
  return g_array_index (values, gint64, index) / 1000.0;
}

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* Times @n_ops kinds of request, one of each in turn, until each has @max_requests or
 * @max_seconds have passed, and prints a row for each. */
static void
run_rows (Bench *bench, const Op *ops, guint n_ops, guint max_requests, guint max_seconds)
{
  GArray *latencies[3];
  gint64 totals[G_N_ELEMENTS (latencies)];
  gint64 end = g_get_monotonic_time () + (gint64) max_seconds * G_USEC_PER_SEC;
  guint failed = 0;

  g_assert (n_ops >= 1 && n_ops <= G_N_ELEMENTS (latencies));
  for (guint k = 0; k < n_ops; k++)
    {
      latencies[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      totals[k] = 0;
      /* A few untimed requests to warm the connection and the page cache. */
      for (guint i = 0; i < 20; i++)
        run_one (bench, ops[k]);
    }
  while (latencies[n_ops - 1]->len < max_requests && g_get_monotonic_time () < end)
    for (guint k = 0; k < n_ops; k++)
      {
        gint64 latency = run_one (bench, ops[k]);

        if (latency < 0)
          {
            if (++failed > 10)
              g_error ("%s: too many failures", op_names[ops[k]]);
            continue;
          }
        g_array_append_val (latencies[k], latency);
        totals[k] += latency;
      }
  for (guint k = 0; k < n_ops; k++)
    {
      g_array_sort (latencies[k], compare_gint64);
      g_print ("| %s | %u | %.2f | %.2f | %.2f | %.0f |\n", op_names[ops[k]], latencies[k]->len,
               percentile_ms (latencies[k], 0.50), percentile_ms (latencies[k], 0.99),
               percentile_ms (latencies[k], 1.0),
               totals[k] > 0 ? latencies[k]->len / (totals[k] / 1e6) : 0);
      g_array_unref (latencies[k]);
    }
}

int
main (int argc, char **argv)
{
  guint n_users = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  const char *keep_dir = argc > 2 ? argv[2] : NULL;
  guint max_requests = env_uint ("BENCH_REQUESTS", 2000);
  guint max_seconds = env_uint ("BENCH_SECONDS", 10);
  RosterTestServer *server;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  Bench bench = { 0 };
  const Op refusals[] = { OP_REFUSED_UNKNOWN, OP_REFUSED_WRONG, OP_REFUSED_INACTIVE };

  if (n_users < 2)
    g_error ("bench-rosterd needs at least 2 users");
  server = keep_dir != NULL ? roster_test_server_start_in (keep_dir, NULL)
                            : roster_test_server_start (NULL);
  token = roster_test_server_setup_admin (server, "admin", "correct horse battery");
  ids = seed (server, token, n_users - 1);

  bench.session = soup_session_new_with_options ("max-conns-per-host", 1, "timeout", 30, NULL);
  bench.base_url = server->base_url;
  bench.auth = g_strconcat ("Bearer ", token, NULL);
  bench.ids = ids;
  bench.n_users = n_users;

  g_print ("\nrosterd at %u users, one request at a time on one keep-alive connection\n"
           "(%u requests or %u s per row, whichever ends first)\n\n",
           n_users, max_requests, max_seconds);
  add_sign_in_users (&bench);
  g_print ("| request | n | p50 ms | p99 ms | max ms | req/s |\n|---|---|---|---|---|---|\n");
  for (Op op = OP_GET; op <= OP_PATCH; op++)
    run_rows (&bench, &op, 1, max_requests, max_seconds);
  /* Taking turns, so that the machine's drift cannot tell the three apart. */
  run_rows (&bench, refusals, G_N_ELEMENTS (refusals), max_requests, max_seconds);

  g_object_unref (bench.session);
  g_free (bench.auth);
  if (keep_dir != NULL)
    {
      g_autofree char *database = roster_test_server_database_for (keep_dir);

      g_print ("\nid: %s\ntoken: %s\n", (const char *) g_ptr_array_index (ids, 0), token);
      /* With $ROSTER_TEST_POSTGRES, the database that holds the seeded users. */
      if (database != NULL)
        g_print ("database: %s\n", database);
    }
  roster_test_server_stop (server);
  return 0;
}
