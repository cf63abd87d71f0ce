/* roster-sqlite-store.c: RosterStore on one SQLite file
 *
 * One connection, used from the main thread only. Every statement is prepared once and takes
 * bound parameters only. Every write runs in BEGIN IMMEDIATE … COMMIT and is rolled back on
 * any error. SQLite's messages go to the log (they name tables and columns, never values);
 * clients see %ROSTER_ERROR_STORE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "roster-clock.h"
#include "roster-error.h"
#include "roster-schema.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-postgres-schema.h"
#include "roster-sqlite-db.h"
#include "roster-sqlite-store-private.h"
#include "roster-user-resource.h"
#include "roster-token.h"
#include "roster-validation.h"

/* Search statements kept prepared, by their SQL text (roster_sqlite_store_query()). */
#define QUERY_CACHE_SIZE 64

/* The substring index's rows of one value (migration 11): 16 characters from each of the
 * first 1,024 positions, and '' for a longer value. */
#define SUBSTRINGS_OF(attribute, value, row)                                                       \
  "SELECT " attribute ", substr (" value ", p.n, 16), " row " FROM substring_positions p"         \
  " WHERE p.n <= length (" value ") UNION ALL SELECT " attribute ", '', " row                     \
  " WHERE length (" value ") > 1024"
#define SUBSTRINGS_ADD                                                                             \
  "INSERT OR IGNORE INTO user_substrings (attribute, substring, row) "                            \
  SUBSTRINGS_OF ("1", "new.user_name_folded", "new.rowid") " UNION ALL "                          \
  SUBSTRINGS_OF ("2", "new.display_name_folded", "new.rowid") ";"
/* By the whole key (attribute, substring, row), so that it is a few lookups, not a scan. */
#define SUBSTRINGS_REMOVE_OF(attribute, value)                                                     \
  "DELETE FROM user_substrings WHERE attribute = " attribute " AND row = old.rowid"               \
  " AND substring IN (SELECT substr (" value ", p.n, 16) FROM substring_positions p"              \
  " WHERE p.n <= length (" value ") UNION ALL SELECT '');"
#define SUBSTRINGS_REMOVE                                                                          \
  SUBSTRINGS_REMOVE_OF ("1", "old.user_name_folded")                                              \
  SUBSTRINGS_REMOVE_OF ("2", "old.display_name_folded")
#define SUBSTRINGS_TRIGGER(name, event, when, body)                                                \
  "CREATE TRIGGER users_substrings_after_" name " AFTER " event " FOR EACH ROW " when           \
  " BEGIN " body " END;"

/* Schema migrations: migrations[i] takes the schema from version i to i + 1. Append only;
 * never edit a migration that has shipped. */
/* Counts a write to @table in render_version (migration 12). */
#define RENDER_TRIGGER(table, op)                                                                  \
  "CREATE TRIGGER " table "_render_after_" op " AFTER " op " ON " table                           \
  " BEGIN UPDATE render_version SET n = n + 1 WHERE id = 1; END;"
#define RENDER_TRIGGERS(table)                                                                     \
  RENDER_TRIGGER (table, "insert") RENDER_TRIGGER (table, "update")                               \
  RENDER_TRIGGER (table, "delete")

static const char *const migrations[] = {
  /* 1: users, sessions, setup state */
  "CREATE TABLE users ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  user_name TEXT NOT NULL,"
  "  user_name_folded TEXT NOT NULL UNIQUE,"
  "  given_name TEXT,"
  "  family_name TEXT,"
  "  display_name TEXT,"
  "  email TEXT,"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  status TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (status IN ('pending', 'active', 'inactive', 'locked')),"
  "  administrator INTEGER NOT NULL DEFAULT 0 CHECK (administrator IN (0, 1)),"
  "  password_hash TEXT,"
  "  created INTEGER NOT NULL,"
  "  last_modified INTEGER NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX users_user_name ON users (user_name);"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  last_used INTEGER NOT NULL,"
  "  user_agent TEXT,"
  "  peer_address TEXT"
  ");"
  "CREATE INDEX sessions_user_id ON sessions (user_id);"
  "CREATE TABLE setup ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),"
  "  token_hash TEXT"
  ");"
  "INSERT INTO setup (id, done, token_hash) VALUES (1, 0, NULL);",

  /* 2: the whole SCIM resource as JSON, indexed columns for what is filtered, sorted or
   * unique, child tables for multi-valued e-mails and phone numbers, and a trigram index for
   * "co". The folded columns hold roster_user_name_fold() of their value. */
  "ALTER TABLE users ADD COLUMN resource TEXT;"
  "ALTER TABLE users ADD COLUMN display_name_folded TEXT;"
  "ALTER TABLE users ADD COLUMN given_name_folded TEXT;"
  "ALTER TABLE users ADD COLUMN family_name_folded TEXT;"
  "ALTER TABLE users ADD COLUMN email_folded TEXT;"
  "ALTER TABLE users ADD COLUMN employee_number TEXT;"
  "ALTER TABLE users ADD COLUMN external_id TEXT;"
  "ALTER TABLE users ADD COLUMN manager_id TEXT;"
  "ALTER TABLE users ADD COLUMN secondary_manager_id TEXT;"
  "UPDATE users SET"
  "  display_name_folded = roster_fold (display_name),"
  "  given_name_folded = roster_fold (given_name),"
  "  family_name_folded = roster_fold (family_name),"
  "  email_folded = roster_fold (email),"
  "  resource = json_patch ('{}', json_object ("
  "    'userName', user_name,"
  "    'name', json (CASE WHEN given_name IS NULL AND family_name IS NULL THEN NULL"
  "                  ELSE json_object ('givenName', given_name, 'familyName', family_name) END),"
  "    'displayName', display_name,"
  "    'emails', json (CASE WHEN email IS NULL THEN NULL"
  "                    ELSE json_array (json_object ('value', email, 'type', 'work',"
  "                                                  'primary', json ('true'))) END),"
  "    'active', json (CASE WHEN active THEN 'true' ELSE 'false' END),"
  "    'urn:roster:params:scim:schemas:extension:crm:2.0:User', json_object ("
  "      'administrator', json (CASE WHEN administrator THEN 'true' ELSE 'false' END),"
  "      'status', status)));"
  "CREATE TABLE user_emails ("
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  value TEXT NOT NULL,"
  "  value_folded TEXT NOT NULL,"
  "  type TEXT,"
  "  \"primary\" INTEGER NOT NULL DEFAULT 0 CHECK (\"primary\" IN (0, 1)),"
  "  PRIMARY KEY (user_id, position)"
  ") WITHOUT ROWID;"
  "CREATE INDEX user_emails_value_folded ON user_emails (value_folded);"
  "CREATE INDEX user_emails_type ON user_emails (type, value_folded);"
  "CREATE TABLE user_phone_numbers ("
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  value TEXT NOT NULL,"
  "  value_folded TEXT NOT NULL,"
  "  type TEXT,"
  "  \"primary\" INTEGER NOT NULL DEFAULT 0 CHECK (\"primary\" IN (0, 1)),"
  "  PRIMARY KEY (user_id, position)"
  ") WITHOUT ROWID;"
  "CREATE INDEX user_phone_numbers_value_folded ON user_phone_numbers (value_folded);"
  "INSERT INTO user_emails (user_id, position, value, value_folded, type, \"primary\")"
  "  SELECT id, 0, email, roster_fold (email), 'work', 1 FROM users WHERE email IS NOT NULL;"
  "CREATE INDEX users_display_name_folded ON users (display_name_folded, id);"
  "CREATE INDEX users_given_name_folded ON users (given_name_folded, id);"
  "CREATE INDEX users_family_name_folded ON users (family_name_folded, id);"
  "CREATE INDEX users_email_folded ON users (email_folded, id);"
  "CREATE INDEX users_employee_number ON users (employee_number, id);"
  "CREATE INDEX users_external_id ON users (external_id);"
  "CREATE INDEX users_created ON users (created, id);"
  "CREATE INDEX users_last_modified ON users (last_modified, id);"
  "CREATE INDEX users_active_status ON users (active, status);"
  "CREATE INDEX users_administrator ON users (administrator, active, status);"
  "CREATE INDEX users_manager_id ON users (manager_id);"
  "CREATE INDEX users_secondary_manager_id ON users (secondary_manager_id);"
  /* External content: the text lives in users, the FTS rowid is users.rowid. The triggers
   * keep it in step inside every writing transaction. */
  "CREATE VIRTUAL TABLE users_fts USING fts5 ("
  "  user_name, display_name, email, content = 'users', tokenize = 'trigram');"
  "CREATE TRIGGER users_fts_after_insert AFTER INSERT ON users BEGIN"
  "  INSERT INTO users_fts (rowid, user_name, display_name, email)"
  "    VALUES (new.rowid, new.user_name, new.display_name, new.email);"
  "END;"
  "CREATE TRIGGER users_fts_after_delete AFTER DELETE ON users BEGIN"
  "  INSERT INTO users_fts (users_fts, rowid, user_name, display_name, email)"
  "    VALUES ('delete', old.rowid, old.user_name, old.display_name, old.email);"
  "END;"
  "CREATE TRIGGER users_fts_after_update AFTER UPDATE OF user_name, display_name, email"
  "  ON users BEGIN"
  "  INSERT INTO users_fts (users_fts, rowid, user_name, display_name, email)"
  "    VALUES ('delete', old.rowid, old.user_name, old.display_name, old.email);"
  "  INSERT INTO users_fts (rowid, user_name, display_name, email)"
  "    VALUES (new.rowid, new.user_name, new.display_name, new.email);"
  "END;"
  "INSERT INTO users_fts (users_fts) VALUES ('rebuild');",

  /* 3: roles, groups and teams, and the users' roles, entitlements and memberships in child
   * tables (the source of truth: users.resource no longer holds roles or entitlements).
   * Roles before this had no resource to name, so their values are dropped; entitlements
   * that name a permission of the catalogue move to user_entitlements. */
  "CREATE TABLE roles ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  name_folded TEXT NOT NULL UNIQUE,"
  "  description TEXT,"
  "  resource TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  last_modified INTEGER NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE TABLE role_permissions ("
  "  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  permission TEXT NOT NULL,"
  "  PRIMARY KEY (role_id, position)"
  ") WITHOUT ROWID;"
  "CREATE INDEX role_permissions_permission ON role_permissions (permission);"
  "CREATE TABLE groups ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  display_name TEXT NOT NULL,"
  "  display_name_folded TEXT NOT NULL,"
  "  kind TEXT NOT NULL DEFAULT 'group' CHECK (kind IN ('team', 'group')),"
  "  description TEXT,"
  "  external_id TEXT,"
  "  resource TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  last_modified INTEGER NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX groups_display_name_folded ON groups (display_name_folded, id);"
  "CREATE TABLE group_permissions ("
  "  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  permission TEXT NOT NULL,"
  "  PRIMARY KEY (group_id, position)"
  ") WITHOUT ROWID;"
  "CREATE INDEX group_permissions_permission ON group_permissions (permission);"
  "CREATE TABLE group_members ("
  "  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (group_id, user_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX group_members_user_id ON group_members (user_id, group_id);"
  "CREATE TABLE user_roles ("
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  role_id TEXT NOT NULL REFERENCES roles (id),"
  "  position INTEGER NOT NULL,"
  "  type TEXT,"
  "  \"primary\" INTEGER NOT NULL DEFAULT 0 CHECK (\"primary\" IN (0, 1)),"
  "  PRIMARY KEY (user_id, role_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX user_roles_role_id ON user_roles (role_id, user_id);"
  "CREATE TABLE user_entitlements ("
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  permission TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  type TEXT,"
  "  \"primary\" INTEGER NOT NULL DEFAULT 0 CHECK (\"primary\" IN (0, 1)),"
  "  PRIMARY KEY (user_id, permission)"
  ") WITHOUT ROWID;"
  "CREATE INDEX user_entitlements_permission ON user_entitlements (permission, user_id);"
  "INSERT OR IGNORE INTO user_entitlements (user_id, permission, position, type, \"primary\")"
  "  SELECT u.id, json_extract (e.value, '$.value'), e.key, json_extract (e.value, '$.type'),"
  "         coalesce (json_extract (e.value, '$.primary'), 0)"
  "  FROM users u, json_each (u.resource, '$.entitlements') e"
  "  WHERE json_extract (e.value, '$.value') IN ('users.view', 'users.manage', 'roles.manage',"
  "    'groups.manage', 'audit.view', 'settings.manage', 'photos.manage', 'clients.view',"
  "    'clients.manage', 'orders.view', 'orders.manage', 'tasks.view', 'tasks.manage');"
  "UPDATE users SET resource = json_remove (resource, '$.roles', '$.entitlements')"
  "  WHERE json_type (resource, '$.roles') IS NOT NULL"
  "     OR json_type (resource, '$.entitlements') IS NOT NULL;",

  /* 4: sign-in and password policies, session lifetimes. Settings columns are NULL until
   * an administrator sets them: NULL means the default in roster-settings.c. */
  "CREATE TABLE settings ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  lockout_threshold INTEGER,"
  "  inactivity_lock_days INTEGER,"
  "  password_max_age_days INTEGER,"
  "  password_history INTEGER,"
  "  session_idle_minutes INTEGER,"
  "  session_absolute_hours INTEGER,"
  "  password_min_quality INTEGER"
  ");"
  "INSERT INTO settings (id) VALUES (1);"
  "ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE users ADD COLUMN last_login INTEGER;"
  "ALTER TABLE users ADD COLUMN inactivity_reset INTEGER;"
  /* Nobody's last sign-in is known yet: inactivity counts from the upgrade, not from
   * account creation, or the first sweep would lock every old account. */
  "UPDATE users SET inactivity_reset = CAST (strftime ('%s', 'now') AS INTEGER);"
  "CREATE TABLE user_password_history ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  changed INTEGER NOT NULL,"
  "  password_hash TEXT NOT NULL"
  ");"
  "CREATE INDEX user_password_history_user_id ON user_password_history (user_id, seq);"
  "INSERT INTO user_password_history (user_id, changed, password_hash)"
  "  SELECT id, last_modified, password_hash FROM users WHERE password_hash IS NOT NULL;"
  "ALTER TABLE sessions ADD COLUMN id TEXT;"
  "ALTER TABLE sessions ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;"
  "UPDATE sessions SET id = lower (hex (randomblob (16)));"
  "CREATE UNIQUE INDEX sessions_id ON sessions (id);",

  /* 5: the audit log. Append-only; time is rosterd's clock. changes is a JSON array of
   * {attribute, before, after}, never a secret. */
  "CREATE TABLE audit_events ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  time INTEGER NOT NULL,"
  "  actor_id TEXT,"
  "  actor_name TEXT,"
  "  action TEXT NOT NULL,"
  "  target_type TEXT NOT NULL,"
  "  target_id TEXT,"
  "  target_name TEXT,"
  "  changes TEXT NOT NULL DEFAULT '[]'"
  ");"
  "CREATE INDEX audit_events_time ON audit_events (time, seq);"
  "CREATE INDEX audit_events_target ON audit_events (target_id, time);"
  "CREATE INDEX audit_events_actor ON audit_events (actor_id, time);",

  /* 6: profile photos, always a PNG that rosterd re-encoded itself */
  "CREATE TABLE user_photos ("
  "  user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  data BLOB NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");",

  /* 7: the audit log sorted by action, and TOTP two-factor sign-in. totp_secret is the
   * confirmed secret (base32), totp_pending the one being enrolled, totp_last_step the
   * time step of the last code accepted (no code is accepted twice). */
  "CREATE INDEX audit_events_action ON audit_events (action, time);"
  "ALTER TABLE users ADD COLUMN totp_secret TEXT;"
  "ALTER TABLE users ADD COLUMN totp_pending TEXT;"
  "ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE settings ADD COLUMN require_two_factor_admins INTEGER;",

  /* 8: the user list sorts by the last sign-in. */
  "CREATE INDEX users_last_login ON users (last_login, id);",

  /* 9: the CRM records users own, soft-deleted users and the allowance.
   * records: owned by a user, a group, or nobody (the general queue); a deleted group's
   * records go to the queue. deleted_users: a deleted user's snapshot until its purge;
   * user_name_folded keeps the username reserved meanwhile. The settings columns are NULL
   * for the defaults in roster-settings.c. */
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('client', 'order', 'task')),"
  "  title TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),"
  "  owner_user_id TEXT,"
  "  owner_group_id TEXT,"
  "  created INTEGER NOT NULL,"
  "  last_modified INTEGER NOT NULL,"
  "  CHECK (owner_user_id IS NULL OR owner_group_id IS NULL)"
  ");"
  "CREATE INDEX records_owner_user ON records (owner_user_id, kind, state);"
  "CREATE INDEX records_owner_group ON records (owner_group_id, kind, state);"
  "CREATE INDEX records_kind ON records (kind, state, created);"
  "CREATE TRIGGER records_group_deleted AFTER DELETE ON groups BEGIN"
  "  UPDATE records SET owner_group_id = NULL WHERE owner_group_id = old.id;"
  "END;"
  "CREATE TABLE deleted_users ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  user_name TEXT NOT NULL,"
  "  user_name_folded TEXT NOT NULL UNIQUE,"
  "  display_name TEXT,"
  "  deleted_at INTEGER NOT NULL,"
  "  deleted_by_id TEXT,"
  "  deleted_by_name TEXT,"
  "  purge_at INTEGER NOT NULL,"
  "  reassigned TEXT NOT NULL DEFAULT '{}',"
  "  snapshot TEXT NOT NULL"
  ");"
  "CREATE INDEX deleted_users_purge_at ON deleted_users (purge_at);"
  "ALTER TABLE settings ADD COLUMN max_active_users INTEGER;"
  "ALTER TABLE settings ADD COLUMN administrators_count INTEGER;"
  "ALTER TABLE settings ADD COLUMN restore_window_days INTEGER;",

  /* 10: e-mail: the outbox (written in the transaction of the change that causes a mail,
   * emptied of its text once sent) and activation links (only their token's hash), and the
   * activationLinkDays setting. Times are rosterd's clock. */
  "CREATE TABLE mail_outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  user_id TEXT,"
  "  recipient TEXT NOT NULL,"
  "  message TEXT,"
  "  created INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL,"
  "  sent INTEGER,"
  "  last_error TEXT"
  ");"
  "CREATE INDEX mail_outbox_due ON mail_outbox (sent, next_attempt, seq);"
  "CREATE TABLE activation_links ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  spent INTEGER"
  ");"
  "CREATE INDEX activation_links_user_id ON activation_links (user_id);"
  "ALTER TABLE settings ADD COLUMN activation_link_days INTEGER;",

  /* 11: a substring index for "co" on userName and displayName instead of FTS5's trigrams.
   * For a literal like "user0123", the trigrams "use", "ser" and "er0" are in every user's
   * displayName, and FTS5 merged three doclists of all users for each page; the index
   * finds the rows whose value has a substring starting with the literal with one range of
   * its key. user_substrings holds, for each position of the folded value, the next 16
   * characters (ROSTER_SCIM_SUBSTRING_LENGTH); a value longer than the 1,024 positions of
   * substring_positions also gets a row with '' so that it is always a candidate (instr()
   * decides). attribute: 1 userName, 2 displayName (ROSTER_SQLITE_SUBSTRING_*). */
  "DROP TRIGGER users_fts_after_insert;"
  "DROP TRIGGER users_fts_after_delete;"
  "DROP TRIGGER users_fts_after_update;"
  "DROP TABLE users_fts;"
  "CREATE TABLE substring_positions (n INTEGER PRIMARY KEY);"
  "WITH RECURSIVE p (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 1024)"
  "  INSERT INTO substring_positions (n) SELECT n FROM p;"
  "CREATE TABLE user_substrings ("
  "  attribute INTEGER NOT NULL,"
  "  substring TEXT NOT NULL,"
  "  row INTEGER NOT NULL,"
  "  PRIMARY KEY (attribute, substring, row)"
  ") WITHOUT ROWID;"
  SUBSTRINGS_TRIGGER ("insert", "INSERT ON users", "", SUBSTRINGS_ADD)
  SUBSTRINGS_TRIGGER ("delete", "DELETE ON users", "", SUBSTRINGS_REMOVE)
  SUBSTRINGS_TRIGGER ("update", "UPDATE OF user_name_folded, display_name_folded ON users",
                      "WHEN old.user_name_folded IS NOT new.user_name_folded"
                      " OR old.display_name_folded IS NOT new.display_name_folded",
                      SUBSTRINGS_REMOVE SUBSTRINGS_ADD)
  "INSERT OR IGNORE INTO user_substrings (attribute, substring, row)"
  "  SELECT 1, substr (u.user_name_folded, p.n, 16), u.rowid FROM users u"
  "  JOIN substring_positions p ON p.n <= length (u.user_name_folded);"
  "INSERT OR IGNORE INTO user_substrings (attribute, substring, row)"
  "  SELECT 2, substr (u.display_name_folded, p.n, 16), u.rowid FROM users u"
  "  JOIN substring_positions p ON p.n <= length (u.display_name_folded);"
  "INSERT OR IGNORE INTO user_substrings (attribute, substring, row)"
  "  SELECT 1, '', rowid FROM users WHERE length (user_name_folded) > 1024"
  "  UNION ALL SELECT 2, '', rowid FROM users WHERE length (display_name_folded) > 1024;",

  /* 12: render_version.n counts the writes to what users' JSON is made of (the render
   * cache's stamp, roster_sqlite_store_get_stamp()): a session's last use, an audit event,
   * the outbox or the substring index change nothing anyone is sent. Every table is on one
   * side (tests/server/test-rosterd-render-cache.c checks that none is forgotten). */
  "CREATE TABLE render_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);"
  "INSERT INTO render_version (id, n) VALUES (1, 0);"
  RENDER_TRIGGERS ("users")
  RENDER_TRIGGERS ("user_emails")
  RENDER_TRIGGERS ("user_phone_numbers")
  RENDER_TRIGGERS ("user_photos")
  RENDER_TRIGGERS ("user_roles")
  RENDER_TRIGGERS ("user_entitlements")
  RENDER_TRIGGERS ("roles")
  RENDER_TRIGGERS ("role_permissions")
  RENDER_TRIGGERS ("groups")
  RENDER_TRIGGERS ("group_permissions")
  RENDER_TRIGGERS ("group_members")
  RENDER_TRIGGERS ("settings"),

  /* 13: a deleted user's photo waits with the snapshot, so a restore brings it back. */
  "ALTER TABLE deleted_users ADD COLUMN photo BLOB;"
  "ALTER TABLE deleted_users ADD COLUMN photo_updated INTEGER;",

  /* 14: the enrolled users, so that the start-up check for secrets still in the clear
   * (roster_sqlite_store_seal_totp()) reads a handful of rows, not every user. */
  "CREATE INDEX users_totp ON users (id) "
  "WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL;",

  /* 15: refused sign-ins for names that match no account that may sign in, counted per
   * name as a wrong password is counted per account, so both cost one write (their timing
   * tells nothing) and a name tried again and again shows in the log. The name is kept
   * only as a short keyed tag, which a few names share (roster-sqlite-store-refusals.c):
   * what was typed may have been a password, and made-up names must not grow the table. */
  "CREATE TABLE sign_in_refusals ("
  "  name_tag TEXT PRIMARY KEY NOT NULL,"
  "  refusals INTEGER NOT NULL,"
  "  last_refused INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX sign_in_refusals_last ON sign_in_refusals (last_refused);",

  /* 16: what sign-in counts on the account (failed_logins, totp_last_step) is in no
   * user's JSON: an update of those alone leaves render_version, so a wrong password or a
   * used code no longer empties every rosterd's render cache. The trigger names every
   * other column (test-rosterd-render-cache checks that none is forgotten). */
  "DROP TRIGGER users_render_after_update;"
  "CREATE TRIGGER users_render_after_update AFTER UPDATE OF id, user_name, user_name_folded,"
  " given_name, family_name, display_name, email, active, status, administrator,"
  " password_hash, created, last_modified, version, resource, display_name_folded,"
  " given_name_folded, family_name_folded, email_folded, employee_number, external_id,"
  " manager_id, secondary_manager_id, last_login, inactivity_reset, totp_secret,"
  " totp_pending ON users"
  " BEGIN UPDATE render_version SET n = n + 1 WHERE id = 1; END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ROSTER_SQLITE_STORE_SCHEMA_VERSION);

/* A member of the Roster extension in the stored resource, as a JSON path literal. */
#define EXT_PATH(member) "'$.\"" ROSTER_SCIM_SCHEMA_ROSTER_USER "\"." member "'"
#define SQL_DATE(unix) "strftime ('%Y-%m-%dT%H:%M:%SZ', " unix ", 'unixepoch')"
/* Locking sets the column and the resource; ?2 is the reason, ?3 the time. */
#define LOCK_SET                                                                                   \
  "status = 'locked', resource = json_set (resource, " EXT_PATH ("status") ", 'locked', "          \
  EXT_PATH ("lock") ", json_object ('reason', ?2, 'since', " SQL_DATE ("?3") ")), "                \
  "version = version + 1, last_modified = ?3"

#define USER_COLUMNS                                                                               \
  "id, user_name, given_name, family_name, display_name, email, active, status, "               \
  "administrator, created, last_modified, version"

#define RECORD_COLUMNS                                                                             \
  "u.id, u.resource, u.created, u.last_modified, u.version, m.display_name, sm.display_name"
#define RECORD_FROM                                                                                \
  "users u LEFT JOIN users m ON m.id = u.manager_id "                                            \
  "LEFT JOIN users sm ON sm.id = u.secondary_manager_id"

typedef enum
{
  STMT_BEGIN,
  STMT_BEGIN_IMMEDIATE,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SAVEPOINT,
  STMT_RELEASE,
  STMT_INSERT_USER,
  STMT_UPDATE_USER,
  STMT_GET_USER,
  STMT_GET_RECORD,
  STMT_GET_STATE,
  STMT_USER_EXISTS,
  STMT_MANAGER_CHAIN_REACHES,
  STMT_COUNT_OTHER_ADMINS,
  STMT_DELETE_USER,
  STMT_CLEAR_MANAGERS,
  STMT_DELETE_EMAILS,
  STMT_INSERT_EMAIL,
  STMT_DELETE_PHONE_NUMBERS,
  STMT_INSERT_PHONE_NUMBER,
  STMT_LOOKUP_CREDENTIALS,
  STMT_GET_SETUP,
  STMT_SET_SETUP_TOKEN,
  STMT_FINISH_SETUP,
  STMT_INSERT_SESSION,
  STMT_LOOKUP_SESSION,
  STMT_TOUCH_SESSION,
  STMT_DELETE_SESSION,
  STMT_GET_SETTINGS,
  STMT_PUT_SETTINGS,
  STMT_SIGN_IN_FAILED,
  STMT_SIGN_IN_SUCCEEDED,
  STMT_LOCK_USER,
  STMT_LOCK_INACTIVE,
  STMT_PURGE_SESSIONS,
  STMT_UNLOCK_USER,
  STMT_SET_PASSWORD,
  STMT_INSERT_HISTORY,
  STMT_TRIM_HISTORY,
  STMT_GET_HISTORY,
  STMT_LIST_SESSIONS,
  STMT_DELETE_USER_SESSIONS,
  STMT_DELETE_USER_SESSION,
  STMT_CLEAR_SESSION_RESTRICTION,
  STMT_WRITE_LOCK,
  N_STMTS
} StmtId;

/* The columns derived from the resource, in the order both statements bind them (?2…). */
#define DERIVED_COLUMNS                                                                            \
  "user_name, user_name_folded, given_name, family_name, display_name, email, active, "         \
  "status, administrator, resource, display_name_folded, given_name_folded, "                   \
  "family_name_folded, email_folded, employee_number, external_id, manager_id, "                \
  "secondary_manager_id"

static const char *const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN",
  [STMT_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_SAVEPOINT] = "SAVEPOINT nested",
  [STMT_RELEASE] = "RELEASE nested",
  [STMT_INSERT_USER] = "INSERT INTO users (id, " DERIVED_COLUMNS ", password_hash, created, "
                       "last_modified, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                       "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?21, 1)",
  [STMT_UPDATE_USER] = "UPDATE users SET user_name = ?2, user_name_folded = ?3, "
                       "given_name = ?4, family_name = ?5, display_name = ?6, email = ?7, "
                       "active = ?8, status = ?9, administrator = ?10, resource = ?11, "
                       "display_name_folded = ?12, given_name_folded = ?13, "
                       "family_name_folded = ?14, email_folded = ?15, employee_number = ?16, "
                       "external_id = ?17, manager_id = ?18, secondary_manager_id = ?19, "
                       "password_hash = coalesce (?20, password_hash), last_modified = ?21, "
                       "version = version + 1 WHERE id = ?1",
  [STMT_GET_USER] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1",
  [STMT_GET_RECORD] = "SELECT " RECORD_COLUMNS " FROM " RECORD_FROM " WHERE u.id = ?1",
  [STMT_GET_STATE] = "SELECT version, administrator = 1 AND active = 1 AND status = 'active', "
                     "administrator FROM users WHERE id = ?1",
  [STMT_USER_EXISTS] = "SELECT 1 FROM users WHERE id = ?1",
  /* Follows the primary managers up from ?1; UNION (not UNION ALL) ends at a cycle. */
  [STMT_MANAGER_CHAIN_REACHES] = "WITH RECURSIVE chain (id) AS (SELECT ?1 UNION "
                                 "SELECT u.manager_id FROM users u JOIN chain c ON u.id = c.id "
                                 "WHERE u.manager_id IS NOT NULL) "
                                 "SELECT 1 FROM chain WHERE id = ?2",
  [STMT_COUNT_OTHER_ADMINS] = "SELECT count(*) FROM users WHERE administrator = 1 AND "
                              "active = 1 AND status = 'active' AND id != ?1",
  [STMT_DELETE_USER] = "DELETE FROM users WHERE id = ?1",
  /* One new version per user, however many of their managers go. */
  [STMT_CLEAR_MANAGERS] = "UPDATE users SET "
                          "manager_id = nullif (manager_id, ?1), "
                          "secondary_manager_id = nullif (secondary_manager_id, ?1), "
                          "resource = json_remove (resource, "
                          "CASE WHEN manager_id = ?1 THEN '$.\"" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER
                          "\".manager' ELSE '$.none' END, "
                          "CASE WHEN secondary_manager_id = ?1 THEN '$.\""
                          ROSTER_SCIM_SCHEMA_ROSTER_USER "\".secondaryManager' ELSE '$.none' END), "
                          "version = version + 1, last_modified = ?2 "
                          "WHERE manager_id = ?1 OR secondary_manager_id = ?1",
  [STMT_DELETE_EMAILS] = "DELETE FROM user_emails WHERE user_id = ?1",
  [STMT_INSERT_EMAIL] = "INSERT INTO user_emails (user_id, position, value, value_folded, type, "
                        "\"primary\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_DELETE_PHONE_NUMBERS] = "DELETE FROM user_phone_numbers WHERE user_id = ?1",
  [STMT_INSERT_PHONE_NUMBER] = "INSERT INTO user_phone_numbers (user_id, position, value, "
                               "value_folded, type, \"primary\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_LOOKUP_CREDENTIALS] = "SELECT id, password_hash, active, status, failed_logins, "
                              INACTIVE_SINCE ", "
                              "json_extract (resource, " EXT_PATH ("passwordExpiresAt") "), "
                              "json_extract (resource, " EXT_PATH ("mustChangePassword") ") "
                              "FROM users WHERE user_name = ?1",
  [STMT_GET_SETUP] = "SELECT done, token_hash FROM setup WHERE id = 1",
  [STMT_SET_SETUP_TOKEN] = "UPDATE setup SET token_hash = ?1 WHERE id = 1 AND done = 0",
  [STMT_FINISH_SETUP] = "UPDATE setup SET done = 1, token_hash = NULL WHERE id = 1",
  [STMT_INSERT_SESSION] = "INSERT INTO sessions (token_hash, user_id, created, expires, "
                          "last_used, user_agent, peer_address, id, password_change_required) "
                          "VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6, ?7, ?8)",
  [STMT_LOOKUP_SESSION] = "SELECT user_id, created, expires, user_agent, peer_address, id, "
                          "last_used, password_change_required "
                          "FROM sessions WHERE token_hash = ?1",
  [STMT_TOUCH_SESSION] = "UPDATE sessions SET last_used = ?2 "
                         "WHERE token_hash = ?1 AND last_used <= ?2 - " G_STRINGIFY (
                           ROSTER_SESSION_TOUCH_INTERVAL_SECONDS),
  [STMT_DELETE_SESSION] = "DELETE FROM sessions WHERE token_hash = ?1",
  [STMT_GET_SETTINGS] = "SELECT version, lockout_threshold, inactivity_lock_days, "
                        "password_max_age_days, password_history, session_idle_minutes, "
                        "session_absolute_hours, password_min_quality, "
                        "require_two_factor_admins, max_active_users, administrators_count, "
                        "restore_window_days, activation_link_days, "
                        "(SELECT n FROM render_version WHERE id = 1) FROM settings WHERE id = 1",
  [STMT_PUT_SETTINGS] = "UPDATE settings SET version = version + 1, lockout_threshold = ?2, "
                        "inactivity_lock_days = ?3, password_max_age_days = ?4, "
                        "password_history = ?5, session_idle_minutes = ?6, "
                        "session_absolute_hours = ?7, password_min_quality = ?8, "
                        "require_two_factor_admins = ?9, max_active_users = ?10, "
                        "administrators_count = ?11, restore_window_days = ?12, "
                        "activation_link_days = ?13 "
                        "WHERE id = 1 AND (?1 = 0 OR version = ?1) RETURNING version",
  [STMT_SIGN_IN_FAILED] = "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 "
                          "RETURNING failed_logins, status",
  /* lastLoginAt is not a new version: an administrator's edit must not fail with 412
   * because the user signed in meanwhile. */
  [STMT_SIGN_IN_SUCCEEDED] = "UPDATE users SET failed_logins = 0, last_login = ?2, "
                             "resource = json_set (resource, " EXT_PATH ("lastLoginAt") ", "
                             SQL_DATE ("?2") ") WHERE id = ?1",
  [STMT_LOCK_USER] = "UPDATE users SET " LOCK_SET " WHERE id = ?1 AND status != 'locked'",
  [STMT_LOCK_INACTIVE] = "UPDATE users SET " LOCK_SET " WHERE status = 'active' AND active = 1 "
                         "AND " INACTIVE_SINCE " < ?1",
  [STMT_PURGE_SESSIONS] = "DELETE FROM sessions WHERE user_id IN "
                          "(SELECT id FROM users WHERE active = 0 OR status != 'active')",
  [STMT_UNLOCK_USER] = "UPDATE users SET failed_logins = 0, inactivity_reset = ?2, "
                       "status = CASE WHEN status != 'locked' THEN status "
                       "WHEN active = 1 THEN 'active' ELSE 'inactive' END, "
                       "resource = json_remove (json_set (resource, " EXT_PATH ("status") ", "
                       "CASE WHEN status != 'locked' THEN status "
                       "WHEN active = 1 THEN 'active' ELSE 'inactive' END), "
                       EXT_PATH ("lock") "), "
                       "version = version + 1, last_modified = ?2 WHERE id = ?1",
  [STMT_SET_PASSWORD] = "UPDATE users SET password_hash = ?2, failed_logins = 0, "
                        "resource = json_remove (json_set (resource, "
                        EXT_PATH ("passwordChangedAt") ", " SQL_DATE ("?3") ", "
                        EXT_PATH ("mustChangePassword") ", json (?4), "
                        EXT_PATH ("passwordExpiresAt") ", " SQL_DATE ("?5") "), "
                        "CASE WHEN ?5 IS NULL THEN " EXT_PATH ("passwordExpiresAt")
                        " ELSE '$.none' END), "
                        "version = version + 1, last_modified = ?3 WHERE id = ?1",
  [STMT_INSERT_HISTORY] = "INSERT INTO user_password_history (user_id, changed, password_hash) "
                          "VALUES (?1, ?2, ?3)",
  [STMT_TRIM_HISTORY] = "DELETE FROM user_password_history WHERE user_id = ?1 AND seq NOT IN "
                        "(SELECT seq FROM user_password_history WHERE user_id = ?1 "
                        "ORDER BY seq DESC LIMIT ?2)",
  [STMT_GET_HISTORY] = "SELECT password_hash FROM user_password_history WHERE user_id = ?1 "
                       "ORDER BY seq DESC LIMIT ?2",
  [STMT_LIST_SESSIONS] = "SELECT user_id, created, expires, user_agent, peer_address, id, "
                         "last_used, password_change_required, token_hash FROM sessions "
                         "WHERE user_id = ?1 ORDER BY created, id",
  [STMT_DELETE_USER_SESSIONS] = "DELETE FROM sessions WHERE user_id = ?1 "
                                "AND token_hash IS DISTINCT FROM ?2",
  [STMT_DELETE_USER_SESSION] = "DELETE FROM sessions WHERE user_id = ?1 AND id = ?2",
  [STMT_CLEAR_SESSION_RESTRICTION] = "UPDATE sessions SET password_change_required = 0 "
                                     "WHERE token_hash = ?1",
  /* BEGIN IMMEDIATE is SQLite's write lock */
  [STMT_WRITE_LOCK] = NULL,
};

/* PostgreSQL's text of the statements where SQLite's does not serve (NULL: the same text).
 * The roster_* functions are roster-postgres-schema.c's; JSON paths are text arrays. */
#define PG_EXT_PATH(member) "ARRAY['" ROSTER_SCIM_SCHEMA_ROSTER_USER "', '" member "']"
#define PG_DATE(unix) "roster_date (" unix ")"
/* A JSON boolean of the resource as 0/1 (NULL if missing), as SQLite's json_extract() */
#define PG_EXT_FLAG(member) "CAST (CAST (CAST (resource AS jsonb) #> " PG_EXT_PATH (member) \
  " AS boolean) AS integer)"
#define PG_LOCK_SET                                                                                \
  "status = 'locked', resource = roster_json_set (roster_json_set (resource, "                     \
  PG_EXT_PATH ("status") ", '\"locked\"'), " PG_EXT_PATH ("lock") ", "                             \
  "jsonb_build_object ('reason', CAST (?2 AS text), 'since', " PG_DATE ("?3") ")), "               \
  "version = version + 1, last_modified = ?3"

static const char *const stmt_sql_postgres[N_STMTS] = {
  /* Reads see one snapshot, as SQLite's read transactions do. */
  [STMT_BEGIN] = "BEGIN ISOLATION LEVEL REPEATABLE READ",
  /* One writer at a time, as in SQLite: the lock (STMT_WRITE_LOCK) is taken after BEGIN, so
   * READ COMMITTED's statements then see every write committed before it. */
  [STMT_BEGIN_IMMEDIATE] = "BEGIN ISOLATION LEVEL READ COMMITTED",
  [STMT_WRITE_LOCK] = "SELECT pg_advisory_xact_lock (" G_STRINGIFY (ROSTER_POSTGRES_WRITE_LOCK) ")",
  [STMT_MANAGER_CHAIN_REACHES] = "WITH RECURSIVE chain (id) AS (SELECT CAST (?1 AS text) "
                                 "COLLATE \"C\" UNION "
                                 "SELECT u.manager_id FROM users u JOIN chain c ON u.id = c.id "
                                 "WHERE u.manager_id IS NOT NULL) "
                                 "SELECT 1 FROM chain WHERE id = ?2",
  [STMT_CLEAR_MANAGERS] = "UPDATE users SET "
                          "manager_id = nullif (manager_id, ?1), "
                          "secondary_manager_id = nullif (secondary_manager_id, ?1), "
                          "resource = roster_json_remove (roster_json_remove (resource, "
                          "CASE WHEN manager_id = ?1 THEN ARRAY['" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER
                          "', 'manager'] ELSE ARRAY['none'] END), "
                          "CASE WHEN secondary_manager_id = ?1 THEN " PG_EXT_PATH ("secondaryManager")
                          " ELSE ARRAY['none'] END), "
                          "version = version + 1, last_modified = ?2 "
                          "WHERE manager_id = ?1 OR secondary_manager_id = ?1",
  [STMT_LOOKUP_CREDENTIALS] = "SELECT id, password_hash, active, status, failed_logins, "
                              INACTIVE_SINCE_POSTGRES ", "
                              "CAST (resource AS jsonb) #>> " PG_EXT_PATH ("passwordExpiresAt") ", "
                              PG_EXT_FLAG ("mustChangePassword") " "
                              "FROM users WHERE user_name = ?1",
  [STMT_SIGN_IN_SUCCEEDED] = "UPDATE users SET failed_logins = 0, last_login = ?2, "
                             "resource = roster_json_set (resource, " PG_EXT_PATH ("lastLoginAt")
                             ", to_jsonb (" PG_DATE ("?2") ")) WHERE id = ?1",
  [STMT_LOCK_USER] = "UPDATE users SET " PG_LOCK_SET " WHERE id = ?1 AND status != 'locked'",
  [STMT_LOCK_INACTIVE] = "UPDATE users SET " PG_LOCK_SET " WHERE status = 'active' AND active = 1 "
                         "AND " INACTIVE_SINCE_POSTGRES " < ?1",
  [STMT_UNLOCK_USER] = "UPDATE users SET failed_logins = 0, inactivity_reset = ?2, "
                       "status = CASE WHEN status != 'locked' THEN status "
                       "WHEN active = 1 THEN 'active' ELSE 'inactive' END, "
                       "resource = roster_json_remove (roster_json_set (resource, "
                       PG_EXT_PATH ("status") ", to_jsonb (CASE WHEN status != 'locked' THEN status "
                       "WHEN active = 1 THEN 'active' ELSE 'inactive' END)), "
                       PG_EXT_PATH ("lock") "), "
                       "version = version + 1, last_modified = ?2 WHERE id = ?1",
  [STMT_SET_PASSWORD] = "UPDATE users SET password_hash = ?2, failed_logins = 0, "
                        "resource = roster_json_remove (roster_json_set (roster_json_set ("
                        "roster_json_set (resource, "
                        PG_EXT_PATH ("passwordChangedAt") ", to_jsonb (" PG_DATE ("?3") ")), "
                        PG_EXT_PATH ("mustChangePassword") ", CAST (?4 AS jsonb)), "
                        PG_EXT_PATH ("passwordExpiresAt") ", to_jsonb (" PG_DATE ("CAST (?5 AS bigint)")
                        ")), CASE WHEN ?5 IS NULL THEN " PG_EXT_PATH ("passwordExpiresAt")
                        " ELSE ARRAY['none'] END), "
                        "version = version + 1, last_modified = ?3 WHERE id = ?1",
};

struct _RosterSqliteStore
{
  GObject parent_instance;

  RosterDb *db;
  RosterDbStmt *stmts[N_STMTS];
  GHashTable *cache; /* SQL text (static strings) → prepared statement */
  guint depth;       /* open transactions: the outermost is BEGIN, the others SAVEPOINTs */
  gboolean writing;  /* the outermost transaction was begun as a write */
  guint64 savepoints; /* bit d: the transaction begun at depth d (the outermost is 0) is a
                       * SAVEPOINT (see begin()) */
  RosterSecretBox *secrets; /* seals what must be read back (TOTP secrets) */
  GHashTable *queries;   /* SQL text → statement: roster_sqlite_store_query() */
  gboolean stamp_known;  /* the open read transaction's render stamp was read with the
                          * settings (every authenticated request reads them first) */
  guint64 stamp;
};

static void roster_sqlite_store_iface_init (RosterStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RosterSqliteStore, roster_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ROSTER_TYPE_STORE,
                                                      roster_sqlite_store_iface_init))

static RosterStmt *
stmt (RosterSqliteStore *self, StmtId id)
{
  return self->stmts[id];
}

gboolean
roster_sqlite_store_is_postgres (RosterSqliteStore *self)
{
  return roster_db_get_dialect (self->db) == ROSTER_DB_DIALECT_POSTGRES;
}

RosterScimSqlDialect
roster_sqlite_store_sql_dialect (RosterSqliteStore *self)
{
  return roster_sqlite_store_is_postgres (self) ? ROSTER_SCIM_SQL_POSTGRES : ROSTER_SCIM_SQL_SQLITE;
}

/* ORDER BY's direction: SQLite puts NULLs first going up and last going down, and so must
 * PostgreSQL (which does the opposite by default), or pages differ between the two. */
const char *
roster_sqlite_store_sort_order (RosterSqliteStore *self, gboolean descending)
{
  if (roster_sqlite_store_is_postgres (self))
    return descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";
  return descending ? "DESC" : "ASC";
}

/* The statement's text in this database's dialect; NULL if it has none there. */
static const char *
stmt_text (RosterSqliteStore *self, StmtId id)
{
  if (roster_sqlite_store_is_postgres (self) && stmt_sql_postgres[id] != NULL)
    return stmt_sql_postgres[id];
  return stmt_sql[id];
}

static const char *
db_name (RosterSqliteStore *self)
{
  return roster_sqlite_store_is_postgres (self) ? "PostgreSQL" : "SQLite";
}

/* Logs what failed (SQLite names tables and columns, never values) and reports a store
 * error to the caller. */
static gboolean
store_error (RosterSqliteStore *self, GError **error, const char *what)
{
  RosterErrorCode code = roster_db_get_failure (self->db) == ROSTER_DB_FAILURE_UNAVAILABLE
                           ? ROSTER_ERROR_STORE_UNAVAILABLE
                           : ROSTER_ERROR_STORE;

  g_warning ("%s: %s failed: %s", db_name (self), what, roster_db_errmsg (self->db));
  g_set_error_literal (error, ROSTER_ERROR, code, roster_error_code_describe (code));
  return FALSE;
}

static gboolean
run (RosterSqliteStore *self, StmtId id, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, id);

  if (roster_db_step (s) != ROSTER_DB_DONE)
    return store_error (self, error, stmt_text (self, id));
  return TRUE;
}

/* Transactions nest: the outermost is BEGIN [IMMEDIATE] … COMMIT, the ones inside it are
 * savepoints, so a handler can wrap several store calls (and their audit entry, and their
 * mail) into one transaction while each call stays atomic on its own. A read inside a read
 * needs none: it has nothing to undo, and an SQL error in it fails the request anyway (on
 * PostgreSQL it aborts the transaction). Those savepoints were 4 of the 10 round trips of a
 * GET /Users/{id} on PostgreSQL, 6 of 13 of a filtered page. Inside a write, or for a write
 * inside a read (SQLite allows it), every level is a savepoint. */
static void rollback (RosterSqliteStore *self);

/* Waits for the other writers of the database (PostgreSQL: STMT_WRITE_LOCK). */
static gboolean
take_write_lock (RosterSqliteStore *self, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_WRITE_LOCK);

  if (roster_db_step (s) != ROSTER_DB_ROW)
    return store_error (self, error, "take the write lock");
  return TRUE;
}

/* BEGIN. If the database server's connection was lost since the last transaction (found
 * before, or by BEGIN failing), it is opened again and BEGIN tried once more: nothing of
 * the transaction has run yet. */
static gboolean
begin_outermost (RosterSqliteStore *self, gboolean write, GError **error)
{
  StmtId id = write ? STMT_BEGIN_IMMEDIATE : STMT_BEGIN;
  g_autoptr(GError) local_error = NULL;

  roster_db_reconnect (self->db);
  if (run (self, id, &local_error))
    return TRUE;
  if (!roster_db_reconnect (self->db))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return run (self, id, error);
}

static gboolean
begin (RosterSqliteStore *self, gboolean write, GError **error)
{
  if (self->depth > 0 && !roster_db_in_transaction (self->db))
    self->depth = 0; /* SQLite rolled the outer transaction back on an error */
  /* A write inside a read: SQLite refuses it (SQLITE_BUSY) if another connection wrote since
   * the read began, and PostgreSQL's snapshot could be just as old without the write lock,
   * so it is refused there always. */
  if (self->depth > 0 && write && !self->writing && roster_sqlite_store_is_postgres (self))
    {
      g_warning ("PostgreSQL: a write was begun inside a read transaction");
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           roster_error_code_describe (ROSTER_ERROR_STORE));
      return FALSE;
    }
  if (self->depth >= 64)
    {
      g_warning ("%s: transactions nested %u deep", db_name (self), self->depth);
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           roster_error_code_describe (ROSTER_ERROR_STORE));
      return FALSE;
    }
  if (self->depth > 0)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << self->depth;

      self->savepoints &= ~bit;
      if (write)
        self->stamp_known = FALSE; /* a write in a read (SQLite) may change it */
      if (write || self->writing)
        {
          if (!run (self, STMT_SAVEPOINT, error))
            return FALSE;
          self->savepoints |= bit;
        }
    }
  else if (!begin_outermost (self, write, error))
    return FALSE;
  else
    {
      self->writing = write;
      self->stamp_known = FALSE;
      if (write && self->stmts[STMT_WRITE_LOCK] != NULL && !take_write_lock (self, error))
        {
          self->depth = 1;
          rollback (self);
          return FALSE;
        }
    }
  self->depth++;
  return TRUE;
}

/* Whether the transaction begun at @depth (the outermost is 0) is a SAVEPOINT. */
static gboolean
is_savepoint (RosterSqliteStore *self, guint depth)
{
  return depth > 0 && (self->savepoints & (G_GUINT64_CONSTANT (1) << depth)) != 0;
}

static gboolean
commit (RosterSqliteStore *self, GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);
  if (self->depth > 1)
    {
      if (is_savepoint (self, self->depth - 1) && !run (self, STMT_RELEASE, error))
        return FALSE;
    }
  else if (!run (self, STMT_COMMIT, error))
    return FALSE; /* still open: the caller rolls back */
  self->depth--;
  return TRUE;
}

static void
rollback (RosterSqliteStore *self)
{
  g_autoptr(RosterStmt) s = NULL;

  if (self->depth == 0)
    return; /* nothing was begun */
  self->depth--;
  if (!roster_db_in_transaction (self->db))
    {
      self->depth = 0; /* SQLite already rolled everything back */
      return;
    }
  if (self->depth > 0)
    {
      if (!is_savepoint (self, self->depth))
        return; /* a read inside a read: nothing to undo */
      if (!roster_db_exec (self->db, "ROLLBACK TO nested; RELEASE nested"))
        g_warning ("%s: ROLLBACK TO failed: %s", db_name (self), roster_db_errmsg (self->db));
      return;
    }
  s = stmt (self, STMT_ROLLBACK);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    g_warning ("%s: ROLLBACK failed: %s", db_name (self), roster_db_errmsg (self->db));
}

RosterDb *
roster_sqlite_store_db (RosterSqliteStore *self)
{
  return self->db;
}

/* A statement for @sql (a string literal: its address is the key), prepared on first use. */
RosterStmt *
roster_sqlite_store_cached (RosterSqliteStore *self, const char *sql, GError **error)
{
  RosterDbStmt *s = g_hash_table_lookup (self->cache, sql);

  if (s != NULL)
    return s;
  s = roster_db_prepare (self->db, sql, TRUE);
  if (s == NULL)
    {
      store_error (self, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (self->cache, (gpointer) sql, s);
  return s;
}

gboolean
roster_sqlite_store_fail (RosterSqliteStore *self, GError **error, const char *what)
{
  return store_error (self, error, what);
}

gboolean
roster_sqlite_store_begin (RosterSqliteStore *self, gboolean write, GError **error)
{
  return begin (self, write, error);
}

gboolean
roster_sqlite_store_commit (RosterSqliteStore *self, GError **error)
{
  return commit (self, error);
}

void
roster_sqlite_store_rollback (RosterSqliteStore *self)
{
  rollback (self);
}

static GDateTime *
column_date (RosterDbStmt *s, int column)
{
  return g_date_time_new_from_unix_utc (roster_db_column_int64 (s, column));
}

static char *
format_version (gint64 version)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
}

static RosterUser *
user_from_row (RosterDbStmt *s)
{
  RosterUser *user = roster_user_new ();
  g_autoptr(GDateTime) created = column_date (s, 9);
  g_autoptr(GDateTime) last_modified = column_date (s, 10);
  g_autofree char *version = format_version (roster_db_column_int64 (s, 11));
  RosterUserStatus status = ROSTER_USER_STATUS_INACTIVE;

  roster_user_set_id (user, roster_db_column_text (s, 0));
  roster_user_set_user_name (user, roster_db_column_text (s, 1));
  roster_user_set_given_name (user, roster_db_column_text (s, 2));
  roster_user_set_family_name (user, roster_db_column_text (s, 3));
  roster_user_set_display_name (user, roster_db_column_text (s, 4));
  roster_user_set_email (user, roster_db_column_text (s, 5));
  roster_user_set_active (user, (int) roster_db_column_int64 (s, 6) != 0);
  /* The CHECK constraint keeps status valid; anything else would be refused as inactive. */
  roster_user_status_from_string (roster_db_column_text (s, 7), &status);
  roster_user_set_status (user, status);
  roster_user_set_administrator (user, (int) roster_db_column_int64 (s, 8) != 0);
  roster_user_set_created (user, created);
  roster_user_set_last_modified (user, last_modified);
  roster_user_set_version (user, version);
  return user;
}

static char *
fold (const char *value)
{
  return value != NULL ? roster_user_name_fold (value) : NULL;
}

/* What the indexed columns hold, derived from a canonical resource. */
typedef struct
{
  const char *user_name;
  char *user_name_folded;
  const char *given_name;
  const char *family_name;
  const char *display_name;
  const char *email;
  gboolean active;
  const char *status;
  gboolean administrator;
  char *resource;
  char *display_name_folded;
  char *given_name_folded;
  char *family_name_folded;
  char *email_folded;
  const char *employee_number;
  const char *external_id;
  const char *manager_id;
  const char *secondary_manager_id;
} Columns;

static void
columns_clear (Columns *c)
{
  g_free (c->user_name_folded);
  g_free (c->resource);
  g_free (c->display_name_folded);
  g_free (c->given_name_folded);
  g_free (c->family_name_folded);
  g_free (c->email_folded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Columns, columns_clear)

/* users.resource holds neither roles nor entitlements: user_roles and user_entitlements do. */
static char *
resource_to_string (JsonObject *resource)
{
  g_autoptr(JsonObject) stored = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!g_str_equal (name, "roles") && !g_str_equal (name, "entitlements"))
      json_object_set_member (stored, name, json_node_ref (member));
  node = json_node_init_object (json_node_alloc (), stored);
  return roster_json_to_string (node, NULL);
}

static void
columns_init (Columns *c, JsonObject *resource)
{
  const char *ent = ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, *ext = ROSTER_SCIM_SCHEMA_ROSTER_USER;

  c->user_name = roster_user_resource_get_string (resource, NULL, "userName", NULL);
  c->user_name_folded = fold (c->user_name);
  c->given_name = roster_user_resource_get_string (resource, NULL, "name", "givenName");
  c->family_name = roster_user_resource_get_string (resource, NULL, "name", "familyName");
  c->display_name = roster_user_resource_get_string (resource, NULL, "displayName", NULL);
  c->email = roster_user_resource_primary_email (resource);
  c->active = roster_user_resource_get_boolean (resource, NULL, "active", TRUE);
  c->status = roster_user_resource_get_string (resource, ext, "status", NULL);
  if (c->status == NULL)
    c->status = c->active ? "active" : "inactive";
  c->administrator = roster_user_resource_get_boolean (resource, ext, "administrator", FALSE);
  c->resource = resource_to_string (resource);
  c->display_name_folded = fold (c->display_name);
  c->given_name_folded = fold (c->given_name);
  c->family_name_folded = fold (c->family_name);
  c->email_folded = fold (c->email);
  c->employee_number = roster_user_resource_get_string (resource, ent, "employeeNumber", NULL);
  c->external_id = roster_user_resource_get_string (resource, NULL, "externalId", NULL);
  c->manager_id = roster_user_resource_get_string (resource, ent, "manager", "value");
  c->secondary_manager_id = roster_user_resource_get_string (resource, ext, "secondaryManager",
                                                             "value");
}

/* Binds the derived columns as ?2 to ?19. */
static void
bind_columns (RosterDbStmt *s, const Columns *c)
{
  roster_db_bind_text (s, 2, c->user_name);
  roster_db_bind_text (s, 3, c->user_name_folded);
  roster_db_bind_text (s, 4, c->given_name);
  roster_db_bind_text (s, 5, c->family_name);
  roster_db_bind_text (s, 6, c->display_name);
  roster_db_bind_text (s, 7, c->email);
  roster_db_bind_int64 (s, 8, c->active ? 1 : 0);
  roster_db_bind_text (s, 9, c->status);
  roster_db_bind_int64 (s, 10, c->administrator ? 1 : 0);
  roster_db_bind_text (s, 11, c->resource);
  roster_db_bind_text (s, 12, c->display_name_folded);
  roster_db_bind_text (s, 13, c->given_name_folded);
  roster_db_bind_text (s, 14, c->family_name_folded);
  roster_db_bind_text (s, 15, c->email_folded);
  roster_db_bind_text (s, 16, c->employee_number);
  roster_db_bind_text (s, 17, c->external_id);
  roster_db_bind_text (s, 18, c->manager_id);
  roster_db_bind_text (s, 19, c->secondary_manager_id);
}

static JsonObject *parse_resource (RosterSqliteStore *self, const char *text, GError **error);

JsonObject *
roster_sqlite_store_parse (RosterSqliteStore *self, const char *text, GError **error)
{
  return parse_resource (self, text, error);
}

static JsonObject *
parse_resource (RosterSqliteStore *self, const char *text, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_warning ("%s: a stored user resource is not a JSON object", db_name (self));
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           roster_error_code_describe (ROSTER_ERROR_STORE));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* From a row of RECORD_COLUMNS. */
static RosterUserRecord *
record_from_row (RosterSqliteStore *self, RosterDbStmt *s, GError **error)
{
  g_autoptr(RosterUserRecord) record = roster_user_record_new ();

  record->resource = parse_resource (self, roster_db_column_text (s, 1), error);
  if (record->resource == NULL)
    return NULL;
  record->id = g_strdup (roster_db_column_text (s, 0));
  record->created = column_date (s, 2);
  record->last_modified = column_date (s, 3);
  record->version = roster_db_column_int64 (s, 4);
  record->manager_display_name = g_strdup (roster_db_column_text (s, 5));
  record->secondary_manager_display_name = g_strdup (roster_db_column_text (s, 6));
  return g_steal_pointer (&record);
}

static RosterUserRecord *
get_record_locked (RosterSqliteStore *self, const char *id, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_RECORD);
  int rc;

  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    {
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
        (GDestroyNotify) roster_user_record_free);
      RosterUserRecord *record = record_from_row (self, s, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
      g_clear_pointer (&s, roster_db_stmt_reset);
      if (!roster_sqlite_store_fill_users (self, records, error))
        return NULL;
      return g_ptr_array_steal_index (records, 0);
    }
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("There is no user with this id"));
      return NULL;
    }
  store_error (self, error, "get user");
  return NULL;
}

static gboolean
get_settings_locked (RosterSqliteStore *self, RosterSettings *settings, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_SETTINGS);
  gint64 *fields[] = { &settings->lockout_threshold, &settings->inactivity_lock_days,
                       &settings->password_max_age_days, &settings->password_history,
                       &settings->session_idle_minutes, &settings->session_absolute_hours,
                       &settings->password_min_quality,
                       &settings->require_two_factor_admins, &settings->max_active_users,
                       &settings->administrators_count, &settings->restore_window_days,
                       &settings->activation_link_days };

  roster_settings_init_defaults (settings);
  if (roster_db_step (s) != ROSTER_DB_ROW)
    return store_error (self, error, "get settings");
  settings->version = roster_db_column_int64 (s, 0);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!roster_db_column_is_null (s, (int) i + 1))
      *fields[i] = roster_db_column_int64 (s, (int) i + 1);
  /* The render stamp came along: in a read transaction it stays what it is now, so
   * roster_sqlite_store_get_stamp() needs no statement of its own (one round trip less per
   * request on PostgreSQL). */
  if (self->depth > 0 && !self->writing)
    {
      self->stamp = (guint64) roster_db_column_int64 (s, (int) G_N_ELEMENTS (fields) + 1);
      self->stamp_known = TRUE;
    }
  return TRUE;
}

/* Remembers @password_hash as the newest of @id's passwords and forgets the ones past the
 * passwordHistory setting. */
static gboolean
add_history (RosterSqliteStore *self, const char *id, const char *password_hash, gint64 now,
             GError **error)
{
  RosterSettings settings;

  if (!get_settings_locked (self, &settings, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_INSERT_HISTORY);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_int64 (s, 2, now);
    roster_db_bind_text (s, 3, password_hash);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "insert password history");
  }
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_TRIM_HISTORY);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_int64 (s, 2, settings.password_history);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "trim password history");
  }
  return TRUE;
}

/* Ends the sessions of every account that can no longer sign in. */
static gboolean
purge_sessions (RosterSqliteStore *self, GError **error)
{
  return run (self, STMT_PURGE_SESSIONS, error);
}

/* Ends @user_id's sessions, all but @keep (a token hash) if it is not NULL. */
static gboolean
delete_sessions_of (RosterSqliteStore *self, const char *user_id, const char *keep,
                    GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_DELETE_USER_SESSIONS);

  roster_db_bind_text (s, 1, user_id);
  roster_db_bind_text (s, 2, keep);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return store_error (self, error, "delete sessions");
  return TRUE;
}

/* Replaces the child rows of one multi-valued attribute. */
static gboolean
write_children (RosterSqliteStore *self, const char *id, JsonObject *resource,
                const char *attribute, StmtId delete_id, StmtId insert_id, GError **error)
{
  JsonNode *node = json_object_get_member (resource, attribute);

  {
    g_autoptr(RosterStmt) s = stmt (self, delete_id);

    roster_db_bind_text (s, 1, id);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, stmt_text (self, delete_id));
  }
  for (guint i = 0; node != NULL && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *value = json_array_get_object_element (json_node_get_array (node), i);
      const char *str = json_object_get_string_member_with_default (value, "value", NULL);
      g_autofree char *folded = fold (str);
      g_autoptr(RosterStmt) s = NULL;

      if (str == NULL)
        continue;
      s = stmt (self, insert_id);
      roster_db_bind_text (s, 1, id);
      roster_db_bind_int64 (s, 2, (int) i);
      roster_db_bind_text (s, 3, str);
      roster_db_bind_text (s, 4, folded);
      roster_db_bind_text (s, 5, json_object_get_string_member_with_default (value, "type", NULL));
      roster_db_bind_int64 (s, 6,
                        json_object_get_boolean_member_with_default (value, "primary", FALSE));
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return store_error (self, error, stmt_text (self, insert_id));
    }
  return TRUE;
}

static gboolean
write_all_children (RosterSqliteStore *self, const char *id, JsonObject *resource,
                    GError **error)
{
  return roster_sqlite_store_write_user_access (self, id, resource, error)
         && write_children (self, id, resource, "emails", STMT_DELETE_EMAILS, STMT_INSERT_EMAIL,
                         error)
         && write_children (self, id, resource, "phoneNumbers", STMT_DELETE_PHONE_NUMBERS,
                            STMT_INSERT_PHONE_NUMBER, error);
}

static gboolean user_exists (RosterSqliteStore *self, const char *id, gboolean *exists,
                             GError **error);

gboolean
roster_sqlite_store_user_exists (RosterSqliteStore *self, const char *id, gboolean *exists,
                                 GError **error)
{
  return user_exists (self, id, exists, error);
}

static gboolean
user_exists (RosterSqliteStore *self, const char *id, gboolean *exists, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_USER_EXISTS);
  int rc;

  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc != ROSTER_DB_ROW && rc != ROSTER_DB_DONE)
    return store_error (self, error, "check user");
  *exists = rc == ROSTER_DB_ROW;
  return TRUE;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, message);
  return FALSE;
}

/* The managers of @id (NULL for a new user) exist, are not @id, and the primary managers
 * form no cycle. */
static gboolean
check_managers (RosterSqliteStore *self, const char *id, const Columns *c, GError **error)
{
  gboolean exists = FALSE;

  if (c->manager_id != NULL)
    {
      if (g_strcmp0 (c->manager_id, id) == 0)
        return invalid (error, _("A user cannot be their own manager"));
      if (!user_exists (self, c->manager_id, &exists, error))
        return FALSE;
      if (!exists)
        return invalid (error, _("The manager is not a user of this server"));
      if (id != NULL)
        {
          g_autoptr(RosterStmt) s = stmt (self, STMT_MANAGER_CHAIN_REACHES);
          int rc;

          roster_db_bind_text (s, 1, c->manager_id);
          roster_db_bind_text (s, 2, id);
          rc = roster_db_step (s);
          if (rc == ROSTER_DB_ROW)
            return invalid (error, _("This manager would make a cycle: the user already "
                                     "manages them, directly or through others"));
          if (rc != ROSTER_DB_DONE)
            return store_error (self, error, "check manager cycle");
        }
    }
  if (c->secondary_manager_id != NULL)
    {
      if (g_strcmp0 (c->secondary_manager_id, id) == 0)
        return invalid (error, _("A user cannot be their own secondary manager"));
      if (!user_exists (self, c->secondary_manager_id, &exists, error))
        return FALSE;
      if (!exists)
        return invalid (error, _("The secondary manager is not a user of this server"));
    }
  return TRUE;
}

static gboolean
user_name_taken (GError **error)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN,
                       _("A user with this username already exists"));
  return FALSE;
}

static RosterUserRecord *insert_user_with_id (RosterSqliteStore *self, const char *id,
                                              JsonObject *resource, const char *password_hash,
                                              GError **error);

/* Inserts @resource inside the caller's transaction. */
static RosterUserRecord *
insert_user (RosterSqliteStore *self, JsonObject *resource, const char *password_hash,
             GError **error)
{
  g_autofree char *id = g_uuid_string_random ();

  return insert_user_with_id (self, id, resource, password_hash, error);
}

RosterUserRecord *
roster_sqlite_store_insert_user (RosterSqliteStore *self, const char *id, JsonObject *resource,
                                 const char *password_hash, GError **error)
{
  return insert_user_with_id (self, id, resource, password_hash, error);
}

/* A deleted user keeps its username until it is purged (see roster-sqlite-store-lifecycle.c). */
static gboolean
check_name_free (RosterSqliteStore *self, const Columns *c, GError **error)
{
  gboolean reserved = FALSE;

  if (!roster_sqlite_store_user_name_reserved (self, c->user_name_folded, &reserved, error))
    return FALSE;
  if (reserved)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN,
                           _("A recently deleted user has this username: it is free again "
                             "once that user is purged"));
      return FALSE;
    }
  return TRUE;
}

static RosterUserRecord *
insert_user_with_id (RosterSqliteStore *self, const char *id, JsonObject *resource,
                     const char *password_hash, GError **error)
{
  g_auto(Columns) c = { 0 };
  gint64 now = roster_clock_now ();

  columns_init (&c, resource);
  if (!check_name_free (self, &c, error) || !check_managers (self, NULL, &c, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_INSERT_USER);

    roster_db_bind_text (s, 1, id);
    bind_columns (s, &c);
    roster_db_bind_text (s, 20, password_hash);
    roster_db_bind_int64 (s, 21, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        if (roster_db_get_failure (self->db) == ROSTER_DB_FAILURE_UNIQUE)
          {
            g_debug ("%s: insert user: %s", db_name (self), roster_db_errmsg (self->db));
            user_name_taken (error);
            return NULL;
          }
        store_error (self, error, "insert user");
        return NULL;
      }
  }
  if (!write_all_children (self, id, resource, error))
    return NULL;
  if (password_hash != NULL && !add_history (self, id, password_hash, now, error))
    return NULL;
  return get_record_locked (self, id, error);
}

static RosterUserRecord *
roster_sqlite_store_create_user (RosterStore *store, JsonObject *resource,
                                 const char *password_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) stored = NULL;

  if (!begin (self, TRUE, error))
    return NULL;
  stored = insert_user (self, resource, password_hash, error);
  if (stored == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

static RosterUserRecord *
roster_sqlite_store_get_user_record (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) record = NULL;

  /* One read transaction: the user and their managers' names from one snapshot. */
  if (!begin (self, FALSE, error))
    return NULL;
  record = get_record_locked (self, id, error);
  if (record == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static RosterUser *
roster_sqlite_store_get_user (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_USER);
  int rc;

  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    return user_from_row (s);
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("There is no user with this id"));
      return NULL;
    }
  store_error (self, error, "get user");
  return NULL;
}

/* Checks that @id exists at @if_version (0: any), and whether it is an active administrator. */
static gboolean
check_state_full (RosterSqliteStore *self, const char *id, gint64 if_version,
                  gboolean *active_admin, gboolean *admin, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_STATE);
  int rc;

  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("There is no user with this id"));
      return FALSE;
    }
  if (rc != ROSTER_DB_ROW)
    return store_error (self, error, "get user state");
  if (if_version != 0 && roster_db_column_int64 (s, 0) != if_version)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED,
                           _("The user has changed since this version was read"));
      return FALSE;
    }
  *active_admin = (int) roster_db_column_int64 (s, 1) != 0;
  if (admin != NULL)
    *admin = (int) roster_db_column_int64 (s, 2) != 0;
  return TRUE;
}

static gboolean
check_state (RosterSqliteStore *self, const char *id, gint64 if_version, gboolean *active_admin,
             GError **error)
{
  return check_state_full (self, id, if_version, active_admin, NULL, error);
}

/* Someone other than @id can still administer the server. */
static gboolean
check_other_admin (RosterSqliteStore *self, const char *id, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_COUNT_OTHER_ADMINS);

  roster_db_bind_text (s, 1, id);
  if (roster_db_step (s) != ROSTER_DB_ROW)
    return store_error (self, error, "count administrators");
  if (roster_db_column_int64 (s, 0) == 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_LAST_ADMINISTRATOR,
                           _("This is the last active administrator: make someone else an "
                             "administrator first"));
      return FALSE;
    }
  return TRUE;
}

static RosterUserRecord *
replace_user_locked (RosterSqliteStore *self, const char *id, JsonObject *resource,
                     gint64 if_version, const char *password_hash, GError **error)
{
  g_auto(Columns) c = { 0 };
  gboolean was_active_admin = FALSE, was_admin = FALSE;
  gint64 now = roster_clock_now ();

  if (!check_state_full (self, id, if_version, &was_active_admin, &was_admin, error))
    return NULL;
  columns_init (&c, resource);
  if (was_active_admin && !(c.administrator && c.active && g_str_equal (c.status, "active"))
      && !check_other_admin (self, id, error))
    return NULL;
  if (!check_name_free (self, &c, error))
    return NULL;
  if (!check_managers (self, id, &c, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_UPDATE_USER);

    roster_db_bind_text (s, 1, id);
    bind_columns (s, &c);
    roster_db_bind_text (s, 20, password_hash);
    roster_db_bind_int64 (s, 21, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        if (roster_db_get_failure (self->db) == ROSTER_DB_FAILURE_UNIQUE)
          {
            user_name_taken (error);
            return NULL;
          }
        store_error (self, error, "update user");
        return NULL;
      }
  }
  if (!write_all_children (self, id, resource, error))
    return NULL;
  if (password_hash != NULL && !add_history (self, id, password_hash, now, error))
    return NULL;
  /* Deactivated, locked or no longer an administrator: what they signed in for is over. */
  if ((!(c.active && g_str_equal (c.status, "active")) || (was_admin && !c.administrator))
      && !delete_sessions_of (self, id, NULL, error))
    return NULL;
  return get_record_locked (self, id, error);
}

static RosterUserRecord *
roster_sqlite_store_replace_user (RosterStore *store, const char *id, JsonObject *resource,
                                  gint64 if_version, const char *password_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) stored = NULL;

  if (!begin (self, TRUE, error))
    return NULL;
  stored = replace_user_locked (self, id, resource, if_version, password_hash, error);
  if (stored == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

static gboolean delete_user_locked (RosterSqliteStore *self, const char *id, gint64 if_version,
                                    GError **error);

RosterUserRecord *
roster_sqlite_store_get_record_locked (RosterSqliteStore *self, const char *id, GError **error)
{
  return get_record_locked (self, id, error);
}

gboolean
roster_sqlite_store_delete_user_locked (RosterSqliteStore *self, const char *id,
                                        gint64 if_version, GError **error)
{
  return delete_user_locked (self, id, if_version, error);
}

static gboolean
delete_user_locked (RosterSqliteStore *self, const char *id, gint64 if_version, GError **error)
{
  gboolean active_admin = FALSE;

  if (!check_state (self, id, if_version, &active_admin, error))
    return FALSE;
  if (active_admin && !check_other_admin (self, id, error))
    return FALSE;
  if (!roster_sqlite_store_user_leaving (self, id, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_CLEAR_MANAGERS);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_int64 (s, 2, roster_clock_now ());
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "clear manager references");
  }
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_DELETE_USER);

    roster_db_bind_text (s, 1, id);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "delete user");
  }
  return TRUE;
}

static gboolean
roster_sqlite_store_delete_user (RosterStore *store, const char *id, gint64 if_version,
                                 GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!begin (self, TRUE, error))
    return FALSE;
  if (!delete_user_locked (self, id, if_version, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static void
bind_param (RosterDbStmt *s, int index, const GValue *value)
{
  if (G_VALUE_HOLDS_STRING (value))
    roster_db_bind_text (s, index, g_value_get_string (value));
  else if (G_VALUE_HOLDS_INT64 (value))
    roster_db_bind_int64 (s, index, g_value_get_int64 (value));
  else if (G_VALUE_HOLDS_DOUBLE (value))
    roster_db_bind_double (s, index, g_value_get_double (value));
  else if (G_VALUE_HOLDS_BOOLEAN (value))
    roster_db_bind_int64 (s, index, g_value_get_boolean (value) ? 1 : 0);
  else
    roster_db_bind_null (s, index);
}

typedef struct
{
  GPtrArray *strings; /* SQL the mapper made up, freed after compiling */
  gboolean postgres;
} MapContext;

/* Attributes with a column of their own; everything else single-valued is read from the
 * JSON resource. */
static const struct
{
  const char *schema; /* NULL: core */
  const char *name;
  RosterScimAttributeType type;
  gboolean folded;
  gboolean case_exact;
  const char *column;
  const char *substring_attribute; /* in user_substrings (migration 11) */
} mapped_columns[] = {
  { NULL, "id", ROSTER_SCIM_TYPE_STRING, FALSE, TRUE, "u.id", NULL },
  { NULL, "externalId", ROSTER_SCIM_TYPE_STRING, FALSE, TRUE, "u.external_id", NULL },
  { NULL, "userName", ROSTER_SCIM_TYPE_STRING, TRUE, FALSE, "u.user_name_folded", "1" },
  { NULL, "displayName", ROSTER_SCIM_TYPE_STRING, TRUE, FALSE, "u.display_name_folded", "2" },
  { NULL, "name.givenName", ROSTER_SCIM_TYPE_STRING, TRUE, FALSE, "u.given_name_folded", NULL },
  { NULL, "name.familyName", ROSTER_SCIM_TYPE_STRING, TRUE, FALSE, "u.family_name_folded",
    NULL },
  { NULL, "active", ROSTER_SCIM_TYPE_BOOLEAN, FALSE, FALSE, "u.active", NULL },
  /* PostgreSQL: roster_date (u.created), see sql_mapper() */
  { NULL, "meta.created", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, FALSE,
    "datetime (u.created, 'unixepoch')", NULL },
  { NULL, "meta.lastModified", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, FALSE,
    "datetime (u.last_modified, 'unixepoch')", NULL },
  { ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "employeeNumber", ROSTER_SCIM_TYPE_STRING, FALSE, FALSE,
    "u.employee_number", NULL },
  { ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "manager.value", ROSTER_SCIM_TYPE_STRING, FALSE, TRUE,
    "u.manager_id", NULL },
  { ROSTER_SCIM_SCHEMA_ROSTER_USER, "administrator", ROSTER_SCIM_TYPE_BOOLEAN, FALSE, FALSE,
    "u.administrator", NULL },
  { ROSTER_SCIM_SCHEMA_ROSTER_USER, "status", ROSTER_SCIM_TYPE_STRING, FALSE, FALSE, "u.status",
    NULL },
  { ROSTER_SCIM_SCHEMA_ROSTER_USER, "secondaryManager.value", ROSTER_SCIM_TYPE_STRING, FALSE,
    TRUE, "u.secondary_manager_id", NULL },
};

/* Multi-valued attributes with a child table. */
static const struct
{
  const char *name;
  const char *table;
} child_tables[] = {
  { "emails", "user_emails" },
  { "phoneNumbers", "user_phone_numbers" },
};

/* Roles, entitlements, groups and effective permissions: child tables whose values are ids,
 * compared exactly. */
static const struct
{
  const char *schema;
  const char *name;
  const char *table;
  const char *column;
} access_tables[] = {
  { ROSTER_SCIM_SCHEMA_USER, "groups", "group_members", NULL },
  { ROSTER_SCIM_SCHEMA_USER, "groups.value", "group_members", "group_id" },
  { ROSTER_SCIM_SCHEMA_USER, "roles", "user_roles", NULL },
  { ROSTER_SCIM_SCHEMA_USER, "roles.value", "user_roles", "role_id" },
  { ROSTER_SCIM_SCHEMA_USER, "roles.type", "user_roles", "type" },
  { ROSTER_SCIM_SCHEMA_USER, "entitlements", "user_entitlements", NULL },
  { ROSTER_SCIM_SCHEMA_USER, "entitlements.value", "user_entitlements", "permission" },
  { ROSTER_SCIM_SCHEMA_USER, "entitlements.type", "user_entitlements", "type" },
};

/* Finds the schema and attribute @path names; unqualified names may be extension ones. */
static gboolean
resolve_path (const RosterScimAttrPath *path, const RosterSchema **schema_out,
              const RosterAttribute **attribute_out)
{
  const RosterSchema *const *schemas = roster_schema_user_schemas ();

  for (guint i = 0; schemas[i] != NULL; i++)
    {
      const RosterAttribute *attribute;

      if (path->schema != NULL && g_ascii_strcasecmp (path->schema, schemas[i]->id) != 0)
        continue;
      attribute = roster_schema_find_attribute (schemas[i], path->attribute);
      if (attribute != NULL)
        {
          *schema_out = schemas[i];
          *attribute_out = attribute;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
sql_mapper (const RosterScimAttrPath *path, RosterScimSqlColumn *column, gpointer user_data)
{
  MapContext *ctx = user_data;
  const RosterSchema *schema = NULL;
  const RosterAttribute *attribute = NULL, *sub = NULL;
  const char *urn = NULL;
  char *expr;

  for (guint i = 0; i < G_N_ELEMENTS (mapped_columns); i++)
    {
      const char *want = mapped_columns[i].schema != NULL ? mapped_columns[i].schema
                                                          : ROSTER_SCIM_SCHEMA_USER;

      if (roster_scim_attr_path_is (path, want, mapped_columns[i].name))
        {
          column->type = mapped_columns[i].type;
          column->folded = mapped_columns[i].folded;
          column->case_exact = mapped_columns[i].case_exact;
          column->column = mapped_columns[i].column;
          if (ctx->postgres && column->type == ROSTER_SCIM_TYPE_DATE_TIME)
            column->column = g_str_has_suffix (mapped_columns[i].name, "created")
                               ? "roster_date (u.created)"
                               : "roster_date (u.last_modified)";
          /* PostgreSQL's substrings are pg_trgm's, on the column itself. */
          if (mapped_columns[i].substring_attribute != NULL && !ctx->postgres)
            {
              column->substring_table = "user_substrings";
              column->substring_attribute = mapped_columns[i].substring_attribute;
              column->substring_key = "u.rowid";
            }
          return TRUE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (access_tables); i++)
    if (roster_scim_attr_path_is (path, access_tables[i].schema, access_tables[i].name))
      {
        column->table = access_tables[i].table;
        column->foreign_key = "user_id";
        column->parent_key = "u.id";
        column->column = access_tables[i].column;
        column->case_exact = TRUE;
        if (access_tables[i].column == NULL)
          column->type = ROSTER_SCIM_TYPE_COMPLEX;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (child_tables); i++)
    if (roster_scim_attr_path_is (path, ROSTER_SCIM_SCHEMA_USER, child_tables[i].name)
        || (path->sub_attribute != NULL && (path->schema == NULL
                                            || g_ascii_strcasecmp (path->schema,
                                                                   ROSTER_SCIM_SCHEMA_USER)
                                                 == 0)
            && g_ascii_strcasecmp (path->attribute, child_tables[i].name) == 0))
      {
        column->table = child_tables[i].table;
        column->foreign_key = "user_id";
        column->parent_key = "u.id";
        if (path->sub_attribute == NULL)
          column->type = ROSTER_SCIM_TYPE_COMPLEX;
        else if (g_ascii_strcasecmp (path->sub_attribute, "value") == 0)
          {
            column->column = "value_folded";
            column->folded = TRUE;
          }
        else if (g_ascii_strcasecmp (path->sub_attribute, "type") == 0)
          column->column = "type";
        else if (g_ascii_strcasecmp (path->sub_attribute, "primary") == 0)
          {
            column->column = "\"primary\"";
            column->type = ROSTER_SCIM_TYPE_BOOLEAN;
          }
        else
          return FALSE;
        return TRUE;
      }

  /* The rest of the single-valued attributes, from the stored JSON. */
  if (!resolve_path (path, &schema, &attribute) || roster_attribute_is_multi_valued (attribute)
      || attribute->returned == ROSTER_RETURNED_NEVER)
    return FALSE;
  if (path->sub_attribute != NULL)
    {
      sub = roster_attribute_find_sub (attribute, path->sub_attribute);
      if (sub == NULL)
        return FALSE;
    }
  else if (roster_attribute_is_complex (attribute))
    {
      /* For a value path over it: its sub-attributes are columns of this row. */
      column->type = ROSTER_SCIM_TYPE_COMPLEX;
      return TRUE;
    }
  if (schema != roster_schema_user_core ())
    urn = schema->id;
  column->type = (RosterScimAttributeType) (sub != NULL ? sub : attribute)->type;
  /* The names come from the schema tables, never from the filter text. */
  if (ctx->postgres)
    {
      g_autofree char *json_path = g_strdup_printf ("ARRAY[%s%s%s'%s'%s%s%s]", urn ? "'" : "",
                                               urn ? urn : "", urn ? "', " : "", attribute->name,
                                               sub ? ", '" : "", sub ? sub->name : "",
                                               sub ? "'" : "");

      /* Typed as SQLite's json_extract() returns them: booleans 0/1, numbers, text. */
      if (column->type == ROSTER_SCIM_TYPE_BOOLEAN)
        expr = g_strdup_printf ("CAST (CAST (CAST (u.resource AS jsonb) #> %s AS boolean) AS "
                                "integer)", json_path);
      else if (column->type == ROSTER_SCIM_TYPE_INTEGER
               || column->type == ROSTER_SCIM_TYPE_DECIMAL)
        expr = g_strdup_printf ("CAST (CAST (u.resource AS jsonb) #> %s AS numeric)", json_path);
      else
        expr = g_strdup_printf ("(CAST (u.resource AS jsonb) #>> %s)", json_path);
    }
  else
    expr = g_strdup_printf ("json_extract (u.resource, '$%s%s%s.%s%s%s')", urn ? ".\"" : "",
                            urn ? urn : "", urn ? "\"" : "", attribute->name, sub ? "." : "",
                            sub ? sub->name : "");
  g_ptr_array_add (ctx->strings, expr);
  column->case_exact = ((sub != NULL ? sub : attribute)->flags & ROSTER_ATTRIBUTE_CASE_EXACT) != 0;
  column->column = expr;
  return TRUE;
}

/* Turns the query's filter into a WHERE condition over "users u" and its parameters. */
static gboolean
compile_filter (RosterSqliteStore *self, gpointer filter, GString *where, GPtrArray **params,
                GError **error)
{
  MapContext ctx = { g_ptr_array_new_with_free_func (g_free),
                     roster_sqlite_store_is_postgres (self) };
  gboolean ok;

  if (filter == NULL)
    {
      g_ptr_array_unref (ctx.strings);
      return TRUE;
    }
  *params = roster_scim_sql_params_new ();
  ok = roster_scim_filter_to_sql (filter, roster_sqlite_store_sql_dialect (self), sql_mapper, &ctx, where, *params,
                                  error);
  g_ptr_array_unref (ctx.strings);
  return ok;
}

/* Column expressions of the sortable attributes, by RosterUserSort; each has an index on
 * (column, id). */
static const char *const sort_columns[] = {
  [ROSTER_USER_SORT_USER_NAME] = "u.user_name_folded",
  [ROSTER_USER_SORT_FAMILY_NAME] = "u.family_name_folded",
  [ROSTER_USER_SORT_GIVEN_NAME] = "u.given_name_folded",
  [ROSTER_USER_SORT_DISPLAY_NAME] = "u.display_name_folded",
  [ROSTER_USER_SORT_EMAIL] = "u.email_folded",
  [ROSTER_USER_SORT_CREATED] = "u.created",
  [ROSTER_USER_SORT_LAST_MODIFIED] = "u.last_modified",
  [ROSTER_USER_SORT_EMPLOYEE_NUMBER] = "u.employee_number",
  [ROSTER_USER_SORT_LAST_LOGIN] = "u.last_login",
};

/* Prepares @sql (built from fixed fragments only, never from input) and binds @params as
 * ?1…: a filter's SQL differs only by its shape, so the statements are kept, at most
 * QUERY_CACHE_SIZE of them (emptied when full). Release with roster_db_stmt_reset(). */
RosterStmt *
roster_sqlite_store_query (RosterSqliteStore *self, const char *sql, GPtrArray *params,
                           GError **error)
{
  RosterDbStmt *s = g_hash_table_lookup (self->queries, sql);

  if (s == NULL)
    {
      if (g_hash_table_size (self->queries) >= QUERY_CACHE_SIZE)
        g_hash_table_remove_all (self->queries);
      s = roster_db_prepare (self->db, sql, TRUE);
      if (s == NULL)
        {
          store_error (self, error, "prepare search");
          return NULL;
        }
      g_hash_table_insert (self->queries, g_strdup (sql), s);
    }
  for (guint i = 0; params != NULL && i < params->len; i++)
    bind_param (s, (int) i + 1, g_ptr_array_index (params, i));
  return s;
}

static guint
n_params (GPtrArray *params)
{
  return params != NULL ? params->len : 0;
}

/* A page statement: the filter's parameters, then LIMIT and OFFSET, so that paging through
 * a list reuses one statement. */
static RosterStmt *
page_query (RosterSqliteStore *self, const char *sql, GPtrArray *params,
            const RosterUserQuery *query, GError **error)
{
  RosterStmt *s = roster_sqlite_store_query (self, sql, params, error);

  if (s == NULL)
    return NULL;
  roster_db_bind_int64 (s, (int) n_params (params) + 1, query->count);
  roster_db_bind_int64 (s, (int) n_params (params) + 2, (gint64) query->start_index - 1);
  return s;
}

/* A page of records, or (@ids_only) of their ids alone. */
static const char *
page_columns (gboolean ids_only)
{
  return ids_only ? "u.id" : RECORD_COLUMNS;
}

static const char *
page_from (gboolean ids_only)
{
  return ids_only ? "users u" : RECORD_FROM;
}

static gboolean
add_page_row (RosterSqliteStore *self, RosterDbStmt *s, gboolean ids_only, GPtrArray *page,
              GError **error)
{
  RosterUserRecord *record;

  if (ids_only)
    {
      g_ptr_array_add (page, g_strdup (roster_db_column_text (s, 0)));
      return TRUE;
    }
  record = record_from_row (self, s, error);
  if (record == NULL)
    return FALSE;
  g_ptr_array_add (page, record);
  return TRUE;
}

/* The page of a filtered search, with totalResults from the same matches: the filter
 * runs once into a materialized set of (rowid, sort key, id), which is counted and sorted.
 * Sets @counted unless the page came out empty (no row carries the total then). */
static gboolean
search_filtered_page (RosterSqliteStore *self, const RosterUserQuery *query, const char *where,
                      GPtrArray *params, gboolean ids_only, GPtrArray *records,
                      guint *total_results, gboolean *counted, GError **error)
{
  const char *order = roster_sqlite_store_sort_order (self, query->descending);
  g_autofree char *sql = NULL;
  RosterDbStmt *s;
  int rc;

  /* The ids come straight from the matches, which carry them and their sort key; the
   * records are joined back to their managers for the page only. */
  if (ids_only)
    sql = g_strdup_printf ("WITH matched (rid, sort_key, id) AS MATERIALIZED ("
                           "SELECT u.rowid, %s, u.id FROM users u WHERE %s) "
                           "SELECT id, (SELECT count(*) FROM matched) FROM matched "
                           "ORDER BY sort_key %s, id %s LIMIT ?%u OFFSET ?%u",
                           sort_columns[query->sort], where, order, order, n_params (params) + 1,
                           n_params (params) + 2);
  else
    sql = g_strdup_printf ("WITH matched (rid, sort_key, id) AS MATERIALIZED ("
                           "SELECT u.rowid, %s, u.id FROM users u WHERE %s) "
                           "SELECT %s, (SELECT count(*) FROM matched) "
                           "FROM %s "
                           "WHERE u.rowid IN (SELECT rid FROM matched "
                           "ORDER BY sort_key %s, id %s LIMIT ?%u OFFSET ?%u) "
                           "ORDER BY %s %s, u.id %s",
                           sort_columns[query->sort], where, page_columns (ids_only),
                           page_from (ids_only), order, order, n_params (params) + 1,
                           n_params (params) + 2, sort_columns[query->sort], order, order);
  s = page_query (self, sql, params, query, error);
  if (s == NULL)
    return FALSE;
  *counted = FALSE;
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    {
      if (!add_page_row (self, s, ids_only, records, error))
        {
          roster_db_stmt_reset (s);
          return FALSE;
        }
      *total_results = (guint) CLAMP (roster_db_column_int64 (s, ids_only ? 1 : 7), 0, G_MAXUINT);
      *counted = TRUE;
    }
  roster_db_stmt_reset (s);
  if (rc != ROSTER_DB_DONE)
    {
      store_error (self, error, "list users");
      return FALSE;
    }
  return TRUE;
}

/* A page of records, or with @ids_only a page of their ids (the records are not read). */
static GPtrArray *
search_users_locked (RosterSqliteStore *self, const RosterUserQuery *query, gboolean ids_only,
                     guint *total_results, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    ids_only ? g_free : (GDestroyNotify) roster_user_record_free);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *order = roster_sqlite_store_sort_order (self, query->descending);
  RosterDbStmt *s;
  int rc;

  if (!compile_filter (self, query->filter, where, &params, error))
    return NULL;

  /* A filtered page and its total in one statement, so the filter (an FTS5 lookup for
   * "co", ~0.7 ms at 100,000 users) runs once; if the page is empty, the count below. */
  if (where->len > 0 && query->count > 0)
    {
      gboolean counted = FALSE;

      if (!search_filtered_page (self, query, where->str, params, ids_only, records,
                                 total_results, &counted, error))
        return NULL;
      if (counted)
        return ids_only || roster_sqlite_store_fill_users (self, records, error)
                 ? g_steal_pointer (&records)
                 : NULL;
    }

  count_sql = g_strdup_printf ("SELECT count(*) FROM users u%s%s", where->len ? " WHERE " : "",
                               where->str);
  s = roster_sqlite_store_query (self, count_sql, params, error);
  if (s == NULL)
    return NULL;
  rc = roster_db_step (s);
  if (rc != ROSTER_DB_ROW)
    {
      roster_db_stmt_reset (s);
      store_error (self, error, "count users");
      return NULL;
    }
  *total_results = (guint) CLAMP (roster_db_column_int64 (s, 0), 0, G_MAXUINT);
  roster_db_stmt_reset (s);
  if (query->count == 0)
    return g_steal_pointer (&records);

  /* NULLs sort first ascending and last descending (SQLite's order), so the (column, id)
   * index serves both directions. The page's rows are picked first, from users alone, and
   * only they are joined to their managers: with the joins in the same query, every row
   * OFFSET skips was read from the table too (the index no longer covers the query), which
   * made a page deep in 100,000 users cost ~20 ms instead of ~2 ms. */
  page_sql = g_strdup_printf ("SELECT %s FROM %s "
                              "WHERE u.rowid IN (SELECT u.rowid FROM users u%s%s "
                              "ORDER BY %s %s, u.id %s LIMIT ?%u OFFSET ?%u) "
                              "ORDER BY %s %s, u.id %s",
                              page_columns (ids_only), page_from (ids_only),
                              where->len ? " WHERE " : "", where->str,
                              sort_columns[query->sort], order, order, n_params (params) + 1,
                              n_params (params) + 2, sort_columns[query->sort], order, order);
  s = page_query (self, page_sql, params, query, error);
  if (s == NULL)
    return NULL;
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    if (!add_page_row (self, s, ids_only, records, error))
      {
        roster_db_stmt_reset (s);
        return NULL;
      }
  roster_db_stmt_reset (s);
  if (rc != ROSTER_DB_DONE)
    {
      store_error (self, error, "list users");
      return NULL;
    }
  if (!ids_only && !roster_sqlite_store_fill_users (self, records, error))
    return NULL;
  return g_steal_pointer (&records);
}

static GPtrArray *
roster_sqlite_store_search_users (RosterStore *store, const RosterUserQuery *query,
                                  guint *total_results, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail ((guint) query->sort < G_N_ELEMENTS (sort_columns), NULL);
  /* One read transaction, so the count and the page agree. */
  if (!begin (self, FALSE, error))
    return NULL;
  records = search_users_locked (self, query, FALSE, total_results, error);
  if (records == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&records);
}

static GPtrArray *
roster_sqlite_store_search_user_ids (RosterStore *store, const RosterUserQuery *query,
                                     guint *total_results, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail ((guint) query->sort < G_N_ELEMENTS (sort_columns), NULL);
  if (!begin (self, FALSE, error))
    return NULL;
  ids = search_users_locked (self, query, TRUE, total_results, error);
  if (ids == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static GPtrArray *
roster_sqlite_store_get_user_records (RosterStore *store, GPtrArray *ids, GError **error)
{
#define USER_RECORDS_SQL(IN_IDS)                                                                   \
  "SELECT " RECORD_COLUMNS " FROM " RECORD_FROM " WHERE u.id IN " IN_IDS
  static const char *const sql[] = DIALECT_PAIR (USER_RECORDS_SQL);
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_user_record_free);
  g_autofree char *ids_text = NULL;
  int rc;

  if (ids->len == 0)
    return g_steal_pointer (&records);
  ids_text = roster_sqlite_store_ids_json (ids);
  if (!begin (self, FALSE, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, DIALECT_SQL (self, sql), error);

    if (s == NULL)
      goto failed;
    roster_db_bind_text (s, 1, ids_text);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      if (!add_page_row (self, s, FALSE, records, error))
        goto failed;
    if (rc != ROSTER_DB_DONE)
      {
        store_error (self, error, "get users");
        goto failed;
      }
  }
  if (!roster_sqlite_store_fill_users (self, records, error) || !commit (self, error))
    goto failed;
  return g_steal_pointer (&records);

failed:
  rollback (self);
  return NULL;
}

/* render_version.n, read in the open transaction: equal stamps mean nothing users'
 * representations are made of changed in between (migration 12). */
static gboolean
roster_sqlite_store_get_stamp (RosterStore *store, RosterStoreStamp *stamp, GError **error)
{
  static const char sql[] = "SELECT n FROM render_version WHERE id = 1";
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = NULL;

  g_return_val_if_fail (self->depth > 0, FALSE);
  /* Inside a write, the count may yet be rolled back to one another write then reaches. */
  g_return_val_if_fail (!self->writing, FALSE);
  if (!self->stamp_known)
    {
      s = roster_sqlite_store_cached (self, sql, error);
      if (s == NULL)
        return FALSE;
      if (roster_db_step (s) != ROSTER_DB_ROW)
        return roster_sqlite_store_fail (self, error, "render version");
      self->stamp = (guint64) roster_db_column_int64 (s, 0);
      self->stamp_known = TRUE;
    }
  stamp->version = self->stamp;
  return TRUE;
}

static RosterCredentials *
roster_sqlite_store_lookup_credentials (RosterStore *store, const char *user_name,
                                        GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = stmt (self, STMT_LOOKUP_CREDENTIALS);
  RosterUserStatus status = ROSTER_USER_STATUS_INACTIVE;
  RosterCredentials *credentials;
  const char *expires_text;
  int rc;

  roster_db_bind_text (s, 1, user_name);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    return NULL;
  if (rc != ROSTER_DB_ROW)
    {
      store_error (self, error, "look up credentials");
      return NULL;
    }
  roster_user_status_from_string (roster_db_column_text (s, 3), &status);
  credentials = roster_credentials_new (roster_db_column_text (s, 0),
                                        roster_db_column_text (s, 1),
                                        (int) roster_db_column_int64 (s, 2) != 0, status);
  credentials->failed_logins = roster_db_column_int64 (s, 4);
  credentials->inactive_since = roster_db_column_int64 (s, 5);
  expires_text = roster_db_column_text (s, 6);
  if (expires_text != NULL)
    {
      g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (expires_text, NULL);

      if (expires != NULL)
        credentials->password_expires = g_date_time_to_unix (expires);
    }
  credentials->must_change_password = (int) roster_db_column_int64 (s, 7) != 0;
  return credentials;
}

/* Reads the setup row; @token_hash_out may be NULL. */
static gboolean
get_setup (RosterSqliteStore *self, gboolean *done, char **token_hash_out, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_SETUP);

  if (roster_db_step (s) != ROSTER_DB_ROW)
    return store_error (self, error, "read setup state");
  *done = (int) roster_db_column_int64 (s, 0) != 0;
  if (token_hash_out != NULL)
    *token_hash_out = g_strdup (roster_db_column_text (s, 1));
  return TRUE;
}

static gboolean
roster_sqlite_store_get_setup_done (RosterStore *store, gboolean *done, GError **error)
{
  return get_setup (ROSTER_SQLITE_STORE (store), done, NULL, error);
}

static gboolean
setup_complete_error (GError **error)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_SETUP_COMPLETE,
                       _("This server has already been set up"));
  return FALSE;
}

static gboolean
roster_sqlite_store_set_setup_token (RosterStore *store, const char *token_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  gboolean done = FALSE;

  if (!begin (self, TRUE, error))
    return FALSE;
  if (!get_setup (self, &done, NULL, error))
    goto fail;
  if (done)
    {
      setup_complete_error (error);
      goto fail;
    }
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_SET_SETUP_TOKEN);

    roster_db_bind_text (s, 1, token_hash);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        store_error (self, error, "set setup token");
        goto fail;
      }
  }
  if (!commit (self, error))
    goto fail;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static gboolean
check_setup_token (RosterSqliteStore *self, const char *token_hash, GError **error)
{
  g_autofree char *stored = NULL;
  gboolean done = FALSE;

  if (!get_setup (self, &done, &stored, error))
    return FALSE;
  if (done)
    return setup_complete_error (error);
  if (!roster_token_hash_equal (stored, token_hash))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SETUP_TOKEN,
                           _("The setup token is wrong"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_check_setup_token (RosterStore *store, const char *token_hash,
                                       GError **error)
{
  return check_setup_token (ROSTER_SQLITE_STORE (store), token_hash, error);
}

static gboolean
insert_session (RosterSqliteStore *self, RosterSession *session, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_INSERT_SESSION);

  roster_db_bind_text (s, 1, session->token_hash);
  roster_db_bind_text (s, 2, session->user_id);
  roster_db_bind_int64 (s, 3, g_date_time_to_unix (session->created));
  roster_db_bind_int64 (s, 4, g_date_time_to_unix (session->expires));
  roster_db_bind_text (s, 5, session->user_agent);
  roster_db_bind_text (s, 6, session->peer_address);
  roster_db_bind_text (s, 7, session->id);
  roster_db_bind_int64 (s, 8, session->password_change_required ? 1 : 0);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return store_error (self, error, "insert session");
  return TRUE;
}

static RosterUserRecord *
roster_sqlite_store_complete_setup (RosterStore *store, const char *token_hash,
                                    JsonObject *admin, const char *password_hash,
                                    RosterSession *session, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) stored = NULL;

  if (!begin (self, TRUE, error))
    return NULL;
  if (!check_setup_token (self, token_hash, error))
    goto fail;
  stored = insert_user (self, admin, password_hash, error);
  if (stored == NULL)
    goto fail;
  if (!run (self, STMT_FINISH_SETUP, error))
    goto fail;
  g_free (session->user_id);
  session->user_id = g_strdup (stored->id);
  if (!insert_session (self, session, error) || !commit (self, error))
    goto fail;
  return g_steal_pointer (&stored);

fail:
  rollback (self);
  return NULL;
}

static gboolean
roster_sqlite_store_create_session (RosterStore *store, RosterSession *session, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!begin (self, TRUE, error))
    return FALSE;
  if (!insert_session (self, session, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* From user_id, created, expires, user_agent, peer_address, id, last_used,
 * password_change_required starting at @first. */
static RosterSession *
session_from_row (RosterDbStmt *s, const char *token_hash, int first)
{
  g_autoptr(GDateTime) created = column_date (s, first + 1);
  g_autoptr(GDateTime) expires = column_date (s, first + 2);
  g_autoptr(GDateTime) last_used = column_date (s, first + 6);
  RosterSession *session;

  session = roster_session_new (token_hash, roster_db_column_text (s, first),
                                created, expires, roster_db_column_text (s, first + 3),
                                roster_db_column_text (s, first + 4));
  roster_session_set_stored (session, roster_db_column_text (s, first + 5),
                             last_used, (int) roster_db_column_int64 (s, first + 7) != 0);
  return session;
}

static RosterSession *
roster_sqlite_store_lookup_session (RosterStore *store, const char *token_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterSession) session = NULL;
  gboolean ok = TRUE;

  if (!begin (self, FALSE, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_LOOKUP_SESSION);
    int rc;

    roster_db_bind_text (s, 1, token_hash);
    rc = roster_db_step (s);
    if (rc == ROSTER_DB_ROW)
      session = session_from_row (s, token_hash, 0);
    else if (rc != ROSTER_DB_DONE)
      ok = store_error (self, error, "look up session");
  }
  if (!ok || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&session);
}

static gboolean
roster_sqlite_store_touch_session (RosterStore *store, const char *token_hash, GDateTime *now,
                                   GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  gboolean ok = TRUE;

  g_return_val_if_fail (self->depth == 0 || !roster_db_in_transaction (self->db), FALSE);
  if (!begin (self, TRUE, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_TOUCH_SESSION);

    roster_db_bind_text (s, 1, token_hash);
    roster_db_bind_int64 (s, 2, g_date_time_to_unix (now));
    if (roster_db_step (s) != ROSTER_DB_DONE)
      ok = store_error (self, error, "touch session");
  }
  if (!ok || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_delete_session (RosterStore *store, const char *token_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!begin (self, TRUE, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_DELETE_SESSION);

    roster_db_bind_text (s, 1, token_hash);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        store_error (self, error, "delete session");
        rollback (self);
        return FALSE;
      }
  }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Runs @body between BEGIN IMMEDIATE and COMMIT, rolling back on failure. */
#define WRITE_TRANSACTION(self, error, ok_expr)                                                   \
  (begin ((self), TRUE, (error)) && ((ok_expr) || (rollback (self), FALSE))                        \
   && (commit ((self), (error)) || (rollback (self), FALSE)))

static gboolean
roster_sqlite_store_get_settings (RosterStore *store, RosterSettings *settings, GError **error)
{
  return get_settings_locked (ROSTER_SQLITE_STORE (store), settings, error);
}

static gboolean
put_settings_locked (RosterSqliteStore *self, RosterSettings *settings, gint64 if_version,
                     GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_PUT_SETTINGS);
  int rc;

  roster_db_bind_int64 (s, 1, if_version);
  roster_db_bind_int64 (s, 2, settings->lockout_threshold);
  roster_db_bind_int64 (s, 3, settings->inactivity_lock_days);
  roster_db_bind_int64 (s, 4, settings->password_max_age_days);
  roster_db_bind_int64 (s, 5, settings->password_history);
  roster_db_bind_int64 (s, 6, settings->session_idle_minutes);
  if (settings->session_absolute_hours > 0)
    roster_db_bind_int64 (s, 7, settings->session_absolute_hours);
  roster_db_bind_int64 (s, 8, settings->password_min_quality);
  roster_db_bind_int64 (s, 9, settings->require_two_factor_admins);
  roster_db_bind_int64 (s, 10, settings->max_active_users);
  roster_db_bind_int64 (s, 11, settings->administrators_count);
  roster_db_bind_int64 (s, 12, settings->restore_window_days);
  roster_db_bind_int64 (s, 13, settings->activation_link_days);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED,
                           _("The settings have changed since this version was read"));
      return FALSE;
    }
  if (rc != ROSTER_DB_ROW)
    return store_error (self, error, "put settings");
  settings->version = roster_db_column_int64 (s, 0);
  return TRUE;
}

static gboolean
roster_sqlite_store_put_settings (RosterStore *store, RosterSettings *settings,
                                  gint64 if_version, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  return WRITE_TRANSACTION (self, error, put_settings_locked (self, settings, if_version, error));
}

static gboolean
lock_user_locked (RosterSqliteStore *self, const char *user_id, const char *reason, gint64 now,
                  GError **error)
{
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_LOCK_USER);

    roster_db_bind_text (s, 1, user_id);
    roster_db_bind_text (s, 2, reason);
    roster_db_bind_int64 (s, 3, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "lock user");
  }
  return delete_sessions_of (self, user_id, NULL, error);
}

static gboolean
record_sign_in_locked (RosterSqliteStore *self, const char *user_id, gboolean success,
                       gint64 lockout_threshold, gint64 now, gboolean *locked, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, success ? STMT_SIGN_IN_SUCCEEDED : STMT_SIGN_IN_FAILED);
  gint64 failures;
  gboolean was_active;
  int rc;

  roster_db_bind_text (s, 1, user_id);
  if (success)
    {
      roster_db_bind_int64 (s, 2, now);
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return store_error (self, error, "record sign-in");
      return TRUE;
    }
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    return TRUE; /* deleted meanwhile */
  if (rc != ROSTER_DB_ROW)
    return store_error (self, error, "record failed sign-in");
  failures = roster_db_column_int64 (s, 0);
  was_active = g_strcmp0 (roster_db_column_text (s, 1), "active") == 0;
  /* RETURNING rows are all produced before the first one is returned: step to the end. */
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    ;
  if (rc != ROSTER_DB_DONE)
    return store_error (self, error, "record failed sign-in");
  if (was_active && failures > lockout_threshold)
    {
      *locked = TRUE;
      return lock_user_locked (self, user_id, "failed-logins", now, error);
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_record_sign_in (RosterStore *store, const char *user_id, gboolean success,
                                    gint64 lockout_threshold, gint64 now, gboolean *locked,
                                    GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  *locked = FALSE;
  return WRITE_TRANSACTION (self, error,
                            record_sign_in_locked (self, user_id, success, lockout_threshold, now,
                                                   locked, error));
}

static gboolean
roster_sqlite_store_lock_user (RosterStore *store, const char *user_id, const char *reason,
                               gint64 now, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  return WRITE_TRANSACTION (self, error, lock_user_locked (self, user_id, reason, now, error));
}

static gboolean
lock_inactive_locked (RosterSqliteStore *self, gint64 cutoff, gint64 now, gint64 *count,
                      GError **error)
{
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_LOCK_INACTIVE);

    roster_db_bind_int64 (s, 1, cutoff);
    roster_db_bind_text (s, 2, "inactivity");
    roster_db_bind_int64 (s, 3, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return store_error (self, error, "lock inactive users");
    *count = roster_db_changes (self->db);
  }
  return *count == 0 || purge_sessions (self, error);
}

static gint64
roster_sqlite_store_lock_inactive_users (RosterStore *store, gint64 cutoff, gint64 now,
                                         GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  gint64 count = 0;

  if (!WRITE_TRANSACTION (self, error, lock_inactive_locked (self, cutoff, now, &count, error)))
    return -1;
  return count;
}

static RosterUserRecord *
unlock_user_locked (RosterSqliteStore *self, const char *id, GError **error)
{
  gboolean active_admin = FALSE;

  if (!check_state (self, id, 0, &active_admin, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_UNLOCK_USER);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_int64 (s, 2, roster_clock_now ());
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        store_error (self, error, "unlock user");
        return NULL;
      }
  }
  return get_record_locked (self, id, error);
}

static RosterUserRecord *
roster_sqlite_store_unlock_user (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) stored = NULL;

  if (!WRITE_TRANSACTION (self, error, (stored = unlock_user_locked (self, id, error)) != NULL))
    return NULL;
  return g_steal_pointer (&stored);
}

static RosterUserRecord *
set_password_locked (RosterSqliteStore *self, const char *id, const char *password_hash,
                     gboolean must_change, const char *keep_session, GError **error)
{
  gint64 now = roster_clock_now ();
  gboolean active_admin = FALSE;
  RosterSettings settings;

  if (!check_state (self, id, 0, &active_admin, error)
      || !get_settings_locked (self, &settings, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_SET_PASSWORD);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_text (s, 2, password_hash);
    roster_db_bind_int64 (s, 3, now);
    roster_db_bind_text (s, 4, must_change ? "true" : "false");
    if (settings.password_max_age_days > 0)
      roster_db_bind_int64 (s, 5, now + settings.password_max_age_days * 86400);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        store_error (self, error, "set password");
        return NULL;
      }
  }
  if (!add_history (self, id, password_hash, now, error)
      || !delete_sessions_of (self, id, keep_session, error))
    return NULL;
  if (keep_session != NULL)
    {
      g_autoptr(RosterStmt) s = stmt (self, STMT_CLEAR_SESSION_RESTRICTION);

      roster_db_bind_text (s, 1, keep_session);
      if (roster_db_step (s) != ROSTER_DB_DONE)
        {
          store_error (self, error, "upgrade session");
          return NULL;
        }
    }
  return get_record_locked (self, id, error);
}

static RosterUserRecord *
roster_sqlite_store_set_password (RosterStore *store, const char *id, const char *password_hash,
                                  gboolean must_change, const char *keep_session,
                                  GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) stored = NULL;

  if (!WRITE_TRANSACTION (self, error,
                          (stored = set_password_locked (self, id, password_hash, must_change,
                                                         keep_session, error))
                            != NULL))
    return NULL;
  return g_steal_pointer (&stored);
}

static GStrv
roster_sqlite_store_get_password_history (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  RosterSettings settings;
  int rc;

  if (!get_settings_locked (self, &settings, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_GET_HISTORY);

    roster_db_bind_text (s, 1, id);
    roster_db_bind_int64 (s, 2, settings.password_history);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      g_strv_builder_add (builder, roster_db_column_text (s, 0));
    if (rc != ROSTER_DB_DONE)
      {
        store_error (self, error, "get password history");
        return NULL;
      }
  }
  return g_strv_builder_end (builder);
}

static GPtrArray *
roster_sqlite_store_list_sessions (RosterStore *store, const char *user_id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_session_free);
  g_autoptr(RosterStmt) s = stmt (self, STMT_LIST_SESSIONS);
  int rc;

  roster_db_bind_text (s, 1, user_id);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    g_ptr_array_add (sessions,
                     session_from_row (s, roster_db_column_text (s, 8), 0));
  if (rc != ROSTER_DB_DONE)
    {
      store_error (self, error, "list sessions");
      return NULL;
    }
  return g_steal_pointer (&sessions);
}

static gboolean
delete_user_sessions_locked (RosterSqliteStore *self, const char *user_id,
                             const char *session_id, GError **error)
{
  g_autoptr(RosterStmt) s = NULL;

  if (session_id == NULL)
    return delete_sessions_of (self, user_id, NULL, error);
  s = stmt (self, STMT_DELETE_USER_SESSION);
  roster_db_bind_text (s, 1, user_id);
  roster_db_bind_text (s, 2, session_id);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return store_error (self, error, "delete session");
  if (roster_db_changes (self->db) == 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("The user has no session with this id"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
roster_sqlite_store_delete_user_sessions (RosterStore *store, const char *user_id,
                                          const char *session_id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  return WRITE_TRANSACTION (self, error,
                            delete_user_sessions_locked (self, user_id, session_id, error));
}

static gboolean
roster_sqlite_store_iface_begin (RosterStore *store, GError **error)
{
  return begin (ROSTER_SQLITE_STORE (store), TRUE, error);
}

static gboolean
roster_sqlite_store_iface_begin_read (RosterStore *store, GError **error)
{
  return begin (ROSTER_SQLITE_STORE (store), FALSE, error);
}

static gboolean
roster_sqlite_store_iface_commit (RosterStore *store, GError **error)
{
  return commit (ROSTER_SQLITE_STORE (store), error);
}

static void
roster_sqlite_store_iface_rollback (RosterStore *store)
{
  rollback (ROSTER_SQLITE_STORE (store));
}

static void
roster_sqlite_store_iface_init (RosterStoreInterface *iface)
{
  roster_sqlite_store_access_iface_init (iface);
  iface->create_user = roster_sqlite_store_create_user;
  iface->get_user_record = roster_sqlite_store_get_user_record;
  iface->get_user = roster_sqlite_store_get_user;
  iface->search_users = roster_sqlite_store_search_users;
  iface->search_user_ids = roster_sqlite_store_search_user_ids;
  iface->get_user_records = roster_sqlite_store_get_user_records;
  iface->get_stamp = roster_sqlite_store_get_stamp;
  iface->replace_user = roster_sqlite_store_replace_user;
  iface->delete_user = roster_sqlite_store_delete_user;
  iface->lookup_credentials = roster_sqlite_store_lookup_credentials;
  iface->get_setup_done = roster_sqlite_store_get_setup_done;
  iface->set_setup_token = roster_sqlite_store_set_setup_token;
  iface->check_setup_token = roster_sqlite_store_check_setup_token;
  iface->complete_setup = roster_sqlite_store_complete_setup;
  iface->create_session = roster_sqlite_store_create_session;
  iface->lookup_session = roster_sqlite_store_lookup_session;
  iface->touch_session = roster_sqlite_store_touch_session;
  iface->delete_session = roster_sqlite_store_delete_session;
  iface->get_settings = roster_sqlite_store_get_settings;
  iface->put_settings = roster_sqlite_store_put_settings;
  iface->record_sign_in = roster_sqlite_store_record_sign_in;
  iface->lock_user = roster_sqlite_store_lock_user;
  iface->lock_inactive_users = roster_sqlite_store_lock_inactive_users;
  iface->unlock_user = roster_sqlite_store_unlock_user;
  iface->set_password = roster_sqlite_store_set_password;
  iface->get_password_history = roster_sqlite_store_get_password_history;
  iface->list_sessions = roster_sqlite_store_list_sessions;
  iface->delete_user_sessions = roster_sqlite_store_delete_user_sessions;
  iface->begin = roster_sqlite_store_iface_begin;
  iface->begin_read = roster_sqlite_store_iface_begin_read;
  iface->commit = roster_sqlite_store_iface_commit;
  iface->rollback = roster_sqlite_store_iface_rollback;
  roster_sqlite_store_audit_iface_init (iface);
  roster_sqlite_store_photo_iface_init (iface);
  roster_sqlite_store_refusals_iface_init (iface);
  roster_sqlite_store_totp_iface_init (iface);
  roster_sqlite_store_lifecycle_iface_init (iface);
  roster_sqlite_store_mail_iface_init (iface);
}

static void
roster_sqlite_store_finalize (GObject *object)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    roster_db_stmt_free (self->stmts[i]);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->queries, g_hash_table_unref);
  g_clear_pointer (&self->secrets, roster_secret_box_unref);
  /* Closing the last connection checkpoints the WAL and removes -wal and -shm. */
  g_clear_pointer (&self->db, roster_db_close);

  G_OBJECT_CLASS (roster_sqlite_store_parent_class)->finalize (object);
}

static void
roster_sqlite_store_class_init (RosterSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_sqlite_store_finalize;
}


static void
roster_sqlite_store_init (RosterSqliteStore *self)
{
  self->cache = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) roster_db_stmt_free);
  self->queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) roster_db_stmt_free);
}

/* Errors while opening go to the operator as one line, so they carry SQLite's message (which
 * never holds row values) instead of going through g_warning. */
static gboolean
open_error (RosterSqliteStore *self, const char *path, GError **error)
{
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE, _("cannot open database %s: %s"), path,
               self->db != NULL ? roster_db_errmsg (self->db) : g_strerror (ENOMEM));
  return FALSE;
}

static gboolean
exec (RosterSqliteStore *self, const char *path, const char *sql, GError **error)
{
  if (!roster_db_exec (self->db, sql))
    return open_error (self, path, error);
  return TRUE;
}

/* roster_fold(x): roster_user_name_fold() in SQL, for migrations that fill folded columns. */
static void
sql_fold (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *folded = NULL;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  folded = roster_user_name_fold (text);
  sqlite3_result_text (context, folded, -1, SQLITE_TRANSIENT);
}

static gboolean
configure (RosterSqliteStore *self, const char *path, GError **error)
{
  if (sqlite3_create_function (roster_sqlite_db_get_handle (self->db), "roster_fold", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                               sql_fold, NULL, NULL)
      != SQLITE_OK)
    return open_error (self, path, error);
  /* A page cache of 64 MiB (SQLite's default is 2 MiB: at 100,000 users every page of
   * users was read again with pread()), and the file mapped for reading, so pages the
   * cache does not hold cost a memory access, not a system call and a copy. Temporary
   * tables and sorts in memory: with SQLite's default (a file), a filtered page's
   * materialized matches and their ORDER BY cost five times the search itself (0.7 ms
   * against 0.13 ms at 100,000 users); the largest, a sort of every user, is ~10 MB. */
  return exec (self, path, "PRAGMA foreign_keys = ON", error)
         && exec (self, path, "PRAGMA secure_delete = ON", error)
         && exec (self, path, "PRAGMA cache_size = -65536", error)
         && exec (self, path, "PRAGMA mmap_size = 1073741824", error)
         && exec (self, path, "PRAGMA temp_store = MEMORY", error);
}

/* After the version check, so a database from a newer rosterd is left as it was. */
static gboolean
use_wal (RosterSqliteStore *self, const char *path, GError **error)
{
  RosterDbStmt *s = NULL;
  gboolean wal;

  s = roster_db_prepare (self->db, "PRAGMA journal_mode = WAL", FALSE);
  if (s == NULL || roster_db_step (s) != ROSTER_DB_ROW)
    {
      roster_db_stmt_free (s);
      return open_error (self, path, error);
    }
  wal = g_ascii_strcasecmp (roster_db_column_text (s, 0), "wal") == 0;
  roster_db_stmt_free (s);
  if (!wal)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("cannot open database %s: it cannot use write-ahead logging"), path);
      return FALSE;
    }
  /* NORMAL is durable across application crashes in WAL mode, and much faster than FULL. */
  return exec (self, path, "PRAGMA synchronous = NORMAL", error);
}

static gboolean
read_schema_version (RosterSqliteStore *self, const char *path, gint64 *version, GError **error)
{
  RosterDbStmt *s = NULL;
  int rc;

  if (!exec (self, path,
             "BEGIN IMMEDIATE;"
             "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
             error))
    goto fail;
  s = roster_db_prepare (self->db, "SELECT max(version) FROM schema_version", FALSE);
  if (s == NULL)
    {
      open_error (self, path, error);
      goto fail;
    }
  rc = roster_db_step (s);
  if (rc != ROSTER_DB_ROW)
    {
      open_error (self, path, error);
      goto fail;
    }
  *version = roster_db_column_is_null (s, 0) ? 0 : roster_db_column_int64 (s, 0);
  g_clear_pointer (&s, roster_db_stmt_free);
  if (!exec (self, path, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  roster_db_stmt_free (s);
  if (roster_db_in_transaction (self->db))
    roster_db_exec (self->db, "ROLLBACK");
  return FALSE;
}

static gboolean
migrate (RosterSqliteStore *self, const char *path, GError **error)
{
  gint64 version = 0;

  if (!read_schema_version (self, path, &version, error))
    return FALSE;
  if (version > ROSTER_SQLITE_STORE_SCHEMA_VERSION || version < 0)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("database %s has schema version %lld, but this rosterd knows only versions "
                     "up to %d; use a newer rosterd"),
                   path, (long long) version, ROSTER_SQLITE_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (!use_wal (self, path, error))
    return FALSE;

  for (gint64 v = version; v < ROSTER_SQLITE_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *record = g_strdup_printf ("DELETE FROM schema_version;"
                                                 "INSERT INTO schema_version (version) "
                                                 "VALUES (%" G_GINT64_FORMAT ");",
                                                 v + 1);

      g_debug ("Migrating %s to schema version %" G_GINT64_FORMAT, path, v + 1);
      if (!exec (self, path, "BEGIN IMMEDIATE", error)
          || !exec (self, path, migrations[v], error) || !exec (self, path, record, error)
          || !exec (self, path, "COMMIT", error))
        {
          if (roster_db_in_transaction (self->db))
            roster_db_exec (self->db, "ROLLBACK");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
prepare (RosterSqliteStore *self, const char *path, GError **error)
{
  for (guint i = 0; i < N_STMTS; i++)
    if (stmt_text (self, i) != NULL
        && (self->stmts[i] = roster_db_prepare (self->db, stmt_text (self, i), TRUE)) == NULL)
      return open_error (self, path, error);
  return TRUE;
}

/* The integer @sql selects (one row, one column). */
static gboolean
select_int (RosterSqliteStore *self, const char *name, const char *sql, gint64 *value,
            GError **error)
{
  RosterDbStmt *s = roster_db_prepare (self->db, sql, FALSE);
  gboolean ok = s != NULL && roster_db_step (s) == ROSTER_DB_ROW;

  if (ok)
    *value = roster_db_column_int64 (s, 0);
  roster_db_stmt_free (s);
  return ok || open_error (self, name, error);
}

/* PostgreSQL's schema_version, 0 before the first migration. */
static gboolean
read_postgres_version (RosterSqliteStore *self, const char *name, gint64 *version,
                       GError **error)
{
  gint64 exists = 0;

  *version = 0;
  if (!select_int (self, name, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                   "current_schema () AND tablename = 'schema_version'", &exists, error))
    return FALSE;
  return exists == 0
         || select_int (self, name, "SELECT coalesce (max (version), 0) FROM schema_version",
                        version, error);
}

/* Migrates PostgreSQL's schema (roster-postgres-schema.c) in one transaction, under the
 * write lock: several rosterd starting at once migrate one after the other, and the later
 * ones find nothing left to do. */
static gboolean
migrate_postgres (RosterSqliteStore *self, const char *name, GError **error)
{
  gint64 version = 0;
  const char *sql;
  guint next = 0;

  if (!exec (self, name, "BEGIN", error)
      || !exec (self, name,
                "SELECT pg_advisory_xact_lock (" G_STRINGIFY (ROSTER_POSTGRES_WRITE_LOCK) ")",
                error)
      || !read_postgres_version (self, name, &version, error))
    goto fail;
  if (version > ROSTER_SQLITE_STORE_SCHEMA_VERSION || version < 0
      || (version > 0 && version < ROSTER_POSTGRES_SCHEMA_FIRST_VERSION))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("database %s has schema version %lld, but this rosterd knows only versions "
                     "up to %d; use a newer rosterd"),
                   name, (long long) version, ROSTER_SQLITE_STORE_SCHEMA_VERSION);
      goto fail;
    }
  while ((sql = roster_postgres_schema_migration ((guint) version, &next)) != NULL)
    {
      g_autofree char *record = g_strdup_printf ("DELETE FROM schema_version;"
                                                 "INSERT INTO schema_version (version) "
                                                 "VALUES (%u);",
                                                 next);

      g_debug ("Migrating %s to schema version %u", name, next);
      if (!exec (self, name, sql, error) || !exec (self, name, record, error))
        goto fail;
      version = next;
    }
  if (version != ROSTER_SQLITE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("database %s stops at schema version %lld, not %d"), name, (long long) version,
                   ROSTER_SQLITE_STORE_SCHEMA_VERSION);
      goto fail;
    }
  return exec (self, name, "COMMIT", error);

fail:
  if (roster_db_in_transaction (self->db))
    roster_db_exec (self->db, "ROLLBACK");
  return FALSE;
}

/**
 * roster_sqlite_store_new_postgres:
 * @conninfo: a libpq connection string (without a password: libpq reads ~/.pgpass)
 *
 * The same store on a PostgreSQL database, which several rosterd may share; its schema is
 * made or migrated to the current version. A database made by a newer rosterd is refused.
 *
 * Returns: (transfer full): the store, or %NULL with @error set to a message for the operator
 */
RosterSqliteStore *
roster_sqlite_store_new_postgres (const char *conninfo, RosterSecretBox *secrets,
                                  GError **error)
{
  g_autoptr(RosterSqliteStore) self = g_object_new (ROSTER_TYPE_SQLITE_STORE, NULL);
  /* Names the database in messages; the connection string may hold a password. */
  const char *name = "(PostgreSQL)";

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (secrets != NULL, NULL);

  self->secrets = roster_secret_box_ref (secrets);
  self->db = roster_postgres_db_open (conninfo, error);
  if (self->db == NULL || !migrate_postgres (self, name, error) || !prepare (self, name, error)
      || !roster_sqlite_store_seal_totp (self, error))
    {
      if (error != NULL && *error == NULL)
        open_error (self, name, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

RosterSecretBox *
roster_sqlite_store_get_secrets (RosterSqliteStore *self)
{
  return self->secrets;
}

/**
 * roster_sqlite_store_new:
 * @path: the database file, created if missing
 *
 * Opens @path in WAL mode with foreign keys on and migrates it to the current schema. A
 * database made by a newer rosterd is refused.
 *
 * Returns: (transfer full): the store, or %NULL with @error set to a message for the operator
 */
RosterSqliteStore *
roster_sqlite_store_new (const char *path, RosterSecretBox *secrets, GError **error)
{
  g_autoptr(RosterSqliteStore) self = g_object_new (ROSTER_TYPE_SQLITE_STORE, NULL);

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (secrets != NULL, NULL);

  self->secrets = roster_secret_box_ref (secrets);
  self->db = roster_sqlite_db_open (path, error);
  if (self->db == NULL || !configure (self, path, error) || !migrate (self, path, error)
      || !prepare (self, path, error) || !roster_sqlite_store_seal_totp (self, error))
    {
      if (error != NULL && *error == NULL)
        open_error (self, path, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}
