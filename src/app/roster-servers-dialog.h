/* roster-servers-dialog.h: the account switcher: the servers, switch, add, remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-server-list.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SERVERS_DIALOG (roster_servers_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterServersDialog, roster_servers_dialog, ROSTER, SERVERS_DIALOG,
                      AdwWindow)

RosterServersDialog *roster_servers_dialog_new (GtkWindow        *parent,
                                                RosterServerList *servers);

G_END_DECLS
