/* roster-user-page-private.h: what roster-user-page.c and roster-user-page-fields.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-iso-codes.h"
#include "roster-manager-row.h"
#include "roster-roles-row.h"
#include "roster-user-access-group.h"
#include "roster-user-name-check.h"
#include "roster-user-page.h"
#include "roster-user-security-group.h"

G_BEGIN_DECLS

struct _RosterUserPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  RosterUser *user;   /* the version loaded from the server: the base of a save */
  RosterUser *edited; /* what the rows show, with the user's edits */
  GCancellable *cancellable;
  GCancellable *lists_cancellable; /* the roles, groups and permissions of this server */
  RosterIsoCodes *iso_codes;
  RosterUserNameCheck *name_check;
  gboolean populating;
  gboolean saving;
  gboolean creating; /* a new user: self->user is an empty base without an id */

  GtkButton *back_button;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  AdwAvatar *avatar;
  GtkLabel *title_label;
  GtkLabel *status_label;
  GtkButton *save_button;
  GtkButton *discard_button;
  AdwEntryRow *given_name_row;
  AdwEntryRow *family_name_row;
  AdwEntryRow *display_name_row;
  AdwEntryRow *user_name_row;
  AdwEntryRow *email_row;
  AdwEntryRow *employee_number_row;
  AdwEntryRow *department_row;
  AdwComboRow *language_row;
  AdwComboRow *country_row;
  RosterRolesRow *roles_row;
  RosterManagerRow *manager_row;
  RosterManagerRow *secondary_manager_row;
  AdwEntryRow *mobile_row;
  AdwEntryRow *skype_row;
  AdwEntryRow *street_row;
  AdwEntryRow *locality_row;
  AdwEntryRow *postal_code_row;
  AdwEntryRow *region_row;
  AdwComboRow *address_country_row;
  RosterUserAccessGroup *access_group;
  RosterUserSecurityGroup *security_group;
  AdwActionRow *last_login_row;
  AdwPasswordEntryRow *password_row;
  AdwPreferencesGroup *activity_group;
  GtkButton *duplicate_button;
  GtkSwitch *active_switch;
  GtkSwitch *administrator_switch;
  GtkLabel *error_label;
  AdwActionRow *created_row;
  AdwActionRow *modified_row;
  AdwStatusPage *error_status;
};

void     roster_user_page_populate    (RosterUserPage *self);
void     roster_user_page_read_fields (RosterUserPage *self);
gboolean roster_user_page_validate    (RosterUserPage *self);
void     roster_user_page_show_error  (RosterUserPage *self,
                                       const char     *message);
void     roster_user_page_load_lists  (RosterUserPage *self);

G_END_DECLS
