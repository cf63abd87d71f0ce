/* roster-permission-switch.c
 *
 * A row inside an expander row, titled and described as the catalogue (/Permissions) says,
 * with a switch the row names after the permission. The switch carries its permission ("permission"
 * data) and its expander ("expander" data), so that one handler serves every switch of a
 * page: roster_permission_switch_apply() says what the permissions become.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include "roster-permission-switch.h"

/**
 * roster_permission_switch_add:
 * @active: whether the permission is granted now
 *
 * Adds @permission's row to @expander. Connect to the switch's notify::active after.
 *
 * Returns: (transfer none): the switch
 */
GtkSwitch *
roster_permission_switch_add (AdwExpanderRow *expander,
                              const RosterPermissionDescription *permission, gboolean active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), permission->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), permission->description);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  /* Named by the row: as its activatable widget it is labelled by the row's title, and a
   * label of its own GTK 4.8 would join to that ("View users View users"). */
  g_object_set_data_full (G_OBJECT (toggle), "permission", g_strdup (permission->id), g_free);
  g_object_set_data (G_OBJECT (toggle), "expander", expander);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_expander_row_add_row (expander, row);
  return GTK_SWITCH (toggle);
}

/**
 * roster_permission_switch_apply:
 * @current: the permissions granted before @toggle changed
 *
 * Returns: (transfer full): @current with @toggle's permission added or taken out
 */
GStrv
roster_permission_switch_apply (GtkSwitch *toggle, const char *const *current)
{
  const char *permission = g_object_get_data (G_OBJECT (toggle), "permission");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (permission != NULL, NULL);

  for (guint i = 0; current != NULL && current[i] != NULL; i++)
    if (!g_str_equal (current[i], permission))
      g_strv_builder_add (builder, current[i]);
  if (gtk_switch_get_active (toggle))
    g_strv_builder_add (builder, permission);
  return g_strv_builder_end (builder);
}
