/* roster-sqlite-db.c: RosterDb on SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin layer: a RosterDbStmt is a sqlite3_stmt, and each call is the SQLite call of the
 * same name. Text and blobs are bound SQLITE_TRANSIENT (copied), as the store always did.
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "roster-db-private.h"
#include "roster-error.h"
#include "roster-sqlite-db.h"

/* How long a write waits for another process's write to finish (rosterd --workers). */
#define BUSY_TIMEOUT_MS 5000

typedef struct
{
  RosterDb parent;
  sqlite3 *handle;
} RosterSqliteDb;

typedef struct
{
  RosterDbStmt parent;
  sqlite3_stmt *handle;
} RosterSqliteDbStmt;

static const RosterDbVTable sqlite_vtable;

static inline sqlite3_stmt *
handle_of (RosterDbStmt *stmt)
{
  return ((RosterSqliteDbStmt *) stmt)->handle;
}

static inline sqlite3 *
db_handle (RosterDb *db)
{
  return ((RosterSqliteDb *) db)->handle;
}

sqlite3 *
roster_sqlite_db_get_handle (RosterDb *db)
{
  g_return_val_if_fail (db != NULL && db->vtable == &sqlite_vtable, NULL);
  return db_handle (db);
}

/**
 * roster_sqlite_db_open:
 * @path: the database file, created if missing (never through a symbolic link)
 *
 * Returns: (transfer full): the connection, or %NULL with @error set to a message for the
 * operator
 */
RosterDb *
roster_sqlite_db_open (const char *path, GError **error)
{
  RosterSqliteDb *self = g_new0 (RosterSqliteDb, 1);
  int rc;

  self->parent.vtable = &sqlite_vtable;
  self->parent.dialect = ROSTER_DB_DIALECT_SQLITE;
  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE, _("cannot open database %s: %s"),
                   path, self->handle != NULL ? sqlite3_errmsg (self->handle) : g_strerror (ENOMEM));
      sqlite3_close (self->handle);
      g_free (self);
      return NULL;
    }
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->handle, 1);
  return &self->parent;
}

static void
sqlite_close (RosterDb *db)
{
  RosterSqliteDb *self = (RosterSqliteDb *) db;

  /* Every statement must be finalized by now: sqlite3_close() refuses otherwise. */
  if (sqlite3_close (self->handle) != SQLITE_OK)
    g_warning ("SQLite: close failed: %s", sqlite3_errmsg (self->handle));
  g_free (self);
}

static RosterDbStmt *
sqlite_prepare (RosterDb *db, const char *sql, gboolean persistent)
{
  sqlite3_stmt *handle = NULL;
  RosterSqliteDbStmt *stmt;

  if (sqlite3_prepare_v3 (db_handle (db), sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                          &handle, NULL)
      != SQLITE_OK)
    {
      sqlite3_finalize (handle);
      return NULL;
    }
  stmt = g_new0 (RosterSqliteDbStmt, 1);
  stmt->parent.db = db;
  stmt->handle = handle;
  return &stmt->parent;
}

static void
sqlite_stmt_free (RosterDbStmt *stmt)
{
  sqlite3_finalize (handle_of (stmt));
  g_free (stmt);
}

static void
sqlite_stmt_reset (RosterDbStmt *stmt)
{
  sqlite3_reset (handle_of (stmt));
  sqlite3_clear_bindings (handle_of (stmt));
}

static int
sqlite_bind_parameter_count (RosterDbStmt *stmt)
{
  return sqlite3_bind_parameter_count (handle_of (stmt));
}

static void
sqlite_bind_null (RosterDbStmt *stmt, int index)
{
  sqlite3_bind_null (handle_of (stmt), index);
}

static void
sqlite_bind_int64 (RosterDbStmt *stmt, int index, gint64 value)
{
  sqlite3_bind_int64 (handle_of (stmt), index, value);
}

static void
sqlite_bind_double (RosterDbStmt *stmt, int index, double value)
{
  sqlite3_bind_double (handle_of (stmt), index, value);
}

static void
sqlite_bind_text (RosterDbStmt *stmt, int index, const char *value)
{
  sqlite3_bind_text (handle_of (stmt), index, value, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_blob (RosterDbStmt *stmt, int index, gconstpointer data, gsize size)
{
  /* A zero-length blob is a blob, not NULL: SQLite binds NULL for a NULL pointer. */
  sqlite3_bind_blob64 (handle_of (stmt), index, data != NULL ? data : "", size,
                       SQLITE_TRANSIENT);
}

static RosterDbStep
sqlite_step (RosterDbStmt *stmt)
{
  switch (sqlite3_step (handle_of (stmt)))
    {
    case SQLITE_ROW:
      return ROSTER_DB_ROW;
    case SQLITE_DONE:
      return ROSTER_DB_DONE;
    default:
      return ROSTER_DB_ERROR;
    }
}

static gboolean
sqlite_column_is_null (RosterDbStmt *stmt, int column)
{
  return sqlite3_column_type (handle_of (stmt), column) == SQLITE_NULL;
}

static gint64
sqlite_column_int64 (RosterDbStmt *stmt, int column)
{
  return sqlite3_column_int64 (handle_of (stmt), column);
}

static double
sqlite_column_double (RosterDbStmt *stmt, int column)
{
  return sqlite3_column_double (handle_of (stmt), column);
}

static const char *
sqlite_column_text (RosterDbStmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (handle_of (stmt), column);
}

static gconstpointer
sqlite_column_blob (RosterDbStmt *stmt, int column, gsize *size)
{
  /* The blob first, then its size: asking for the size first may convert the value. */
  gconstpointer data = sqlite3_column_blob (handle_of (stmt), column);

  *size = (gsize) sqlite3_column_bytes (handle_of (stmt), column);
  return data;
}

static gboolean
sqlite_exec (RosterDb *db, const char *sql)
{
  return sqlite3_exec (db_handle (db), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static gint64
sqlite_changes (RosterDb *db)
{
  return sqlite3_changes64 (db_handle (db));
}

static gboolean
sqlite_in_transaction (RosterDb *db)
{
  return !sqlite3_get_autocommit (db_handle (db));
}

static RosterDbFailure
sqlite_get_failure (RosterDb *db)
{
  int code = sqlite3_extended_errcode (db_handle (db));

  switch (code)
    {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return ROSTER_DB_FAILURE_NONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ROSTER_DB_FAILURE_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ROSTER_DB_FAILURE_FOREIGN;
    default:
      return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED
               ? ROSTER_DB_FAILURE_BUSY
               : ROSTER_DB_FAILURE_OTHER;
    }
}

static const char *
sqlite_errmsg (RosterDb *db)
{
  return sqlite3_errmsg (db_handle (db));
}

static const RosterDbVTable sqlite_vtable = {
  .close = sqlite_close,
  .prepare = sqlite_prepare,
  .stmt_free = sqlite_stmt_free,
  .stmt_reset = sqlite_stmt_reset,
  .bind_parameter_count = sqlite_bind_parameter_count,
  .bind_null = sqlite_bind_null,
  .bind_int64 = sqlite_bind_int64,
  .bind_double = sqlite_bind_double,
  .bind_text = sqlite_bind_text,
  .bind_blob = sqlite_bind_blob,
  .step = sqlite_step,
  .column_is_null = sqlite_column_is_null,
  .column_int64 = sqlite_column_int64,
  .column_double = sqlite_column_double,
  .column_text = sqlite_column_text,
  .column_blob = sqlite_column_blob,
  .exec = sqlite_exec,
  .changes = sqlite_changes,
  .in_transaction = sqlite_in_transaction,
  .get_failure = sqlite_get_failure,
  .errmsg = sqlite_errmsg,
};
