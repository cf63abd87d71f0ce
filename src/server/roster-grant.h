/* roster-grant.h: one way a user has a permission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterGrant:
 * @permission: a permission id from the catalogue
 * @source_type: "role", "group" or "entitlement" (administrators hold every permission
 *   without grants)
 * @source_id: the role's or group's id, or the permission id for an entitlement
 * @source_name: (nullable): the role's or group's name
 */
typedef struct
{
  char *user_id;
  char *permission;
  char *source_type;
  char *source_id;
  char *source_name;
} RosterGrant;

RosterGrant     *roster_grant_new      (const char      *user_id,
                                        const char      *permission,
                                        const char      *source_type,
                                        const char      *source_id,
                                        const char      *source_name);
void             roster_grant_free     (RosterGrant     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterGrant, roster_grant_free)

G_END_DECLS
