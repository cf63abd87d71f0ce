/* roster-user-filter-popover.h: the user list's filters and sort order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_FILTER_POPOVER (roster_user_filter_popover_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserFilterPopover, roster_user_filter_popover, ROSTER,
                      USER_FILTER_POPOVER, GtkPopover)

void        roster_user_filter_popover_set_client  (RosterUserFilterPopover *self,
                                                    RosterClient            *client);
const char *roster_user_filter_popover_get_status  (RosterUserFilterPopover *self);
void        roster_user_filter_popover_set_status  (RosterUserFilterPopover *self,
                                                    const char              *status);
const char *roster_user_filter_popover_get_role_id (RosterUserFilterPopover *self);
void        roster_user_filter_popover_set_role_id (RosterUserFilterPopover *self,
                                                    const char              *role_id);
const char *roster_user_filter_popover_get_team_id (RosterUserFilterPopover *self);
void        roster_user_filter_popover_set_team_id (RosterUserFilterPopover *self,
                                                    const char              *team_id);
const char *roster_user_filter_popover_get_sort_by (RosterUserFilterPopover *self);
gboolean    roster_user_filter_popover_get_sort_descending (RosterUserFilterPopover *self);
void        roster_user_filter_popover_set_sort    (RosterUserFilterPopover *self,
                                                    const char              *sort_by,
                                                    gboolean                 descending);
gboolean    roster_user_filter_popover_get_active  (RosterUserFilterPopover *self);
void        roster_user_filter_popover_reset       (RosterUserFilterPopover *self);

G_END_DECLS
