/* roster-bulk-row.h: one account to create in a batch, and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-user.h"

G_BEGIN_DECLS

/**
 * RosterBulkRow:
 * @user: the account to create (userName, name, emails, roles, …)
 * @password: (nullable): its first password
 * @role_id: (nullable): a role to give it
 * @team_id: (nullable): the team (or group) to add it to
 * @must_change_password: the account must choose a new password at its first sign-in
 * @send_invitation: create it pending and e-mail it a link to choose its password
 * @status: after the request: the HTTP status of its creation (0: not sent)
 * @id: (nullable): after the request: the new account's id
 * @error: (nullable): after the request: why it was not created
 * @team_error: (nullable): after the request: why it was created but not added to the team
 */
typedef struct
{
  RosterUser *user;
  char *password;
  char *role_id;
  char *team_id;
  gboolean must_change_password;
  gboolean send_invitation;

  guint status;
  char *id;
  GError *error;
  GError *team_error;
} RosterBulkRow;

RosterBulkRow *roster_bulk_row_new           (RosterUser    *user,
                                              const char    *password,
                                              const char    *role_id,
                                              const char    *team_id);
void           roster_bulk_row_free          (RosterBulkRow *self);
void           roster_bulk_row_clear_result  (RosterBulkRow *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterBulkRow, roster_bulk_row_free)

G_END_DECLS
