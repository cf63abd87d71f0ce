/* roster-reference.c: a reference to a named thing: a group a user is in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-reference.h"

RosterReference *
roster_reference_new (const char *id, const char *display)
{
  RosterReference *self = g_new0 (RosterReference, 1);

  self->id = g_strdup (id);
  self->display = g_strdup (display);
  return self;
}

void
roster_reference_free (RosterReference *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->display);
  g_free (self);
}
