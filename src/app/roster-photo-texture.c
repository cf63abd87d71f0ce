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

#include "roster-photo-texture.h"

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
