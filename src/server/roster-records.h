/* roster-records.h: the CRM records users own, as rosterd sends them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-request.h"
#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_RECORD "urn:roster:params:scim:schemas:core:2.0:Record"
#define ROSTER_SCIM_SCHEMA_OWNERSHIP "urn:roster:params:scim:schemas:core:2.0:Ownership"
#define ROSTER_SCIM_SCHEMA_DELETED_USER "urn:roster:params:scim:schemas:core:2.0:DeletedUser"
#define ROSTER_SCIM_MESSAGE_RESTORED "urn:roster:params:scim:api:messages:2.0:Restored"

/* client, order, task: the indices of RosterRecordCounts */
#define ROSTER_RECORD_N_KINDS 3

int         roster_records_kind_from_plural (const char *plural);
const char *roster_records_kind_name        (guint       kind);
const char *roster_records_kind_plural      (guint       kind);
JsonObject *roster_records_present          (RosterRequest *request,
                                             JsonObject    *record);
JsonObject *roster_records_list_response    (RosterRequest *request,
                                             GPtrArray     *records,
                                             guint          total,
                                             guint          start_index);
JsonObject *roster_records_counts_to_json   (const RosterRecordCounts *counts);

G_END_DECLS
