/* roster-connection-reaper.c
 *
 * libsoup 3.2's SoupServer never notices when a client closes a kept-alive connection while
 * it is idle (fixed upstream in 3.3.0, "Don't leak idle connections closed by the client"):
 * the socket stays open, one descriptor per connection, until rosterd runs out of them and
 * stops accepting. libsoup's own client opens a new connection for every POST and closes the
 * old ones, so this happens all the time: seeding a benchmark hit the 20,000-descriptor
 * limit.
 *
 * The reaper watches the socket of every connection between requests, at low priority so
 * libsoup reads first. Readable with nothing to read means the client has gone: the reaper
 * closes the GSocket, which frees the descriptor (libsoup's small connection object stays
 * behind until Debian has the fix). Data waiting means a request is arriving; the watch
 * stands down until that request has finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "roster-connection-reaper.h"

typedef struct
{
  RosterConnectionReaper *reaper; /* unowned: the reaper outlives its watches */
  GSocket *socket;
  GSource *source;
} Watch;

struct _RosterConnectionReaper
{
  GObject parent_instance;

  SoupServer *soup;
  GHashTable *watches; /* GSocket → Watch, for connections idle between requests */
  guint n_reaped;
};

G_DEFINE_FINAL_TYPE (RosterConnectionReaper, roster_connection_reaper, G_TYPE_OBJECT)

static void
watch_free (Watch *watch)
{
  if (watch->source != NULL)
    {
      g_source_destroy (watch->source);
      g_source_unref (watch->source);
    }
  g_object_unref (watch->socket);
  g_free (watch);
}

static gboolean
watch_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Watch *watch = user_data;
  RosterConnectionReaper *self = watch->reaper;
  char byte;
  gssize n = -1;

  if (!g_socket_is_closed (socket))
    n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
    {
      /* A request is arriving and libsoup will read it; "request-started" comes next. */
      g_hash_table_remove (self->watches, socket);
      return G_SOURCE_REMOVE;
    }

  if (!g_socket_is_closed (socket))
    {
      g_debug ("a client left an idle connection: closing it");
      g_socket_close (socket, NULL);
      self->n_reaped++;
    }
  /* The hash table's destroy notify would destroy this very source: detach it first. */
  g_clear_pointer (&watch->source, g_source_unref);
  g_hash_table_remove (self->watches, socket);
  return G_SOURCE_REMOVE;
}

static void
on_request_started_cb (SoupServer *soup, SoupServerMessage *msg, RosterConnectionReaper *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_hash_table_remove (self->watches, socket);
}

static void
on_request_done_cb (SoupServer *soup, SoupServerMessage *msg, RosterConnectionReaper *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Watch *watch;

  if (socket == NULL || g_socket_is_closed (socket)
      || g_hash_table_contains (self->watches, socket))
    return;

  watch = g_new0 (Watch, 1);
  watch->reaper = self;
  watch->socket = g_object_ref (socket);
  watch->source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (watch->source, G_PRIORITY_LOW);
  g_source_set_callback (watch->source, G_SOURCE_FUNC (watch_cb), watch, NULL);
  g_source_set_static_name (watch->source, "[rosterd] idle connection");
  g_source_attach (watch->source, NULL);
  g_hash_table_insert (self->watches, socket, watch);
}

static void
roster_connection_reaper_dispose (GObject *object)
{
  RosterConnectionReaper *self = (RosterConnectionReaper *) object;

  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_object (&self->soup);
  if (self->watches != NULL)
    g_hash_table_remove_all (self->watches);

  G_OBJECT_CLASS (roster_connection_reaper_parent_class)->dispose (object);
}

static void
roster_connection_reaper_finalize (GObject *object)
{
  RosterConnectionReaper *self = (RosterConnectionReaper *) object;

  g_clear_pointer (&self->watches, g_hash_table_unref);
  G_OBJECT_CLASS (roster_connection_reaper_parent_class)->finalize (object);
}

static void
roster_connection_reaper_class_init (RosterConnectionReaperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_connection_reaper_dispose;
  object_class->finalize = roster_connection_reaper_finalize;
}

static void
roster_connection_reaper_init (RosterConnectionReaper *self)
{
  self->watches = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) watch_free);
}

/**
 * roster_connection_reaper_new:
 *
 * Starts watching @soup's connections between requests.
 */
RosterConnectionReaper *
roster_connection_reaper_new (SoupServer *soup)
{
  RosterConnectionReaper *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self = g_object_new (ROSTER_TYPE_CONNECTION_REAPER, NULL);
  self->soup = g_object_ref (soup);
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_done_cb), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_done_cb), self);
  return self;
}

/**
 * roster_connection_reaper_get_n_idle:
 *
 * Returns: how many connections are between requests now (for diagnostics)
 */
guint
roster_connection_reaper_get_n_idle (RosterConnectionReaper *self)
{
  g_return_val_if_fail (ROSTER_IS_CONNECTION_REAPER (self), 0);
  return g_hash_table_size (self->watches);
}

/**
 * roster_connection_reaper_get_n_reaped:
 *
 * Returns: how many connections the reaper has closed since it started
 */
guint
roster_connection_reaper_get_n_reaped (RosterConnectionReaper *self)
{
  g_return_val_if_fail (ROSTER_IS_CONNECTION_REAPER (self), 0);
  return self->n_reaped;
}
