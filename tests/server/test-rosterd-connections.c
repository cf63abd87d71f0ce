/* test-rosterd-connections.c: rosterd keeps no descriptor for a client that has gone
 *
 * libsoup 3.2's server leaks every idle keep-alive connection the client closes (see
 * src/server/roster-connection-reaper.c). These tests count rosterd's open descriptors in /proc while
 * clients come and go, and check that keep-alive and pipelining still work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd-connections"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "roster-test-server.h"

typedef struct
{
  RosterTestServer *server;
  GInetSocketAddress *address;
} Fixture;

static guint
open_fds (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd",
                                           g_subprocess_get_identifier (f->server->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GUri) uri = NULL;

  f->server = roster_test_server_start (NULL);
  uri = g_uri_parse (f->server->base_url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  f->address = G_INET_SOCKET_ADDRESS (
    g_inet_socket_address_new_from_string (g_uri_get_host (uri), g_uri_get_port (uri)));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->address);
  roster_test_server_stop (f->server);
}

static GSocketConnection *
connect_to (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (f->address), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
send_text (GSocketConnection *connection, const char *text)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_assert_true (g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Reads until @n complete responses to GET /setup have arrived. */
static void
read_responses (GSocketConnection *connection, guint n)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) got = g_string_new (NULL);
  guint seen = 0;

  while (seen < n)
    {
      char buffer[4096];
      g_autoptr(GError) error = NULL;
      gssize len = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
      const char *p;

      g_assert_no_error (error);
      g_assert_cmpint (len, >, 0);
      g_string_append_len (got, buffer, len);
      seen = 0;
      for (p = got->str; (p = strstr (p, "\"setupRequired\"")) != NULL; p++)
        seen++;
    }
  g_assert_cmpuint (seen, ==, n);
}

#define REQUEST "GET /setup HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

static void
wait_for_fds (Fixture *f, guint at_most)
{
  for (guint i = 0; i < 50 && open_fds (f) > at_most; i++)
    g_usleep (20000);
  g_assert_cmpuint (open_fds (f), <=, at_most);
}

static void
test_clients_that_leave (Fixture *f, gconstpointer data)
{
  guint baseline;

  /* Warm up: the first connection may open files for good (the database, the WAL). */
  {
    g_autoptr(GSocketConnection) connection = connect_to (f);

    send_text (connection, REQUEST);
    read_responses (connection, 1);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }
  g_usleep (200000);
  baseline = open_fds (f);

  /* 200 clients, each one request on a kept-alive connection, then gone. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_to (f);

      send_text (connection, REQUEST);
      read_responses (connection, 1);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  wait_for_fds (f, baseline);
}

static void
test_keep_alive_and_pipelining (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocketConnection) connection = connect_to (f);

  /* Twenty requests one after the other on one connection... */
  for (guint i = 0; i < 20; i++)
    {
      send_text (connection, REQUEST);
      read_responses (connection, 1);
    }
  /* ...three in one write, and one that arrives in two halves with a pause between. */
  send_text (connection, REQUEST REQUEST REQUEST);
  read_responses (connection, 3);
  send_text (connection, "GET /setup HTTP/1.1\r\nHost: 12");
  g_usleep (300000);
  send_text (connection, "7.0.0.1\r\n\r\n");
  read_responses (connection, 1);
}

static void
test_idle_connection_stays (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocketConnection) connection = connect_to (f);

  send_text (connection, REQUEST);
  read_responses (connection, 1);
  /* An idle client that is still there keeps its connection. */
  g_usleep (500000);
  send_text (connection, REQUEST);
  read_responses (connection, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rosterd/connections/clients-that-leave", Fixture, NULL, fixture_set_up,
              test_clients_that_leave, fixture_tear_down);
  g_test_add ("/rosterd/connections/keep-alive-and-pipelining", Fixture, NULL, fixture_set_up,
              test_keep_alive_and_pipelining, fixture_tear_down);
  g_test_add ("/rosterd/connections/idle-connection-stays", Fixture, NULL, fixture_set_up,
              test_idle_connection_stays, fixture_tear_down);

  return g_test_run ();
}
