/* roster-mail-message.h: an e-mail as RFC 5322 text, with a plain-text and an HTML part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterMailMessage:
 * @from_name: (nullable): the sender's display name (UTF-8)
 * @from_address: the sender's address
 * @to_name: (nullable): the recipient's display name (UTF-8)
 * @to_address: the recipient's address
 * @subject: UTF-8
 * @text: the text/plain part, lines separated by "\n"
 * @html: the text/html part, a whole document
 * @language: (nullable): Content-Language, e.g. "de"
 * @date: when it was written (rosterd's clock)
 * @message_id: the local part of the Message-ID; the domain is the sender's
 */
typedef struct
{
  const char *from_name;
  const char *from_address;
  const char *to_name;
  const char *to_address;
  const char *subject;
  const char *text;
  const char *html;
  const char *language;
  GDateTime *date;
  const char *message_id;
} RosterMailMessage;

char *roster_mail_message_build           (const RosterMailMessage *message);
char *roster_mail_message_format_date     (GDateTime               *date);
char *roster_mail_message_encode_phrase   (const char              *phrase);
char *roster_mail_message_quoted_printable (const char             *text);
gboolean roster_mail_message_address_is_valid (const char          *address);

G_END_DECLS
