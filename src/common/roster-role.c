/* roster-role.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-error.h"
#include "roster-role.h"
#include "roster-scim.h"

struct _RosterRole
{
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  char *version;
  GStrv permissions;
};

G_DEFINE_FINAL_TYPE (RosterRole, roster_role, G_TYPE_OBJECT)

static void
roster_role_finalize (GObject *object)
{
  RosterRole *self = (RosterRole *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->version);
  g_strfreev (self->permissions);

  G_OBJECT_CLASS (roster_role_parent_class)->finalize (object);
}

static void
roster_role_class_init (RosterRoleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_role_finalize;
}

static void
roster_role_init (RosterRole *self)
{
}

/**
 * roster_role_new_from_json:
 *
 * Reads a Role as /Roles sends it; members of the wrong type are %ROSTER_ERROR_PROTOCOL's
 * business of the caller, reported here as %ROSTER_ERROR_INVALID_VALUE.
 *
 * Returns: (transfer full): the role, or %NULL with @error set
 */
RosterRole *
roster_role_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterRole) self = g_object_new (ROSTER_TYPE_ROLE, NULL);
  g_autoptr(GError) local_error = NULL;
  JsonObject *meta;
  JsonArray *array;

  self->id = g_strdup (roster_json_get_string (object, "id", &local_error));
  if (local_error == NULL)
    self->name = g_strdup (roster_json_get_string (object, "name", &local_error));
  if (local_error == NULL)
    self->description = g_strdup (roster_json_get_string (object, "description", &local_error));
  array = local_error == NULL ? roster_json_get_array (object, "permissions", &local_error) : NULL;
  meta = local_error == NULL ? roster_json_get_object (object, "meta", &local_error) : NULL;
  if (meta != NULL)
    self->version = g_strdup (roster_json_get_string (meta, "version", &local_error));
  if (local_error == NULL && (self->id == NULL || self->name == NULL))
    g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                         _("A role needs an id and a name"));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->permissions = roster_json_array_dup_strings (array);
  return g_steal_pointer (&self);
}

const char *
roster_role_get_id (RosterRole *self)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), NULL);
  return self->id;
}

const char *
roster_role_get_name (RosterRole *self)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), NULL);
  return self->name;
}

const char *
roster_role_get_description (RosterRole *self)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), NULL);
  return self->description;
}

const char *const *
roster_role_get_permissions (RosterRole *self)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), NULL);
  return (const char *const *) self->permissions;
}

gboolean
roster_role_has_permission (RosterRole *self, const char *permission)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), FALSE);
  return g_strv_contains ((const char *const *) self->permissions, permission);
}

const char *
roster_role_get_version (RosterRole *self)
{
  g_return_val_if_fail (ROSTER_IS_ROLE (self), NULL);
  return self->version;
}

/**
 * roster_role_new_create_body:
 * @description: (nullable)
 *
 * Returns: (transfer full): the body of POST /Roles for a role without permissions
 */
JsonNode *
roster_role_new_create_body (const char *name, const char *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_ROLE);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  if (description != NULL && *description != '\0')
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_role_permissions_patch:
 *
 * Returns: (transfer full): a PatchOp replacing the role's permissions with @permissions
 */
JsonNode *
roster_role_permissions_patch (const char *const *permissions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:scim:api:messages:2.0:PatchOp");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Operations");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, "replace");
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, "permissions");
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  for (guint i = 0; permissions != NULL && permissions[i] != NULL; i++)
    json_builder_add_string_value (builder, permissions[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_permission_description_new_from_json:
 *
 * Returns: (transfer full): one catalogue entry, or %NULL with @error set
 */
RosterPermissionDescription *
roster_permission_description_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterPermissionDescription) self = g_new0 (RosterPermissionDescription, 1);
  g_autoptr(GError) local_error = NULL;

  self->id = g_strdup (roster_json_get_string (object, "id", &local_error));
  if (local_error == NULL)
    self->name = g_strdup (roster_json_get_string (object, "name", &local_error));
  if (local_error == NULL)
    self->description = g_strdup (roster_json_get_string (object, "description", &local_error));
  if (local_error == NULL)
    self->area = g_strdup (roster_json_get_string (object, "area", &local_error));
  if (local_error == NULL && self->id == NULL)
    g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                         _("A permission needs an id"));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (self->name == NULL)
    self->name = g_strdup (self->id);
  return g_steal_pointer (&self);
}

void
roster_permission_description_free (RosterPermissionDescription *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->area);
  g_free (self);
}
