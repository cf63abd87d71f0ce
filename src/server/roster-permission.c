/* roster-permission.c: the catalogue of permissions rosterd knows
 *
 * A static table: roles, groups and entitlements grant permissions from it, and
 * GET /scim/v2/Permissions lists it. Its order is the order effectivePermissions uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-error.h"
#include "roster-permission.h"

static const RosterPermission catalogue[] = {
  { ROSTER_PERMISSION_USERS_VIEW, N_("View users"),
    N_("See users, their roles, groups and teams"), "users" },
  { ROSTER_PERMISSION_USERS_MANAGE, N_("Manage users"),
    N_("Add, change and delete users, and give them existing roles"), "users" },
  { ROSTER_PERMISSION_ROLES_MANAGE, N_("Manage roles"),
    N_("Add, rename and delete roles"), "users" },
  { ROSTER_PERMISSION_GROUPS_MANAGE, N_("Manage teams and groups"),
    N_("Add, change and delete teams and groups, and their members"), "users" },
  { "audit.view", N_("View the activity log"), N_("See who changed what, and when"), "audit" },
  { "settings.manage", N_("Manage settings"),
    N_("Change the server’s policies and the user allowance"), "settings" },
  { "photos.manage", N_("Manage photos"), N_("Upload and remove users’ photos"), "users" },
  { "clients.view", N_("View clients"), N_("See the CRM’s clients"), "clients" },
  { "clients.manage", N_("Manage clients"), N_("Add, change and delete clients"), "clients" },
  { "orders.view", N_("View orders"), N_("See the CRM’s orders"), "orders" },
  { "orders.manage", N_("Manage orders"), N_("Add, change and delete orders"), "orders" },
  { "tasks.view", N_("View tasks"), N_("See the CRM’s tasks"), "tasks" },
  { "tasks.manage", N_("Manage tasks"), N_("Add, change, assign and delete tasks"), "tasks" },
};

/**
 * roster_permission_get_all:
 *
 * Returns: (array length=n_permissions): the catalogue, in its fixed order
 */
const RosterPermission *
roster_permission_get_all (guint *n_permissions)
{
  *n_permissions = G_N_ELEMENTS (catalogue);
  return catalogue;
}

/**
 * roster_permission_index:
 *
 * Returns: the position of @id in the catalogue, or -1 if there is no such permission
 */
int
roster_permission_index (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (catalogue); i++)
    if (g_str_equal (catalogue[i].id, id))
      return (int) i;
  return -1;
}

/**
 * roster_permission_lookup:
 *
 * Returns: (nullable): the permission with this exact id
 */
const RosterPermission *
roster_permission_lookup (const char *id)
{
  int index = roster_permission_index (id);

  return index >= 0 ? &catalogue[index] : NULL;
}

/**
 * roster_permission_check_list:
 * @permissions: (nullable): a list of strings
 *
 * Returns: whether every one is a permission of the catalogue, named once
 */
gboolean
roster_permission_check_list (JsonArray *permissions, GError **error)
{
  for (guint i = 0; permissions != NULL && i < json_array_get_length (permissions); i++)
    {
      const char *id = json_array_get_string_element (permissions, i);

      if (roster_permission_lookup (id) == NULL)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("“permissions” names no permission of this server: %s"), id);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (id, json_array_get_string_element (permissions, j)))
          {
            g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                         _("“permissions” names %s twice"), id);
            return FALSE;
          }
    }
  return TRUE;
}
