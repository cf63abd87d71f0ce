/* server-test-util.c: assertions shared by the rosterd tests
 *
 * The test_db_*() helpers read and write rosterd's database behind its back: DATA_DIR/
 * roster.db, or with $ROSTER_TEST_POSTGRES the PostgreSQL database of DATA_DIR. Their SQL
 * is written once, in what both dialects accept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "server-test-util.h"

/* Parses @body, asserting it is a JSON object. */
JsonNode *
test_parse_object (const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (body);
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_ref (json_parser_get_root (parser));
}

/* Asserts an RFC 7644 §3.12 error with the Roster code (and scimType, if given). */
void
test_assert_scim_error (const char *body, guint status, const char *code, const char *scim_type)
{
  g_autoptr(JsonNode) node = test_parse_object (body);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *status_str = g_strdup_printf ("%u", status);
  JsonArray *schemas;
  JsonObject *ext;

  g_assert_true (json_object_has_member (object, "schemas"));
  schemas = json_object_get_array_member (object, "schemas");
  g_assert_cmpuint (json_array_get_length (schemas), >=, 1);
  g_assert_cmpstr (json_array_get_string_element (schemas, 0), ==,
                   "urn:ietf:params:scim:api:messages:2.0:Error");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, status_str);
  g_assert_true (json_object_has_member (object, "detail"));
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), !=, "");
  ext = json_object_get_object_member (object, "urn:roster:params:scim:api:messages:2.0:Error");
  g_assert_nonnull (ext);
  g_assert_cmpstr (json_object_get_string_member (ext, "code"), ==, code);
  if (scim_type != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (object, "scimType", NULL), ==,
                     scim_type);
}

/* A SCIM User for POST /Users; @email and @password may be NULL. */
char *
test_user_json (const char *user_name, const char *email, const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:scim:schemas:core:2.0:User");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name);
  json_builder_set_member_name (builder, "name");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "givenName");
  json_builder_add_string_value (builder, "Test");
  json_builder_set_member_name (builder, "familyName");
  json_builder_add_string_value (builder, user_name);
  json_builder_end_object (builder);
  if (email != NULL)
    {
      json_builder_set_member_name (builder, "emails");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, email);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  if (password != NULL)
    {
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static sqlite3 *
open_db (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "roster.db", NULL);
  sqlite3 *db = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gboolean
test_db_is_postgres (void)
{
  return g_getenv ("ROSTER_TEST_POSTGRES") != NULL;
}

gboolean
test_skip_unless_sqlite (const char *what)
{
  g_autofree char *message = NULL;

  if (!test_db_is_postgres ())
    return FALSE;
  message = g_strdup_printf ("%s: only SQLite has it", what);
  g_test_skip (message);
  return TRUE;
}

/* Runs @sql on the PostgreSQL database of @data_dir; returns its result. */
static PGresult *
postgres_query (const char *conninfo, const char *sql, ExecStatusType expected)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to PostgreSQL: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != expected)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQfinish (conn);
  return result;
}

/* The text of the one value @sql selects in PostgreSQL (booleans as 1/0, as in SQLite). */
static char *
postgres_query_text (const char *conninfo, const char *sql)
{
  PGresult *result = postgres_query (conninfo, sql, PGRES_TUPLES_OK);
  char *value = NULL;

  g_assert_cmpint (PQntuples (result), >=, 1);
  if (!PQgetisnull (result, 0, 0))
    {
      value = g_strdup (PQgetvalue (result, 0, 0));
      if (PQftype (result, 0) == 16 /* bool */)
        {
          g_free (value);
          value = g_strdup (PQgetvalue (result, 0, 0)[0] == 't' ? "1" : "0");
        }
    }
  PQclear (result);
  return value;
}

/* Runs @sql (one row, one column) on DATA_DIR/roster.db, read-only. */
gint64
test_db_query_int (const char *data_dir, const char *sql)
{
  g_autofree char *conninfo = roster_test_server_database_for (data_dir);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (conninfo != NULL)
    {
      g_autofree char *text = postgres_query_text (conninfo, sql);

      return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
    }
  db = open_db (data_dir);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
test_db_query_text (const char *data_dir, const char *sql)
{
  g_autofree char *conninfo = roster_test_server_database_for (data_dir);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char *value;

  if (conninfo != NULL)
    return postgres_query_text (conninfo, sql);
  db = open_db (data_dir);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The bytes of roster.db and its write-ahead log, as they are on disk now; in PostgreSQL,
 * the text of every row of every table. */
GBytes *
test_read_db_bytes (const char *data_dir)
{
  g_autofree char *conninfo = roster_test_server_database_for (data_dir);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  const char *const names[] = { "roster.db", "roster.db-wal" };

  if (conninfo != NULL)
    {
      PGresult *tables = postgres_query (conninfo,
                                         "SELECT tablename FROM pg_tables "
                                         "WHERE schemaname = current_schema ()",
                                         PGRES_TUPLES_OK);

      for (int i = 0; i < PQntuples (tables); i++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT coalesce (string_agg (CAST (t AS text), "
                                                  "E'\\n'), '') FROM \"%s\" t",
                                                  PQgetvalue (tables, i, 0));
          g_autofree char *rows = postgres_query_text (conninfo, sql);

          g_byte_array_append (all, (const guint8 *) rows, (guint) strlen (rows));
        }
      PQclear (tables);
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (data_dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        g_byte_array_append (all, (const guint8 *) contents, length);
    }
  g_assert_cmpuint (all->len, >, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

gboolean
test_bytes_contain (GBytes *haystack, const char *needle)
{
  gsize length, needle_length = strlen (needle);
  const char *data = g_bytes_get_data (haystack, &length);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Removes @path and everything below it (no symlinks are followed). */
void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* JSON written with ' for " so literals stay readable (no value in them has a '). */
char *
test_jq (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

/**
 * test_call:
 * @jq_body: (nullable): test_jq() JSON
 * @headers: (nullable): name/value pairs
 *
 * Makes a request and asserts its status.
 *
 * Returns: (transfer full) (nullable): the parsed answer, %NULL for an empty one
 */
JsonNode *
test_call (RosterTestServer *server, const char *token, const char *method, const char *path,
           const char *jq_body, const char *const *headers, guint expected_status,
           GHashTable **headers_out)
{
  g_autofree char *body = jq_body != NULL ? test_jq (jq_body) : NULL;
  g_autofree char *response = NULL;
  guint status = 0;

  response = roster_test_server_request_headers (server, method, path, token, body, headers,
                                                 &status, headers_out);
  if (status != expected_status)
    g_error ("%s %s answered %u, not %u: %s", method, path, status, expected_status, response);
  if (*response == '\0')
    return NULL;
  return test_parse_object (response);
}

/* POSTs @jq_body to @path (201) and returns the new resource's id. */
char *
test_create (RosterTestServer *server, const char *token, const char *path,
             const char *jq_body)
{
  g_autoptr(JsonNode) node = test_call (server, token, "POST", path, jq_body, NULL, 201, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

/* Everything the resources are stored as (not sessions, whose use is recorded on reads), to
 * compare before and after a request that must change nothing. */
char *
test_db_snapshot (const char *data_dir)
{
  g_autofree char *conninfo = roster_test_server_database_for (data_dir);

  if (conninfo != NULL)
    {
      return test_db_query_text (
        data_dir,
        "SELECT (SELECT string_agg (id || version || coalesce (resource, ''), '|' ORDER BY id) "
        "FROM users) || ':' || "
        "(SELECT coalesce (string_agg (id || version || resource, '|' ORDER BY id), '') "
        "FROM roles) || ':' || "
        "(SELECT coalesce (string_agg (id || version || resource, '|' ORDER BY id), '') "
        "FROM groups) || ':' || "
        "(SELECT coalesce (string_agg (group_id || user_id || position, '|' "
        "ORDER BY group_id, user_id), '') FROM group_members) || ':' || "
        "(SELECT coalesce (string_agg (user_id || role_id || position, '|' "
        "ORDER BY user_id, role_id), '') FROM user_roles) || ':' || "
        "(SELECT coalesce (string_agg (user_id || permission || position, '|' "
        "ORDER BY user_id, permission), '') FROM user_entitlements) || ':' || "
        "(SELECT coalesce (string_agg (role_id || permission || position, '|' "
        "ORDER BY role_id, permission), '') FROM role_permissions) || ':' || "
        "(SELECT coalesce (string_agg (group_id || permission || position, '|' "
        "ORDER BY group_id, permission), '') FROM group_permissions) || ':' || "
        "(SELECT coalesce (string_agg (id || kind || state || coalesce (owner_user_id, '-') || "
        "coalesce (owner_group_id, '-'), '|' ORDER BY id), '') FROM records) || ':' || "
        "(SELECT coalesce (string_agg (id || purge_at, '|' ORDER BY id), '') "
        "FROM deleted_users) || ':' || (SELECT count(*) FROM user_emails)");
    }
  return test_db_query_text (
    data_dir,
    "SELECT (SELECT group_concat (id || version || coalesce (resource, ''), '|') FROM "
    "(SELECT * FROM users ORDER BY id)) || ':' || "
    "(SELECT coalesce (group_concat (id || version || resource, '|'), '') FROM "
    "(SELECT * FROM roles ORDER BY id)) || ':' || "
    "(SELECT coalesce (group_concat (id || version || resource, '|'), '') FROM "
    "(SELECT * FROM groups ORDER BY id)) || ':' || "
    "(SELECT coalesce (group_concat (group_id || user_id || position, '|'), '') FROM "
    "(SELECT * FROM group_members ORDER BY 1, 2)) || ':' || "
    "(SELECT coalesce (group_concat (user_id || role_id || position, '|'), '') FROM "
    "(SELECT * FROM user_roles ORDER BY 1, 2)) || ':' || "
    "(SELECT coalesce (group_concat (user_id || permission || position, '|'), '') FROM "
    "(SELECT * FROM user_entitlements ORDER BY 1, 2)) || ':' || "
    "(SELECT coalesce (group_concat (role_id || permission || position, '|'), '') FROM "
    "(SELECT * FROM role_permissions ORDER BY 1, 2)) || ':' || "
    "(SELECT coalesce (group_concat (group_id || permission || position, '|'), '') FROM "
    "(SELECT * FROM group_permissions ORDER BY 1, 2)) || ':' || "
    "(SELECT coalesce (group_concat (id || kind || state || coalesce (owner_user_id, '-') || "
    "coalesce (owner_group_id, '-'), '|'), '') FROM (SELECT * FROM records ORDER BY id)) || ':' || "
    "(SELECT coalesce (group_concat (id || purge_at, '|'), '') FROM "
    "(SELECT * FROM deleted_users ORDER BY id)) || ':' || "
    "(SELECT count(*) FROM user_emails)");
}

/* Runs @sql on DATA_DIR/roster.db for writing, as an operator (or a clock) would. */
void
test_db_exec (const char *data_dir, const char *sql)
{
  g_autofree char *conninfo = roster_test_server_database_for (data_dir);
  g_autofree char *path = g_build_filename (data_dir, "roster.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  if (conninfo != NULL)
    {
      PQclear (postgres_query (conninfo, sql, PGRES_COMMAND_OK));
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* {"userName": …, "password": …} for POST /auth/token. */
char *
test_sign_in_json (const char *user_name, const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* POST /auth/token; the whole answer, whatever its status. */
char *
test_try_sign_in (RosterTestServer *server, const char *user_name, const char *password,
                  guint *status)
{
  g_autofree char *request = test_sign_in_json (user_name, password);

  return roster_test_server_request (server, "POST", "/auth/token", NULL, "application/json",
                                     request, status);
}

/* POST /scim/v2/Users with a user and a password; asserts 201 and returns the id. */
char *
test_create_user (RosterTestServer *server, const char *token, const char *user_name,
                  const char *password)
{
  g_autofree char *json = test_user_json (user_name, NULL, password);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  body = roster_test_server_request (server, "POST", "/scim/v2/Users", token,
                                     "application/scim+json", json, &status);
  if (status != 201)
    g_error ("POST /scim/v2/Users answered %u: %s", status, body);
  node = test_parse_object (body);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

/* A JSON request to @path; the answer, whatever its status. */
char *
test_send_json (RosterTestServer *server, const char *method, const char *path,
                const char *token, const char *json, guint *status)
{
  return roster_test_server_request (server, method, path, token,
                                     json != NULL ? "application/scim+json" : NULL, json,
                                     status);
}

/* The Roster extension of a user answer. */
JsonObject *
test_roster_extension (JsonNode *user)
{
  return json_object_get_object_member (json_node_get_object (user),
                                        "urn:roster:params:scim:schemas:extension:crm:2.0:User");
}

/* Moves @server's clock forward by @seconds (and runs its sweeps). Returns FALSE after
 * marking the test skipped when rosterd was built without -Dtest_clock=true. */
gboolean
test_clock_advance (RosterTestServer *server, gint64 seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"advance\": %" G_GINT64_FORMAT "}", seconds);
  g_autofree char *answer = NULL;
  guint status = 0;

  answer = roster_test_server_request (server, "POST", "/_test/clock", NULL, "application/json",
                                       body, &status);
  if (status == 404)
    {
      g_test_skip ("rosterd was built without -Dtest_clock=true");
      return FALSE;
    }
  g_assert_cmpuint (status, ==, 200);
  return TRUE;
}
