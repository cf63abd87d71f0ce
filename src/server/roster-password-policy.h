/* roster-password-policy.h: what a new password must pass before it is hashed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void  roster_password_policy_hash_async  (const char          *password,
                                          const char          *user_name,
                                          gint64               min_quality,
                                          const char *const   *old_hashes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char *roster_password_policy_hash_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
