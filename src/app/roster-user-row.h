/* roster-user-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-user.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_ROW (roster_user_row_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserRow, roster_user_row, ROSTER, USER_ROW, GtkWidget)

RosterUser *roster_user_row_get_user (RosterUserRow *self);
void        roster_user_row_set_user (RosterUserRow *self,
                                      RosterUser    *user);

G_END_DECLS
