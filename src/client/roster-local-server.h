/* roster-local-server.h: the private rosterd that "On this computer" runs for the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_LOCAL_SERVER (roster_local_server_get_type ())
G_DECLARE_FINAL_TYPE (RosterLocalServer, roster_local_server, ROSTER, LOCAL_SERVER, GObject)

RosterLocalServer *roster_local_server_new                  (const char          *rosterd_path,
                                                             const char          *data_dir);
RosterLocalServer *roster_local_server_new_default          (void);
const char        *roster_local_server_get_data_dir         (RosterLocalServer   *self);
const char        *roster_local_server_get_base_url         (RosterLocalServer   *self);
gboolean           roster_local_server_get_running          (RosterLocalServer   *self);

void               roster_local_server_start_async          (RosterLocalServer   *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           roster_local_server_start_finish         (RosterLocalServer   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               roster_local_server_read_setup_token_async  (RosterLocalServer   *self,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
char              *roster_local_server_read_setup_token_finish (RosterLocalServer   *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);
void               roster_local_server_stop                 (RosterLocalServer   *self);

G_END_DECLS
