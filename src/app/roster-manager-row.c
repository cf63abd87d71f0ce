/* roster-manager-row.c
 *
 * The primary and the secondary manager on the user page: the manager's name as the
 * subtitle, "Choose…" opening a RosterUserPicker, and a button to remove the manager.
 * Choosing changes only the row; the page reads it into the edited user on "changed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-manager-row.h"
#include "roster-user-picker.h"

struct _RosterManagerRow
{
  AdwActionRow parent_instance;

  RosterClient *client;
  char *user_id;
  char *user_name;
  char *exclude_id;
  GtkWidget *choose_button;
  GtkWidget *clear_button;
};

G_DEFINE_FINAL_TYPE (RosterManagerRow, roster_manager_row, ADW_TYPE_ACTION_ROW)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update (RosterManagerRow *self)
{
  const char *shown = self->user_name != NULL ? self->user_name : self->user_id;

  /* Translators: shown for a field that has no value */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), shown != NULL ? shown : _("Not set"));
  gtk_widget_set_visible (self->clear_button, self->user_id != NULL);
}

/**
 * roster_manager_row_set_manager:
 * @id: (nullable): the manager's user id, or %NULL for none
 * @name: (nullable): what to call them
 *
 * Shows a manager without counting it as a change (no "changed").
 */
void
roster_manager_row_set_manager (RosterManagerRow *self, const char *id, const char *name)
{
  g_return_if_fail (ROSTER_IS_MANAGER_ROW (self));

  if (id != NULL && *id == '\0')
    id = NULL;
  g_free (self->user_id);
  g_free (self->user_name);
  self->user_id = g_strdup (id);
  self->user_name = id != NULL ? g_strdup (name) : NULL;
  update (self);
}

static void
on_chosen_cb (RosterManagerRow *self, RosterUser *user, RosterUserPicker *picker)
{
  roster_manager_row_set_manager (self, roster_user_get_id (user), roster_user_get_title (user));
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * roster_manager_row_choose:
 *
 * Opens the user picker, as "Choose…" does.
 *
 * Returns: (transfer none) (nullable): the picker
 */
GtkWindow *
roster_manager_row_choose (RosterManagerRow *self)
{
  RosterUserPicker *picker;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ROSTER_IS_MANAGER_ROW (self), NULL);
  if (self->client == NULL)
    return NULL;
  /* Translators: the title of the user picker, e.g. "Choose the Primary Manager" */
  title = g_strdup_printf (_("Choose: %s"),
                           adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  picker = roster_user_picker_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   self->client, title, self->exclude_id);
  g_signal_connect_object (picker, "chosen", G_CALLBACK (on_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_WINDOW (picker);
}

static void
on_choose_clicked_cb (RosterManagerRow *self)
{
  roster_manager_row_choose (self);
}

static void
on_clear_clicked_cb (RosterManagerRow *self)
{
  roster_manager_row_set_manager (self, NULL, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
roster_manager_row_dispose (GObject *object)
{
  RosterManagerRow *self = ROSTER_MANAGER_ROW (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->exclude_id, g_free);
  G_OBJECT_CLASS (roster_manager_row_parent_class)->dispose (object);
}

static void
roster_manager_row_class_init (RosterManagerRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_manager_row_dispose;

  /**
   * RosterManagerRow::changed:
   *
   * Another manager was chosen, or the manager was removed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* The buttons' names say which manager they choose or remove. */
static void
on_title_notify_cb (RosterManagerRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  g_autofree char *choose = NULL;
  g_autofree char *clear = NULL;

  /* Translators: the accessible name of a button, e.g. "Choose Primary Manager" */
  choose = g_strdup_printf (_("Choose %s"), title);
  /* Translators: the accessible name of a button, e.g. "Remove Primary Manager" */
  clear = g_strdup_printf (_("Remove %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, choose, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->clear_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, clear, -1);
  gtk_widget_set_tooltip_text (self->clear_button, clear);
}

static void
roster_manager_row_init (RosterManagerRow *self)
{
  self->clear_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (self->clear_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->clear_button, "flat");
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (on_clear_clicked_cb),
                            self);
  self->choose_button = gtk_button_new_with_label (_("Choose…"));
  gtk_widget_set_valign (self->choose_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->choose_button, "clicked", G_CALLBACK (on_choose_clicked_cb),
                            self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->clear_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->choose_button);
  g_signal_connect (self, "notify::title", G_CALLBACK (on_title_notify_cb), NULL);
  update (self);
}

GtkWidget *
roster_manager_row_new (const char *title)
{
  return g_object_new (ROSTER_TYPE_MANAGER_ROW, "title", title, NULL);
}

void
roster_manager_row_set_client (RosterManagerRow *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_MANAGER_ROW (self));
  g_set_object (&self->client, client);
}

void
roster_manager_row_set_exclude_id (RosterManagerRow *self, const char *id)
{
  g_return_if_fail (ROSTER_IS_MANAGER_ROW (self));
  g_free (self->exclude_id);
  self->exclude_id = g_strdup (id);
}

const char *
roster_manager_row_get_user_id (RosterManagerRow *self)
{
  g_return_val_if_fail (ROSTER_IS_MANAGER_ROW (self), NULL);
  return self->user_id;
}

const char *
roster_manager_row_get_user_name (RosterManagerRow *self)
{
  g_return_val_if_fail (ROSTER_IS_MANAGER_ROW (self), NULL);
  return self->user_name;
}
