/* roster-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-error.h"
#include "roster-group.h"
#include "roster-scim.h"

struct _RosterGroup
{
  GObject parent_instance;

  char *id;
  char *display_name;
  char *version;
  char *description; /* "" when none */
  GStrv permissions;
  gboolean team;
  GPtrArray *member_ids;      /* char * */
  GPtrArray *member_displays; /* char *, "" when the server sent none */
};

G_DEFINE_FINAL_TYPE (RosterGroup, roster_group, G_TYPE_OBJECT)

static void
roster_group_finalize (GObject *object)
{
  RosterGroup *self = (RosterGroup *) object;

  g_free (self->id);
  g_free (self->display_name);
  g_free (self->version);
  g_free (self->description);
  g_strfreev (self->permissions);
  g_ptr_array_unref (self->member_ids);
  g_ptr_array_unref (self->member_displays);

  G_OBJECT_CLASS (roster_group_parent_class)->finalize (object);
}

static void
roster_group_class_init (RosterGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_group_finalize;
}

static void
roster_group_init (RosterGroup *self)
{
  self->member_ids = g_ptr_array_new_with_free_func (g_free);
  self->member_displays = g_ptr_array_new_with_free_func (g_free);
}

/**
 * roster_group_new_from_json:
 *
 * Returns: (transfer full): the group as /Groups sends it, or %NULL with @error set
 */
RosterGroup *
roster_group_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterGroup) self = g_object_new (ROSTER_TYPE_GROUP, NULL);
  g_autoptr(GError) local_error = NULL;
  JsonObject *meta = NULL, *ext = NULL;
  JsonArray *members = NULL, *permissions = NULL;
  const char *kind = NULL, *description = NULL;

  self->id = g_strdup (roster_json_get_string (object, "id", &local_error));
  if (local_error == NULL)
    self->display_name = g_strdup (roster_json_get_string (object, "displayName", &local_error));
  if (local_error == NULL)
    members = roster_json_get_array (object, "members", &local_error);
  if (local_error == NULL)
    ext = roster_json_get_object (object, ROSTER_SCIM_SCHEMA_ROSTER_GROUP, &local_error);
  if (local_error == NULL && ext != NULL)
    kind = roster_json_get_string (ext, "kind", &local_error);
  if (local_error == NULL && ext != NULL)
    description = roster_json_get_string (ext, "description", &local_error);
  if (local_error == NULL && ext != NULL)
    permissions = roster_json_get_array (ext, "permissions", &local_error);
  if (local_error == NULL)
    meta = roster_json_get_object (object, "meta", &local_error);
  if (local_error == NULL && meta != NULL)
    self->version = g_strdup (roster_json_get_string (meta, "version", &local_error));
  if (local_error == NULL && (self->id == NULL || self->display_name == NULL))
    g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                         _("A group needs an id and a name"));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->team = g_strcmp0 (kind, "team") == 0;
  self->description = g_strdup (description != NULL ? description : "");
  self->permissions = roster_json_array_dup_strings (permissions);
  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonNode *node = json_array_get_element (members, i);
      const char *value, *display;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      value = roster_json_get_string (json_node_get_object (node), "value", NULL);
      display = roster_json_get_string (json_node_get_object (node), "display", NULL);
      if (value == NULL)
        continue;
      g_ptr_array_add (self->member_ids, g_strdup (value));
      g_ptr_array_add (self->member_displays, g_strdup (display != NULL ? display : ""));
    }
  return g_steal_pointer (&self);
}

const char *
roster_group_get_id (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  return self->id;
}

const char *
roster_group_get_display_name (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  return self->display_name;
}

gboolean
roster_group_get_is_team (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), FALSE);
  return self->team;
}

/**
 * roster_group_get_description:
 *
 * Returns: what the group is for, "" when it says nothing
 */
const char *
roster_group_get_description (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  return self->description;
}

/**
 * roster_group_get_permissions:
 *
 * Returns: (transfer none): the permissions every member has through the group
 */
const char *const *
roster_group_get_permissions (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  return (const char *const *) self->permissions;
}

gboolean
roster_group_has_permission (RosterGroup *self, const char *permission)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), FALSE);
  return g_strv_contains ((const char *const *) self->permissions, permission);
}

const char *
roster_group_get_version (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  return self->version;
}

guint
roster_group_get_n_members (RosterGroup *self)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), 0);
  return self->member_ids->len;
}

const char *
roster_group_get_member_id (RosterGroup *self, guint index)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  g_return_val_if_fail (index < self->member_ids->len, NULL);
  return g_ptr_array_index (self->member_ids, index);
}

const char *
roster_group_get_member_display (RosterGroup *self, guint index)
{
  g_return_val_if_fail (ROSTER_IS_GROUP (self), NULL);
  g_return_val_if_fail (index < self->member_displays->len, NULL);
  return g_ptr_array_index (self->member_displays, index);
}

/**
 * roster_group_new_create_body:
 *
 * Returns: (transfer full): the body of POST /Groups for an empty team or group
 */
JsonNode *
roster_group_new_create_body (const char *display_name, gboolean team)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_GROUP);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_ROSTER_GROUP);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, display_name);
  json_builder_set_member_name (builder, ROSTER_SCIM_SCHEMA_ROSTER_GROUP);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, team ? "team" : "group");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Opens a PatchOp's object and its Operations list. */
static void
begin_patch (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:scim:api:messages:2.0:PatchOp");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Operations");
  json_builder_begin_array (builder);
}

static void
add_replace (JsonBuilder *builder, const char *path)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, "replace");
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "value");
}

/**
 * roster_group_change_patch:
 * @display_name: (nullable): the new name, or %NULL to keep it
 * @kind: (nullable): "team" or "group", or %NULL to keep it
 * @description: (nullable): the new description, or %NULL to keep it
 * @permissions: (nullable): the permissions members get, or %NULL to keep them
 *
 * Returns: (transfer full): an RFC 7644 §3.5.2 PatchOp replacing what is not %NULL
 */
JsonNode *
roster_group_change_patch (const char *display_name, const char *kind, const char *description,
                           const char *const *permissions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *ext_strings[][2] = { { "kind", kind }, { "description", description } };

  begin_patch (builder);
  if (display_name != NULL)
    {
      add_replace (builder, "displayName");
      json_builder_add_string_value (builder, display_name);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ext_strings); i++)
    {
      g_autofree char *path = NULL;

      if (ext_strings[i][1] == NULL)
        continue;
      path = g_strconcat (ROSTER_SCIM_SCHEMA_ROSTER_GROUP ":", ext_strings[i][0], NULL);
      add_replace (builder, path);
      json_builder_add_string_value (builder, ext_strings[i][1]);
      json_builder_end_object (builder);
    }
  if (permissions != NULL)
    {
      add_replace (builder, ROSTER_SCIM_SCHEMA_ROSTER_GROUP ":permissions");
      json_builder_begin_array (builder);
      for (guint i = 0; permissions[i] != NULL; i++)
        json_builder_add_string_value (builder, permissions[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_group_member_patch:
 * @add: add @user_id to the members, else remove it
 *
 * Returns: (transfer full): the RFC 7644 §3.5.2 PatchOp for one member
 */
JsonNode *
roster_group_member_patch (const char *user_id, gboolean add)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GString) path = g_string_new ("members[value eq \"");

  for (const char *p = user_id; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (path, '\\');
      g_string_append_c (path, *p);
    }
  g_string_append (path, "\"]");

  begin_patch (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, add ? "add" : "remove");
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, add ? "members" : path->str);
  if (add)
    {
      json_builder_set_member_name (builder, "value");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, user_id);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
