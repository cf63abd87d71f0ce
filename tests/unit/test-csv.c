/* test-csv.c: RFC 4180 output, and no formulas for spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "roster-csv.h"

static void
assert_field (const char *in, const char *expected)
{
  g_autofree char *out = roster_csv_escape_field (in);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_csv_quoting (void)
{
  assert_field ("ada", "ada");
  assert_field (NULL, "");
  assert_field ("", "");
  assert_field ("Lovelace, Ada", "\"Lovelace, Ada\"");
  assert_field ("say \"hi\"", "\"say \"\"hi\"\"\"");
  assert_field ("two\nlines", "\"two\nlines\"");
  assert_field ("cr\rhere", "\"cr\rhere\"");
  assert_field (" padded ", "\" padded \"");
  assert_field ("Zoë Ångström", "Zoë Ångström");
}

static void
test_csv_formulas (void)
{
  assert_field ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
  assert_field ("+1 555", "'+1 555");
  assert_field ("-2", "'-2");
  assert_field ("@SUM(A1)", "'@SUM(A1)");
  assert_field ("\t=1", "'\t=1");
  assert_field ("a=b", "a=b");
}

static void
test_csv_invalid_utf8 (void)
{
  g_autofree char *out = roster_csv_escape_field ("bad \xff byte");

  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_nonnull (g_strstr_len (out, -1, "bad "));
}

static void
test_csv_rows (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *header[] = { "Name", "Username", "E-mail", NULL };
  const char *row[] = { "Ada Lovelace", NULL, "ada@example.com" };

  roster_csv_append_row (out, header, -1);
  roster_csv_append_row (out, row, 3);
  g_assert_cmpstr (out->str, ==, "Name,Username,E-mail\r\nAda Lovelace,,ada@example.com\r\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/quoting", test_csv_quoting);
  g_test_add_func ("/csv/formulas", test_csv_formulas);
  g_test_add_func ("/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/csv/rows", test_csv_rows);
  return g_test_run ();
}
