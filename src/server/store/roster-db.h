/* roster-db.h: one database connection, SQLite or PostgreSQL, behind one small API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's code (users, sessions, roles, the audit log…) is written once against this
 * API; a backend (roster-sqlite-db.c, roster-postgres-db.c) carries it to its database.
 * The API follows SQLite's own shape (prepare, bind, step, column), which costs the
 * embedded default nothing, and which libpq can serve: a PostgreSQL statement runs at its
 * first step and its rows are read from the result one step at a time.
 *
 * SQL text is written with numbered parameters (`?1`, `?2`, …, or bare `?` counted from
 * the left, as SQLite numbers them); the PostgreSQL backend rewrites them to `$1`, `$2`.
 * Where the two dialects differ, the caller picks the text with roster_db_get_dialect().
 *
 * Not thread-safe: one connection belongs to one thread (rosterd's main thread).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ROSTER_DB_DIALECT_SQLITE,
  ROSTER_DB_DIALECT_POSTGRES,
} RosterDbDialect;

/* What a step did. */
typedef enum
{
  ROSTER_DB_ROW,   /* a row is there to read with the column getters */
  ROSTER_DB_DONE,  /* the statement ran to its end */
  ROSTER_DB_ERROR, /* see roster_db_get_failure() and roster_db_errmsg() */
} RosterDbStep;

/* Why the last statement failed, as far as the store's logic cares. */
typedef enum
{
  ROSTER_DB_FAILURE_NONE,
  ROSTER_DB_FAILURE_OTHER,
  ROSTER_DB_FAILURE_UNIQUE,   /* a UNIQUE or PRIMARY KEY constraint */
  ROSTER_DB_FAILURE_FOREIGN,  /* a FOREIGN KEY constraint */
  ROSTER_DB_FAILURE_BUSY,     /* the database is locked or the transaction must be retried */
  ROSTER_DB_FAILURE_UNAVAILABLE, /* the connection to the database server is lost */
} RosterDbFailure;

typedef struct _RosterDb RosterDb;
typedef struct _RosterDbStmt RosterDbStmt;

/* Opening (each backend's own constructor) */
RosterDb       *roster_sqlite_db_open            (const char    *path,
                                                  GError       **error);
RosterDb       *roster_postgres_db_open          (const char    *conninfo,
                                                  GError       **error);
void            roster_db_close                  (RosterDb      *db);
RosterDbDialect roster_db_get_dialect            (RosterDb      *db);

/* Statements. Text and blobs are copied when bound. A statement prepared with
 * @persistent is kept for the connection's lifetime and reused (SQLite's
 * SQLITE_PREPARE_PERSISTENT, a server-side prepared statement in PostgreSQL). */
RosterDbStmt   *roster_db_prepare                (RosterDb      *db,
                                                  const char    *sql,
                                                  gboolean       persistent);
void            roster_db_stmt_free              (RosterDbStmt  *stmt);
/* Back to before its first step, bindings cleared. */
void            roster_db_stmt_reset             (RosterDbStmt  *stmt);
int             roster_db_bind_parameter_count   (RosterDbStmt  *stmt);
void            roster_db_bind_null              (RosterDbStmt  *stmt,
                                                  int            index);
void            roster_db_bind_int64             (RosterDbStmt  *stmt,
                                                  int            index,
                                                  gint64         value);
void            roster_db_bind_double            (RosterDbStmt  *stmt,
                                                  int            index,
                                                  double         value);
/* @value %NULL binds NULL */
void            roster_db_bind_text              (RosterDbStmt  *stmt,
                                                  int            index,
                                                  const char    *value);
void            roster_db_bind_blob              (RosterDbStmt  *stmt,
                                                  int            index,
                                                  gconstpointer  data,
                                                  gsize          size);
RosterDbStep    roster_db_step                   (RosterDbStmt  *stmt);

/* The current row's columns, from 0. What they return lives until the next step or
 * reset. A NULL reads as 0 or %NULL. */
gboolean        roster_db_column_is_null         (RosterDbStmt  *stmt,
                                                  int            column);
gint64          roster_db_column_int64           (RosterDbStmt  *stmt,
                                                  int            column);
double          roster_db_column_double          (RosterDbStmt  *stmt,
                                                  int            column);
const char     *roster_db_column_text            (RosterDbStmt  *stmt,
                                                  int            column);
gconstpointer   roster_db_column_blob            (RosterDbStmt  *stmt,
                                                  int            column,
                                                  gsize         *size);

/* The connection */
/* Runs @sql (one or several statements without parameters) to its end. */
gboolean        roster_db_exec                   (RosterDb      *db,
                                                  const char    *sql);
/* Rows changed by the last INSERT, UPDATE or DELETE that ran to its end. */
gint64          roster_db_changes                (RosterDb      *db);
/* Whether a transaction is open (SQLite may have rolled one back on an error). */
gboolean        roster_db_in_transaction         (RosterDb      *db);
/* Outside a transaction: if the connection to the database server was lost (PostgreSQL
 * restarted, the network dropped), opens it again, at most one attempt a second. Returns
 * whether it did, so the caller may retry what it was beginning. SQLite never loses it. */
gboolean        roster_db_reconnect              (RosterDb      *db);
RosterDbFailure roster_db_get_failure            (RosterDb      *db);
/* What failed, for the log: the database's own message, naming tables and columns,
 * never the bound values. */
const char     *roster_db_errmsg                 (RosterDb      *db);

G_END_DECLS
