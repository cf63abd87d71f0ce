/* roster-resource-record.h: one stored Group or Role, as the store hands it to the handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RosterResourceRecord:
 * @resource: the canonical stored form: schema spelling, extensions under their URN, no id,
 *   meta or computed values; a group's "members" are [{"value": user id}]
 * @version: meta.version, bumped by every write (membership changes included)
 * @names: user id → display name, for a group's members
 */
typedef struct
{
  char *id;
  JsonObject *resource;
  GDateTime *created;
  GDateTime *last_modified;
  gint64 version;
  GHashTable *names;
} RosterResourceRecord;

RosterResourceRecord *roster_resource_record_new      (void);
void                  roster_resource_record_free     (RosterResourceRecord *self);
char                 *roster_resource_record_dup_etag (RosterResourceRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterResourceRecord, roster_resource_record_free)

G_END_DECLS
