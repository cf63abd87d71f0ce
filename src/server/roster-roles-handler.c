/* roster-roles-handler.c: /scim/v2/Roles, the Roster resource type Role
 *
 * A role is a name (unique without regard to case), a description and permissions from the
 * catalogue. Role writes need roles.manage; only administrators may change a role's
 * permissions, since whoever has the role gets them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-handlers.h"
#include "roster-permission.h"
#include "roster-resource-handler.h"

static gboolean
check_role (JsonObject *resource, GError **error)
{
  if (!json_object_has_member (resource, "name"))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"),
                   "name");
      return FALSE;
    }
  return roster_permission_check_list (json_object_has_member (resource, "permissions")
                              ? json_object_get_array_member (resource, "permissions")
                              : NULL,
                            error);
}

static gboolean
authorize_role (RosterRequest *request, JsonObject *old, JsonObject *new)
{
  if (!roster_request_is_administrator (request)
      && roster_resource_strings_differ (old, new, NULL, "permissions"))
    {
      roster_request_forbid (request, NULL,
                             _("Only administrators can change the permissions of a role"));
      return FALSE;
    }
  return TRUE;
}

static const RosterResourceType role_type = {
  .kind = ROSTER_RESOURCE_ROLE,
  .name = "Role",
  .path = "Roles",
  .schemas = roster_schema_role_schemas,
  .sort_attribute = "name",
  .check = check_role,
  .authorize = authorize_role,
};

void
roster_roles_handle_list (RosterRequest *request)
{
  roster_resource_handle_list (request, &role_type);
}

void
roster_roles_handle_search (RosterRequest *request)
{
  roster_resource_handle_search (request, &role_type);
}

void
roster_roles_handle_create (RosterRequest *request)
{
  roster_resource_handle_create (request, &role_type);
}

void
roster_roles_handle_get (RosterRequest *request)
{
  roster_resource_handle_get (request, &role_type);
}

void
roster_roles_handle_replace (RosterRequest *request)
{
  roster_resource_handle_replace (request, &role_type);
}

void
roster_roles_handle_patch (RosterRequest *request)
{
  roster_resource_handle_patch (request, &role_type);
}

/* DELETE /Roles/{id}[?force=true]: refused with role-in-use while users have the role,
 * unless forced, which takes it from them in the same transaction. */
void
roster_roles_handle_delete (RosterRequest *request)
{
  roster_resource_handle_delete (request, &role_type);
}
