/* roster-user-name-check.h: whether a username is free, asked of the server as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_NAME_CHECK (roster_user_name_check_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserNameCheck, roster_user_name_check, ROSTER, USER_NAME_CHECK,
                      GObject)

RosterUserNameCheck *roster_user_name_check_new       (void);
void                 roster_user_name_check_set_client (RosterUserNameCheck *self,
                                                        RosterClient        *client);
void                 roster_user_name_check_check     (RosterUserNameCheck *self,
                                                       const char          *user_name,
                                                       const char          *own_id);
void                 roster_user_name_check_reset     (RosterUserNameCheck *self);
gboolean             roster_user_name_check_get_taken (RosterUserNameCheck *self);
gboolean             roster_user_name_check_get_pending (RosterUserNameCheck *self);

G_END_DECLS
