/* roster-user-security-group.h: the Security section of the user page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_SECURITY_GROUP (roster_user_security_group_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserSecurityGroup, roster_user_security_group, ROSTER,
                      USER_SECURITY_GROUP, AdwPreferencesGroup)

void       roster_user_security_group_set_client (RosterUserSecurityGroup *self,
                                                  RosterClient            *client);
void       roster_user_security_group_show_user  (RosterUserSecurityGroup *self,
                                                  RosterUser              *user);
GtkWindow *roster_user_security_group_ask        (RosterUserSecurityGroup *self,
                                                  const char              *action);
char      *roster_user_security_format_date      (GDateTime               *date);

G_END_DECLS
