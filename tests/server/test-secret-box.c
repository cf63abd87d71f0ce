/* test-secret-box.c: RosterSecretBox on its own, without a rosterd
 *
 * The key file, sealing and opening (bound to a context, refusing anything altered), and the
 * keyed tags roster_secret_box_mac() makes, against values computed independently with
 * Python's hmac module:
 *   sub = hmac.new (bytes (range (32)), purpose, sha256).digest ()
 *   hmac.new (sub, text, sha256).hexdigest ()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "roster-error.h"
#include "roster-secret-box.h"

typedef struct
{
  char *dir;
  char *key_path;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-secret-box-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->key_path = g_build_filename (fixture->dir, "secret.key", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_unlink (fixture->key_path);
  g_rmdir (fixture->dir);
  g_free (fixture->key_path);
  g_free (fixture->dir);
}

static RosterSecretBox *
open_box (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  RosterSecretBox *box = roster_secret_box_new_for_file (fixture->key_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (box);
  return box;
}

/* A new key file is 32 bytes that only the owner may read; opened again, it is the same
 * key. */
static void
test_key_file (Fixture *fixture, gconstpointer data)
{
  g_autoptr(RosterSecretBox) first = open_box (fixture);
  g_autoptr(RosterSecretBox) again = NULL;
  g_autofree char *sealed = roster_secret_box_seal (first, "JBSWY3DPEHPK3PXP", "user-1");
  g_autofree char *opened = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (fixture->key_path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 32);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  again = open_box (fixture);
  opened = roster_secret_box_open (again, sealed, "user-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "JBSWY3DPEHPK3PXP");
}

/* A file that is not 32 bytes is refused, not used as a key. */
static void
test_not_a_key (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterSecretBox) box = NULL;

  g_assert_true (g_file_set_contents (fixture->key_path, "too short", -1, NULL));
  box = roster_secret_box_new_for_file (fixture->key_path, &error);
  g_assert_null (box);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED);
}

/* Each seal is new (a fresh nonce), opens only for its context, and nothing altered
 * opens. */
static void
test_seal_open (Fixture *fixture, gconstpointer data)
{
  g_autoptr(RosterSecretBox) box = open_box (fixture);
  g_autofree char *one = roster_secret_box_seal (box, "a secret", "user-1");
  g_autofree char *two = roster_secret_box_seal (box, "a secret", "user-1");
  g_autofree char *tampered = g_strdup (one);
  g_autoptr(GError) error = NULL;
  char *opened;
  gsize last = strlen (tampered) - 3;

  g_assert_true (roster_secret_box_is_sealed (one));
  g_assert_false (roster_secret_box_is_sealed ("a secret"));
  g_assert_null (strstr (one, "a secret"));
  g_assert_cmpstr (one, !=, two);

  opened = roster_secret_box_open (box, one, "user-2", &error);
  g_assert_null (opened);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE);
  g_clear_error (&error);

  tampered[last] = tampered[last] == 'A' ? 'B' : 'A';
  opened = roster_secret_box_open (box, tampered, "user-1", &error);
  g_assert_null (opened);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE);
  g_clear_error (&error);

  opened = roster_secret_box_open (box, "a secret", "user-1", &error);
  g_assert_null (opened);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE);
  g_clear_error (&error);

  opened = roster_secret_box_open (box, two, "user-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "a secret");
  g_free (opened);
}

/* Tags are HMAC-SHA-256 under a key derived for each purpose. */
static void
test_mac (Fixture *fixture, gconstpointer data)
{
  guint8 key[32];
  g_autoptr(RosterSecretBox) box = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other_purpose = NULL;
  g_autofree char *other_text = NULL;

  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) i;
  g_assert_true (g_file_set_contents (fixture->key_path, (const char *) key, sizeof key, NULL));
  box = open_box (fixture);
  tag = roster_secret_box_mac (box, "nobody-here", "roster sign-in refusal name");
  again = roster_secret_box_mac (box, "nobody-here", "roster sign-in refusal name");
  other_purpose = roster_secret_box_mac (box, "nobody-here", "another purpose");
  other_text = roster_secret_box_mac (box, "nobody-her", "roster sign-in refusal name");

  g_assert_cmpstr (tag, ==, "a91d403f5e7c7aed209c70ff23c76035fb5bf8c50fa1f26a8a8f06a6b06d1e9a");
  g_assert_cmpstr (again, ==, tag);
  g_assert_cmpstr (other_purpose, ==,
                   "675c595bbbee72285010901d93186bf52bf4e2098c661322ae48da623f4b522d");
  g_assert_cmpstr (other_text, !=, tag);
  g_assert_cmpuint (strlen (other_text), ==, 64);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/secret-box/key-file", Fixture, NULL, fixture_set_up, test_key_file,
              fixture_tear_down);
  g_test_add ("/secret-box/not-a-key", Fixture, NULL, fixture_set_up, test_not_a_key,
              fixture_tear_down);
  g_test_add ("/secret-box/seal-open", Fixture, NULL, fixture_set_up, test_seal_open,
              fixture_tear_down);
  g_test_add ("/secret-box/mac", Fixture, NULL, fixture_set_up, test_mac, fixture_tear_down);
  return g_test_run ();
}
