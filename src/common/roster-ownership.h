/* roster-ownership.h: what a user owns in the CRM (GET /Users/{id}/ownership), and the
 * reassignment plan a delete carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_OWNERSHIP "urn:roster:params:scim:schemas:core:2.0:Ownership"

/**
 * RosterRecordKind:
 *
 * The kinds of records a user can own, in the order the server lists them.
 */
typedef enum
{
  ROSTER_RECORD_KIND_CLIENTS,
  ROSTER_RECORD_KIND_ORDERS,
  ROSTER_RECORD_KIND_TASKS,
  ROSTER_RECORD_KIND_N
} RosterRecordKind;

/**
 * RosterOwnership:
 * @open: open records of each kind
 * @done: finished records of each kind
 */
typedef struct
{
  guint open[ROSTER_RECORD_KIND_N];
  guint done[ROSTER_RECORD_KIND_N];
} RosterOwnership;

const char      *roster_record_kind_to_string    (RosterRecordKind        kind);
RosterOwnership *roster_ownership_new_from_json  (JsonObject             *object,
                                                  GError                **error);
void             roster_ownership_free           (RosterOwnership        *self);
guint            roster_ownership_get_total      (const RosterOwnership  *self,
                                                  RosterRecordKind        kind);
gboolean         roster_ownership_is_empty       (const RosterOwnership  *self);
JsonNode        *roster_ownership_plan_new       (const char *const      *destinations);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterOwnership, roster_ownership_free)

G_END_DECLS
