/* test-rosterd-authorization.c: who may call what, endpoint by endpoint, against a real rosterd
 *
 * One row per endpoint × method × caller, with the exact status. The callers are an
 * administrator, a user manager (a role with users.view and users.manage), a read-only user
 * (users.view) and a user with no permissions. Every {id} row gets a fresh resource, made by
 * the administrator just before, so a DELETE that succeeds cannot change the next row.
 * Every refused request is re-read to have changed nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SEARCH "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
#define PASSWORD "correct horse battery staple"

typedef enum
{
  ADMIN,
  MANAGER,
  VIEWER,
  NOBODY,
  N_CALLERS
} Caller;

static const char *const caller_names[] = { "administrator", "user manager", "read-only user",
                                            "user without permissions" };

static const struct
{
  const char *method;
  const char *path; /* {user}, {group}, {role} and {deleted} are made fresh for the row;
                     * {event} is the event of making one */
  Caller caller;
  guint status;
} rows[] = {
  /* /scim/v2/Users */
  { "GET", "/scim/v2/Users", ADMIN, 200 },
  { "GET", "/scim/v2/Users", MANAGER, 200 },
  { "GET", "/scim/v2/Users", VIEWER, 200 },
  { "GET", "/scim/v2/Users", NOBODY, 403 },
  { "POST", "/scim/v2/Users", ADMIN, 201 },
  { "POST", "/scim/v2/Users", MANAGER, 201 },
  { "POST", "/scim/v2/Users", VIEWER, 403 },
  { "POST", "/scim/v2/Users", NOBODY, 403 },
  { "PUT", "/scim/v2/Users", ADMIN, 405 },
  { "PUT", "/scim/v2/Users", MANAGER, 405 },
  { "PUT", "/scim/v2/Users", VIEWER, 405 },
  { "PUT", "/scim/v2/Users", NOBODY, 405 },
  { "PATCH", "/scim/v2/Users", ADMIN, 405 },
  { "PATCH", "/scim/v2/Users", MANAGER, 405 },
  { "PATCH", "/scim/v2/Users", VIEWER, 405 },
  { "PATCH", "/scim/v2/Users", NOBODY, 405 },
  { "DELETE", "/scim/v2/Users", ADMIN, 405 },
  { "DELETE", "/scim/v2/Users", MANAGER, 405 },
  { "DELETE", "/scim/v2/Users", VIEWER, 405 },
  { "DELETE", "/scim/v2/Users", NOBODY, 405 },
  /* /scim/v2/Users/{user} */
  { "GET", "/scim/v2/Users/{user}", ADMIN, 200 },
  { "GET", "/scim/v2/Users/{user}", MANAGER, 200 },
  { "GET", "/scim/v2/Users/{user}", VIEWER, 200 },
  { "GET", "/scim/v2/Users/{user}", NOBODY, 403 },
  { "POST", "/scim/v2/Users/{user}", ADMIN, 405 },
  { "POST", "/scim/v2/Users/{user}", MANAGER, 405 },
  { "POST", "/scim/v2/Users/{user}", VIEWER, 405 },
  { "POST", "/scim/v2/Users/{user}", NOBODY, 405 },
  { "PUT", "/scim/v2/Users/{user}", ADMIN, 200 },
  { "PUT", "/scim/v2/Users/{user}", MANAGER, 200 },
  { "PUT", "/scim/v2/Users/{user}", VIEWER, 403 },
  { "PUT", "/scim/v2/Users/{user}", NOBODY, 403 },
  { "PATCH", "/scim/v2/Users/{user}", ADMIN, 200 },
  { "PATCH", "/scim/v2/Users/{user}", MANAGER, 200 },
  { "PATCH", "/scim/v2/Users/{user}", VIEWER, 403 },
  { "PATCH", "/scim/v2/Users/{user}", NOBODY, 403 },
  { "DELETE", "/scim/v2/Users/{user}", ADMIN, 204 },
  { "DELETE", "/scim/v2/Users/{user}", MANAGER, 204 },
  { "DELETE", "/scim/v2/Users/{user}", VIEWER, 403 },
  { "DELETE", "/scim/v2/Users/{user}", NOBODY, 403 },
  /* /scim/v2/Users/{user}/actions/… of mail and activation: the fresh user is active */
  { "POST", "/scim/v2/Users/{user}/actions/confirm", ADMIN, 409 },
  { "POST", "/scim/v2/Users/{user}/actions/confirm", MANAGER, 409 },
  { "POST", "/scim/v2/Users/{user}/actions/confirm", VIEWER, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/confirm", NOBODY, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/resend-verification", ADMIN, 409 },
  { "POST", "/scim/v2/Users/{user}/actions/resend-verification", MANAGER, 409 },
  { "POST", "/scim/v2/Users/{user}/actions/resend-verification", VIEWER, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/resend-verification", NOBODY, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/email-username", ADMIN, 202 },
  { "POST", "/scim/v2/Users/{user}/actions/email-username", MANAGER, 202 },
  { "POST", "/scim/v2/Users/{user}/actions/email-username", VIEWER, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/email-username", NOBODY, 403 },
  { "GET", "/scim/v2/Users/{user}/actions/email-username", ADMIN, 405 },
  /* /activate: public, the token is the credential (none here) */
  { "GET", "/activate", ADMIN, 404 },
  { "GET", "/activate", NOBODY, 404 },
  { "POST", "/activate", ADMIN, 415 },
  { "POST", "/activate", NOBODY, 415 },
  /* /scim/v2/Users/.search */
  { "GET", "/scim/v2/Users/.search", ADMIN, 404 },
  { "GET", "/scim/v2/Users/.search", MANAGER, 404 },
  { "GET", "/scim/v2/Users/.search", VIEWER, 404 },
  { "GET", "/scim/v2/Users/.search", NOBODY, 403 },
  { "POST", "/scim/v2/Users/.search", ADMIN, 200 },
  { "POST", "/scim/v2/Users/.search", MANAGER, 200 },
  { "POST", "/scim/v2/Users/.search", VIEWER, 200 },
  { "POST", "/scim/v2/Users/.search", NOBODY, 403 },
  { "PUT", "/scim/v2/Users/.search", ADMIN, 404 },
  { "PUT", "/scim/v2/Users/.search", MANAGER, 404 },
  { "PUT", "/scim/v2/Users/.search", VIEWER, 403 },
  { "PUT", "/scim/v2/Users/.search", NOBODY, 403 },
  { "PATCH", "/scim/v2/Users/.search", ADMIN, 404 },
  { "PATCH", "/scim/v2/Users/.search", MANAGER, 404 },
  { "PATCH", "/scim/v2/Users/.search", VIEWER, 403 },
  { "PATCH", "/scim/v2/Users/.search", NOBODY, 403 },
  { "DELETE", "/scim/v2/Users/.search", ADMIN, 404 },
  { "DELETE", "/scim/v2/Users/.search", MANAGER, 404 },
  { "DELETE", "/scim/v2/Users/.search", VIEWER, 403 },
  { "DELETE", "/scim/v2/Users/.search", NOBODY, 403 },
  /* /scim/v2/Groups */
  { "GET", "/scim/v2/Groups", ADMIN, 200 },
  { "GET", "/scim/v2/Groups", MANAGER, 200 },
  { "GET", "/scim/v2/Groups", VIEWER, 200 },
  { "GET", "/scim/v2/Groups", NOBODY, 403 },
  { "POST", "/scim/v2/Groups", ADMIN, 201 },
  { "POST", "/scim/v2/Groups", MANAGER, 403 },
  { "POST", "/scim/v2/Groups", VIEWER, 403 },
  { "POST", "/scim/v2/Groups", NOBODY, 403 },
  { "PUT", "/scim/v2/Groups", ADMIN, 405 },
  { "PUT", "/scim/v2/Groups", MANAGER, 405 },
  { "PUT", "/scim/v2/Groups", VIEWER, 405 },
  { "PUT", "/scim/v2/Groups", NOBODY, 405 },
  { "PATCH", "/scim/v2/Groups", ADMIN, 405 },
  { "PATCH", "/scim/v2/Groups", MANAGER, 405 },
  { "PATCH", "/scim/v2/Groups", VIEWER, 405 },
  { "PATCH", "/scim/v2/Groups", NOBODY, 405 },
  { "DELETE", "/scim/v2/Groups", ADMIN, 405 },
  { "DELETE", "/scim/v2/Groups", MANAGER, 405 },
  { "DELETE", "/scim/v2/Groups", VIEWER, 405 },
  { "DELETE", "/scim/v2/Groups", NOBODY, 405 },
  /* /scim/v2/Groups/{group} */
  { "GET", "/scim/v2/Groups/{group}", ADMIN, 200 },
  { "GET", "/scim/v2/Groups/{group}", MANAGER, 200 },
  { "GET", "/scim/v2/Groups/{group}", VIEWER, 200 },
  { "GET", "/scim/v2/Groups/{group}", NOBODY, 403 },
  { "POST", "/scim/v2/Groups/{group}", ADMIN, 405 },
  { "POST", "/scim/v2/Groups/{group}", MANAGER, 405 },
  { "POST", "/scim/v2/Groups/{group}", VIEWER, 405 },
  { "POST", "/scim/v2/Groups/{group}", NOBODY, 405 },
  { "PUT", "/scim/v2/Groups/{group}", ADMIN, 200 },
  { "PUT", "/scim/v2/Groups/{group}", MANAGER, 403 },
  { "PUT", "/scim/v2/Groups/{group}", VIEWER, 403 },
  { "PUT", "/scim/v2/Groups/{group}", NOBODY, 403 },
  { "PATCH", "/scim/v2/Groups/{group}", ADMIN, 200 },
  { "PATCH", "/scim/v2/Groups/{group}", MANAGER, 200 },
  { "PATCH", "/scim/v2/Groups/{group}", VIEWER, 403 },
  { "PATCH", "/scim/v2/Groups/{group}", NOBODY, 403 },
  { "DELETE", "/scim/v2/Groups/{group}", ADMIN, 204 },
  { "DELETE", "/scim/v2/Groups/{group}", MANAGER, 403 },
  { "DELETE", "/scim/v2/Groups/{group}", VIEWER, 403 },
  { "DELETE", "/scim/v2/Groups/{group}", NOBODY, 403 },
  /* /scim/v2/Roles */
  { "GET", "/scim/v2/Roles", ADMIN, 200 },
  { "GET", "/scim/v2/Roles", MANAGER, 200 },
  { "GET", "/scim/v2/Roles", VIEWER, 200 },
  { "GET", "/scim/v2/Roles", NOBODY, 403 },
  { "POST", "/scim/v2/Roles", ADMIN, 201 },
  { "POST", "/scim/v2/Roles", MANAGER, 403 },
  { "POST", "/scim/v2/Roles", VIEWER, 403 },
  { "POST", "/scim/v2/Roles", NOBODY, 403 },
  { "PUT", "/scim/v2/Roles", ADMIN, 405 },
  { "PUT", "/scim/v2/Roles", MANAGER, 405 },
  { "PUT", "/scim/v2/Roles", VIEWER, 405 },
  { "PUT", "/scim/v2/Roles", NOBODY, 405 },
  { "PATCH", "/scim/v2/Roles", ADMIN, 405 },
  { "PATCH", "/scim/v2/Roles", MANAGER, 405 },
  { "PATCH", "/scim/v2/Roles", VIEWER, 405 },
  { "PATCH", "/scim/v2/Roles", NOBODY, 405 },
  { "DELETE", "/scim/v2/Roles", ADMIN, 405 },
  { "DELETE", "/scim/v2/Roles", MANAGER, 405 },
  { "DELETE", "/scim/v2/Roles", VIEWER, 405 },
  { "DELETE", "/scim/v2/Roles", NOBODY, 405 },
  /* /scim/v2/Roles/{role} */
  { "GET", "/scim/v2/Roles/{role}", ADMIN, 200 },
  { "GET", "/scim/v2/Roles/{role}", MANAGER, 200 },
  { "GET", "/scim/v2/Roles/{role}", VIEWER, 200 },
  { "GET", "/scim/v2/Roles/{role}", NOBODY, 403 },
  { "POST", "/scim/v2/Roles/{role}", ADMIN, 405 },
  { "POST", "/scim/v2/Roles/{role}", MANAGER, 405 },
  { "POST", "/scim/v2/Roles/{role}", VIEWER, 405 },
  { "POST", "/scim/v2/Roles/{role}", NOBODY, 405 },
  { "PUT", "/scim/v2/Roles/{role}", ADMIN, 200 },
  { "PUT", "/scim/v2/Roles/{role}", MANAGER, 403 },
  { "PUT", "/scim/v2/Roles/{role}", VIEWER, 403 },
  { "PUT", "/scim/v2/Roles/{role}", NOBODY, 403 },
  { "PATCH", "/scim/v2/Roles/{role}", ADMIN, 200 },
  { "PATCH", "/scim/v2/Roles/{role}", MANAGER, 403 },
  { "PATCH", "/scim/v2/Roles/{role}", VIEWER, 403 },
  { "PATCH", "/scim/v2/Roles/{role}", NOBODY, 403 },
  { "DELETE", "/scim/v2/Roles/{role}", ADMIN, 204 },
  { "DELETE", "/scim/v2/Roles/{role}", MANAGER, 403 },
  { "DELETE", "/scim/v2/Roles/{role}", VIEWER, 403 },
  { "DELETE", "/scim/v2/Roles/{role}", NOBODY, 403 },
  /* /scim/v2/Groups/.search and /scim/v2/Roles/.search */
  { "POST", "/scim/v2/Groups/.search", ADMIN, 200 },
  { "POST", "/scim/v2/Groups/.search", MANAGER, 200 },
  { "POST", "/scim/v2/Groups/.search", VIEWER, 200 },
  { "POST", "/scim/v2/Groups/.search", NOBODY, 403 },
  { "POST", "/scim/v2/Roles/.search", ADMIN, 200 },
  { "POST", "/scim/v2/Roles/.search", MANAGER, 200 },
  { "POST", "/scim/v2/Roles/.search", VIEWER, 200 },
  { "POST", "/scim/v2/Roles/.search", NOBODY, 403 },
  /* /scim/v2/Bulk: open to every signed-in caller; each operation checks its own
   * permission (test-rosterd-bulk.c) */
  { "GET", "/scim/v2/Bulk", ADMIN, 405 },
  { "GET", "/scim/v2/Bulk", NOBODY, 405 },
  { "POST", "/scim/v2/Bulk", ADMIN, 200 },
  { "POST", "/scim/v2/Bulk", MANAGER, 200 },
  { "POST", "/scim/v2/Bulk", VIEWER, 200 },
  { "POST", "/scim/v2/Bulk", NOBODY, 200 },
  { "PUT", "/scim/v2/Bulk", ADMIN, 405 },
  { "PATCH", "/scim/v2/Bulk", ADMIN, 405 },
  { "DELETE", "/scim/v2/Bulk", ADMIN, 405 },
  { "DELETE", "/scim/v2/Bulk", NOBODY, 405 },
  /* /scim/v2/AuditEvents: read-only, audit.view (administrators have it) */
  { "GET", "/scim/v2/AuditEvents", ADMIN, 200 },
  { "GET", "/scim/v2/AuditEvents", MANAGER, 403 },
  { "GET", "/scim/v2/AuditEvents", VIEWER, 403 },
  { "GET", "/scim/v2/AuditEvents", NOBODY, 403 },
  { "POST", "/scim/v2/AuditEvents", ADMIN, 405 },
  { "POST", "/scim/v2/AuditEvents", MANAGER, 405 },
  { "POST", "/scim/v2/AuditEvents", VIEWER, 405 },
  { "POST", "/scim/v2/AuditEvents", NOBODY, 405 },
  { "PUT", "/scim/v2/AuditEvents", ADMIN, 405 },
  { "PUT", "/scim/v2/AuditEvents", MANAGER, 405 },
  { "PUT", "/scim/v2/AuditEvents", VIEWER, 405 },
  { "PUT", "/scim/v2/AuditEvents", NOBODY, 405 },
  { "PATCH", "/scim/v2/AuditEvents", ADMIN, 405 },
  { "PATCH", "/scim/v2/AuditEvents", MANAGER, 405 },
  { "PATCH", "/scim/v2/AuditEvents", VIEWER, 405 },
  { "PATCH", "/scim/v2/AuditEvents", NOBODY, 405 },
  { "DELETE", "/scim/v2/AuditEvents", ADMIN, 405 },
  { "DELETE", "/scim/v2/AuditEvents", MANAGER, 405 },
  { "DELETE", "/scim/v2/AuditEvents", VIEWER, 405 },
  { "DELETE", "/scim/v2/AuditEvents", NOBODY, 405 },
  /* /scim/v2/AuditEvents/{event} */
  { "GET", "/scim/v2/AuditEvents/{event}", ADMIN, 200 },
  { "GET", "/scim/v2/AuditEvents/{event}", MANAGER, 403 },
  { "GET", "/scim/v2/AuditEvents/{event}", VIEWER, 403 },
  { "GET", "/scim/v2/AuditEvents/{event}", NOBODY, 403 },
  { "POST", "/scim/v2/AuditEvents/{event}", ADMIN, 405 },
  { "POST", "/scim/v2/AuditEvents/{event}", MANAGER, 405 },
  { "POST", "/scim/v2/AuditEvents/{event}", VIEWER, 405 },
  { "POST", "/scim/v2/AuditEvents/{event}", NOBODY, 405 },
  { "PUT", "/scim/v2/AuditEvents/{event}", ADMIN, 405 },
  { "PUT", "/scim/v2/AuditEvents/{event}", MANAGER, 405 },
  { "PUT", "/scim/v2/AuditEvents/{event}", VIEWER, 405 },
  { "PUT", "/scim/v2/AuditEvents/{event}", NOBODY, 405 },
  { "PATCH", "/scim/v2/AuditEvents/{event}", ADMIN, 405 },
  { "PATCH", "/scim/v2/AuditEvents/{event}", MANAGER, 405 },
  { "PATCH", "/scim/v2/AuditEvents/{event}", VIEWER, 405 },
  { "PATCH", "/scim/v2/AuditEvents/{event}", NOBODY, 405 },
  { "DELETE", "/scim/v2/AuditEvents/{event}", ADMIN, 405 },
  { "DELETE", "/scim/v2/AuditEvents/{event}", MANAGER, 405 },
  { "DELETE", "/scim/v2/AuditEvents/{event}", VIEWER, 405 },
  { "DELETE", "/scim/v2/AuditEvents/{event}", NOBODY, 405 },
  /* /scim/v2/AuditEvents/.search */
  { "GET", "/scim/v2/AuditEvents/.search", ADMIN, 404 },
  { "GET", "/scim/v2/AuditEvents/.search", MANAGER, 403 },
  { "GET", "/scim/v2/AuditEvents/.search", VIEWER, 403 },
  { "GET", "/scim/v2/AuditEvents/.search", NOBODY, 403 },
  { "POST", "/scim/v2/AuditEvents/.search", ADMIN, 200 },
  { "POST", "/scim/v2/AuditEvents/.search", MANAGER, 403 },
  { "POST", "/scim/v2/AuditEvents/.search", VIEWER, 403 },
  { "POST", "/scim/v2/AuditEvents/.search", NOBODY, 403 },
  { "PUT", "/scim/v2/AuditEvents/.search", ADMIN, 405 },
  { "PUT", "/scim/v2/AuditEvents/.search", MANAGER, 405 },
  { "PUT", "/scim/v2/AuditEvents/.search", VIEWER, 405 },
  { "PUT", "/scim/v2/AuditEvents/.search", NOBODY, 405 },
  { "PATCH", "/scim/v2/AuditEvents/.search", ADMIN, 405 },
  { "PATCH", "/scim/v2/AuditEvents/.search", MANAGER, 405 },
  { "PATCH", "/scim/v2/AuditEvents/.search", VIEWER, 405 },
  { "PATCH", "/scim/v2/AuditEvents/.search", NOBODY, 405 },
  { "DELETE", "/scim/v2/AuditEvents/.search", ADMIN, 405 },
  { "DELETE", "/scim/v2/AuditEvents/.search", MANAGER, 405 },
  { "DELETE", "/scim/v2/AuditEvents/.search", VIEWER, 405 },
  { "DELETE", "/scim/v2/AuditEvents/.search", NOBODY, 405 },
  /* /scim/v2/Users/{user}/actions/reset-two-factor: administrators only */
  { "POST", "/scim/v2/Users/{user}/actions/reset-two-factor", ADMIN, 200 },
  { "POST", "/scim/v2/Users/{user}/actions/reset-two-factor", MANAGER, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/reset-two-factor", VIEWER, 403 },
  { "POST", "/scim/v2/Users/{user}/actions/reset-two-factor", NOBODY, 403 },
  { "GET", "/scim/v2/Users/{user}/actions/reset-two-factor", ADMIN, 405 },
  { "GET", "/scim/v2/Users/{user}/actions/reset-two-factor", MANAGER, 405 },
  { "GET", "/scim/v2/Users/{user}/actions/reset-two-factor", VIEWER, 405 },
  { "GET", "/scim/v2/Users/{user}/actions/reset-two-factor", NOBODY, 405 },
  { "PUT", "/scim/v2/Users/{user}/actions/reset-two-factor", ADMIN, 405 },
  { "PUT", "/scim/v2/Users/{user}/actions/reset-two-factor", MANAGER, 405 },
  { "PUT", "/scim/v2/Users/{user}/actions/reset-two-factor", VIEWER, 405 },
  { "PUT", "/scim/v2/Users/{user}/actions/reset-two-factor", NOBODY, 405 },
  { "PATCH", "/scim/v2/Users/{user}/actions/reset-two-factor", ADMIN, 405 },
  { "PATCH", "/scim/v2/Users/{user}/actions/reset-two-factor", MANAGER, 405 },
  { "PATCH", "/scim/v2/Users/{user}/actions/reset-two-factor", VIEWER, 405 },
  { "PATCH", "/scim/v2/Users/{user}/actions/reset-two-factor", NOBODY, 405 },
  { "DELETE", "/scim/v2/Users/{user}/actions/reset-two-factor", ADMIN, 405 },
  { "DELETE", "/scim/v2/Users/{user}/actions/reset-two-factor", MANAGER, 405 },
  { "DELETE", "/scim/v2/Users/{user}/actions/reset-two-factor", VIEWER, 405 },
  { "DELETE", "/scim/v2/Users/{user}/actions/reset-two-factor", NOBODY, 405 },
  /* /auth/totp and /auth/totp/confirm: any signed-in user, for their own account (a wrong
   * code is 400) */
  { "POST", "/auth/totp", ADMIN, 200 },
  { "POST", "/auth/totp", MANAGER, 200 },
  { "POST", "/auth/totp", VIEWER, 200 },
  { "POST", "/auth/totp", NOBODY, 200 },
  { "GET", "/auth/totp", ADMIN, 405 },
  { "GET", "/auth/totp", MANAGER, 405 },
  { "GET", "/auth/totp", VIEWER, 405 },
  { "GET", "/auth/totp", NOBODY, 405 },
  { "PUT", "/auth/totp", ADMIN, 405 },
  { "PUT", "/auth/totp", MANAGER, 405 },
  { "PUT", "/auth/totp", VIEWER, 405 },
  { "PUT", "/auth/totp", NOBODY, 405 },
  { "PATCH", "/auth/totp", ADMIN, 405 },
  { "PATCH", "/auth/totp", MANAGER, 405 },
  { "PATCH", "/auth/totp", VIEWER, 405 },
  { "PATCH", "/auth/totp", NOBODY, 405 },
  { "DELETE", "/auth/totp", ADMIN, 405 },
  { "DELETE", "/auth/totp", MANAGER, 405 },
  { "DELETE", "/auth/totp", VIEWER, 405 },
  { "DELETE", "/auth/totp", NOBODY, 405 },
  { "POST", "/auth/totp/confirm", ADMIN, 400 },
  { "POST", "/auth/totp/confirm", MANAGER, 400 },
  { "POST", "/auth/totp/confirm", VIEWER, 400 },
  { "POST", "/auth/totp/confirm", NOBODY, 400 },
  { "GET", "/auth/totp/confirm", ADMIN, 405 },
  { "GET", "/auth/totp/confirm", MANAGER, 405 },
  { "GET", "/auth/totp/confirm", VIEWER, 405 },
  { "GET", "/auth/totp/confirm", NOBODY, 405 },
  { "PUT", "/auth/totp/confirm", ADMIN, 405 },
  { "PUT", "/auth/totp/confirm", MANAGER, 405 },
  { "PUT", "/auth/totp/confirm", VIEWER, 405 },
  { "PUT", "/auth/totp/confirm", NOBODY, 405 },
  { "PATCH", "/auth/totp/confirm", ADMIN, 405 },
  { "PATCH", "/auth/totp/confirm", MANAGER, 405 },
  { "PATCH", "/auth/totp/confirm", VIEWER, 405 },
  { "PATCH", "/auth/totp/confirm", NOBODY, 405 },
  { "DELETE", "/auth/totp/confirm", ADMIN, 405 },
  { "DELETE", "/auth/totp/confirm", MANAGER, 405 },
  { "DELETE", "/auth/totp/confirm", VIEWER, 405 },
  { "DELETE", "/auth/totp/confirm", NOBODY, 405 },
  /* /scim/v2/Permissions */
  { "GET", "/scim/v2/Permissions", ADMIN, 200 },
  { "GET", "/scim/v2/Permissions", MANAGER, 200 },
  { "GET", "/scim/v2/Permissions", VIEWER, 200 },
  { "GET", "/scim/v2/Permissions", NOBODY, 200 },
  { "POST", "/scim/v2/Permissions", ADMIN, 405 },
  { "POST", "/scim/v2/Permissions", MANAGER, 405 },
  { "POST", "/scim/v2/Permissions", VIEWER, 405 },
  { "POST", "/scim/v2/Permissions", NOBODY, 405 },
  { "PUT", "/scim/v2/Permissions", ADMIN, 405 },
  { "PUT", "/scim/v2/Permissions", MANAGER, 405 },
  { "PUT", "/scim/v2/Permissions", VIEWER, 405 },
  { "PUT", "/scim/v2/Permissions", NOBODY, 405 },
  { "PATCH", "/scim/v2/Permissions", ADMIN, 405 },
  { "PATCH", "/scim/v2/Permissions", MANAGER, 405 },
  { "PATCH", "/scim/v2/Permissions", VIEWER, 405 },
  { "PATCH", "/scim/v2/Permissions", NOBODY, 405 },
  { "DELETE", "/scim/v2/Permissions", ADMIN, 405 },
  { "DELETE", "/scim/v2/Permissions", MANAGER, 405 },
  { "DELETE", "/scim/v2/Permissions", VIEWER, 405 },
  { "DELETE", "/scim/v2/Permissions", NOBODY, 405 },
  /* /scim/v2/Schemas */
  { "GET", "/scim/v2/Schemas", ADMIN, 200 },
  { "GET", "/scim/v2/Schemas", MANAGER, 200 },
  { "GET", "/scim/v2/Schemas", VIEWER, 200 },
  { "GET", "/scim/v2/Schemas", NOBODY, 200 },
  { "POST", "/scim/v2/Schemas", ADMIN, 405 },
  { "POST", "/scim/v2/Schemas", MANAGER, 405 },
  { "POST", "/scim/v2/Schemas", VIEWER, 405 },
  { "POST", "/scim/v2/Schemas", NOBODY, 405 },
  { "PUT", "/scim/v2/Schemas", ADMIN, 405 },
  { "PUT", "/scim/v2/Schemas", MANAGER, 405 },
  { "PUT", "/scim/v2/Schemas", VIEWER, 405 },
  { "PUT", "/scim/v2/Schemas", NOBODY, 405 },
  { "PATCH", "/scim/v2/Schemas", ADMIN, 405 },
  { "PATCH", "/scim/v2/Schemas", MANAGER, 405 },
  { "PATCH", "/scim/v2/Schemas", VIEWER, 405 },
  { "PATCH", "/scim/v2/Schemas", NOBODY, 405 },
  { "DELETE", "/scim/v2/Schemas", ADMIN, 405 },
  { "DELETE", "/scim/v2/Schemas", MANAGER, 405 },
  { "DELETE", "/scim/v2/Schemas", VIEWER, 405 },
  { "DELETE", "/scim/v2/Schemas", NOBODY, 405 },
  /* /scim/v2/ResourceTypes */
  { "GET", "/scim/v2/ResourceTypes", ADMIN, 200 },
  { "GET", "/scim/v2/ResourceTypes", MANAGER, 200 },
  { "GET", "/scim/v2/ResourceTypes", VIEWER, 200 },
  { "GET", "/scim/v2/ResourceTypes", NOBODY, 200 },
  { "POST", "/scim/v2/ResourceTypes", ADMIN, 405 },
  { "POST", "/scim/v2/ResourceTypes", MANAGER, 405 },
  { "POST", "/scim/v2/ResourceTypes", VIEWER, 405 },
  { "POST", "/scim/v2/ResourceTypes", NOBODY, 405 },
  { "PUT", "/scim/v2/ResourceTypes", ADMIN, 405 },
  { "PUT", "/scim/v2/ResourceTypes", MANAGER, 405 },
  { "PUT", "/scim/v2/ResourceTypes", VIEWER, 405 },
  { "PUT", "/scim/v2/ResourceTypes", NOBODY, 405 },
  { "PATCH", "/scim/v2/ResourceTypes", ADMIN, 405 },
  { "PATCH", "/scim/v2/ResourceTypes", MANAGER, 405 },
  { "PATCH", "/scim/v2/ResourceTypes", VIEWER, 405 },
  { "PATCH", "/scim/v2/ResourceTypes", NOBODY, 405 },
  { "DELETE", "/scim/v2/ResourceTypes", ADMIN, 405 },
  { "DELETE", "/scim/v2/ResourceTypes", MANAGER, 405 },
  { "DELETE", "/scim/v2/ResourceTypes", VIEWER, 405 },
  { "DELETE", "/scim/v2/ResourceTypes", NOBODY, 405 },
  /* /scim/v2/Users/{user}/ownership */
  { "GET", "/scim/v2/Users/{user}/ownership", ADMIN, 200 },
  { "GET", "/scim/v2/Users/{user}/ownership", MANAGER, 200 },
  { "GET", "/scim/v2/Users/{user}/ownership", VIEWER, 200 },
  { "GET", "/scim/v2/Users/{user}/ownership", NOBODY, 403 },
  { "POST", "/scim/v2/Users/{user}/ownership", ADMIN, 405 },
  { "POST", "/scim/v2/Users/{user}/ownership", MANAGER, 405 },
  { "POST", "/scim/v2/Users/{user}/ownership", VIEWER, 405 },
  { "POST", "/scim/v2/Users/{user}/ownership", NOBODY, 405 },
  { "PUT", "/scim/v2/Users/{user}/ownership", ADMIN, 405 },
  { "PUT", "/scim/v2/Users/{user}/ownership", MANAGER, 405 },
  { "PUT", "/scim/v2/Users/{user}/ownership", VIEWER, 405 },
  { "PUT", "/scim/v2/Users/{user}/ownership", NOBODY, 405 },
  { "PATCH", "/scim/v2/Users/{user}/ownership", ADMIN, 405 },
  { "PATCH", "/scim/v2/Users/{user}/ownership", MANAGER, 405 },
  { "PATCH", "/scim/v2/Users/{user}/ownership", VIEWER, 405 },
  { "PATCH", "/scim/v2/Users/{user}/ownership", NOBODY, 405 },
  { "DELETE", "/scim/v2/Users/{user}/ownership", ADMIN, 405 },
  { "DELETE", "/scim/v2/Users/{user}/ownership", MANAGER, 405 },
  { "DELETE", "/scim/v2/Users/{user}/ownership", VIEWER, 405 },
  { "DELETE", "/scim/v2/Users/{user}/ownership", NOBODY, 405 },
  /* /scim/v2/Records: each kind needs its own permission (none of these callers has one) */
  { "GET", "/scim/v2/Records", ADMIN, 200 },
  { "GET", "/scim/v2/Records", MANAGER, 403 },
  { "GET", "/scim/v2/Records", VIEWER, 403 },
  { "GET", "/scim/v2/Records", NOBODY, 403 },
  { "POST", "/scim/v2/Records", ADMIN, 201 },
  { "POST", "/scim/v2/Records", MANAGER, 403 },
  { "POST", "/scim/v2/Records", VIEWER, 403 },
  { "POST", "/scim/v2/Records", NOBODY, 403 },
  { "PUT", "/scim/v2/Records", ADMIN, 405 },
  { "PUT", "/scim/v2/Records", MANAGER, 405 },
  { "PUT", "/scim/v2/Records", VIEWER, 405 },
  { "PUT", "/scim/v2/Records", NOBODY, 405 },
  { "PATCH", "/scim/v2/Records", ADMIN, 405 },
  { "PATCH", "/scim/v2/Records", MANAGER, 405 },
  { "PATCH", "/scim/v2/Records", VIEWER, 405 },
  { "PATCH", "/scim/v2/Records", NOBODY, 405 },
  { "DELETE", "/scim/v2/Records", ADMIN, 405 },
  { "DELETE", "/scim/v2/Records", MANAGER, 405 },
  { "DELETE", "/scim/v2/Records", VIEWER, 405 },
  { "DELETE", "/scim/v2/Records", NOBODY, 405 },
  /* /scim/v2/DeletedUsers */
  { "GET", "/scim/v2/DeletedUsers", ADMIN, 200 },
  { "GET", "/scim/v2/DeletedUsers", MANAGER, 200 },
  { "GET", "/scim/v2/DeletedUsers", VIEWER, 200 },
  { "GET", "/scim/v2/DeletedUsers", NOBODY, 403 },
  { "POST", "/scim/v2/DeletedUsers", ADMIN, 405 },
  { "POST", "/scim/v2/DeletedUsers", MANAGER, 405 },
  { "POST", "/scim/v2/DeletedUsers", VIEWER, 405 },
  { "POST", "/scim/v2/DeletedUsers", NOBODY, 405 },
  { "PUT", "/scim/v2/DeletedUsers", ADMIN, 405 },
  { "PUT", "/scim/v2/DeletedUsers", MANAGER, 405 },
  { "PUT", "/scim/v2/DeletedUsers", VIEWER, 405 },
  { "PUT", "/scim/v2/DeletedUsers", NOBODY, 405 },
  { "PATCH", "/scim/v2/DeletedUsers", ADMIN, 405 },
  { "PATCH", "/scim/v2/DeletedUsers", MANAGER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers", VIEWER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers", NOBODY, 405 },
  { "DELETE", "/scim/v2/DeletedUsers", ADMIN, 405 },
  { "DELETE", "/scim/v2/DeletedUsers", MANAGER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers", VIEWER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers", NOBODY, 405 },
  /* /scim/v2/DeletedUsers/{deleted} */
  { "GET", "/scim/v2/DeletedUsers/{deleted}", ADMIN, 200 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}", MANAGER, 200 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}", VIEWER, 200 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}", NOBODY, 403 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}", ADMIN, 405 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}", MANAGER, 405 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}", VIEWER, 405 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}", NOBODY, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}", ADMIN, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}", MANAGER, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}", VIEWER, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}", NOBODY, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}", ADMIN, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}", MANAGER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}", VIEWER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}", NOBODY, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}", ADMIN, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}", MANAGER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}", VIEWER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}", NOBODY, 405 },
  /* /scim/v2/DeletedUsers/{deleted}/restore */
  { "GET", "/scim/v2/DeletedUsers/{deleted}/restore", ADMIN, 405 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}/restore", MANAGER, 405 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}/restore", VIEWER, 405 },
  { "GET", "/scim/v2/DeletedUsers/{deleted}/restore", NOBODY, 405 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}/restore", ADMIN, 200 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}/restore", MANAGER, 200 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}/restore", VIEWER, 403 },
  { "POST", "/scim/v2/DeletedUsers/{deleted}/restore", NOBODY, 403 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}/restore", ADMIN, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}/restore", MANAGER, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}/restore", VIEWER, 405 },
  { "PUT", "/scim/v2/DeletedUsers/{deleted}/restore", NOBODY, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}/restore", ADMIN, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}/restore", MANAGER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}/restore", VIEWER, 405 },
  { "PATCH", "/scim/v2/DeletedUsers/{deleted}/restore", NOBODY, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}/restore", ADMIN, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}/restore", MANAGER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}/restore", VIEWER, 405 },
  { "DELETE", "/scim/v2/DeletedUsers/{deleted}/restore", NOBODY, 405 },
  /* /scim/v2/ServiceProviderConfig */
  { "GET", "/scim/v2/ServiceProviderConfig", ADMIN, 200 },
  { "GET", "/scim/v2/ServiceProviderConfig", MANAGER, 200 },
  { "GET", "/scim/v2/ServiceProviderConfig", VIEWER, 200 },
  { "GET", "/scim/v2/ServiceProviderConfig", NOBODY, 200 },
  { "POST", "/scim/v2/ServiceProviderConfig", ADMIN, 405 },
  { "POST", "/scim/v2/ServiceProviderConfig", MANAGER, 405 },
  { "POST", "/scim/v2/ServiceProviderConfig", VIEWER, 405 },
  { "POST", "/scim/v2/ServiceProviderConfig", NOBODY, 405 },
  { "PUT", "/scim/v2/ServiceProviderConfig", ADMIN, 405 },
  { "PUT", "/scim/v2/ServiceProviderConfig", MANAGER, 405 },
  { "PUT", "/scim/v2/ServiceProviderConfig", VIEWER, 405 },
  { "PUT", "/scim/v2/ServiceProviderConfig", NOBODY, 405 },
  { "PATCH", "/scim/v2/ServiceProviderConfig", ADMIN, 405 },
  { "PATCH", "/scim/v2/ServiceProviderConfig", MANAGER, 405 },
  { "PATCH", "/scim/v2/ServiceProviderConfig", VIEWER, 405 },
  { "PATCH", "/scim/v2/ServiceProviderConfig", NOBODY, 405 },
  { "DELETE", "/scim/v2/ServiceProviderConfig", ADMIN, 405 },
  { "DELETE", "/scim/v2/ServiceProviderConfig", MANAGER, 405 },
  { "DELETE", "/scim/v2/ServiceProviderConfig", VIEWER, 405 },
  { "DELETE", "/scim/v2/ServiceProviderConfig", NOBODY, 405 },
  /* Photos: a JSON body is the wrong media type (415) and a fresh user has no photo (404),
   * so these rows show that authorization is decided first. */
  { "GET", "/scim/v2/Users/{user}/photo", ADMIN, 404 },
  { "GET", "/scim/v2/Users/{user}/photo", MANAGER, 404 },
  { "GET", "/scim/v2/Users/{user}/photo", VIEWER, 404 },
  { "GET", "/scim/v2/Users/{user}/photo", NOBODY, 403 },
  { "PUT", "/scim/v2/Users/{user}/photo", ADMIN, 415 },
  { "PUT", "/scim/v2/Users/{user}/photo", MANAGER, 415 },
  { "PUT", "/scim/v2/Users/{user}/photo", VIEWER, 403 },
  { "PUT", "/scim/v2/Users/{user}/photo", NOBODY, 403 },
  { "DELETE", "/scim/v2/Users/{user}/photo", ADMIN, 404 },
  { "DELETE", "/scim/v2/Users/{user}/photo", MANAGER, 404 },
  { "DELETE", "/scim/v2/Users/{user}/photo", VIEWER, 403 },
  { "DELETE", "/scim/v2/Users/{user}/photo", NOBODY, 403 },
  { "POST", "/scim/v2/Users/{user}/photo", ADMIN, 405 },
  { "POST", "/scim/v2/Users/{user}/photo", NOBODY, 405 },
};

typedef struct
{
  RosterTestServer *server;
  char *tokens[N_CALLERS];
  char *viewer_id;
} Fixture;

static char *
make_user (Fixture *fixture, const char *user_name, const char *role)
{
  g_autofree char *body = NULL;

  if (role != NULL)
    body = g_strdup_printf ("{'userName': '%s', 'password': '" PASSWORD "',"
                            " 'roles': [{'value': '%s'}]}",
                            user_name, role);
  else
    body = g_strdup_printf ("{'userName': '%s', 'password': '" PASSWORD "'}", user_name);
  return test_create (fixture->server, fixture->tokens[ADMIN], "/scim/v2/Users", body);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *managers = NULL, *viewers = NULL, *manager = NULL, *nobody = NULL;

  fixture->server = roster_test_server_start (NULL);
  fixture->tokens[ADMIN] = roster_test_server_setup_admin (fixture->server, ADMIN_NAME,
                                                           ADMIN_PASSWORD);
  managers = test_create (fixture->server, fixture->tokens[ADMIN], "/scim/v2/Roles",
                          "{'name': 'User managers',"
                          " 'permissions': ['users.view', 'users.manage']}");
  viewers = test_create (fixture->server, fixture->tokens[ADMIN], "/scim/v2/Roles",
                         "{'name': 'Viewers', 'permissions': ['users.view']}");
  manager = make_user (fixture, "manager", managers);
  fixture->viewer_id = make_user (fixture, "viewer", viewers);
  nobody = make_user (fixture, "nobody", NULL);
  fixture->tokens[MANAGER] = roster_test_server_sign_in (fixture->server, "manager", PASSWORD);
  fixture->tokens[VIEWER] = roster_test_server_sign_in (fixture->server, "viewer", PASSWORD);
  fixture->tokens[NOBODY] = roster_test_server_sign_in (fixture->server, "nobody", PASSWORD);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  for (guint i = 0; i < N_CALLERS; i++)
    g_clear_pointer (&fixture->tokens[i], g_free);
  g_clear_pointer (&fixture->viewer_id, g_free);
}

/* A fresh resource for a {kind} segment of row @n; returns the path with its id. */
static char *
fresh_path (Fixture *fixture, const char *pattern, guint n)
{
  static const struct
  {
    const char *segment;
    const char *collection;
    const char *body;
  } kinds[] = {
    { "{user}", "/scim/v2/Users",
      "{'userName': 'target-%u', 'emails': [{'value': 'target-%u@example.org'}]}" },
    { "{group}", "/scim/v2/Groups", "{'displayName': 'Group %u'}" },
    { "{role}", "/scim/v2/Roles", "{'name': 'Role %u'}" },
  };

  const char *deleted = strstr (pattern, "{deleted}");

  /* A user deleted just now, restorable. */
  if (deleted != NULL)
    {
      g_autofree char *body = g_strdup_printf ("{'userName': 'deleted-%u'}", n);
      g_autofree char *id = test_create (fixture->server, fixture->tokens[ADMIN],
                                         "/scim/v2/Users", body);
      g_autofree char *user = g_strconcat ("/scim/v2/Users/", id, NULL);
      g_autofree char *prefix = g_strndup (pattern, (gsize) (deleted - pattern));
      g_autoptr(JsonNode) gone = test_call (fixture->server, fixture->tokens[ADMIN], "DELETE",
                                            user, NULL, NULL, 204, NULL);

      return g_strconcat (prefix, id, deleted + strlen ("{deleted}"), NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *at = strstr (pattern, kinds[i].segment);
      g_autofree char *body = NULL, *id = NULL, *prefix = NULL;

      if (at == NULL)
        continue;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      body = g_strdup_printf (kinds[i].body, n, n);
#pragma GCC diagnostic pop
      id = test_create (fixture->server, fixture->tokens[ADMIN], kinds[i].collection, body);
      prefix = g_strndup (pattern, (gsize) (at - pattern));
      return g_strconcat (prefix, id, at + strlen (kinds[i].segment), NULL);
    }
  if (strstr (pattern, "{event}") != NULL)
    {
      g_autofree char *role = fresh_path (fixture, "/scim/v2/Roles/{role}", n);
      g_autofree char *prefix = g_strndup (pattern, (gsize) (strstr (pattern, "{event}")
                                                             - pattern));
      g_autofree char *id = test_db_query_text (
        fixture->server->data_dir, "SELECT id FROM audit_events ORDER BY seq DESC LIMIT 1");

      return g_strconcat (prefix, id, NULL);
    }
  return g_strdup (pattern);
}

/* A body the route would accept, so only authorization decides. */
static char *
body_for (Fixture *fixture, const char *method, const char *pattern, guint n)
{
  gboolean users = g_str_has_prefix (pattern, "/scim/v2/Users");
  gboolean groups = g_str_has_prefix (pattern, "/scim/v2/Groups");
  gboolean roles = g_str_has_prefix (pattern, "/scim/v2/Roles");
  gboolean item = strchr (pattern + strlen ("/scim/v2/"), '/') != NULL;

  if (g_str_equal (method, "GET") || g_str_equal (method, "DELETE")
      || strstr (pattern, "/actions/") != NULL || g_str_equal (pattern, "/auth/totp"))
    return NULL;
  if (g_str_equal (pattern, "/auth/totp/confirm"))
    return g_strdup ("{'code': '000000'}");
  if (g_str_equal (pattern, "/scim/v2/Records") && g_str_equal (method, "POST"))
    return g_strdup_printf ("{'kind': 'client', 'title': 'Client %u'}", n);
  if (g_str_has_suffix (pattern, "/restore") && g_str_equal (method, "POST"))
    return NULL;
  if (g_str_has_suffix (pattern, "/.search") && g_str_equal (method, "POST"))
    return g_strdup ("{'schemas': ['" SEARCH "'], 'count': 1}");
  if (g_str_equal (pattern, "/scim/v2/Bulk"))
    return g_strdup ("{'schemas': ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],"
                     " 'Operations': []}");
  if (g_str_equal (method, "PATCH") && users)
    return g_strdup ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                     " 'path': 'displayName', 'value': 'Changed'}]}");
  if (g_str_equal (method, "PATCH") && groups)
    return g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add',"
                            " 'path': 'members', 'value': [{'value': '%s'}]}]}",
                            fixture->viewer_id);
  if (g_str_equal (method, "PATCH") && roles)
    return g_strdup ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                     " 'path': 'description', 'value': 'Changed'}]}");
  if (users)
    return g_strdup_printf ("{'userName': '%s-%u'}", item ? "replaced" : "new", n);
  if (groups)
    return g_strdup_printf ("{'displayName': '%s %u'}", item ? "Replaced" : "New", n);
  if (roles)
    return g_strdup_printf ("{'name': '%s %u'}", item ? "Replaced" : "New", n);
  return g_strdup ("{}");
}

static void
test_table (Fixture *fixture, gconstpointer data)
{
  for (guint n = 0; n < G_N_ELEMENTS (rows); n++)
    {
      g_autofree char *path = fresh_path (fixture, rows[n].path, n);
      g_autofree char *body = body_for (fixture, rows[n].method, rows[n].path, n);
      g_autofree char *json = body != NULL ? test_jq (body) : NULL;
      g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
      gint64 events = test_db_query_int (fixture->server->data_dir,
                                         "SELECT count(*) FROM audit_events");
      g_autofree char *after = NULL;
      g_autofree char *response = NULL;
      guint status = 0;

      response = roster_test_server_request_headers (fixture->server, rows[n].method, path,
                                                     fixture->tokens[rows[n].caller], json, NULL,
                                                     &status, NULL);
      if (status != rows[n].status)
        g_error ("%s %s as %s answered %u, not %u: %s", rows[n].method, rows[n].path,
                 caller_names[rows[n].caller], status, rows[n].status, response);
      if (status < 400)
        continue;
      if (status == 403)
        {
          g_autoptr(JsonNode) node = test_parse_object (response);
          const char *detail = json_object_get_string_member (json_node_get_object (node),
                                                              "detail");

          test_assert_scim_error (response, 403, "forbidden", NULL);
          /* The detail names what is missing: a permission, or being an administrator. */
          g_assert_true (strstr (detail, ".manage") != NULL || strstr (detail, ".view") != NULL
                         || strstr (detail, "administrators") != NULL);
        }
      after = test_db_snapshot (fixture->server->data_dir);
      g_assert_cmpstr (before, ==, after);
      /* A refused request leaves no audit event either. */
      g_assert_cmpint (test_db_query_int (fixture->server->data_dir,
                                          "SELECT count(*) FROM audit_events"),
                       ==, events);
    }
}

/* Without a token, every SCIM endpoint is 401. */
static void
test_anonymous (Fixture *fixture, gconstpointer data)
{
  const char *paths[] = { "/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/Roles",
                          "/scim/v2/Permissions", "/scim/v2/Schemas", "/scim/v2/ResourceTypes",
                          "/scim/v2/ServiceProviderConfig", "/scim/v2/AuditEvents" };
  /* Routes that only take POST. */
  const char *post_paths[] = { "/scim/v2/Bulk", "/scim/v2/Users/.search",
                               "/scim/v2/Groups/.search", "/scim/v2/Roles/.search",
                               "/scim/v2/AuditEvents/.search" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *response = NULL;
      guint status = 0;

      response = roster_test_server_request (fixture->server, "GET", paths[i], NULL, NULL, NULL,
                                             &status);
      g_assert_cmpuint (status, ==, 401);
      test_assert_scim_error (response, 401, "unauthenticated", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (post_paths); i++)
    {
      g_autofree char *response = NULL;
      guint status = 0;

      response = roster_test_server_request (fixture->server, "POST", post_paths[i], NULL, "{}",
                                             NULL, &status);
      g_assert_cmpuint (status, ==, 401);
      test_assert_scim_error (response, 401, "unauthenticated", NULL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rosterd/authorization/table", Fixture, NULL, fixture_set_up, test_table,
              fixture_tear_down);
  g_test_add ("/rosterd/authorization/anonymous", Fixture, NULL, fixture_set_up, test_anonymous,
              fixture_tear_down);
  return g_test_run ();
}
