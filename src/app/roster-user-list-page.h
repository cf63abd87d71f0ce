/* roster-user-list-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-user-filter-popover.h"
#include "roster-user-pager.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_LIST_PAGE (roster_user_list_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserListPage, roster_user_list_page, ROSTER, USER_LIST_PAGE,
                      GtkWidget)

RosterUserPager *roster_user_list_page_get_pager              (RosterUserListPage *self);
void             roster_user_list_page_set_pager              (RosterUserListPage *self,
                                                               RosterUserPager    *pager);
void             roster_user_list_page_refresh                (RosterUserListPage *self);
void             roster_user_list_page_set_server_unreachable (RosterUserListPage *self,
                                                               gboolean            unreachable);
gboolean         roster_user_list_page_get_server_unreachable (RosterUserListPage *self);
gboolean         roster_user_list_page_report_unavailable     (RosterUserListPage *self,
                                                               const GError       *error);
RosterUser      *roster_user_list_page_get_selected_user      (RosterUserListPage *self);
void             roster_user_list_page_set_folded             (RosterUserListPage *self,
                                                               gboolean            folded);
RosterUserFilterPopover *roster_user_list_page_get_filter_popover (RosterUserListPage *self);
GtkWindow       *roster_user_list_page_delete_user            (RosterUserListPage *self,
                                                               RosterUser         *user);
void             roster_user_list_page_restore_user           (RosterUserListPage *self,
                                                               const char         *id);

G_END_DECLS
