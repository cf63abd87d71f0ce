/* roster-credentials.h: what sign-in needs to know about a username
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-user.h"

G_BEGIN_DECLS

/**
 * RosterCredentials:
 * @user_id: the user's id
 * @password_hash: (nullable): the argon2id encoded hash, %NULL if no password is set
 * @active: the SCIM "active" flag
 * @status: the Roster account status
 */
typedef struct
{
  char *user_id;
  char *password_hash;
  gboolean active;
  RosterUserStatus status;
} RosterCredentials;

RosterCredentials *roster_credentials_new            (const char        *user_id,
                                                      const char        *password_hash,
                                                      gboolean           active,
                                                      RosterUserStatus   status);
void               roster_credentials_free           (RosterCredentials *self);
gboolean           roster_credentials_may_sign_in    (RosterCredentials *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterCredentials, roster_credentials_free)

G_END_DECLS
