/* roster-allowance.h: the allowance of active users (maxActiveUsers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-store.h"

G_BEGIN_DECLS

gboolean roster_allowance_check    (RosterStore *store,
                                    JsonObject  *before,
                                    JsonObject  *after,
                                    GError     **error);
gboolean roster_allowance_get_used (RosterStore *store,
                                    const RosterSettings *settings,
                                    gint64      *used,
                                    GError     **error);

G_END_DECLS
