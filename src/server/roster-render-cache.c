/* roster-render-cache.c: users' JSON as last sent, for one snapshot of the store
 *
 * Building a user's representation (parsing the stored resource, reading roles, groups and
 * grants, building and serialising JSON) costs more than finding the user. A read that sees
 * what representations are made of exactly as the last one did (roster_store_get_stamp():
 * no connection wrote to users, their child rows, roles, groups or settings in between)
 * can send the bytes it sent then. Any such write empties the whole cache, so nothing in
 * it is ever stale: a manager's new name, a role's new permission or a group's new member
 * changes other users' JSON without changing their rows, and this needs no list of which
 * user depends on what. Writes that no representation shows (a session's last use, the
 * audit log, the outbox) leave it alone. Reads outnumber writes by far in user
 * administration; a burst of writes makes it a cache that is always empty, never a wrong
 * one. It holds at most max_bytes of JSON, and is emptied when full.
 *
 * Per process: each rosterd worker has its own cache.
 */
#include "config.h"

#include "roster-render-cache.h"

typedef struct
{
  GBytes *json;
  char *etag;
  gsize size;
} Entry;

struct _RosterRenderCache
{
  GHashTable *entries; /* id → Entry */
  RosterStoreStamp stamp;
  gboolean valid;
  gsize bytes;
  gsize max_bytes;
  guint64 hits, misses, flushes;
};

static void
entry_free (Entry *entry)
{
  g_bytes_unref (entry->json);
  g_free (entry->etag);
  g_free (entry);
}

RosterRenderCache *
roster_render_cache_new (gsize max_bytes)
{
  RosterRenderCache *self = g_new0 (RosterRenderCache, 1);

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) entry_free);
  self->max_bytes = max_bytes;
  return self;
}

void
roster_render_cache_free (RosterRenderCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_free (self);
}

static void
flush (RosterRenderCache *self)
{
  if (g_hash_table_size (self->entries) > 0)
    self->flushes++;
  g_hash_table_remove_all (self->entries);
  self->bytes = 0;
}

/* Keeps the entries only if they were made from a snapshot with @stamp. */
void
roster_render_cache_validate (RosterRenderCache *self, const RosterStoreStamp *stamp)
{
  if (self->valid && self->stamp.version == stamp->version)
    return;
  flush (self);
  self->stamp = *stamp;
  self->valid = TRUE;
}

/* (transfer none) (nullable): the JSON of user @id, and its ETag in @etag */
GBytes *
roster_render_cache_lookup (RosterRenderCache *self, const char *id, const char **etag)
{
  Entry *entry = self->valid ? g_hash_table_lookup (self->entries, id) : NULL;

  if (entry == NULL)
    {
      self->misses++;
      return NULL;
    }
  self->hits++;
  *etag = entry->etag;
  return entry->json;
}

/* Call only after roster_render_cache_validate() with the stamp @json was read at. */
void
roster_render_cache_insert (RosterRenderCache *self, const char *id, const char *etag,
                            GBytes *json)
{
  Entry *entry = g_hash_table_lookup (self->entries, id);
  gsize size = g_bytes_get_size (json) + strlen (id) + strlen (etag) + 64;

  g_return_if_fail (self->valid);
  if (entry != NULL)
    {
      self->bytes -= entry->size;
      g_hash_table_remove (self->entries, id);
    }
  if (size > self->max_bytes)
    return;
  if (self->bytes + size > self->max_bytes)
    flush (self);
  entry = g_new (Entry, 1);
  entry->json = g_bytes_ref (json);
  entry->etag = g_strdup (etag);
  entry->size = size;
  g_hash_table_insert (self->entries, g_strdup (id), entry);
  self->bytes += size;
}

void
roster_render_cache_get_stats (RosterRenderCache *self, guint64 *hits, guint64 *misses,
                               guint64 *flushes)
{
  *hits = self->hits;
  *misses = self->misses;
  *flushes = self->flushes;
}
