/* roster-permission-switch.h: one switch per permission of the catalogue, for whatever grants
 * permissions (roles, groups)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-role.h"

G_BEGIN_DECLS

GtkSwitch *roster_permission_switch_add   (AdwExpanderRow                    *expander,
                                           const RosterPermissionDescription *permission,
                                           gboolean                           active);
GStrv      roster_permission_switch_apply (GtkSwitch                         *toggle,
                                           const char *const                 *current);

G_END_DECLS
