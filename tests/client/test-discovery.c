/* test-discovery.c: checking a server before use: SCIM discovery, and TLS never accepted
 *
 * Discovery runs against a real rosterd on 127.0.0.1. TLS runs against a SoupServer on
 * 127.0.0.1:0 with a self-signed certificate for another name, made by openssl for the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-discovery"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "roster-client.h"
#include "roster-error.h"
#include "roster-test-async.h"
#include "roster-test-server.h"

static gboolean
check_discovery (RosterClient *client, gboolean *sign_in_needed, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_client_check_discovery_async (client, NULL, roster_test_async_cb, &result);
  return roster_client_check_discovery_finish (client, roster_test_wait_result (&result),
                                               sign_in_needed, error);
}

static void
test_discovery (void)
{
  RosterTestServer *server = roster_test_server_start (NULL);
  g_autoptr(RosterClient) client = roster_client_new (server->base_url);
  g_autofree char *wrong_url = g_strconcat (server->base_url, "/not-here", NULL);
  g_autoptr(RosterClient) wrong = roster_client_new (wrong_url);
  g_autoptr(RosterClient) nobody = roster_client_new ("http://127.0.0.1:1");
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  gboolean sign_in_needed = FALSE;

  /* rosterd protects discovery: before sign-in a 401 means "there, sign in first". */
  g_assert_true (check_discovery (client, &sign_in_needed, &error));
  g_assert_no_error (error);
  g_assert_true (sign_in_needed);

  /* Signed in, /ServiceProviderConfig and /Schemas are read and checked. */
  token = roster_test_server_setup_admin (server, "ada", "correct horse battery");
  roster_client_set_token (client, token);
  g_assert_true (check_discovery (client, &sign_in_needed, &error));
  g_assert_no_error (error);
  g_assert_false (sign_in_needed);

  /* A web server that is not SCIM there (rosterd's 404s). */
  g_assert_false (check_discovery (wrong, NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message, "No SCIM 2.0 server answers"));
  g_clear_error (&error);

  g_assert_false (check_discovery (nobody, NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE);

  g_assert_finalize_object (g_steal_pointer (&nobody));
  g_assert_finalize_object (g_steal_pointer (&wrong));
  g_assert_finalize_object (g_steal_pointer (&client));
  roster_test_server_stop (server);
}

static void
count_request_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer user_data)
{
  (*(guint *) user_data)++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"setupRequired\": true}", 23);
}

static void
test_tls_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("roster-tls-XXXXXX", &error);
  g_autofree char *cert_file = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_file = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *url = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(RosterClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSList) uris = NULL;
  const char *argv[] = { "openssl", "req",    "-x509", "-newkey", "rsa:2048",
                         "-nodes",  "-days",  "2",     "-subj",   "/CN=roster.invalid",
                         "-keyout", key_file, "-out",  cert_file, NULL };
  gboolean required = FALSE;
  guint requests = 0;
  int status = 0;

#ifdef __SANITIZE_ADDRESS__
  /* LeakSanitizer's tracer crashes (SIGSEGV in StopTheWorld, in most runs) on the threads a
   * TLS handshake leaves in glib-networking/GnuTLS on Debian 12, so the sanitizer build skips
   * this; the main build runs it, and the wizard's UI test the same path. */
  g_test_skip ("LeakSanitizer cannot scan glib-networking's TLS threads");
  g_rmdir (dir);
  return;
#endif
  g_assert_no_error (error);
  g_assert_true (
      g_spawn_sync (NULL, (char **) argv, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);

  soup_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (soup_server, NULL, count_request_cb, &requests, NULL);
  /* soup_server_listen(), not _listen_local(): libsoup 3.2's _listen_local() leaks the
   * address it asks the listener for (LeakSanitizer). */
  {
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);

    g_assert_true (soup_server_listen (soup_server, address, SOUP_SERVER_LISTEN_HTTPS, &error));
  }
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = roster_client_new (url);
  roster_client_get_setup_required_async (client, NULL, roster_test_async_cb, &result);
  g_assert_false (roster_client_get_setup_required_finish (
      client, roster_test_wait_result (&result), &required, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_TLS);
  /* In words: who signed it, and for which name. */
  g_assert_nonnull (strstr (error->message, "not signed by an authority this computer trusts"));
  g_assert_nonnull (strstr (error->message, "issued for a different address"));
  g_assert_nonnull (strstr (error->message, "Roster does not connect to it."));
  /* Never accepted: nothing reached the server's handler. */
  g_assert_cmpuint (requests, ==, 0);
  g_assert_false (required);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
  soup_server_disconnect (soup_server);
  g_remove (cert_file);
  g_remove (key_file);
  g_rmdir (dir);
}

static void
test_tls_describe (void)
{
  g_autofree char *expired = roster_client_describe_tls_errors (G_TLS_CERTIFICATE_EXPIRED);
  g_autofree char *unknown = roster_client_describe_tls_errors (0);

  g_assert_nonnull (strstr (expired, "has expired"));
  g_assert_null (strstr (expired, "different address"));
  g_assert_nonnull (strstr (unknown, "could not be checked"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discovery/scim", test_discovery);
  g_test_add_func ("/discovery/tls-refused", test_tls_refused);
  g_test_add_func ("/discovery/tls-describe", test_tls_describe);

  return g_test_run ();
}
