/* roster-db-private.h: what a RosterDb backend implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backend's connection starts with a RosterDb, its statements with a RosterDbStmt, and
 * roster-db.c calls through the connection's table. One indirect call per step or column
 * is a nanosecond or two; a SQLite step is a microsecond or more.
 */
#pragma once

#include "roster-db.h"

G_BEGIN_DECLS

typedef struct
{
  void            (*close)                (RosterDb     *db);
  RosterDbStmt   *(*prepare)              (RosterDb     *db,
                                           const char   *sql,
                                           gboolean      persistent);
  void            (*stmt_free)            (RosterDbStmt *stmt);
  void            (*stmt_reset)           (RosterDbStmt *stmt);
  int             (*bind_parameter_count) (RosterDbStmt *stmt);
  void            (*bind_null)            (RosterDbStmt *stmt,
                                           int           index);
  void            (*bind_int64)           (RosterDbStmt *stmt,
                                           int           index,
                                           gint64        value);
  void            (*bind_double)          (RosterDbStmt *stmt,
                                           int           index,
                                           double        value);
  void            (*bind_text)            (RosterDbStmt *stmt,
                                           int           index,
                                           const char   *value);
  void            (*bind_blob)            (RosterDbStmt *stmt,
                                           int           index,
                                           gconstpointer data,
                                           gsize         size);
  RosterDbStep    (*step)                 (RosterDbStmt *stmt);
  gboolean        (*column_is_null)       (RosterDbStmt *stmt,
                                           int           column);
  gint64          (*column_int64)         (RosterDbStmt *stmt,
                                           int           column);
  double          (*column_double)        (RosterDbStmt *stmt,
                                           int           column);
  const char     *(*column_text)          (RosterDbStmt *stmt,
                                           int           column);
  gconstpointer   (*column_blob)          (RosterDbStmt *stmt,
                                           int           column,
                                           gsize        *size);
  gboolean        (*exec)                 (RosterDb     *db,
                                           const char   *sql);
  gint64          (*changes)              (RosterDb     *db);
  gboolean        (*in_transaction)       (RosterDb     *db);
  gboolean        (*reconnect)            (RosterDb     *db); /* optional */
  RosterDbFailure (*get_failure)          (RosterDb     *db);
  const char     *(*errmsg)               (RosterDb     *db);
} RosterDbVTable;

struct _RosterDb
{
  const RosterDbVTable *vtable;
  RosterDbDialect dialect;
};

struct _RosterDbStmt
{
  RosterDb *db;
};

G_END_DECLS
