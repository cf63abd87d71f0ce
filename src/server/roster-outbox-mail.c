/* roster-outbox-mail.c: one message of the e-mail outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-outbox-mail.h"

RosterOutboxMail *
roster_outbox_mail_new (const char *id, const char *kind, const char *user_id,
                        const char *recipient, const char *message)
{
  RosterOutboxMail *self = g_new0 (RosterOutboxMail, 1);

  self->id = g_strdup (id);
  self->kind = g_strdup (kind);
  self->user_id = g_strdup (user_id);
  self->recipient = g_strdup (recipient);
  self->message = g_strdup (message);
  return self;
}

void
roster_outbox_mail_free (RosterOutboxMail *self)
{
  if (self == NULL)
    return;
  /* A message may hold a password an administrator chose to send. */
  if (self->message != NULL)
    explicit_bzero (self->message, strlen (self->message));
  g_free (self->id);
  g_free (self->kind);
  g_free (self->user_id);
  g_free (self->recipient);
  g_free (self->message);
  g_free (self);
}
