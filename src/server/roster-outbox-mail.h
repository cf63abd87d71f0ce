/* roster-outbox-mail.h: one message of the e-mail outbox, as the store keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterOutboxMail:
 * @id: a random id; also the local part of the Message-ID
 * @kind: which template made it ("invitation", "verification", "username", "password")
 * @user_id: (nullable): whom it is about
 * @recipient: the envelope recipient (a bare address)
 * @message: the whole RFC 5322 message, CRLF line ends; %NULL once sent
 * @attempts: failed delivery attempts so far
 * @next_attempt: when the sender may try it (rosterd's clock)
 */
typedef struct
{
  char *id;
  char *kind;
  char *user_id;
  char *recipient;
  char *message;
  gint64 attempts;
  gint64 next_attempt;
} RosterOutboxMail;

RosterOutboxMail *roster_outbox_mail_new  (const char       *id,
                                           const char       *kind,
                                           const char       *user_id,
                                           const char       *recipient,
                                           const char       *message);
void              roster_outbox_mail_free (RosterOutboxMail *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterOutboxMail, roster_outbox_mail_free)

G_END_DECLS
