/* roster-connection-reaper.h: frees what libsoup 3.2 keeps of clients that have gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_CONNECTION_REAPER (roster_connection_reaper_get_type ())
G_DECLARE_FINAL_TYPE (RosterConnectionReaper, roster_connection_reaper, ROSTER,
                      CONNECTION_REAPER, GObject)

RosterConnectionReaper *roster_connection_reaper_new         (SoupServer             *soup);
guint                   roster_connection_reaper_get_n_idle  (RosterConnectionReaper *self);
guint                   roster_connection_reaper_get_n_reaped (RosterConnectionReaper *self);

G_END_DECLS
