/* test-db.c: RosterDb's backends, SQLite and PostgreSQL, held to the same checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every common check runs twice: on a SQLite file in a temp dir, and on a fresh database of
 * the PostgreSQL server named by $ROSTER_TEST_POSTGRES (the `postgres` test setup, with
 * tests/harness/postgres.sh's server, as tools/test.sh runs it), dropped after the check.
 * Without $ROSTER_TEST_POSTGRES the PostgreSQL checks skip. The store's code is written once
 * against RosterDb, so what it may count on is what both backends do alike. Only the DDL
 * differs (roster_db_get_dialect() picks it, as the store does). A few checks are
 * PostgreSQL's own: the schema, the indexes of page orders, DEALLOCATE, connection errors.
 * No rosterd.
 */
#define G_LOG_DOMAIN "test-db"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "roster-db.h"
#include "roster-error.h"
#include "roster-postgres-schema.h"
#include "server-test-util.h"

#define SKIP_POSTGRES                                                                              \
  "no PostgreSQL: $ROSTER_TEST_POSTGRES is not set (tests/harness/postgres.sh start DIR, then "    \
  "meson test --setup postgres, as tools/test.sh does)"

typedef RosterDbStmt Stmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stmt, roster_db_stmt_free)

typedef enum
{
  BACKEND_SQLITE,
  BACKEND_POSTGRES,
} Backend;

typedef struct
{
  RosterDb *db;
  char *dir;      /* SQLite's */
  char *database; /* PostgreSQL's, made for this check */
} Fixture;

static guint n_databases;

/* ------------------------------------------------------------------ helpers */

/* Runs @sql on the server's maintenance database ($ROSTER_TEST_POSTGRES names it). */
static void
postgres_admin (const char *sql)
{
  g_autoptr(GError) error = NULL;
  RosterDb *admin = roster_postgres_db_open (g_getenv ("ROSTER_TEST_POSTGRES"), &error);

  g_assert_no_error (error);
  if (!roster_db_exec (admin, sql))
    g_error ("%s: %s", sql, roster_db_errmsg (admin));
  roster_db_close (admin);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  if (GPOINTER_TO_INT (data) == BACKEND_SQLITE)
    {
      g_autofree char *path = NULL;

      f->dir = g_dir_make_tmp ("test-db-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (f->dir, "roster.db", NULL);
      f->db = roster_sqlite_db_open (path, &error);
      g_assert_no_error (error);
      /* As the store has it: SQLite checks foreign keys only when asked. */
      g_assert_true (roster_db_exec (f->db, "PRAGMA foreign_keys = ON"));
    }
  else
    {
      g_autofree char *create = NULL;
      g_autofree char *conninfo = NULL;

      /* A database of its own, so that no check sees another's tables (or pg_trgm). */
      f->database = g_strdup_printf ("test_db_%d_%u", (int) getpid (), ++n_databases);
      create = g_strdup_printf ("CREATE DATABASE %s", f->database);
      postgres_admin (create);
      /* libpq takes the last dbname= */
      conninfo = g_strdup_printf ("%s dbname=%s", g_getenv ("ROSTER_TEST_POSTGRES"), f->database);
      f->db = roster_postgres_db_open (conninfo, &error);
      g_assert_no_error (error);
    }
  g_assert_nonnull (f->db);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  roster_db_close (f->db);
  if (f->dir != NULL)
    test_remove_tree (f->dir);
  if (f->database != NULL)
    {
      g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", f->database);

      postgres_admin (drop);
    }
  g_free (f->dir);
  g_free (f->database);
}

static gboolean
is_postgres (Fixture *f)
{
  return roster_db_get_dialect (f->db) == ROSTER_DB_DIALECT_POSTGRES;
}

static void
exec_ok (Fixture *f, const char *sql)
{
  if (!roster_db_exec (f->db, sql))
    g_error ("%s: %s", sql, roster_db_errmsg (f->db));
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
}

/* The table most checks use, in each dialect. */
static void
create_values_table (Fixture *f)
{
  exec_ok (f, is_postgres (f)
                  ? "CREATE TABLE t (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT,"
                    " b BYTEA)"
                  : "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB)");
}

static Stmt *
prepare_ok (Fixture *f, const char *sql, gboolean persistent)
{
  Stmt *s = roster_db_prepare (f->db, sql, persistent);

  if (s == NULL)
    g_error ("prepare %s: %s", sql, roster_db_errmsg (f->db));
  return s;
}

static void
step_expect (Fixture *f, Stmt *s, RosterDbStep expected)
{
  RosterDbStep got = roster_db_step (s);

  if (got != expected)
    g_error ("step gave %d, not %d: %s", got, expected, roster_db_errmsg (f->db));
}

/* One integer from @sql, which has no parameters. */
static gint64
query_int64 (Fixture *f, const char *sql)
{
  g_autoptr(Stmt) s = prepare_ok (f, sql, FALSE);
  gint64 value;

  step_expect (f, s, ROSTER_DB_ROW);
  value = roster_db_column_int64 (s, 0);
  step_expect (f, s, ROSTER_DB_DONE);
  return value;
}

/* ------------------------------------------------------------------ values */

static const guint8 blob_bytes[] = { 0x00, 0xff, 0x01, 0x80, 0x5c, 0x78, 0x00 }; /* NUL, \x */

typedef struct
{
  gint64 i;
  double d;
  const char *s;   /* NULL: NULL */
  const guint8 *b; /* NULL: NULL */
  gsize b_size;
} Row;

static const Row rows[] = {
  { G_MAXINT64, 0.1, "Zoë Ångström ✓ 𝄞", blob_bytes, sizeof blob_bytes },
  { G_MININT64, -1e300, "", (const guint8 *) "", 0 }, /* empty text, empty blob */
  { 0, 3.141592653589793, NULL, NULL, 0 },
  { -1, 5e-324, "it's \"quoted\" \\ ?1", (const guint8 *) "\xff", 1 },
};

static void
bind_row (Stmt *s, gint64 id, const Row *row)
{
  roster_db_bind_int64 (s, 1, id);
  roster_db_bind_int64 (s, 2, row->i);
  roster_db_bind_double (s, 3, row->d);
  roster_db_bind_text (s, 4, row->s);
  if (row->b != NULL)
    roster_db_bind_blob (s, 5, row->b, row->b_size);
  else
    roster_db_bind_null (s, 5);
}

static void
test_values (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) insert = NULL;
  g_autoptr(Stmt) select = NULL;
  g_autoptr(Stmt) pair = NULL;

  create_values_table (f);
  insert = prepare_ok (f, "INSERT INTO t (id, i, d, s, b) VALUES (?1, ?2, ?3, ?4, ?5)", TRUE);
  g_assert_cmpint (roster_db_bind_parameter_count (insert), ==, 5);
  for (guint n = 0; n < G_N_ELEMENTS (rows); n++)
    {
      bind_row (insert, n, &rows[n]);
      step_expect (f, insert, ROSTER_DB_DONE);
      g_assert_cmpint (roster_db_changes (f->db), ==, 1);
      roster_db_stmt_reset (insert);
    }

  /* b twice: both blobs must stay readable until the next step. */
  select
      = prepare_ok (f, "SELECT i, d, s, b, b, s IS NOT NULL, s IS NULL FROM t WHERE id = ?", TRUE);
  for (guint n = 0; n < G_N_ELEMENTS (rows); n++)
    {
      const Row *row = &rows[n];
      gconstpointer blob;
      gconstpointer blob_again;
      gsize size = 99;
      gsize size_again = 99;

      roster_db_bind_int64 (select, 1, n);
      step_expect (f, select, ROSTER_DB_ROW);
      g_assert_false (roster_db_column_is_null (select, 0));
      g_assert_cmpint (roster_db_column_int64 (select, 0), ==, row->i);
      g_assert_cmpfloat (roster_db_column_double (select, 1), ==, row->d);
      if (row->s != NULL)
        {
          g_assert_false (roster_db_column_is_null (select, 2));
          g_assert_cmpstr (roster_db_column_text (select, 2), ==, row->s);
        }
      else
        {
          g_assert_true (roster_db_column_is_null (select, 2));
          g_assert_null (roster_db_column_text (select, 2));
          g_assert_cmpint (roster_db_column_int64 (select, 2), ==, 0);
          g_assert_cmpfloat (roster_db_column_double (select, 2), ==, 0);
        }
      blob = roster_db_column_blob (select, 3, &size);
      blob_again = roster_db_column_blob (select, 4, &size_again);
      if (row->b != NULL)
        {
          g_assert_false (roster_db_column_is_null (select, 3));
          /* A zero-length blob may come back as NULL (SQLite's does): its size says it. */
          g_assert_cmpmem (blob, size, row->b, row->b_size);
          g_assert_cmpmem (blob_again, size_again, row->b, row->b_size);
        }
      else
        {
          g_assert_true (roster_db_column_is_null (select, 3));
          g_assert_null (blob);
          g_assert_cmpuint (size, ==, 0);
        }
      /* A boolean expression reads as the integer it is in SQLite. */
      g_assert_cmpint (roster_db_column_int64 (select, 5), ==, row->s != NULL);
      g_assert_cmpint (roster_db_column_int64 (select, 6), ==, row->s == NULL);
      g_assert_cmpstr (roster_db_column_text (select, 5), ==, row->s != NULL ? "1" : "0");
      step_expect (f, select, ROSTER_DB_DONE);
      roster_db_stmt_reset (select);
    }

  /* An id without a row: done at once. */
  roster_db_bind_int64 (select, 1, 12345);
  step_expect (f, select, ROSTER_DB_DONE);
  roster_db_stmt_reset (select);

  /* Two different blobs of one row, both read before either is compared: the first must
   * still hold its bytes after the second is read. */
  pair = prepare_ok (f, "SELECT x.b, y.b FROM t x, t y WHERE x.id = ?1 AND y.id = ?2", FALSE);
  roster_db_bind_int64 (pair, 1, 0);
  roster_db_bind_int64 (pair, 2, 3);
  step_expect (f, pair, ROSTER_DB_ROW);
  {
    gsize size_x = 0;
    gsize size_y = 0;
    gconstpointer x = roster_db_column_blob (pair, 0, &size_x);
    gconstpointer y = roster_db_column_blob (pair, 1, &size_y);

    g_assert_cmpmem (x, size_x, rows[0].b, rows[0].b_size);
    g_assert_cmpmem (y, size_y, rows[3].b, rows[3].b_size);
  }
  step_expect (f, pair, ROSTER_DB_DONE);
}

/* Two statements open at once, neither persistent: each keeps its own SQL and result. */
static void
test_interleaved (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) a = NULL;
  g_autoptr(Stmt) b = NULL;

  create_values_table (f);
  exec_ok (f, "INSERT INTO t (id, i) VALUES (1, 10), (2, 20), (3, 30)");
  a = prepare_ok (f, "SELECT i FROM t WHERE id >= ?1 ORDER BY id", FALSE);
  b = prepare_ok (f, "SELECT i * 2 FROM t WHERE id = ?1", FALSE);
  for (int round = 0; round < 2; round++)
    {
      roster_db_bind_int64 (a, 1, 2);
      roster_db_bind_int64 (b, 1, 1);
      step_expect (f, a, ROSTER_DB_ROW);
      step_expect (f, b, ROSTER_DB_ROW);
      g_assert_cmpint (roster_db_column_int64 (a, 0), ==, 20);
      g_assert_cmpint (roster_db_column_int64 (b, 0), ==, 20);
      step_expect (f, b, ROSTER_DB_DONE);
      step_expect (f, a, ROSTER_DB_ROW);
      g_assert_cmpint (roster_db_column_int64 (a, 0), ==, 30);
      step_expect (f, a, ROSTER_DB_DONE);
      roster_db_stmt_reset (a);
      roster_db_stmt_reset (b);
      exec_ok (f, "SELECT 1"); /* in PostgreSQL, a simple query drops the unnamed statement */
    }
}

/* ------------------------------------------------------------------ parameters */

static void
assert_texts (Fixture *f, const char *sql, int n_params, const char *const *binds,
              const char *const *expected)
{
  g_autoptr(Stmt) s = prepare_ok (f, sql, FALSE);
  int n = 0;

  g_assert_cmpint (roster_db_bind_parameter_count (s), ==, n_params);
  for (int i = 0; i < n_params; i++)
    if (binds[i] != NULL)
      roster_db_bind_text (s, i + 1, binds[i]);
  step_expect (f, s, ROSTER_DB_ROW);
  for (n = 0; expected[n] != NULL; n++)
    {
      const char *want = strcmp (expected[n], "(null)") == 0 ? NULL : expected[n];

      g_assert_cmpstr (roster_db_column_text (s, n), ==, want);
    }
  step_expect (f, s, ROSTER_DB_DONE);
}

static void
test_parameters (Fixture *f, gconstpointer data)
{
  /* ?N reused, in any order */
  assert_texts (f, "SELECT ?2, ?1, ?2", 2, (const char *[]){ "a", "b" },
                (const char *[]){ "b", "a", "b", NULL });
  /* bare ?, counted from the left */
  assert_texts (f, "SELECT ?, ?, ?", 3, (const char *[]){ "a", "b", "c" },
                (const char *[]){ "a", "b", "c", NULL });
  /* a bare ? after ?2 is ?3, as SQLite numbers it */
  assert_texts (f, "SELECT ?2, ?", 3, (const char *[]){ NULL, "b", "c" },
                (const char *[]){ "b", "c", NULL });
  /* a gap: ?2 is never used, yet the statement prepares; unbound ?3 is NULL */
  assert_texts (f, "SELECT ?1, ?3", 3, (const char *[]){ "a", NULL, NULL },
                (const char *[]){ "a", "(null)", NULL });
  assert_texts (f, "SELECT ?1, ?3", 3, (const char *[]){ "a", NULL, "c" },
                (const char *[]){ "a", "c", NULL });
  /* ? in literals, quoted identifiers and comments is text */
  assert_texts (f,
                "SELECT '?', 'it''s ?2', ? AS \"what?\" -- and ?7?\n"
                ", /* ?9 */ ?",
                2, (const char *[]){ "a", "b" },
                (const char *[]){ "?", "it's ?2", "a", "b", NULL });
}

/* ------------------------------------------------------------------ reuse, changes */

static void
test_persistent_reuse (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) insert = NULL;
  g_autoptr(Stmt) select = NULL;

  create_values_table (f);
  insert = prepare_ok (f, "INSERT INTO t (id, i, s) VALUES (?1, ?2, ?3)", TRUE);
  select = prepare_ok (f, "SELECT i, s FROM t WHERE id = ?1", TRUE);
  exec_ok (f, "BEGIN");
  for (int n = 0; n < 1000; n++)
    {
      g_autofree char *text = g_strdup_printf ("row %d", n);

      roster_db_bind_int64 (insert, 1, n);
      roster_db_bind_int64 (insert, 2, n * 3);
      roster_db_bind_text (insert, 3, text);
      step_expect (f, insert, ROSTER_DB_DONE);
      g_assert_cmpint (roster_db_changes (f->db), ==, 1);
      roster_db_stmt_reset (insert);

      roster_db_bind_int64 (select, 1, n);
      step_expect (f, select, ROSTER_DB_ROW);
      g_assert_cmpint (roster_db_column_int64 (select, 0), ==, n * 3);
      g_assert_cmpstr (roster_db_column_text (select, 1), ==, text);
      step_expect (f, select, ROSTER_DB_DONE);
      roster_db_stmt_reset (select);
    }
  exec_ok (f, "COMMIT");
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM t"), ==, 1000);
  g_assert_cmpint (query_int64 (f, "SELECT sum(i) FROM t"), ==, 3 * 999 * 1000 / 2);

  /* Reset clears the bindings: unbound, the id is NULL and matches nothing. */
  step_expect (f, select, ROSTER_DB_DONE);
}

static void
test_changes (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) update = NULL;
  g_autoptr(Stmt) select = NULL;

  create_values_table (f);
  exec_ok (f, "INSERT INTO t (id, i) VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)");
  g_assert_cmpint (roster_db_changes (f->db), ==, 5);

  update = prepare_ok (f, "UPDATE t SET i = i + 1 WHERE id <= ?1", TRUE);
  roster_db_bind_int64 (update, 1, 3);
  step_expect (f, update, ROSTER_DB_DONE);
  g_assert_cmpint (roster_db_changes (f->db), ==, 3);
  roster_db_stmt_reset (update);

  /* A SELECT changes nothing, and changes() still says the last write's count. */
  select = prepare_ok (f, "SELECT id FROM t", TRUE);
  while (roster_db_step (select) == ROSTER_DB_ROW)
    ;
  g_assert_cmpint (roster_db_changes (f->db), ==, 3);

  roster_db_bind_int64 (update, 1, 0);
  step_expect (f, update, ROSTER_DB_DONE);
  g_assert_cmpint (roster_db_changes (f->db), ==, 0);

  exec_ok (f, "DELETE FROM t WHERE id > 1");
  g_assert_cmpint (roster_db_changes (f->db), ==, 4);
}

/* ------------------------------------------------------------------ transactions */

static void
test_transactions (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) begin = NULL;
  g_autoptr(Stmt) insert = NULL;

  create_values_table (f);
  g_assert_false (roster_db_in_transaction (f->db));
  exec_ok (f, "BEGIN");
  g_assert_true (roster_db_in_transaction (f->db));
  exec_ok (f, "INSERT INTO t (id) VALUES (1)");
  exec_ok (f, "COMMIT");
  g_assert_false (roster_db_in_transaction (f->db));

  /* The store prepares BEGIN and ROLLBACK once, like any statement. */
  begin = prepare_ok (f, "BEGIN", TRUE);
  step_expect (f, begin, ROSTER_DB_DONE);
  roster_db_stmt_reset (begin);
  g_assert_true (roster_db_in_transaction (f->db));
  exec_ok (f, "INSERT INTO t (id) VALUES (2)");
  exec_ok (f, "ROLLBACK");
  g_assert_false (roster_db_in_transaction (f->db));
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM t"), ==, 1);

  /* A failed statement leaves the transaction open, for the store to roll back (in
   * PostgreSQL it can do nothing else). */
  step_expect (f, begin, ROSTER_DB_DONE);
  roster_db_stmt_reset (begin);
  insert = prepare_ok (f, "INSERT INTO t (id) VALUES (?1)", TRUE);
  roster_db_bind_int64 (insert, 1, 1);
  step_expect (f, insert, ROSTER_DB_ERROR);
  roster_db_stmt_reset (insert);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_UNIQUE);
  g_assert_true (roster_db_in_transaction (f->db));
  exec_ok (f, "ROLLBACK");
  g_assert_false (roster_db_in_transaction (f->db));

  /* Savepoints, as the store nests its transactions. */
  exec_ok (f, "BEGIN");
  exec_ok (f, "INSERT INTO t (id) VALUES (3)");
  exec_ok (f, "SAVEPOINT nested");
  roster_db_bind_int64 (insert, 1, 1);
  step_expect (f, insert, ROSTER_DB_ERROR);
  roster_db_stmt_reset (insert);
  exec_ok (f, "ROLLBACK TO nested; RELEASE nested");
  g_assert_true (roster_db_in_transaction (f->db));
  exec_ok (f, "COMMIT");
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM t"), ==, 2);
}

/* ------------------------------------------------------------------ failures */

#define SECRET_NAME "alice-7f3a9"

static void
assert_no_value (Fixture *f, const char *value)
{
  const char *message = roster_db_errmsg (f->db);

  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  if (strstr (message, value) != NULL)
    g_error ("the error message holds the value %s: %s", value, message);
}

static void
test_failures (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) insert_user = NULL;
  g_autoptr(Stmt) insert_session = NULL;
  Stmt *bad;

  exec_ok (f, "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  exec_ok (f, "CREATE TABLE s (token TEXT PRIMARY KEY,"
              " user_id INTEGER NOT NULL REFERENCES u (id) ON DELETE CASCADE)");
  insert_user = prepare_ok (f, "INSERT INTO u (id, name) VALUES (?1, ?2)", TRUE);
  insert_session = prepare_ok (f, "INSERT INTO s (token, user_id) VALUES (?1, ?2)", TRUE);

  roster_db_bind_int64 (insert_user, 1, 1);
  roster_db_bind_text (insert_user, 2, SECRET_NAME);
  step_expect (f, insert_user, ROSTER_DB_DONE);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
  roster_db_stmt_reset (insert_user);

  /* UNIQUE, on the name: the message names the constraint, never the name */
  roster_db_bind_int64 (insert_user, 1, 2);
  roster_db_bind_text (insert_user, 2, SECRET_NAME);
  step_expect (f, insert_user, ROSTER_DB_ERROR);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_UNIQUE);
  assert_no_value (f, SECRET_NAME);
  roster_db_stmt_reset (insert_user);

  /* and on the primary key */
  roster_db_bind_int64 (insert_user, 1, 1);
  roster_db_bind_text (insert_user, 2, "bob");
  step_expect (f, insert_user, ROSTER_DB_ERROR);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_UNIQUE);
  roster_db_stmt_reset (insert_user);

  /* FOREIGN KEY */
  roster_db_bind_text (insert_session, 1, "token-1");
  roster_db_bind_int64 (insert_session, 2, 4242);
  step_expect (f, insert_session, ROSTER_DB_ERROR);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_FOREIGN);
  assert_no_value (f, "4242");
  roster_db_stmt_reset (insert_session);

  /* success clears the failure */
  roster_db_bind_text (insert_session, 1, "token-1");
  roster_db_bind_int64 (insert_session, 2, 1);
  step_expect (f, insert_session, ROSTER_DB_DONE);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
  roster_db_stmt_reset (insert_session);
  exec_ok (f, "DELETE FROM u WHERE id = 1");
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM s"), ==, 0); /* ON DELETE CASCADE */

  /* A syntax error fails at prepare, persistent or not, and in exec */
  for (int persistent = 0; persistent < 2; persistent++)
    {
      bad = roster_db_prepare (f->db, "SELEC 1 FROM u", persistent);
      g_assert_null (bad);
      g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_OTHER);
      assert_no_value (f, SECRET_NAME);
    }
  g_assert_null (roster_db_prepare (f->db, "SELECT id FROM no_such_table", TRUE));
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_OTHER);
  g_assert_false (roster_db_exec (f->db, "SELEC 1"));
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_OTHER);
  g_assert_cmpint (query_int64 (f, "SELECT 7"), ==, 7);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
}

/* ------------------------------------------------------------------ exec */

static void
test_exec (Fixture *f, gconstpointer data)
{
  exec_ok (f, "CREATE TABLE a (x INTEGER NOT NULL);"
              " INSERT INTO a VALUES (1);"
              " -- a comment between statements\n"
              " INSERT INTO a VALUES (2); INSERT INTO a VALUES (3)");
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM a"), ==, 3);
  g_assert_cmpint (query_int64 (f, "SELECT sum(x) FROM a"), ==, 6);

  /* It stops at the first failure. (What ran before it stays in SQLite; PostgreSQL runs
   * the text as one transaction, and parses all of it first, so nothing of it stays. The
   * store's exec texts are all-or-nothing, or inside its own transaction.) */
  g_assert_false (
      roster_db_exec (f->db, "INSERT INTO a VALUES (4); SELEC; INSERT INTO a VALUES (5)"));
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_OTHER);
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM a WHERE x = 5"), ==, 0);
  g_assert_false (roster_db_in_transaction (f->db));
}

/* ------------------------------------------------------------------ PostgreSQL only */

static const char *const schema_tables[] = {
  "activation_links",
  "audit_events",
  "deleted_users",
  "group_members",
  "group_permissions",
  "groups",
  "mail_outbox",
  "records",
  "render_version",
  "role_permissions",
  "roles",
  "schema_version",
  "sessions",
  "settings",
  "setup",
  "sign_in_refusals",
  "user_emails",
  "user_entitlements",
  "user_password_history",
  "user_phone_numbers",
  "user_photos",
  "user_roles",
  "users",
};

/* Runs every PostgreSQL migration, as rosterd does on an empty database. */
static void
migrate (Fixture *f)
{
  const char *sql;
  guint version = 0;
  guint next = 0;

  while ((sql = roster_postgres_schema_migration (version, &next)) != NULL)
    {
      g_assert_cmpuint (next, >, version);
      exec_ok (f, sql);
      version = next;
    }
  g_assert_cmpuint (version, >=, ROSTER_POSTGRES_SCHEMA_FIRST_VERSION);
}

static void
test_postgres_schema (Fixture *f, gconstpointer data)
{
  g_autoptr(Stmt) tables = NULL;
  g_autoptr(Stmt) insert_user = NULL;
  g_autoptr(Stmt) insert_photo = NULL;
  g_autoptr(Stmt) photo = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  gconstpointer data_out;
  gsize size;

  migrate (f);
  tables = prepare_ok (f,
                       "SELECT table_name FROM information_schema.tables"
                       " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                       " ORDER BY table_name::text COLLATE \"C\"",
                       FALSE);
  while (roster_db_step (tables) == ROSTER_DB_ROW)
    g_ptr_array_add (found, g_strdup (roster_db_column_text (tables, 0)));
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
  g_assert_cmpuint (found->len, ==, G_N_ELEMENTS (schema_tables));
  for (guint i = 0; i < G_N_ELEMENTS (schema_tables); i++)
    g_assert_cmpstr (g_ptr_array_index (found, i), ==, schema_tables[i]);
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"),
                   ==, 1);

  /* The schema works with the store's way of writing: a user, whose row bumps the render
   * version (a row-level trigger), and a photo in a bytea column. */
  insert_user = prepare_ok (f,
                            "INSERT INTO users (id, user_name, user_name_folded, created,"
                            " last_modified) VALUES (?1, ?2, lower (?2), ?3, ?3)",
                            TRUE);
  roster_db_bind_text (insert_user, 1, "u-1");
  roster_db_bind_text (insert_user, 2, "Zoë");
  roster_db_bind_int64 (insert_user, 3, 1700000000);
  step_expect (f, insert_user, ROSTER_DB_DONE);
  g_assert_cmpint (query_int64 (f, "SELECT n FROM render_version"), ==, 1);
  g_assert_cmpint (query_int64 (f, "SELECT rowid FROM users WHERE id = 'u-1'"), ==, 1);

  insert_photo
      = prepare_ok (f, "INSERT INTO user_photos (user_id, data, updated) VALUES (?, ?, ?)", TRUE);
  roster_db_bind_text (insert_photo, 1, "u-1");
  roster_db_bind_blob (insert_photo, 2, blob_bytes, sizeof blob_bytes);
  roster_db_bind_int64 (insert_photo, 3, 1700000001);
  step_expect (f, insert_photo, ROSTER_DB_DONE);
  g_assert_cmpint (query_int64 (f, "SELECT n FROM render_version"), ==, 2);
  /* A statement that changes no row leaves the stamp (and every rosterd's render cache). */
  exec_ok (f, "UPDATE users SET failed_logins = 0 WHERE id = 'nobody'");
  g_assert_cmpint (query_int64 (f, "SELECT n FROM render_version"), ==, 2);
  photo = prepare_ok (f, "SELECT data, roster_date (updated) FROM user_photos WHERE user_id = ?1",
                      TRUE);
  roster_db_bind_text (photo, 1, "u-1");
  step_expect (f, photo, ROSTER_DB_ROW);
  data_out = roster_db_column_blob (photo, 0, &size);
  g_assert_cmpmem (data_out, size, blob_bytes, sizeof blob_bytes);
  g_assert_cmpstr (roster_db_column_text (photo, 1), ==, "2023-11-14T22:13:21Z");
  step_expect (f, photo, ROSTER_DB_DONE);
}

/* Every order the store reads pages in (users by each sortBy, groups, the audit log by
 * time and by action, also for one target or actor) is served by an index in both
 * directions, so a page deep in 100,000 users reads the index instead of sorting them all.
 * The directions are roster_sqlite_store_sort_order()'s; with sorting disabled, PostgreSQL
 * still sorts where no index has the order, and the plan says so. @ stands for the
 * direction. */
static const char *const page_orders[] = {
  "SELECT u.rowid FROM users u ORDER BY u.user_name_folded @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.display_name_folded @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.given_name_folded @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.family_name_folded @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.email_folded @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.employee_number @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.created @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.last_modified @, u.id @",
  "SELECT u.rowid FROM users u ORDER BY u.last_login @, u.id @",
  "SELECT t.id FROM groups t ORDER BY t.display_name_folded @, t.id @",
  "SELECT a.seq FROM audit_events a ORDER BY a.time @, a.seq @",
  "SELECT a.seq FROM audit_events a WHERE a.target_id = 'x' ORDER BY a.time @, a.seq @",
  "SELECT a.seq FROM audit_events a WHERE a.actor_id = 'x' ORDER BY a.time @, a.seq @",
  "SELECT a.seq FROM audit_events a ORDER BY a.action @, a.time @, a.seq @",
};

static void
test_postgres_page_orders (Fixture *f, gconstpointer data)
{
  const char *directions[] = { "ASC NULLS FIRST", "DESC NULLS LAST" };

  migrate (f);
  exec_ok (f, "SET enable_sort = off");
  for (guint i = 0; i < G_N_ELEMENTS (page_orders); i++)
    for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
      {
        g_auto(GStrv) parts = g_strsplit (page_orders[i], "@", -1);
        g_autofree char *query = g_strjoinv (directions[d], parts);
        g_autofree char *explain = g_strdup_printf ("EXPLAIN %s LIMIT 50 OFFSET 1000", query);
        g_autoptr(Stmt) s = prepare_ok (f, explain, FALSE);
        g_autoptr(GString) plan = g_string_new (NULL);

        while (roster_db_step (s) == ROSTER_DB_ROW)
          g_string_append_printf (plan, "%s\n", roster_db_column_text (s, 0));
        g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_NONE);
        if (strstr (plan->str, "Sort") != NULL)
          g_error ("no index serves %s:\n%s", query, plan->str);
      }
}

/* A freed persistent statement is deallocated on the server at once, inside a transaction
 * too (prepared statements are not transactional), and the transaction goes on as it was.
 * In a failed transaction the server refuses the DEALLOCATE: the statement stays until the
 * connection closes, and the transaction's failure is still the one to report. */
static void
test_postgres_deallocate (Fixture *f, gconstpointer data)
{
  const char *count = "SELECT count(*) FROM pg_prepared_statements";
  gint64 before = query_int64 (f, count);
  g_autoptr(Stmt) insert = NULL;
  Stmt *s = prepare_ok (f, "SELECT 1", TRUE);

  g_assert_cmpint (query_int64 (f, count), ==, before + 1);
  roster_db_stmt_free (s);
  g_assert_cmpint (query_int64 (f, count), ==, before);

  s = prepare_ok (f, "SELECT 2", TRUE);
  exec_ok (f, "BEGIN");
  roster_db_stmt_free (s);
  g_assert_true (roster_db_in_transaction (f->db));
  g_assert_cmpint (query_int64 (f, count), ==, before);
  exec_ok (f, "COMMIT");

  exec_ok (f, "CREATE TABLE u (id BIGINT PRIMARY KEY)");
  insert = prepare_ok (f, "INSERT INTO u (id) VALUES (1)", TRUE);
  s = prepare_ok (f, "SELECT 3", TRUE);
  exec_ok (f, "BEGIN; INSERT INTO u (id) VALUES (1)");
  step_expect (f, insert, ROSTER_DB_ERROR);
  roster_db_stmt_reset (insert);
  roster_db_stmt_free (s);
  g_assert_cmpint (roster_db_get_failure (f->db), ==, ROSTER_DB_FAILURE_UNIQUE);
  g_assert_true (roster_db_in_transaction (f->db));
  exec_ok (f, "ROLLBACK");
  g_assert_cmpint (query_int64 (f, "SELECT count(*) FROM u"), ==, 0);
}

static void
test_postgres_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  RosterDb *db;

  /* libpq quotes the text around a mistake: never when it may be a password */
  db = roster_postgres_db_open ("host=/nonexistent password secret-9b1c", &error);
  g_assert_null (db);
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "secret-9b1c"));
  g_clear_error (&error);
  /* A malformed URI: libpq's own message would quote all of it. */
  db = roster_postgres_db_open ("postgresql://alice:secret-9b1c@[::1", &error);
  g_assert_null (db);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE);
  g_assert_null (strstr (error->message, "secret-9b1c"));
  g_assert_nonnull (strstr (error->message, "not valid"));
  g_clear_error (&error);

  conninfo = g_strdup_printf ("host=%s/missing dbname=nowhere-db user=roster password=secret-9b1c",
                              g_get_tmp_dir ());
  db = roster_postgres_db_open (conninfo, &error);
  g_assert_null (db);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "nowhere-db"));
  g_assert_null (strstr (error->message, "secret-9b1c"));
}

/* ------------------------------------------------------------------ main */

typedef void (*Check) (Fixture *f, gconstpointer data);

static const struct
{
  const char *name;
  Check check;
} checks[] = {
  { "values", test_values },         { "interleaved", test_interleaved },
  { "parameters", test_parameters }, { "persistent-reuse", test_persistent_reuse },
  { "changes", test_changes },       { "transactions", test_transactions },
  { "failures", test_failures },     { "exec", test_exec },
};

static void
skip_postgres (gconstpointer data)
{
  g_test_skip (SKIP_POSTGRES);
}

/* Adds a check on @backend; on PostgreSQL without a server, one that says why it skips. */
static void
add_check (Backend backend, const char *name, Check check)
{
  static const char *const backends[] = { "sqlite", "postgres" };
  g_autofree char *path = g_strdup_printf ("/db/%s/%s", backends[backend], name);

  if (backend == BACKEND_POSTGRES && g_getenv ("ROSTER_TEST_POSTGRES") == NULL)
    g_test_add_data_func (path, NULL, skip_postgres);
  else
    g_test_add (path, Fixture, GINT_TO_POINTER (backend), fixture_set_up, check, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (int b = BACKEND_SQLITE; b <= BACKEND_POSTGRES; b++)
    for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
      add_check (b, checks[i].name, checks[i].check);
  add_check (BACKEND_POSTGRES, "schema", test_postgres_schema);
  add_check (BACKEND_POSTGRES, "page-orders", test_postgres_page_orders);
  add_check (BACKEND_POSTGRES, "deallocate", test_postgres_deallocate);
  /* Needs no server: the connections fail before they reach one. */
  g_test_add_func ("/db/postgres/open-errors", test_postgres_open_errors);
  return g_test_run ();
}
