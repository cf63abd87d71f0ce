/* roster-grant.c: one way a user has a permission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-grant.h"

RosterGrant *
roster_grant_new (const char *user_id, const char *permission, const char *source_type,
                  const char *source_id, const char *source_name)
{
  RosterGrant *self = g_new0 (RosterGrant, 1);

  self->user_id = g_strdup (user_id);
  self->permission = g_strdup (permission);
  self->source_type = g_strdup (source_type);
  self->source_id = g_strdup (source_id);
  self->source_name = g_strdup (source_name);
  return self;
}

void
roster_grant_free (RosterGrant *self)
{
  if (self == NULL)
    return;
  g_free (self->user_id);
  g_free (self->permission);
  g_free (self->source_type);
  g_free (self->source_id);
  g_free (self->source_name);
  g_free (self);
}
