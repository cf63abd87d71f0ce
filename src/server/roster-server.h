/* roster-server.h: rosterd's service: the data dir, the store and the SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include <libsoup/soup.h>

#include "roster-config.h"
#include "roster-render-cache.h"
#include "roster-request.h"
#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SERVER (roster_server_get_type ())
G_DECLARE_FINAL_TYPE (RosterServer, roster_server, ROSTER, SERVER, GObject)

RosterServer *roster_server_new                (RosterConfig  *config,
                                                GError       **error);
gboolean      roster_server_open_store         (RosterServer  *self,
                                                GError       **error);
gboolean      roster_server_prepare            (RosterServer  *self,
                                                guint          n_processes,
                                                GError       **error);
gboolean      roster_server_listen             (RosterServer  *self,
                                                guint          index,
                                                GError       **error);
gboolean      roster_server_is_primary         (RosterServer  *self);
guint         roster_server_get_n_processes    (RosterServer  *self);
void          roster_server_shutdown           (RosterServer  *self);

const char   *roster_server_get_base_url       (RosterServer  *self);
RosterRenderCache *roster_server_get_render_cache (RosterServer *self);
RosterStore  *roster_server_get_store          (RosterServer  *self);
gint64        roster_server_get_token_lifetime (RosterServer  *self);
gboolean      roster_server_get_sample_records (RosterServer  *self);
void          roster_server_setup_completed    (RosterServer  *self);
void          roster_server_sweep              (RosterServer  *self);
GBytes       *roster_server_dup_request_body   (SoupServerMessage *msg,
                                                gboolean      *too_large);
void          roster_server_dispatch           (RosterServer  *self,
                                                RosterRequest *request,
                                                const char    *method,
                                                const char    *path);
const char   *roster_server_get_public_url     (RosterServer  *self);
const RosterConfig *roster_server_get_config   (RosterServer  *self);
void          roster_server_kick_mail          (RosterServer  *self);

G_END_DECLS
