/* roster-audit-event.h: one entry of the audit log, as GET /AuditEvents sends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RosterAuditChange:
 * @attribute: the attribute that changed, e.g. "displayName"
 * @before: the value before as compact JSON ("null" for none)
 * @after: the value after as compact JSON ("null" for none)
 */
typedef struct
{
  char *attribute;
  char *before;
  char *after;
} RosterAuditChange;

#define ROSTER_TYPE_AUDIT_EVENT (roster_audit_event_get_type ())
G_DECLARE_FINAL_TYPE (RosterAuditEvent, roster_audit_event, ROSTER, AUDIT_EVENT, GObject)

RosterAuditEvent *roster_audit_event_new_from_json        (JsonObject        *object,
                                                           GError           **error);
const char       *roster_audit_event_get_id               (RosterAuditEvent  *self);
GDateTime        *roster_audit_event_get_time             (RosterAuditEvent  *self);
const char       *roster_audit_event_get_action           (RosterAuditEvent  *self);
const char       *roster_audit_event_get_actor_value      (RosterAuditEvent  *self);
const char       *roster_audit_event_get_actor_display    (RosterAuditEvent  *self);
const char       *roster_audit_event_get_target_type      (RosterAuditEvent  *self);
const char       *roster_audit_event_get_target_value     (RosterAuditEvent  *self);
const char       *roster_audit_event_get_target_display   (RosterAuditEvent  *self);
guint             roster_audit_event_get_n_changes        (RosterAuditEvent  *self);
const RosterAuditChange *roster_audit_event_get_change    (RosterAuditEvent  *self,
                                                           guint              index);

G_END_DECLS
