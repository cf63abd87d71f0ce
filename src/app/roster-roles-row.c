/* roster-roles-row.c
 *
 * An expander row on the user page: its subtitle names the user's roles, and expanded it
 * has one check button per role on the server. Roles the user has that the list does not
 * know (yet) stay selected, shown by the name the user's resource gave them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-roles-row.h"

struct _RosterRolesRow
{
  AdwExpanderRow parent_instance;

  GPtrArray *rows;  /* AdwActionRow, one per role, with "role-id" data and a check button */
  GStrv ids;        /* what is selected */
  GStrv names;
  GCancellable *cancellable;
  gboolean populating;
};

G_DEFINE_FINAL_TYPE (RosterRolesRow, roster_roles_row, ADW_TYPE_EXPANDER_ROW)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_subtitle (RosterRolesRow *self)
{
  g_autofree char *joined = NULL;

  joined = self->names != NULL ? g_strjoinv (_(", "), self->names) : NULL;
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                 joined != NULL && *joined != '\0' ? joined : _("None"));
}

static void
sync_checks (RosterRolesRow *self)
{
  self->populating = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");
      const char *id = g_object_get_data (G_OBJECT (row), "role-id");

      gtk_check_button_set_active (check, self->ids != NULL
                                            && g_strv_contains ((const char *const *) self->ids,
                                                                id));
    }
  self->populating = FALSE;
  update_subtitle (self);
}

static void
on_check_toggled_cb (RosterRolesRow *self, GtkCheckButton *check)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) known = NULL;
  g_autoptr(GStrvBuilder) known_builder = g_strv_builder_new ();

  if (self->populating)
    return;
  /* Roles the list does not show stay as they were. */
  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (known_builder, g_object_get_data (G_OBJECT (self->rows->pdata[i]),
                                                          "role-id"));
  known = g_strv_builder_end (known_builder);
  for (guint i = 0; self->ids != NULL && self->ids[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) known, self->ids[i]))
      {
        g_strv_builder_add (ids, self->ids[i]);
        g_strv_builder_add (names, self->names[i]);
      }
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];

      if (gtk_check_button_get_active (g_object_get_data (G_OBJECT (row), "check")))
        {
          g_strv_builder_add (ids, g_object_get_data (G_OBJECT (row), "role-id"));
          g_strv_builder_add (names, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
        }
    }
  g_strfreev (self->ids);
  g_strfreev (self->names);
  self->ids = g_strv_builder_end (ids);
  self->names = g_strv_builder_end (names);
  update_subtitle (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * roster_roles_row_set_roles:
 * @roles: (element-type RosterRole): every role on the server
 */
void
roster_roles_row_set_roles (RosterRolesRow *self, GPtrArray *roles)
{
  g_return_if_fail (ROSTER_IS_ROLES_ROW (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; roles != NULL && i < roles->len; i++)
    {
      RosterRole *role = roles->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), roster_role_get_name (role));
      if (roster_role_get_description (role) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), roster_role_get_description (role));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      roster_role_get_name (role), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (row), "role-id", g_strdup (roster_role_get_id (role)),
                              g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->rows, row);
    }
  /* The list knows the roles' current names. */
  {
    g_auto(GStrv) ids = g_steal_pointer (&self->ids);
    g_auto(GStrv) names = g_steal_pointer (&self->names);

    roster_roles_row_set_selected (self, (const char *const *) ids, (const char *const *) names);
  }
}

static void
roles_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRolesRow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roles = roster_client_list_roles_finish (ROSTER_CLIENT (object), result,
                                                                &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (roles == NULL)
    {
      g_debug ("no roles to offer: %s", error->message);
      return;
    }
  roster_roles_row_set_roles (self, roles);
}

/**
 * roster_roles_row_set_client:
 *
 * Offers the roles of @client's server (GET /Roles).
 */
void
roster_roles_row_set_client (RosterRolesRow *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_ROLES_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (client != NULL)
    roster_client_list_roles_async (client, self->cancellable, roles_cb, self);
}

/**
 * roster_roles_row_set_selected:
 *
 * Shows the user's roles, without "changed".
 */
void
roster_roles_row_set_selected (RosterRolesRow *self, const char *const *ids,
                               const char *const *names)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();

  g_return_if_fail (ROSTER_IS_ROLES_ROW (self));

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const char *name = names != NULL ? names[i] : NULL;

      /* The role list knows the current name; the user's resource may not have one. */
      for (guint r = 0; r < self->rows->len; r++)
        if (g_strcmp0 (g_object_get_data (G_OBJECT (self->rows->pdata[r]), "role-id"), ids[i])
            == 0)
          name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->rows->pdata[r]));
      g_strv_builder_add (name_builder, name != NULL && *name != '\0' ? name : ids[i]);
    }
  g_strfreev (self->ids);
  g_strfreev (self->names);
  self->ids = g_strdupv ((GStrv) ids);
  self->names = g_strv_builder_end (name_builder);
  sync_checks (self);
}

/**
 * roster_roles_row_dup_selected:
 * @names: (out) (optional): their names
 *
 * Returns: (transfer full): the ids of the selected roles
 */
GStrv
roster_roles_row_dup_selected (RosterRolesRow *self, GStrv *names)
{
  g_return_val_if_fail (ROSTER_IS_ROLES_ROW (self), NULL);
  if (names != NULL)
    *names = g_strdupv (self->names);
  return g_strdupv (self->ids);
}

static void
roster_roles_row_dispose (GObject *object)
{
  RosterRolesRow *self = ROSTER_ROLES_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->ids, g_strfreev);
  g_clear_pointer (&self->names, g_strfreev);
  G_OBJECT_CLASS (roster_roles_row_parent_class)->dispose (object);
}

static void
roster_roles_row_class_init (RosterRolesRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_roles_row_dispose;

  /**
   * RosterRolesRow::changed:
   *
   * A role was checked or unchecked.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
roster_roles_row_init (RosterRolesRow *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Roles"));
  update_subtitle (self);
}

GtkWidget *
roster_roles_row_new (void)
{
  return g_object_new (ROSTER_TYPE_ROLES_ROW, NULL);
}
