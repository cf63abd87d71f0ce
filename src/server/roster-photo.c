/* roster-photo.c: profile photos, checked and re-encoded off the main thread
 *
 * A photo arrives as PNG or JPEG bytes. It is decoded by gdk-pixbuf with only those two
 * loaders allowed, refused before decoding if its header declares more than
 * ROSTER_PHOTO_MAX_SOURCE_SIDE pixels on a side, turned upright by its EXIF orientation,
 * cropped to the centred square, scaled down to ROSTER_PHOTO_SIZE and written again as PNG.
 * What is stored is therefore always a fresh PNG with no metadata (no EXIF, no GPS, no
 * comments), whatever the upload held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "roster-error.h"
#include "roster-photo.h"

static const char *
sniff_type (GBytes *image)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (image, &size);

  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpeg";
  return NULL;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, message);
  return FALSE;
}

static void
size_prepared_cb (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  gboolean *too_large = user_data;

  if (width > ROSTER_PHOTO_MAX_SOURCE_SIDE || height > ROSTER_PHOTO_MAX_SOURCE_SIDE
      || width <= 0 || height <= 0)
    *too_large = TRUE; /* decode() stops feeding the loader */
}

static GdkPixbuf *
decode (GBytes *image, GError **error)
{
  const char *type = sniff_type (image);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean too_large = FALSE, ok = TRUE;
  GdkPixbuf *pixbuf;
  gsize size = 0;
  const guchar *data = g_bytes_get_data (image, &size);

  if (type == NULL)
    {
      invalid (error, _("The photo must be a PNG or JPEG image"));
      return NULL;
    }
  loader = gdk_pixbuf_loader_new_with_type (type, &local_error);
  if (loader == NULL)
    {
      g_warning ("No gdk-pixbuf loader for %s: %s", type, local_error->message);
      invalid (error, _("This server cannot read PNG or JPEG images"));
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &too_large);
  /* Fed in small pieces, so the header's size is known before the pixels are decoded. */
  for (gsize done = 0; done < size && !too_large && ok;)
    {
      gsize piece = MIN (size - done, 4096);

      ok = gdk_pixbuf_loader_write (loader, data + done, piece, NULL);
      done += piece;
    }
  if (!ok || too_large || !gdk_pixbuf_loader_close (loader, NULL))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      if (too_large)
        {
          g_autofree char *message = g_strdup_printf (
            _("The photo is too large: at most %d × %d pixels"), ROSTER_PHOTO_MAX_SOURCE_SIDE,
            ROSTER_PHOTO_MAX_SOURCE_SIDE);

          invalid (error, message);
        }
      else
        invalid (error, _("The photo could not be read: the image is damaged or incomplete"));
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      invalid (error, _("The photo could not be read: the image is damaged or incomplete"));
      return NULL;
    }
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

static GBytes *
normalize (GBytes *image, GError **error)
{
  g_autoptr(GdkPixbuf) upright = decode (image, error);
  g_autoptr(GdkPixbuf) square = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) local_error = NULL;
  gchar *buffer = NULL;
  gsize length = 0;
  int width, height, side, out;

  if (upright == NULL)
    return NULL;
  width = gdk_pixbuf_get_width (upright);
  height = gdk_pixbuf_get_height (upright);
  side = MIN (width, height);
  square = gdk_pixbuf_new_subpixbuf (upright, (width - side) / 2, (height - side) / 2, side,
                                     side);
  out = MIN (side, ROSTER_PHOTO_SIZE);
  scaled = out == side ? g_object_ref (square)
                       : gdk_pixbuf_scale_simple (square, out, out, GDK_INTERP_BILINEAR);
  if (scaled == NULL)
    {
      invalid (error, _("The photo could not be read: the image is damaged or incomplete"));
      return NULL;
    }
  /* No options: gdk-pixbuf's PNG writer then adds no text chunks at all. */
  if (!gdk_pixbuf_save_to_buffer (scaled, &buffer, &length, "png", &local_error, NULL))
    {
      g_warning ("Encoding a photo as PNG failed: %s", local_error->message);
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                           _("The photo could not be stored"));
      return NULL;
    }
  return g_bytes_new_take (buffer, length);
}

static void
normalize_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *result = normalize (task_data, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) g_bytes_unref);
}

/**
 * roster_photo_normalize_async:
 * @image: the uploaded bytes
 *
 * Checks and re-encodes @image in a worker thread. Fails with %ROSTER_ERROR_INVALID_VALUE
 * (and a sentence saying why) for anything but a readable PNG or JPEG of a sane size.
 */
void
roster_photo_normalize_async (GBytes *image, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, roster_photo_normalize_async);
  g_task_set_task_data (task, g_bytes_ref (image), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, normalize_thread);
}

/**
 * roster_photo_normalize_finish:
 *
 * Returns: (transfer full): the photo as a square PNG of at most ROSTER_PHOTO_SIZE pixels
 */
GBytes *
roster_photo_normalize_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
