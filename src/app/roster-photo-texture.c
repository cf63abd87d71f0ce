/* roster-photo-texture.c
 *
 * Decoding an image is slow and synchronous (gdk_texture_new_from_bytes() and gdk-pixbuf
 * both are), so it runs in a GTask thread. The photo is decoded at the size it is shown,
 * not at rosterd's 512 px: a list row's avatar holds a 72 px texture, not a megabyte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include "roster-avatar.h"
#include "roster-photo-texture.h"

/* What an avatar shows or is fetching, kept on the avatar. */
typedef struct
{
  GCancellable *cancellable;
  char *user_id;
  char *version;
} AvatarPhoto;

static void
avatar_photo_free (gpointer data)
{
  AvatarPhoto *photo = data;

  g_cancellable_cancel (photo->cancellable);
  g_clear_object (&photo->cancellable);
  g_free (photo->user_id);
  g_free (photo->version);
  g_free (photo);
}

/* The user page shows an AdwAvatar, list rows a RosterAvatar (see roster-avatar.c). */
static void
avatar_set_image (GtkWidget *avatar, GdkPaintable *image)
{
  if (ROSTER_IS_AVATAR (avatar))
    roster_avatar_set_custom_image (ROSTER_AVATAR (avatar), image);
  else
    adw_avatar_set_custom_image (ADW_AVATAR (avatar), image);
}

static int
avatar_get_size (GtkWidget *avatar)
{
  return ROSTER_IS_AVATAR (avatar) ? roster_avatar_get_size (ROSTER_AVATAR (avatar))
                                   : adw_avatar_get_size (ADW_AVATAR (avatar));
}

static void
decode_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "size"));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, size, size, TRUE, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

/**
 * roster_photo_texture_new_async:
 * @bytes: a PNG or JPEG
 * @size: the largest side wanted, in device pixels
 *
 * Decodes @bytes in a worker thread, scaled down to fit @size × @size.
 */
void
roster_photo_texture_new_async (GBytes *bytes, int size, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (size > 0);

  g_task_set_source_tag (task, roster_photo_texture_new_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data (G_OBJECT (task), "size", GINT_TO_POINTER (size));
  g_task_run_in_thread (task, decode_thread);
}

/**
 * roster_photo_texture_new_finish:
 *
 * Returns: (transfer full): the photo, or %NULL with @error when it is not an image
 */
GdkTexture *
roster_photo_texture_new_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
show_texture_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtkWidget *avatar = user_data; /* maybe gone: only touched unless cancelled */
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = roster_photo_texture_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    g_debug ("the photo is not an image: %s", error->message);
  avatar_set_image (avatar, GDK_PAINTABLE (texture));
}

static void
show_bytes_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtkWidget *avatar = user_data; /* maybe gone: only touched unless cancelled */
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = roster_client_get_photo_finish (ROSTER_CLIENT (object), result,
                                                            &error);
  AvatarPhoto *photo;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      /* No photo after all (or none to be had now): the initials stay. */
      if (error != NULL)
        g_debug ("no photo: %s", error->message);
      avatar_set_image (avatar, NULL);
      return;
    }
  photo = g_object_get_data (G_OBJECT (avatar), "roster-photo");
  roster_photo_texture_new_async (bytes,
                                  avatar_get_size (avatar) * gtk_widget_get_scale_factor (avatar),
                                  photo->cancellable, show_texture_cb, avatar);
}

/**
 * roster_photo_texture_show:
 * @avatar: an #AdwAvatar or a #RosterAvatar
 * @client: (nullable): where to fetch the photo
 * @user: (nullable): whose photo; %NULL, or a user without a photo, shows the initials
 *
 * Shows @user's photo in @avatar, fetched (from @client's cache if it has it) and decoded at
 * the avatar's size. Only users with a photo cost a request, and showing the same version
 * again costs nothing. Another user's photo is cleared at once and any fetch for it
 * cancelled; a newer version of the same user's stays until the new one is in. Call with
 * %NULL when the avatar's owner goes away.
 */
void
roster_photo_texture_show (GtkWidget *avatar, RosterClient *client, RosterUser *user)
{
  AvatarPhoto *photo = g_object_get_data (G_OBJECT (avatar), "roster-photo");
  const char *id = user != NULL ? roster_user_get_id (user) : NULL;

  g_return_if_fail (ADW_IS_AVATAR (avatar) || ROSTER_IS_AVATAR (avatar));

  if (client == NULL || id == NULL || roster_user_get_string (user, "photo") == NULL)
    {
      g_object_set_data (G_OBJECT (avatar), "roster-photo", NULL);
      avatar_set_image (avatar, NULL);
      return;
    }
  if (photo != NULL && g_strcmp0 (photo->user_id, id) == 0
      && g_strcmp0 (photo->version, roster_user_get_version (user)) == 0)
    return;
  if (photo == NULL || g_strcmp0 (photo->user_id, id) != 0)
    avatar_set_image (avatar, NULL);
  photo = g_new0 (AvatarPhoto, 1);
  photo->cancellable = g_cancellable_new ();
  photo->user_id = g_strdup (id);
  photo->version = g_strdup (roster_user_get_version (user));
  /* Replacing the old state cancels its fetch. */
  g_object_set_data_full (G_OBJECT (avatar), "roster-photo", photo, avatar_photo_free);
  roster_client_get_photo_async (client, user, photo->cancellable, show_bytes_cb, avatar);
}
