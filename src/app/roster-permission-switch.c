/* roster-permission-switch.c
 *
 * A row inside an expander row, titled and described as the catalogue (/Permissions) says,
 * with a switch the row names after the permission. The switch carries its permission ("permission"
 * data) and its expander ("expander" data), so that one handler serves every switch of a
 * page: roster_permission_switch_apply() says what the permissions become.
 * roster_permission_switch_add_catalogue() adds the whole catalogue, grouped by area under
 * headings (issue 5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-permission-switch.h"

/* Adds @permission's row to @expander; @active: whether it is granted now. */
static GtkSwitch *
switch_add (AdwExpanderRow *expander, const RosterPermissionDescription *permission,
            gboolean active)
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
 * roster_permission_switch_area_name:
 * @area: (nullable): a catalogue entry's area, e.g. "clients"
 *
 * Returns: (transfer full): what the area is called to the user: a translated name for the
 *   areas rosterd knows, the id capitalised for any other
 */
char *
roster_permission_switch_area_name (const char *area)
{
  static const struct
  {
    const char *area;
    const char *name;
  } names[] = {
    { "users", NC_ ("permission area", "Users") },
    { "roles", NC_ ("permission area", "Roles") },
    { "groups", NC_ ("permission area", "Teams and Groups") },
    { "audit", NC_ ("permission area", "Activity Log") },
    { "settings", NC_ ("permission area", "Settings") },
    { "photos", NC_ ("permission area", "Photos") },
    { "clients", NC_ ("permission area", "Clients") },
    { "orders", NC_ ("permission area", "Orders") },
    { "tasks", NC_ ("permission area", "Tasks") },
  };
  const char *rest;
  g_autofree char *first = NULL;

  if (area == NULL || *area == '\0')
    return g_strdup (C_ ("permission area", "Other"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].area, area))
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "permission area", names[i].name));
  rest = g_utf8_next_char (area);
  first = g_utf8_strup (area, rest - area);
  return g_strconcat (first, rest, NULL);
}

/* The heading is a header of the expander's list, not a row: the list's keyboard navigation
 * only visits rows, so arrows and Tab go from switch to switch past it. */
static void
on_heading_parent_cb (GtkWidget *heading, GParamSpec *pspec, GtkWidget *row)
{
  GtkWidget *list = gtk_widget_get_parent (heading);

  /* GtkListBox appends its headers to its children; assistive technology reads children in
   * order, so move the heading to just before its row. */
  if (list != NULL && list == gtk_widget_get_parent (row)
      && gtk_widget_get_next_sibling (heading) != row)
    gtk_widget_insert_before (heading, list, row);
}

static GtkWidget *
heading_new (GtkListBoxRow *row, const char *area)
{
  g_autofree char *name = roster_permission_switch_area_name (area);
  GtkWidget *heading
      = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING, "label", name,
                      "xalign", 0.0f, "wrap", TRUE, "focusable", FALSE, "margin-start", 12,
                      "margin-end", 12, "margin-top", 12, "margin-bottom", 6, NULL);

  gtk_widget_add_css_class (heading, "heading");
  g_signal_connect_object (heading, "notify::parent", G_CALLBACK (on_heading_parent_cb), row, 0);
  return heading;
}

static void
update_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  const char *area = g_object_get_data (G_OBJECT (row), "permission-area");
  const char *above
      = before != NULL ? g_object_get_data (G_OBJECT (before), "permission-area") : NULL;

  if (area == NULL || (above != NULL && g_str_equal (area, above)))
    {
      if (gtk_list_box_row_get_header (row) != NULL)
        gtk_list_box_row_set_header (row, NULL);
    }
  else if (gtk_list_box_row_get_header (row) == NULL)
    gtk_list_box_row_set_header (row, heading_new (row, area));
}

/**
 * roster_permission_switch_add_catalogue:
 * @catalogue: (element-type RosterPermissionDescription): the catalogue (/Permissions)
 * @granted: (nullable): the permissions granted now
 * @on_active: a handler for each switch's notify::active, connected with
 *   g_signal_connect_object() to @instance after the switch is set
 *
 * Adds a switch for each permission of @catalogue to @expander, grouped by area: the areas
 * in the order the catalogue first names them, each under a heading with the area's name
 * (roster_permission_switch_area_name()), its permissions in the catalogue's order.
 */
void
roster_permission_switch_add_catalogue (AdwExpanderRow *expander, GPtrArray *catalogue,
                                        const char *const *granted, GCallback on_active,
                                        gpointer instance)
{
  g_autoptr(GPtrArray) areas = g_ptr_array_new ();
  GtkWidget *list = NULL;

  g_return_if_fail (ADW_IS_EXPANDER_ROW (expander));

  for (guint i = 0; catalogue != NULL && i < catalogue->len; i++)
    {
      RosterPermissionDescription *permission = g_ptr_array_index (catalogue, i);
      const char *area = permission->area != NULL ? permission->area : "";

      if (!g_ptr_array_find_with_equal_func (areas, area, g_str_equal, NULL))
        g_ptr_array_add (areas, (gpointer) area);
    }

  for (guint a = 0; a < areas->len; a++)
    for (guint i = 0; i < catalogue->len; i++)
      {
        RosterPermissionDescription *permission = g_ptr_array_index (catalogue, i);
        const char *area = permission->area != NULL ? permission->area : "";
        GtkSwitch *toggle;
        GtkWidget *row;

        if (!g_str_equal (area, g_ptr_array_index (areas, a)))
          continue;
        toggle = switch_add (expander, permission,
                             granted != NULL && g_strv_contains (granted, permission->id));
        row = gtk_widget_get_ancestor (GTK_WIDGET (toggle), ADW_TYPE_ACTION_ROW);
        g_object_set_data_full (G_OBJECT (row), "permission-area", g_strdup (area), g_free);
        list = gtk_widget_get_parent (row);
        g_signal_connect_object (toggle, "notify::active", on_active, instance, 0);
      }

  /* The expander keeps its rows in a list; the headings are that list's headers. */
  if (GTK_IS_LIST_BOX (list))
    gtk_list_box_set_header_func (GTK_LIST_BOX (list), update_header, NULL, NULL);
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
