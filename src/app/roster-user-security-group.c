/* roster-user-security-group.c
 *
 * The account's security state and what an administrator can do about it: the status with
 * the lock's reason and time, Unlock, Set Password (with "must change at next sign-in"), Log
 * Out Everywhere, when the password expires and when the user last signed in. Each action is
 * a POST to /Users/{id}/actions/…, sent at once (not with Save): the page's edits stay as they
 * are. Set Password and Log Out Everywhere ask first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-user-security-group.h"
#include "roster-validation.h"

struct _RosterUserSecurityGroup
{
  AdwPreferencesGroup parent_instance;

  RosterClient *client;
  RosterUser *user;
  GCancellable *cancellable;

  AdwActionRow *status_row;
  GtkWidget *unlock_button;
  AdwActionRow *password_row;
  AdwActionRow *sessions_row;
  AdwActionRow *last_login_row;
};

G_DEFINE_FINAL_TYPE (RosterUserSecurityGroup, roster_user_security_group,
                     ADW_TYPE_PREFERENCES_GROUP)

enum
{
  USER_CHANGED,
  DONE,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * roster_user_security_format_date:
 *
 * Returns: (transfer full) (nullable): @date in local time, as the user page shows dates
 */
char *
roster_user_security_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;
  local = g_date_time_to_local (date);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%e %B %Y, %H:%M"));
}

static void
update (RosterUserSecurityGroup *self)
{
  RosterUser *user = self->user;
  g_autofree char *since = NULL;
  g_autofree char *status = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *password = NULL;
  g_autofree char *last_login = NULL;
  gboolean locked;

  if (user == NULL)
    return;
  locked = roster_user_get_status (user) == ROSTER_USER_STATUS_LOCKED;
  since = roster_user_security_format_date (roster_user_get_lock_since (user));
  if (locked)
    /* Translators: the status of a locked account: the reason, and since when */
    status = g_strdup_printf (_("Locked since %s: %s"), since != NULL ? since : "?",
                              roster_user_get_string (user, "lock-reason") != NULL
                                ? roster_user_get_string (user, "lock-reason")
                                : _("no reason given"));
  else
    status = g_strdup (roster_user_status_describe (roster_user_get_status (user)));
  adw_action_row_set_subtitle (self->status_row, status);
  gtk_widget_set_visible (self->unlock_button, locked);

  expires = roster_user_security_format_date (roster_user_get_password_expires (user));
  if (roster_user_get_must_change_password (user))
    password = g_strdup (_("Must be changed at the next sign-in"));
  else if (expires != NULL)
    /* Translators: %s is a date */
    password = g_strdup_printf (_("Expires %s"), expires);
  else
    password = g_strdup (_("Does not expire"));
  adw_action_row_set_subtitle (self->password_row, password);

  last_login = roster_user_security_format_date (roster_user_get_last_login (user));
  adw_action_row_set_subtitle (self->last_login_row, last_login != NULL ? last_login : _("Never"));
}

static void
action_finish (RosterUserSecurityGroup *self, GObject *object, GAsyncResult *result,
               const char *done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;

  user = roster_client_user_action_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (user == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  g_signal_emit (self, signals[USER_CHANGED], 0, user);
  g_signal_emit (self, signals[DONE], 0, done);
}

static void
unlock_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  action_finish (user_data, object, result, _("The account is unlocked"));
}

static void
set_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  action_finish (user_data, object, result, _("The new password is set"));
}

static void
logout_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserSecurityGroup *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_logout_user_finish (ROSTER_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  g_signal_emit (self, signals[DONE], 0, _("Signed out on every device"));
}

static void
unlock (RosterUserSecurityGroup *self)
{
  roster_client_unlock_user_async (self->client, roster_user_get_id (self->user),
                                   self->cancellable, unlock_cb, self);
}

static void
on_password_changed_cb (AdwMessageDialog *dialog, GtkEditable *entry)
{
  g_autoptr(GError) error = NULL;
  gboolean valid = roster_validate_password (gtk_editable_get_text (entry), &error);
  GtkLabel *hint = g_object_get_data (G_OBJECT (dialog), "hint");

  adw_message_dialog_set_response_enabled (dialog, "set", valid);
  roster_accessibility_set_invalid (GTK_WIDGET (entry),
                                    !valid && *gtk_editable_get_text (entry) != '\0');
  gtk_label_set_label (hint, valid || *gtk_editable_get_text (entry) == '\0' ? ""
                                                                             : error->message);
}

static void
on_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RosterUserSecurityGroup *self = user_data;

  if (self->user == NULL || self->client == NULL)
    return;
  if (g_str_equal (response, "set"))
    {
      GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
      GtkSwitch *must_change = g_object_get_data (G_OBJECT (dialog), "must-change");

      roster_client_set_user_password_async (self->client, roster_user_get_id (self->user),
                                             gtk_editable_get_text (entry),
                                             gtk_switch_get_active (must_change),
                                             self->cancellable, set_password_cb, self);
      /* The password has been sent: it does not stay in the dialog. */
      gtk_editable_set_text (entry, "");
    }
  else if (g_str_equal (response, "logout"))
    roster_client_logout_user_async (self->client, roster_user_get_id (self->user),
                                     self->cancellable, logout_cb, self);
}

/**
 * roster_user_security_group_ask:
 * @action: "set-password" or "logout-all"
 *
 * Opens the dialog that asks before @action, as its button does.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
roster_user_security_group_ask (RosterUserSecurityGroup *self, const char *action)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  const char *name = self->user != NULL ? roster_user_get_title (self->user) : "";
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (g_str_equal (action, "set-password"))
    {
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *entry = adw_password_entry_row_new ();
      GtkWidget *must_row = adw_action_row_new ();
      GtkWidget *must_change = gtk_switch_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *hint = gtk_label_new ("");

      /* Translators: %s is a user's name */
      heading = g_strdup_printf (_("Set a Password for %s?"), name);
      dialog = adw_message_dialog_new (parent, heading,
                                       _("Every session of this user ends. Tell them the new "
                                         "password in person or by phone, not by e-mail."));
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("New Password"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (must_row),
                                     _("Must Change at Next Sign-In"));
      gtk_switch_set_active (GTK_SWITCH (must_change), TRUE);
      gtk_widget_set_valign (must_change, GTK_ALIGN_CENTER);
      /* Named by the row, as its activatable widget (see roster-permission-switch.c). */
      adw_action_row_add_suffix (ADW_ACTION_ROW (must_row), must_change);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (must_row), must_change);
      gtk_list_box_append (GTK_LIST_BOX (list), entry);
      gtk_list_box_append (GTK_LIST_BOX (list), must_row);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_widget_add_css_class (hint, "error");
      gtk_box_append (GTK_BOX (box), list);
      gtk_box_append (GTK_BOX (box), hint);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                        "set", _("Set Password"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "set", FALSE);
      g_object_set_data (G_OBJECT (dialog), "entry", entry);
      g_object_set_data (G_OBJECT (dialog), "must-change", must_change);
      g_object_set_data (G_OBJECT (dialog), "hint", hint);
      g_signal_connect_object (entry, "changed", G_CALLBACK (on_password_changed_cb), dialog,
                               G_CONNECT_SWAPPED);
      roster_accessibility_name_password_row (ADW_PASSWORD_ENTRY_ROW (entry));
    }
  else
    {
      g_return_val_if_fail (g_str_equal (action, "logout-all"), NULL);
      /* Translators: %s is a user's name */
      heading = g_strdup_printf (_("Log Out %s Everywhere?"), name);
      dialog = adw_message_dialog_new (parent, heading,
                                       _("Every session of this user ends on every device. "
                                         "They can sign in again with their password."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                        "logout", _("Log Out Everywhere"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "logout",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response_cb), self, 0);
  roster_accessibility_name_buttons (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
on_unlock_clicked_cb (RosterUserSecurityGroup *self)
{
  if (self->user != NULL && self->client != NULL)
    unlock (self);
}

static void
on_set_password_clicked_cb (RosterUserSecurityGroup *self)
{
  roster_user_security_group_ask (self, "set-password");
}

static void
on_logout_clicked_cb (RosterUserSecurityGroup *self)
{
  roster_user_security_group_ask (self, "logout-all");
}

void
roster_user_security_group_set_client (RosterUserSecurityGroup *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_USER_SECURITY_GROUP (self));
  g_set_object (&self->client, client);
}

/**
 * roster_user_security_group_show_user:
 *
 * Shows @user's security state; a new user cancels what was under way for the previous one.
 */
void
roster_user_security_group_show_user (RosterUserSecurityGroup *self, RosterUser *user)
{
  g_return_if_fail (ROSTER_IS_USER_SECURITY_GROUP (self));

  if (self->user == NULL || user == NULL
      || g_strcmp0 (roster_user_get_id (self->user), roster_user_get_id (user)) != 0)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  g_set_object (&self->user, user);
  update (self);
}

static void
roster_user_security_group_dispose (GObject *object)
{
  RosterUserSecurityGroup *self = ROSTER_USER_SECURITY_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  G_OBJECT_CLASS (roster_user_security_group_parent_class)->dispose (object);
}

static void
roster_user_security_group_class_init (RosterUserSecurityGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_user_security_group_dispose;

  /**
   * RosterUserSecurityGroup::user-changed:
   * @user: the user as the server answered an action
   */
  signals[USER_CHANGED] = g_signal_new ("user-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        ROSTER_TYPE_USER);
  /**
   * RosterUserSecurityGroup::done:
   * @message: what was done, translated, for a toast
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * RosterUserSecurityGroup::failed:
   * @error: why an action failed, translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static AdwActionRow *
add_row (RosterUserSecurityGroup *self, const char *title, const char *button_label,
         gboolean destructive, GCallback clicked, GtkWidget **button_out)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_label (button_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      if (destructive)
        gtk_widget_add_css_class (button, "destructive-action");
      g_signal_connect_swapped (button, "clicked", clicked, self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      if (button_out != NULL)
        *button_out = button;
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  return ADW_ACTION_ROW (row);
}

static void
roster_user_security_group_init (RosterUserSecurityGroup *self)
{
  self->cancellable = g_cancellable_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Security"));
  self->status_row = add_row (self, _("Account Status"), _("Unlock"), FALSE,
                              G_CALLBACK (on_unlock_clicked_cb), &self->unlock_button);
  self->password_row = add_row (self, _("Password"), _("Set Password…"), FALSE,
                                G_CALLBACK (on_set_password_clicked_cb), NULL);
  self->sessions_row = add_row (self, _("Sessions"), _("Log Out Everywhere"), TRUE,
                                G_CALLBACK (on_logout_clicked_cb), NULL);
  adw_action_row_set_subtitle (self->sessions_row, _("End every session on every device"));
  self->last_login_row = add_row (self, _("Last Sign-In"), NULL, FALSE, NULL, NULL);
  gtk_widget_set_visible (self->unlock_button, FALSE);
}
