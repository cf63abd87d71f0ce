/* roster-team-sender.h: sends a RosterTeamTable's rows and keeps what became of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "roster-client.h"
#include "roster-team-table.h"

G_BEGIN_DECLS

/* Rows one request sends: the server's Bulk maxOperations (1000) is two operations a row. */
#define ROSTER_TEAM_MAX_ROWS 500

#define ROSTER_TYPE_TEAM_SENDER (roster_team_sender_get_type ())
G_DECLARE_FINAL_TYPE (RosterTeamSender, roster_team_sender, ROSTER, TEAM_SENDER, GObject)

RosterTeamSender *roster_team_sender_new                (RosterTeamTable     *table);
void              roster_team_sender_set_client         (RosterTeamSender    *self,
                                                         RosterClient        *client);
RosterTeamTable  *roster_team_sender_get_table          (RosterTeamSender    *self);
gboolean          roster_team_sender_send               (RosterTeamSender    *self,
                                                         gboolean             with_passwords);
gboolean          roster_team_sender_get_busy           (RosterTeamSender    *self);
gboolean          roster_team_sender_get_with_passwords (RosterTeamSender    *self);
guint             roster_team_sender_get_n_created      (RosterTeamSender    *self);
guint             roster_team_sender_get_n_invited      (RosterTeamSender    *self);
GPtrArray        *roster_team_sender_get_created        (RosterTeamSender    *self);
void              roster_team_sender_clear              (RosterTeamSender    *self);
char             *roster_team_sender_build_csv          (RosterTeamSender    *self);
void              roster_team_sender_export_async       (RosterTeamSender    *self,
                                                         GFile               *file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean          roster_team_sender_export_finish      (RosterTeamSender    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
