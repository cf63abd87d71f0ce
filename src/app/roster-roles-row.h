/* roster-roles-row.h: the roles of a user, chosen from the server's /Roles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_ROLES_ROW (roster_roles_row_get_type ())
G_DECLARE_FINAL_TYPE (RosterRolesRow, roster_roles_row, ROSTER, ROLES_ROW, AdwExpanderRow)

GtkWidget *roster_roles_row_new          (void);
void       roster_roles_row_set_client   (RosterRolesRow     *self,
                                          RosterClient       *client);
void       roster_roles_row_set_roles    (RosterRolesRow     *self,
                                          GPtrArray          *roles);
void       roster_roles_row_set_selected (RosterRolesRow     *self,
                                          const char *const  *ids,
                                          const char *const  *names);
GStrv      roster_roles_row_dup_selected (RosterRolesRow     *self,
                                          GStrv              *names);

G_END_DECLS
