/* roster-sqlite-store-access.c: RosterSqliteStore's roles, groups and grants
 *
 * Roles and groups keep their canonical JSON in `resource`, beside indexed columns for what
 * is unique, filtered or sorted, and child tables for what is multi-valued: role_permissions,
 * group_permissions and group_members. A user's roles and entitlements live only in
 * user_roles and user_entitlements; they are put back into the user's resource when it is
 * read, for a whole page at once (one query per table, the ids bound as one JSON array).
 * Grants (which role, group or entitlement gives which permission) are one UNION query over
 * those tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-clock.h"
#include "roster-error.h"
#include "roster-permission.h"
#include "roster-schema.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-sqlite-store-private.h"
#include "roster-user-record.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

static gint64
now_seconds (void)
{
  return roster_clock_now ();
}

static char *
fold (const char *value)
{
  return value != NULL ? roster_user_name_fold (value) : NULL;
}

static gboolean
invalid (GError **error, const char *format, const char *what)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Every caller passes a literal _("…%s…"). */
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, format, what);
#pragma GCC diagnostic pop
  return FALSE;
}

/* Runs a cached statement that returns no rows, with up to three text parameters and an
 * integer as ?4 (pass 0 when unused). */
static gboolean
run_sql (RosterSqliteStore *self, const char *sql, const char *p1, const char *p2,
         const char *p3, gint64 p4, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, sql, error);

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, p1);
  if (roster_db_bind_parameter_count (s) >= 2)
    roster_db_bind_text (s, 2, p2);
  if (roster_db_bind_parameter_count (s) >= 3)
    roster_db_bind_text (s, 3, p3);
  if (roster_db_bind_parameter_count (s) >= 4)
    roster_db_bind_int64 (s, 4, p4);
  if (roster_db_step (s) != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, sql);
  return TRUE;
}

/* A JSON array of the ids, bound as ?1 of the page queries. */
char *
roster_sqlite_store_ids_json (GPtrArray *ids)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < ids->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (ids, i));
  node = json_node_init_array (json_node_alloc (), array);
  return roster_json_to_string (node, NULL);
}

static JsonArray *
get_array (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* ------------------------------------------------------------------ users' access */

#define GRANTS_SQL(IN_IDS)                                                                         \
  "SELECT ur.user_id, rp.permission, 'role', r.id, r.name, 1 AS rank, rp.position "                \
  "FROM user_roles ur JOIN roles r ON r.id = ur.role_id "                                          \
  "JOIN role_permissions rp ON rp.role_id = r.id WHERE ur.user_id IN " IN_IDS " "                  \
  "UNION ALL "                                                                                     \
  "SELECT gm.user_id, gp.permission, 'group', g.id, g.display_name, 2, gp.position "               \
  "FROM group_members gm JOIN groups g ON g.id = gm.group_id "                                     \
  "JOIN group_permissions gp ON gp.group_id = g.id WHERE gm.user_id IN " IN_IDS " "                \
  "UNION ALL "                                                                                     \
  "SELECT ue.user_id, ue.permission, 'entitlement', ue.permission, NULL, 3, ue.position "          \
  "FROM user_entitlements ue WHERE ue.user_id IN " IN_IDS " "                                      \
  "ORDER BY 1, 6, 5, 4, 7"
static const char *const grants_sql[] = DIALECT_PAIR (GRANTS_SQL);

/* Appends the grants of the users in @ids_text to @grants. */
static gboolean
query_grants (RosterSqliteStore *self, const char *ids_text, GPtrArray *grants, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, DIALECT_SQL (self, grants_sql), error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, ids_text);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    g_ptr_array_add (grants, roster_grant_new (roster_db_column_text (s, 0), roster_db_column_text (s, 1),
                                               roster_db_column_text (s, 2), roster_db_column_text (s, 3),
                                               roster_db_column_text (s, 4)));
  if (rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "get grants");
  return TRUE;
}

static JsonObject *
value_object (const char *value, const char *type, gboolean primary)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "value", value);
  if (type != NULL)
    json_object_set_string_member (object, "type", type);
  if (primary)
    json_object_set_boolean_member (object, "primary", TRUE);
  return object;
}

/* Appends to the multi-valued @member of @resource. */
static void
append_value (JsonObject *resource, const char *member, JsonObject *value)
{
  JsonArray *array = get_array (resource, member);

  if (array == NULL)
    {
      json_object_set_array_member (resource, member, json_array_new ());
      array = json_object_get_array_member (resource, member);
    }
  json_array_add_object_element (array, value);
}

/**
 * roster_sqlite_store_fill_users:
 * @records: (element-type RosterUserRecord): users just read, in the caller's transaction
 *
 * Adds their roles and entitlements to their resources, and fills in their groups, role
 * names and grants: four queries, however many users.
 */
gboolean
roster_sqlite_store_fill_users (RosterSqliteStore *self, GPtrArray *records, GError **error)
{
#define ROLES_SQL(IN_IDS)                                                                          \
  "SELECT ur.user_id, ur.role_id, r.name, ur.type, ur.\"primary\" FROM user_roles ur "            \
  "JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN " IN_IDS " ORDER BY 1, ur.position"
#define ENTITLEMENTS_SQL(IN_IDS)                                                                   \
  "SELECT user_id, permission, type, \"primary\" FROM user_entitlements "                        \
  "WHERE user_id IN " IN_IDS " ORDER BY 1, position"
#define GROUPS_SQL(IN_IDS)                                                                         \
  "SELECT gm.user_id, g.id, g.display_name FROM group_members gm "                                 \
  "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id IN " IN_IDS " "                            \
  "ORDER BY 1, g.display_name_folded, g.id"
  static const char *const roles_sql[] = DIALECT_PAIR (ROLES_SQL);
  static const char *const entitlements_sql[] = DIALECT_PAIR (ENTITLEMENTS_SQL);
  static const char *const groups_sql[] = DIALECT_PAIR (GROUPS_SQL);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) grants = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_grant_free);
  g_autofree char *ids_text = NULL;
  int rc;

  if (records->len == 0)
    return TRUE;
  for (guint i = 0; i < records->len; i++)
    {
      RosterUserRecord *record = g_ptr_array_index (records, i);

      g_hash_table_insert (by_id, record->id, record);
      g_ptr_array_add (ids, record->id);
      json_object_remove_member (record->resource, "roles");
      json_object_remove_member (record->resource, "entitlements");
    }
  ids_text = roster_sqlite_store_ids_json (ids);

  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, DIALECT_SQL (self, roles_sql), error);

    if (s == NULL)
      return FALSE;
    roster_db_bind_text (s, 1, ids_text);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      {
        RosterUserRecord *record = g_hash_table_lookup (by_id, roster_db_column_text (s, 0));

        append_value (record->resource, "roles",
                      value_object (roster_db_column_text (s, 1), roster_db_column_text (s, 3),
                                    (int) roster_db_column_int64 (s, 4) != 0));
        g_hash_table_replace (record->role_names, g_strdup (roster_db_column_text (s, 1)),
                              g_strdup (roster_db_column_text (s, 2)));
      }
    if (rc != ROSTER_DB_DONE)
      return roster_sqlite_store_fail (self, error, "get roles of users");
  }
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, DIALECT_SQL (self, entitlements_sql), error);

    if (s == NULL)
      return FALSE;
    roster_db_bind_text (s, 1, ids_text);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      {
        RosterUserRecord *record = g_hash_table_lookup (by_id, roster_db_column_text (s, 0));

        append_value (record->resource, "entitlements",
                      value_object (roster_db_column_text (s, 1), roster_db_column_text (s, 2),
                                    (int) roster_db_column_int64 (s, 3) != 0));
      }
    if (rc != ROSTER_DB_DONE)
      return roster_sqlite_store_fail (self, error, "get entitlements of users");
  }
  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, DIALECT_SQL (self, groups_sql), error);

    if (s == NULL)
      return FALSE;
    roster_db_bind_text (s, 1, ids_text);
    while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
      {
        RosterUserRecord *record = g_hash_table_lookup (by_id, roster_db_column_text (s, 0));

        g_ptr_array_add (record->groups,
                         roster_reference_new (roster_db_column_text (s, 1), roster_db_column_text (s, 2)));
      }
    if (rc != ROSTER_DB_DONE)
      return roster_sqlite_store_fail (self, error, "get groups of users");
  }
  if (!query_grants (self, ids_text, grants, error))
    return FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      RosterGrant *grant = g_ptr_array_index (grants, i);
      RosterUserRecord *record = g_hash_table_lookup (by_id, grant->user_id);

      g_ptr_array_add (record->grants, g_ptr_array_steal_index (grants, i--));
    }
  return TRUE;
}

/* Checks and writes one user's roles and entitlements, inside the caller's transaction. */
gboolean
roster_sqlite_store_write_user_access (RosterSqliteStore *self, const char *id,
                                       JsonObject *resource, GError **error)
{
  static const char delete_roles[] = "DELETE FROM user_roles WHERE user_id = ?1";
  static const char delete_entitlements[] = "DELETE FROM user_entitlements WHERE user_id = ?1";
  static const char role_exists[] = "SELECT 1 FROM roles WHERE id = ?1";
  static const char insert_role[] = "INSERT INTO user_roles (user_id, role_id, "
                                    "position, type, \"primary\") VALUES (?1, ?2, ?3, ?4, ?5) "
                                    "ON CONFLICT DO NOTHING";
  static const char insert_entitlement[] = "INSERT INTO user_entitlements (user_id, "
                                           "permission, position, type, \"primary\") "
                                           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
  JsonArray *roles = get_array (resource, "roles");
  JsonArray *entitlements = get_array (resource, "entitlements");

  if (!run_sql (self, delete_roles, id, NULL, NULL, 0, error)
      || !run_sql (self, delete_entitlements, id, NULL, NULL, 0, error))
    return FALSE;
  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonObject *role = json_array_get_object_element (roles, i);
      const char *value = json_object_get_string_member_with_default (role, "value", NULL);
      int rc;

      {
        g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, role_exists, error);

        if (s == NULL)
          return FALSE;
        roster_db_bind_text (s, 1, value);
        rc = roster_db_step (s);
        if (rc == ROSTER_DB_DONE)
          return invalid (error, _("“roles” names no role of this server: %s"), value);
        if (rc != ROSTER_DB_ROW)
          return roster_sqlite_store_fail (self, error, "check role");
      }
      {
        g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, insert_role, error);

        if (s == NULL)
          return FALSE;
        roster_db_bind_text (s, 1, id);
        roster_db_bind_text (s, 2, value);
        roster_db_bind_int64 (s, 3, (int) i);
        roster_db_bind_text (s, 4, json_object_get_string_member_with_default (role, "type", NULL));
        roster_db_bind_int64 (s, 5, json_object_get_boolean_member_with_default (role, "primary",
                                                                             FALSE));
        if (roster_db_step (s) != ROSTER_DB_DONE)
          return roster_sqlite_store_fail (self, error, "insert user role");
      }
    }
  for (guint i = 0; entitlements != NULL && i < json_array_get_length (entitlements); i++)
    {
      JsonObject *entitlement = json_array_get_object_element (entitlements, i);
      const char *value = json_object_get_string_member_with_default (entitlement, "value",
                                                                      NULL);
      g_autoptr(RosterStmt) s = NULL;

      if (roster_permission_lookup (value) == NULL)
        return invalid (error, _("“entitlements” names no permission of this server: %s"),
                        value);
      s = roster_sqlite_store_cached (self, insert_entitlement, error);
      if (s == NULL)
        return FALSE;
      roster_db_bind_text (s, 1, id);
      roster_db_bind_text (s, 2, value);
      roster_db_bind_int64 (s, 3, (int) i);
      roster_db_bind_text (s, 4, json_object_get_string_member_with_default (entitlement, "type", NULL));
      roster_db_bind_int64 (s, 5, json_object_get_boolean_member_with_default (entitlement,
                                                                           "primary", FALSE));
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "insert entitlement");
    }
  return TRUE;
}

/* A user is being deleted: the groups they were in change (a new version each). */
gboolean
roster_sqlite_store_user_leaving (RosterSqliteStore *self, const char *id, GError **error)
{
  static const char sql[] = "UPDATE groups SET version = version + 1, last_modified = ?4 "
                            "WHERE id IN (SELECT group_id FROM group_members WHERE user_id = ?1)";

  return run_sql (self, sql, id, NULL, NULL, now_seconds (), error);
}

static GPtrArray *
roster_sqlite_store_get_grants (RosterStore *store, const char *user_id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) grants = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_grant_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *ids_text = NULL;

  g_ptr_array_add (ids, (gpointer) user_id);
  ids_text = roster_sqlite_store_ids_json (ids);
  if (!query_grants (self, ids_text, grants, error))
    return NULL;
  return g_steal_pointer (&grants);
}

/* ------------------------------------------------------------------ roles and groups */

/* What differs between the two tables. */
typedef struct
{
  const char *get_sql;
  const char *version_sql;
  const char *insert_sql;
  const char *update_sql;
  const char *delete_sql;
  const char *delete_permissions_sql;
  const char *insert_permission_sql;
  const char *table;
  const char *sort_column;
  const char *not_found;
  const char *permissions_urn; /* where "permissions" is: NULL for the core schema */
} Kind;

static const Kind kinds[] = {
  [ROSTER_RESOURCE_ROLE] = {
    .get_sql = "SELECT id, resource, created, last_modified, version FROM roles WHERE id = ?1",
    .version_sql = "SELECT version FROM roles WHERE id = ?1",
    .insert_sql = "INSERT INTO roles (id, name, name_folded, description, resource, created, "
                  "last_modified, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1)",
    .update_sql = "UPDATE roles SET name = ?2, name_folded = ?3, description = ?4, "
                  "resource = ?5, last_modified = ?6, version = version + 1 WHERE id = ?1",
    .delete_sql = "DELETE FROM roles WHERE id = ?1",
    .delete_permissions_sql = "DELETE FROM role_permissions WHERE role_id = ?1",
    .insert_permission_sql = "INSERT INTO role_permissions (role_id, position, permission) "
                             "VALUES (?1, ?4, ?2)",
    .table = "roles",
    .sort_column = "t.name_folded",
    .not_found = N_("There is no role with this id"),
    .permissions_urn = NULL,
  },
  [ROSTER_RESOURCE_GROUP] = {
    .get_sql = "SELECT id, resource, created, last_modified, version FROM groups WHERE id = ?1",
    .version_sql = "SELECT version FROM groups WHERE id = ?1",
    .insert_sql = "INSERT INTO groups (id, display_name, display_name_folded, description, "
                  "resource, created, last_modified, version, kind, external_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, ?7, ?8)",
    .update_sql = "UPDATE groups SET display_name = ?2, display_name_folded = ?3, "
                  "description = ?4, resource = ?5, last_modified = ?6, "
                  "version = version + 1, kind = ?7, external_id = ?8 WHERE id = ?1",
    .delete_sql = "DELETE FROM groups WHERE id = ?1",
    .delete_permissions_sql = "DELETE FROM group_permissions WHERE group_id = ?1",
    .insert_permission_sql = "INSERT INTO group_permissions (group_id, position, permission) "
                             "VALUES (?1, ?4, ?2)",
    .table = "groups",
    .sort_column = "t.display_name_folded",
    .not_found = N_("There is no group with this id"),
    .permissions_urn = ROSTER_SCIM_SCHEMA_ROSTER_GROUP,
  },
};

static gboolean
not_found (RosterResourceKind kind, GError **error)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _(kinds[kind].not_found));
  return FALSE;
}

static JsonObject *
extension (JsonObject *resource, const char *urn)
{
  JsonNode *node = urn != NULL ? json_object_get_member (resource, urn) : NULL;

  if (urn == NULL)
    return resource;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static RosterResourceRecord *
record_from_row (RosterSqliteStore *self, RosterDbStmt *s, GError **error)
{
  g_autoptr(RosterResourceRecord) record = roster_resource_record_new ();

  record->resource = roster_sqlite_store_parse (self, roster_db_column_text (s, 1), error);
  if (record->resource == NULL)
    return NULL;
  record->id = g_strdup (roster_db_column_text (s, 0));
  record->created = g_date_time_new_from_unix_utc (roster_db_column_int64 (s, 2));
  record->last_modified = g_date_time_new_from_unix_utc (roster_db_column_int64 (s, 3));
  record->version = roster_db_column_int64 (s, 4);
  return g_steal_pointer (&record);
}

/* Puts the members of the groups in @records into their resources, from one query. */
static gboolean
fill_members (RosterSqliteStore *self, GPtrArray *records, GError **error)
{
#define MEMBERS_SQL(IN_IDS)                                                                        \
  "SELECT gm.group_id, gm.user_id, coalesce (u.display_name, u.user_name) "                        \
  "FROM group_members gm JOIN users u ON u.id = gm.user_id "                                       \
  "WHERE gm.group_id IN " IN_IDS " ORDER BY 1, gm.position"
  static const char *const sql[] = DIALECT_PAIR (MEMBERS_SQL);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *ids_text = NULL;
  g_autoptr(RosterStmt) s = NULL;
  int rc;

  if (records->len == 0)
    return TRUE;
  for (guint i = 0; i < records->len; i++)
    {
      RosterResourceRecord *record = g_ptr_array_index (records, i);

      g_hash_table_insert (by_id, record->id, record);
      g_ptr_array_add (ids, record->id);
    }
  ids_text = roster_sqlite_store_ids_json (ids);
  s = roster_sqlite_store_cached (self, DIALECT_SQL (self, sql), error);
  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, ids_text);
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    {
      RosterResourceRecord *record = g_hash_table_lookup (by_id, roster_db_column_text (s, 0));

      append_value (record->resource, "members", value_object (roster_db_column_text (s, 1), NULL, FALSE));
      g_hash_table_replace (record->names, g_strdup (roster_db_column_text (s, 1)),
                            g_strdup (roster_db_column_text (s, 2)));
    }
  if (rc != ROSTER_DB_DONE)
    return roster_sqlite_store_fail (self, error, "get members");
  return TRUE;
}

static RosterResourceRecord *
get_locked (RosterSqliteStore *self, RosterResourceKind kind, const char *id, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_resource_record_free);

  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, kinds[kind].get_sql, error);
    RosterResourceRecord *record;
    int rc;

    if (s == NULL)
      return NULL;
    roster_db_bind_text (s, 1, id);
    rc = roster_db_step (s);
    if (rc == ROSTER_DB_DONE)
      {
        not_found (kind, error);
        return NULL;
      }
    if (rc != ROSTER_DB_ROW)
      {
        roster_sqlite_store_fail (self, error, "get resource");
        return NULL;
      }
    record = record_from_row (self, s, error);
    if (record == NULL)
      return NULL;
    g_ptr_array_add (records, record);
  }
  if (kind == ROSTER_RESOURCE_GROUP && !fill_members (self, records, error))
    return NULL;
  return g_ptr_array_steal_index (records, 0);
}

/* The version of @id, which must exist and, unless @if_version is 0, be at @if_version. */
static gboolean
check_version (RosterSqliteStore *self, RosterResourceKind kind, const char *id,
               gint64 if_version, GError **error)
{
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, kinds[kind].version_sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_DONE)
    return not_found (kind, error);
  if (rc != ROSTER_DB_ROW)
    return roster_sqlite_store_fail (self, error, "get version");
  if (if_version != 0 && roster_db_column_int64 (s, 0) != if_version)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED,
                           _("This has changed since this version was read"));
      return FALSE;
    }
  return TRUE;
}

/* The stored JSON: a group's members live in group_members only. */
static char *
stored_text (JsonObject *resource)
{
  g_autoptr(JsonObject) stored = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!g_str_equal (name, "members"))
      json_object_set_member (stored, name, json_node_ref (member));
  node = json_node_init_object (json_node_alloc (), stored);
  return roster_json_to_string (node, NULL);
}

static gboolean
write_children (RosterSqliteStore *self, RosterResourceKind kind, const char *id,
                JsonObject *resource, GError **error)
{
  static const char delete_members[] = "DELETE FROM group_members WHERE group_id = ?1";
  static const char insert_member[] = "INSERT INTO group_members (group_id, user_id, "
                                      "position) VALUES (?1, ?2, ?4) ON CONFLICT DO NOTHING";
  const Kind *k = &kinds[kind];
  JsonArray *permissions = get_array (extension (resource, k->permissions_urn), "permissions");
  JsonArray *members = get_array (resource, "members");

  if (!run_sql (self, k->delete_permissions_sql, id, NULL, NULL, 0, error))
    return FALSE;
  for (guint i = 0; permissions != NULL && i < json_array_get_length (permissions); i++)
    {
      const char *permission = json_array_get_string_element (permissions, i);

      if (roster_permission_lookup (permission) == NULL)
        return invalid (error, _("“permissions” names no permission of this server: %s"),
                        permission);
      if (!run_sql (self, k->insert_permission_sql, id, permission, NULL, i, error))
        return FALSE;
    }
  if (kind != ROSTER_RESOURCE_GROUP)
    return TRUE;
  if (!run_sql (self, delete_members, id, NULL, NULL, 0, error))
    return FALSE;
  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);
      const char *value = json_object_get_string_member_with_default (member, "value", NULL);
      gboolean exists = FALSE;

      if (!roster_sqlite_store_user_exists (self, value, &exists, error))
        return FALSE;
      if (!exists)
        return invalid (error, _("“members” names no user of this server: %s"), value);
      if (!run_sql (self, insert_member, id, value, NULL, i, error))
        return FALSE;
    }
  return TRUE;
}

/* Inserts (@insert) or updates @id inside the caller's transaction. */
static gboolean
write_row (RosterSqliteStore *self, RosterResourceKind kind, const char *id,
           JsonObject *resource, gboolean insert, GError **error)
{
  const Kind *k = &kinds[kind];
  JsonObject *ext = extension (resource, ROSTER_SCIM_SCHEMA_ROSTER_GROUP);
  const char *name, *description;
  g_autofree char *folded = NULL;
  g_autofree char *text = stored_text (resource);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, insert ? k->insert_sql
                                                                     : k->update_sql, error);

  if (s == NULL)
    return FALSE;
  if (kind == ROSTER_RESOURCE_ROLE)
    {
      name = json_object_get_string_member_with_default (resource, "name", NULL);
      description = json_object_get_string_member_with_default (resource, "description", NULL);
    }
  else
    {
      name = json_object_get_string_member_with_default (resource, "displayName", NULL);
      description = ext != NULL ? json_object_get_string_member_with_default (ext, "description",
                                                                              NULL)
                                : NULL;
      roster_db_bind_text (s, 7, ext != NULL ? json_object_get_string_member_with_default (ext, "kind",
                                                                                 "group")
                                   : "group");
      roster_db_bind_text (s, 8, json_object_get_string_member_with_default (resource, "externalId", NULL));
    }
  folded = fold (name);
  roster_db_bind_text (s, 1, id);
  roster_db_bind_text (s, 2, name);
  roster_db_bind_text (s, 3, folded);
  roster_db_bind_text (s, 4, description);
  roster_db_bind_text (s, 5, text);
  roster_db_bind_int64 (s, 6, now_seconds ());
  if (roster_db_step (s) != ROSTER_DB_DONE)
    {
      if (roster_db_get_failure (roster_sqlite_store_db (self)) == ROSTER_DB_FAILURE_UNIQUE
          && kind == ROSTER_RESOURCE_ROLE)
        {
          g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_ROLE_NAME_TAKEN,
                               _("A role with this name already exists"));
          return FALSE;
        }
      return roster_sqlite_store_fail (self, error, insert ? "insert resource"
                                                           : "update resource");
    }
  g_clear_pointer (&s, roster_db_stmt_reset);
  return write_children (self, kind, id, resource, error);
}

static RosterResourceRecord *
roster_sqlite_store_create_resource (RosterStore *store, RosterResourceKind kind,
                                     JsonObject *resource, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(RosterResourceRecord) stored = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  if (!write_row (self, kind, id, resource, TRUE, error)
      || (stored = get_locked (self, kind, id, error)) == NULL
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

static RosterResourceRecord *
roster_sqlite_store_get_resource (RosterStore *store, RosterResourceKind kind, const char *id,
                                  GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterResourceRecord) record = NULL;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  record = get_locked (self, kind, id, error);
  if (record == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static RosterResourceRecord *
roster_sqlite_store_replace_resource (RosterStore *store, RosterResourceKind kind,
                                      const char *id, JsonObject *resource, gint64 if_version,
                                      GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterResourceRecord) stored = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  if (!check_version (self, kind, id, if_version, error)
      || !write_row (self, kind, id, resource, FALSE, error)
      || (stored = get_locked (self, kind, id, error)) == NULL
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

/* Users who have the role: refuse, or (@force) take it from them, each getting a new
 * version since their roles change. */
static gboolean
release_role (RosterSqliteStore *self, const char *id, gboolean force, GError **error)
{
  static const char count_sql[] = "SELECT count(*) FROM user_roles WHERE role_id = ?1";
  static const char bump_sql[] = "UPDATE users SET version = version + 1, last_modified = ?4 "
                                 "WHERE id IN (SELECT user_id FROM user_roles "
                                 "WHERE role_id = ?1)";
  static const char delete_sql[] = "DELETE FROM user_roles WHERE role_id = ?1";
  gint64 users;

  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (self, count_sql, error);

    if (s == NULL)
      return FALSE;
    roster_db_bind_text (s, 1, id);
    if (roster_db_step (s) != ROSTER_DB_ROW)
      return roster_sqlite_store_fail (self, error, "count role users");
    users = roster_db_column_int64 (s, 0);
  }
  if (users == 0)
    return TRUE;
  if (!force)
    {
      guint n = (guint) MIN (users, G_MAXUINT);

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_ROLE_IN_USE,
                   ngettext ("%u user has this role: take it from them first, or delete "
                             "with ?force=true",
                             "%u users have this role: take it from them first, or delete "
                             "with ?force=true",
                             n),
                   n);
      return FALSE;
    }
  return run_sql (self, bump_sql, id, NULL, NULL, now_seconds (), error)
         && run_sql (self, delete_sql, id, NULL, NULL, 0, error);
}

static gboolean
roster_sqlite_store_delete_resource (RosterStore *store, RosterResourceKind kind,
                                     const char *id, gint64 if_version, gboolean force,
                                     GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return FALSE;
  if (!check_version (self, kind, id, if_version, error)
      || (kind == ROSTER_RESOURCE_ROLE && !release_role (self, id, force, error))
      || !run_sql (self, kinds[kind].delete_sql, id, NULL, NULL, 0, error)
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ searches */

typedef struct
{
  RosterResourceKind kind;
  gboolean postgres;
} MapContext;

static void
set_child (RosterScimSqlColumn *column, const char *table, const char *foreign_key,
           const char *value_column)
{
  column->table = table;
  column->foreign_key = foreign_key;
  column->parent_key = "t.id";
  column->column = value_column;
  column->case_exact = TRUE;
}

/* Maps filter paths of roles and groups onto "roles t" or "groups t" and their children. */
static gboolean
sql_mapper (const RosterScimAttrPath *path, RosterScimSqlColumn *column, gpointer user_data)
{
  const MapContext *ctx = user_data;
  const char *core = ctx->kind == ROSTER_RESOURCE_ROLE ? ROSTER_SCIM_SCHEMA_ROLE
                                                       : ROSTER_SCIM_SCHEMA_GROUP;
  const char *ext = ctx->kind == ROSTER_RESOURCE_ROLE ? ROSTER_SCIM_SCHEMA_ROLE
                                                      : ROSTER_SCIM_SCHEMA_ROSTER_GROUP;

  if (roster_scim_attr_path_is (path, core, "id"))
    {
      column->column = "t.id";
      column->case_exact = TRUE;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, core, "meta.created")
      || roster_scim_attr_path_is (path, core, "meta.lastModified"))
    {
      gboolean created = path->sub_attribute[0] == 'c' || path->sub_attribute[0] == 'C';

      column->type = ROSTER_SCIM_TYPE_DATE_TIME;

      if (ctx->postgres)
        column->column = created ? "roster_date (t.created)" : "roster_date (t.last_modified)";
      else
        column->column = created ? "datetime (t.created, 'unixepoch')"
                                 : "datetime (t.last_modified, 'unixepoch')";
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, ext, "permissions"))
    {
      set_child (column, ctx->kind == ROSTER_RESOURCE_ROLE ? "role_permissions"
                                                           : "group_permissions",
                 ctx->kind == ROSTER_RESOURCE_ROLE ? "role_id" : "group_id", "permission");
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, ext, "description"))
    {
      column->column = "t.description";
      return TRUE;
    }
  if (ctx->kind == ROSTER_RESOURCE_ROLE)
    {
      if (!roster_scim_attr_path_is (path, core, "name"))
        return FALSE;
      column->column = "t.name_folded";
      column->folded = TRUE;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, core, "displayName"))
    {
      column->column = "t.display_name_folded";
      column->folded = TRUE;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, core, "externalId"))
    {
      column->column = "t.external_id";
      column->case_exact = TRUE;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, ext, "kind"))
    {
      column->column = "t.kind";
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, core, "members"))
    {
      set_child (column, "group_members", "group_id", NULL);
      column->type = ROSTER_SCIM_TYPE_COMPLEX;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, core, "members.value"))
    {
      set_child (column, "group_members", "group_id", "user_id");
      return TRUE;
    }
  return FALSE;
}

static GPtrArray *
search_locked (RosterSqliteStore *self, RosterResourceKind kind,
               const RosterResourceQuery *query, guint *total_results, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) roster_resource_record_free);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *order = roster_sqlite_store_sort_order (self, query->descending);
  MapContext ctx = { kind, roster_sqlite_store_is_postgres (self) };
  RosterDbStmt *s;
  int rc;

  if (query->filter != NULL)
    {
      params = roster_scim_sql_params_new ();
      if (!roster_scim_filter_to_sql (query->filter, roster_sqlite_store_sql_dialect (self), sql_mapper, &ctx, where, params, error))
        return NULL;
    }
  /* The table and columns are fixed strings; the filter's values are parameters. */
  count_sql = g_strdup_printf ("SELECT count(*) FROM %s t%s%s", kinds[kind].table,
                               where->len ? " WHERE " : "", where->str);
  s = roster_sqlite_store_query (self, count_sql, params, error);
  if (s == NULL)
    return NULL;
  if (roster_db_step (s) != ROSTER_DB_ROW)
    {
      roster_db_stmt_reset (s);
      roster_sqlite_store_fail (self, error, "count");
      return NULL;
    }
  *total_results = (guint) CLAMP (roster_db_column_int64 (s, 0), 0, G_MAXUINT);
  roster_db_stmt_reset (s);
  if (query->count == 0)
    return g_steal_pointer (&records);

  page_sql = g_strdup_printf ("SELECT t.id, t.resource, t.created, t.last_modified, t.version "
                              "FROM %s t%s%s ORDER BY %s %s, t.id %s LIMIT %u OFFSET %u",
                              kinds[kind].table, where->len ? " WHERE " : "", where->str,
                              kinds[kind].sort_column, order, order, query->count,
                              query->start_index - 1);
  s = roster_sqlite_store_query (self, page_sql, params, error);
  if (s == NULL)
    return NULL;
  while ((rc = roster_db_step (s)) == ROSTER_DB_ROW)
    {
      RosterResourceRecord *record = record_from_row (self, s, error);

      if (record == NULL)
        {
          roster_db_stmt_reset (s);
          return NULL;
        }
      g_ptr_array_add (records, record);
    }
  roster_db_stmt_reset (s);
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "list");
      return NULL;
    }
  if (kind == ROSTER_RESOURCE_GROUP && !fill_members (self, records, error))
    return NULL;
  return g_steal_pointer (&records);
}

static GPtrArray *
roster_sqlite_store_search_resources (RosterStore *store, RosterResourceKind kind,
                                      const RosterResourceQuery *query, guint *total_results,
                                      GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = NULL;

  if (!roster_sqlite_store_begin (self, FALSE, error))
    return NULL;
  records = search_locked (self, kind, query, total_results, error);
  if (records == NULL || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&records);
}

void
roster_sqlite_store_access_iface_init (RosterStoreInterface *iface)
{
  iface->create_resource = roster_sqlite_store_create_resource;
  iface->get_resource = roster_sqlite_store_get_resource;
  iface->search_resources = roster_sqlite_store_search_resources;
  iface->replace_resource = roster_sqlite_store_replace_resource;
  iface->delete_resource = roster_sqlite_store_delete_resource;
  iface->get_grants = roster_sqlite_store_get_grants;
}
