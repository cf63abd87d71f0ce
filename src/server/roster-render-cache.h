/* roster-render-cache.h: users' JSON as last sent, for one snapshot of the store */
#pragma once

#include <glib.h>

#include "roster-store.h"

G_BEGIN_DECLS

/* Per process; a page of 50 users is ~35 KB, 100,000 users ~70 MB. */
#define ROSTER_RENDER_CACHE_MAX_BYTES (128 * 1024 * 1024)

typedef struct _RosterRenderCache RosterRenderCache;

RosterRenderCache *roster_render_cache_new      (gsize                   max_bytes);
void               roster_render_cache_free     (RosterRenderCache      *self);
void               roster_render_cache_validate (RosterRenderCache      *self,
                                                 const RosterStoreStamp *stamp);
GBytes            *roster_render_cache_lookup   (RosterRenderCache      *self,
                                                 const char             *id,
                                                 const char            **etag);
void               roster_render_cache_insert   (RosterRenderCache      *self,
                                                 const char             *id,
                                                 const char             *etag,
                                                 GBytes                 *json);
void               roster_render_cache_get_stats (RosterRenderCache     *self,
                                                  guint64               *hits,
                                                  guint64               *misses,
                                                  guint64               *flushes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterRenderCache, roster_render_cache_free)

G_END_DECLS
