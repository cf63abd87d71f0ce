/* roster-user-record.h: one stored User, as the store hands it to the handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-grant.h"
#include "roster-reference.h"

G_BEGIN_DECLS

/**
 * RosterUserRecord:
 * @resource: the canonical stored form (see roster-user-resource.c)
 * @version: meta.version, bumped by every write
 * @manager_display_name: (nullable): the displayName of the enterprise manager, if any
 * @secondary_manager_display_name: (nullable): the same for the secondary manager
 * @groups: (element-type RosterReference): the groups the user is a direct member of
 * @role_names: role id → the role's current name, for the roles in @resource
 * @grants: (element-type RosterGrant): the permissions roles, groups and entitlements give
 *
 * @resource holds "roles" and "entitlements" as stored ({value, type, primary}); the rest is
 * computed when the user is sent.
 */
typedef struct
{
  char *id;
  JsonObject *resource;
  GDateTime *created;
  GDateTime *last_modified;
  gint64 version;
  char *manager_display_name;
  char *secondary_manager_display_name;
  GPtrArray *groups;
  GHashTable *role_names;
  GPtrArray *grants;
} RosterUserRecord;

RosterUserRecord *roster_user_record_new       (void);
void              roster_user_record_free      (RosterUserRecord *self);
char             *roster_user_record_dup_etag  (RosterUserRecord *self);
gboolean          roster_user_record_parse_etag (const char      *etag,
                                                 gint64          *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterUserRecord, roster_user_record_free)

G_END_DECLS
