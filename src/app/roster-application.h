/* roster-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-credentials.h"
#include "roster-local-server.h"
#include "roster-server-list.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_APPLICATION (roster_application_get_type ())
G_DECLARE_FINAL_TYPE (RosterApplication, roster_application, ROSTER, APPLICATION,
                      AdwApplication)

RosterApplication *roster_application_new              (void);
GSettings         *roster_application_get_settings     (RosterApplication *self);
RosterCredentials *roster_application_get_credentials  (RosterApplication *self);
RosterLocalServer *roster_application_get_local_server (RosterApplication *self);
RosterServerList  *roster_application_get_servers      (RosterApplication *self);

G_END_DECLS
