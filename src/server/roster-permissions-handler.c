/* roster-permissions-handler.c: GET /scim/v2/Permissions, the catalogue
 *
 * A read-only ListResponse of every permission rosterd knows, for any signed-in user: the
 * app needs it to show roles, groups and entitlements by name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-handlers.h"
#include "roster-permission.h"
#include "roster-scim.h"

#define ROSTER_SCIM_SCHEMA_PERMISSION "urn:roster:params:scim:schemas:core:2.0:Permission"

void
roster_permissions_handle_list (RosterRequest *request)
{
  g_autoptr(GPtrArray) resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) list = NULL;
  guint n = 0;
  const RosterPermission *all = roster_permission_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "schemas");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_PERMISSION);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, all[i].id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, _(all[i].name));
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, _(all[i].description));
      json_builder_set_member_name (builder, "area");
      json_builder_add_string_value (builder, all[i].area);
      json_builder_end_object (builder);
      g_ptr_array_add (resources, json_builder_get_root (builder));
    }
  list = roster_scim_list_new (resources, resources->len, 1);
  roster_request_respond_json (request, 200, list);
}
