/* roster-roles-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_ROLES_PAGE (roster_roles_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterRolesPage, roster_roles_page, ROSTER, ROLES_PAGE, GtkWidget)

void roster_roles_page_set_client (RosterRolesPage *self,
                                   RosterClient    *client);
void roster_roles_page_reload     (RosterRolesPage *self);

G_END_DECLS
