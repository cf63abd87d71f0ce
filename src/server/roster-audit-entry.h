/* roster-audit-entry.h: one entry of the audit log, as the store keeps it
 *
 * The server's record; the app reads the same entries from /AuditEvents as RosterAuditEvent
 * (src/common/roster-audit-event.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RosterAuditEntry:
 * @id: (nullable): set by the store when the event is appended
 * @time: seconds since the epoch (roster_clock_now())
 * @actor_id: (nullable): the user who did it; %NULL when rosterd did it on its own (a sweep)
 * @actor_name: (nullable): the actor's userName at the time
 * @action: what happened, e.g. "create", "update", "delete", "lock", "unlock"
 * @target_type: the SCIM resource type: "User", "Group", "Role", "Settings", …
 * @target_id: (nullable): the target's id
 * @target_name: (nullable): the target's name at the time (userName, displayName, name)
 * @changes: (nullable): `[{"attribute": …, "before": …, "after": …}]`, secrets never included
 */
typedef struct
{
  char *id;
  gint64 time;
  char *actor_id;
  char *actor_name;
  char *action;
  char *target_type;
  char *target_id;
  char *target_name;
  JsonArray *changes;
} RosterAuditEntry;

RosterAuditEntry *roster_audit_entry_new  (const char       *action,
                                           const char       *target_type,
                                           const char       *target_id,
                                           const char       *target_name);
void              roster_audit_entry_free (RosterAuditEntry *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterAuditEntry, roster_audit_entry_free)

G_END_DECLS
