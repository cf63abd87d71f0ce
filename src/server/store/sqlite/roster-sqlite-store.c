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

#include "roster-error.h"
#include "roster-sqlite-store.h"
#include "roster-token.h"
#include "roster-validation.h"

#define BUSY_TIMEOUT_MS 5000
/* last_used is written at most this often per session, so reads stay reads. */
#define TOUCH_INTERVAL_SECONDS 60

/* Schema migrations: migrations[i] takes the schema from version i to i + 1. Append only;
 * never edit a migration that has shipped. */
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
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ROSTER_SQLITE_STORE_SCHEMA_VERSION);

#define USER_COLUMNS                                                                               \
  "id, user_name, given_name, family_name, display_name, email, active, status, "               \
  "administrator, created, last_modified, version"

typedef enum
{
  STMT_BEGIN,
  STMT_BEGIN_IMMEDIATE,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_INSERT_USER,
  STMT_GET_USER,
  STMT_COUNT_USERS,
  STMT_LIST_USERS,
  STMT_LOOKUP_CREDENTIALS,
  STMT_GET_SETUP,
  STMT_SET_SETUP_TOKEN,
  STMT_FINISH_SETUP,
  STMT_INSERT_SESSION,
  STMT_LOOKUP_SESSION,
  STMT_TOUCH_SESSION,
  STMT_DELETE_SESSION,
  N_STMTS
} StmtId;

static const char *const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN",
  [STMT_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_INSERT_USER] = "INSERT INTO users (id, user_name, user_name_folded, given_name, "
                       "family_name, display_name, email, active, status, administrator, "
                       "password_hash, created, last_modified, version) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, 1)",
  [STMT_GET_USER] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1",
  [STMT_COUNT_USERS] = "SELECT count(*) FROM users",
  [STMT_LIST_USERS] = "SELECT " USER_COLUMNS " FROM users "
                      "ORDER BY user_name_folded LIMIT ?1 OFFSET ?2",
  [STMT_LOOKUP_CREDENTIALS] = "SELECT id, password_hash, active, status FROM users "
                              "WHERE user_name = ?1",
  [STMT_GET_SETUP] = "SELECT done, token_hash FROM setup WHERE id = 1",
  [STMT_SET_SETUP_TOKEN] = "UPDATE setup SET token_hash = ?1 WHERE id = 1 AND done = 0",
  [STMT_FINISH_SETUP] = "UPDATE setup SET done = 1, token_hash = NULL WHERE id = 1",
  [STMT_INSERT_SESSION] = "INSERT INTO sessions (token_hash, user_id, created, expires, "
                          "last_used, user_agent, peer_address) "
                          "VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6)",
  [STMT_LOOKUP_SESSION] = "SELECT user_id, created, expires, user_agent, peer_address "
                          "FROM sessions WHERE token_hash = ?1",
  [STMT_TOUCH_SESSION] = "UPDATE sessions SET last_used = ?2 "
                         "WHERE token_hash = ?1 AND last_used <= ?2 - " G_STRINGIFY (
                           TOUCH_INTERVAL_SECONDS),
  [STMT_DELETE_SESSION] = "DELETE FROM sessions WHERE token_hash = ?1",
};

struct _RosterSqliteStore
{
  GObject parent_instance;

  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];
};

static void roster_sqlite_store_iface_init (RosterStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RosterSqliteStore, roster_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ROSTER_TYPE_STORE,
                                                      roster_sqlite_store_iface_init))

/* A statement borrowed from the cache: reset and unbound when it goes out of scope. */
typedef sqlite3_stmt RosterStmt;

static void
stmt_release (RosterStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterStmt, stmt_release)

static RosterStmt *
stmt (RosterSqliteStore *self, StmtId id)
{
  return self->stmts[id];
}

/* Logs what failed (SQLite names tables and columns, never values) and reports a store
 * error to the caller. */
static gboolean
store_error (RosterSqliteStore *self, GError **error, const char *what)
{
  g_warning ("SQLite: %s failed: %s (%d)", what, sqlite3_errmsg (self->db),
             sqlite3_extended_errcode (self->db));
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                       roster_error_code_describe (ROSTER_ERROR_STORE));
  return FALSE;
}

static gboolean
run (RosterSqliteStore *self, StmtId id, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, id);

  if (sqlite3_step (s) != SQLITE_DONE)
    return store_error (self, error, stmt_sql[id]);
  return TRUE;
}

static gboolean
begin (RosterSqliteStore *self, gboolean write, GError **error)
{
  return run (self, write ? STMT_BEGIN_IMMEDIATE : STMT_BEGIN, error);
}

static gboolean
commit (RosterSqliteStore *self, GError **error)
{
  return run (self, STMT_COMMIT, error);
}

static void
rollback (RosterSqliteStore *self)
{
  g_autoptr(RosterStmt) s = NULL;

  if (sqlite3_get_autocommit (self->db))
    return; /* SQLite already rolled back, or nothing was begun */
  s = stmt (self, STMT_ROLLBACK);
  if (sqlite3_step (s) != SQLITE_DONE)
    g_warning ("SQLite: ROLLBACK failed: %s", sqlite3_errmsg (self->db));
}

static void
bind_text (sqlite3_stmt *s, int index, const char *value)
{
  sqlite3_bind_text (s, index, value, -1, SQLITE_TRANSIENT);
}

static GDateTime *
column_date (sqlite3_stmt *s, int column)
{
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (s, column));
}

static char *
format_version (gint64 version)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
}

static RosterUser *
user_from_row (sqlite3_stmt *s)
{
  RosterUser *user = roster_user_new ();
  g_autoptr(GDateTime) created = column_date (s, 9);
  g_autoptr(GDateTime) last_modified = column_date (s, 10);
  g_autofree char *version = format_version (sqlite3_column_int64 (s, 11));
  RosterUserStatus status = ROSTER_USER_STATUS_INACTIVE;

  roster_user_set_id (user, (const char *) sqlite3_column_text (s, 0));
  roster_user_set_user_name (user, (const char *) sqlite3_column_text (s, 1));
  roster_user_set_given_name (user, (const char *) sqlite3_column_text (s, 2));
  roster_user_set_family_name (user, (const char *) sqlite3_column_text (s, 3));
  roster_user_set_display_name (user, (const char *) sqlite3_column_text (s, 4));
  roster_user_set_email (user, (const char *) sqlite3_column_text (s, 5));
  roster_user_set_active (user, sqlite3_column_int (s, 6) != 0);
  /* The CHECK constraint keeps status valid; anything else would be refused as inactive. */
  roster_user_status_from_string ((const char *) sqlite3_column_text (s, 7), &status);
  roster_user_set_status (user, status);
  roster_user_set_administrator (user, sqlite3_column_int (s, 8) != 0);
  roster_user_set_created (user, created);
  roster_user_set_last_modified (user, last_modified);
  roster_user_set_version (user, version);
  return user;
}

/* Inserts @user inside the caller's transaction. */
static RosterUser *
insert_user (RosterSqliteStore *self, RosterUser *user, const char *password_hash,
             GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_INSERT_USER);
  g_autoptr(RosterUser) stored = roster_user_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *folded = roster_user_name_fold (roster_user_get_user_name (user));
  g_autofree char *version = format_version (1);
  int rc;

  roster_user_update_from (stored, user);
  roster_user_set_id (stored, id);
  roster_user_set_created (stored, created);
  roster_user_set_last_modified (stored, created);
  roster_user_set_version (stored, version);

  bind_text (s, 1, id);
  bind_text (s, 2, roster_user_get_user_name (stored));
  bind_text (s, 3, folded);
  bind_text (s, 4, roster_user_get_given_name (stored));
  bind_text (s, 5, roster_user_get_family_name (stored));
  bind_text (s, 6, roster_user_get_display_name (stored));
  bind_text (s, 7, roster_user_get_email (stored));
  sqlite3_bind_int (s, 8, roster_user_get_active (stored) ? 1 : 0);
  bind_text (s, 9, roster_user_status_to_string (roster_user_get_status (stored)));
  sqlite3_bind_int (s, 10, roster_user_get_administrator (stored) ? 1 : 0);
  bind_text (s, 11, password_hash);
  sqlite3_bind_int64 (s, 12, g_date_time_to_unix (created));

  rc = sqlite3_step (s);
  if (rc == SQLITE_DONE)
    return g_steal_pointer (&stored);
  if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_debug ("SQLite: insert user: %s", sqlite3_errmsg (self->db));
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN,
                           _("A user with this username already exists"));
      return NULL;
    }
  store_error (self, error, "insert user");
  return NULL;
}

static RosterUser *
roster_sqlite_store_create_user (RosterStore *store, RosterUser *user, const char *password_hash,
                                 GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUser) stored = NULL;

  if (!begin (self, TRUE, error))
    return NULL;
  stored = insert_user (self, user, password_hash, error);
  if (stored == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

static RosterUser *
roster_sqlite_store_get_user (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_USER);
  int rc;

  bind_text (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    return user_from_row (s);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                           _("There is no user with this id"));
      return NULL;
    }
  store_error (self, error, "get user");
  return NULL;
}

static GPtrArray *
list_users_locked (RosterSqliteStore *self, guint start_index, guint count,
                   guint *total_results, GError **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RosterStmt) count_stmt = stmt (self, STMT_COUNT_USERS);
  int rc;

  if (sqlite3_step (count_stmt) != SQLITE_ROW)
    {
      store_error (self, error, "count users");
      return NULL;
    }
  *total_results = (guint) CLAMP (sqlite3_column_int64 (count_stmt, 0), 0, G_MAXUINT);

  if (count > 0)
    {
      g_autoptr(RosterStmt) s = stmt (self, STMT_LIST_USERS);

      sqlite3_bind_int64 (s, 1, count);
      sqlite3_bind_int64 (s, 2, (gint64) start_index - 1);
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        g_ptr_array_add (users, user_from_row (s));
      if (rc != SQLITE_DONE)
        {
          store_error (self, error, "list users");
          return NULL;
        }
    }
  return g_steal_pointer (&users);
}

static GPtrArray *
roster_sqlite_store_list_users (RosterStore *store, guint start_index, guint count,
                                guint *total_results, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) users = NULL;

  /* One read transaction, so the count and the page agree. */
  if (!begin (self, FALSE, error))
    return NULL;
  users = list_users_locked (self, start_index, count, total_results, error);
  if (users == NULL || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static RosterCredentials *
roster_sqlite_store_lookup_credentials (RosterStore *store, const char *user_name,
                                        GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = stmt (self, STMT_LOOKUP_CREDENTIALS);
  RosterUserStatus status = ROSTER_USER_STATUS_INACTIVE;
  int rc;

  bind_text (s, 1, user_name);
  rc = sqlite3_step (s);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      store_error (self, error, "look up credentials");
      return NULL;
    }
  roster_user_status_from_string ((const char *) sqlite3_column_text (s, 3), &status);
  return roster_credentials_new ((const char *) sqlite3_column_text (s, 0),
                                 (const char *) sqlite3_column_text (s, 1),
                                 sqlite3_column_int (s, 2) != 0, status);
}

/* Reads the setup row; @token_hash_out may be NULL. */
static gboolean
get_setup (RosterSqliteStore *self, gboolean *done, char **token_hash_out, GError **error)
{
  g_autoptr(RosterStmt) s = stmt (self, STMT_GET_SETUP);

  if (sqlite3_step (s) != SQLITE_ROW)
    return store_error (self, error, "read setup state");
  *done = sqlite3_column_int (s, 0) != 0;
  if (token_hash_out != NULL)
    *token_hash_out = g_strdup ((const char *) sqlite3_column_text (s, 1));
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

    bind_text (s, 1, token_hash);
    if (sqlite3_step (s) != SQLITE_DONE)
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

  bind_text (s, 1, session->token_hash);
  bind_text (s, 2, session->user_id);
  sqlite3_bind_int64 (s, 3, g_date_time_to_unix (session->created));
  sqlite3_bind_int64 (s, 4, g_date_time_to_unix (session->expires));
  bind_text (s, 5, session->user_agent);
  bind_text (s, 6, session->peer_address);
  if (sqlite3_step (s) != SQLITE_DONE)
    return store_error (self, error, "insert session");
  return TRUE;
}

static RosterUser *
roster_sqlite_store_complete_setup (RosterStore *store, const char *token_hash,
                                    RosterUser *admin, const char *password_hash,
                                    RosterSession *session, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUser) stored = NULL;

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
  session->user_id = g_strdup (roster_user_get_id (stored));
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

static RosterSession *
lookup_session_locked (RosterSqliteStore *self, const char *token_hash, GDateTime *now,
                       GError **error)
{
  g_autoptr(RosterSession) session = NULL;

  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_LOOKUP_SESSION);
    g_autoptr(GDateTime) created = NULL;
    g_autoptr(GDateTime) expires = NULL;
    int rc;

    bind_text (s, 1, token_hash);
    rc = sqlite3_step (s);
    if (rc == SQLITE_DONE)
      return NULL;
    if (rc != SQLITE_ROW)
      {
        store_error (self, error, "look up session");
        return NULL;
      }
    created = column_date (s, 1);
    expires = column_date (s, 2);
    session = roster_session_new (token_hash, (const char *) sqlite3_column_text (s, 0),
                                  created, expires, (const char *) sqlite3_column_text (s, 3),
                                  (const char *) sqlite3_column_text (s, 4));
  }

  if (!roster_session_is_expired (session, now))
    {
      g_autoptr(RosterStmt) s = stmt (self, STMT_TOUCH_SESSION);

      bind_text (s, 1, token_hash);
      sqlite3_bind_int64 (s, 2, g_date_time_to_unix (now));
      if (sqlite3_step (s) != SQLITE_DONE)
        {
          store_error (self, error, "touch session");
          return NULL;
        }
    }
  return g_steal_pointer (&session);
}

static RosterSession *
roster_sqlite_store_lookup_session (RosterStore *store, const char *token_hash, GDateTime *now,
                                    GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!begin (self, TRUE, error))
    return NULL;
  session = lookup_session_locked (self, token_hash, now, &local_error);
  if (local_error != NULL || !commit (self, &local_error))
    {
      rollback (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&session);
}

static gboolean
roster_sqlite_store_delete_session (RosterStore *store, const char *token_hash, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!begin (self, TRUE, error))
    return FALSE;
  {
    g_autoptr(RosterStmt) s = stmt (self, STMT_DELETE_SESSION);

    bind_text (s, 1, token_hash);
    if (sqlite3_step (s) != SQLITE_DONE)
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

static void
roster_sqlite_store_iface_init (RosterStoreInterface *iface)
{
  iface->create_user = roster_sqlite_store_create_user;
  iface->get_user = roster_sqlite_store_get_user;
  iface->list_users = roster_sqlite_store_list_users;
  iface->lookup_credentials = roster_sqlite_store_lookup_credentials;
  iface->get_setup_done = roster_sqlite_store_get_setup_done;
  iface->set_setup_token = roster_sqlite_store_set_setup_token;
  iface->check_setup_token = roster_sqlite_store_check_setup_token;
  iface->complete_setup = roster_sqlite_store_complete_setup;
  iface->create_session = roster_sqlite_store_create_session;
  iface->lookup_session = roster_sqlite_store_lookup_session;
  iface->delete_session = roster_sqlite_store_delete_session;
}

static void
roster_sqlite_store_finalize (GObject *object)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (self->stmts[i]);
  /* Closing the last connection checkpoints the WAL and removes -wal and -shm. */
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("SQLite: close failed: %s", sqlite3_errmsg (self->db));

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
}

/* Errors while opening go to the operator as one line, so they carry SQLite's message (which
 * never holds row values) instead of going through g_warning. */
static gboolean
open_error (RosterSqliteStore *self, const char *path, GError **error)
{
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE, _("cannot open database %s: %s"), path,
               self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
  return FALSE;
}

static gboolean
exec (RosterSqliteStore *self, const char *path, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return open_error (self, path, error);
  return TRUE;
}

static gboolean
configure (RosterSqliteStore *self, const char *path, GError **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);
  return exec (self, path, "PRAGMA foreign_keys = ON", error)
         && exec (self, path, "PRAGMA secure_delete = ON", error);
}

/* After the version check, so a database from a newer rosterd is left as it was. */
static gboolean
use_wal (RosterSqliteStore *self, const char *path, GError **error)
{
  sqlite3_stmt *s = NULL;
  gboolean wal;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) != SQLITE_OK
      || sqlite3_step (s) != SQLITE_ROW)
    {
      sqlite3_finalize (s);
      return open_error (self, path, error);
    }
  wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (s, 0), "wal") == 0;
  sqlite3_finalize (s);
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
  sqlite3_stmt *s = NULL;
  int rc;

  if (!exec (self, path,
             "BEGIN IMMEDIATE;"
             "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
             error))
    goto fail;
  if (sqlite3_prepare_v2 (self->db, "SELECT max(version) FROM schema_version", -1, &s, NULL)
      != SQLITE_OK)
    {
      open_error (self, path, error);
      goto fail;
    }
  rc = sqlite3_step (s);
  if (rc != SQLITE_ROW)
    {
      open_error (self, path, error);
      goto fail;
    }
  *version = sqlite3_column_type (s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64 (s, 0);
  g_clear_pointer (&s, sqlite3_finalize);
  if (!exec (self, path, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_finalize (s);
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
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
                   _("database %s has schema version %" G_GINT64_FORMAT
                     ", but this rosterd knows only versions up to %d; use a newer rosterd"),
                   path, version, ROSTER_SQLITE_STORE_SCHEMA_VERSION);
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
          if (!sqlite3_get_autocommit (self->db))
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
prepare (RosterSqliteStore *self, const char *path, GError **error)
{
  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (self->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &self->stmts[i], NULL)
        != SQLITE_OK)
      return open_error (self, path, error);
  return TRUE;
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
roster_sqlite_store_new (const char *path, GError **error)
{
  g_autoptr(RosterSqliteStore) self = g_object_new (ROSTER_TYPE_SQLITE_STORE, NULL);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK || !configure (self, path, error) || !migrate (self, path, error)
      || !prepare (self, path, error))
    {
      if (error != NULL && *error == NULL)
        open_error (self, path, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}
