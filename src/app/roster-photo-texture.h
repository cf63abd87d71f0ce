/* roster-photo-texture.h: a user's photo, decoded off the main thread, in an avatar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

void        roster_photo_texture_new_async  (GBytes              *bytes,
                                             int                  size,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GdkTexture *roster_photo_texture_new_finish (GAsyncResult        *result,
                                             GError             **error);

void        roster_photo_texture_show       (GtkWidget           *avatar,
                                             RosterClient        *client,
                                             RosterUser          *user);

G_END_DECLS
