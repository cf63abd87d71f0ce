/* roster-sqlite-db.h: the SQLite backend of RosterDb, and what only SQLite has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "roster-db.h"

G_BEGIN_DECLS

/* The connection itself, for what RosterDb does not carry: SQL functions, PRAGMAs. Only
 * for a RosterDb that roster_sqlite_db_open() made. */
sqlite3 *roster_sqlite_db_get_handle (RosterDb *db);

G_END_DECLS
