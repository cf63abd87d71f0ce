/* roster-test-server.c: run a real rosterd on 127.0.0.1 for a test
 *
 * Tests get a rosterd from $ROSTERD on a fresh temporary data dir, listening on a free
 * loopback port, and talk to it with a synchronous libsoup helper. Everything asserts, so a
 * test reads as a list of expectations.
 *
 * With $ROSTER_TEST_POSTGRES (a libpq connection string to a server the test run started,
 * tests/harness/postgres.sh), rosterd keeps its data in PostgreSQL instead: a database of
 * its own per data dir, made on first start and dropped with a data dir the helper made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-test-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "roster-test-server.h"

#define STARTUP_TIMEOUT_SECONDS 20
#define EXIT_TIMEOUT_SECONDS 20

typedef struct
{
  gboolean done;
  gboolean timed_out;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
  g_main_context_wakeup (g_main_context_get_thread_default ());
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates @context until the async call reports or the timeout passes. */
static gboolean
wait_run (Wait *wait, GMainContext *context, GCancellable *cancellable, guint seconds)
{
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (timeout, wait_timeout_cb, wait, NULL);
  g_source_attach (timeout, context);
  while (!wait->done && !wait->timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!wait->done)
    {
      g_cancellable_cancel (cancellable);
      while (!wait->done)
        g_main_context_iteration (context, TRUE);
      return FALSE;
    }
  return TRUE;
}

static char *
read_first_line (GDataInputStream *stream)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gboolean in_time;
  char *line;

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable, wait_cb, &wait);
  in_time = wait_run (&wait, context, cancellable, STARTUP_TIMEOUT_SECONDS);
  line = g_data_input_stream_read_line_finish_utf8 (stream, wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_main_context_pop_thread_default (context);

  if (!in_time)
    g_error ("rosterd did not print its URL within %d s", STARTUP_TIMEOUT_SECONDS);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("rosterd exited before printing its URL (see its stderr above)");
  return line;
}

/* If the test dies on a failed assertion, its rosterd goes with it instead of lingering. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Runs @sql on the PostgreSQL server of $ROSTER_TEST_POSTGRES; @sql names no user input. */
static void
postgres_run (const char *sql)
{
  PGconn *conn = PQconnectdb (g_getenv ("ROSTER_TEST_POSTGRES"));
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to $ROSTER_TEST_POSTGRES: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

/* The database of @data_dir: named after it, so a restart on the same dir finds its data. */
static char *
postgres_database_name (const char *data_dir)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data_dir, -1);

  return g_strdup_printf ("rosterd_%.24s", hash);
}

/**
 * roster_test_server_database_for:
 * @data_dir: a rosterd's data dir
 *
 * Returns: (nullable): the libpq connection string of the database that keeps the data of
 * a rosterd started on @data_dir, or %NULL if rosterd keeps it in DATA_DIR/roster.db (no
 * $ROSTER_TEST_POSTGRES)
 */
char *
roster_test_server_database_for (const char *data_dir)
{
  g_autofree char *name = NULL;

  if (g_getenv ("ROSTER_TEST_POSTGRES") == NULL)
    return NULL;
  name = postgres_database_name (data_dir);
  return g_strdup_printf ("%s dbname=%s", g_getenv ("ROSTER_TEST_POSTGRES"), name);
}

static char *
postgres_database (const char *data_dir)
{
  g_autofree char *name = postgres_database_name (data_dir);
  PGconn *conn = PQconnectdb (g_getenv ("ROSTER_TEST_POSTGRES"));
  const char *params[] = { name };
  PGresult *result;
  gboolean found;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to $ROSTER_TEST_POSTGRES: %s", PQerrorMessage (conn));
  result = PQexecParams (conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params,
                         NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("pg_database: %s", PQresultErrorMessage (result));
  found = PQntuples (result) > 0;
  PQclear (result);
  PQfinish (conn);
  if (!found)
    {
      g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

      postgres_run (create);
    }
  return roster_test_server_database_for (data_dir);
}

static void
postgres_drop (const char *data_dir)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data_dir, -1);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS rosterd_%.24s WITH (FORCE)",
                                           hash);

  postgres_run (drop);
}

static void
spawn (RosterTestServer *server)
{
  const char *rosterd = g_getenv ("ROSTERD");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_path = NULL;
  g_autofree char *token = NULL;

  if (rosterd == NULL || !g_path_is_absolute (rosterd))
    g_error ("set ROSTERD to the full path of the rosterd to test");

  g_ptr_array_add (argv, (char *) rosterd);
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  if (server->database != NULL)
    {
      g_ptr_array_add (argv, (char *) "--database");
      g_ptr_array_add (argv, server->database);
    }
  for (guint i = 0; server->extra_args != NULL && server->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, server->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);
  server->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->base_url = read_first_line (server->stdout_stream);
  g_assert_true (g_str_has_prefix (server->base_url, "http://127.0.0.1:"));

  token_path = g_build_filename (server->data_dir, "setup-token", NULL);
  if (g_file_get_contents (token_path, &token, NULL, NULL))
    server->setup_token = g_strstrip (g_steal_pointer (&token));
}

static RosterTestServer *
start (char *data_dir, gboolean owns_data_dir, const char *const *extra_args)
{
  RosterTestServer *server = g_new0 (RosterTestServer, 1);

  server->data_dir = data_dir;
  server->owns_data_dir = owns_data_dir;
  server->extra_args = g_strdupv ((char **) extra_args);
  if (g_getenv ("ROSTER_TEST_POSTGRES") != NULL)
    server->database = postgres_database (data_dir);
  spawn (server);
  return server;
}

/**
 * roster_test_server_start:
 * @extra_args: (nullable): more arguments for rosterd, e.g. `--config FILE`
 *
 * Starts rosterd ($ROSTERD) on a fresh temporary data dir and 127.0.0.1:0, and waits for the
 * URL line. rosterd's stderr goes to the test's stderr.
 */
RosterTestServer *
roster_test_server_start (const char *const *extra_args)
{
  g_autoptr(GError) error = NULL;
  char *data_dir = g_dir_make_tmp ("rosterd-test-XXXXXX", &error);

  g_assert_no_error (error);
  return start (data_dir, TRUE, extra_args);
}

/**
 * roster_test_server_start_in:
 *
 * Like roster_test_server_start(), on a data dir the caller owns: stop leaves it in place.
 */
RosterTestServer *
roster_test_server_start_in (const char *data_dir, const char *const *extra_args)
{
  return start (g_strdup (data_dir), FALSE, extra_args);
}

/**
 * roster_test_server_start_sharing:
 * @other: a running rosterd whose data is in PostgreSQL
 *
 * Starts a second rosterd on a fresh data dir that shares @other's database and its
 * secret.key, as the rosterd of one PostgreSQL database on several hosts do. Stopping it
 * leaves the database to @other.
 */
RosterTestServer *
roster_test_server_start_sharing (RosterTestServer *other, const char *const *extra_args)
{
  g_autoptr(GError) error = NULL;
  RosterTestServer *server = g_new0 (RosterTestServer, 1);
  g_autofree char *key_from = g_build_filename (other->data_dir, "secret.key", NULL);
  g_autofree char *key_to = NULL;
  g_autofree char *key = NULL;
  gsize length = 0;

  g_assert_nonnull (other->database);
  server->data_dir = g_dir_make_tmp ("rosterd-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->owns_data_dir = TRUE;
  server->shares_database = TRUE;
  server->database = g_strdup (other->database);
  server->extra_args = g_strdupv ((char **) extra_args);
  g_assert_true (g_file_get_contents (key_from, &key, &length, &error));
  key_to = g_build_filename (server->data_dir, "secret.key", NULL);
  g_assert_true (g_file_set_contents_full (key_to, key, (gssize) length,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  spawn (server);
  return server;
}

/**
 * roster_test_server_set_database_available:
 * @server: a rosterd whose data is in PostgreSQL ($ROSTER_TEST_POSTGRES)
 * @available: %FALSE to take the database away, %TRUE to give it back
 *
 * Taken away, @server's database takes no new connections and the ones it had are ended,
 * as while PostgreSQL restarts; rosterd answers 503 `store-unavailable` meanwhile. Given
 * back, rosterd connects again at a later request (at most one attempt a second).
 */
void
roster_test_server_set_database_available (RosterTestServer *server, gboolean available)
{
  PQconninfoOption *options;
  g_autofree char *name = NULL;
  g_autofree char *alter = NULL;
  g_autofree char *terminate = NULL;

  g_assert_nonnull (server->database);
  options = PQconninfoParse (server->database, NULL);
  g_assert_nonnull (options);
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, "dbname") && option->val != NULL)
      name = g_strdup (option->val);
  PQconninfoFree (options);
  g_assert_nonnull (name);
  /* The names are the harness's own (rosterd_ and hex), never user input. */
  alter = g_strdup_printf ("ALTER DATABASE %s WITH ALLOW_CONNECTIONS %s", name,
                           available ? "true" : "false");
  postgres_run (alter);
  if (available)
    return;
  terminate = g_strdup_printf ("DO $$ BEGIN PERFORM pg_terminate_backend (pid, 5000) "
                               "FROM pg_stat_activity WHERE datname = '%s'; END $$",
                               name);
  postgres_run (terminate); /* waits up to 5 s for each to end */
}

static void
terminate (RosterTestServer *server)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gboolean in_time;

  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait_async (server->process, cancellable, wait_cb, &wait);
  in_time = wait_run (&wait, context, cancellable, EXIT_TIMEOUT_SECONDS);
  g_subprocess_wait_finish (server->process, wait.result, in_time ? &error : NULL);
  g_clear_object (&wait.result);
  g_main_context_pop_thread_default (context);

  if (!in_time)
    {
      g_subprocess_force_exit (server->process);
      g_error ("rosterd did not exit within %d s of SIGTERM", EXIT_TIMEOUT_SECONDS);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  g_clear_object (&server->stdout_stream);
  g_clear_object (&server->process);
  g_clear_pointer (&server->base_url, g_free);
  g_clear_pointer (&server->setup_token, g_free);
}

/**
 * roster_test_server_crash_restart:
 *
 * Kills rosterd with SIGKILL (if it still runs), waits until it is gone, and starts it
 * again on the same data dir with the same arguments: what a power cut and a reboot do.
 */
void
roster_test_server_crash_restart (RosterTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (server->process));
  g_clear_object (&server->stdout_stream);
  g_clear_object (&server->process);
  g_clear_pointer (&server->base_url, g_free);
  g_clear_pointer (&server->setup_token, g_free);
  spawn (server);
}

/**
 * roster_test_server_restart:
 *
 * Stops rosterd (asserting a clean exit) and starts it again on the same data dir with the
 * same arguments. base_url and setup_token are read anew.
 */
void
roster_test_server_restart (RosterTestServer *server)
{
  terminate (server);
  spawn (server);
}

/* Stops rosterd and keeps its data dir, for tools that need it stopped; then
 * roster_test_server_resume() starts it again. */
void
roster_test_server_pause (RosterTestServer *server)
{
  terminate (server);
}

void
roster_test_server_resume (RosterTestServer *server)
{
  spawn (server);
}

static void
remove_recursively (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_recursively (child);
      else if (g_unlink (child) != 0)
        g_error ("cannot remove %s: %s", child, g_strerror (errno));
    }
  if (g_rmdir (path) != 0)
    g_error ("cannot remove %s: %s", path, g_strerror (errno));
}

/**
 * roster_test_server_stop:
 *
 * Sends SIGTERM, waits, asserts exit status 0, removes the data dir (unless it came from
 * roster_test_server_start_in()) and frees @server.
 */
void
roster_test_server_stop (RosterTestServer *server)
{
  if (server == NULL)
    return;
  terminate (server);
  if (server->owns_data_dir)
    {
      remove_recursively (server->data_dir);
      if (server->database != NULL && !server->shares_database)
        postgres_drop (server->data_dir);
    }
  g_free (server->database);
  g_free (server->data_dir);
  g_strfreev (server->extra_args);
  g_free (server);
}

static void
collect_header (const char *name, const char *value, gpointer user_data)
{
  g_hash_table_insert (user_data, g_ascii_strdown (name, -1), g_strdup (value));
}

/**
 * roster_test_server_request_full:
 * @token: (nullable): sent as `Authorization: Bearer TOKEN`
 * @content_type: (nullable): the request's Content-Type
 * @body: (nullable) (array length=body_length): the request body
 * @body_length: its length, or -1 for a NUL-terminated @body
 * @headers_out: (out) (optional): the response headers, keyed by lower-case name
 *
 * Returns: (transfer full): the response body as a NUL-terminated string
 */
static GBytes *
request_bytes (RosterTestServer *server, const char *method, const char *path,
               const char *token, const char *content_type, const char *body,
               gsize body_length, const char *const *extra_headers, guint *status_out,
               GHashTable **headers_out)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GBytes *response;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;

      if (body_length == (gsize) -1)
        body_length = strlen (body);
      bytes = g_bytes_new (body, body_length);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  else if (content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i += 2)
    soup_message_headers_replace (headers, extra_headers[i], extra_headers[i + 1]);

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status_out != NULL)
    *status_out = soup_message_get_status (msg);
  if (headers_out != NULL)
    {
      *headers_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      soup_message_headers_foreach (soup_message_get_response_headers (msg), collect_header,
                                    *headers_out);
    }
  return response;
}

static char *
request (RosterTestServer *server, const char *method, const char *path, const char *token,
         const char *content_type, const char *body, gsize body_length,
         const char *const *extra_headers, guint *status_out, GHashTable **headers_out)
{
  g_autoptr(GBytes) response = request_bytes (server, method, path, token, content_type, body,
                                              body_length, extra_headers, status_out,
                                              headers_out);
  gsize size = 0;
  const char *data = g_bytes_get_data (response, &size);

  return g_strndup (data != NULL ? data : "", size);
}

/**
 * roster_test_server_request_bytes:
 *
 * Like roster_test_server_request_full() for a GET whose answer is not text (a photo).
 *
 * Returns: (transfer full): the response body
 */
GBytes *
roster_test_server_request_bytes (RosterTestServer *server, const char *method,
                                  const char *path, const char *token, guint *status_out,
                                  GHashTable **headers_out)
{
  return request_bytes (server, method, path, token, NULL, NULL, 0, NULL, status_out,
                        headers_out);
}

char *
roster_test_server_request_full (RosterTestServer *server, const char *method, const char *path,
                                 const char *token, const char *content_type, const char *body,
                                 gsize body_length, guint *status_out, GHashTable **headers_out)
{
  return request (server, method, path, token, content_type, body, body_length, NULL,
                  status_out, headers_out);
}

/**
 * roster_test_server_request_headers:
 * @body: (nullable): sent as `application/scim+json`
 * @headers: (nullable): more request headers, name and value in turn, %NULL-terminated
 *
 * Like roster_test_server_request_full(), with request headers such as If-Match.
 */
char *
roster_test_server_request_headers (RosterTestServer *server, const char *method,
                                    const char *path, const char *token, const char *body,
                                    const char *const *headers, guint *status_out,
                                    GHashTable **headers_out)
{
  return request (server, method, path, token, body != NULL ? "application/scim+json" : NULL,
                  body, (gsize) -1, headers, status_out, headers_out);
}

/**
 * roster_test_server_request:
 *
 * A synchronous request to @path (e.g. "/scim/v2/Users") on @server.
 *
 * Returns: (transfer full): the response body
 */
char *
roster_test_server_request (RosterTestServer *server, const char *method, const char *path,
                            const char *token, const char *content_type, const char *body,
                            guint *status_out)
{
  return roster_test_server_request_full (server, method, path, token, content_type, body,
                                          (gsize) -1, status_out, NULL);
}

static char *
take_access_token (const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "token_type", ""), ==,
                   "Bearer");
  g_assert_true (json_object_has_member (object, "access_token"));
  return g_strdup (json_object_get_string_member (object, "access_token"));
}

static char *
build_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * roster_test_server_setup_admin:
 *
 * Completes first-run setup with the server's setup token, creating an administrator with
 * the e-mail address USER_NAME@example.com. Asserts 200; clears setup_token.
 *
 * Returns: (transfer full): the administrator's access token
 */
char *
roster_test_server_setup_admin (RosterTestServer *server, const char *user_name,
                                const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *email = g_strconcat (user_name, "@example.com", NULL);
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  guint status = 0;

  g_assert_nonnull (server->setup_token);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "setupToken");
  json_builder_add_string_value (builder, server->setup_token);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:scim:schemas:core:2.0:User");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "emails");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "work");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  request = build_json (builder);

  response = roster_test_server_request (server, "POST", "/setup", NULL, "application/json",
                                         request, &status);
  if (status != 200)
    g_error ("POST /setup answered %u: %s", status, response);
  g_clear_pointer (&server->setup_token, g_free);
  return take_access_token (response);
}

/**
 * roster_test_server_sign_in:
 *
 * POST /auth/token; asserts 200.
 *
 * Returns: (transfer full): the access token
 */
char *
roster_test_server_sign_in (RosterTestServer *server, const char *user_name, const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = build_json (builder);

  response = roster_test_server_request (server, "POST", "/auth/token", NULL, "application/json",
                                         request, &status);
  if (status != 200)
    g_error ("POST /auth/token answered %u: %s", status, response);
  return take_access_token (response);
}
