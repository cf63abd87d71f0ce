/* roster-user-record.h: one stored User, as the store hands it to the handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RosterUserRecord:
 * @resource: the canonical stored form (see roster-user-resource.c)
 * @version: meta.version, bumped by every write
 * @manager_display_name: (nullable): the displayName of the enterprise manager, if any
 * @secondary_manager_display_name: (nullable): the same for the secondary manager
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
} RosterUserRecord;

RosterUserRecord *roster_user_record_new       (void);
void              roster_user_record_free      (RosterUserRecord *self);
char             *roster_user_record_dup_etag  (RosterUserRecord *self);
gboolean          roster_user_record_parse_etag (const char      *etag,
                                                 gint64          *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterUserRecord, roster_user_record_free)

G_END_DECLS
