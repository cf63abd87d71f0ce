/* roster-postgres-schema.h: the store's tables in PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SQLite store's schema version that PostgreSQL support starts at. */
#define ROSTER_POSTGRES_SCHEMA_FIRST_VERSION 14

const char *roster_postgres_schema_migration (guint  version,
                                              guint *next_version);

G_END_DECLS
