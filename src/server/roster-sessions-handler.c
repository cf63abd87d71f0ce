/* roster-sessions-handler.c: GET /scim/v2/Users/{id}/sessions and
 * DELETE /scim/v2/Users/{id}/sessions/{sessionId}
 *
 * Sessions are named by a random id of their own, never by anything derived from the token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-scim.h"
#include "roster-server.h"

static void
add_date (JsonBuilder *builder, const char *name, GDateTime *date)
{
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_optional_string (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* 404 unless @id is a user. */
static gboolean
check_user (RosterRequest *request, const char *id)
{
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = roster_store_get_user (roster_request_get_store (request), id, &error);
  if (user == NULL)
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  return TRUE;
}

void
roster_sessions_handle_list (RosterRequest *request)
{
  const char *id = roster_request_get_param (request, 0);
  RosterSession *current = roster_request_get_session (request);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_user (request, id))
    return;
  sessions = roster_store_list_sessions (roster_request_get_store (request), id, &error);
  if (sessions == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_MESSAGE_LIST);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "totalResults");
  json_builder_add_int_value (builder, sessions->len);
  json_builder_set_member_name (builder, "startIndex");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "itemsPerPage");
  json_builder_add_int_value (builder, sessions->len);
  json_builder_set_member_name (builder, "Resources");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sessions->len; i++)
    {
      RosterSession *session = g_ptr_array_index (sessions, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, session->id);
      add_date (builder, "created", session->created);
      add_date (builder, "lastUsed", session->last_used);
      add_date (builder, "expires", session->expires);
      add_optional_string (builder, "userAgent", session->user_agent);
      add_optional_string (builder, "address", session->peer_address);
      json_builder_set_member_name (builder, "current");
      json_builder_add_boolean_value (builder,
                                      g_str_equal (session->token_hash, current->token_hash));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, node);
}

/* The event names the session by its id, which never reveals the token. */
void
roster_sessions_handle_delete (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  const char *session_id = roster_request_get_param (request, 1);
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(JsonObject) before = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (before, "session", session_id);
  if (!roster_store_begin (store, &error)
      || (user = roster_store_get_user (store, id, &error)) == NULL
      || !roster_store_delete_user_sessions (store, id, session_id, &error)
      || !roster_audit_record (request, "session-revoke", "User", id,
                               roster_user_get_user_name (user), before, NULL, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Ended a session of user %s", id);
  roster_request_respond_empty (request, 204);
}
