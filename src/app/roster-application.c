/* roster-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-application.h"
#include "roster-window.h"

struct _RosterApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  RosterCredentials *credentials;
  RosterLocalServer *local_server;
  RosterServerList *servers;
};

G_DEFINE_FINAL_TYPE (RosterApplication, roster_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Roster developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Roster"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Manage the users of your CRM"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Close windows first so they save their state. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
  g_application_quit (G_APPLICATION (app));
}

static const GActionEntry app_entries[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

static void
roster_application_startup (GApplication *app)
{
  RosterApplication *self = ROSTER_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (roster_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  self->settings = g_settings_new (APP_ID);
  /* Moves the single server of older versions into the list, once. */
  self->servers = roster_server_list_new (self->settings);
  self->credentials = roster_credentials_new ();
  self->local_server = roster_local_server_new_default ();
}

static void
roster_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (roster_window_new (ROSTER_APPLICATION (app)));
  gtk_window_present (window);
}

static void
roster_application_shutdown (GApplication *app)
{
  RosterApplication *self = ROSTER_APPLICATION (app);

  /* Stops the private rosterd if this app started it. */
  if (self->local_server != NULL)
    roster_local_server_stop (self->local_server);
  g_clear_object (&self->local_server);
  g_clear_object (&self->servers);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (roster_application_parent_class)->shutdown (app);
}

static void
roster_application_class_init (RosterApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = roster_application_startup;
  app_class->activate = roster_application_activate;
  app_class->shutdown = roster_application_shutdown;
}

static void
roster_application_init (RosterApplication *self)
{
}

RosterApplication *
roster_application_new (void)
{
  return g_object_new (ROSTER_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", RESOURCE_BASE, NULL);
}

GSettings *
roster_application_get_settings (RosterApplication *self)
{
  g_return_val_if_fail (ROSTER_IS_APPLICATION (self), NULL);
  return self->settings;
}

RosterCredentials *
roster_application_get_credentials (RosterApplication *self)
{
  g_return_val_if_fail (ROSTER_IS_APPLICATION (self), NULL);
  return self->credentials;
}

RosterLocalServer *
roster_application_get_local_server (RosterApplication *self)
{
  g_return_val_if_fail (ROSTER_IS_APPLICATION (self), NULL);
  return self->local_server;
}

RosterServerList *
roster_application_get_servers (RosterApplication *self)
{
  g_return_val_if_fail (ROSTER_IS_APPLICATION (self), NULL);
  return self->servers;
}
