/* roster-test-clock-handler.c: POST /_test/clock, in test-clock builds only
 *
 * {"advance": SECONDS} moves rosterd's clock forward and then runs the periodic sweeps, as
 * if their timer had fired at the new time; the answer says what time it now is. The file
 * is compiled into every build, but only a -Dtest_clock=true build routes to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-server.h"

void
roster_test_clock_handle_post (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonNode *member = json_object_get_member (body, "advance");

  /* The clock is per process: with workers, each would keep its own time. */
  if (!roster_clock_can_move ()
      || roster_server_get_n_processes (roster_request_get_server (request)) > 1)
    {
      roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND, NULL);
      return;
    }
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("“advance” must be a number of seconds, 0 or more"));
      return;
    }
  roster_clock_advance (json_node_get_int (member));
  roster_server_sweep (roster_request_get_server (request));

  now = roster_clock_now_utc ();
  iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "now");
  json_builder_add_string_value (builder, iso);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, roster_clock_get_offset ());
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, answer);
}
