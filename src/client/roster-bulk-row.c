/* roster-bulk-row.c: one account to create in a batch, and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "roster-bulk-row.h"

RosterBulkRow *
roster_bulk_row_new (RosterUser *user, const char *password, const char *role_id,
                     const char *team_id)
{
  RosterBulkRow *self = g_new0 (RosterBulkRow, 1);

  self->user = g_object_ref (user);
  self->password = g_strdup (password);
  self->role_id = g_strdup (role_id);
  self->team_id = g_strdup (team_id);
  return self;
}

/* Forgets the outcome of an earlier attempt, so the row can be sent again. */
void
roster_bulk_row_clear_result (RosterBulkRow *self)
{
  self->status = 0;
  g_clear_pointer (&self->id, g_free);
  g_clear_error (&self->error);
  g_clear_error (&self->team_error);
}

void
roster_bulk_row_free (RosterBulkRow *self)
{
  if (self == NULL)
    return;
  roster_bulk_row_clear_result (self);
  g_clear_object (&self->user);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->role_id);
  g_free (self->team_id);
  g_free (self);
}
