/* roster-role.h: a Role resource (Roster's SCIM extension), as the app edits it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_ROLE "urn:roster:params:scim:schemas:core:2.0:Role"

#define ROSTER_TYPE_ROLE (roster_role_get_type ())
G_DECLARE_FINAL_TYPE (RosterRole, roster_role, ROSTER, ROLE, GObject)

RosterRole         *roster_role_new_from_json     (JsonObject  *object,
                                                   GError     **error);
const char         *roster_role_get_id            (RosterRole  *self);
const char         *roster_role_get_name          (RosterRole  *self);
const char         *roster_role_get_description   (RosterRole  *self);
const char *const  *roster_role_get_permissions   (RosterRole  *self);
gboolean            roster_role_has_permission    (RosterRole  *self,
                                                   const char  *permission);
const char         *roster_role_get_version       (RosterRole  *self);

JsonNode           *roster_role_new_create_body   (const char  *name,
                                                   const char  *description);
JsonNode           *roster_role_permissions_patch (const char *const *permissions);

/**
 * RosterPermissionDescription:
 * @id: what the server checks, e.g. "users.manage"
 * @name: translated, e.g. "Manage users"
 * @description: translated
 * @area: what part of the CRM it is about, e.g. "users"
 *
 * One entry of the server's catalogue at /Permissions.
 */
typedef struct
{
  char *id;
  char *name;
  char *description;
  char *area;
} RosterPermissionDescription;

RosterPermissionDescription *roster_permission_description_new_from_json (JsonObject *object,
                                                                          GError    **error);
void roster_permission_description_free (RosterPermissionDescription *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterPermissionDescription, roster_permission_description_free)

G_END_DECLS
