/* roster-user-diff.h: what changed between two versions of a user, and the PATCH for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-user.h"

G_BEGIN_DECLS

/**
 * RosterUserField:
 *
 * The attributes the user page edits. Each has a SCIM path and a translated label.
 */
typedef enum
{
  ROSTER_USER_FIELD_GIVEN_NAME = 1 << 0,
  ROSTER_USER_FIELD_FAMILY_NAME = 1 << 1,
  ROSTER_USER_FIELD_USER_NAME = 1 << 2,
  ROSTER_USER_FIELD_EMAIL = 1 << 3,
  ROSTER_USER_FIELD_ACTIVE = 1 << 4,
  ROSTER_USER_FIELD_ADMINISTRATOR = 1 << 5,
} RosterUserField;

#define ROSTER_USER_N_FIELDS 6

RosterUserField roster_user_diff          (RosterUser      *before,
                                           RosterUser      *after);
JsonNode       *roster_user_diff_to_patch (RosterUser      *before,
                                           RosterUser      *after);
const char     *roster_user_field_describe (RosterUserField field);
char           *roster_user_field_dup_value (RosterUser     *user,
                                             RosterUserField field);
void            roster_user_field_copy     (RosterUser      *to,
                                            RosterUser      *from,
                                            RosterUserField  fields);

G_END_DECLS
