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
  char *copy_of;     /* creating a duplicate: the model's name */
  /* Writes that finish even when the page moves on (joining groups, photos): cancelled
   * only in dispose. */
  GCancellable *writes_cancellable;
  GCancellable *permissions_cancellable;
  char *signed_in_user_name;
  gboolean may_manage_photos; /* the signed-in user has photos.manage (or users.manage) */
  GtkFileChooserNative *chooser;

  GtkButton *back_button;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  AdwAvatar *avatar;
  GtkWidget *photo_buttons;
  GtkWidget *remove_photo_button;
  GtkWidget *copy_permissions_row;
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
void     roster_user_page_set_user    (RosterUserPage *self,
                                       RosterUser     *user,
                                       gboolean        replace_edits);
void     roster_user_page_refetch     (RosterUserPage *self);
void     roster_user_page_update_actions (RosterUserPage *self);
void     roster_user_page_emit_failed (RosterUserPage *self,
                                       GError         *error);
void     roster_user_page_emit_action_done (RosterUserPage *self,
                                            RosterUser     *user,
                                            const char     *message);

/* roster-user-page-copy.c: Duplicate, Copy Permissions From… and the groups they join */
gboolean roster_user_page_has_groups_to_join (RosterUserPage *self);
void     roster_user_page_carry_groups (RosterUserPage *self,
                                        RosterUser     *to);
void     roster_user_page_join_groups (RosterUserPage *self,
                                       RosterUser     *saved,
                                       GStrv           group_ids,
                                       GStrv           group_names);
void     roster_user_page_copy_permissions_action (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter);

/* roster-user-page-photo.c: the photo above the name */
void     roster_user_page_update_photo (RosterUserPage *self);
void     roster_user_page_check_permissions (RosterUserPage *self);
void     roster_user_page_init_photo_drop (RosterUserPage *self);
void     roster_user_page_change_photo_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter);
void     roster_user_page_remove_photo_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter);

G_END_DECLS
