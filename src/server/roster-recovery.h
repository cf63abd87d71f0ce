/* roster-recovery.h: what an operator can do on the database when nobody can sign in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-store.h"

G_BEGIN_DECLS

gboolean roster_recovery_unlock (RosterStore *store,
                                 const char  *user_name,
                                 GError     **error);

G_END_DECLS
