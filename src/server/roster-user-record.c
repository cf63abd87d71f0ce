/* roster-user-record.c: one stored User, as the store hands it to the handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-user-record.h"

RosterUserRecord *
roster_user_record_new (void)
{
  RosterUserRecord *self = g_new0 (RosterUserRecord, 1);

  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_reference_free);
  self->role_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->grants = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_grant_free);
  return self;
}

void
roster_user_record_free (RosterUserRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_clear_pointer (&self->resource, json_object_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_modified, g_date_time_unref);
  g_free (self->manager_display_name);
  g_free (self->secondary_manager_display_name);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->role_names, g_hash_table_unref);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  g_free (self);
}

/**
 * roster_user_record_dup_etag:
 *
 * Returns: (transfer full): meta.version and the ETag header, a weak entity tag (RFC 7232
 *   §2.3) such as W/"3"
 */
char *
roster_user_record_dup_etag (RosterUserRecord *self)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", self->version);
}

/**
 * roster_user_record_parse_etag:
 *
 * Reads one entity tag, weak or strong (If-Match compares them weakly here, since every
 * representation of a version is equivalent).
 *
 * Returns: %FALSE if @etag is not one of ours
 */
gboolean
roster_user_record_parse_etag (const char *etag, gint64 *version)
{
  g_autofree char *copy = g_strstrip (g_strdup (etag));
  const char *p = copy;
  gsize length;

  if (g_str_has_prefix (p, "W/"))
    p += 2;
  length = strlen (p);
  if (length < 3 || p[0] != '"' || p[length - 1] != '"')
    return FALSE;
  copy[(p - copy) + length - 1] = '\0';
  return g_ascii_string_to_signed (p + 1, 10, 1, G_MAXINT64, version, NULL);
}
