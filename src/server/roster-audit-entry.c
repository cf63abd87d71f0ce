/* roster-audit-entry.c: one entry of the audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "roster-audit-entry.h"
#include "roster-clock.h"

/**
 * roster_audit_entry_new:
 *
 * Returns: (transfer full): an event at roster_clock_now(), without actor or changes
 */
RosterAuditEntry *
roster_audit_entry_new (const char *action, const char *target_type, const char *target_id,
                        const char *target_name)
{
  RosterAuditEntry *self = g_new0 (RosterAuditEntry, 1);

  self->time = roster_clock_now ();
  self->action = g_strdup (action);
  self->target_type = g_strdup (target_type);
  self->target_id = g_strdup (target_id);
  self->target_name = g_strdup (target_name);
  return self;
}

void
roster_audit_entry_free (RosterAuditEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->actor_id);
  g_free (self->actor_name);
  g_free (self->action);
  g_free (self->target_type);
  g_free (self->target_id);
  g_free (self->target_name);
  g_clear_pointer (&self->changes, json_array_unref);
  g_free (self);
}
