/* roster-token.c: 256-bit random tokens, stored only as their SHA-256
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "roster-error.h"
#include "roster-token.h"

/**
 * roster_random_bytes:
 *
 * Fills @buffer from the kernel's CSPRNG (getrandom(2)), which blocks only until it has been
 * seeded once after boot.
 */
gboolean
roster_random_bytes (guint8 *buffer, gsize length, GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("Cannot get random bytes: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/**
 * roster_token_generate:
 *
 * Returns: (transfer full): 256 random bits as unpadded base64url (43 characters)
 */
char *
roster_token_generate (GError **error)
{
  guint8 bytes[ROSTER_TOKEN_BYTES];
  char *token;
  gsize length;

  if (!roster_random_bytes (bytes, sizeof bytes, error))
    return NULL;
  token = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);
  for (char *p = token; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  length = strlen (token);
  while (length > 0 && token[length - 1] == '=')
    token[--length] = '\0';
  return token;
}

/**
 * roster_token_hash:
 *
 * Returns: (transfer full): the lower-case hex SHA-256 of @token, which is all the store keeps
 */
char *
roster_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/**
 * roster_token_hash_equal:
 *
 * Compares two hashes in time that depends only on their lengths.
 */
gboolean
roster_token_hash_equal (const char *a, const char *b)
{
  gsize length_a, length_b;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  length_a = strlen (a);
  length_b = strlen (b);
  if (length_a != length_b)
    return FALSE;
  for (gsize i = 0; i < length_a; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}
