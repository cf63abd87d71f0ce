/* roster-sqlite-store-photo.c: RosterSqliteStore's profile photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-clock.h"
#include "roster-error.h"
#include "roster-scim.h"
#include "roster-sqlite-store-private.h"

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                       _("There is no user with this id"));
  return FALSE;
}

static gboolean
write_photo (RosterSqliteStore *self, const char *id, GBytes *photo, JsonArray *photos,
             GError **error)
{
  gint64 now = roster_clock_now ();
  gboolean exists = FALSE;

  if (!roster_sqlite_store_user_exists (self, id, &exists, error))
    return FALSE;
  if (!exists)
    return not_found (error);

  if (photo != NULL)
    {
      g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self,
        "INSERT INTO user_photos (user_id, data, updated) VALUES (?1, ?2, ?3)"
        "  ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
        error);
      gsize size = 0;
      const void *data = g_bytes_get_data (photo, &size);

      if (s == NULL)
        return FALSE;
      roster_db_bind_text (s, 1, id);
      roster_db_bind_blob (s, 2, data, size);
      roster_db_bind_int64 (s, 3, now);
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "store photo");
    }
  else
    {
      g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
        self, "DELETE FROM user_photos WHERE user_id = ?1", error);

      if (s == NULL)
        return FALSE;
      roster_db_bind_text (s, 1, id);
      if (roster_db_step (s) != ROSTER_DB_DONE)
        return roster_sqlite_store_fail (self, error, "remove photo");
    }

  {
    g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
      self,
      ROSTER_SQL (self,
                  "UPDATE users SET resource = CASE WHEN ?2 IS NULL "
                  "THEN json_remove (resource, '$.photos') "
                  "ELSE json_set (resource, '$.photos', json (?2)) END, "
                  "version = version + 1, last_modified = ?3 WHERE id = ?1",
                  "UPDATE users SET resource = CASE WHEN CAST (?2 AS text) IS NULL "
                  "THEN roster_json_remove (resource, ARRAY['photos']) "
                  "ELSE roster_json_set (resource, ARRAY['photos'], CAST (?2 AS jsonb)) END, "
                  "version = version + 1, last_modified = ?3 WHERE id = ?1"),
      error);
    g_autofree char *json = NULL;

    if (s == NULL)
      return FALSE;
    if (photos != NULL)
      {
        g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), photos);

        json = roster_json_to_string (node, NULL);
      }
    roster_db_bind_text (s, 1, id);
    roster_db_bind_text (s, 2, json);
    roster_db_bind_int64 (s, 3, now);
    if (roster_db_step (s) != ROSTER_DB_DONE)
      return roster_sqlite_store_fail (self, error, "set photos");
  }
  return TRUE;
}

static RosterUserRecord *
roster_sqlite_store_set_user_photo (RosterStore *store, const char *id, GBytes *photo,
                                    JsonArray *photos, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterUserRecord) record = NULL;

  if (!roster_sqlite_store_begin (self, TRUE, error))
    return NULL;
  if (!write_photo (self, id, photo, photos, error)
      || (record = roster_store_get_user_record (store, id, error)) == NULL
      || !roster_sqlite_store_commit (self, error))
    {
      roster_sqlite_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static GBytes *
roster_sqlite_store_get_user_photo (RosterStore *store, const char *id, GError **error)
{
  RosterSqliteStore *self = ROSTER_SQLITE_STORE (store);
  g_autoptr(RosterStmt) s = roster_sqlite_store_cached (
    self, "SELECT data FROM user_photos WHERE user_id = ?1", error);
  int rc;

  if (s == NULL)
    return NULL;
  roster_db_bind_text (s, 1, id);
  rc = roster_db_step (s);
  if (rc == ROSTER_DB_ROW)
    {
      gsize size = 0;
      gconstpointer data = roster_db_column_blob (s, 0, &size);

      return g_bytes_new (data, size);
    }
  if (rc != ROSTER_DB_DONE)
    {
      roster_sqlite_store_fail (self, error, "read photo");
      return NULL;
    }
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                       _("This user has no photo"));
  return NULL;
}

void
roster_sqlite_store_photo_iface_init (RosterStoreInterface *iface)
{
  iface->set_user_photo = roster_sqlite_store_set_user_photo;
  iface->get_user_photo = roster_sqlite_store_get_user_photo;
}
