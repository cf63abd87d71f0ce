/* roster-mail-sender.h: delivers the outbox, one message at a time, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-config.h"
#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_MAIL_SENDER (roster_mail_sender_get_type ())
G_DECLARE_FINAL_TYPE (RosterMailSender, roster_mail_sender, ROSTER, MAIL_SENDER, GObject)

RosterMailSender *roster_mail_sender_new      (RosterStore        *store,
                                               const RosterConfig *config);
void              roster_mail_sender_kick     (RosterMailSender   *self);
void              roster_mail_sender_shutdown (RosterMailSender   *self);
gint64            roster_mail_sender_backoff  (gint64              attempts);

G_END_DECLS
