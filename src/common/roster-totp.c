/* roster-totp.c: time-based one-time passwords (RFC 6238)
 *
 * HOTP (RFC 4226 §5) over GLib's HMAC-SHA1, the time steps of RFC 6238 §4, the base32 of
 * RFC 4648 §6 that authenticator apps read secrets in, and the otpauth:// URI they scan.
 * Codes are compared in constant time. tests/unit/test-totp.c checks the RFCs' vectors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "roster-totp.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * roster_totp_base32_encode:
 * @pad: end with "=" to a multiple of 8 characters (otpauth:// URIs leave it out)
 *
 * Returns: (transfer full): @data in RFC 4648 base32
 */
char *
roster_totp_base32_encode (const guint8 *data, gsize length, gboolean pad)
{
  GString *out = g_string_sized_new ((length + 4) / 5 * 8 + 1);
  guint64 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(buffer << (5 - bits)) & 31]);
  while (pad && out->len % 8 != 0)
    g_string_append_c (out, '=');
  return g_string_free (out, FALSE);
}

/**
 * roster_totp_base32_decode:
 * @length: (out): the number of bytes
 *
 * Reads base32 without regard to case, spaces or padding, as users type it.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL if @text is not base32
 */
guint8 *
roster_totp_base32_decode (const char *text, gsize *length)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint64 buffer = 0;
  guint bits = 0;
  gboolean padding = FALSE;

  for (const char *c = text; *c != '\0'; c++)
    {
      const char *at;
      guint8 byte;

      if (*c == ' ' || *c == '-')
        continue;
      if (*c == '=')
        {
          padding = TRUE;
          continue;
        }
      at = strchr (alphabet, g_ascii_toupper (*c));
      if (padding || at == NULL)
        return NULL;
      buffer = (buffer << 5) | (guint64) (at - alphabet);
      bits += 5;
      if (bits >= 8)
        {
          byte = (guint8) ((buffer >> (bits - 8)) & 0xff);
          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  *length = out->len;
  if (out->len == 0)
    return g_malloc0 (1); /* not %NULL: the empty string is valid base32 */
  return g_byte_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * roster_totp_hotp:
 * @digits: 6 to 8
 *
 * Returns: HOTP(@key, @counter) truncated to @digits decimal digits (RFC 4226 §5.3)
 */
guint32
roster_totp_hotp (const guint8 *key, gsize key_length, guint64 counter, guint digits)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, key, key_length);
  guint8 message[8];
  guint8 digest[20];
  gsize digest_length = sizeof digest;
  guint32 binary, modulus = 1;
  guint offset;

  g_return_val_if_fail (digits >= 6 && digits <= 8, 0);
  for (int i = 7; i >= 0; i--)
    {
      message[i] = (guint8) (counter & 0xff);
      counter >>= 8;
    }
  g_hmac_update (hmac, message, sizeof message);
  g_hmac_get_digest (hmac, digest, &digest_length);
  offset = digest[19] & 0x0f;
  binary = ((guint32) (digest[offset] & 0x7f) << 24) | ((guint32) digest[offset + 1] << 16)
           | ((guint32) digest[offset + 2] << 8) | (guint32) digest[offset + 3];
  for (guint i = 0; i < digits; i++)
    modulus *= 10;
  return binary % modulus;
}

/**
 * roster_totp_step:
 *
 * Returns: the RFC 6238 time step of @unix_time (T0 = 0, X = %ROSTER_TOTP_PERIOD)
 */
gint64
roster_totp_step (gint64 unix_time)
{
  return unix_time / ROSTER_TOTP_PERIOD;
}

/**
 * roster_totp_verify:
 * @code: what the user typed: %ROSTER_TOTP_DIGITS digits (spaces are ignored)
 * @last_step: the step of the last code accepted; it and older ones are refused, so no code
 *   is accepted twice
 * @matched_step: (out): the step @code belongs to
 *
 * Accepts the codes of the current step and of one step before and after (clocks drift).
 *
 * Returns: whether @code is valid now
 */
gboolean
roster_totp_verify (const char *secret_base32, const char *code, gint64 unix_time,
                    gint64 last_step, gint64 *matched_step)
{
  g_autofree guint8 *key = NULL;
  char digits[ROSTER_TOTP_DIGITS + 1];
  gsize key_length = 0, n = 0;
  gint64 now = roster_totp_step (unix_time);
  gboolean matched = FALSE;

  if (secret_base32 == NULL || code == NULL)
    return FALSE;
  for (const char *c = code; *c != '\0'; c++)
    {
      if (*c == ' ')
        continue;
      if (!g_ascii_isdigit (*c) || n == ROSTER_TOTP_DIGITS)
        return FALSE;
      digits[n++] = *c;
    }
  if (n != ROSTER_TOTP_DIGITS)
    return FALSE;
  digits[n] = '\0';
  key = roster_totp_base32_decode (secret_base32, &key_length);
  if (key == NULL || key_length == 0)
    return FALSE;
  /* Every candidate is computed and compared in full: the time taken says nothing. */
  for (gint64 step = now - 1; step <= now + 1; step++)
    {
      char expected[ROSTER_TOTP_DIGITS + 1];
      guint diff = 0;

      g_snprintf (expected, sizeof expected, "%0*u", ROSTER_TOTP_DIGITS,
                  roster_totp_hotp (key, key_length, (guint64) step, ROSTER_TOTP_DIGITS));
      for (guint i = 0; i < ROSTER_TOTP_DIGITS; i++)
        diff |= (guint) (expected[i] ^ digits[i]);
      if (diff == 0 && step > last_step && !matched)
        {
          matched = TRUE;
          *matched_step = step;
        }
    }
  explicit_bzero (key, key_length);
  return matched;
}

/**
 * roster_totp_uri:
 *
 * Returns: (transfer full): the otpauth:// URI that authenticator apps scan (as a QR code)
 *   or open: `otpauth://totp/Issuer:account?secret=…&issuer=Issuer&…`
 */
char *
roster_totp_uri (const char *issuer, const char *account, const char *secret_base32)
{
  g_autofree char *label_issuer = g_uri_escape_string (issuer, NULL, FALSE);
  g_autofree char *label_account = g_uri_escape_string (account, NULL, FALSE);

  return g_strdup_printf ("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d"
                          "&period=%d",
                          label_issuer, label_account, secret_base32, label_issuer,
                          ROSTER_TOTP_DIGITS, ROSTER_TOTP_PERIOD);
}
