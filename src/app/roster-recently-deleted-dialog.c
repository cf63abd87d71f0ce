/* roster-recently-deleted-dialog.c
 *
 * Recently Deleted, opened from the user list's main menu: one row per deleted user (GET
 * /DeletedUsers, newest first) with when and by whom, and the days left before the server
 * purges them, counted from the server's clock. Restore asks first, saying that the user
 * comes back inactive and that records given to others stay with them; then it restores
 * (POST /DeletedUsers/{id}/restore) and emits ::restored for the window to refresh the list.
 * Without users.view the list is a status page that names the permission; a restore refused
 * for want of users.manage says which permission it needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-error.h"
#include "roster-recently-deleted-dialog.h"
#include "roster-user-security-group.h"

struct _RosterRecentlyDeletedDialog
{
  AdwWindow parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  GCancellable *load_cancellable;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *empty_status;
  AdwStatusPage *error_status;
  AdwPreferencesGroup *group;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (RosterRecentlyDeletedDialog, roster_recently_deleted_dialog, ADW_TYPE_WINDOW)

enum
{
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe (RosterDeletedUser *deleted, GDateTime *now)
{
  g_autofree char *when = roster_user_security_format_date (
    roster_deleted_user_get_deleted_at (deleted));
  const char *by = roster_deleted_user_get_deleted_by (deleted);
  guint days = roster_deleted_user_get_days_left (deleted, now);
  g_autofree char *deleted_text = NULL;
  g_autofree char *left = NULL;

  g_strchug (when); /* %e pads the day with a space */
  if (by != NULL)
    /* Translators: the first %s is a date and time, the second who deleted the user */
    deleted_text = g_strdup_printf (_("Deleted %s by %s"), when, by);
  else
    /* Translators: %s is a date and time */
    deleted_text = g_strdup_printf (_("Deleted %s"), when);
  if (days == 0)
    left = g_strdup (_("deleted for good at the next clean-up"));
  else
    left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day left", "%u days left", days),
                            days);
  /* Translators: "Deleted 2 December 2026, 10:00 by admin" and "14 days left" */
  return g_strdup_printf (_("%s · %s"), deleted_text, left);
}

static void
show_state (RosterRecentlyDeletedDialog *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
restore_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRecentlyDeletedDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;
  guint n_reassigned = 0;

  user = roster_client_restore_user_finish (ROSTER_CLIENT (object), result, &n_reassigned,
                                            &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (user == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN))
        /* Translators: "users.manage" is the permission's id, as the Roles page shows it */
        message = g_strdup_printf ("%s %s", error->message,
                                   _("Restoring users needs the users.manage permission."));
      else
        message = g_strdup (error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      roster_recently_deleted_dialog_reload (self);
      return;
    }
  g_signal_emit (self, signals[RESTORED], 0, user, n_reassigned);
  roster_recently_deleted_dialog_reload (self);
}

static void
confirm_response_cb (AdwMessageDialog *dialog, const char *response,
                     RosterRecentlyDeletedDialog *self)
{
  RosterDeletedUser *deleted = g_object_get_data (G_OBJECT (dialog), "deleted-user");

  if (g_strcmp0 (response, "restore") != 0)
    return;
  roster_client_restore_user_async (self->client, roster_deleted_user_get_id (deleted),
                                    self->cancellable, restore_cb, self);
}

static void
on_restore_clicked_cb (GtkButton *button, RosterRecentlyDeletedDialog *self)
{
  RosterDeletedUser *deleted = g_object_get_data (G_OBJECT (button), "deleted-user");
  const char *name = roster_deleted_user_get_title (deleted);
  guint moved = roster_deleted_user_get_n_reassigned (deleted);
  g_autofree char *heading = NULL;
  g_autofree char *back = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a user's name */
  heading = g_strdup_printf (_("Restore %s?"), name);
  /* Translators: %s is a user's name */
  back = g_strdup_printf (_("%s comes back inactive, with the roles and teams that still exist. "
                            "Turn the account on to let them sign in."),
                          name);
  if (moved > 0)
    body = g_strdup_printf (
      "%s %s", back,
      g_dngettext (GETTEXT_PACKAGE,
                   "The record given to someone else at the deletion stays with its new owner.",
                   "The records given to others at the deletion stay with their new owners.",
                   moved));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body != NULL ? body : back);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                    "restore", _("Restore"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "deleted-user", g_object_ref (deleted),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  roster_accessibility_name_buttons (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
row_new (RosterRecentlyDeletedDialog *self, RosterDeletedUser *deleted, GDateTime *now)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Restore"));
  g_autofree char *subtitle = describe (deleted, now);
  g_autofree char *name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), roster_deleted_user_get_title (deleted));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: %s is a user's name */
  name = g_strdup_printf (_("Restore %s"), roster_deleted_user_get_title (deleted));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "deleted-user", g_object_ref (deleted),
                          g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_restore_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
list_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRecentlyDeletedDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GDateTime) now = NULL;
  GtkWidget *child;

  deleted = roster_client_list_deleted_users_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (deleted == NULL)
    {
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN))
        /* Translators: "users.view" is the permission's id */
        adw_status_page_set_description (self->error_status,
                                         _("Seeing deleted users needs the users.view "
                                           "permission."));
      else
        adw_status_page_set_description (self->error_status, error->message);
      show_state (self, "error");
      return;
    }
  now = roster_client_get_server_now (self->client);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < deleted->len; i++)
    gtk_list_box_append (self->list, row_new (self, g_ptr_array_index (deleted, i), now));
  show_state (self, deleted->len > 0 ? "list" : "empty");
}

/**
 * roster_recently_deleted_dialog_reload:
 *
 * Fetches the deleted users again.
 */
void
roster_recently_deleted_dialog_reload (RosterRecentlyDeletedDialog *self)
{
  g_return_if_fail (ROSTER_IS_RECENTLY_DELETED_DIALOG (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  roster_client_list_deleted_users_async (self->client, self->load_cancellable, list_cb, self);
}

/**
 * roster_recently_deleted_dialog_get_state:
 *
 * Returns: what the dialog shows: "loading", "list", "empty" or "error"
 */
const char *
roster_recently_deleted_dialog_get_state (RosterRecentlyDeletedDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_RECENTLY_DELETED_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
roster_recently_deleted_dialog_dispose (GObject *object)
{
  RosterRecentlyDeletedDialog *self = ROSTER_RECENTLY_DELETED_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (roster_recently_deleted_dialog_parent_class)->dispose (object);
}

static void
roster_recently_deleted_dialog_class_init (RosterRecentlyDeletedDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = roster_recently_deleted_dialog_dispose;

  /**
   * RosterRecentlyDeletedDialog::restored:
   * @user: the user as it is back (inactive)
   * @n_reassigned: how many records stayed with those who took them over
   */
  signals[RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, ROSTER_TYPE_USER,
                                    G_TYPE_UINT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
status_page_new (const char *icon, const char *title)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  return page;
}

static void
roster_recently_deleted_dialog_init (RosterRecentlyDeletedDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *empty = status_page_new ("user-trash-symbolic", _("No Recently Deleted Users"));
  GtkWidget *failed = status_page_new ("dialog-warning-symbolic",
                                       _("Deleted Users Could Not Be Shown"));

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Recently Deleted"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 520);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loading deleted users"), -1);
  gtk_stack_add_named (self->stack, spinner, "loading");

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (
    self->group, _("Deleted users can be restored until the server deletes them for good. "
                   "They come back inactive; records given to others stay with them."));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Deleted users"), -1);
  adw_preferences_group_add (self->group, GTK_WIDGET (self->list));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  gtk_stack_add_named (self->stack, page, "list");

  self->empty_status = ADW_STATUS_PAGE (empty);
  adw_status_page_set_description (self->empty_status,
                                   _("Users you delete are kept here for a while, so that they "
                                     "can be restored."));
  gtk_stack_add_named (self->stack, empty, "empty");
  self->error_status = ADW_STATUS_PAGE (failed);
  gtk_stack_add_named (self->stack, failed, "error");
  gtk_stack_set_visible_child_name (self->stack, "loading");
  roster_accessibility_track_stack (self->stack);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
}

/**
 * roster_recently_deleted_dialog_new:
 *
 * Returns: (transfer none): the dialog, shown and loading
 */
RosterRecentlyDeletedDialog *
roster_recently_deleted_dialog_new (GtkWindow *parent, RosterClient *client)
{
  RosterRecentlyDeletedDialog *self;

  g_return_val_if_fail (ROSTER_IS_CLIENT (client), NULL);

  self = g_object_new (ROSTER_TYPE_RECENTLY_DELETED_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  roster_recently_deleted_dialog_reload (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
