/* roster-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-credentials.h"

RosterCredentials *
roster_credentials_new (const char *user_id, const char *password_hash, gboolean active,
                        RosterUserStatus status)
{
  RosterCredentials *self = g_new0 (RosterCredentials, 1);

  self->user_id = g_strdup (user_id);
  self->password_hash = g_strdup (password_hash);
  self->active = !!active;
  self->status = status;
  return self;
}

void
roster_credentials_free (RosterCredentials *self)
{
  if (self == NULL)
    return;
  g_free (self->user_id);
  if (self->password_hash != NULL)
    explicit_bzero (self->password_hash, strlen (self->password_hash));
  g_free (self->password_hash);
  g_free (self);
}

/* Only an active account with a password may sign in; pending, inactive and locked ones
 * are refused with the same answer as a wrong password. */
gboolean
roster_credentials_may_sign_in (RosterCredentials *self)
{
  return self->active && self->status == ROSTER_USER_STATUS_ACTIVE
         && self->password_hash != NULL;
}
