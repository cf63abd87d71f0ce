/* test-credentials.c: tokens in a real gnome-keyring on a private D-Bus, or in memory
 *
 * Run inside tests/harness/headless-session.sh. With ROSTER_TEST_NO_KEYRING=1 the session has
 * no secret service at all, and the memory fallback is what is tested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <gio/gio.h>

#include "roster-credentials.h"
#include "roster-test-async.h"

static gboolean
have_keyring (void)
{
  return g_strcmp0 (g_getenv ("ROSTER_TEST_NO_KEYRING"), "1") != 0;
}

static void
store (RosterCredentials *credentials, const char *server, const char *user, const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  roster_credentials_store_async (credentials, server, user, token, NULL, roster_test_async_cb,
                                  &result);
  g_assert_true (roster_credentials_store_finish (credentials, roster_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
}

static char *
lookup (RosterCredentials *credentials, const char *server, const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  roster_credentials_lookup_async (credentials, server, user, NULL, roster_test_async_cb, &result);
  token = roster_credentials_lookup_finish (credentials, roster_test_wait_result (&result),
                                            &error);
  g_assert_no_error (error);
  return token;
}

static void
clear (RosterCredentials *credentials, const char *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  roster_credentials_clear_async (credentials, server, NULL, roster_test_async_cb, &result);
  g_assert_true (roster_credentials_clear_finish (credentials, roster_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
}

/* What `secret-tool lookup` finds, i.e. what really is in the keyring. */
static char *
secret_tool_lookup (const char *server, const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "secret-tool", "lookup", "server", server, "username", user, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

static void
test_round_trip (void)
{
  g_autoptr(RosterCredentials) credentials = roster_credentials_new ();
  g_autofree char *token = NULL;
  g_autofree char *in_keyring = NULL;
  g_autofree char *other = NULL;
  g_autoptr(RosterCredentials) fresh = NULL;
  g_autofree char *from_fresh = NULL;

  g_assert_null (lookup (credentials, "http://test.invalid", "nobody"));

  store (credentials, "http://test.invalid", "ada", "token-ada-1");
  token = lookup (credentials, "http://test.invalid", "ada");
  g_assert_cmpstr (token, ==, "token-ada-1");
  other = lookup (credentials, "http://test.invalid", "grace");
  g_assert_null (other);

  in_keyring = secret_tool_lookup ("http://test.invalid", "ada");
  fresh = roster_credentials_new ();
  from_fresh = lookup (fresh, "http://test.invalid", "ada");
  if (have_keyring ())
    {
      g_assert_true (roster_credentials_get_available (credentials));
      g_assert_cmpstr (in_keyring, ==, "token-ada-1");
      /* A new process (here: a new object) finds it too. */
      g_assert_cmpstr (from_fresh, ==, "token-ada-1");
    }
  else
    {
      g_assert_false (roster_credentials_get_available (credentials));
      g_assert_null (in_keyring);
      g_assert_null (from_fresh);
    }

  clear (credentials, "http://test.invalid");
  g_clear_pointer (&token, g_free);
  token = lookup (credentials, "http://test.invalid", "ada");
  g_assert_null (token);
  g_clear_pointer (&in_keyring, g_free);
  in_keyring = secret_tool_lookup ("http://test.invalid", "ada");
  g_assert_null (in_keyring);

  g_assert_finalize_object (g_steal_pointer (&fresh));
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

static void
on_available_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_replaces_per_server (void)
{
  g_autoptr(RosterCredentials) credentials = roster_credentials_new ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint notified = 0;

  g_signal_connect (credentials, "notify::available", G_CALLBACK (on_available_notify_cb),
                    &notified);
  /* One session per server: signing in as someone else replaces it. */
  store (credentials, "local", "ada", "token-a");
  store (credentials, "local", "grace", "token-g");
  first = lookup (credentials, "local", "ada");
  second = lookup (credentials, "local", "grace");
  g_assert_cmpstr (second, ==, "token-g");
  g_assert_null (first);
  if (have_keyring ())
    {
      g_assert_cmpuint (notified, ==, 0);
    }
  else
    {
      /* Told once, however many calls fail. */
      g_assert_cmpuint (notified, ==, 1);
    }
  clear (credentials, "local");
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/round-trip", test_round_trip);
  g_test_add_func ("/credentials/replaces-per-server", test_replaces_per_server);

  return g_test_run ();
}
