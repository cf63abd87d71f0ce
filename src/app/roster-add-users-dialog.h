/* roster-add-users-dialog.h: "Add Several Users"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"
#include "roster-team-sender.h"
#include "roster-team-table.h"

G_BEGIN_DECLS

/* Rows one dialog sends (see roster-team-sender.h). */
#define ROSTER_ADD_USERS_MAX_ROWS ROSTER_TEAM_MAX_ROWS

#define ROSTER_TYPE_ADD_USERS_DIALOG (roster_add_users_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterAddUsersDialog, roster_add_users_dialog, ROSTER, ADD_USERS_DIALOG,
                      AdwWindow)

RosterAddUsersDialog *roster_add_users_dialog_new       (GtkWindow            *parent,
                                                         RosterClient         *client,
                                                         guint                 max_rows);
RosterTeamTable      *roster_add_users_dialog_get_table (RosterAddUsersDialog *self);
char                 *roster_add_users_dialog_build_csv (RosterAddUsersDialog *self);
void                  roster_add_users_dialog_export    (RosterAddUsersDialog *self,
                                                         GFile                *file);

G_END_DECLS
