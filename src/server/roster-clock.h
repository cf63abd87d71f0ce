/* roster-clock.h: what time rosterd thinks it is
 *
 * Every policy that depends on time (password expiry, inactivity, link expiry, the restore
 * window, session lifetimes) reads the time here, so that tests can move it forward.
 * Only a build configured with -Dtest_clock=true can move it (POST /_test/clock); other
 * builds have neither the route nor any other way to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64     roster_clock_now       (void);
GDateTime *roster_clock_now_utc   (void);
gint64     roster_clock_get_offset (void);
gboolean   roster_clock_can_move  (void);
void       roster_clock_advance   (gint64 seconds);

G_END_DECLS
