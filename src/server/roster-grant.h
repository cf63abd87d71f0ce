/* roster-grant.h: one way a user has a permission, and a reference to a named thing
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

/**
 * RosterReference:
 * @id: what a member, group or role value names
 * @display: (nullable): its current name
 */
typedef struct
{
  char *id;
  char *display;
} RosterReference;

RosterGrant     *roster_grant_new      (const char      *user_id,
                                        const char      *permission,
                                        const char      *source_type,
                                        const char      *source_id,
                                        const char      *source_name);
void             roster_grant_free     (RosterGrant     *self);
RosterReference *roster_reference_new  (const char      *id,
                                        const char      *display);
void             roster_reference_free (RosterReference *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterGrant, roster_grant_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterReference, roster_reference_free)

G_END_DECLS
