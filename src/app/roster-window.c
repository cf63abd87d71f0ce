/* roster-window.c: the main window, and how it gets to a signed-in user list
 *
 * On start the window reads the current server of the server list (GSettings). None yet:
 * the setup wizard. The local one: start or reuse the private rosterd. Then it looks the
 * session token up in the keyring and shows the users; without a valid token it shows the
 * sign-in page. A token the server refuses later (::session-expired, a 401 from any call)
 * leads back to sign-in for that server, keeping what the pages hold, and a server that stops
 * answering shows the strip with Retry. The primary menu's "Servers" opens the account
 * switcher: add a server (the wizard's server step), switch (a new client, every page
 * reloaded), remove (asked first; its secrets go, and its private rosterd stops).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-add-users-dialog.h"

#include "roster-client.h"
#include "roster-error.h"
#include "roster-activity-page.h"
#include "roster-groups-page.h"
#include "roster-recently-deleted-dialog.h"
#include "roster-roles-page.h"
#include "roster-servers-dialog.h"
#include "roster-setup-wizard.h"
#include "roster-sign-in-page.h"
#include "roster-user-list-page.h"
#include "roster-user-page.h"
#include "roster-user-pager.h"
#include "roster-window.h"

struct _RosterWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  RosterCredentials *credentials;
  RosterLocalServer *local_server;
  RosterServerList *servers;
  RosterClient *client;
  GCancellable *cancellable;
  gboolean keyring_notice_shown;
  gboolean resume_after_sign_in; /* the session ended under the open pages: keep them */
  RosterServersDialog *servers_dialog;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *connecting_status;
  GtkSpinner *connecting_spinner;
  GtkButton *connecting_retry_button;
  RosterSetupWizard *setup_wizard;
  RosterSignInPage *sign_in_page;
  AdwViewStack *view_stack;
  RosterRolesPage *roles_page;
  RosterGroupsPage *groups_page;
  RosterActivityPage *activity_page;
  AdwLeaflet *leaflet;
  GtkWidget *leaflet_separator;
  RosterUserListPage *user_list_page;
  RosterUserPage *user_page;
};

G_DEFINE_FINAL_TYPE (RosterWindow, roster_window, ADW_TYPE_APPLICATION_WINDOW)

static void connect_server (RosterWindow *self);

static void
toast (RosterWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Returns: (transfer none) (nullable): the server shown, or none (the setup wizard) */
static RosterServer *
current_server (RosterWindow *self)
{
  return roster_server_list_get_current (self->servers);
}

static gboolean
current_is_local (RosterWindow *self)
{
  RosterServer *server = current_server (self);

  return server != NULL && roster_server_get_local (server);
}

static char *
server_id (RosterWindow *self)
{
  RosterServer *server = current_server (self);

  return g_strdup (server != NULL ? roster_server_get_id (server) : "");
}

/* Switches the stack. Focus leaves the old page first: a GtkText unmapped while focused
 * warns that it "did not receive a focus-out event". */
static void
show_page (RosterWindow *self, const char *name)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), name) == 0)
    return;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
show_connecting (RosterWindow *self, const char *title, const char *failure)
{
  adw_status_page_set_title (self->connecting_status, title);
  adw_status_page_set_description (self->connecting_status, failure);
  gtk_spinner_set_spinning (self->connecting_spinner, failure == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->connecting_spinner), failure == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->connecting_retry_button), failure != NULL);
  show_page (self, "connecting");
}

static gboolean
showing_users (RosterWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "users") == 0;
}

static void
show_users (RosterWindow *self)
{
  g_autoptr(RosterUserPager) pager = roster_user_pager_new (self->client);
  RosterServer *server = current_server (self);

  roster_user_page_set_client (self->user_page, self->client);
  /* Whose permissions say what the user page offers (photos). */
  roster_user_page_set_signed_in_user_name (self->user_page,
                                            server != NULL ? roster_server_get_user_name (server)
                                                           : NULL);
  roster_roles_page_set_client (self->roles_page, self->client);
  roster_groups_page_set_client (self->groups_page, self->client);
  roster_activity_page_set_client (self->activity_page, self->client);
  roster_user_list_page_set_pager (self->user_list_page, pager);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->user_list_page));
  show_page (self, "users");
}

static void
on_leaflet_folded_cb (RosterWindow *self, GParamSpec *pspec, AdwLeaflet *leaflet)
{
  gboolean folded = adw_leaflet_get_folded (leaflet);

  roster_user_list_page_set_folded (self->user_list_page, folded);
  roster_user_page_set_folded (self->user_page, folded);
}

static void
on_user_list_page_selected_user_cb (RosterWindow *self, GParamSpec *pspec,
                                    RosterUserListPage *page)
{
  RosterUser *user = roster_user_list_page_get_selected_user (page);

  roster_user_page_show_user (self->user_page, user);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-user", user != NULL);
  if (user != NULL)
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->user_page));
}

static void
on_user_page_saved_cb (RosterWindow *self, RosterUser *user, RosterUserPage *page)
{
  RosterUser *listed = roster_user_list_page_get_selected_user (self->user_list_page);

  /* The list shows the saved values at once; its next refresh brings the rest. */
  if (listed != NULL && g_strcmp0 (roster_user_get_id (listed), roster_user_get_id (user)) == 0)
    roster_user_update_from (listed, user);
  toast (self, _("Changes saved"));
}

static void
on_user_page_action_done_cb (RosterWindow *self, RosterUser *user, const char *message,
                             RosterUserPage *page)
{
  RosterUser *listed = roster_user_list_page_get_selected_user (self->user_list_page);

  if (listed != NULL && g_strcmp0 (roster_user_get_id (listed), roster_user_get_id (user)) == 0)
    roster_user_update_from (listed, user);
  toast (self, message);
}

static void
on_user_page_created_cb (RosterWindow *self, RosterUser *user, RosterUserPage *page)
{
  g_autofree char *message = NULL;

  roster_user_list_page_refresh (self->user_list_page);
  /* Translators: %s is the new user's name */
  message = g_strdup_printf (_("%s was created"), roster_user_get_title (user));
  toast (self, message);
}

static void
new_user_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  if (!showing_users (self))
    return;
  roster_user_page_new_user (self->user_page, NULL);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->user_page));
}

static void
on_several_created_cb (RosterAddUsersDialog *dialog, guint n, RosterWindow *self)
{
  roster_user_list_page_refresh (self->user_list_page);
}

static void
add_several_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterAddUsersDialog *dialog;

  if (!showing_users (self) || self->client == NULL)
    return;
  dialog = roster_add_users_dialog_new (GTK_WINDOW (self), self->client,
                                        ROSTER_ADD_USERS_MAX_ROWS);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_several_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The private server writes every mail it would send to DATA_DIR/outbox as an .eml file
 * (it has no relay): show that folder, where the invitations and password mails are. */
static void
open_outbox_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  if (!current_is_local (self))
    {
      toast (self, _("Only the server on this computer keeps its mail here; a remote server "
                     "sends it"));
      return;
    }
  path = g_build_filename (roster_local_server_get_data_dir (self->local_server), "outbox",
                           NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      toast (self, _("No mail has been written yet"));
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

/* ------------------------------------------------------------ delete, restore */

/* The user page's Delete: the user it shows (the list's selection, unless a new one). */
static void
delete_user_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterUser *shown = roster_user_page_get_creating (self->user_page)
                        ? NULL
                        : roster_user_page_get_user (self->user_page);

  if (showing_users (self))
    roster_user_list_page_delete_user (self->user_list_page, shown);
}

static void
restore_user_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  roster_user_list_page_restore_user (self->user_list_page,
                                      g_variant_get_string (parameter, NULL));
}

static void
on_user_list_page_user_deleted_cb (RosterWindow *self, RosterUser *user,
                                   RosterUserListPage *page)
{
  g_autofree char *message = NULL;
  AdwToast *deleted;

  /* Translators: %s is a user's name */
  message = g_strdup_printf (_("%s deleted"), roster_user_get_title (user));
  deleted = adw_toast_new (message);
  adw_toast_set_button_label (deleted, _("Undo"));
  adw_toast_set_action_name (deleted, "win.restore-user");
  adw_toast_set_action_target_value (deleted, g_variant_new_string (roster_user_get_id (user)));
  adw_toast_set_priority (deleted, ADW_TOAST_PRIORITY_HIGH);
  /* Twice the default: long enough to reach Undo from the keyboard or a screen reader. */
  adw_toast_set_timeout (deleted, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, deleted);
  /* The toast's button would be named "_Undo Undo" (GTK 4.8): name what the overlay shows
   * beside its child, the toasts. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->toast_overlay));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (child != adw_toast_overlay_get_child (self->toast_overlay))
      roster_accessibility_name_buttons (child);
}

/* One sentence for every way back (Undo, Recently Deleted). */
static void
toast_restored (RosterWindow *self, RosterUser *user, guint n_reassigned)
{
  g_autofree char *message = NULL;

  if (n_reassigned > 0)
    /* Translators: %s is a user's name */
    message = g_strdup_printf (_("%s is back, inactive. Records given to others stay with "
                                 "them."),
                               roster_user_get_title (user));
  else
    /* Translators: %s is a user's name */
    message = g_strdup_printf (_("%s is back, inactive"), roster_user_get_title (user));
  toast (self, message);
}

static void
on_user_list_page_user_restored_cb (RosterWindow *self, RosterUser *user, guint n_reassigned,
                                    RosterUserListPage *page)
{
  toast_restored (self, user, n_reassigned);
}

static void
on_recently_deleted_restored_cb (RosterRecentlyDeletedDialog *dialog, RosterUser *user,
                                 guint n_reassigned, RosterWindow *self)
{
  roster_user_list_page_refresh (self->user_list_page);
  toast_restored (self, user, n_reassigned);
}

static void
recently_deleted_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterRecentlyDeletedDialog *dialog;

  if (!showing_users (self) || self->client == NULL)
    return;
  dialog = roster_recently_deleted_dialog_new (GTK_WINDOW (self), self->client);
  g_signal_connect_object (dialog, "restored", G_CALLBACK (on_recently_deleted_restored_cb),
                           self, 0);
}

static void
on_roles_page_failed_cb (RosterWindow *self, GError *error, GtkWidget *page)
{
  toast (self, error->message);
}

static void
on_user_page_failed_cb (RosterWindow *self, GError *error, RosterUserPage *page)
{
  if (roster_user_list_page_report_unavailable (self->user_list_page, error))
    return;
  if (!g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_TOKEN_EXPIRED)
      && !g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED))
    toast (self, error->message);
}

static void
on_user_page_back_cb (RosterWindow *self, RosterUserPage *page)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_sign_in (RosterWindow *self, const char *message)
{
  RosterServer *server = current_server (self);

  roster_sign_in_page_set_client (self->sign_in_page, self->client);
  roster_sign_in_page_set_server_title (self->sign_in_page,
                                        server != NULL ? roster_server_get_title (server) : NULL);
  show_page (self, "sign-in");
  roster_sign_in_page_prepare (self->sign_in_page,
                               server != NULL ? roster_server_get_user_name (server) : NULL,
                               message);
}

static void
on_session_expired_cb (RosterWindow *self, RosterClient *client)
{
  RosterServer *server = current_server (self);
  g_autofree char *message = NULL;

  if (server == NULL)
    return;
  roster_credentials_clear_async (self->credentials, roster_server_get_id (server), NULL, NULL,
                                  NULL);
  /* The pages stay as they are, edits included: signing in again brings them back. */
  self->resume_after_sign_in = showing_users (self) || self->resume_after_sign_in;
  /* Translators: %s is the server's name, e.g. "crm.example.com" or "On This Computer" */
  message = g_strdup_printf (_("Your session on %s has ended or was signed out. Sign in again "
                               "to go on; nothing you typed is lost."),
                             roster_server_get_title (server));
  show_sign_in (self, message);
}

static void
set_client (RosterWindow *self, RosterClient *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "session-expired", G_CALLBACK (on_session_expired_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
on_credentials_available_cb (RosterWindow *self, GParamSpec *pspec,
                             RosterCredentials *credentials)
{
  if (roster_credentials_get_available (credentials) || self->keyring_notice_shown)
    return;
  self->keyring_notice_shown = TRUE;
  toast (self, _("No keyring is available. You stay signed in until Roster closes."));
}

/* ---------------------------------------------------------------- connecting */

static void
token_lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = roster_credentials_lookup_finish (ROSTER_CREDENTIALS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      show_sign_in (self, NULL);
      return;
    }
  roster_client_set_token (self->client, token);
  show_users (self);
}

static void
use_client (RosterWindow *self, RosterClient *client)
{
  RosterServer *server = current_server (self);
  const char *user_name = server != NULL ? roster_server_get_user_name (server) : "";
  g_autofree char *id = server_id (self);

  self->resume_after_sign_in = FALSE;
  set_client (self, client);
  if (*user_name == '\0')
    {
      show_sign_in (self, NULL);
      return;
    }
  roster_credentials_lookup_async (self->credentials, id, user_name, self->cancellable,
                                   token_lookup_cb, self);
}

static void
local_server_started_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterClient) client = NULL;
  RosterLocalServer *local_server = ROSTER_LOCAL_SERVER (object);

  if (!roster_local_server_start_finish (local_server, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (showing_users (self))
        roster_user_list_page_set_server_unreachable (self->user_list_page, TRUE);
      else
        show_connecting (self, _("The Server Could Not Be Started"), error->message);
      return;
    }

  /* The port changes whenever the server is restarted: a new client, same session. */
  if (self->client != NULL
      && g_strcmp0 (roster_client_get_base_url (self->client),
                    roster_local_server_get_base_url (local_server)) == 0)
    {
      roster_user_list_page_refresh (self->user_list_page);
      return;
    }
  client = roster_client_new (roster_local_server_get_base_url (local_server));
  if (self->client != NULL && roster_client_get_token (self->client) != NULL
      && showing_users (self))
    {
      roster_client_set_token (client, roster_client_get_token (self->client));
      set_client (self, client);
      show_users (self);
      return;
    }
  use_client (self, client);
}

static void
connect_server (RosterWindow *self)
{
  RosterServer *server = current_server (self);
  g_autoptr(RosterClient) client = NULL;

  if (server == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->servers)) > 0)
    {
      /* The current one was removed: the first of the others. */
      g_autoptr(RosterServer) first = g_list_model_get_item (G_LIST_MODEL (self->servers), 0);

      roster_server_list_set_current (self->servers, roster_server_get_id (first));
      server = current_server (self);
    }
  if (server == NULL)
    {
      set_client (self, NULL);
      roster_setup_wizard_set_can_cancel (self->setup_wizard, FALSE);
      roster_setup_wizard_reset (self->setup_wizard);
      show_page (self, "wizard");
      return;
    }
  if (roster_server_get_local (server))
    {
      if (!showing_users (self))
        show_connecting (self, _("Starting the Server…"), NULL);
      roster_local_server_start_async (self->local_server, self->cancellable,
                                       local_server_started_cb, self);
      return;
    }
  client = roster_client_new (roster_server_get_url (server));
  use_client (self, client);
}

/* Another server: a new client, and every page reloads from it. */
static void
switch_to (RosterWindow *self, RosterServer *server)
{
  if (server == current_server (self))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  roster_server_list_set_current (self->servers, roster_server_get_id (server));
  set_client (self, NULL);
  /* Not the users of the old server while the new one connects. */
  show_connecting (self, _("Connecting…"), NULL);
  connect_server (self);
}

static void
retry_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  if (current_is_local (self) && !roster_local_server_get_running (self->local_server))
    {
      connect_server (self);
      return;
    }
  if (showing_users (self))
    roster_user_list_page_refresh (self->user_list_page);
  else
    connect_server (self);
}

static void
on_local_server_exited_cb (RosterWindow *self, RosterLocalServer *local_server)
{
  g_debug ("the local server stopped");
  if (showing_users (self) && current_is_local (self))
    roster_user_list_page_set_server_unreachable (self->user_list_page, TRUE);
}

/* ----------------------------------------------------------- page callbacks */

static void
on_setup_wizard_completed_cb (RosterWindow *self, RosterClient *client, const char *user_name,
                              RosterSetupWizard *wizard)
{
  const char *url = roster_setup_wizard_get_remote_url (wizard);
  g_autoptr(RosterServer) server = url != NULL ? roster_server_new_remote (url, user_name)
                                               : roster_server_new_local (user_name);
  RosterServer *listed = roster_server_list_add (self->servers, server);

  roster_server_list_set_current (self->servers, roster_server_get_id (listed));
  if (user_name == NULL)
    {
      use_client (self, client);
      return;
    }
  self->resume_after_sign_in = FALSE;
  set_client (self, client);
  show_users (self);
}

static void
on_setup_wizard_cancelled_cb (RosterWindow *self, RosterSetupWizard *wizard)
{
  connect_server (self);
}

static void
on_sign_in_page_signed_in_cb (RosterWindow *self, const char *user_name,
                              RosterSignInPage *page)
{
  g_autofree char *id = server_id (self);

  roster_server_list_set_user_name (self->servers, id, user_name);
  roster_credentials_store_async (self->credentials, id, user_name,
                                  roster_client_get_token (self->client), NULL, NULL, NULL);
  if (self->resume_after_sign_in)
    {
      /* Same server, same client: the pages and what was typed in them are as they were.
       * The list is fetched again only when no user is open: a refresh updates the open
       * user's object in place, or unselects it if it went, and either must not touch the
       * user page's edits. */
      self->resume_after_sign_in = FALSE;
      show_page (self, "users");
      if (roster_user_list_page_get_selected_user (self->user_list_page) == NULL)
        roster_user_list_page_refresh (self->user_list_page);
      return;
    }
  show_users (self);
}

/* ------------------------------------------------------------------ servers */

static void
on_servers_dialog_switch_requested_cb (RosterWindow *self, RosterServer *server,
                                       RosterServersDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  switch_to (self, server);
}

static void
on_servers_dialog_add_requested_cb (RosterWindow *self, RosterServersDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  roster_setup_wizard_set_can_cancel (self->setup_wizard, TRUE);
  roster_setup_wizard_reset (self->setup_wizard);
  show_page (self, "wizard");
}

static void
remove_server (RosterWindow *self, RosterServer *server)
{
  g_autoptr(RosterServer) removed = g_object_ref (server);
  gboolean was_current = server == current_server (self);

  /* Its tokens, whoever they belonged to, leave the keyring. */
  roster_credentials_clear_async (self->credentials, roster_server_get_id (removed), NULL, NULL,
                                  NULL);
  if (roster_server_get_local (removed))
    roster_local_server_stop (self->local_server);
  roster_server_list_remove (self->servers, roster_server_get_id (removed));
  if (self->servers_dialog != NULL
      && g_list_model_get_n_items (G_LIST_MODEL (self->servers)) == 0)
    gtk_window_close (GTK_WINDOW (self->servers_dialog));
  if (was_current)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      set_client (self, NULL);
      show_connecting (self, _("Connecting…"), NULL);
      connect_server (self);
    }
  {
    g_autofree char *message = NULL;

    /* Translators: %s is a server's name */
    message = g_strdup_printf (_("%s was removed"), roster_server_get_title (removed));
    toast (self, message);
  }
}

static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RosterWindow *self = user_data;
  RosterServer *server = g_object_get_data (G_OBJECT (dialog), "server");

  if (g_strcmp0 (response, "remove") == 0)
    remove_server (self, server);
}

static void
on_servers_dialog_remove_requested_cb (RosterWindow *self, RosterServer *server,
                                       RosterServersDialog *dialog)
{
  AdwMessageDialog *ask;
  g_autofree char *heading = NULL;

  /* Translators: %s is a server's name, e.g. "crm.example.com" */
  heading = g_strdup_printf (_("Remove %s?"), roster_server_get_title (server));
  ask = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (dialog), heading,
    roster_server_get_local (server)
      ? _("Roster signs out of the private server on this computer and stops it. Its accounts "
          "stay in its data folder: adding “On This Computer” again brings them back.")
      : _("Roster signs out of this server and forgets it. The accounts on the server are not "
          "changed.")));
  adw_message_dialog_add_responses (ask, "cancel", _("Cancel"), "remove", _("Remove"), NULL);
  adw_message_dialog_set_response_appearance (ask, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ask, "cancel");
  adw_message_dialog_set_close_response (ask, "cancel");
  roster_accessibility_name_buttons (GTK_WIDGET (ask));
  g_object_set_data_full (G_OBJECT (ask), "server", g_object_ref (server), g_object_unref);
  g_signal_connect_object (ask, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (ask));
}

static void
servers_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  if (self->servers_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->servers_dialog));
      return;
    }
  self->servers_dialog = roster_servers_dialog_new (GTK_WINDOW (self), self->servers);
  g_object_add_weak_pointer (G_OBJECT (self->servers_dialog), (gpointer *) &self->servers_dialog);
  g_signal_connect_object (self->servers_dialog, "switch-requested",
                           G_CALLBACK (on_servers_dialog_switch_requested_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->servers_dialog, "add-requested",
                           G_CALLBACK (on_servers_dialog_add_requested_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->servers_dialog, "remove-requested",
                           G_CALLBACK (on_servers_dialog_remove_requested_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->servers_dialog));
}

static void
on_user_list_page_load_failed_cb (RosterWindow *self, GError *error, RosterUserListPage *page)
{
  /* The page showed the strip for an unavailable server; an expired session goes to
   * sign-in by itself. */
  if (roster_error_is_unavailable (error)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_TOKEN_EXPIRED)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED))
    return;
  toast (self, error->message);
}

/* ------------------------------------------------------------------ GObject */

static gboolean
roster_window_close_request (GtkWindow *window)
{
  RosterWindow *self = ROSTER_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (roster_window_parent_class)->close_request (window);
}

static void
roster_window_dispose (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_client (self, NULL);
  if (self->servers_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->servers_dialog),
                                    (gpointer *) &self->servers_dialog);
      gtk_window_destroy (GTK_WINDOW (self->servers_dialog));
      self->servers_dialog = NULL;
    }
  g_clear_object (&self->servers);
  g_clear_object (&self->settings);
  g_clear_object (&self->credentials);
  g_clear_object (&self->local_server);

  G_OBJECT_CLASS (roster_window_parent_class)->dispose (object);
}

static void
roster_window_class_init (RosterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = roster_window_dispose;
  window_class->close_request = roster_window_close_request;

  g_type_ensure (ROSTER_TYPE_SETUP_WIZARD);
  g_type_ensure (ROSTER_TYPE_SIGN_IN_PAGE);
  g_type_ensure (ROSTER_TYPE_USER_LIST_PAGE);
  g_type_ensure (ROSTER_TYPE_USER_PAGE);
  g_type_ensure (ROSTER_TYPE_ROLES_PAGE);
  g_type_ensure (ROSTER_TYPE_GROUPS_PAGE);
  g_type_ensure (ROSTER_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/roster-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, connecting_status);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, connecting_retry_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, setup_wizard);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, roles_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, groups_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, activity_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, leaflet_separator);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_list_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_page);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_wizard_completed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_wizard_cancelled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_page_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_list_page_load_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_list_page_selected_user_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_page_back_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_page_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_page_action_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_roles_page_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_page_created_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_page_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_list_page_user_deleted_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_user_list_page_user_restored_cb);

  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.new-user", NULL, new_user_action);
  gtk_widget_class_install_action (widget_class, "win.servers", NULL, servers_action);
  gtk_widget_class_install_action (widget_class, "win.open-outbox", NULL, open_outbox_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-user",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.add-several", NULL, add_several_action);
  gtk_widget_class_install_action (widget_class, "win.delete-user", NULL, delete_user_action);
  gtk_widget_class_install_action (widget_class, "win.restore-user", "s", restore_user_action);
  gtk_widget_class_install_action (widget_class, "win.recently-deleted", NULL,
                                   recently_deleted_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-several", NULL);
}

static void
roster_window_init (RosterWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_track_stack (self->stack);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-user", FALSE);
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->leaflet_separator),
                                    FALSE);
  on_leaflet_folded_cb (self, NULL, self->leaflet);
}

RosterWindow *
roster_window_new (RosterApplication *application)
{
  RosterWindow *self;

  g_return_val_if_fail (ROSTER_IS_APPLICATION (application), NULL);

  self = g_object_new (ROSTER_TYPE_WINDOW, "application", application, NULL);
  self->settings = g_object_ref (roster_application_get_settings (application));
  self->credentials = g_object_ref (roster_application_get_credentials (application));
  self->local_server = g_object_ref (roster_application_get_local_server (application));
  self->servers = g_object_ref (roster_application_get_servers (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->credentials, "notify::available",
                           G_CALLBACK (on_credentials_available_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->local_server, "exited", G_CALLBACK (on_local_server_exited_cb),
                           self, G_CONNECT_SWAPPED);
  roster_setup_wizard_set_local_server (self->setup_wizard, self->local_server);
  roster_setup_wizard_set_credentials (self->setup_wizard, self->credentials);
  roster_setup_wizard_set_settings (self->setup_wizard, self->settings);

  connect_server (self);
  return self;
}
