/* roster-servers-dialog.c
 *
 * Lists the servers of a #RosterServerList, each with its name, address and the username
 * signed in there; the current one has a check mark. Activating a row asks to switch to it
 * (::switch-requested), its Remove button to remove it (::remove-requested: the window asks
 * first and does it), and "Add Server…" runs the wizard's server step (::add-requested). The
 * dialog only asks; the window owns what happens, and closes the dialog where it should.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-servers-dialog.h"

struct _RosterServersDialog
{
  AdwWindow parent_instance;

  RosterServerList *servers;

  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (RosterServersDialog, roster_servers_dialog, ADW_TYPE_WINDOW)

enum
{
  SWITCH_REQUESTED,
  REMOVE_REQUESTED,
  ADD_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe (RosterServer *server)
{
  const char *user_name = roster_server_get_user_name (server);
  const char *where
      = roster_server_get_local (server) ? _("this computer") : roster_server_get_url (server);

  if (*user_name == '\0')
    /* Translators: %s is a server's address; nobody has signed in there yet */
    return g_strdup_printf (_("%s · not signed in"), where);
  /* Translators: the first %s is a username, the second a server's address */
  return g_strdup_printf (_("%s on %s"), user_name, where);
}

static void
on_remove_clicked_cb (GtkButton *button, RosterServersDialog *self)
{
  RosterServer *server = g_object_get_data (G_OBJECT (button), "server");

  g_signal_emit (self, signals[REMOVE_REQUESTED], 0, server);
}

static void
on_row_activated_cb (AdwActionRow *row, RosterServersDialog *self)
{
  RosterServer *server = g_object_get_data (G_OBJECT (row), "server");

  g_signal_emit (self, signals[SWITCH_REQUESTED], 0, server);
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  RosterServersDialog *self = user_data;
  RosterServer *server = item;
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *subtitle = describe (server);
  g_autofree char *remove_name = NULL;
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gboolean current = roster_server_list_get_current (self->servers) == server;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), roster_server_get_title (server));
  adw_action_row_set_subtitle (row, subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "server", g_object_ref (server), g_object_unref);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated_cb), self, 0);

  /* The check mark says which server is shown; for a screen reader too. */
  gtk_widget_set_opacity (check, current ? 1.0 : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  current ? _("Current server") : "", -1);
  if (!current)
    gtk_accessible_update_state (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (row, check);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  /* Translators: %s is a server's name, e.g. "crm.example.com" */
  remove_name = g_strdup_printf (_("Remove %s"), roster_server_get_title (server));
  gtk_widget_set_tooltip_text (remove, remove_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_name, -1);
  g_object_set_data_full (G_OBJECT (remove), "server", g_object_ref (server), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (row, remove);
  return GTK_WIDGET (row);
}

/* Rows show whether they are current: rebuild them when that changes. */
static void
rebind (RosterServersDialog *self)
{
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->servers), create_row, self, NULL);
}

static void
on_current_notify_cb (RosterServersDialog *self)
{
  rebind (self);
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[ADD_REQUESTED], 0);
}

static void
roster_servers_dialog_dispose (GObject *object)
{
  RosterServersDialog *self = ROSTER_SERVERS_DIALOG (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_clear_object (&self->servers);
  G_OBJECT_CLASS (roster_servers_dialog_parent_class)->dispose (object);
}

static void
roster_servers_dialog_class_init (RosterServersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_servers_dialog_dispose;

  /**
   * RosterServersDialog::switch-requested:
   * @server: the server the user chose
   */
  signals[SWITCH_REQUESTED]
      = g_signal_new ("switch-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_SERVER);
  /**
   * RosterServersDialog::remove-requested:
   * @server: the server whose Remove button was pressed
   */
  signals[REMOVE_REQUESTED]
      = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_SERVER);
  /**
   * RosterServersDialog::add-requested:
   *
   * "Add Server…" was pressed.
   */
  signals[ADD_REQUESTED] = g_signal_new ("add-requested", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-servers-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterServersDialog, list_box);
  gtk_widget_class_install_action (widget_class, "servers.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
roster_servers_dialog_init (RosterServersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RosterServersDialog *
roster_servers_dialog_new (GtkWindow *parent, RosterServerList *servers)
{
  RosterServersDialog *self;

  g_return_val_if_fail (ROSTER_IS_SERVER_LIST (servers), NULL);

  self = g_object_new (ROSTER_TYPE_SERVERS_DIALOG, "transient-for", parent, NULL);
  self->servers = g_object_ref (servers);
  g_signal_connect_object (servers, "notify::current", G_CALLBACK (on_current_notify_cb), self,
                           G_CONNECT_SWAPPED);
  rebind (self);
  return self;
}
