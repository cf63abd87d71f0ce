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
#include <string.h>

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
test_several_servers (void)
{
  g_autoptr(RosterCredentials) credentials = roster_credentials_new ();
  g_autoptr(RosterCredentials) fresh = NULL;
  const char *remote = "http://127.0.0.1:9/second";
  guint notified = 0;
  struct
  {
    const char *server, *user, *token;
  } items[] = {
    { "local", "ada", "token-local-ada" },
    { "local", "grace", "token-local-grace" },
    { "http://127.0.0.1:9/second", "ada", "token-remote-ada" },
  };

  g_signal_connect (credentials, "notify::available", G_CALLBACK (on_available_notify_cb),
                    &notified);
  /* One item per server and user: none replaces another. */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    store (credentials, items[i].server, items[i].user, items[i].token);
  /* Storing again for the same server and user replaces that one only. */
  store (credentials, "local", "ada", "token-local-ada-2");
  items[0].token = "token-local-ada-2";

  fresh = roster_credentials_new ();
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *token = lookup (credentials, items[i].server, items[i].user);
      g_autofree char *in_keyring = secret_tool_lookup (items[i].server, items[i].user);
      g_autofree char *from_fresh = lookup (fresh, items[i].server, items[i].user);

      g_assert_cmpstr (token, ==, items[i].token);
      if (have_keyring ())
        {
          g_assert_cmpstr (in_keyring, ==, items[i].token);
          g_assert_cmpstr (from_fresh, ==, items[i].token);
        }
      else
        {
          g_assert_null (in_keyring);
          g_assert_null (from_fresh);
        }
    }
  if (have_keyring ())
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *all = NULL;
      g_auto(GStrv) items_found = NULL;
      const char *argv[] = { "secret-tool", "search", "--all", "server", "local", NULL };

      /* Exactly two items for the local server (secret-tool prints attributes to stderr). */
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   &out, &err, NULL, NULL));
      all = g_strconcat (out, err, NULL);
      g_assert_nonnull (strstr (all, "attribute.username = ada"));
      g_assert_nonnull (strstr (all, "attribute.username = grace"));
      items_found = g_strsplit (all, "[/", -1);
      g_assert_cmpuint (g_strv_length (items_found) - 1, ==, 2);
      g_assert_cmpuint (notified, ==, 0);
    }
  else
    {
      /* Told once, however many calls fail. */
      g_assert_cmpuint (notified, ==, 1);
    }

  /* Removing a server deletes its secrets, and only its own. */
  clear (credentials, "local");
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *token = lookup (credentials, items[i].server, items[i].user);
      g_autofree char *in_keyring = secret_tool_lookup (items[i].server, items[i].user);
      gboolean kept = g_str_equal (items[i].server, remote);

      g_assert_cmpstr (token, ==, kept ? items[i].token : NULL);
      g_assert_cmpstr (in_keyring, ==, kept && have_keyring () ? items[i].token : NULL);
    }
  clear (credentials, remote);
  g_assert_finalize_object (g_steal_pointer (&fresh));
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/round-trip", test_round_trip);
  g_test_add_func ("/credentials/several-servers", test_several_servers);

  return g_test_run ();
}
