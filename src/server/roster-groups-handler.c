/* roster-groups-handler.c: /scim/v2/Groups, RFC 7643 §4.2 groups and Roster's teams
 *
 * The Roster extension adds kind (team or group, a group unless set), a description and
 * permissions every member has. Members are users of this server only (no nested groups
 * yet: a member of type "Group" is refused). Their "$ref" and "display" are computed. Group
 * writes need groups.manage; a user manager (users.manage) may PATCH a group's members and
 * nothing else; only administrators may change a group's permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-handlers.h"
#include "roster-permission.h"
#include "roster-resource-handler.h"

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, message);
  return FALSE;
}

/* Members keep only their value: a "$ref" alone names the user by its URL. */
static gboolean
reduce_members (JsonObject *resource, GError **error)
{
  JsonNode *node = json_object_get_member (resource, "members");
  g_autoptr(JsonArray) reduced = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *members;

  if (node == NULL)
    return TRUE;
  members = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);
      const char *value = json_object_get_string_member_with_default (member, "value", NULL);
      const char *ref = json_object_get_string_member_with_default (member, "$ref", NULL);
      const char *type = json_object_get_string_member_with_default (member, "type", NULL);
      JsonObject *out;

      if (type != NULL && g_ascii_strcasecmp (type, "User") != 0)
        return invalid (error, _("Members must be users: groups cannot be nested"));
      if (value == NULL && ref != NULL)
        {
          const char *slash = strrchr (ref, '/');

          if (slash == NULL || slash[1] == '\0' || strstr (ref, "/Users/") == NULL)
            return invalid (error, _("Each of “members” must name a user of this server"));
          value = slash + 1;
        }
      if (value == NULL)
        return invalid (error, _("Each of “members” needs a “value”"));
      if (!g_hash_table_add (seen, (gpointer) value))
        continue;
      out = json_object_new ();
      json_object_set_string_member (out, "value", value);
      json_array_add_object_element (reduced, out);
    }
  json_object_set_array_member (resource, "members", g_steal_pointer (&reduced));
  return TRUE;
}

static gboolean
check_group (JsonObject *resource, GError **error)
{
  JsonNode *ext_node = json_object_get_member (resource, ROSTER_SCIM_SCHEMA_ROSTER_GROUP);
  JsonObject *ext = ext_node != NULL ? json_node_get_object (ext_node) : NULL;
  const char *kind;

  if (!json_object_has_member (resource, "displayName"))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"),
                   "displayName");
      return FALSE;
    }
  if (!reduce_members (resource, error))
    return FALSE;
  if (ext == NULL)
    {
      json_object_set_object_member (resource, ROSTER_SCIM_SCHEMA_ROSTER_GROUP, json_object_new ());
      ext = json_object_get_object_member (resource, ROSTER_SCIM_SCHEMA_ROSTER_GROUP);
    }
  /* A group unless said otherwise, and stored so: filters on kind see it. */
  if (!json_object_has_member (ext, "kind"))
    json_object_set_string_member (ext, "kind", "group");
  kind = json_object_get_string_member (ext, "kind");
  if (!g_str_equal (kind, "team") && !g_str_equal (kind, "group"))
    return invalid (error, _("“kind” must be “team” or “group”"));
  return roster_permission_check_list (json_object_has_member (ext, "permissions")
                                         ? json_object_get_array_member (ext, "permissions")
                                         : NULL,
                                       error);
}

/* @resource without its members, for comparing everything else. */
static JsonNode *
without_members (JsonObject *resource)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!g_str_equal (name, "members"))
      json_object_set_member (copy, name, json_node_ref (member));
  return json_node_init_object (json_node_alloc (), copy);
}

static gboolean
authorize_group (RosterRequest *request, JsonObject *old, JsonObject *new)
{
  if (!roster_request_is_administrator (request)
      && roster_resource_strings_differ (old, new, ROSTER_SCIM_SCHEMA_ROSTER_GROUP,
                                         "permissions"))
    {
      roster_request_forbid (request, NULL,
                             _("Only administrators can change the permissions of a group"));
      return FALSE;
    }
  if (!roster_request_has_permission (request, ROSTER_PERMISSION_GROUPS_MANAGE))
    {
      g_autoptr(JsonNode) a = old != NULL ? without_members (old) : NULL;
      g_autoptr(JsonNode) b = without_members (new);

      /* Here through users.manage: the members may change, nothing else. */
      if (a == NULL || !json_node_equal (a, b))
        {
          roster_request_forbid (request, ROSTER_PERMISSION_GROUPS_MANAGE, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

/* Members get "$ref", "display" (their current name) and "type". */
static void
complete_group (RosterRequest *request, RosterResourceRecord *record, JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "members");
  JsonArray *members = node != NULL ? json_node_get_array (node) : NULL;

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);
      const char *value = json_object_get_string_member (member, "value");
      const char *display = g_hash_table_lookup (record->names, value);
      g_autofree char *ref = roster_resource_location (request, "Users", value);

      json_object_set_string_member (member, "$ref", ref);
      if (display != NULL)
        json_object_set_string_member (member, "display", display);
      json_object_set_string_member (member, "type", "User");
    }
}

static const RosterResourceType group_type = {
  .kind = ROSTER_RESOURCE_GROUP,
  .name = "Group",
  .path = "Groups",
  .schemas = roster_schema_group_schemas,
  .sort_attribute = "displayName",
  .check = check_group,
  .authorize = authorize_group,
  .complete = complete_group,
  .audit_members = TRUE,
};

void
roster_groups_handle_list (RosterRequest *request)
{
  roster_resource_handle_list (request, &group_type);
}

void
roster_groups_handle_search (RosterRequest *request)
{
  roster_resource_handle_search (request, &group_type);
}

void
roster_groups_handle_create (RosterRequest *request)
{
  roster_resource_handle_create (request, &group_type);
}

void
roster_groups_handle_get (RosterRequest *request)
{
  roster_resource_handle_get (request, &group_type);
}

void
roster_groups_handle_replace (RosterRequest *request)
{
  roster_resource_handle_replace (request, &group_type);
}

void
roster_groups_handle_patch (RosterRequest *request)
{
  roster_resource_handle_patch (request, &group_type);
}

void
roster_groups_handle_delete (RosterRequest *request)
{
  roster_resource_handle_delete (request, &group_type);
}
