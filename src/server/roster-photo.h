/* roster-photo.h: profile photos, checked and re-encoded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The side of a stored photo, at most: clients send photos already cropped to this. */
#define ROSTER_PHOTO_SIZE 512
/* Larger images are refused before they are decoded (decompression bombs). */
#define ROSTER_PHOTO_MAX_SOURCE_SIDE 8192

void    roster_photo_normalize_async  (GBytes              *image,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GBytes *roster_photo_normalize_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
