/* roster-team-results.h: what a RosterTeamSender created, and its Export as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-team-sender.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TEAM_RESULTS (roster_team_results_get_type ())
G_DECLARE_FINAL_TYPE (RosterTeamResults, roster_team_results, ROSTER, TEAM_RESULTS, GtkWidget)

void              roster_team_results_set_sender       (RosterTeamResults *self,
                                                        RosterTeamSender  *sender);
RosterTeamSender *roster_team_results_get_sender       (RosterTeamResults *self);
void              roster_team_results_set_file_name    (RosterTeamResults *self,
                                                        const char        *file_name);
void              roster_team_results_set_show_summary (RosterTeamResults *self,
                                                        gboolean           show_summary);
void              roster_team_results_export           (RosterTeamResults *self,
                                                        GFile             *file);

G_END_DECLS
