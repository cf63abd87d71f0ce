/* roster-groups-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_GROUPS_PAGE (roster_groups_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterGroupsPage, roster_groups_page, ROSTER, GROUPS_PAGE, GtkWidget)

void roster_groups_page_set_client (RosterGroupsPage *self,
                                   RosterClient    *client);
void roster_groups_page_reload     (RosterGroupsPage *self);

G_END_DECLS
