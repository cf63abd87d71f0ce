/* roster-audit.h: writing the audit log from handlers and sweeps
 *
 * Every change made through the API lands in the audit log, in the same transaction as the
 * change: a handler opens roster_store_begin(), makes the change, calls
 * roster_audit_record(), and commits. The changes of an event never hold a password, a
 * password hash, a token or any other secret (roster_audit_diff() leaves them out).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-audit-entry.h"
#include "roster-request.h"
#include "roster-store.h"

G_BEGIN_DECLS

JsonArray *roster_audit_diff          (JsonObject    *before,
                                       JsonObject    *after);
gboolean   roster_audit_record        (RosterRequest *request,
                                       const char    *action,
                                       const char    *target_type,
                                       const char    *target_id,
                                       const char    *target_name,
                                       JsonObject    *before,
                                       JsonObject    *after,
                                       GError       **error);
gboolean   roster_audit_record_as     (RosterStore   *store,
                                       const char    *actor_id,
                                       const char    *actor_name,
                                       const char    *action,
                                       const char    *target_type,
                                       const char    *target_id,
                                       const char    *target_name,
                                       JsonObject    *before,
                                       JsonObject    *after,
                                       GError       **error);
gboolean   roster_audit_record_lock   (RosterStore   *store,
                                       const char    *user_id,
                                       const char    *reason,
                                       gint64         now,
                                       GError       **error);
gboolean   roster_audit_record_system (RosterStore   *store,
                                       const char    *action,
                                       const char    *target_type,
                                       const char    *target_id,
                                       const char    *target_name,
                                       JsonObject    *before,
                                       JsonObject    *after,
                                       GError       **error);

G_END_DECLS
