/* roster-photo-file.c
 *
 * A photo from a camera is often several megabytes, more than rosterd takes in one request
 * (ROSTER_CLIENT_PHOTO_MAX_SIZE). Rather than refuse it, such a file is decoded and written
 * again smaller, in a GTask thread: upright (its EXIF orientation applied, since the copy
 * has none), at most 2048, then 1024, then 512 pixels on its longer side, as JPEG (PNG if
 * it is transparent), until it fits. rosterd keeps a 512 px square anyway, so nothing a
 * person would see is lost. A file that fits is sent as it is; one that is no image is
 * returned as read, for the client to refuse in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "roster-client.h"
#include "roster-photo-file.h"

/* Files larger than this are not decoded at all: no photo needs it, and a 100 MB file
 * read into memory to find out would be a bad surprise. */
#define READ_MAX_SIZE (64 * 1024 * 1024)

static const int sides[] = { 2048, 1024, 512 };

/* @pixbuf as JPEG or (with an alpha channel) PNG, or NULL with @error. */
static GBytes *
encode (GdkPixbuf *pixbuf, GError **error)
{
  char *buffer = NULL;
  gsize length = 0;
  gboolean saved;

  if (gdk_pixbuf_get_has_alpha (pixbuf))
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error, NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", error, "quality",
                                       "90", NULL);
  return saved ? g_bytes_new_take (buffer, length) : NULL;
}

/* @image written again at the first size that makes it at most @max_size bytes. */
static GBytes *
shrink (GBytes *image, gsize max_size, GCancellable *cancellable, GError **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (image);
  g_autoptr(GdkPixbuf) decoded = gdk_pixbuf_new_from_stream (stream, cancellable, error);
  g_autoptr(GdkPixbuf) upright = NULL;
  int width, height;

  if (decoded == NULL)
    return NULL;
  upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  width = gdk_pixbuf_get_width (upright);
  height = gdk_pixbuf_get_height (upright);
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      double scale = MIN (1.0, (double) sides[i] / MAX (width, height));
      g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (
        upright, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)),
        GDK_INTERP_BILINEAR);
      g_autoptr(GBytes) encoded = NULL;

      if (scaled == NULL)
        break; /* out of memory */
      encoded = encode (scaled, error);
      if (encoded == NULL)
        return NULL;
      if (g_bytes_get_size (encoded) <= max_size || i == G_N_ELEMENTS (sides) - 1)
        return g_steal_pointer (&encoded);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "cannot scale the image");
  return NULL;
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  gsize max_size = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "max-size"));
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *photo;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL && g_file_info_get_size (info) > READ_MAX_SIZE)
    {
      /* The client's own words for a photo too large. */
      roster_client_check_photo_size (g_file_info_get_size (info), &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (info != NULL)
    read = g_file_load_bytes (file, cancellable, NULL, &error);
  if (read == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("cannot read the photo: %s", error->message);
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The image could not be read."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (read) <= max_size)
    {
      g_task_return_pointer (task, g_steal_pointer (&read), (GDestroyNotify) g_bytes_unref);
      return;
    }
  photo = shrink (read, max_size, cancellable, &error);
  if (photo == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Not an image gdk-pixbuf knows: as read, for the client to say what is wrong. */
      g_debug ("cannot scale the photo down: %s", error->message);
      photo = g_steal_pointer (&read);
    }
  g_task_return_pointer (task, photo, (GDestroyNotify) g_bytes_unref);
}

/**
 * roster_photo_file_read_async:
 * @max_size: the most bytes the photo may have (%ROSTER_CLIENT_PHOTO_MAX_SIZE)
 *
 * Reads @file in a worker thread; an image larger than @max_size is scaled down and
 * written again until it fits.
 */
void
roster_photo_file_read_async (GFile *file, gsize max_size, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, roster_photo_file_read_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (task), "max-size", GSIZE_TO_POINTER (max_size));
  g_task_run_in_thread (task, read_thread);
}

/**
 * roster_photo_file_read_finish:
 *
 * Returns: (transfer full): the photo's bytes (PNG or JPEG, unless the file was neither and
 *   fitted), or %NULL with @error
 */
GBytes *
roster_photo_file_read_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
