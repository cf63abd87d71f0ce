/* roster-user-access-group.c
 *
 * What a user may do, and why: the groups and teams they are in (read-only: members are
 * edited on the Teams & Groups page), the permissions given to them alone (entitlements, one
 * switch per permission of the server's /Permissions catalogue), and every permission they
 * have with where it comes from (the Roster extension's effectivePermissions, read-only).
 * Effective permissions are the server's view of the saved user: they change after a save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-group.h"
#include "roster-role.h"
#include "roster-user-access-group.h"

struct _RosterUserAccessGroup
{
  AdwPreferencesGroup parent_instance;

  GPtrArray *catalogue; /* RosterPermissionDescription */
  GPtrArray *groups;    /* RosterGroup: to tell teams from groups */
  RosterUser *user;
  GCancellable *cancellable;
  gboolean populating;

  AdwExpanderRow *groups_row;
  AdwExpanderRow *permissions_row;
  AdwExpanderRow *effective_row;
  GPtrArray *children; /* (row, parent) pairs to remove on the next fill */
  GPtrArray *switches; /* GtkSwitch with "permission-id" data */
};

G_DEFINE_FINAL_TYPE (RosterUserAccessGroup, roster_user_access_group, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const RosterPermissionDescription *
find_permission (RosterUserAccessGroup *self, const char *id)
{
  for (guint i = 0; self->catalogue != NULL && i < self->catalogue->len; i++)
    if (g_strcmp0 (((RosterPermissionDescription *) self->catalogue->pdata[i])->id, id) == 0)
      return self->catalogue->pdata[i];
  return NULL;
}

static GtkWidget *
add_row (RosterUserAccessGroup *self, AdwExpanderRow *parent, const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (parent, row);
  g_ptr_array_add (self->children, row);
  g_ptr_array_add (self->children, parent);
  return row;
}

static void
on_switch_active_cb (RosterUserAccessGroup *self, GParamSpec *pspec, GtkSwitch *sw)
{
  if (!self->populating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
fill (RosterUserAccessGroup *self)
{
  RosterUser *user = self->user;
  const char *const *group_ids, *const *group_names, *const *effective;
  guint n;
  g_autofree char *count = NULL;

  for (guint i = 0; i < self->children->len; i += 2)
    adw_expander_row_remove (self->children->pdata[i + 1], self->children->pdata[i]);
  g_ptr_array_set_size (self->children, 0);
  g_ptr_array_set_size (self->switches, 0);
  if (user == NULL)
    return;

  self->populating = TRUE;
  group_ids = roster_user_get_group_ids (user);
  group_names = roster_user_get_group_names (user);
  for (n = 0; group_ids[n] != NULL; n++)
    {
      const char *kind = NULL;

      for (guint g = 0; self->groups != NULL && g < self->groups->len; g++)
        if (g_strcmp0 (roster_group_get_id (self->groups->pdata[g]), group_ids[n]) == 0)
          kind = roster_group_get_is_team (self->groups->pdata[g]) ? _("Team") : _("Group");
      add_row (self, self->groups_row, *group_names[n] ? group_names[n] : group_ids[n], kind);
    }
  adw_expander_row_set_subtitle (self->groups_row, n == 0 ? _("None") : "");
  if (n > 0)
    {
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group or team",
                                            "%u groups or teams", n), n);
      adw_expander_row_set_subtitle (self->groups_row, count);
      g_clear_pointer (&count, g_free);
    }

  for (guint i = 0; self->catalogue != NULL && i < self->catalogue->len; i++)
    {
      RosterPermissionDescription *permission = self->catalogue->pdata[i];
      GtkWidget *row = add_row (self, self->permissions_row, permission->name,
                                permission->description);
      GtkWidget *sw = gtk_switch_new ();

      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), roster_user_has_entitlement (user, permission->id));
      /* Named by the row, as its activatable widget (see roster-permission-switch.c). */
      g_object_set_data_full (G_OBJECT (sw), "permission-id", g_strdup (permission->id), g_free);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_active_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_ptr_array_add (self->switches, sw);
    }
  n = g_strv_length ((GStrv) roster_user_get_entitlements (user));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u given to this user alone",
                                        "%u given to this user alone", n), n);
  adw_expander_row_set_subtitle (self->permissions_row, count);
  g_clear_pointer (&count, g_free);

  effective = roster_user_get_effective_permissions (user);
  for (n = 0; effective[n] != NULL; n++)
    {
      const RosterPermissionDescription *permission = find_permission (self, effective[n]);
      g_autofree char *sources = roster_user_dup_permission_sources (user, effective[n]);

      add_row (self, self->effective_row, permission != NULL ? permission->name : effective[n],
               sources);
    }
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u permission", "%u permissions", n),
                           n);
  adw_expander_row_set_subtitle (self->effective_row, count);
  self->populating = FALSE;
}

/**
 * roster_user_access_group_set_catalogue:
 * @permissions: (element-type RosterPermissionDescription): the server's /Permissions
 */
void
roster_user_access_group_set_catalogue (RosterUserAccessGroup *self, GPtrArray *permissions)
{
  g_return_if_fail (ROSTER_IS_USER_ACCESS_GROUP (self));
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  self->catalogue = permissions != NULL ? g_ptr_array_ref (permissions) : NULL;
  fill (self);
}

/**
 * roster_user_access_group_set_groups:
 * @groups: (element-type RosterGroup): the server's /Groups, to tell teams from groups
 */
void
roster_user_access_group_set_groups (RosterUserAccessGroup *self, GPtrArray *groups)
{
  g_return_if_fail (ROSTER_IS_USER_ACCESS_GROUP (self));
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  self->groups = groups != NULL ? g_ptr_array_ref (groups) : NULL;
  fill (self);
}

static void
permissions_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserAccessGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) permissions = roster_client_list_permissions_finish (
    ROSTER_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (permissions == NULL)
    g_debug ("no permission catalogue: %s", error->message);
  else
    roster_user_access_group_set_catalogue (self, permissions);
}

static void
groups_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserAccessGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = roster_client_list_groups_finish (ROSTER_CLIENT (object), result,
                                                                  &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (groups == NULL)
    g_debug ("no groups: %s", error->message);
  else
    roster_user_access_group_set_groups (self, groups);
}

/**
 * roster_user_access_group_set_client:
 *
 * Fetches the permission catalogue (GET /Permissions) and the groups (GET /Groups) of
 * @client's server.
 */
void
roster_user_access_group_set_client (RosterUserAccessGroup *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_USER_ACCESS_GROUP (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (client == NULL)
    return;
  roster_client_list_permissions_async (client, self->cancellable, permissions_cb, self);
  roster_client_list_groups_async (client, self->cancellable, groups_cb, self);
}

/**
 * roster_user_access_group_show_user:
 *
 * Shows @user's access, without "changed".
 */
void
roster_user_access_group_show_user (RosterUserAccessGroup *self, RosterUser *user)
{
  g_return_if_fail (ROSTER_IS_USER_ACCESS_GROUP (self));
  g_set_object (&self->user, user);
  fill (self);
}

/**
 * roster_user_access_group_dup_entitlements:
 *
 * Returns: (transfer full): the permissions switched on, and those the user has that the
 *   catalogue does not list
 */
GStrv
roster_user_access_group_dup_entitlements (RosterUserAccessGroup *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *const *had;

  g_return_val_if_fail (ROSTER_IS_USER_ACCESS_GROUP (self), NULL);
  had = self->user != NULL ? roster_user_get_entitlements (self->user) : NULL;
  for (guint i = 0; had != NULL && had[i] != NULL; i++)
    if (find_permission (self, had[i]) == NULL)
      g_strv_builder_add (builder, had[i]);
  for (guint i = 0; i < self->switches->len; i++)
    if (gtk_switch_get_active (self->switches->pdata[i]))
      g_strv_builder_add (builder,
                          g_object_get_data (G_OBJECT (self->switches->pdata[i]), "permission-id"));
  return g_strv_builder_end (builder);
}

static void
roster_user_access_group_dispose (GObject *object)
{
  RosterUserAccessGroup *self = ROSTER_USER_ACCESS_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->switches, g_ptr_array_unref);
  g_clear_object (&self->user);
  G_OBJECT_CLASS (roster_user_access_group_parent_class)->dispose (object);
}

static void
roster_user_access_group_class_init (RosterUserAccessGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_user_access_group_dispose;

  /**
   * RosterUserAccessGroup::changed:
   *
   * A per-user permission was switched on or off.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static AdwExpanderRow *
new_expander (RosterUserAccessGroup *self, const char *title)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  return ADW_EXPANDER_ROW (row);
}

static void
roster_user_access_group_init (RosterUserAccessGroup *self)
{
  self->children = g_ptr_array_new ();
  self->switches = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Access"));
  self->groups_row = new_expander (self, _("Groups and Teams"));
  self->permissions_row = new_expander (self, _("Permissions for This User"));
  self->effective_row = new_expander (self, _("Effective Permissions"));
}
