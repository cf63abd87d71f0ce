/* roster-manager-row.h: a row that shows a manager and chooses another with the user picker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_MANAGER_ROW (roster_manager_row_get_type ())
G_DECLARE_FINAL_TYPE (RosterManagerRow, roster_manager_row, ROSTER, MANAGER_ROW, AdwActionRow)

GtkWidget  *roster_manager_row_new          (const char       *title);
void        roster_manager_row_set_client   (RosterManagerRow *self,
                                             RosterClient     *client);
void        roster_manager_row_set_exclude_id (RosterManagerRow *self,
                                               const char       *id);
const char *roster_manager_row_get_user_id  (RosterManagerRow *self);
const char *roster_manager_row_get_user_name (RosterManagerRow *self);
void        roster_manager_row_set_manager  (RosterManagerRow *self,
                                             const char       *id,
                                             const char       *name);
GtkWindow  *roster_manager_row_choose       (RosterManagerRow *self);

G_END_DECLS
