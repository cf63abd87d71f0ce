/* roster-ui-test.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Skips (exit 77, or a TAP plan of 0) where there is no display, instead of failing. */
static inline void
roster_ui_test_init (int *argc, char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      for (int i = 1; i < *argc; i++)
        if (g_str_equal ((*argv)[i], "--tap"))
          {
            g_print ("1..0 # SKIP no display\n");
            exit (0);
          }
      exit (77);
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* Puts @child in a window of its own and shows it. */
static inline GtkWindow *
roster_ui_test_window (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return window;
}

/* Every widget of @type below @root, depth first. */
static inline void
roster_ui_test_collect (GtkWidget *root, GType type, GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (out, child);
      roster_ui_test_collect (child, type, out);
    }
}

/* The first open window of @type (a dialog the widget under test opened), or %NULL. */
static inline gpointer
roster_ui_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }
  return NULL;
}

/* rosterd's catalogue as roster_ui_test_describe_permissions() sees it: grouped by area, the
 * areas in the order the catalogue first names them. "Manage photos" is in the users' area,
 * though the catalogue lists it after settings. */
#define ROSTER_UI_TEST_CATALOGUE_BY_AREA                                                        \
  "# Users|View users|Manage users|Manage roles|Manage teams and groups|Manage photos|"         \
  "# Activity Log|View the activity log|# Settings|Manage settings|"                           \
  "# Clients|View clients|Manage clients|# Orders|View orders|Manage orders|"                  \
  "# Tasks|View tasks|Manage tasks"

/* The permission switches of @expander's list as one line, in the order assistive technology
 * reads them: "# Heading" for an area's heading, the title for a permission's row, "|"
 * between; other rows are left out. Asserts the headings cannot take focus. */
static inline char *
roster_ui_test_describe_permissions (GtkWidget *expander)
{
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  GtkWidget *list;

  roster_ui_test_collect (expander, GTK_TYPE_SWITCH, switches);
  g_assert_cmpuint (switches->len, >, 0);
  /* The last switch is a permission's: the expander's own rows (a team's switch) come first. */
  list = gtk_widget_get_ancestor (switches->pdata[switches->len - 1], GTK_TYPE_LIST_BOX);
  g_assert_nonnull (g_object_get_data (switches->pdata[switches->len - 1], "permission"));
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(GPtrArray) inside = g_ptr_array_new ();

      if (GTK_IS_LABEL (child)
          && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child))
               == GTK_ACCESSIBLE_ROLE_HEADING)
        {
          g_assert_false (gtk_widget_get_focusable (child));
          g_string_append_printf (out, "%s# %s", out->len ? "|" : "",
                                  gtk_label_get_label (GTK_LABEL (child)));
          continue;
        }
      if (!ADW_IS_ACTION_ROW (child))
        continue;
      roster_ui_test_collect (child, GTK_TYPE_SWITCH, inside);
      if (inside->len == 1 && g_object_get_data (inside->pdata[0], "permission") != NULL)
        g_string_append_printf (out, "%s%s", out->len ? "|" : "",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The permission row titled @title inside @expander. */
static inline GtkWidget *
roster_ui_test_permission_row (GtkWidget *expander, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (expander, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_error ("no row “%s”", title);
}

/* From the row titled @above to the row titled @below, across an area's heading between them:
 * Down and Up (the list's move-cursor) and Tab from @above's switch each land on the other
 * row at once, never on the heading. @expander must be expanded. */
static inline void
roster_ui_test_assert_keys_cross_heading (GtkWidget *expander, const char *above,
                                          const char *below)
{
  GtkWidget *from = roster_ui_test_permission_row (expander, above);
  GtkWidget *to = roster_ui_test_permission_row (expander, below);
  GtkWidget *list = gtk_widget_get_parent (from);
  GtkRoot *root = gtk_widget_get_root (from);
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();

  g_assert_true (GTK_IS_LIST_BOX (list));
  g_assert_true (gtk_widget_grab_focus (from));
  g_signal_emit_by_name (list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, 1, FALSE, FALSE);
  g_assert_true (gtk_root_get_focus (root) == to);
  g_signal_emit_by_name (list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, -1, FALSE, FALSE);
  g_assert_true (gtk_root_get_focus (root) == from);

  /* Tab: from the row to its switch, then on to the next row. */
  roster_ui_test_collect (from, GTK_TYPE_SWITCH, switches);
  g_assert_true (gtk_widget_grab_focus (from));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (root) == switches->pdata[0]);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (root) == to);
}

G_END_DECLS
