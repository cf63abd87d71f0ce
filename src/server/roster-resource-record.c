/* roster-resource-record.c: one stored Group or Role, as the store hands it to the handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-resource-record.h"

RosterResourceRecord *
roster_resource_record_new (void)
{
  RosterResourceRecord *self = g_new0 (RosterResourceRecord, 1);

  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
roster_resource_record_free (RosterResourceRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_clear_pointer (&self->resource, json_object_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_modified, g_date_time_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_free (self);
}

/* The same weak ETags as users: W/"n". */
char *
roster_resource_record_dup_etag (RosterResourceRecord *self)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", self->version);
}
