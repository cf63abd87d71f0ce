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

G_END_DECLS
