/* roster-server-list.h: the servers (accounts) the app knows, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "roster-server.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SERVER_LIST (roster_server_list_get_type ())
G_DECLARE_FINAL_TYPE (RosterServerList, roster_server_list, ROSTER, SERVER_LIST, GObject)

RosterServerList *roster_server_list_new           (GSettings        *settings);
RosterServer     *roster_server_list_lookup        (RosterServerList *self,
                                                    const char       *id);
RosterServer     *roster_server_list_add           (RosterServerList *self,
                                                    RosterServer     *server);
void              roster_server_list_remove        (RosterServerList *self,
                                                    const char       *id);
void              roster_server_list_set_user_name (RosterServerList *self,
                                                    const char       *id,
                                                    const char       *user_name);
RosterServer     *roster_server_list_get_current   (RosterServerList *self);
void              roster_server_list_set_current   (RosterServerList *self,
                                                    const char       *id);

G_END_DECLS
