/* roster-team-table.h: a table of new accounts to create at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TEAM_TABLE (roster_team_table_get_type ())
G_DECLARE_FINAL_TYPE (RosterTeamTable, roster_team_table, ROSTER, TEAM_TABLE, GtkWidget)

GtkWidget *roster_team_table_new            (void);
void       roster_team_table_set_client     (RosterTeamTable *self,
                                             RosterClient    *client);
void       roster_team_table_set_max_rows   (RosterTeamTable *self,
                                             guint            max_rows);
guint      roster_team_table_add_row        (RosterTeamTable *self);
void       roster_team_table_clear          (RosterTeamTable *self);
guint      roster_team_table_get_n_rows     (RosterTeamTable *self);
void       roster_team_table_set_cell       (RosterTeamTable *self,
                                             guint            row,
                                             const char      *column,
                                             const char      *text);
gboolean   roster_team_table_get_valid      (RosterTeamTable *self);
guint      roster_team_table_get_n_filled   (RosterTeamTable *self);
GPtrArray *roster_team_table_build_rows     (RosterTeamTable *self,
                                             gboolean         with_passwords,
                                             GArray         **row_numbers);
void       roster_team_table_show_results   (RosterTeamTable *self,
                                             GPtrArray       *rows,
                                             GArray          *row_numbers);
const char *roster_team_table_get_role_name (RosterTeamTable *self,
                                             const char      *role_id);
const char *roster_team_table_get_team_name (RosterTeamTable *self,
                                             const char      *team_id);
void       roster_team_table_set_sensitive_rows (RosterTeamTable *self,
                                                 gboolean         sensitive);

G_END_DECLS
