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
  ROSTER_USER_FIELD_DISPLAY_NAME = 1 << 6,
  ROSTER_USER_FIELD_EMPLOYEE_NUMBER = 1 << 7,
  ROSTER_USER_FIELD_DEPARTMENT = 1 << 8,
  ROSTER_USER_FIELD_LANGUAGE = 1 << 9,
  ROSTER_USER_FIELD_COUNTRY = 1 << 10,
  ROSTER_USER_FIELD_ROLES = 1 << 11,
  ROSTER_USER_FIELD_MANAGER = 1 << 12,
  ROSTER_USER_FIELD_SECONDARY_MANAGER = 1 << 13,
  ROSTER_USER_FIELD_MOBILE = 1 << 14,
  ROSTER_USER_FIELD_SKYPE = 1 << 15,
  ROSTER_USER_FIELD_STREET_ADDRESS = 1 << 16,
  ROSTER_USER_FIELD_LOCALITY = 1 << 17,
  ROSTER_USER_FIELD_POSTAL_CODE = 1 << 18,
  ROSTER_USER_FIELD_REGION = 1 << 19,
  ROSTER_USER_FIELD_ADDRESS_COUNTRY = 1 << 20,
  ROSTER_USER_FIELD_ENTITLEMENTS = 1 << 21,
} RosterUserField;

#define ROSTER_USER_N_FIELDS 22

/* The parts of the work address, which one PATCH operation replaces together. */
#define ROSTER_USER_FIELDS_ADDRESS                                                                 \
  (ROSTER_USER_FIELD_STREET_ADDRESS | ROSTER_USER_FIELD_LOCALITY | ROSTER_USER_FIELD_POSTAL_CODE   \
   | ROSTER_USER_FIELD_REGION | ROSTER_USER_FIELD_ADDRESS_COUNTRY)

/* What a copy of a user takes from its model ("Duplicate"): what the user may do and where
 * they work and report, never who they are (names, username, employment ID), how to reach
 * them (e-mail, phones, address) or how they sign in. Department is copied: colleagues of a
 * duplicate work where the model does. The group and team memberships go with it, through
 * roster_user_copy_access(). */
#define ROSTER_USER_FIELDS_ACCESS                                                                  \
  (ROSTER_USER_FIELD_ACTIVE | ROSTER_USER_FIELD_ADMINISTRATOR | ROSTER_USER_FIELD_DEPARTMENT      \
   | ROSTER_USER_FIELD_LANGUAGE | ROSTER_USER_FIELD_COUNTRY | ROSTER_USER_FIELD_ROLES              \
   | ROSTER_USER_FIELD_MANAGER | ROSTER_USER_FIELD_SECONDARY_MANAGER                              \
   | ROSTER_USER_FIELD_ENTITLEMENTS)

/* What "Copy Permissions From…" takes: what grants permissions (with the memberships). */
#define ROSTER_USER_FIELDS_PERMISSIONS (ROSTER_USER_FIELD_ROLES | ROSTER_USER_FIELD_ENTITLEMENTS)

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
void            roster_user_copy_access    (RosterUser      *to,
                                            RosterUser      *from,
                                            RosterUserField  fields);

G_END_DECLS
