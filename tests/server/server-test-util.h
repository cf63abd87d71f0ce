/* server-test-util.h: assertions shared by the rosterd tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-test-server.h"

G_BEGIN_DECLS

#define ADMIN_NAME "admin"
#define ADMIN_PASSWORD "correct horse battery"

JsonNode   *test_parse_object      (const char  *body);
void        test_assert_scim_error (const char  *body,
                                    guint        status,
                                    const char  *code,
                                    const char  *scim_type);
char       *test_user_json         (const char  *user_name,
                                    const char  *email,
                                    const char  *password);
/* Whether rosterd keeps its data in PostgreSQL ($ROSTER_TEST_POSTGRES), and the SQL of the
 * dialect it speaks, for what has no text both accept. */
gboolean    test_db_is_postgres    (void);
#define TEST_SQL(sqlite, postgres) (test_db_is_postgres () ? (postgres) : (sqlite))
/* Skips the rest of a test that is about SQLite itself (its files, PRAGMAs, query plans);
 * returns TRUE if it did. */
gboolean    test_skip_unless_sqlite (const char *what);

gint64      test_db_query_int      (const char  *data_dir,
                                    const char  *sql);
char       *test_db_query_text     (const char  *data_dir,
                                    const char  *sql);
GBytes     *test_read_db_bytes     (const char  *data_dir);
gboolean    test_bytes_contain     (GBytes      *haystack,
                                    const char  *needle);
void        test_remove_tree       (const char  *path);
void        test_db_exec           (const char  *data_dir,
                                    const char  *sql);
char       *test_sign_in_json      (const char  *user_name,
                                    const char  *password);
char       *test_try_sign_in       (RosterTestServer *server,
                                    const char  *user_name,
                                    const char  *password,
                                    guint       *status);
char       *test_create_user       (RosterTestServer *server,
                                    const char  *token,
                                    const char  *user_name,
                                    const char  *password);
char       *test_send_json         (RosterTestServer *server,
                                    const char  *method,
                                    const char  *path,
                                    const char  *token,
                                    const char  *json,
                                    guint       *status);
JsonObject *test_roster_extension  (JsonNode    *user);

char       *test_jq                (const char  *text);
JsonNode   *test_call              (RosterTestServer  *server,
                                    const char        *token,
                                    const char        *method,
                                    const char        *path,
                                    const char        *jq_body,
                                    const char *const *headers,
                                    guint              expected_status,
                                    GHashTable       **headers_out);
char       *test_create            (RosterTestServer  *server,
                                    const char        *token,
                                    const char        *path,
                                    const char        *jq_body);
char       *test_db_snapshot       (const char        *data_dir);

gboolean    test_clock_advance     (RosterTestServer  *server,
                                    gint64             seconds);
#define TEST_DAY ((gint64) 86400)
/* The schema version rosterd migrates to (ROSTER_SQLITE_STORE_SCHEMA_VERSION). */
#define TEST_SCHEMA_VERSION 16

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterTestServer, roster_test_server_stop)

G_END_DECLS
