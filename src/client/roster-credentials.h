/* roster-credentials.h: bearer tokens in the Secret Service, or in memory without one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_CREDENTIALS (roster_credentials_get_type ())
G_DECLARE_FINAL_TYPE (RosterCredentials, roster_credentials, ROSTER, CREDENTIALS, GObject)

RosterCredentials *roster_credentials_new          (void);
gboolean           roster_credentials_get_available (RosterCredentials  *self);

void      roster_credentials_store_async   (RosterCredentials   *self,
                                            const char          *server,
                                            const char          *user_name,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  roster_credentials_store_finish  (RosterCredentials   *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void      roster_credentials_lookup_async  (RosterCredentials   *self,
                                            const char          *server,
                                            const char          *user_name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char     *roster_credentials_lookup_finish (RosterCredentials   *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void      roster_credentials_clear_async   (RosterCredentials   *self,
                                            const char          *server,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  roster_credentials_clear_finish  (RosterCredentials   *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
