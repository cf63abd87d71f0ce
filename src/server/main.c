/* main.c: rosterd, Roster's SCIM 2.0 user-administration service
 *
 *   rosterd --data-dir DIR --listen HOST:PORT [--config FILE] [--workers N]
 *   rosterd --data-dir DIR --unlock USERNAME      (recovery: rosterd must be stopped)
 *
 * The first line on stdout is the base URL; logs go to stderr. SIGTERM and SIGINT shut down
 * cleanly (exit 0), the workers with the primary; a failure to start, or a worker that
 * failed, is one line on stderr and exit 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "roster-config.h"
#include "roster-password.h"
#include "roster-recovery.h"
#include "roster-server.h"
#include "roster-worker-pool.h"

/* GLib's standard writer sends debug and info to stdout, which carries the URL line; keep
 * every log on stderr (or the journal). */
static GLogWriterOutput
stderr_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL;
  g_autofree char *line = NULL;

  if (g_log_writer_is_journald (fileno (stderr)))
    return g_log_writer_journald (level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (level, fields, n_fields,
                                     g_log_writer_supports_color (fileno (stderr)));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_info ("Shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
fail (const GError *error)
{
  g_printerr ("rosterd: %s\n", error->message);
  return 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(RosterConfig) config = NULL;
  g_autoptr(RosterServer) server = NULL;
  g_autoptr(RosterWorkerPool) pool = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint term_id, int_id, workers;
  sigset_t stop_signals;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("rosterd");
  g_log_set_writer_func (stderr_writer, NULL, NULL);
  /* The database and the token files are for rosterd's user only. */
  umask (0077);
  signal (SIGPIPE, SIG_IGN);
  /* A SIGTERM during startup (or right after the URL line) must be a clean shutdown rather
   * than the default kill. GLib's signal handling starts a thread, and the workers must be
   * forked before any thread exists: hold the signals until every process handles them. */
  sigemptyset (&stop_signals);
  sigaddset (&stop_signals, SIGTERM);
  sigaddset (&stop_signals, SIGINT);
  sigprocmask (SIG_BLOCK, &stop_signals, NULL);

  config = roster_config_new_from_args (&argc, &argv, &error);
  if (config == NULL)
    return fail (error);
  if (config->unlock_user != NULL)
    {
      g_autofree char *user_name = g_strdup (config->unlock_user);

      server = roster_server_new (g_steal_pointer (&config), &error);
      if (server == NULL || !roster_server_open_store (server, &error)
          || !roster_recovery_unlock (roster_server_get_store (server), user_name, &error))
        return fail (error);
      /* Translators: %s is a username */
      printf (_("rosterd: unlocked %s; they can sign in again\n"), user_name);
      return 0;
    }
  workers = config->workers;
  server = roster_server_new (g_steal_pointer (&config), &error);
  if (server == NULL || !roster_server_prepare (server, workers, &error))
    return fail (error);
  pool = roster_worker_pool_new (workers);
  if (!roster_worker_pool_fork (pool, &error))
    return fail (error);

  /* From here on, in every process. */
  loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  int_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigprocmask (SIG_UNBLOCK, &stop_signals, NULL);
  if (!roster_password_init (&error)
      || !roster_server_listen (server, roster_worker_pool_get_index (pool), &error))
    {
      roster_worker_pool_stop (pool, NULL);
      return fail (error);
    }

  if (roster_server_is_primary (server))
    {
      printf ("%s\n", roster_server_get_base_url (server));
      fflush (stdout);
      roster_worker_pool_watch (pool, loop);
    }
  g_main_loop_run (loop);
  /* The first SIGTERM or SIGINT asked for this shutdown; more of them (an app stopping its
   * server twice, an impatient supervisor) must not kill rosterd before it has removed
   * rosterd.url and closed the database. Removing GLib's handlers restores the default
   * action, so ignore the signals right after. */
  g_source_remove (term_id);
  g_source_remove (int_id);
  signal (SIGTERM, SIG_IGN);
  signal (SIGINT, SIG_IGN);

  /* The workers first: rosterd.url goes only once nothing serves any more. */
  if (!roster_worker_pool_stop (pool, &error))
    g_printerr ("rosterd: %s\n", error->message);
  roster_server_shutdown (server);
  g_clear_object (&server);
  /* Closing the kept-alive client connections finishes in the main loop: let it, so their
   * sockets are freed before exit (LeakSanitizer checks). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return error != NULL ? 1 : 0;
}
