/* roster-server.h: one server (account) the app knows: where it is and who signs in there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ROSTER_SERVER_LOCAL_ID "local"

#define ROSTER_TYPE_SERVER (roster_server_get_type ())
G_DECLARE_FINAL_TYPE (RosterServer, roster_server, ROSTER, SERVER, GObject)

RosterServer *roster_server_new_local      (const char   *user_name);
RosterServer *roster_server_new_remote     (const char   *url,
                                            const char   *user_name);
const char   *roster_server_get_id         (RosterServer *self);
gboolean      roster_server_get_local      (RosterServer *self);
const char   *roster_server_get_url        (RosterServer *self);
const char   *roster_server_get_title      (RosterServer *self);
const char   *roster_server_get_user_name  (RosterServer *self);
void          roster_server_set_user_name  (RosterServer *self,
                                            const char   *user_name);

char         *roster_server_normalize_url  (const char   *text,
                                            GError      **error);

G_END_DECLS
