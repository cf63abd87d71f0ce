/* roster-recently-deleted-dialog.h: the deleted users that can still be restored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_RECENTLY_DELETED_DIALOG (roster_recently_deleted_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterRecentlyDeletedDialog, roster_recently_deleted_dialog, ROSTER,
                      RECENTLY_DELETED_DIALOG, AdwWindow)

RosterRecentlyDeletedDialog *roster_recently_deleted_dialog_new    (GtkWindow                   *parent,
                                                                    RosterClient                *client);
void                         roster_recently_deleted_dialog_reload (RosterRecentlyDeletedDialog *self);
const char                  *roster_recently_deleted_dialog_get_state (RosterRecentlyDeletedDialog *self);

G_END_DECLS
