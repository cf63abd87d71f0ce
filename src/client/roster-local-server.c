/* roster-local-server.c
 *
 * The embedded default: a rosterd only this computer can reach (127.0.0.1, a free port), with
 * its data in $XDG_DATA_HOME/roster/server. If a rosterd already serves that data dir (it
 * writes rosterd.url there while it runs, and holds a lock so there is only ever one), the app
 * reuses it; otherwise it starts one as a subprocess and stops it again on exit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>

#include "roster-client.h"
#include "roster-error.h"
#include "roster-local-server.h"

#define START_TIMEOUT_SECONDS 20

struct _RosterLocalServer
{
  GObject parent_instance;

  char *rosterd_path;
  char *data_dir;
  char *base_url;
  GSubprocess *process; /* NULL when we reuse someone else's rosterd */
  GDataInputStream *stdout_stream;
  GDataInputStream *stderr_stream;
  GCancellable *cancellable; /* for the subprocess watches */
  char *last_error_line;
  GTask *failed_start; /* waits for stderr to close, to report rosterd's last words */
  gboolean stderr_closed;
  gboolean stopping;
};

G_DEFINE_FINAL_TYPE (RosterLocalServer, roster_local_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_BASE_URL,
  N_PROPS
};

enum
{
  EXITED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
roster_local_server_dispose (GObject *object)
{
  RosterLocalServer *self = (RosterLocalServer *) object;

  roster_local_server_stop (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->stderr_stream);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (roster_local_server_parent_class)->dispose (object);
}

static void
roster_local_server_finalize (GObject *object)
{
  RosterLocalServer *self = (RosterLocalServer *) object;

  g_clear_object (&self->cancellable);
  g_free (self->rosterd_path);
  g_free (self->data_dir);
  g_free (self->base_url);
  g_free (self->last_error_line);

  G_OBJECT_CLASS (roster_local_server_parent_class)->finalize (object);
}

static void
roster_local_server_get_property (GObject *object, guint prop_id, GValue *value,
                                  GParamSpec *pspec)
{
  RosterLocalServer *self = ROSTER_LOCAL_SERVER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, roster_local_server_get_running (self));
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_local_server_class_init (RosterLocalServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_local_server_dispose;
  object_class->finalize = roster_local_server_finalize;
  object_class->get_property = roster_local_server_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterLocalServer::exited:
   *
   * The rosterd this object started stopped without being asked to.
   */
  signals[EXITED] = g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
roster_local_server_init (RosterLocalServer *self)
{
  self->cancellable = g_cancellable_new ();
}

RosterLocalServer *
roster_local_server_new (const char *rosterd_path, const char *data_dir)
{
  RosterLocalServer *self;

  g_return_val_if_fail (rosterd_path != NULL && data_dir != NULL, NULL);

  self = g_object_new (ROSTER_TYPE_LOCAL_SERVER, NULL);
  self->rosterd_path = g_strdup (rosterd_path);
  self->data_dir = g_strdup (data_dir);
  return self;
}

/**
 * roster_local_server_new_default:
 *
 * The server the app uses: rosterd from $ROSTER_ROSTERD (for running from a build tree) or
 * the installed one, with its data under the user's data dir.
 */
RosterLocalServer *
roster_local_server_new_default (void)
{
  const char *path = g_getenv ("ROSTER_ROSTERD");
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "roster", "server",
                                                NULL);

  return roster_local_server_new (path != NULL && *path != '\0' ? path : ROSTERD_PATH,
                                  data_dir);
}

const char *
roster_local_server_get_data_dir (RosterLocalServer *self)
{
  g_return_val_if_fail (ROSTER_IS_LOCAL_SERVER (self), NULL);
  return self->data_dir;
}

const char *
roster_local_server_get_base_url (RosterLocalServer *self)
{
  g_return_val_if_fail (ROSTER_IS_LOCAL_SERVER (self), NULL);
  return self->base_url;
}

gboolean
roster_local_server_get_running (RosterLocalServer *self)
{
  g_return_val_if_fail (ROSTER_IS_LOCAL_SERVER (self), FALSE);
  return self->base_url != NULL;
}

static void
set_base_url (RosterLocalServer *self, const char *base_url)
{
  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static GError *
start_error (RosterLocalServer *self, const char *reason)
{
  /* Translators: the first %s is a sentence, the second what rosterd said */
  return g_error_new (ROSTER_ERROR, ROSTER_ERROR_LOCAL_SERVER, _("%s (%s)"),
                      roster_error_code_describe (ROSTER_ERROR_LOCAL_SERVER), reason);
}

/* ----------------------------------------------------------------- the subprocess */

static void
fail_start (RosterLocalServer *self, GTask *task)
{
  g_task_return_error (task, start_error (self, self->last_error_line != NULL
                                                  ? self->last_error_line
                                                  : _("it stopped at once")));
  g_object_unref (task);
}

/* The subprocess watches hold no reference: dispose cancels them, and they return on
 * G_IO_ERROR_CANCELLED before touching self. */
static void
stderr_line_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterLocalServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      /* EOF, or cancelled */
      self->stderr_closed = TRUE;
      if (self->failed_start != NULL)
        fail_start (self, g_steal_pointer (&self->failed_start));
      return;
    }
  g_debug ("rosterd: %s", line);
  g_free (self->last_error_line);
  self->last_error_line = g_steal_pointer (&line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_LOW,
                                       self->cancellable, stderr_line_cb, self);
}

static void
wait_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterLocalServer *self = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (process, result, NULL))
    return; /* cancelled: we are going away */
  if (process != self->process)
    return;

  g_debug ("rosterd exited (%s %d)",
           g_subprocess_get_if_exited (process) ? "status" : "signal",
           g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                : g_subprocess_get_term_sig (process));
  g_clear_object (&self->process);
  set_base_url (self, NULL);
  if (!self->stopping)
    g_signal_emit (self, signals[EXITED], 0);
}

typedef struct
{
  guint timeout_id;
  gboolean done;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_free (data);
}

static void
url_line_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterLocalServer *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (data->done)
    return;
  data->done = TRUE;
  /* The timeout holds a reference on the task: drop it now, not in 20 s. */
  g_clear_handle_id (&data->timeout_id, g_source_remove);

  if (line == NULL || !g_str_has_prefix (line, "http"))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (self->stderr_closed)
        fail_start (self, g_steal_pointer (&task));
      else
        self->failed_start = g_steal_pointer (&task);
      return;
    }

  g_strchomp (line);
  set_base_url (self, line);
  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  RosterLocalServer *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  if (!data->done)
    {
      data->done = TRUE;
      roster_local_server_stop (self);
      g_task_return_error (task, start_error (self, _("it did not answer in time")));
    }
  return G_SOURCE_REMOVE;
}

static void
spawn (RosterLocalServer *self, GTask *task)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  StartData *data = g_task_get_task_data (task);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_clear_object (&self->process);
  /* The embedded default: its first administrator gets sample records to look at. */
  self->process = g_subprocess_launcher_spawn (launcher, &error, self->rosterd_path,
                                               "--data-dir", self->data_dir, "--listen",
                                               "127.0.0.1:0", "--sample-records", NULL);
  if (self->process == NULL)
    {
      g_task_return_error (task, start_error (self, error->message));
      g_object_unref (task);
      return;
    }
  self->stopping = FALSE;
  self->stderr_closed = FALSE;

  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->stderr_stream);
  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->stderr_stream = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  g_data_input_stream_read_line_async (self->stderr_stream, G_PRIORITY_LOW, self->cancellable,
                                       stderr_line_cb, self);

  data->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, START_TIMEOUT_SECONDS,
                                                 start_timeout_cb, g_object_ref (task),
                                                 g_object_unref);
  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), url_line_cb, task);
}

/* ------------------------------------------------------------- reuse or start */

static void
probe_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (roster_client_get_setup_required_finish (ROSTER_CLIENT (object), result, NULL, &error))
    {
      g_debug ("reusing rosterd at %s", roster_client_get_base_url (ROSTER_CLIENT (object)));
      set_base_url (self, roster_client_get_base_url (ROSTER_CLIENT (object)));
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("stale rosterd.url (%s); starting rosterd", error->message);
  spawn (self, g_steal_pointer (&task));
}

/* Worker thread: file I/O stays off the main loop. */
static void
prepare_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  RosterLocalServer *self = source_object;
  g_autofree char *url_file = g_build_filename (self->data_dir, "rosterd.url", NULL);
  g_autofree char *contents = NULL;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_LOCAL_SERVER, _("%s (%s: %s)"),
                               roster_error_code_describe (ROSTER_ERROR_LOCAL_SERVER),
                               self->data_dir, g_strerror (saved_errno));
      return;
    }
  if (g_file_get_contents (url_file, &contents, NULL, NULL))
    g_strstrip (contents);
  g_task_return_pointer (task, g_steal_pointer (&contents), g_free);
}

static void
prepare_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterLocalServer *self = ROSTER_LOCAL_SERVER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(RosterClient) probe = NULL;
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (url == NULL || !g_str_has_prefix (url, "http://127.0.0.1:"))
    {
      spawn (self, g_steal_pointer (&task));
      return;
    }
  probe = roster_client_new (url);
  cancellable = g_task_get_cancellable (task);
  roster_client_get_setup_required_async (probe, cancellable, probe_cb, g_steal_pointer (&task));
}

/**
 * roster_local_server_start_async:
 *
 * Makes sure a rosterd serves the data dir: reuses a running one, or starts one and waits for
 * it to print its URL. Does nothing if this object's server is already running.
 */
void
roster_local_server_start_async (RosterLocalServer *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) prepare = NULL;

  g_return_if_fail (ROSTER_IS_LOCAL_SERVER (self));

  g_task_set_source_tag (task, roster_local_server_start_async);
  g_task_set_task_data (task, g_new0 (StartData, 1), (GDestroyNotify) start_data_free);
  if (self->base_url != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  prepare = g_task_new (self, cancellable, prepare_cb, g_steal_pointer (&task));
  g_task_run_in_thread (prepare, prepare_thread);
}

gboolean
roster_local_server_start_finish (RosterLocalServer *self, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
setup_token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_strstrip (g_steal_pointer (&contents)), g_free);
}

/**
 * roster_local_server_read_setup_token_async:
 *
 * Reads the one-time setup token rosterd left in its data dir. It finishes with %NULL and no
 * error if there is none, i.e. the server has been set up.
 */
void
roster_local_server_read_setup_token_async (RosterLocalServer *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (ROSTER_IS_LOCAL_SERVER (self));

  g_task_set_source_tag (task, roster_local_server_read_setup_token_async);
  path = g_build_filename (self->data_dir, "setup-token", NULL);
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, cancellable, setup_token_cb, g_steal_pointer (&task));
}

/**
 * roster_local_server_read_setup_token_finish:
 *
 * Returns: (transfer full) (nullable): the token
 */
char *
roster_local_server_read_setup_token_finish (RosterLocalServer *self, GAsyncResult *result,
                                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_local_server_stop:
 *
 * Asks the rosterd this object started to shut down. A reused one is left running: it is
 * someone else's.
 */
void
roster_local_server_stop (RosterLocalServer *self)
{
  g_return_if_fail (ROSTER_IS_LOCAL_SERVER (self));

  /* Once is enough: rosterd shuts down on the first SIGTERM. */
  if (self->process != NULL && !self->stopping)
    {
      self->stopping = TRUE;
      g_subprocess_send_signal (self->process, SIGTERM);
    }
  set_base_url (self, NULL);
}
