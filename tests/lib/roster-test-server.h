/* roster-test-server.h: run a real rosterd on 127.0.0.1 for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char *data_dir;    /* fresh temp dir, removed by stop */
  char *base_url;    /* first stdout line */
  char *setup_token; /* contents of DATA_DIR/setup-token, or NULL */

  /*< private >*/
  GDataInputStream *stdout_stream;
  char **extra_args;
  gboolean owns_data_dir;
  char *database; /* with $ROSTER_TEST_POSTGRES: rosterd's --database */
  gboolean shares_database; /* another server's (roster_test_server_start_sharing()) */
} RosterTestServer;

RosterTestServer *roster_test_server_start         (const char *const *extra_args);
char             *roster_test_server_database_for  (const char        *data_dir);
RosterTestServer *roster_test_server_start_sharing (RosterTestServer  *other,
                                                    const char *const *extra_args);
RosterTestServer *roster_test_server_start_in      (const char        *data_dir,
                                                    const char *const *extra_args);
void              roster_test_server_restart       (RosterTestServer  *server);
void              roster_test_server_pause         (RosterTestServer  *server);
void              roster_test_server_resume        (RosterTestServer  *server);
void              roster_test_server_crash_restart (RosterTestServer  *server);
void              roster_test_server_set_database_available (RosterTestServer *server,
                                                             gboolean          available);
char             *roster_test_server_setup_admin   (RosterTestServer  *server,
                                                    const char        *user_name,
                                                    const char        *password);
char             *roster_test_server_sign_in       (RosterTestServer  *server,
                                                    const char        *user_name,
                                                    const char        *password);
char             *roster_test_server_request       (RosterTestServer  *server,
                                                    const char        *method,
                                                    const char        *path,
                                                    const char        *token,
                                                    const char        *content_type,
                                                    const char        *body,
                                                    guint             *status_out);
char             *roster_test_server_request_full  (RosterTestServer   *server,
                                                    const char         *method,
                                                    const char         *path,
                                                    const char         *token,
                                                    const char         *content_type,
                                                    const char         *body,
                                                    gsize               body_length,
                                                    guint              *status_out,
                                                    GHashTable        **headers_out);
char             *roster_test_server_request_headers (RosterTestServer  *server,
                                                      const char        *method,
                                                      const char        *path,
                                                      const char        *token,
                                                      const char        *body,
                                                      const char *const *headers,
                                                      guint             *status_out,
                                                      GHashTable       **headers_out);
GBytes           *roster_test_server_request_bytes (RosterTestServer  *server,
                                                    const char        *method,
                                                    const char        *path,
                                                    const char        *token,
                                                    guint             *status_out,
                                                    GHashTable       **headers_out);
void              roster_test_server_stop          (RosterTestServer  *server);

G_END_DECLS
