/* test-totp.c: RFC 6238 / RFC 4226 / RFC 4648 test vectors, windows and reuse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "roster-totp.h"

/* The RFCs' shared secret: ASCII "12345678901234567890". */
#define RFC_SECRET "12345678901234567890"

/* RFC 4226 Appendix D: HOTP values for counters 0–9. */
static void
test_hotp_vectors (void)
{
  const guint32 expected[] = { 755224, 287082, 359152, 969429, 338314,
                               254676, 287922, 162583, 399871, 520489 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (roster_totp_hotp ((const guint8 *) RFC_SECRET, strlen (RFC_SECRET), i, 6),
                      ==, expected[i]);
}

/* RFC 6238 Appendix B, SHA1 rows: time, step (hex), TOTP with 8 digits. */
static void
test_totp_vectors (void)
{
  const struct
  {
    gint64 time;
    guint64 step;
    guint32 totp;
  } vectors[] = {
    { 59, 0x1, 94287082 },
    { 1111111109, 0x23523EC, 7081804 },
    { 1111111111, 0x23523ED, 14050471 },
    { 1234567890, 0x273EF07, 89005924 },
    { 2000000000, 0x3F940AA, 69279037 },
    { G_GINT64_CONSTANT (20000000000), 0x27BC86AA, 65353130 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_assert_cmpint (roster_totp_step (vectors[i].time), ==, (gint64) vectors[i].step);
      g_assert_cmpuint (roster_totp_hotp ((const guint8 *) RFC_SECRET, strlen (RFC_SECRET),
                                          vectors[i].step, 8),
                        ==, vectors[i].totp);
    }
}

/* RFC 4648 §10. */
static void
test_base32 (void)
{
  const char *const vectors[][2] = {
    { "", "" },          { "f", "MY======" },       { "fo", "MZXQ====" },
    { "foo", "MZXW6===" }, { "foob", "MZXW6YQ=" }, { "fooba", "MZXW6YTB" },
    { "foobar", "MZXW6YTBOI======" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *encoded = roster_totp_base32_encode ((const guint8 *) vectors[i][0],
                                                            strlen (vectors[i][0]), TRUE);
      g_autofree guint8 *decoded = NULL;
      g_autofree char *lower = g_ascii_strdown (vectors[i][1], -1);
      gsize length = 0;

      g_assert_cmpstr (encoded, ==, vectors[i][1]);
      decoded = roster_totp_base32_decode (lower, &length);
      g_assert_nonnull (decoded);
      g_assert_cmpmem (decoded, length, vectors[i][0], strlen (vectors[i][0]));
    }
  {
    g_autofree char *unpadded = roster_totp_base32_encode ((const guint8 *) "foobar", 6, FALSE);
    gsize length = 0;

    g_assert_cmpstr (unpadded, ==, "MZXW6YTBOI");
    g_assert_null (roster_totp_base32_decode ("MZXW1", &length)); /* 1 is not base32 */
    g_assert_null (roster_totp_base32_decode ("MY==MY", &length)); /* data after padding */
  }
}

static char *
code_at (const char *secret_base32, gint64 time)
{
  g_autofree guint8 *key = NULL;
  gsize length = 0;

  key = roster_totp_base32_decode (secret_base32, &length);
  return g_strdup_printf ("%06u", roster_totp_hotp (key, length,
                                                     (guint64) roster_totp_step (time), 6));
}

/* ±1 step is accepted, ±2 is not; a step at or before the last accepted one is refused. */
static void
test_verify_window (void)
{
  g_autofree char *secret = roster_totp_base32_encode ((const guint8 *) RFC_SECRET,
                                                       strlen (RFC_SECRET), FALSE);
  const gint64 now = 1700000000;
  gint64 step = 0;

  for (gint64 offset = -2; offset <= 2; offset++)
    {
      g_autofree char *code = code_at (secret, now + offset * ROSTER_TOTP_PERIOD);
      gboolean ok = roster_totp_verify (secret, code, now, 0, &step);

      g_assert_true (ok == (offset >= -1 && offset <= 1));
      if (ok)
        g_assert_cmpint (step, ==, roster_totp_step (now) + offset);
    }
  {
    g_autofree char *code = code_at (secret, now);
    g_autofree char *spaced = g_strdup_printf ("%.3s %s", code, code + 3);

    g_assert_true (roster_totp_verify (secret, spaced, now, 0, &step));
    /* The same code again, once its step is the last accepted: refused. */
    g_assert_false (roster_totp_verify (secret, code, now, step, &step));
    g_assert_false (roster_totp_verify (secret, "12345", now, 0, &step));
    g_assert_false (roster_totp_verify (secret, "1234567", now, 0, &step));
    g_assert_false (roster_totp_verify (secret, "12a456", now, 0, &step));
    g_assert_false (roster_totp_verify (secret, "", now, 0, &step));
    g_assert_false (roster_totp_verify ("not base32!", code, now, 0, &step));
  }
}

static void
test_uri (void)
{
  g_autofree char *uri = roster_totp_uri ("Roster", "anna maria", "JBSWY3DPEHPK3PXP");

  g_assert_cmpstr (uri, ==,
                   "otpauth://totp/Roster:anna%20maria?secret=JBSWY3DPEHPK3PXP&issuer=Roster"
                   "&algorithm=SHA1&digits=6&period=30");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/totp/hotp-vectors", test_hotp_vectors);
  g_test_add_func ("/totp/totp-vectors", test_totp_vectors);
  g_test_add_func ("/totp/base32", test_base32);
  g_test_add_func ("/totp/verify-window", test_verify_window);
  g_test_add_func ("/totp/uri", test_uri);
  return g_test_run ();
}
