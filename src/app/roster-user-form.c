/* roster-user-form.c: what the user page's sections share: code pickers and field errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-user-form.h"

/* Offers every language or country by name, "Not Set" first, and selects @current. A code
 * the list does not know stays offered as it is, so nothing is lost by showing it. */
/**
 * roster_user_form_fill_combo:
 * @iso: (nullable): the names, or %NULL while they load
 */
void
roster_user_form_fill_combo (RosterIsoCodes *iso, AdwComboRow *row, RosterIsoKind kind,
                             const char *current)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  guint n = iso != NULL ? roster_iso_codes_get_n_items (iso, kind) : 0;
  guint selected = 0;

  /* Translators: the choice of no language or no country */
  gtk_string_list_append (names, _("Not Set"));
  g_ptr_array_add (codes, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *code = roster_iso_codes_get_code (iso, kind, i);
      gboolean is_current = current != NULL && g_ascii_strcasecmp (code, current) == 0;

      gtk_string_list_append (names, roster_iso_codes_get_name (iso, kind, i));
      /* The stored spelling ("de-de" or "DE"), so showing it is not a change. */
      g_ptr_array_add (codes, g_strdup (is_current ? current : code));
      if (is_current)
        selected = i + 1;
    }
  if (current != NULL && *current != '\0' && selected == 0)
    {
      gtk_string_list_append (names, current);
      g_ptr_array_add (codes, g_strdup (current));
      selected = codes->len - 1;
    }
  g_object_set_data_full (G_OBJECT (row), "codes", g_ptr_array_ref (codes),
                          (GDestroyNotify) g_ptr_array_unref);
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
}

const char *
roster_user_form_combo_code (AdwComboRow *row)
{
  GPtrArray *codes = g_object_get_data (G_OBJECT (row), "codes");
  guint selected = adw_combo_row_get_selected (row);

  return codes != NULL && selected < codes->len ? codes->pdata[selected] : NULL;
}

/* Marks @row invalid, with @message (or clears it): the row's style and accessible state, and
 * a warning icon beside the field whose tooltip and accessible description say why. */
void
roster_user_form_set_error (GtkWidget *row, const char *message)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "error-icon");

  roster_accessibility_set_invalid (row, message != NULL);
  if (icon == NULL && message != NULL)
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      if (ADW_IS_ENTRY_ROW (row))
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "error-icon", icon);
    }
  if (icon != NULL)
    {
      gtk_widget_set_visible (icon, message != NULL);
      gtk_widget_set_tooltip_text (icon, message);
    }
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

