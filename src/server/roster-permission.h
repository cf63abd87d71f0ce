/* roster-permission.h: the catalogue of permissions rosterd knows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_PERMISSION_USERS_VIEW      "users.view"
#define ROSTER_PERMISSION_USERS_MANAGE    "users.manage"
#define ROSTER_PERMISSION_ROLES_MANAGE    "roles.manage"
#define ROSTER_PERMISSION_GROUPS_MANAGE   "groups.manage"
#define ROSTER_PERMISSION_PHOTOS_MANAGE   "photos.manage"
#define ROSTER_PERMISSION_AUDIT_VIEW      "audit.view"

/**
 * RosterPermission:
 * @id: the stable id, as it travels in roles, groups and entitlements
 * @name: untranslated (N_()); served translated
 * @description: untranslated (N_()); served translated
 * @area: what part of the CRM it is about ("users", "clients", …)
 */
typedef struct
{
  const char *id;
  const char *name;
  const char *description;
  const char *area;
} RosterPermission;

const RosterPermission *roster_permission_get_all (guint      *n_permissions);
const RosterPermission *roster_permission_lookup  (const char *id);
int                     roster_permission_index   (const char *id);
gboolean                roster_permission_check_list (JsonArray *permissions,
                                                      GError   **error);

G_END_DECLS
