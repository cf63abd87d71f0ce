/* test-rosterd-workers.c: rosterd --workers 2, two processes answering as one
 *
 * Every request goes on a new connection, so the kernel spreads them over the two processes'
 * sockets. Which process answered is read from /proc: a process's main thread is asleep in
 * poll() unless it has something to do, so its voluntary context switches only move when it
 * serves a request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd-workers"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "server-test-util.h"

static const char *const two_workers[] = { "--workers", "2", NULL };

/* The pids of @ppid's children, from /proc/PID/stat's fourth field. */
static GArray *
children_of (GPid ppid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *after_name;
      int state_ppid = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* pid (comm) state ppid …; comm may hold spaces and parentheses. */
      after_name = strrchr (stat, ')');
      if (after_name != NULL && sscanf (after_name + 1, " %*c %d", &state_ppid) == 1
          && state_ppid == ppid)
        {
          GPid pid = (GPid) g_ascii_strtoll (name, NULL, 10);

          g_array_append_val (pids, pid);
        }
    }
  return pids;
}

static GPid
primary_pid (RosterTestServer *server)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);
}

/* The one worker of a --workers 2 rosterd. */
static GPid
worker_pid (RosterTestServer *server)
{
  g_autoptr(GArray) children = children_of (primary_pid (server));
  GPid pid;

  g_assert_cmpuint (children->len, ==, 1);
  pid = g_array_index (children, GPid, 0);
  return pid;
}

static guint64
wakeups (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/status", (int) pid, (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nvoluntary_ctxt_switches:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (strchr (line, ':') + 1, NULL, 10);
}

static const char *
display_name (JsonNode *user)
{
  return json_object_get_string_member (json_node_get_object (user), "displayName");
}

static const char *
version (JsonNode *user)
{
  JsonObject *meta = json_object_get_object_member (json_node_get_object (user), "meta");

  return json_object_get_string_member (meta, "version");
}

/* Writes and reads alternate on new connections, each landing on either process: every read
 * sees the write before it, and both processes serve some of them. */
static void
test_workers_consistent (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (two_workers);
  g_autofree char *token = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  GPid primary = primary_pid (server), worker = worker_pid (server);
  guint64 primary_before, worker_before;
  guint served_by_primary = 0, served_by_worker = 0;

  id = test_create (server, token, "/scim/v2/Users",
                    "{'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User'],"
                    " 'userName': 'kim', 'displayName': 'Kim 0'}");
  path = g_strconcat ("/scim/v2/Users/", id, NULL);
  primary_before = wakeups (primary);
  worker_before = wakeups (worker);
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *patch = g_strdup_printf (
        "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
        " 'Operations': [{'op': 'replace', 'path': 'displayName', 'value': 'Kim %u'}]}", i);
      g_autofree char *expected = g_strdup_printf ("Kim %u", i);
      g_autoptr(JsonNode) written = test_call (server, token, "PATCH", path, patch, NULL, 200,
                                               NULL);
      g_autoptr(JsonNode) read = NULL;
      guint64 primary_at, worker_at;

      primary_at = wakeups (primary);
      worker_at = wakeups (worker);
      read = test_call (server, token, "GET", path, NULL, NULL, 200, NULL);
      g_assert_cmpstr (display_name (written), ==, expected);
      g_assert_cmpstr (display_name (read), ==, expected);
      g_assert_cmpstr (version (read), ==, version (written));
      if (wakeups (primary) > primary_at)
        served_by_primary++;
      if (wakeups (worker) > worker_at)
        served_by_worker++;
    }
  g_test_message ("reads served by the primary: %u, by the worker: %u", served_by_primary,
                  served_by_worker);
  g_assert_cmpuint (wakeups (primary), >, primary_before);
  g_assert_cmpuint (wakeups (worker), >, worker_before);
  g_assert_cmpuint (served_by_primary, >, 0);
  g_assert_cmpuint (served_by_worker, >, 0);

  /* A session ended in one process is ended in the other. */
  g_assert_null (test_call (server, token, "DELETE", "/auth/token", NULL, NULL, 204, NULL));
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *body = NULL;
      guint status = 0;

      body = roster_test_server_request (server, "GET", path, token, NULL, NULL, &status);
      test_assert_scim_error (body, 401, "unauthenticated", NULL);
    }
}

/* SIGTERM to the primary stops both; the URL file goes; exit 0 (asserted by stop). */
static void
test_workers_stop (void)
{
  RosterTestServer *server = roster_test_server_start (two_workers);
  g_autofree char *url_file = g_build_filename (server->data_dir, "rosterd.url", NULL);
  g_autofree char *data_dir = g_strdup (server->data_dir);
  g_autofree char *proc = NULL;
  GPid worker = worker_pid (server);

  proc = g_strdup_printf ("/proc/%d", (int) worker);
  g_assert_true (g_file_test (url_file, G_FILE_TEST_EXISTS));
  roster_test_server_stop (server);
  g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (url_file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
}

/* A worker that dies stops the whole server with an error, and nothing is left behind. */
static void
test_workers_worker_dies (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) err_stream = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-rosterd-workers-XXXXXX", &error);
  g_autofree char *url_file = NULL;
  g_autofree char *url = NULL;
  g_autofree char *proc = NULL;
  g_autoptr(GArray) children = NULL;
  char err[1024] = { 0 };
  gsize n_read = 0;
  GPid pid, worker;

  g_assert_no_error (error);
  url_file = g_build_filename (dir, "rosterd.url", NULL);
  g_ptr_array_add (argv, (char *) g_getenv ("ROSTERD"));
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, dir);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--workers");
  g_ptr_array_add (argv, (char *) "2");
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_file_test (url_file, G_FILE_TEST_EXISTS));

  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  children = children_of (pid);
  g_assert_cmpuint (children->len, ==, 1);
  worker = g_array_index (children, GPid, 0);
  proc = g_strdup_printf ("/proc/%d", (int) worker);
  g_assert_cmpint (kill (worker, SIGKILL), ==, 0);

  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  err_stream = g_object_ref (g_subprocess_get_stderr_pipe (process));
  g_input_stream_read_all (err_stream, err, sizeof err - 1, &n_read, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("rosterd said: %s", err);
  g_assert_nonnull (strstr (err, "rosterd: worker process 1 "));
  g_assert_nonnull (strstr (err, "was killed by signal 9"));
  g_assert_false (g_file_test (url_file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
  test_remove_tree (dir);
}

/* The test clock is per process: with workers it is not offered. */
static void
test_workers_no_test_clock (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (two_workers);
  g_autofree char *body = NULL;
  guint status = 0;

  body = roster_test_server_request (server, "POST", "/_test/clock", NULL, "application/json",
                                     "{\"advance\": 86400}", &status);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_workers_bad_count (void)
{
  const char *const counts[] = { "0", "-1", "65", "two" };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error, g_getenv ("ROSTERD"), "--data-dir", "/nonexistent",
                                  "--listen", "127.0.0.1:0", "--workers", counts[i], NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("--workers %s: %s", counts[i], err);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "rosterd: "));
      g_assert_false (g_file_test ("/nonexistent", G_FILE_TEST_EXISTS));
    }
}

/* The key file's workers, and the command line over it. */
static void
test_workers_config_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-rosterd-workers-conf-XXXXXX", &error);
  g_autofree char *conf = NULL;
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  conf = g_build_filename (dir, "rosterd.conf", NULL);
  bad = g_build_filename (dir, "bad.conf", NULL);
  g_assert_true (g_file_set_contents (conf, "[rosterd]\nworkers=2\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "[rosterd]\nworkers=0\n", -1, NULL));
  {
    const char *const args[] = { "--config", conf, NULL };
    g_autoptr(RosterTestServer) server = roster_test_server_start (args);
    g_autoptr(GArray) children = children_of (primary_pid (server));

    g_assert_cmpuint (children->len, ==, 1);
  }
  {
    const char *const args[] = { "--config", conf, "--workers", "1", NULL };
    g_autoptr(RosterTestServer) server = roster_test_server_start (args);
    g_autoptr(GArray) children = children_of (primary_pid (server));

    g_assert_cmpuint (children->len, ==, 0);
  }
  {
    g_autoptr(GSubprocess) process = NULL;
    g_autofree char *err = NULL;

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                &error, g_getenv ("ROSTERD"), "--data-dir", dir, "--listen",
                                "127.0.0.1:0", "--config", bad, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    g_assert_nonnull (strstr (err, "workers must be a number from 1 to 64"));
  }
  test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rosterd/workers/consistent", test_workers_consistent);
  g_test_add_func ("/rosterd/workers/stop", test_workers_stop);
  g_test_add_func ("/rosterd/workers/worker-dies", test_workers_worker_dies);
  g_test_add_func ("/rosterd/workers/no-test-clock", test_workers_no_test_clock);
  g_test_add_func ("/rosterd/workers/bad-count", test_workers_bad_count);
  g_test_add_func ("/rosterd/workers/config-file", test_workers_config_file);
  return g_test_run ();
}
