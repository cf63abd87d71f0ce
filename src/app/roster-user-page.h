/* roster-user-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_PAGE (roster_user_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserPage, roster_user_page, ROSTER, USER_PAGE, GtkWidget)

RosterClient *roster_user_page_get_client     (RosterUserPage *self);
void          roster_user_page_set_client     (RosterUserPage *self,
                                               RosterClient   *client);
RosterUser   *roster_user_page_get_user       (RosterUserPage *self);
void          roster_user_page_show_user      (RosterUserPage *self,
                                               RosterUser     *user);
void          roster_user_page_set_folded     (RosterUserPage *self,
                                               gboolean        folded);
void          roster_user_page_new_user       (RosterUserPage *self,
                                               RosterUser     *model);
gboolean      roster_user_page_get_creating   (RosterUserPage *self);
void          roster_user_page_set_signed_in_user_name (RosterUserPage *self,
                                                        const char     *user_name);
gboolean      roster_user_page_get_may_manage_photos   (RosterUserPage *self);
GtkWindow    *roster_user_page_choose_permissions_model (RosterUserPage *self);
void          roster_user_page_copy_permissions_from    (RosterUserPage *self,
                                                         RosterUser     *model);
void          roster_user_page_set_photo_file  (RosterUserPage *self,
                                                GFile          *file);
GtkWindow    *roster_user_page_ask_remove_photo (RosterUserPage *self);

G_END_DECLS
