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
 * @failed_logins: wrong passwords in a row since the last good one
 * @inactive_since: (Unix time) the last sign-in, unlock or, for neither, the creation
 * @password_expires: (Unix time) when the password expires, 0 for never
 * @must_change_password: the password was set by an administrator, or must change anyway
 */
typedef struct
{
  char *user_id;
  char *password_hash;
  gboolean active;
  RosterUserStatus status;
  gint64 failed_logins;
  gint64 inactive_since;
  gint64 password_expires;
  gboolean must_change_password;
} RosterCredentials;

RosterCredentials *roster_credentials_new            (const char        *user_id,
                                                      const char        *password_hash,
                                                      gboolean           active,
                                                      RosterUserStatus   status);
void               roster_credentials_free           (RosterCredentials *self);
gboolean           roster_credentials_may_sign_in    (RosterCredentials *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterCredentials, roster_credentials_free)

G_END_DECLS
