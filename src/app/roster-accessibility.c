/* roster-accessibility.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"

/* Names every icon-only button below @widget whose icon is in @icons (NULL-terminated pairs of
 * icon name and label). */
static void
name_icon_buttons (GtkWidget *widget, const char *const *icons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL)
        {
          const char *icon = gtk_button_get_icon_name (GTK_BUTTON (child));

          for (guint i = 0; icons[i] != NULL; i += 2)
            if (g_str_has_prefix (icon, icons[i]))
              gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              g_dgettext (GETTEXT_PACKAGE, icons[i + 1]), -1);
        }
      name_icon_buttons (child, icons);
    }
}

/**
 * roster_accessibility_name_password_row:
 *
 * libadwaita 1.2's entry rows have icon-only buttons without a name (the "show password"
 * toggle, the apply button), so a screen reader says "GtkImage". Give them one. The icon
 * keeps its name when the toggle flips, and so does the label.
 */
void
roster_accessibility_name_password_row (AdwPasswordEntryRow *row)
{
  static const char *const icons[] = {
    "view-reveal", N_("Show Password"),
    "view-conceal", N_("Show Password"),
    "adw-entry-apply", N_("Apply"),
    NULL,
  };

  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));
  name_icon_buttons (GTK_WIDGET (row), icons);
}

/**
 * roster_accessibility_name_entry_row:
 *
 * The same for an entry row with an apply button: it gets the name "Apply".
 */
void
roster_accessibility_name_entry_row (AdwEntryRow *row)
{
  static const char *const icons[] = {
    "adw-entry-apply", N_("Apply"),
    NULL,
  };

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));
  name_icon_buttons (GTK_WIDGET (row), icons);
}

static void
update_stack_pages (GtkStack *stack)
{
  GtkWidget *visible = gtk_stack_get_visible_child (stack);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != visible, -1);
}

static void
on_visible_child_cb (GtkStack *stack, GParamSpec *pspec, gpointer user_data)
{
  update_stack_pages (stack);
}

/**
 * roster_accessibility_track_stack:
 *
 * GTK 4.8 keeps a stack's hidden pages in the accessibility tree, so a screen reader (or a
 * test driving the app by name) finds the wizard's fields behind the user list. This marks
 * every page but the visible one hidden, now and whenever the page changes.
 */
void
roster_accessibility_track_stack (GtkStack *stack)
{
  g_return_if_fail (GTK_IS_STACK (stack));

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (on_visible_child_cb), NULL);
  update_stack_pages (stack);
}

/**
 * roster_accessibility_name_buttons:
 *
 * GTK 4.8 names a button whose label uses mnemonics "_Label Label": the name joins the
 * button's own label property (with the underscore) and the label it is labelled by.
 * libadwaita 1.2's message dialogs do this for every response. Each text button (and check
 * button) below @root gets its label, without the underscore, as its only name.
 */
void
roster_accessibility_name_buttons (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *label = GTK_IS_BUTTON (child)         ? gtk_button_get_label (GTK_BUTTON (child))
                          : GTK_IS_CHECK_BUTTON (child) ? gtk_check_button_get_label (
                                                            GTK_CHECK_BUTTON (child))
                                                        : NULL;

      if (label != NULL)
        {
          g_autoptr(GString) name = g_string_new (label);

          g_string_replace (name, "_", "", 0);
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (child),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          name->str, -1);
        }
      roster_accessibility_name_buttons (child);
    }
}

/**
 * roster_accessibility_set_invalid:
 *
 * Marks a form row as holding a value that cannot be saved, for the eye (the "error" style)
 * and for screen readers (the invalid state), or clears the mark.
 */
void
roster_accessibility_set_invalid (GtkWidget *row, gboolean invalid)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  if (invalid)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE
                                       : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}
