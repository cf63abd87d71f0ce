/* roster-mail-sender.c: delivers the outbox, one message at a time, off the main thread
 *
 * The store is the queue: a message is in mail_outbox from the transaction that caused it
 * until the relay accepted it, so nothing is lost when the relay is down or rosterd stops.
 * The sender takes the oldest due message (main thread), hands a copy to a GTask thread that
 * speaks SMTP with libcurl (or, with no relay configured, writes DATA_DIR/outbox/ID.eml:
 * a temporary file, fsync, rename), and back on the main thread marks it sent, or counts
 * the failure and puts it off by roster_mail_sender_backoff(). Only one delivery runs at a
 * time, so no message is handed out twice. Due times are rosterd's clock; a timer and every
 * sweep (so POST /_test/clock) look for due mail.
 *
 * Exactly once holds unless rosterd dies after the relay accepted a message and before the
 * sent mark is written (a window of one SQLite write): then the message goes again on the
 * next start. SMTP cannot do better without the relay's help.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "roster-clock.h"
#include "roster-mail-sender.h"

/* How often the sender looks for mail that became due (real seconds). */
#define POLL_SECONDS 15
#define FIRST_RETRY_SECONDS 60
#define MAX_RETRY_SECONDS (6 * 3600)
#define SMTP_TIMEOUT_SECONDS 60

struct _RosterMailSender
{
  GObject parent_instance;

  RosterStore *store;
  char *url;
  char *user_name;
  char *password;
  char *from;
  char *outbox_dir;
  gboolean insecure;
  gboolean busy;
  gboolean stopping;
  GCancellable *cancellable;
  guint poll_id;
};

G_DEFINE_FINAL_TYPE (RosterMailSender, roster_mail_sender, G_TYPE_OBJECT)

/* What the thread needs: copies, so the thread never touches the sender or the store. */
typedef struct
{
  char *id;
  char *recipient;
  char *message;
  char *url;
  char *user_name;
  char *password;
  char *from;
  char *outbox_dir;
  gboolean insecure;
  gint64 attempts;
} Delivery;

static void
delivery_free (Delivery *d)
{
  if (d->message != NULL)
    explicit_bzero (d->message, strlen (d->message));
  if (d->password != NULL)
    explicit_bzero (d->password, strlen (d->password));
  g_free (d->id);
  g_free (d->recipient);
  g_free (d->message);
  g_free (d->url);
  g_free (d->user_name);
  g_free (d->password);
  g_free (d->from);
  g_free (d->outbox_dir);
  g_free (d);
}

static void
roster_mail_sender_dispose (GObject *object)
{
  RosterMailSender *self = ROSTER_MAIL_SENDER (object);

  roster_mail_sender_shutdown (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (roster_mail_sender_parent_class)->dispose (object);
}

static void
roster_mail_sender_finalize (GObject *object)
{
  RosterMailSender *self = ROSTER_MAIL_SENDER (object);

  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->url);
  g_free (self->user_name);
  g_free (self->password);
  g_free (self->from);
  g_free (self->outbox_dir);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (roster_mail_sender_parent_class)->finalize (object);
}

static void
roster_mail_sender_class_init (RosterMailSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_mail_sender_dispose;
  object_class->finalize = roster_mail_sender_finalize;
}

static void
roster_mail_sender_init (RosterMailSender *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * roster_mail_sender_backoff:
 * @attempts: failed attempts so far, the one just made included
 *
 * Returns: seconds until the next attempt: 1 minute, doubling, at most 6 hours
 */
gint64
roster_mail_sender_backoff (gint64 attempts)
{
  gint64 delay = FIRST_RETRY_SECONDS;

  for (gint64 i = 1; i < attempts && delay < MAX_RETRY_SECONDS; i++)
    delay *= 2;
  return MIN (delay, MAX_RETRY_SECONDS);
}

/* ------------------------------------------------------------------ the thread */

typedef struct
{
  const char *data;
  gsize length;
  gsize done;
} Upload;

static size_t
read_cb (char *buffer, size_t size, size_t n, void *user_data)
{
  Upload *upload = user_data;
  gsize count = MIN (size * n, upload->length - upload->done);

  memcpy (buffer, upload->data + upload->done, count);
  upload->done += count;
  return count;
}

static int
progress_cb (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
             curl_off_t ulnow)
{
  /* Non-zero aborts: rosterd is stopping, and the message stays queued. */
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

static gboolean
send_smtp (Delivery *d, GCancellable *cancellable, GError **error)
{
  CURL *curl = curl_easy_init ();
  struct curl_slist *recipients = NULL;
  g_autofree char *mail_from = g_strdup_printf ("<%s>", d->from);
  g_autofree char *rcpt = g_strdup_printf ("<%s>", d->recipient);
  char message[CURL_ERROR_SIZE] = "";
  Upload upload = { d->message, strlen (d->message), 0 };
  CURLcode rc;

  if (curl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "curl_easy_init failed");
      return FALSE;
    }
  recipients = curl_slist_append (recipients, rcpt);
  curl_easy_setopt (curl, CURLOPT_URL, d->url);
  /* STARTTLS on smtp://, TLS from the start on smtps://; certificates are always checked. */
  curl_easy_setopt (curl, CURLOPT_USE_SSL, d->insecure ? (long) CURLUSESSL_TRY
                                                        : (long) CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (d->user_name != NULL)
    curl_easy_setopt (curl, CURLOPT_USERNAME, d->user_name);
  if (d->password != NULL)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, d->password);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, message);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) SMTP_TIMEOUT_SECONDS);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, cancellable);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (recipients);
  curl_easy_cleanup (curl);
  if (rc != CURLE_OK)
    {
      /* curl's text names the server and the SMTP reply, never the password. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   message[0] != '\0' ? message : curl_easy_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

static gboolean
io_error (GError **error, const char *path, int saved_errno)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

/* OUTBOX/ID.eml, atomically: written to a temporary name, synced, renamed. */
static gboolean
write_eml (Delivery *d, GError **error)
{
  g_autofree char *name = g_strconcat (d->id, ".eml", NULL);
  g_autofree char *path = g_build_filename (d->outbox_dir, name, NULL);
  g_autofree char *temp = g_strconcat (d->outbox_dir, "/.", name, ".tmp", NULL);
  gsize length = strlen (d->message), done = 0;
  int fd;

  if (g_mkdir_with_parents (d->outbox_dir, 0700) != 0)
    return io_error (error, d->outbox_dir, errno);
  fd = open (temp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return io_error (error, temp, errno);
  while (done < length)
    {
      ssize_t n = write (fd, d->message + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (temp);
          return io_error (error, temp, saved_errno);
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp);
      return io_error (error, temp, saved_errno);
    }
  if (close (fd) != 0 || g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp);
      return io_error (error, path, saved_errno);
    }
  return TRUE;
}

static void
deliver_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Delivery *d = task_data;
  GError *error = NULL;
  gboolean ok = d->url != NULL ? send_smtp (d, cancellable, &error) : write_eml (d, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------ the main thread */

static void
delivered_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterMailSender *self = ROSTER_MAIL_SENDER (object);
  Delivery *d = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->busy = FALSE;
  if (self->stopping)
    return;
  if (ok)
    {
      if (!roster_store_mail_sent (self->store, d->id, roster_clock_now (), &store_error))
        g_warning ("Mail %s was delivered but cannot be marked sent: %s", d->id,
                   store_error->message);
      else
        g_info ("Mail %s delivered", d->id);
      roster_mail_sender_kick (self);
      return;
    }
  {
    gint64 delay = roster_mail_sender_backoff (d->attempts + 1);

    g_warning ("Mail %s not delivered (attempt %" G_GINT64_FORMAT "), retrying in %"
               G_GINT64_FORMAT " s: %s", d->id, d->attempts + 1, delay, error->message);
    if (!roster_store_mail_failed (self->store, d->id, roster_clock_now () + delay,
                                   error->message, &store_error))
      g_warning ("Mail %s: %s", d->id, store_error->message);
  }
}

/**
 * roster_mail_sender_kick:
 *
 * Starts delivering the next due message, unless one is on its way already.
 */
void
roster_mail_sender_kick (RosterMailSender *self)
{
  g_autoptr(RosterOutboxMail) mail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Delivery *d;

  g_return_if_fail (ROSTER_IS_MAIL_SENDER (self));
  if (self->busy || self->stopping)
    return;
  mail = roster_store_next_mail (self->store, roster_clock_now (), &error);
  if (mail == NULL)
    {
      if (error != NULL)
        g_warning ("Outbox: %s", error->message);
      return;
    }

  d = g_new0 (Delivery, 1);
  d->id = g_strdup (mail->id);
  d->recipient = g_strdup (mail->recipient);
  d->message = g_steal_pointer (&mail->message);
  d->url = g_strdup (self->url);
  d->user_name = g_strdup (self->user_name);
  d->password = g_strdup (self->password);
  d->from = g_strdup (self->from);
  d->outbox_dir = g_strdup (self->outbox_dir);
  d->insecure = self->insecure;
  d->attempts = mail->attempts;
  if (d->message == NULL)
    d->message = g_strdup ("");
  self->busy = TRUE;
  task = g_task_new (self, self->cancellable, delivered_cb, NULL);
  g_task_set_source_tag (task, roster_mail_sender_kick);
  g_task_set_task_data (task, d, (GDestroyNotify) delivery_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, deliver_thread);
}

static gboolean
poll_cb (gpointer user_data)
{
  roster_mail_sender_kick (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * roster_mail_sender_new:
 *
 * A sender for @config's relay, or for DATA_DIR/outbox/ without one. It looks for due
 * mail now and every few seconds.
 */
RosterMailSender *
roster_mail_sender_new (RosterStore *store, const RosterConfig *config)
{
  RosterMailSender *self = g_object_new (ROSTER_TYPE_MAIL_SENDER, NULL);
  static gsize curl_ready = 0;

  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }
  self->store = g_object_ref (store);
  self->url = g_strdup (config->smtp_url);
  self->user_name = g_strdup (config->smtp_username);
  self->password = g_strdup (config->smtp_password);
  self->from = g_strdup (config->smtp_from);
  self->insecure = config->smtp_insecure;
  self->outbox_dir = g_build_filename (config->data_dir, "outbox", NULL);
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  if (self->url != NULL)
    g_info ("Mail goes to %s", self->url);
  else
    g_info ("No [smtp] url: mail is written to %s", self->outbox_dir);
  return self;
}

/**
 * roster_mail_sender_shutdown:
 *
 * Stops sending: a delivery on its way is aborted (its message stays queued) and waited
 * for, so nothing runs once rosterd closes its database. Idempotent.
 */
void
roster_mail_sender_shutdown (RosterMailSender *self)
{
  self->stopping = TRUE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  while (self->busy)
    g_main_context_iteration (NULL, TRUE);
}
