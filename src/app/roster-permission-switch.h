/* roster-permission-switch.h: one switch per permission of the catalogue, for whatever grants
 * permissions (roles, groups)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-role.h"

G_BEGIN_DECLS

GStrv      roster_permission_switch_apply (GtkSwitch                         *toggle,
                                           const char *const                 *current);
void       roster_permission_switch_add_catalogue (AdwExpanderRow    *expander,
                                                   GPtrArray         *catalogue,
                                                   const char *const *granted,
                                                   GCallback          on_active,
                                                   gpointer           instance);
char      *roster_permission_switch_area_name     (const char        *area);

G_END_DECLS
