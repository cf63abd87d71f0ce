/* roster-password.h: argon2id password hashing, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane; 16-byte salt, 32-byte hash. */
#define ROSTER_PASSWORD_T_COST 2
#define ROSTER_PASSWORD_M_COST 19456
#define ROSTER_PASSWORD_PARALLELISM 1
#define ROSTER_PASSWORD_SALT_BYTES 16
#define ROSTER_PASSWORD_HASH_BYTES 32

gboolean  roster_password_init          (GError             **error);

char     *roster_password_hash          (const char          *password,
                                         GError             **error);
gboolean  roster_password_verify        (const char          *hash,
                                         const char          *password);

void      roster_password_hash_async    (const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char     *roster_password_hash_finish   (GAsyncResult        *result,
                                         GError             **error);
void      roster_password_verify_async  (const char          *hash,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  roster_password_verify_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
