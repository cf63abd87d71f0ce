/* roster-secret-box.c: secrets the server must read back, sealed at rest
 *
 * Passwords and tokens are stored as hashes; a TOTP secret cannot be, since each sign-in
 * computes a code from it. It is sealed instead: AES-256-GCM (GnuTLS) under a key of 32
 * random bytes in a file of its own (DIR/secret.key, mode 0600, made at the first start),
 * with a fresh nonce per value and the owner's id as associated data, so a sealed value
 * copied to another user's row does not open. A copy of the database alone (a backup, a
 * dump, a stolen file) then holds no usable secret; whoever has the key file as well has
 * everything, as with the database itself.
 *
 * The same key also tags values the server must recognise but never read back (the names
 * refused sign-ins were for): HMAC-SHA-256 under a key derived from it for the purpose, so
 * a copy of the database cannot be searched with a dictionary of names or passwords.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>
#include <unistd.h>

#include "roster-error.h"
#include "roster-secret-box.h"

#define KEY_SIZE 32
#define NONCE_SIZE 12
#define TAG_SIZE 16

struct _RosterSecretBox
{
  gatomicrefcount refs;
  guint8 key[KEY_SIZE];
};

static gboolean
key_file_error (const char *path, const char *reason, GError **error)
{
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("Cannot use the key file %s: %s"), path,
               reason);
  return FALSE;
}

/* Makes a new key file; FALSE with errno EEXIST if one appeared meanwhile. */
static gboolean
create_key (const char *path, guint8 *key, GError **error)
{
  int fd;
  gssize written;

  if (gnutls_rnd (GNUTLS_RND_KEY, key, KEY_SIZE) != 0)
    return key_file_error (path, _("no random bytes"), error);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno != EEXIST)
        key_file_error (path, g_strerror (saved_errno), error);
      errno = saved_errno;
      return FALSE;
    }
  written = write (fd, key, KEY_SIZE);
  if (written != KEY_SIZE || fsync (fd) != 0)
    {
      int saved_errno = written < 0 ? errno : EIO;

      close (fd);
      g_unlink (path);
      return key_file_error (path, g_strerror (saved_errno), error);
    }
  close (fd);
  return TRUE;
}

/**
 * roster_secret_box_new_for_file:
 * @path: the key file; made with a new random key if it does not exist
 *
 * Returns: (transfer full) (nullable): the box, or %NULL if the file cannot be read or made,
 *   or is not a key (32 bytes)
 */
RosterSecretBox *
roster_secret_box_new_for_file (const char *path, GError **error)
{
  g_autoptr(RosterSecretBox) self = g_new0 (RosterSecretBox, 1);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_atomic_ref_count_init (&self->refs);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (create_key (path, self->key, error))
        return g_steal_pointer (&self);
      if (errno != EEXIST)
        return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      key_file_error (path, local_error->message, error);
      return NULL;
    }
  if (length != KEY_SIZE)
    {
      key_file_error (path, _("it is not a key (32 bytes)"), error);
      return NULL;
    }
  memcpy (self->key, contents, KEY_SIZE);
  explicit_bzero (contents, length);
  return g_steal_pointer (&self);
}

RosterSecretBox *
roster_secret_box_ref (RosterSecretBox *self)
{
  g_atomic_ref_count_inc (&self->refs);
  return self;
}

void
roster_secret_box_unref (RosterSecretBox *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->refs))
    return;
  explicit_bzero (self->key, KEY_SIZE);
  g_free (self);
}

static gnutls_aead_cipher_hd_t
cipher (RosterSecretBox *self)
{
  gnutls_datum_t key = { self->key, KEY_SIZE };
  gnutls_aead_cipher_hd_t handle = NULL;

  if (gnutls_aead_cipher_init (&handle, GNUTLS_CIPHER_AES_256_GCM, &key) != 0)
    return NULL;
  return handle;
}

/**
 * roster_secret_box_seal:
 * @context: what the value belongs to (its owner's id): opening needs the same
 *
 * Returns: (transfer full): "rsb1:" and base64 of nonce, ciphertext and tag
 */
char *
roster_secret_box_seal (RosterSecretBox *self, const char *plaintext, const char *context)
{
  gsize length = strlen (plaintext);
  gsize sealed_length = NONCE_SIZE + length + TAG_SIZE;
  g_autofree guint8 *sealed = g_malloc (sealed_length);
  size_t ciphertext_length = length + TAG_SIZE;
  gnutls_aead_cipher_hd_t handle = cipher (self);
  g_autofree char *encoded = NULL;
  int rc;

  g_return_val_if_fail (handle != NULL, NULL);
  if (gnutls_rnd (GNUTLS_RND_NONCE, sealed, NONCE_SIZE) != 0)
    g_error ("GnuTLS has no random bytes");
  rc = gnutls_aead_cipher_encrypt (handle, sealed, NONCE_SIZE, context, strlen (context),
                                   TAG_SIZE, plaintext, length, sealed + NONCE_SIZE,
                                   &ciphertext_length);
  gnutls_aead_cipher_deinit (handle);
  g_return_val_if_fail (rc == 0 && ciphertext_length == length + TAG_SIZE, NULL);
  encoded = g_base64_encode (sealed, sealed_length);
  return g_strconcat (ROSTER_SECRET_BOX_PREFIX, encoded, NULL);
}

/**
 * roster_secret_box_open:
 *
 * Returns: (transfer full) (nullable): the plaintext, or %NULL if @sealed is not a value
 *   this key sealed for @context (the error names no part of it)
 */
char *
roster_secret_box_open (RosterSecretBox *self, const char *sealed, const char *context,
                        GError **error)
{
  g_autofree guint8 *raw = NULL;
  g_autofree char *plaintext = NULL;
  gnutls_aead_cipher_hd_t handle;
  size_t plaintext_length = 0;
  gsize raw_length = 0;
  int rc;

  if (roster_secret_box_is_sealed (sealed))
    raw = g_base64_decode (sealed + strlen (ROSTER_SECRET_BOX_PREFIX), &raw_length);
  if (raw == NULL || raw_length < NONCE_SIZE + TAG_SIZE || (handle = cipher (self)) == NULL)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           _("A stored secret is damaged"));
      return NULL;
    }
  plaintext_length = raw_length - NONCE_SIZE - TAG_SIZE;
  plaintext = g_malloc (plaintext_length + 1);
  rc = gnutls_aead_cipher_decrypt (handle, raw, NONCE_SIZE, context, strlen (context), TAG_SIZE,
                                   raw + NONCE_SIZE, raw_length - NONCE_SIZE, plaintext,
                                   &plaintext_length);
  gnutls_aead_cipher_deinit (handle);
  if (rc != 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           _("A stored secret does not open with this server’s key file"));
      return NULL;
    }
  plaintext[plaintext_length] = '\0';
  return g_steal_pointer (&plaintext);
}

/**
 * roster_secret_box_mac:
 * @purpose: what the tags are for; tags of one @text for two purposes differ
 *
 * Returns: (transfer full): @text's HMAC-SHA-256, in hex, under a key derived from the
 *   box's key for @purpose (HMAC of the purpose under the box's key), so a tag reveals
 *   nothing of the key that seals secrets
 */
char *
roster_secret_box_mac (RosterSecretBox *self, const char *text, const char *purpose)
{
  guint8 subkey[32];
  guint8 tag[32];
  char *hex = g_malloc (2 * sizeof tag + 1);

  if (gnutls_hmac_fast (GNUTLS_MAC_SHA256, self->key, KEY_SIZE, purpose, strlen (purpose),
                        subkey)
        != 0
      || gnutls_hmac_fast (GNUTLS_MAC_SHA256, subkey, sizeof subkey, text, strlen (text), tag)
           != 0)
    g_error ("GnuTLS cannot compute HMAC-SHA-256");
  explicit_bzero (subkey, sizeof subkey);
  for (gsize i = 0; i < sizeof tag; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", tag[i]);
  return hex;
}

gboolean
roster_secret_box_is_sealed (const char *text)
{
  return text != NULL && g_str_has_prefix (text, ROSTER_SECRET_BOX_PREFIX);
}
