/* test-validation.c: the input rules rosterd and the app share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-validation"

#include "config.h"

#include "roster-error.h"
#include "roster-validation.h"

typedef gboolean (*Validator) (const char *value, GError **error);

static void
assert_valid (Validator validate, const char *value)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("valid: “%s”", value);
  g_assert_true (validate (value, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (Validator validate, const char *value, RosterErrorCode code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = value != NULL ? g_strescape (value, NULL) : g_strdup ("(null)");

  /* Escaped: invalid UTF-8 in a TAP comment would break the TAP parser. */
  g_test_message ("invalid: “%s”", escaped);
  g_assert_false (validate (value, &error));
  g_assert_error (error, ROSTER_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
  /* And without an error to fill in. */
  g_assert_false (validate (value, NULL));
}

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_user_name (void)
{
  g_autofree char *ascii_64 = repeat ("a", 64);
  g_autofree char *ascii_65 = repeat ("a", 65);
  g_autofree char *two_byte_64 = repeat ("é", 64); /* 128 bytes: the limit is in characters */
  g_autofree char *two_byte_65 = repeat ("é", 65);

  assert_valid (roster_validate_user_name, "ana");
  assert_valid (roster_validate_user_name, "a");
  assert_valid (roster_validate_user_name, "ana.lima+crm@example.com");
  assert_valid (roster_validate_user_name, "Åsa");
  assert_valid (roster_validate_user_name, "ñandú");
  assert_valid (roster_validate_user_name, "用户");
  assert_valid (roster_validate_user_name, "Ωμέγα_42");
  assert_valid (roster_validate_user_name, ascii_64);
  assert_valid (roster_validate_user_name, two_byte_64);

  assert_invalid (roster_validate_user_name, NULL, ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_user_name, "", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_user_name, ascii_65, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, two_byte_65, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana lima", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, " ana", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana ", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\tlima", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\n", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\x7f", ROSTER_ERROR_INVALID_VALUE); /* DEL */
  assert_invalid (roster_validate_user_name, "ana\x1b[0m", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\xc2\xa0lima", /* no-break space */
                  ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\xe3\x80\x80", /* ideographic space */
                  ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\xc2\x85", /* NEL, a C1 control */
                  ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\xff", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "\xc3\x28", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_user_name, "ana\xf4\x8f\xbf\xbf", /* U+10FFFF, unassigned */
                  ROSTER_ERROR_INVALID_VALUE);
}

static void
test_email (void)
{
  g_autofree char *local_250 = repeat ("a", 250);
  g_autofree char *len_254 = g_strconcat (local_250, "@b.c", NULL); /* 254 bytes: the limit */
  g_autofree char *len_255 = g_strconcat (local_250, "@bb.c", NULL);

  assert_valid (roster_validate_email, "ana@example.com");
  assert_valid (roster_validate_email, "a@b.co");
  assert_valid (roster_validate_email, "ana.lima+crm@mail.example.co.uk");
  assert_valid (roster_validate_email, "o'brien@example.ie");
  assert_valid (roster_validate_email, "åsa@exempel.se");
  assert_valid (roster_validate_email, len_254);

  assert_invalid (roster_validate_email, NULL, ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_email, "", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_email, len_255, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "plain", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "@example.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@localhost", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@example.", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@@example.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@b@example.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana lima@example.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@exa mple.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, " ana@example.com", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@example.com\n", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "Ana <ana@example.com>", ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@example.com,bo@example.com",
                  ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_email, "ana@exa\xffmple.com", ROSTER_ERROR_INVALID_VALUE);
}

static void
test_password (void)
{
  g_autofree char *len_7 = repeat ("x", ROSTER_PASSWORD_MIN_LENGTH - 1);
  g_autofree char *len_8 = repeat ("x", ROSTER_PASSWORD_MIN_LENGTH);
  g_autofree char *len_256 = repeat ("x", ROSTER_PASSWORD_MAX_LENGTH);
  g_autofree char *len_257 = repeat ("x", ROSTER_PASSWORD_MAX_LENGTH + 1);
  g_autofree char *two_byte_7 = repeat ("ü", 7);   /* 14 bytes, but only 7 characters */
  g_autofree char *two_byte_8 = repeat ("ü", 8);
  g_autofree char *two_byte_256 = repeat ("ü", 256); /* 512 bytes */

  g_assert_cmpint (ROSTER_PASSWORD_MIN_LENGTH, ==, 8);
  g_assert_cmpint (ROSTER_PASSWORD_MAX_LENGTH, ==, 256);

  assert_valid (roster_validate_password, len_8);
  assert_valid (roster_validate_password, len_256);
  assert_valid (roster_validate_password, two_byte_8);
  assert_valid (roster_validate_password, two_byte_256);
  assert_valid (roster_validate_password, "correct horse battery staple");

  assert_invalid (roster_validate_password, NULL, ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_password, "", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_invalid (roster_validate_password, len_7, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_password, len_257, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_password, two_byte_7, ROSTER_ERROR_INVALID_VALUE);
  assert_invalid (roster_validate_password, "password\xff", ROSTER_ERROR_INVALID_VALUE);
}

static void
assert_same_key (const char *a, const char *b)
{
  g_autofree char *fa = roster_user_name_fold (a);
  g_autofree char *fb = roster_user_name_fold (b);

  g_test_message ("fold “%s” = “%s”, “%s” = “%s”", a, fa, b, fb);
  g_assert_cmpstr (fa, ==, fb);
}

static void
assert_other_key (const char *a, const char *b)
{
  g_autofree char *fa = roster_user_name_fold (a);
  g_autofree char *fb = roster_user_name_fold (b);

  g_assert_cmpstr (fa, !=, fb);
}

static void
test_user_name_fold (void)
{
  g_autofree char *folded = roster_user_name_fold ("ÅSA");

  g_assert_cmpstr (folded, ==, "åsa");
  assert_same_key ("ÅSA", "åsa");
  assert_same_key ("Ana", "ana");
  assert_same_key ("A\xcc\x8asa", "åsa");       /* A + combining ring = Å */
  assert_same_key ("\xe2\x84\xab" "sa", "åsa"); /* ANGSTROM SIGN */
  assert_same_key ("\xef\xac\x81nn", "finn");   /* NFKC: the “ﬁ” ligature */
  assert_same_key ("ＡＮＡ", "ana");            /* NFKC: full-width letters */
  assert_same_key ("\xe2\x84\xaa" "im", "kim"); /* NFKC: KELVIN SIGN */
  assert_same_key ("STRASSE", "straße");        /* full case folding */
  assert_other_key ("ana", "anna");
  assert_other_key ("asa", "åsa");
}

static void
test_phone (void)
{
  static const char *const good[] = { "+49 30 1234567", "030/1234567", "(555) 010-0100",
                                      "+1.555.0100", "112" };
  static const char *const bad[] = { "12", "call me", "+49 30 12345678901234", "1+2",
                                     "555 0100 ext 1", "☎ 5550100" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (roster_validate_phone (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (roster_validate_phone (bad[i], &error));
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (roster_validate_phone ("", &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/validation/user-name", test_user_name);
  g_test_add_func ("/validation/email", test_email);
  g_test_add_func ("/validation/password", test_password);
  g_test_add_func ("/validation/user-name-fold", test_user_name_fold);
  g_test_add_func ("/validation/phone", test_phone);

  return g_test_run ();
}
