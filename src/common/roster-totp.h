/* roster-totp.h: time-based one-time passwords (RFC 6238, HOTP of RFC 4226 over HMAC-SHA1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What authenticator apps assume when the otpauth:// URI says nothing else. */
#define ROSTER_TOTP_PERIOD 30
#define ROSTER_TOTP_DIGITS 6
/* A shared secret of 160 bits, as RFC 4226 §4 recommends. */
#define ROSTER_TOTP_SECRET_BYTES 20

char    *roster_totp_base32_encode (const guint8 *data,
                                    gsize         length,
                                    gboolean      pad);
guint8  *roster_totp_base32_decode (const char   *text,
                                    gsize        *length);
guint32  roster_totp_hotp          (const guint8 *key,
                                    gsize         key_length,
                                    guint64       counter,
                                    guint         digits);
gint64   roster_totp_step          (gint64        unix_time);
gboolean roster_totp_verify        (const char   *secret_base32,
                                    const char   *code,
                                    gint64        unix_time,
                                    gint64        last_step,
                                    gint64       *matched_step);
char    *roster_totp_uri           (const char   *issuer,
                                    const char   *account,
                                    const char   *secret_base32);

G_END_DECLS
