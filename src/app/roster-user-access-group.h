/* roster-user-access-group.h: the Access section of the user page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_ACCESS_GROUP (roster_user_access_group_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserAccessGroup, roster_user_access_group, ROSTER,
                      USER_ACCESS_GROUP, AdwPreferencesGroup)

void  roster_user_access_group_set_client    (RosterUserAccessGroup *self,
                                              RosterClient          *client);
void  roster_user_access_group_set_catalogue (RosterUserAccessGroup *self,
                                              GPtrArray             *permissions);
void  roster_user_access_group_set_groups    (RosterUserAccessGroup *self,
                                              GPtrArray             *groups);
void  roster_user_access_group_show_user     (RosterUserAccessGroup *self,
                                              RosterUser            *user);
GStrv roster_user_access_group_dup_entitlements (RosterUserAccessGroup *self);

G_END_DECLS
