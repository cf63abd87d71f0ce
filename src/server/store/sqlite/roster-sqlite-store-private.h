/* roster-sqlite-store-private.h: what the files of RosterSqliteStore share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-db.h"
#include "roster-scim-filter.h"

#include "roster-sqlite-store.h"

G_BEGIN_DECLS

/* Since when an account counts as unused. */
#define INACTIVE_SINCE "max (coalesce (last_login, created), coalesce (inactivity_reset, 0))"
#define INACTIVE_SINCE_POSTGRES                                                                    \
  "greatest (coalesce (last_login, created), coalesce (inactivity_reset, 0))"

/* The advisory lock every write transaction takes in PostgreSQL: one writer at a time, over
 * every rosterd of the database ("roster" in ASCII). */
#define ROSTER_POSTGRES_WRITE_LOCK 125823003944306

/* The ids of a JSON array bound as ?1, for `x IN IN_IDS`, in each dialect; statements
 * holding it are written as a macro of it and kept as a pair for DIALECT_SQL(). */
#define IN_IDS_SQLITE "(SELECT value FROM json_each (?1))"
#define IN_IDS_POSTGRES "(SELECT json_array_elements_text (CAST (?1 AS json)))"
#define DIALECT_PAIR(template) { template (IN_IDS_SQLITE), template (IN_IDS_POSTGRES) }
#define DIALECT_SQL(self, pair) ((pair)[roster_sqlite_store_is_postgres (self) ? 1 : 0])

/* @sqlite, or @postgres when the store's database is PostgreSQL: both string literals, whose
 * addresses key roster_sqlite_store_cached(). */
#define ROSTER_SQL(self, sqlite, postgres)                                                         \
  (roster_sqlite_store_is_postgres (self) ? (postgres) : (sqlite))

/* A statement borrowed from a cache: reset and unbound when it goes out of scope. */
typedef RosterDbStmt RosterStmt;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterStmt, roster_db_stmt_reset)

/* roster-sqlite-store.c */
gboolean      roster_sqlite_store_is_postgres       (RosterSqliteStore *self);
RosterScimSqlDialect roster_sqlite_store_sql_dialect (RosterSqliteStore *self);
const char   *roster_sqlite_store_sort_order        (RosterSqliteStore *self,
                                                     gboolean           descending);
RosterDb     *roster_sqlite_store_db                (RosterSqliteStore *self);
RosterStmt   *roster_sqlite_store_query             (RosterSqliteStore *self,
                                                     const char        *sql,
                                                     GPtrArray         *params,
                                                     GError           **error);
RosterStmt   *roster_sqlite_store_cached            (RosterSqliteStore *self,
                                                     const char        *sql,
                                                     GError           **error);
gboolean      roster_sqlite_store_fail              (RosterSqliteStore *self,
                                                     GError           **error,
                                                     const char        *what);
gboolean      roster_sqlite_store_begin             (RosterSqliteStore *self,
                                                     gboolean           write,
                                                     GError           **error);
gboolean      roster_sqlite_store_commit            (RosterSqliteStore *self,
                                                     GError           **error);
void          roster_sqlite_store_rollback          (RosterSqliteStore *self);
JsonObject   *roster_sqlite_store_parse             (RosterSqliteStore *self,
                                                     const char        *text,
                                                     GError           **error);
RosterSecretBox *roster_sqlite_store_get_secrets    (RosterSqliteStore *self);
gboolean      roster_sqlite_store_user_exists       (RosterSqliteStore *self,
                                                     const char        *id,
                                                     gboolean          *exists,
                                                     GError           **error);

/* roster-sqlite-store-access.c: roles, groups, and the users' roles, entitlements,
 * memberships and grants */
void          roster_sqlite_store_access_iface_init (RosterStoreInterface *iface);
gboolean      roster_sqlite_store_write_user_access (RosterSqliteStore *self,
                                                     const char        *id,
                                                     JsonObject        *resource,
                                                     GError           **error);
char         *roster_sqlite_store_ids_json          (GPtrArray         *ids);
gboolean      roster_sqlite_store_fill_users        (RosterSqliteStore *self,
                                                     GPtrArray         *records,
                                                     GError           **error);
gboolean      roster_sqlite_store_user_leaving      (RosterSqliteStore *self,
                                                     const char        *id,
                                                     GError           **error);

RosterUserRecord *roster_sqlite_store_get_record_locked (RosterSqliteStore *self,
                                                        const char        *id,
                                                        GError           **error);
RosterUserRecord *roster_sqlite_store_insert_user      (RosterSqliteStore *self,
                                                        const char        *id,
                                                        JsonObject        *resource,
                                                        const char        *password_hash,
                                                        GError           **error);
gboolean      roster_sqlite_store_delete_user_locked (RosterSqliteStore *self,
                                                     const char        *id,
                                                     gint64             if_version,
                                                     GError           **error);

/* roster-sqlite-store-audit.c: the audit log */
void          roster_sqlite_store_audit_iface_init  (RosterStoreInterface *iface);

/* roster-sqlite-store-photo.c: profile photos */
void          roster_sqlite_store_photo_iface_init  (RosterStoreInterface *iface);
/* roster-sqlite-store-totp.c: TOTP secrets */
void          roster_sqlite_store_totp_iface_init   (RosterStoreInterface *iface);
/* roster-sqlite-store-lifecycle.c: records, deleted users, seats */
void          roster_sqlite_store_lifecycle_iface_init (RosterStoreInterface *iface);

/* roster-sqlite-store-totp.c */
gboolean      roster_sqlite_store_seal_totp         (RosterSqliteStore *self,
                                                     GError           **error);
gboolean      roster_sqlite_store_user_name_reserved   (RosterSqliteStore *self,
                                                        const char        *user_name_folded,
                                                        gboolean          *reserved,
                                                        GError           **error);
/* roster-sqlite-store-refusals.c: refused sign-ins per name */
void          roster_sqlite_store_refusals_iface_init (RosterStoreInterface *iface);
/* roster-sqlite-store-mail.c: the e-mail outbox and activation links */
void          roster_sqlite_store_mail_iface_init   (RosterStoreInterface *iface);

G_END_DECLS
