/* test-rosterd-cli.c: rosterd's command line, start-up errors and shutdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server-test-util.h"

/* Runs rosterd with @args, expecting it to fail at start: exit 1, nothing on stdout, one
 * line on stderr. Returns that line. */
static char *
run_failing (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("ROSTERD"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("rosterd said: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "rosterd: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_cmpuint (strchr (err, '\n') - err, ==, strlen (err) - 1);
  return g_steal_pointer (&err);
}

static void
test_cli_port_in_use (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("rosterd-cli-XXXXXX", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *err = NULL;
  g_autofree char *db = NULL;
  g_autofree char *expected = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  listen = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  {
    const char *args[] = { "--data-dir", data_dir, "--listen", listen, NULL };

    err = run_failing (args);
  }
  expected = g_strdup_printf ("rosterd: cannot listen on %s: Address already in use\n", listen);
  g_assert_cmpstr (err, ==, expected);
  /* A failed start leaves no URL behind. */
  db = g_build_filename (data_dir, "rosterd.url", NULL);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  g_socket_close (socket, NULL);
  {
    RosterTestServer *server = roster_test_server_start_in (data_dir, NULL);

    roster_test_server_stop (server);
  }
  {
    g_autofree char *key = g_build_filename (data_dir, "secret.key", NULL);
    GStatBuf st;

    /* The key that seals two-factor secrets: 32 bytes that only rosterd's user can read. */
    g_assert_cmpint (g_stat (key, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 32);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  {
    const char *names[] = { "roster.db", "rosterd.lock", "setup-token", "secret.key" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (data_dir, names[i], NULL);

        if (test_db_is_postgres () && g_str_equal (names[i], "roster.db"))
          continue; /* the data is in PostgreSQL */
        g_assert_cmpint (g_unlink (path), ==, 0);
      }
  }
  g_assert_cmpint (g_rmdir (data_dir), ==, 0);
}

static void
test_cli_data_dir_unusable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int fd = g_file_open_tmp ("rosterd-file-XXXXXX", &file, &error);

  g_assert_no_error (error);
  close (fd);
  /* Tests run as root, who may write anywhere: a path under a regular file is unusable for
   * everyone. */
  data_dir = g_build_filename (file, "data", NULL);
  {
    const char *args[] = { "--data-dir", data_dir, "--listen", "127.0.0.1:0", NULL };

    err = run_failing (args);
  }
  expected = g_strdup_printf ("rosterd: cannot use data directory %s: Not a directory\n",
                              data_dir);
  g_assert_cmpstr (err, ==, expected);
  g_clear_pointer (&err, g_free);

  /* The regular file itself as the data dir. */
  {
    const char *args[] = { "--data-dir", file, "--listen", "127.0.0.1:0", NULL };

    err = run_failing (args);
  }
  g_assert_nonnull (strstr (err, file));
  g_unlink (file);
}

static void
test_cli_second_instance (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  const char *args[] = { "--data-dir", server->data_dir, "--listen", "127.0.0.1:0", NULL };
  g_autofree char *err = run_failing (args);
  g_autofree char *expected = g_strdup_printf (
    "rosterd: data directory %s is in use by another rosterd\n", server->data_dir);
  g_autofree char *body = NULL;
  guint status = 0;

  g_assert_cmpstr (err, ==, expected);
  /* The first one is untouched: same setup token, still answering. */
  body = roster_test_server_request (server, "GET", "/setup", NULL, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD));
}

static void
test_cli_bad_arguments (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("rosterd-cli-XXXXXX", NULL);
  const char *listens[] = { "nonsense", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                            "127.0.0.1:-1", "127.0.0.1:80x", "example.com:80", "[::1:80",
                            ":8080" };

  for (guint i = 0; i < G_N_ELEMENTS (listens); i++)
    {
      const char *args[] = { "--data-dir", data_dir, "--listen", listens[i], NULL };
      g_autofree char *err = run_failing (args);
      g_autofree char *quoted = g_strdup_printf ("“%s”", listens[i]);

      g_assert_nonnull (strstr (err, "invalid listen address"));
      g_assert_nonnull (strstr (err, quoted));
    }
  {
    const char *args[] = { "--data-dir", data_dir, NULL };
    g_autofree char *err = run_failing (args);

    g_assert_nonnull (strstr (err, "--listen"));
  }
  {
    const char *args[] = { "--listen", "127.0.0.1:0", NULL };
    g_autofree char *err = run_failing (args);

    g_assert_nonnull (strstr (err, "--data-dir"));
  }
  {
    const char *args[] = { "--data-dir", data_dir, "--listen", "127.0.0.1:0", "extra", NULL };
    g_autofree char *err = run_failing (args);

    g_assert_nonnull (strstr (err, "extra"));
  }
  {
    const char *args[] = { "--no-such-option", NULL };
    g_autofree char *err = run_failing (args);

    g_assert_nonnull (strstr (err, "--no-such-option"));
  }
  /* Nothing was started, so nothing was written. */
  g_assert_cmpint (g_rmdir (data_dir), ==, 0);
}

static void
test_cli_config (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rosterd-config-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "rosterd.conf", NULL);
  g_autofree char *file_data_dir = g_build_filename (dir, "from-file", NULL);
  g_autofree char *contents = g_strdup_printf ("# rosterd settings\n[rosterd]\n"
                                               "data-dir=%s\nlisten=127.0.0.1:0\n"
                                               "token-lifetime=77\n",
                                               file_data_dir);
  g_autofree char *url_path = g_build_filename (file_data_dir, "rosterd.url", NULL);

  g_assert_true (g_file_set_contents (config, contents, -1, NULL));

  /* The file alone is enough. */
  {
    const char *argv[] = { g_getenv ("ROSTERD"), "--config", config, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                        &error);
    g_autoptr(GDataInputStream) out = NULL;
    g_autofree char *line = NULL;
    g_autofree char *url = NULL;

    g_assert_no_error (error);
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
    line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
    g_assert_true (g_file_get_contents (url_path, &url, NULL, NULL));
    g_assert_cmpstr (g_strstrip (url), ==, line);

    /* SIGINT shuts down as cleanly as SIGTERM. */
    g_subprocess_send_signal (process, SIGINT);
    g_subprocess_wait (process, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (process));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    g_assert_false (g_file_test (url_path, G_FILE_TEST_EXISTS));
  }

  /* The command line wins over the file; token-lifetime comes from the file. */
  {
    const char *args[] = { "--config", config, NULL };
    g_autoptr(RosterTestServer) server = roster_test_server_start (args);
    g_autofree char *body = NULL;
    g_autofree char *request = NULL;
    g_autoptr(JsonNode) node = NULL;
    guint status = 0;

    g_assert_nonnull (server->setup_token);
    g_assert_cmpstr (server->data_dir, !=, file_data_dir);
    g_assert_false (g_file_test (url_path, G_FILE_TEST_EXISTS));
    g_free (roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD));
    request = g_strdup_printf ("{\"userName\": \"%s\", \"password\": \"%s\"}", ADMIN_NAME,
                               ADMIN_PASSWORD);
    body = roster_test_server_request (server, "POST", "/auth/token", NULL, "application/json",
                                       request, &status);
    g_assert_cmpuint (status, ==, 200);
    node = test_parse_object (body);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "expires_in"), ==,
                     77);
  }

  /* Clean up the data dir the file named. */
  {
    const char *names[] = { "roster.db", "rosterd.lock", "setup-token", "secret.key" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (file_data_dir, names[i], NULL);

        g_unlink (path);
      }
  }
  g_assert_cmpint (g_rmdir (file_data_dir), ==, 0);
  g_unlink (config);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_cli_bad_config (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rosterd-config-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.conf", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.conf", NULL);
  g_autofree char *lifetime = g_build_filename (dir, "lifetime.conf", NULL);
  const char *files[] = { missing, broken, lifetime };

  g_assert_true (g_file_set_contents (broken, "this is not a key file\n", -1, NULL));
  g_assert_true (g_file_set_contents (lifetime, "[rosterd]\ntoken-lifetime=-5\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      const char *args[] = { "--data-dir", dir, "--listen", "127.0.0.1:0", "--config", files[i],
                             NULL };
      g_autofree char *err = run_failing (args);

      g_assert_nonnull (strstr (err, files[i]));
    }
  g_unlink (broken);
  g_unlink (lifetime);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_cli_sigterm (void)
{
  g_autofree char *parent = g_dir_make_tmp ("rosterd-cli-XXXXXX", NULL);
  /* rosterd makes the data dir itself, private to its user. */
  g_autofree char *data_dir = g_build_filename (parent, "new", "data", NULL);
  g_autofree char *url_path = g_build_filename (data_dir, "rosterd.url", NULL);
  g_autofree char *lock_path = g_build_filename (data_dir, "rosterd.lock", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "roster.db", NULL);
  g_autofree char *wal_path = g_build_filename (data_dir, "roster.db-wal", NULL);
  g_autofree char *token_path = g_build_filename (data_dir, "setup-token", NULL);
  RosterTestServer *server = roster_test_server_start_in (data_dir, NULL);
  struct stat st;

  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  if (!test_db_is_postgres ())
    {
      g_assert_cmpint (g_stat (db_path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 077, ==, 0);
    }
  g_assert_true (g_file_test (url_path, G_FILE_TEST_EXISTS));

  /* Asserts exit status 0. */
  roster_test_server_stop (server);
  g_assert_false (g_file_test (url_path, G_FILE_TEST_EXISTS));
  /* The log was checkpointed into the database on the way out. */
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));
  g_assert_true (test_db_is_postgres () || g_file_test (db_path, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_test (lock_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (token_path, G_FILE_TEST_EXISTS));
  test_remove_tree (parent);
}

static void
test_cli_newer_schema (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("rosterd-cli-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "roster.db", NULL);
  const char *args[] = { "--data-dir", data_dir, "--listen", "127.0.0.1:0", NULL };
  g_autofree char *err = NULL;
  g_autofree char *journal = NULL;
  sqlite3 *db = NULL;

  if (test_skip_unless_sqlite ("a roster.db of a newer rosterd"))
    {
      test_remove_tree (data_dir);
      return;
    }
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                                 "INSERT INTO schema_version VALUES (99);",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  err = run_failing (args);
  g_assert_nonnull (strstr (err, db_path));
  g_assert_nonnull (strstr (err, "schema version 99"));
  g_assert_cmpint (test_db_query_int (data_dir, "SELECT version FROM schema_version"), ==, 99);
  /* …and left as it was, not even switched to WAL. */
  journal = test_db_query_text (data_dir, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "delete");
  g_clear_pointer (&err, g_free);

  /* Not a database at all. */
  g_assert_true (g_file_set_contents (db_path, "garbage garbage garbage garbage", -1, NULL));
  err = run_failing (args);
  g_assert_nonnull (strstr (err, db_path));

  test_remove_tree (data_dir);
}

/* An app that stops its rosterd twice (or a supervisor that insists) must still get a clean
 * shutdown: the later signals may not kill rosterd before it removed rosterd.url. */
static void
test_cli_repeated_sigterm (void)
{
  g_autofree char *parent = g_dir_make_tmp ("rosterd-cli-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (parent, "data", NULL);
  g_autofree char *url_path = g_build_filename (data_dir, "rosterd.url", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, g_getenv ("ROSTERD"), "--data-dir", data_dir, "--listen",
                              "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));

  for (guint i = 0; i < 50; i++)
    {
      g_subprocess_send_signal (process, SIGTERM);
      g_usleep (500);
    }
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_false (g_file_test (url_path, G_FILE_TEST_EXISTS));
  test_remove_tree (parent);
}

/* The last administrator locked out by wrong passwords gets back in with --unlock, run by
 * whoever can use the data dir while rosterd is stopped; the unlock is audited. */
static void
test_cli_unlock (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  /* With PostgreSQL, --database too (the list ends early without it). */
  const char *database = server->database != NULL ? "--database" : NULL;
  const char *args[] = { "--data-dir", server->data_dir, "--unlock", ADMIN_NAME,
                         database, server->database, NULL };
  const char *unknown[] = { "--data-dir", server->data_dir, "--unlock", "nobody",
                            database, server->database, NULL };
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  for (int i = 0; i < 6; i++)
    g_free (test_try_sign_in (server, ADMIN_NAME, "not the password", &status));
  g_free (test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status));
  g_assert_cmpuint (status, ==, 401);

  /* Not while rosterd runs. */
  err = run_failing (args);
  expected = g_strdup_printf ("rosterd: data directory %s is in use by another rosterd\n",
                              server->data_dir);
  g_assert_cmpstr (err, ==, expected);

  roster_test_server_pause (server);
  g_free (err);
  err = run_failing (unknown);
  g_assert_cmpstr (err, ==, "rosterd: there is no account with the username “nobody”\n");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("ROSTERD"), "--data-dir", server->data_dir,
                              "--unlock", ADMIN_NAME, database, server->database, NULL);
  g_assert_no_error (error);
  g_free (err);
  err = NULL;
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, "rosterd: unlocked " ADMIN_NAME "; they can sign in again\n");
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM audit_events WHERE action = 'unlock'"
                                      " AND actor_id IS NULL AND target_name = '" ADMIN_NAME "'"),
                   ==, 1);

  roster_test_server_resume (server);
  g_free (test_try_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD, &status));
  g_assert_cmpuint (status, ==, 200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rosterd/cli/port-in-use", test_cli_port_in_use);
  g_test_add_func ("/rosterd/cli/data-dir-unusable", test_cli_data_dir_unusable);
  g_test_add_func ("/rosterd/cli/second-instance", test_cli_second_instance);
  g_test_add_func ("/rosterd/cli/bad-arguments", test_cli_bad_arguments);
  g_test_add_func ("/rosterd/cli/config", test_cli_config);
  g_test_add_func ("/rosterd/cli/bad-config", test_cli_bad_config);
  g_test_add_func ("/rosterd/cli/sigterm", test_cli_sigterm);
  g_test_add_func ("/rosterd/cli/repeated-sigterm", test_cli_repeated_sigterm);
  g_test_add_func ("/rosterd/cli/newer-schema", test_cli_newer_schema);
  g_test_add_func ("/rosterd/cli/unlock", test_cli_unlock);

  return g_test_run ();
}
