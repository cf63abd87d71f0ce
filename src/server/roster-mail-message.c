/* roster-mail-message.c: an e-mail as RFC 5322 text, with a plain-text and an HTML part
 *
 * The one place that writes mail on the wire: multipart/alternative (RFC 2046 §5.1.4) of a
 * text/plain and a text/html part, both UTF-8 in quoted-printable (RFC 2045 §6.7, lines of
 * at most 76 characters), a Date in RFC 5322 §3.3 form with English names whatever the
 * locale, a Message-ID in the sender's domain, display names and subject as RFC 2047
 * encoded words when they are not plain ASCII, and CRLF everywhere: no line is longer than
 * 78 characters, none ends in a bare LF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-mail-message.h"
#include "roster-token.h"

#define CRLF "\r\n"
/* RFC 2047 §2: an encoded word is at most 75 characters; "=?UTF-8?B?" and "?=" take 12,
 * so 63 base64 characters, 45 bytes; 39 leaves room for a header name on the first line. */
#define ENCODED_WORD_BYTES 39
#define QP_LINE 76

/**
 * roster_mail_message_format_date:
 *
 * Returns: (transfer full): @date as RFC 5322 §3.3 has it, "Tue, 01 Dec 2026 21:15:33 +0000"
 */
char *
roster_mail_message_format_date (GDateTime *date)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  gint64 offset = g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1], g_date_time_get_year (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date),
                          g_date_time_get_second (date), offset < 0 ? '-' : '+',
                          (int) (ABS (offset) / 60), (int) (ABS (offset) % 60));
}

static gboolean
is_plain_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f)
      return FALSE;
  return TRUE;
}

/* Characters that RFC 5322 §3.2.3 allows in an atom: anything else needs quoting. */
static gboolean
is_atom_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != ' ' && strchr ("!#$%&'*+-/=?^_`{|}~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * roster_mail_message_encode_phrase:
 *
 * Returns: (transfer full): @phrase as it can stand in a header: itself if it is atoms, a
 *   quoted string if it is other ASCII, else RFC 2047 "B" encoded words separated by
 *   folding white space (never splitting a UTF-8 character)
 */
char *
roster_mail_message_encode_phrase (const char *phrase)
{
  GString *out;
  const char *p, *end;

  if (is_plain_ascii (phrase))
    {
      if (is_atom_text (phrase))
        return g_strdup (phrase);
      out = g_string_new ("\"");
      for (p = phrase; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
      return g_string_free (out, FALSE);
    }

  out = g_string_new (NULL);
  p = phrase;
  end = phrase + strlen (phrase);
  while (p < end)
    {
      const char *chunk_end = p;
      g_autofree char *encoded = NULL;

      while (chunk_end < end)
        {
          const char *next = g_utf8_find_next_char (chunk_end, end);

          if (next == NULL)
            next = end;
          if (next - p > ENCODED_WORD_BYTES && chunk_end > p)
            break;
          chunk_end = next;
        }
      encoded = g_base64_encode ((const guchar *) p, chunk_end - p);
      if (out->len > 0)
        g_string_append (out, CRLF " ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      p = chunk_end;
    }
  return g_string_free (out, FALSE);
}

/**
 * roster_mail_message_quoted_printable:
 * @text: UTF-8, lines separated by "\n" (a "\r" before it is dropped)
 *
 * Returns: (transfer full): @text in quoted-printable, CRLF line ends, soft breaks so that
 *   no line is longer than 76 characters
 */
char *
roster_mail_message_quoted_printable (const char *text)
{
  GString *out = g_string_new (NULL);
  gsize column = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char encoded[4];
      gsize width;

      if (c == '\r' && p[1] == '\n')
        continue;
      if (c == '\n')
        {
          g_string_append (out, CRLF);
          column = 0;
          continue;
        }
      /* Space and tab stay literal except at the end of a line (RFC 2045 rule 3). */
      if ((c >= 33 && c <= 126 && c != '=')
          || ((c == ' ' || c == '\t') && p[1] != '\n' && p[1] != '\r' && p[1] != '\0'))
        {
          encoded[0] = (char) c;
          encoded[1] = '\0';
        }
      else
        g_snprintf (encoded, sizeof encoded, "=%02X", c);
      width = strlen (encoded);
      /* Leave room for the "=" of a soft break. */
      if (column + width > QP_LINE - 1)
        {
          g_string_append (out, "=" CRLF);
          column = 0;
        }
      g_string_append (out, encoded);
      column += width;
    }
  if (column > 0)
    g_string_append (out, CRLF);
  return g_string_free (out, FALSE);
}

/**
 * roster_mail_message_address_is_valid:
 *
 * Whether @address is a plain addr-spec rosterd can put in a header and an SMTP envelope:
 * one "@", no white space, no control characters, nothing that would end a header or a
 * command.
 */
gboolean
roster_mail_message_address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > 254)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f || strchr ("<>()[]\\,;:\"", *p) != NULL)
      return FALSE;
  at = strchr (address, '@');
  return at != NULL && at != address && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

static void
append_address_header (GString *out, const char *name, const char *display,
                       const char *address)
{
  g_string_append_printf (out, "%s: ", name);
  if (display != NULL && *display != '\0')
    {
      g_autofree char *phrase = roster_mail_message_encode_phrase (display);

      g_string_append_printf (out, "%s" CRLF " <%s>" CRLF, phrase, address);
    }
  else
    g_string_append_printf (out, "%s" CRLF, address);
}

static void
append_part (GString *out, const char *boundary, const char *type, const char *body)
{
  g_autofree char *encoded = roster_mail_message_quoted_printable (body);

  g_string_append_printf (out, "--%s" CRLF, boundary);
  g_string_append_printf (out, "Content-Type: %s; charset=UTF-8" CRLF, type);
  g_string_append (out, "Content-Transfer-Encoding: quoted-printable" CRLF CRLF);
  g_string_append (out, encoded);
}

/**
 * roster_mail_message_build:
 *
 * Returns: (transfer full): the whole message, ready for SMTP's DATA or an .eml file
 */
char *
roster_mail_message_build (const RosterMailMessage *message)
{
  GString *out = g_string_new (NULL);
  g_autofree char *date = roster_mail_message_format_date (message->date);
  g_autofree char *subject = roster_mail_message_encode_phrase (message->subject);
  g_autofree char *random = roster_token_generate (NULL);
  g_autofree char *boundary = NULL;
  const char *domain = strchr (message->from_address, '@');

  g_return_val_if_fail (roster_mail_message_address_is_valid (message->from_address), NULL);
  g_return_val_if_fail (roster_mail_message_address_is_valid (message->to_address), NULL);
  /* The boundary cannot occur in quoted-printable text: "=_" is never an escape. */
  boundary = g_strdup_printf ("=_roster_%.24s", random != NULL ? random : message->message_id);

  g_string_append_printf (out, "Date: %s" CRLF, date);
  append_address_header (out, "From", message->from_name, message->from_address);
  append_address_header (out, "To", message->to_name, message->to_address);
  g_string_append_printf (out, "Subject: %s" CRLF, subject);
  g_string_append_printf (out, "Message-ID: <%s%s>" CRLF, message->message_id, domain);
  g_string_append (out, "Auto-Submitted: auto-generated" CRLF);
  if (message->language != NULL)
    g_string_append_printf (out, "Content-Language: %s" CRLF, message->language);
  g_string_append (out, "MIME-Version: 1.0" CRLF);
  g_string_append_printf (out, "Content-Type: multipart/alternative;" CRLF " boundary=\"%s\"" CRLF,
                          boundary);
  g_string_append (out, CRLF "This is a message in MIME format." CRLF CRLF);
  append_part (out, boundary, "text/plain", message->text);
  g_string_append (out, CRLF);
  append_part (out, boundary, "text/html", message->html);
  g_string_append_printf (out, CRLF "--%s--" CRLF, boundary);
  return g_string_free (out, FALSE);
}
