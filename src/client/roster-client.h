/* roster-client.h: talks SCIM 2.0 (and Roster's extension) to one server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "roster-audit-event.h"
#include "roster-bulk-row.h"
#include "roster-deleted-user.h"
#include "roster-group.h"
#include "roster-ownership.h"
#include "roster-role.h"
#include "roster-user.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_CLIENT (roster_client_get_type ())
G_DECLARE_FINAL_TYPE (RosterClient, roster_client, ROSTER, CLIENT, GObject)

RosterClient *roster_client_new                  (const char          *base_url);
const char   *roster_client_get_base_url         (RosterClient        *self);
const char   *roster_client_get_token            (RosterClient        *self);
void          roster_client_set_token            (RosterClient        *self,
                                                  const char          *token);

void          roster_client_get_setup_required_async  (RosterClient        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean      roster_client_get_setup_required_finish (RosterClient        *self,
                                                       GAsyncResult        *result,
                                                       gboolean            *setup_required,
                                                       GError             **error);

void          roster_client_check_discovery_async  (RosterClient        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      roster_client_check_discovery_finish (RosterClient        *self,
                                                    GAsyncResult        *result,
                                                    gboolean            *sign_in_needed,
                                                    GError             **error);
char         *roster_client_describe_tls_errors    (guint                flags);

void          roster_client_setup_async          (RosterClient        *self,
                                                  const char          *setup_token,
                                                  RosterUser          *administrator,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_setup_finish         (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_sign_in_async        (RosterClient        *self,
                                                  const char          *user_name,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_sign_in_finish       (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_list_users_async     (RosterClient        *self,
                                                  guint                start_index,
                                                  guint                count,
                                                  const char          *filter,
                                                  const char          *sort_by,
                                                  gboolean             descending,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray    *roster_client_list_users_finish    (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  guint               *total_results,
                                                  GError             **error);

void          roster_client_get_user_async       (RosterClient        *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RosterUser   *roster_client_get_user_finish      (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_create_user_async    (RosterClient        *self,
                                                  RosterUser          *user,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RosterUser   *roster_client_create_user_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_update_user_async    (RosterClient        *self,
                                                  RosterUser          *base,
                                                  RosterUser          *changed,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RosterUser   *roster_client_update_user_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_create_users_async   (RosterClient        *self,
                                                  GPtrArray           *rows,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_create_users_finish  (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_unlock_user_async    (RosterClient        *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_set_user_password_async (RosterClient        *self,
                                                     const char          *id,
                                                     const char          *password,
                                                     gboolean             must_change,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
RosterUser   *roster_client_user_action_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_logout_user_async    (RosterClient        *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_logout_user_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_list_roles_async     (RosterClient        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray    *roster_client_list_roles_finish    (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_list_permissions_async  (RosterClient        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray    *roster_client_list_permissions_finish (RosterClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void          roster_client_create_role_async    (RosterClient        *self,
                                                  const char          *name,
                                                  const char          *description,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_set_role_permissions_async (RosterClient        *self,
                                                        RosterRole          *role,
                                                        const char *const   *permissions,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
RosterRole   *roster_client_role_finish          (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_delete_role_async    (RosterClient        *self,
                                                  RosterRole          *role,
                                                  gboolean             force,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_delete_role_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

gboolean      roster_client_get_password_change_required (RosterClient *self);
void          roster_client_change_password_async  (RosterClient        *self,
                                                    const char          *current_password,
                                                    const char          *new_password,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      roster_client_change_password_finish (RosterClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void          roster_client_list_groups_async    (RosterClient        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray    *roster_client_list_groups_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_create_group_async   (RosterClient        *self,
                                                  const char          *display_name,
                                                  gboolean             team,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_change_member_async  (RosterClient        *self,
                                                  RosterGroup         *group,
                                                  const char          *user_id,
                                                  gboolean             add,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_change_group_async   (RosterClient        *self,
                                                  RosterGroup         *group,
                                                  const char          *display_name,
                                                  const gboolean      *team,
                                                  const char          *description,
                                                  const char *const   *permissions,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_delete_group_async   (RosterClient        *self,
                                                  RosterGroup         *group,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_delete_group_finish  (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
RosterGroup  *roster_client_group_finish         (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_list_audit_events_async  (RosterClient        *self,
                                                      guint                start_index,
                                                      guint                count,
                                                      const char          *filter,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray    *roster_client_list_audit_events_finish (RosterClient        *self,
                                                      GAsyncResult        *result,
                                                      guint               *total_results,
                                                      GError             **error);

/* Deleting users: what they own, delete with reassignment, Recently Deleted, restore. */
GDateTime    *roster_client_get_server_now       (RosterClient        *self);
void          roster_client_get_ownership_async  (RosterClient        *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RosterOwnership *roster_client_get_ownership_finish (RosterClient     *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);
void          roster_client_delete_user_async    (RosterClient        *self,
                                                  const char          *id,
                                                  const char *const   *destinations,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_delete_user_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_list_deleted_users_async  (RosterClient        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray    *roster_client_list_deleted_users_finish (RosterClient        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void          roster_client_restore_user_async   (RosterClient        *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RosterUser   *roster_client_restore_user_finish  (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  guint               *n_reassigned,
                                                  GError             **error);
void          roster_client_get_restore_window_async  (RosterClient        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
guint         roster_client_get_restore_window_finish (RosterClient        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* The largest photo rosterd takes (its request body limit, docs/protocol.md). */
#define ROSTER_CLIENT_PHOTO_MAX_SIZE (1024 * 1024)
gboolean      roster_client_check_photo_size     (goffset              size,
                                                  GError             **error);

void          roster_client_get_photo_async      (RosterClient        *self,
                                                  RosterUser          *user,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GBytes       *roster_client_get_photo_finish     (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_set_photo_async      (RosterClient        *self,
                                                  RosterUser          *user,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void          roster_client_set_photo_bytes_async (RosterClient       *self,
                                                  RosterUser         *user,
                                                  GBytes             *bytes,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
RosterUser   *roster_client_set_photo_finish     (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void          roster_client_delete_photo_async   (RosterClient        *self,
                                                  RosterUser          *user,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_delete_photo_finish  (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void          roster_client_join_groups_async    (RosterClient        *self,
                                                  const char          *user_id,
                                                  const char *const   *group_ids,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      roster_client_join_groups_finish   (RosterClient        *self,
                                                  GAsyncResult        *result,
                                                  GStrv               *failed,
                                                  GError             **error);

G_END_DECLS
