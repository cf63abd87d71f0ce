/* roster-worker-pool.c: rosterd's processes: the primary and the workers it forks
 *
 * `rosterd --workers N` serves in N processes: the one started (the primary, index 0) forks
 * N − 1 workers (indexes 1 … N − 1) before any thread exists, once the listening sockets are
 * bound; every process then opens its own SQLite connection and runs its own main loop.
 * Only the primary prints the URL, writes rosterd.url and runs the sweeps
 * (roster_server_is_primary()).
 *
 * A worker cannot be restarted safely: by then the primary has threads (GLib's worker, the
 * password hashing pool), and a fork of a threaded process may only exec. So a worker that
 * stops, for whatever reason, stops the whole server: the primary stops the other workers
 * and exits, with an error unless the worker had exited cleanly (it was told to stop); the
 * supervisor (systemd's Restart=) starts rosterd again. Workers get SIGTERM if the primary
 * dies (PR_SET_PDEATHSIG), so none outlives it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "roster-error.h"
#include "roster-worker-pool.h"

typedef struct
{
  RosterWorkerPool *pool; /* unowned */
  guint index;
  GPid pid;   /* 0 once reaped */
  guint watch_id;
} Worker;

struct _RosterWorkerPool
{
  GObject parent_instance;

  guint n_processes;
  guint index;       /* this process's: 0 for the primary */
  Worker *workers;   /* the primary's, [1 … n_processes − 1] */
  GMainLoop *loop;   /* the primary's, quit when a worker stops */
  GError *failure;   /* why a worker stopped, if it failed */
};

G_DEFINE_FINAL_TYPE (RosterWorkerPool, roster_worker_pool, G_TYPE_OBJECT)

static void
roster_worker_pool_dispose (GObject *object)
{
  RosterWorkerPool *self = ROSTER_WORKER_POOL (object);

  for (guint i = 1; self->workers != NULL && i < self->n_processes; i++)
    g_clear_handle_id (&self->workers[i].watch_id, g_source_remove);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (roster_worker_pool_parent_class)->dispose (object);
}

static void
roster_worker_pool_finalize (GObject *object)
{
  RosterWorkerPool *self = ROSTER_WORKER_POOL (object);

  g_free (self->workers);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (roster_worker_pool_parent_class)->finalize (object);
}

static void
roster_worker_pool_class_init (RosterWorkerPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_worker_pool_dispose;
  object_class->finalize = roster_worker_pool_finalize;
}

static void
roster_worker_pool_init (RosterWorkerPool *self)
{
}

/**
 * roster_worker_pool_new:
 * @n_processes: how many processes serve, the primary included (1: no fork)
 */
RosterWorkerPool *
roster_worker_pool_new (guint n_processes)
{
  RosterWorkerPool *self = g_object_new (ROSTER_TYPE_WORKER_POOL, NULL);

  g_return_val_if_fail (n_processes >= 1, NULL);
  self->n_processes = n_processes;
  self->workers = g_new0 (Worker, n_processes);
  return self;
}

/**
 * roster_worker_pool_fork:
 *
 * Forks the workers. Call it before anything has started a thread: it returns in the
 * primary and in every worker, each with its own roster_worker_pool_get_index(). On
 * failure (in the primary) the workers forked so far are stopped.
 */
gboolean
roster_worker_pool_fork (RosterWorkerPool *self, GError **error)
{
  pid_t primary = getpid ();

  for (guint i = 1; i < self->n_processes; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        {
          int saved_errno = errno;

          roster_worker_pool_stop (self, NULL);
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("cannot start worker process: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (pid == 0)
        {
          /* A worker: it has none of the primary's bookkeeping and dies with it. */
          prctl (PR_SET_PDEATHSIG, SIGTERM);
          if (getppid () != primary)
            _exit (0);
          self->index = i;
          g_clear_pointer (&self->workers, g_free);
          return TRUE;
        }
      self->workers[i].pool = self;
      self->workers[i].index = i;
      self->workers[i].pid = pid;
    }
  return TRUE;
}

/**
 * roster_worker_pool_get_index:
 *
 * Returns: 0 in the primary, 1 … N − 1 in the workers
 */
guint
roster_worker_pool_get_index (RosterWorkerPool *self)
{
  return self->index;
}

static void
on_worker_exited_cb (GPid pid, gint wait_status, gpointer user_data)
{
  Worker *worker = user_data;
  RosterWorkerPool *self = worker->pool;
  g_autoptr(GError) error = NULL;

  worker->pid = 0;
  worker->watch_id = 0;
  g_spawn_close_pid (pid);
  if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
    g_message ("Worker process %u (pid %d) has stopped; stopping rosterd", worker->index,
               (int) pid);
  else if (self->failure == NULL)
    {
      if (WIFSIGNALED (wait_status))
        g_set_error (&self->failure, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                     _("worker process %u (pid %d) was killed by signal %d"), worker->index,
                     (int) pid, WTERMSIG (wait_status));
      else
        g_set_error (&self->failure, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                     _("worker process %u (pid %d) failed with exit status %d"), worker->index,
                     (int) pid, WEXITSTATUS (wait_status));
    }
  if (self->loop != NULL)
    g_main_loop_quit (self->loop);
}

/**
 * roster_worker_pool_watch:
 * @loop: the primary's main loop, quit when a worker stops
 *
 * In the primary, watches the workers; does nothing in a worker.
 */
void
roster_worker_pool_watch (RosterWorkerPool *self, GMainLoop *loop)
{
  if (self->index != 0)
    return;
  g_clear_pointer (&self->loop, g_main_loop_unref);
  self->loop = g_main_loop_ref (loop);
  for (guint i = 1; i < self->n_processes; i++)
    if (self->workers[i].pid > 0 && self->workers[i].watch_id == 0)
      self->workers[i].watch_id = g_child_watch_add (self->workers[i].pid, on_worker_exited_cb,
                                                      &self->workers[i]);
}

/**
 * roster_worker_pool_stop:
 *
 * In the primary, sends SIGTERM to the workers still running and waits for them to exit.
 *
 * Returns: FALSE with @error if a worker failed (stopped with an error, or earlier on its
 *   own with one)
 */
gboolean
roster_worker_pool_stop (RosterWorkerPool *self, GError **error)
{
  if (self->index != 0)
    return TRUE;
  for (guint i = 1; i < self->n_processes; i++)
    {
      g_clear_handle_id (&self->workers[i].watch_id, g_source_remove);
      if (self->workers[i].pid > 0)
        kill (self->workers[i].pid, SIGTERM);
    }
  for (guint i = 1; i < self->n_processes; i++)
    {
      Worker *worker = &self->workers[i];
      int wait_status = 0;
      pid_t done;

      if (worker->pid <= 0)
        continue;
      do
        done = waitpid (worker->pid, &wait_status, 0);
      while (done < 0 && errno == EINTR);
      if (done == worker->pid && !(WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
          && self->failure == NULL)
        g_set_error (&self->failure, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                     _("worker process %u (pid %d) did not stop cleanly"), worker->index,
                     (int) worker->pid);
      worker->pid = 0;
    }
  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return FALSE;
    }
  return TRUE;
}
