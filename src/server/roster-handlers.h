/* roster-handlers.h: the route handlers, one file per resource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-request.h"

G_BEGIN_DECLS

/* roster-setup-handler.c: GET/POST /setup */
void roster_setup_handle_get              (RosterRequest *request);
void roster_setup_handle_post             (RosterRequest *request);

/* roster-auth-handler.c: POST/DELETE /auth/token, POST /auth/password */
void roster_auth_handle_token_post        (RosterRequest *request);
void roster_auth_handle_token_delete      (RosterRequest *request);
gboolean roster_auth_forget_refusals     (RosterStore   *store,
                                          gint64         now,
                                          GError       **error);
RosterSession *roster_auth_new_session    (RosterRequest *request,
                                           const char    *user_id,
                                           char         **token,
                                           GError       **error);
void roster_auth_respond_token            (RosterRequest *request,
                                           RosterSession *session,
                                           const char    *token);
void roster_auth_handle_password_post     (RosterRequest *request);
void roster_auth_check_password_async     (RosterRequest *request,
                                           const char    *user_id,
                                           const char    *user_name,
                                           const char    *password,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);

/* roster-settings-handler.c: GET/PUT /scim/v2/Settings */
void roster_settings_handle_get           (RosterRequest *request);
void roster_settings_handle_put           (RosterRequest *request);

/* roster-user-actions-handler.c: POST /scim/v2/Users/{id}/actions/… */
void roster_user_actions_handle_unlock       (RosterRequest *request);
void roster_user_actions_handle_set_password (RosterRequest *request);
void roster_user_actions_handle_logout_all   (RosterRequest *request);
void roster_user_actions_handle_reset_two_factor (RosterRequest *request);
void roster_user_actions_apply              (RosterRequest *request,
                                             const char    *id,
                                             const char    *action,
                                             RosterUserRecord *(*change) (RosterStore *store,
                                                                          const char  *id,
                                                                          gpointer     data,
                                                                          GError     **error),
                                             gpointer       data);

/* roster-photo-handler.c: GET/PUT/DELETE /scim/v2/Users/{id}/photo */
void roster_photo_handle_get              (RosterRequest *request);
void roster_photo_handle_put              (RosterRequest *request);
void roster_photo_handle_delete           (RosterRequest *request);
void roster_user_actions_handle_confirm      (RosterRequest *request);
void roster_user_actions_handle_resend_verification (RosterRequest *request);
void roster_user_actions_handle_email_user_name     (RosterRequest *request);
RosterUserRecord *roster_user_actions_activate (RosterStore  *store,
                                                const char   *id,
                                                const char   *password_hash,
                                                JsonObject  **before,
                                                GError      **error);

/* roster-activation-handler.c: GET/POST /activate (HTML) */
void roster_activation_handle_get         (RosterRequest *request);
void roster_activation_handle_post        (RosterRequest *request);

/* roster-sessions-handler.c: /scim/v2/Users/{id}/sessions */
void roster_sessions_handle_list          (RosterRequest *request);
void roster_sessions_handle_delete        (RosterRequest *request);

/* roster-test-clock-handler.c: POST /_test/clock (routed in test-clock builds only) */
void roster_test_clock_handle_post        (RosterRequest *request);

/* roster-test-cache-handler.c: GET /_test/render-cache (routed in test-clock builds only) */
void roster_test_cache_handle_get         (RosterRequest *request);

/* roster-discovery-handler.c: /ServiceProviderConfig, /Schemas, /ResourceTypes */
void roster_discovery_handle_spc          (RosterRequest *request);
void roster_discovery_handle_schemas      (RosterRequest *request);
void roster_discovery_handle_schema       (RosterRequest *request);
void roster_discovery_handle_resource_types (RosterRequest *request);
void roster_discovery_handle_resource_type  (RosterRequest *request);

/* roster-users-handler.c: /scim/v2/Users */
#define ROSTER_USERS_DEFAULT_COUNT 100
#define ROSTER_USERS_MAX_COUNT 1000

void roster_users_handle_list             (RosterRequest *request);
void roster_users_handle_search           (RosterRequest *request);
void roster_users_handle_create           (RosterRequest *request);
void roster_users_handle_get              (RosterRequest *request);
void roster_users_handle_replace          (RosterRequest *request);
void roster_users_handle_patch            (RosterRequest *request);
void roster_users_handle_delete           (RosterRequest *request);
JsonNode *roster_users_record_to_node     (RosterRequest    *request,
                                           RosterUserRecord *record);
void roster_users_respond_record          (RosterRequest    *request,
                                           RosterUserRecord *record);

/* roster-bulk-handler.c: POST /scim/v2/Bulk. The payload limit is the request body limit,
 * so a body the server read is never too large for Bulk. */
#define ROSTER_BULK_MAX_OPERATIONS 1000
#define ROSTER_BULK_MAX_PAYLOAD_SIZE ROSTER_REQUEST_MAX_BODY

void roster_bulk_handle_post              (RosterRequest *request);

/* roster-permissions-handler.c: /scim/v2/Permissions */
void roster_permissions_handle_list       (RosterRequest *request);

/* roster-roles-handler.c: /scim/v2/Roles */
void roster_roles_handle_list             (RosterRequest *request);
void roster_roles_handle_search           (RosterRequest *request);
void roster_roles_handle_create           (RosterRequest *request);
void roster_roles_handle_get              (RosterRequest *request);
void roster_roles_handle_replace          (RosterRequest *request);
void roster_roles_handle_patch            (RosterRequest *request);
void roster_roles_handle_delete           (RosterRequest *request);

/* roster-groups-handler.c: /scim/v2/Groups */
void roster_records_handle_list           (RosterRequest *request);
void roster_records_handle_create         (RosterRequest *request);
void roster_records_handle_ownership      (RosterRequest *request);

void roster_deleted_users_handle_list     (RosterRequest *request);
void roster_deleted_users_handle_get      (RosterRequest *request);
void roster_deleted_users_handle_restore  (RosterRequest *request);

void roster_groups_handle_list            (RosterRequest *request);
void roster_groups_handle_search          (RosterRequest *request);
void roster_groups_handle_create          (RosterRequest *request);
void roster_groups_handle_get             (RosterRequest *request);
void roster_groups_handle_replace         (RosterRequest *request);
void roster_groups_handle_patch           (RosterRequest *request);
void roster_groups_handle_delete          (RosterRequest *request);

/* roster-totp-handler.c: POST /auth/totp, POST /auth/totp/confirm */
void roster_totp_handle_enrol             (RosterRequest *request);
void roster_totp_handle_confirm           (RosterRequest *request);
gboolean roster_totp_check_sign_in        (RosterStore   *store,
                                           const char    *user_id,
                                           const char    *code,
                                           gint64         now,
                                           RosterErrorCode *refusal,
                                           gboolean      *enrolled,
                                           GError       **error);

/* roster-audit-events-handler.c: GET /AuditEvents, /AuditEvents/{id}, POST /.search */
void roster_audit_events_handle_list      (RosterRequest *request);
void roster_audit_events_handle_search    (RosterRequest *request);
void roster_audit_events_handle_get       (RosterRequest *request);

G_END_DECLS
