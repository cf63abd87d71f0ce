/* roster-user-pager.h: a lazy GListModel over GET /Users
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_PAGER (roster_user_pager_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserPager, roster_user_pager, ROSTER, USER_PAGER, GObject)

RosterUserPager *roster_user_pager_new            (RosterClient        *client);
RosterClient    *roster_user_pager_get_client     (RosterUserPager     *self);
guint            roster_user_pager_get_page_size  (RosterUserPager     *self);
void             roster_user_pager_set_page_size  (RosterUserPager     *self,
                                                   guint                page_size);
guint            roster_user_pager_get_max_pages  (RosterUserPager     *self);
void             roster_user_pager_set_max_pages  (RosterUserPager     *self,
                                                   guint                max_pages);
guint            roster_user_pager_get_n_loaded_pages (RosterUserPager *self);
gboolean         roster_user_pager_get_loading    (RosterUserPager     *self);
const char      *roster_user_pager_get_filter     (RosterUserPager     *self);
void             roster_user_pager_set_filter     (RosterUserPager     *self,
                                                   const char          *filter);
const char      *roster_user_pager_get_sort_by    (RosterUserPager     *self);
gboolean         roster_user_pager_get_sort_descending (RosterUserPager *self);
void             roster_user_pager_set_sort       (RosterUserPager     *self,
                                                   const char          *sort_by,
                                                   gboolean             descending);

void             roster_user_pager_refresh_async  (RosterUserPager     *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         roster_user_pager_refresh_finish (RosterUserPager     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
