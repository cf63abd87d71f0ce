/* roster-password-strength.h: libpwquality's verdict on a password, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      roster_password_strength_check_async     (const char          *password,
                                                    const char          *user_name,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
int       roster_password_strength_check_finish    (GAsyncResult        *result,
                                                    char               **hint,
                                                    GError             **error);
void      roster_password_strength_generate_async  (GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char     *roster_password_strength_generate_finish (GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
