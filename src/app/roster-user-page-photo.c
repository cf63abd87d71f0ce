/* roster-user-page-photo.c: the user's photo above their name, and changing it
 *
 * The avatar shows rosterd's photo (GET /Users/{id}/photo, decoded off the main thread at
 * the avatar's size) or the initials. "Change Photo…" uploads a PNG or JPEG chosen with the
 * file chooser, or dropped on the avatar (rosterd crops and re-encodes it); "Remove Photo"
 * asks first. Both are
 * hidden unless the signed-in user may change photos (photos.manage, or users.manage, as
 * rosterd's route table says), which the page reads from that user's effectivePermissions.
 * Photo changes are sent at once, not with Save: like the account actions, the answer
 * becomes the page's new base and edits in progress stay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-photo-file.h"
#include "roster-photo-texture.h"
#include "roster-scim.h"
#include "roster-user-page-private.h"

/* Shows the photo of the user loaded (or the initials), and the photo buttons if allowed. */
void
roster_user_page_update_photo (RosterUserPage *self)
{
  RosterUser *user = self->creating ? NULL : self->user;
  gboolean stored = user != NULL && roster_user_get_id (user) != NULL;

  gtk_widget_set_visible (self->photo_buttons, stored && self->may_manage_photos);
  gtk_widget_set_visible (self->remove_photo_button,
                          stored && roster_user_get_string (user, "photo") != NULL);
  roster_photo_texture_show (GTK_WIDGET (self->avatar), self->client, user);
}

/* ----------------------------------------------------------- who may change photos */

static void
signed_in_user_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = roster_client_list_users_finish (ROSTER_CLIENT (object), result,
                                                                NULL, &error);
  const char *const *permissions;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (users == NULL || users->len == 0)
    {
      g_debug ("cannot tell what the signed-in user may do: %s",
               error != NULL ? error->message : "not found");
      return;
    }
  permissions = roster_user_get_effective_permissions (users->pdata[0]);
  self->may_manage_photos = g_strv_contains (permissions, "photos.manage")
                            || g_strv_contains (permissions, "users.manage");
  roster_user_page_update_photo (self);
  roster_user_page_update_actions (self);
}

/* Reads the signed-in user's permissions again (a new client, another user signed in). */
void
roster_user_page_check_permissions (RosterUserPage *self)
{
  g_autofree char *filter = NULL;

  g_cancellable_cancel (self->permissions_cancellable);
  g_clear_object (&self->permissions_cancellable);
  self->may_manage_photos = FALSE;
  if (self->client == NULL || self->signed_in_user_name == NULL)
    return;
  self->permissions_cancellable = g_cancellable_new ();
  filter = roster_scim_filter_eq_new ("userName", self->signed_in_user_name);
  roster_client_list_users_async (self->client, 1, 1, filter, NULL, FALSE,
                                  self->permissions_cancellable, signed_in_user_cb, self);
}

/**
 * roster_user_page_set_signed_in_user_name:
 * @user_name: (nullable): who is signed in, whose permissions say what the page offers
 */
void
roster_user_page_set_signed_in_user_name (RosterUserPage *self, const char *user_name)
{
  g_return_if_fail (ROSTER_IS_USER_PAGE (self));

  g_free (self->signed_in_user_name);
  self->signed_in_user_name = user_name != NULL && *user_name != '\0' ? g_strdup (user_name)
                                                                       : NULL;
  roster_user_page_check_permissions (self);
  roster_user_page_update_photo (self);
  roster_user_page_update_actions (self);
}

gboolean
roster_user_page_get_may_manage_photos (RosterUserPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), FALSE);
  return self->may_manage_photos;
}

/* ----------------------------------------------------------------- changing it */

typedef struct
{
  RosterUserPage *self; /* not a reference: the writes cancellable ends with the page */
  char *user_id;
  const char *message;
} PhotoChange;

static void
photo_change_free (PhotoChange *change)
{
  g_free (change->user_id);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotoChange, photo_change_free)

static PhotoChange *
photo_change_new (RosterUserPage *self, const char *message)
{
  PhotoChange *change = g_new0 (PhotoChange, 1);

  change->self = self;
  change->user_id = g_strdup (roster_user_get_id (self->user));
  change->message = message;
  return change;
}

/* The user after a photo change (or why there is none): the page's new base if it still
 * shows them. */
static void
photo_changed (PhotoChange *change, RosterUser *user, GError *error)
{
  RosterUserPage *self = change->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (user == NULL)
    {
      roster_user_page_emit_failed (self, error);
      return;
    }
  if (self->user != NULL && !self->creating
      && g_strcmp0 (roster_user_get_id (self->user), change->user_id) == 0)
    roster_user_page_set_user (self, user, FALSE);
  roster_user_page_emit_action_done (self, user, change->message);
}

static void
set_photo_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PhotoChange) change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = roster_client_set_photo_finish (ROSTER_CLIENT (object), result,
                                                               &error);

  photo_changed (change, user, error);
}

static void
photo_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PhotoChange) change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = roster_photo_file_read_finish (result, &error);
  g_autoptr(RosterUser) target = NULL;
  RosterUserPage *self = change->self;

  if (bytes == NULL)
    {
      photo_changed (change, NULL, error);
      return;
    }
  /* To the user it was chosen for, even if the page shows someone else by now. */
  target = roster_user_new ();
  roster_user_set_id (target, change->user_id);
  roster_client_set_photo_bytes_async (self->client, target, bytes, self->writes_cancellable,
                                       set_photo_cb, g_steal_pointer (&change));
}

/**
 * roster_user_page_set_photo_file:
 * @file: a PNG or JPEG (a larger one than rosterd takes is scaled down first)
 *
 * Uploads @file as the photo of the user shown, as "Change Photo…" does once a file is
 * chosen.
 */
void
roster_user_page_set_photo_file (RosterUserPage *self, GFile *file)
{
  g_return_if_fail (ROSTER_IS_USER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->client == NULL || self->user == NULL || self->creating
      || roster_user_get_id (self->user) == NULL)
    return;
  roster_photo_file_read_async (file, ROSTER_CLIENT_PHOTO_MAX_SIZE, self->writes_cancellable,
                                photo_read_cb, photo_change_new (self, _("Photo changed")));
}

static gboolean
on_drop_cb (RosterUserPage *self, const GValue *value, double x, double y,
            GtkDropTarget *target)
{
  if (!self->may_manage_photos || !G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  roster_user_page_set_photo_file (self, g_value_get_object (value));
  return TRUE;
}

/* An image file dropped on the avatar becomes the photo, as one chosen with the chooser. */
void
roster_user_page_init_photo_drop (RosterUserPage *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->avatar), GTK_EVENT_CONTROLLER (target));
}

static void
on_chooser_response_cb (RosterUserPage *self, int response, GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    roster_user_page_set_photo_file (self, file);
}

void
roster_user_page_change_photo_action (GtkWidget *widget, const char *action_name,
                                      GVariant *parameter)
{
  RosterUserPage *self = ROSTER_USER_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose a Photo"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("Open"),
                                               _("Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PNG and JPEG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
removed_user_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PhotoChange) change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = roster_client_get_user_finish (ROSTER_CLIENT (object), result,
                                                              &error);

  photo_changed (change, user, error);
}

static void
delete_photo_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PhotoChange) change = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  const char *id;

  if (!roster_client_delete_photo_finish (ROSTER_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        roster_user_page_emit_failed (change->self, error);
      return;
    }
  /* The answer is empty: the user's new version (without photos) comes from a GET. */
  id = change->user_id;
  cancellable = change->self->writes_cancellable;
  roster_client_get_user_async (ROSTER_CLIENT (object), id, cancellable, removed_user_cb,
                                g_steal_pointer (&change));
}

static void
on_remove_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RosterUserPage *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (dialog), "user-id");

  if (!g_str_equal (response, "remove") || self->client == NULL || self->user == NULL
      || g_strcmp0 (roster_user_get_id (self->user), id) != 0)
    return;
  roster_client_delete_photo_async (self->client, self->user, self->writes_cancellable,
                                    delete_photo_cb, photo_change_new (self, _("Photo removed")));
}

/**
 * roster_user_page_ask_remove_photo:
 *
 * Asks whether to remove the photo of the user shown, as "Remove Photo" does.
 *
 * Returns: (transfer none) (nullable): the dialog
 */
GtkWindow *
roster_user_page_ask_remove_photo (RosterUserPage *self)
{
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), NULL);
  if (self->user == NULL || self->creating || roster_user_get_id (self->user) == NULL
      || roster_user_get_string (self->user, "photo") == NULL)
    return NULL;
  /* Translators: %s is a user's name */
  heading = g_strdup_printf (_("Remove the Photo of %s?"), roster_user_get_title (self->user));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("Their initials are shown instead. The photo cannot be "
                                     "brought back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "remove",
                                    _("Remove Photo"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "user-id",
                          g_strdup (roster_user_get_id (self->user)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  roster_accessibility_name_buttons (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

void
roster_user_page_remove_photo_action (GtkWidget *widget, const char *action_name,
                                      GVariant *parameter)
{
  roster_user_page_ask_remove_photo (ROSTER_USER_PAGE (widget));
}
