/* roster-db.c: RosterDb's calls, sent to the connection's backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "roster-db-private.h"

#define STMT_CALL(stmt, fn, ...) ((stmt)->db->vtable->fn ((stmt), ##__VA_ARGS__))

void
roster_db_close (RosterDb *db)
{
  if (db != NULL)
    db->vtable->close (db);
}

RosterDbDialect
roster_db_get_dialect (RosterDb *db)
{
  return db->dialect;
}

RosterDbStmt *
roster_db_prepare (RosterDb *db, const char *sql, gboolean persistent)
{
  return db->vtable->prepare (db, sql, persistent);
}

void
roster_db_stmt_free (RosterDbStmt *stmt)
{
  if (stmt != NULL)
    stmt->db->vtable->stmt_free (stmt);
}

void
roster_db_stmt_reset (RosterDbStmt *stmt)
{
  STMT_CALL (stmt, stmt_reset);
}

int
roster_db_bind_parameter_count (RosterDbStmt *stmt)
{
  return STMT_CALL (stmt, bind_parameter_count);
}

void
roster_db_bind_null (RosterDbStmt *stmt, int index)
{
  STMT_CALL (stmt, bind_null, index);
}

void
roster_db_bind_int64 (RosterDbStmt *stmt, int index, gint64 value)
{
  STMT_CALL (stmt, bind_int64, index, value);
}

void
roster_db_bind_double (RosterDbStmt *stmt, int index, double value)
{
  STMT_CALL (stmt, bind_double, index, value);
}

void
roster_db_bind_text (RosterDbStmt *stmt, int index, const char *value)
{
  if (value == NULL)
    STMT_CALL (stmt, bind_null, index);
  else
    STMT_CALL (stmt, bind_text, index, value);
}

void
roster_db_bind_blob (RosterDbStmt *stmt, int index, gconstpointer data, gsize size)
{
  STMT_CALL (stmt, bind_blob, index, data, size);
}

RosterDbStep
roster_db_step (RosterDbStmt *stmt)
{
  return STMT_CALL (stmt, step);
}

gboolean
roster_db_column_is_null (RosterDbStmt *stmt, int column)
{
  return STMT_CALL (stmt, column_is_null, column);
}

gint64
roster_db_column_int64 (RosterDbStmt *stmt, int column)
{
  return STMT_CALL (stmt, column_int64, column);
}

double
roster_db_column_double (RosterDbStmt *stmt, int column)
{
  return STMT_CALL (stmt, column_double, column);
}

const char *
roster_db_column_text (RosterDbStmt *stmt, int column)
{
  return STMT_CALL (stmt, column_text, column);
}

gconstpointer
roster_db_column_blob (RosterDbStmt *stmt, int column, gsize *size)
{
  return STMT_CALL (stmt, column_blob, column, size);
}

gboolean
roster_db_exec (RosterDb *db, const char *sql)
{
  return db->vtable->exec (db, sql);
}

gint64
roster_db_changes (RosterDb *db)
{
  return db->vtable->changes (db);
}

gboolean
roster_db_in_transaction (RosterDb *db)
{
  return db->vtable->in_transaction (db);
}

gboolean
roster_db_reconnect (RosterDb *db)
{
  return db->vtable->reconnect != NULL && db->vtable->reconnect (db);
}

RosterDbFailure
roster_db_get_failure (RosterDb *db)
{
  return db->vtable->get_failure (db);
}

const char *
roster_db_errmsg (RosterDb *db)
{
  return db->vtable->errmsg (db);
}
