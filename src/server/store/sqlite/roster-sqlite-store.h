/* roster-sqlite-store.h: the embedded default store, one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-secret-box.h"
#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_SQLITE_STORE_SCHEMA_VERSION 16

#define ROSTER_TYPE_SQLITE_STORE (roster_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (RosterSqliteStore, roster_sqlite_store, ROSTER, SQLITE_STORE, GObject)

RosterSqliteStore *roster_sqlite_store_new (const char       *path,
                                            RosterSecretBox  *secrets,
                                            GError          **error);
RosterSqliteStore *roster_sqlite_store_new_postgres (const char       *conninfo,
                                                     RosterSecretBox  *secrets,
                                                     GError          **error);

G_END_DECLS
