/* roster-setup-wizard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-credentials.h"
#include "roster-local-server.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SETUP_WIZARD (roster_setup_wizard_get_type ())
G_DECLARE_FINAL_TYPE (RosterSetupWizard, roster_setup_wizard, ROSTER, SETUP_WIZARD, GtkWidget)

void roster_setup_wizard_set_local_server (RosterSetupWizard *self,
                                           RosterLocalServer *local_server);
void roster_setup_wizard_set_credentials  (RosterSetupWizard *self,
                                           RosterCredentials *credentials);
void roster_setup_wizard_set_settings     (RosterSetupWizard *self,
                                           GSettings         *settings);
void roster_setup_wizard_set_can_cancel   (RosterSetupWizard *self,
                                           gboolean           can_cancel);
const char *roster_setup_wizard_get_remote_url (RosterSetupWizard *self);
void roster_setup_wizard_reset            (RosterSetupWizard *self);

G_END_DECLS
