/* roster-test-cache-handler.c: GET /_test/render-cache, in test-clock builds only
 *
 * What this process's render cache did so far: {"hits": N, "misses": N, "flushes": N}, so
 * that tests can tell a write that empties it from one that must not. Compiled into every
 * build, routed only in a -Dtest_clock=true build (like POST /_test/clock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-handlers.h"
#include "roster-render-cache.h"
#include "roster-server.h"

void
roster_test_cache_handle_get (RosterRequest *request)
{
  RosterServer *server = roster_request_get_server (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  guint64 hits, misses, flushes;

  /* Each worker has its own cache: a figure of one of them would mean nothing. */
  if (roster_server_get_n_processes (server) > 1)
    {
      roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND, NULL);
      return;
    }
  roster_render_cache_get_stats (roster_server_get_render_cache (server), &hits, &misses,
                                 &flushes);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hits");
  json_builder_add_int_value (builder, (gint64) hits);
  json_builder_set_member_name (builder, "misses");
  json_builder_add_int_value (builder, (gint64) misses);
  json_builder_set_member_name (builder, "flushes");
  json_builder_add_int_value (builder, (gint64) flushes);
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, answer);
}
