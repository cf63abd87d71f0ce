/* roster-csv.c: writing CSV files people open in spreadsheets
 *
 * RFC 4180: fields separated by commas, records ended by CRLF, a field quoted when it holds
 * a comma, a quote, CR, LF or leading/trailing white space, quotes doubled inside. Text is
 * UTF-8 (invalid sequences replaced, so the file is always valid UTF-8).
 *
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR before them) as a
 * formula, so a name such as `=HYPERLINK(…)` typed into a user form would run when an admin
 * opens the export. Such fields get a leading apostrophe, which spreadsheets show as text
 * (OWASP's advice for CSV injection).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "roster-csv.h"

static gboolean
starts_formula (const char *field)
{
  return field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@'
         || field[0] == '\t' || field[0] == '\r';
}

static gboolean
needs_quotes (const char *field)
{
  gsize length = strlen (field);

  return strpbrk (field, ",\"\r\n") != NULL
         || (length > 0 && (g_ascii_isspace (field[0]) || g_ascii_isspace (field[length - 1])));
}

/**
 * roster_csv_escape_field:
 * @field: (nullable): the text; %NULL is an empty field
 *
 * Returns: (transfer full): @field as it goes between commas
 */
char *
roster_csv_escape_field (const char *field)
{
  g_autofree char *valid = g_utf8_make_valid (field != NULL ? field : "", -1);
  g_autofree char *text = starts_formula (valid) ? g_strconcat ("'", valid, NULL)
                                                 : g_steal_pointer (&valid);
  GString *out;

  if (!needs_quotes (text))
    return g_steal_pointer (&text);
  out = g_string_new ("\"");
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/**
 * roster_csv_append_row:
 * @fields: (array length=n_fields): the row's fields (%NULL ones are empty)
 * @n_fields: how many, or -1 for a %NULL-terminated array
 *
 * Appends one record, ended by CRLF.
 */
void
roster_csv_append_row (GString *out, const char *const *fields, gssize n_fields)
{
  if (n_fields < 0)
    n_fields = fields != NULL ? (gssize) g_strv_length ((char **) fields) : 0;
  for (gssize i = 0; i < n_fields; i++)
    {
      g_autofree char *escaped = roster_csv_escape_field (fields[i]);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, escaped);
    }
  g_string_append (out, "\r\n");
}
