/* roster-activity-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_ACTIVITY_PAGE (roster_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterActivityPage, roster_activity_page, ROSTER, ACTIVITY_PAGE, GtkWidget)

void  roster_activity_page_set_client (RosterActivityPage *self,
                                       RosterClient       *client);
void  roster_activity_page_reload     (RosterActivityPage *self);
char *roster_activity_page_get_filter (RosterActivityPage *self);

G_END_DECLS
