/* roster-user-mail.h: queueing the mail a change to a user causes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-request.h"
#include "roster-user-record.h"

G_BEGIN_DECLS

/**
 * RosterUserMailKind:
 * @ROSTER_USER_MAIL_INVITATION: a new account: username and activation link
 * @ROSTER_USER_MAIL_VERIFICATION: a new activation link for a pending account
 * @ROSTER_USER_MAIL_USER_NAME: a reminder of the username
 * @ROSTER_USER_MAIL_PASSWORD: an administrator set the password
 */
typedef enum
{
  ROSTER_USER_MAIL_INVITATION,
  ROSTER_USER_MAIL_VERIFICATION,
  ROSTER_USER_MAIL_USER_NAME,
  ROSTER_USER_MAIL_PASSWORD,
} RosterUserMailKind;

gboolean    roster_user_mail_check_address (RosterUserRecord   *record,
                                            GError            **error);
gboolean    roster_user_mail_queue         (RosterRequest      *request,
                                            RosterUserMailKind  kind,
                                            RosterUserRecord   *record,
                                            const char         *password,
                                            gboolean            must_change,
                                            GError            **error);
const char *roster_user_mail_kind_to_string (RosterUserMailKind kind);
char       *roster_user_mail_display_name  (JsonObject         *resource);

G_END_DECLS
