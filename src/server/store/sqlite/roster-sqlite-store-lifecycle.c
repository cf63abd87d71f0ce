/* roster-sqlite-store-lifecycle.c: RosterSqliteStore's records, deleted users and seats
 *
 * A deleted user leaves the users table (so nothing that lists, filters or signs in users
 * can see it) and lives on as a snapshot in deleted_users: its resource with roles and
 * entitlements, its memberships, its password hash and history and its sign-in counters.
 * A restore inserts it again under the same id; a purge forgets the snapshot and gives
 * the records it still owns to the general queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-clock.h"
#include "roster-reference.h"
#include "roster-scim.h"
#include "roster-sqlite-store-private.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

static const char *const record_kinds[] = { "client", "order", "task" };

static void
set_string_or_skip (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return roster_json_to_string (node, NULL);
}

gboolean
roster_sqlite_store_user_name_reserved (RosterSqliteStore *self, const char *user_name_folded,
                                        gboolean *reserved, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self, "SELECT 1 FROM deleted_users WHERE user_name_folded = ?1", error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, user_name_folded);
  rc = roster_db_step (s);
  if (rc != ROSTER_DB_ROW && rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "check reserved username");
  *reserved = rc == ROSTER_DB_ROW;
  return TRUE;
}

/* ------------------------------------------------------------------------- records */

#define RECORD_SELECT                                                                              \
  "SELECT r.id, r.kind, r.title, r.state, r.owner_user_id, r.owner_group_id, r.created, "          \
  "r.last_modified, coalesce (u.display_name, u.user_name, d.display_name, d.user_name), "         \
  "g.display_name FROM records r LEFT JOIN users u ON u.id = r.owner_user_id "                     \
  "LEFT JOIN deleted_users d ON d.id = r.owner_user_id "                                           \
  "LEFT JOIN groups g ON g.id = r.owner_group_id "

static JsonObject *
record_from_row (RosterDbStmt *s)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "id", roster_db_column_text (s, 0));
  json_object_set_string_member (record, "kind", roster_db_column_text (s, 1));
  json_object_set_string_member (record, "title", roster_db_column_text (s, 2));
  json_object_set_string_member (record, "state", roster_db_column_text (s, 3));
  if (!roster_db_column_is_null (s, 4) || !roster_db_column_is_null (s, 5))
    {
      JsonObject *owner = json_object_new ();
      gboolean user = !roster_db_column_is_null (s, 4);

      json_object_set_string_member (owner, "type", user ? "user" : "group");
      json_object_set_string_member (owner, "value", roster_db_column_text (s, user ? 4 : 5));
      set_string_or_skip (owner, "display", roster_db_column_text (s, user ? 8 : 9));
      json_object_set_object_member (record, "owner", owner);
    }
  json_object_set_int_member (record, "created", roster_db_column_int64 (s, 6));
  json_object_set_int_member (record, "lastModified", roster_db_column_int64 (s, 7));
  return record;
}

static JsonObject *
get_record_row (RosterSqliteStore *self, const char *id, GError **error)
{
  g_autoptr(RosterStmt) s
             = roster_sqlite_store_cached (self, RECORD_SELECT "WHERE r.id = ?1", error);

  if (s == NULL)
    return NULL;
  roster_db_bind_text (s, 1, id);
  if (roster_db_step (s) != ROSTER_DB_ROW)
    {
      roster_sqlite_store_fail (self, error, "get record");
      return NULL;
    }
  return record_from_row (s);
}

static JsonObject *
roster_sqlite_store_create_record (RosterStore *store, JsonObject *record, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autofree char *id = g_uuid_string_random ();
  JsonObject *owner = json_object_has_member (record, "owner")
                          ? json_object_get_object_member (record, "owner")
                          : NULL;
  const char *owner_type = owner != NULL ? json_object_get_string_member (owner, "type") : NULL;
  const char *owner_id = owner != NULL ? json_object_get_string_member (owner, "value") : NULL;
  gint64 now = roster_clock_now ();
  JsonObject *stored = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self,
        "INSERT INTO records (id, kind, title, state, owner_user_id, owner_group_id, created, "
        "last_modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        error);

    if (s == NULL)
      goto out;
    roster_db_bind_text (s, 1, id);
    roster_db_bind_text (s, 2, json_object_get_string_member (record, "kind"));
    roster_db_bind_text (s, 3, json_object_get_string_member (record, "title"));
    roster_db_bind_text (s, 4, json_object_get_string_member_with_default (record, "state", "open"));
    roster_db_bind_text (s, 5, g_strcmp0 (owner_type, "user") == 0 ? owner_id : NULL);
    roster_db_bind_text (s, 6, g_strcmp0 (owner_type, "group") == 0 ? owner_id : NULL);
    roster_db_bind_int64 (s, 7, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        roster_sqlite_store_fail (self, error, "insert record");
        goto out;
      }
  }
  stored = get_record_row (self, id, error);
out:
  if (stored == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      g_clear_pointer (&stored, json_object_unref);
    }
  return stored;
}

/* Appends the query's conditions to @where, binding values only. */
static void
record_where (const RosterRecordQuery *query, GString *where, GPtrArray *values)
{
  g_string_append (where, "WHERE 1 = 1");
  if (query->kind != NULL)
    {
      g_string_append (where, " AND r.kind = ?");
      g_ptr_array_add (values, (gpointer) query->kind);
    }
  else if (query->kinds != NULL)
    {
      g_string_append (where, " AND r.kind IN (''");
      for (guint i = 0; query->kinds[i] != NULL; i++)
        {
          g_string_append (where, ", ?");
          g_ptr_array_add (values, (gpointer) query->kinds[i]);
        }
      g_string_append (where, ")");
    }
  if (query->owner_user_id != NULL)
    {
      g_string_append (where, " AND r.owner_user_id = ?");
      g_ptr_array_add (values, (gpointer) query->owner_user_id);
    }
  if (query->owner_group_id != NULL)
    {
      g_string_append (where, " AND r.owner_group_id = ?");
      g_ptr_array_add (values, (gpointer) query->owner_group_id);
    }
  if (query->queue)
    g_string_append (where, " AND r.owner_user_id IS NULL AND r.owner_group_id IS NULL");
  if (query->state != NULL)
    {
      g_string_append (where, " AND r.state = ?");
      g_ptr_array_add (values, (gpointer) query->state);
    }
}

static RosterDbStmt *
prepare_with (RosterSqliteStore *self, const char *sql, GPtrArray *values, GError **error)
{
  RosterDbStmt *s = NULL;

  s = roster_db_prepare (roster_sqlite_store_db (self), sql, FALSE);
  if (s == NULL)
    {
      roster_sqlite_store_fail (self, error, "prepare record search");
      return NULL;
    }
  for (guint i = 0; i < values->len; i++)
    roster_db_bind_text (s, (int) i + 1, g_ptr_array_index (values, i));
  return s;
}

static GPtrArray *
search_records_locked (RosterSqliteStore *self, const RosterRecordQuery *query, guint *total,
                       GError **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) records
             = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  RosterDbStmt *s;
  int rc;

  record_where (query, where, values);
  count_sql = g_strconcat ("SELECT count(*) FROM records r ", where->str, NULL);
  s = prepare_with (self, count_sql, values, error);
  if (s == NULL)
    return NULL;
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    *total = (guint) roster_db_column_int64 (s, 0);
  roster_db_stmt_free (s);
  if (rc != ROSTER_DB_ROW)
    {
      roster_sqlite_store_fail (self, error, "count records");
      return NULL;
    }
  if (query->count == 0)
    return g_steal_pointer (&records);
  page_sql = g_strdup_printf (RECORD_SELECT "%s ORDER BY r.kind, r.created, r.id "
                                            "LIMIT %u OFFSET %u",
                              where->str, query->count, MAX (query->start_index, 1) - 1);
  s = prepare_with (self, page_sql, values, error);
  if (s == NULL)
    return NULL;
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    g_ptr_array_add (records, record_from_row (s));
  roster_db_stmt_free (s);
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "search records");
      return NULL;
    }
  return g_steal_pointer (&records);
}

static GPtrArray *
roster_sqlite_store_search_records (RosterStore *store, const RosterRecordQuery *query,
                                    guint *total_results, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = NULL;
  guint total = 0;

  /* The count and the page from one snapshot. */
  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  records = search_records_locked (self, query, &total, error);
  if (records == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  if (total_results != NULL)
    *total_results = total;
  return g_steal_pointer (&records);
}

static gboolean
roster_sqlite_store_count_records (RosterStore *store, const char *user_id,
                                   RosterRecordCounts *counts, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      "SELECT kind, state, count(*) FROM records WHERE owner_user_id = ?1 GROUP BY kind, state",
      error);
  int rc;

  memset (counts, 0, sizeof *counts);
  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, user_id);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (record_kinds); i++)
      if (g_str_equal (roster_db_column_text (s, 0), record_kinds[i]))
        {
          if (g_str_equal (roster_db_column_text (s, 1), "open"))
            counts->open[i] = roster_db_column_int64 (s, 2);
          else
            counts->done[i] = roster_db_column_int64 (s, 2);
        }
  if (rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "count records");
  return TRUE;
}

static gint64
roster_sqlite_store_reassign_records (RosterStore *store, const char *user_id, const char *kind,
                                      const char *to_user_id, const char *to_group_id,
                                      GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      "UPDATE records SET owner_user_id = ?2, owner_group_id = ?3, last_modified = ?4 "
      "WHERE owner_user_id = ?1 AND kind = ?5",
      error);

  if (s == NULL)
    return -1;
  roster_db_bind_text (s, 1, user_id);
  roster_db_bind_text (s, 2, to_user_id);
  roster_db_bind_text (s, 3, to_group_id);
  roster_db_bind_int64 (s, 4, roster_clock_now ());
  roster_db_bind_text (s, 5, kind);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "reassign records");
      return -1;
    }
  return roster_db_changes (roster_sqlite_store_db (self));
}

/* ------------------------------------------------------------------- deleted users */

/* Everything of @record that a restore needs, the secrets included (they never leave the
 * database: list_deleted_users does not read the snapshot). */
static JsonObject *
take_snapshot (RosterSqliteStore *self, RosterUserRecord *record, GError **error)
{
  g_autoptr(JsonObject) snapshot = json_object_new ();
  g_autoptr(JsonArray) groups = json_array_new ();
  g_autoptr(JsonArray) history = json_array_new ();
  int rc;

  json_object_set_object_member (snapshot, "resource",
                                 roster_user_resource_copy (record->resource));
  for (guint i = 0; i < record->groups->len; i++)
    json_array_add_string_element (groups,
                                   ((RosterReference *) g_ptr_array_index (record->groups, i))->id);
  json_object_set_array_member (snapshot, "groups", g_steal_pointer (&groups));
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self,
        "SELECT password_hash, failed_logins, last_login, created, version FROM users "
        "WHERE id = ?1",
        error);

    if (s == NULL)
      return NULL;
    roster_db_bind_text (s, 1, record->id);
    if (roster_db_step (s) != ROSTER_DB_ROW)
      {
        roster_sqlite_store_fail (self, error, "snapshot user");
        return NULL;
      }
    set_string_or_skip (snapshot, "passwordHash", roster_db_column_text (s, 0));
    json_object_set_int_member (snapshot, "failedLogins", roster_db_column_int64 (s, 1));
    if (!roster_db_column_is_null (s, 2))
      json_object_set_int_member (snapshot, "lastLogin", roster_db_column_int64 (s, 2));
    json_object_set_int_member (snapshot, "created", roster_db_column_int64 (s, 3));
    json_object_set_int_member (snapshot, "version", roster_db_column_int64 (s, 4));
  }
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self,
        "SELECT changed, password_hash FROM user_password_history WHERE user_id = ?1 "
        "ORDER BY seq",
        error);

    if (s == NULL)
      return NULL;
    roster_db_bind_text (s, 1, record->id);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      {
        JsonObject *entry = json_object_new ();

        json_object_set_int_member (entry, "changed", roster_db_column_int64 (s, 0));
        json_object_set_string_member (entry, "hash", roster_db_column_text (s, 1));
        json_array_add_object_element (history, entry);
      }
    if (rc != ROSTER_DB_DONE)
      {
        roster_sqlite_store_fail (self, error, "snapshot password history");
        return NULL;
      }
  }
  json_object_set_array_member (snapshot, "history", g_steal_pointer (&history));
  return g_steal_pointer (&snapshot);
}

/* A photo and its time from @sql (?1 the id, columns data and time), or NULL in @photo when
 * it finds none. */
static gboolean
read_photo_row (RosterSqliteStore *self, const char *sql, const char *id, GBytes **photo,
                gint64 *updated, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    {
      gsize size = 0;
      gconstpointer data = roster_db_column_blob (s, 0, &size);

      *photo = g_bytes_new (data, size);
      *updated = roster_db_column_int64 (s, 1);
    }
  else if (rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "read photo");
  return TRUE;
}

/* The user's photo, which its deletion keeps. */
#define READ_PHOTO "SELECT data, updated FROM user_photos WHERE user_id = ?1"
/* The photo a deletion kept with deleted user ?1. */
#define READ_DELETED_PHOTO                                                                         \
  "SELECT photo, photo_updated FROM deleted_users WHERE id = ?1 AND photo IS NOT NULL"

/* Puts back the photo a deletion kept (READ_DELETED_PHOTO). */
static gboolean
restore_photo (RosterSqliteStore *self, const char *id, GBytes *photo, gint64 updated,
               GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self, "INSERT INTO user_photos (user_id, data, updated) VALUES (?1, ?2, ?3)", error);

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  roster_db_bind_blob (s, 2, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo));
  roster_db_bind_int64 (s, 3, updated);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "restore photo");
  return TRUE;
}

static gboolean
soft_delete_locked (RosterSqliteStore *self, const char *id, gint64 if_version,
                    RosterUser *deleted_by, gint64 window, JsonObject *reassigned, GError **error)
{
  gint64 now = roster_clock_now ();
  g_autoptr(RosterUserRecord) record = roster_sqlite_store_get_record_locked (self, id, error);
  g_autoptr(JsonObject) snapshot = NULL;
  g_autofree char *snapshot_text = NULL;
  g_autofree char *reassigned_text = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(RosterStmt) s = NULL;
  g_autoptr(GBytes) photo = NULL;
  gint64 photo_updated = 0;
  const char *user_name;

  if (record == NULL)
    return FALSE;
  snapshot = take_snapshot (self, record, error);
  if (snapshot == NULL || !read_photo_row (self, READ_PHOTO, id, &photo, &photo_updated, error)
      || !roster_sqlite_store_delete_user_locked (self, id, if_version, error))
    return FALSE;
  snapshot_text = object_to_string (snapshot);
  reassigned_text = reassigned != NULL ? object_to_string (reassigned) : g_strdup ("{}");
  user_name = roster_user_resource_get_string (record->resource, NULL, "userName", NULL);
  folded = roster_user_name_fold (user_name);
  s = roster_sqlite_store_cached (
      self,
      "INSERT INTO deleted_users (id, user_name, user_name_folded, display_name, deleted_at, "
      "deleted_by_id, deleted_by_name, purge_at, reassigned, snapshot, photo, photo_updated) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      error);
  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  roster_db_bind_text (s, 2, user_name);
  roster_db_bind_text (s, 3, folded);
  roster_db_bind_text (s, 4, roster_user_resource_get_string (record->resource, NULL, "displayName", NULL));
  roster_db_bind_int64 (s, 5, now);
  roster_db_bind_text (s, 6, deleted_by != NULL ? roster_user_get_id (deleted_by) : NULL);
  roster_db_bind_text (s, 7, deleted_by != NULL ? roster_user_get_user_name (deleted_by) : NULL);
  /* One reading of the clock: purgeAt is exactly the window after deletedAt. */
  roster_db_bind_int64 (s, 8, now + window);
  roster_db_bind_text (s, 9, reassigned_text);
  roster_db_bind_text (s, 10, snapshot_text);
  if (photo != NULL)
    {
      roster_db_bind_blob (s, 11, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo));
      roster_db_bind_int64 (s, 12, photo_updated);
    }
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "insert deleted user");
  return TRUE;
}

static gboolean
roster_sqlite_store_soft_delete_user (RosterStore *store, const char *id, gint64 if_version,
                                      RosterUser *deleted_by, gint64 window, JsonObject *reassigned,
                                      GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  if (!soft_delete_locked (self, id, if_version, deleted_by, window, reassigned, error)
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* The snapshot's administrator flag (0/1) and name (JSON text), in each dialect */
#define DELETED_COLUMNS_OF(administrator, name)                                                    \
  "id, user_name, display_name, deleted_at, deleted_by_id, deleted_by_name, purge_at, "            \
  "reassigned, coalesce (" administrator ", 0), " name
#define DELETED_COLUMNS                                                                            \
  DELETED_COLUMNS_OF ("json_extract (snapshot, '$.resource.\"" ROSTER_SCIM_SCHEMA_ROSTER_USER     \
                      "\".administrator')",                                                       \
                      "json_extract (snapshot, '$.resource.name')")
#define DELETED_COLUMNS_POSTGRES                                                                   \
  DELETED_COLUMNS_OF ("CAST (CAST (CAST (snapshot AS jsonb) #> ARRAY['resource', '"                \
                      ROSTER_SCIM_SCHEMA_ROSTER_USER "', 'administrator'] AS boolean) AS integer)", \
                      "CAST (CAST (snapshot AS jsonb) #> ARRAY['resource', 'name'] AS text)")
#define DELETED_SELECT "SELECT " DELETED_COLUMNS " FROM deleted_users "
#define DELETED_SELECT_POSTGRES "SELECT " DELETED_COLUMNS_POSTGRES " FROM deleted_users "

/* The name parts a list shows, from the snapshot's name.{givenName, familyName, formatted}. */
static gboolean
add_name (RosterSqliteStore *self, JsonObject *entry, const char *text, GError **error)
{
  static const char *const parts[] = { "givenName", "familyName", "formatted" };
  g_autoptr(JsonObject) stored = roster_sqlite_store_parse (self, text, error);
  g_autoptr(JsonObject) name = json_object_new ();

  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    set_string_or_skip (name, parts[i],
                        json_object_get_string_member_with_default (stored, parts[i], NULL));
  if (json_object_get_size (name) > 0)
    json_object_set_object_member (entry, "name", g_steal_pointer (&name));
  return TRUE;
}

static JsonObject *
deleted_from_row (RosterSqliteStore *self, RosterDbStmt *s, GError **error)
{
  g_autoptr(JsonObject) entry = json_object_new ();
  JsonObject *reassigned = roster_sqlite_store_parse (self, roster_db_column_text (s, 7), error);

  if (reassigned == NULL)
    return NULL;
  json_object_set_string_member (entry, "id", roster_db_column_text (s, 0));
  json_object_set_string_member (entry, "userName", roster_db_column_text (s, 1));
  set_string_or_skip (entry, "displayName", roster_db_column_text (s, 2));
  json_object_set_int_member (entry, "deletedAt", roster_db_column_int64 (s, 3));
  if (!roster_db_column_is_null (s, 4))
    {
      JsonObject *by = json_object_new ();

      json_object_set_string_member (by, "value", roster_db_column_text (s, 4));
      set_string_or_skip (by, "display", roster_db_column_text (s, 5));
      json_object_set_object_member (entry, "deletedBy", by);
    }
  json_object_set_int_member (entry, "purgeAt", roster_db_column_int64 (s, 6));
  json_object_set_object_member (entry, "reassigned", reassigned);
  json_object_set_boolean_member (entry, "administrator", (int) roster_db_column_int64 (s, 8) != 0);
  if (!roster_db_column_is_null (s, 9) && !add_name (self, entry, roster_db_column_text (s, 9), error))
    return NULL;
  return g_steal_pointer (&entry);
}

static GPtrArray *
select_deleted (RosterSqliteStore *self, const char *sql, gint64 arg, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, sql, error);
  g_autoptr(GPtrArray) entries
             = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc;

  if (s == NULL)
    return NULL;
  roster_db_bind_int64 (s, 1, arg);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    {
      JsonObject *entry = deleted_from_row (self, s, error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "list deleted users");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static GPtrArray *
roster_sqlite_store_list_deleted_users (RosterStore *store, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  return select_deleted (self,
                         ROSTER_SQL (self, DELETED_SELECT "WHERE ?1 = 0 ORDER BY deleted_at DESC, id",
                                     DELETED_SELECT_POSTGRES
                                     "WHERE ?1 = 0 ORDER BY deleted_at DESC, id"),
                         0, error);
}

static gboolean
exists (RosterSqliteStore *self, const char *sql, const char *id, gboolean *found, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc != ROSTER_DB_ROW && rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "check existence");
  *found = rc == ROSTER_DB_ROW;
  return TRUE;
}

/* Drops what the snapshot names that is gone now: roles, managers. */
static gboolean
prune_resource (RosterSqliteStore *self, JsonObject *resource, GError **error)
{
  JsonNode *roles_node = json_object_get_member (resource, "roles");
  static const struct
  {
    const char *urn;
    const char *member;
  } managers[] = {
    { ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "manager" },
    { ROSTER_SCIM_SCHEMA_ROSTER_USER, "secondaryManager" },
  };

  if (roles_node != NULL && JSON_NODE_HOLDS_ARRAY (roles_node))
    {
      JsonArray *roles = json_node_get_array (roles_node);
      g_autoptr(JsonArray) kept = json_array_new ();

      for (guint i = 0; i < json_array_get_length (roles); i++)
        {
          JsonObject *role = json_array_get_object_element (roles, i);
          gboolean found = FALSE;

          if (!exists (self, "SELECT 1 FROM roles WHERE id = ?1",
                       json_object_get_string_member_with_default (role, "value", ""), &found,
                       error))
            return FALSE;
          if (found)
            json_array_add_object_element (kept, json_object_ref (role));
        }
      if (json_array_get_length (kept) > 0)
        json_object_set_array_member (resource, "roles", g_steal_pointer (&kept));
      else
        json_object_remove_member (resource, "roles");
    }
  for (guint i = 0; i < G_N_ELEMENTS (managers); i++)
    {
      JsonObject *ext = roster_user_resource_get_extension (resource, managers[i].urn, FALSE);
      const char *value = roster_user_resource_get_string (resource, managers[i].urn,
                                                           managers[i].member, "value");
      gboolean found = FALSE;

      if (value == NULL)
        continue;
      if (!exists (self, "SELECT 1 FROM users WHERE id = ?1", value, &found, error))
        return FALSE;
      if (!found)
        json_object_remove_member (ext, managers[i].member);
    }
  return TRUE;
}

static gboolean
restore_memberships (RosterSqliteStore *self, const char *id, JsonArray *groups, GError **error)
{
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      const char *group = json_array_get_string_element (groups, i);
      g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
          self,
          /* SQLite needs the WHERE to read ON CONFLICT as the insert's, not a join's. */
          "INSERT INTO group_members (group_id, user_id, position) "
          "SELECT id, ?2, (SELECT coalesce (max (position) + 1, 0) FROM group_members "
          "WHERE group_id = ?1) FROM groups WHERE id = ?1 ON CONFLICT DO NOTHING",
          error);

      if (s == NULL)
        return FALSE;
      roster_db_bind_text (s, 1, group);
      roster_db_bind_text (s, 2, id);
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "restore membership");
      if (roster_db_changes (roster_sqlite_store_db (self)) > 0)
        {
          /* A new member is a new version of the group. */
          g_autoptr(RosterStmt) bump = roster_sqlite_store_cached (
              self, "UPDATE groups SET version = version + 1, last_modified = ?2 WHERE id = ?1",
              error);

          if (bump == NULL)
            return FALSE;
          roster_db_bind_text (bump, 1, group);
          roster_db_bind_int64 (bump, 2, roster_clock_now ());
          if (roster_db_step (bump) != ROSTER_DB_DONE)
            return roster_sqlite_store_fail (self, error, "touch group");
        }
    }
  return TRUE;
}

static gboolean
restore_counters (RosterSqliteStore *self, const char *id, JsonObject *snapshot, GError **error)
{
  JsonArray *history = json_object_get_array_member (snapshot, "history");
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      "UPDATE users SET password_hash = ?2, failed_logins = ?3, last_login = ?4, "
      "inactivity_reset = ?5, created = ?6, version = ?7 WHERE id = ?1",
      error);

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  roster_db_bind_text (s, 2, json_object_get_string_member_with_default (snapshot, "passwordHash", NULL));
  roster_db_bind_int64 (s, 3, json_object_get_int_member_with_default (snapshot, "failedLogins", 0));
  if (json_object_has_member (snapshot, "lastLogin"))
    roster_db_bind_int64 (s, 4, json_object_get_int_member (snapshot, "lastLogin"));
  /* The time spent deleted does not count as inactivity. */
  roster_db_bind_int64 (s, 5, roster_clock_now ());
  roster_db_bind_int64 (s, 6, json_object_get_int_member (snapshot, "created"));
  /* A version the client never saw, so an ETag from before the deletion is stale. */
  roster_db_bind_int64 (s, 7, json_object_get_int_member (snapshot, "version") + 1);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "restore user state");
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonObject *entry = json_array_get_object_element (history, i);
      g_autoptr(RosterStmt) h = roster_sqlite_store_cached (
          self,
          "INSERT INTO user_password_history (user_id, changed, password_hash) "
          "VALUES (?1, ?2, ?3)",
          error);

      if (h == NULL)
        return FALSE;
      roster_db_bind_text (h, 1, id);
      roster_db_bind_int64 (h, 2, json_object_get_int_member (entry, "changed"));
      roster_db_bind_text (h, 3, json_object_get_string_member (entry, "hash"));
      if (roster_db_step (h) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "restore password history");
    }
  return TRUE;
}

static RosterUserRecord *
restore_locked (RosterSqliteStore *self, const char *id, gboolean active, JsonObject **deleted,
                GError **error)
{
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(GBytes) photo = NULL;
  gint64 photo_updated = 0;
  JsonObject *resource, *ext;

  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self,
        ROSTER_SQL (self, "SELECT " DELETED_COLUMNS ", snapshot FROM deleted_users WHERE id = ?1",
                    "SELECT " DELETED_COLUMNS_POSTGRES ", snapshot FROM deleted_users WHERE id = ?1"),
        error);
    int rc;

    if (s == NULL)
      return NULL;
    roster_db_bind_text (s, 1, id);
    rc = roster_db_step (s);
    if (rc == ROSTER_DB_DONE)
      {
        g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                             _("There is no deleted user with this id"));
        return NULL;
      }
    if (rc != ROSTER_DB_ROW)
      {
        roster_sqlite_store_fail (self, error, "get deleted user");
        return NULL;
      }
    entry = deleted_from_row (self, s, error);
    if (entry == NULL)
      return NULL;
    snapshot = roster_sqlite_store_parse (self, roster_db_column_text (s, 10), error);
    if (snapshot == NULL)
      return NULL;
  }
  if (!read_photo_row (self, READ_DELETED_PHOTO, id, &photo, &photo_updated, error))
    return NULL;
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self, "DELETE FROM deleted_users WHERE id = ?1", error);

    if (s == NULL)
      return NULL;
    roster_db_bind_text (s, 1, id);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      {
        roster_sqlite_store_fail (self, error, "remove deleted user");
        return NULL;
      }
  }
  resource = json_object_get_object_member (snapshot, "resource");
  if (!prune_resource (self, resource, error))
    return NULL;
  json_object_set_boolean_member (resource, "active", active);
  ext = roster_user_resource_get_extension (resource, ROSTER_SCIM_SCHEMA_ROSTER_USER, TRUE);
  json_object_set_string_member (ext, "status", active ? "active" : "inactive");
  if (json_object_has_member (ext, "lock"))
    json_object_remove_member (ext, "lock");
  /* A snapshot from before deletions kept photos (migration 13) names one that is gone. */
  if (photo == NULL && json_object_has_member (resource, "photos"))
    json_object_remove_member (resource, "photos");
  {
    g_autoptr(RosterUserRecord) inserted
               = roster_sqlite_store_insert_user (self, id, resource, NULL, error);

    if (inserted == NULL)
      return NULL;
  }
  if (photo != NULL && !restore_photo (self, id, photo, photo_updated, error))
    return NULL;
  if (!restore_counters (self, id, snapshot, error)
      || !restore_memberships (self, id, json_object_get_array_member (snapshot, "groups"), error))
    return NULL;
  if (deleted != NULL)
    *deleted = g_steal_pointer (&entry);
  return roster_sqlite_store_get_record_locked (self, id, error);
}

static RosterUserRecord *
roster_sqlite_store_restore_user (RosterStore *store, const char *id, gboolean active,
                                  JsonObject **deleted, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) record = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  record = restore_locked (self, id, active, deleted, error);
  if (record == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      if (deleted != NULL)
        g_clear_pointer (deleted, json_object_unref);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static gboolean
purge_one (RosterSqliteStore *self, const char *id, GError **error)
{
  static const char *const sql[] = {
    "UPDATE records SET owner_user_id = NULL, last_modified = ?2 WHERE owner_user_id = ?1",
    "DELETE FROM deleted_users WHERE id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, sql[i], error);

      if (s == NULL)
        return FALSE;
      roster_db_bind_text (s, 1, id);
      if (i == 0)
        roster_db_bind_int64 (s, 2, roster_clock_now ());
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "purge deleted user");
    }
  return TRUE;
}

static GPtrArray *
roster_sqlite_store_purge_deleted_users (RosterStore *store, gint64 now, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) due = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  due = select_deleted (self,
                        ROSTER_SQL (self, DELETED_SELECT "WHERE purge_at <= ?1 ORDER BY purge_at, id",
                                    DELETED_SELECT_POSTGRES
                                    "WHERE purge_at <= ?1 ORDER BY purge_at, id"),
                        now, error);
  for (guint i = 0; due != NULL && i < due->len; i++)
    if (!purge_one (self, json_object_get_string_member (g_ptr_array_index (due, i), "id"), error))
      g_clear_pointer (&due, g_ptr_array_unref);
  if (due == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&due);
}

static gint64
roster_sqlite_store_count_seats (RosterStore *store, gboolean administrators_count, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self, "SELECT count(*) FROM users WHERE active = 1 AND (?1 OR administrator = 0)", error);

  if (s == NULL)
    return -1;
  roster_db_bind_int64 (s, 1, administrators_count ? 1 : 0);
  if (roster_db_step (s) != ROSTER_DB_ROW)
    {
      roster_sqlite_store_fail (self, error, "count seats");
      return -1;
    }
  return roster_db_column_int64 (s, 0);
}

void
roster_sqlite_store_lifecycle_iface_init (RosterStoreInterface *iface)
{
  iface->create_record = roster_sqlite_store_create_record;
  iface->search_records = roster_sqlite_store_search_records;
  iface->count_records = roster_sqlite_store_count_records;
  iface->reassign_records = roster_sqlite_store_reassign_records;
  iface->soft_delete_user = roster_sqlite_store_soft_delete_user;
  iface->list_deleted_users = roster_sqlite_store_list_deleted_users;
  iface->restore_user = roster_sqlite_store_restore_user;
  iface->purge_deleted_users = roster_sqlite_store_purge_deleted_users;
  iface->count_seats = roster_sqlite_store_count_seats;
}
