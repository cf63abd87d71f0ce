/* roster-photo-file.h: an image file read as a photo rosterd takes, scaled down if need be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void    roster_photo_file_read_async  (GFile               *file,
                                       gsize                max_size,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GBytes *roster_photo_file_read_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
