/* roster-audit-event.h: one entry of the audit log, as the store keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RosterAuditEvent:
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
} RosterAuditEvent;

RosterAuditEvent *roster_audit_event_new  (const char       *action,
                                           const char       *target_type,
                                           const char       *target_id,
                                           const char       *target_name);
void              roster_audit_event_free (RosterAuditEvent *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterAuditEvent, roster_audit_event_free)

G_END_DECLS
