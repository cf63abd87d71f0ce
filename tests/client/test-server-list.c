/* test-server-list.c: the servers (accounts) in GSettings, and the move from the old keys
 *
 * GSETTINGS_BACKEND=memory with the build tree's compiled schema (tests/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-server-list"

#include "config.h"

#include <gio/gio.h>

#include "roster-error.h"
#include "roster-server-list.h"

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  const char *keys[] = { "servers", "current-server", "server-kind", "server-url", "user-name" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_add_switch_remove (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(RosterServerList) list = roster_server_list_new (settings);
  g_autoptr(RosterServerList) reread = NULL;
  g_autoptr(RosterServer) local = roster_server_new_local ("ada");
  g_autoptr(RosterServer) remote
             = roster_server_new_remote ("https://crm.example.com:8443", "grace");
  g_autoptr(RosterServer) again
             = roster_server_new_remote ("https://crm.example.com:8443", "linus");
  g_autoptr(GVariant) stored = NULL;
  g_autofree char *printed = NULL;
  guint changed = 0;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (roster_server_list_get_current (list));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);

  g_assert_true (roster_server_list_add (list, local) == local);
  g_assert_true (roster_server_list_add (list, remote) == remote);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpstr (roster_server_get_id (local), ==, ROSTER_SERVER_LOCAL_ID);
  g_assert_cmpstr (roster_server_get_id (remote), ==, "https://crm.example.com:8443");
  g_assert_cmpstr (roster_server_get_title (remote), ==, "crm.example.com:8443");
  g_assert_cmpstr (roster_server_get_title (local), ==, "On This Computer");

  /* The same server again: no second entry, the new username wins. */
  g_assert_true (roster_server_list_add (list, again) == remote);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpstr (roster_server_get_user_name (remote), ==, "linus");

  roster_server_list_set_current (list, "https://crm.example.com:8443");
  g_assert_true (roster_server_list_get_current (list) == remote);

  stored = g_settings_get_value (settings, "servers");
  printed = g_variant_print (stored, FALSE);
  g_assert_cmpstr (printed, ==,
                   "[('local', '', 'ada'), ('remote', 'https://crm.example.com:8443', 'linus')]");

  /* Another list over the same settings (the next start) sees the same. */
  reread = roster_server_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reread)), ==, 2);
  g_assert_cmpstr (roster_server_get_user_name (roster_server_list_get_current (reread)), ==,
                   "linus");

  /* Removing the current one leaves none current. */
  roster_server_list_remove (list, "https://crm.example.com:8443");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_null (roster_server_list_get_current (list));
  g_assert_null (roster_server_list_lookup (list, "https://crm.example.com:8443"));
  roster_server_list_remove (list, "https://nowhere.invalid");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&reread));
  g_assert_finalize_object (g_steal_pointer (&list));
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&remote));
  g_assert_finalize_object (g_steal_pointer (&local));
}

static void
test_migrates_old_keys (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(RosterServerList) list = NULL;
  g_autoptr(RosterServerList) second = NULL;
  RosterServer *server;
  g_autofree char *url = NULL;

  g_settings_set_enum (settings, "server-kind", 2);
  g_settings_set_string (settings, "server-url", "https://old.example.com");
  g_settings_set_string (settings, "user-name", "ada");

  list = roster_server_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  server = roster_server_list_get_current (list);
  g_assert_nonnull (server);
  g_assert_false (roster_server_get_local (server));
  g_assert_cmpstr (roster_server_get_url (server), ==, "https://old.example.com");
  g_assert_cmpstr (roster_server_get_user_name (server), ==, "ada");
  /* The old keys are spent: the move happens once. */
  g_assert_cmpint (g_settings_get_enum (settings, "server-kind"), ==, 0);
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");

  second = roster_server_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (second)), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&list));

  /* The local kind moves too. */
  g_object_unref (fresh_settings ());
  g_settings_set_enum (settings, "server-kind", 1);
  g_settings_set_string (settings, "user-name", "grace");
  list = roster_server_list_new (settings);
  server = roster_server_list_get_current (list);
  g_assert_true (roster_server_get_local (server));
  g_assert_cmpstr (roster_server_get_user_name (server), ==, "grace");
  g_assert_finalize_object (g_steal_pointer (&list));
}

static void
test_normalize_url (void)
{
  struct
  {
    const char *in, *out;
  } good[] = {
    { "crm.example.com", "https://crm.example.com" },
    { "  https://crm.example.com/  ", "https://crm.example.com" },
    { "HTTP://127.0.0.1:8080/scim/v2/", "http://127.0.0.1:8080" },
    { "https://example.com/roster/", "https://example.com/roster" },
  };
  const char *bad[] = { "",
                        "   ",
                        "ftp://example.com",
                        "https://",
                        "https://a.example?x=1",
                        "https://user:pw@example.com" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = roster_server_normalize_url (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = roster_server_normalize_url (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-list/add-switch-remove", test_add_switch_remove);
  g_test_add_func ("/server-list/migrates-old-keys", test_migrates_old_keys);
  g_test_add_func ("/server-list/normalize-url", test_normalize_url);

  return g_test_run ();
}
