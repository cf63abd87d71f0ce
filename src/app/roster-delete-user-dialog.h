/* roster-delete-user-dialog.h: asks before deleting a user, and who takes over their work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_DELETE_USER_DIALOG (roster_delete_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterDeleteUserDialog, roster_delete_user_dialog, ROSTER,
                      DELETE_USER_DIALOG, AdwMessageDialog)

RosterDeleteUserDialog *roster_delete_user_dialog_new              (GtkWindow              *parent,
                                                                    RosterClient           *client,
                                                                    RosterUser             *user);
gboolean                roster_delete_user_dialog_get_loaded       (RosterDeleteUserDialog *self);
void                    roster_delete_user_dialog_set_destination  (RosterDeleteUserDialog *self,
                                                                    RosterRecordKind        kind,
                                                                    RosterUser             *user);
GtkWindow              *roster_delete_user_dialog_choose           (RosterDeleteUserDialog *self,
                                                                    int                     kind);

G_END_DECLS
