/* test-local-server.c: RosterLocalServer starting, reusing and losing a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-local-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "roster-client.h"
#include "roster-error.h"
#include "roster-local-server.h"
#include "roster-test-async.h"

typedef struct
{
  char *data_dir;
} Fixture;

static void
rm_rf (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("roster-local-server-XXXXXX", &error);

  g_assert_no_error (error);
  /* A dir that does not exist yet: the app creates it. */
  f->data_dir = g_build_filename (tmp, "roster", "server", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *parent = g_path_get_dirname (f->data_dir);
  g_autofree char *tmp = g_path_get_dirname (parent);

  rm_rf (tmp);
  g_free (f->data_dir);
}

static gboolean
start (RosterLocalServer *server, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_local_server_start_async (server, NULL, roster_test_async_cb, &result);
  return roster_local_server_start_finish (server, roster_test_wait_result (&result), error);
}

static char *
read_setup_token (RosterLocalServer *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  roster_local_server_read_setup_token_async (server, NULL, roster_test_async_cb, &result);
  token = roster_local_server_read_setup_token_finish (server, roster_test_wait_result (&result),
                                                       &error);
  g_assert_no_error (error);
  return token;
}

static void
on_exited_cb (RosterLocalServer *server, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
answers (const char *url)
{
  g_autoptr(RosterClient) client = roster_client_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean required = FALSE;

  roster_client_get_setup_required_async (client, NULL, roster_test_async_cb, &result);
  return roster_client_get_setup_required_finish (client, roster_test_wait_result (&result),
                                                  &required, NULL);
}

static void
test_start_and_reuse (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterLocalServer) server = roster_local_server_new (g_getenv ("ROSTERD"),
                                                                 f->data_dir);
  g_autoptr(RosterLocalServer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token_path = g_build_filename (f->data_dir, "setup-token", NULL);
  guint exited = 0;

  g_signal_connect (server, "exited", G_CALLBACK (on_exited_cb), &exited);
  g_assert_false (roster_local_server_get_running (server));
  g_assert_true (start (server, &error));
  g_assert_no_error (error);
  g_assert_true (roster_local_server_get_running (server));
  url = g_strdup (roster_local_server_get_base_url (server));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (answers (url));
  g_assert_true (g_file_test (f->data_dir, G_FILE_TEST_IS_DIR));

  token = read_setup_token (server);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 32);

  /* A second app instance finds the running server and uses it. */
  second = roster_local_server_new (g_getenv ("ROSTERD"), f->data_dir);
  g_assert_true (start (second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (roster_local_server_get_base_url (second), ==, url);

  /* Stopping the reused one leaves the server running: it is not ours. */
  roster_local_server_stop (second);
  g_assert_false (roster_local_server_get_running (second));
  g_assert_true (answers (url));

  /* Stopping ours stops it, and is not reported as an unexpected exit. */
  roster_local_server_stop (server);
  roster_test_wait_until (!answers (url), 10);
  g_assert_cmpuint (exited, ==, 0);
  g_assert_true (g_file_test (token_path, G_FILE_TEST_EXISTS));

  roster_test_assert_finalize (g_steal_pointer (&second));
  roster_test_assert_finalize (g_steal_pointer (&server));
}

static void
test_exit_reported (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterLocalServer) server = roster_local_server_new (g_getenv ("ROSTERD"),
                                                                 f->data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *url_file = g_build_filename (f->data_dir, "rosterd.url", NULL);
  g_autofree char *contents = NULL;
  guint exited = 0;

  g_signal_connect (server, "exited", G_CALLBACK (on_exited_cb), &exited);
  g_assert_true (start (server, &error));
  g_assert_no_error (error);

  /* rosterd says where it is for others to find. */
  g_assert_true (g_file_get_contents (url_file, &contents, NULL, NULL));
  g_assert_cmpstr (g_strstrip (contents), ==, roster_local_server_get_base_url (server));

  /* It dies under us: the app must hear of it. */
  {
    /* "[d]" keeps the pattern from matching the shell that runs pkill. */
    g_autofree char *cmd = g_strdup_printf ("pkill -KILL -f -- '--data-[d]ir %s'", f->data_dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
  roster_test_wait_until (exited == 1, 10);
  g_assert_false (roster_local_server_get_running (server));

  /* Start again: stale rosterd.url is not trusted, a new server comes up. */
  g_assert_true (start (server, &error));
  g_assert_no_error (error);
  g_assert_true (answers (roster_local_server_get_base_url (server)));
  roster_local_server_stop (server);
  roster_test_assert_finalize (g_steal_pointer (&server));
}

static void
test_missing_binary (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterLocalServer) server = roster_local_server_new ("/nonexistent/rosterd",
                                                                 f->data_dir);
  g_autoptr(GError) error = NULL;

  g_assert_false (start (server, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_LOCAL_SERVER);
  g_assert_false (roster_local_server_get_running (server));
  roster_test_assert_finalize (g_steal_pointer (&server));
}

static void
test_server_refuses (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterLocalServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (f->data_dir);

  /* The data dir's place is taken by a file: rosterd exits, and says why. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->data_dir, "not a directory", -1, NULL));
  server = roster_local_server_new (g_getenv ("ROSTERD"), f->data_dir);
  g_assert_false (start (server, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_LOCAL_SERVER);
  g_test_message ("error: %s", error->message);
  roster_test_assert_finalize (g_steal_pointer (&server));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/local-server/start-and-reuse", Fixture, NULL, fixture_set_up,
              test_start_and_reuse, fixture_tear_down);
  g_test_add ("/local-server/exit-reported", Fixture, NULL, fixture_set_up, test_exit_reported,
              fixture_tear_down);
  g_test_add ("/local-server/missing-binary", Fixture, NULL, fixture_set_up, test_missing_binary,
              fixture_tear_down);
  g_test_add ("/local-server/server-refuses", Fixture, NULL, fixture_set_up, test_server_refuses,
              fixture_tear_down);

  return g_test_run ();
}
