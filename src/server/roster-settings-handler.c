/* roster-settings-handler.c: GET/PUT /scim/v2/Settings
 *
 * One resource with the policy thresholds (roster-settings.c). Writes carry meta.version as
 * an ETag; a stale If-Match is 412 and changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-allowance.h"
#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-server.h"
#include "roster-user-record.h"

static void
respond_settings (RosterRequest *request, const RosterSettings *settings)
{
  RosterServer *server = roster_request_get_server (request);
  g_autofree char *location = g_strconcat (roster_server_get_base_url (server),
                                           "/scim/v2/Settings", NULL);
  g_autoptr(JsonNode) node = roster_settings_to_json (
    settings, roster_server_get_token_lifetime (server), location);
  g_autofree char *etag = roster_settings_dup_etag (settings);
  g_autoptr(GError) error = NULL;
  JsonObject *seats = json_object_new ();
  gint64 used = 0;

  /* Read-only: the allowance in use (available is absent when there is no limit). */
  if (!roster_allowance_get_used (roster_request_get_store (request), settings, &used, &error))
    {
      json_object_unref (seats);
      roster_request_respond_gerror (request, error);
      return;
    }
  json_object_set_int_member (seats, "used", used);
  if (settings->max_active_users > 0)
    json_object_set_int_member (seats, "available", MAX (settings->max_active_users - used, 0));
  json_object_set_object_member (json_node_get_object (node), "seats", seats);

  roster_request_set_response_header (request, "ETag", etag);
  roster_request_respond_json (request, 200, node);
}

void
roster_settings_handle_get (RosterRequest *request)
{
  g_autoptr(GError) error = NULL;
  RosterSettings settings;

  if (!roster_store_get_settings (roster_request_get_store (request), &settings, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  respond_settings (request, &settings);
}

/* The version If-Match names, 0 for none or "*"; FALSE if it names none of ours. */
static gboolean
if_match_version (RosterRequest *request, gint64 current, gint64 *version)
{
  const char *header = roster_request_get_header (request, "If-Match");
  g_auto(GStrv) tags = NULL;

  *version = 0;
  if (header == NULL)
    return TRUE;
  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      gint64 v = 0;

      if (g_str_equal (g_strstrip (tags[i]), "*"))
        return TRUE;
      if (roster_user_record_parse_etag (tags[i], &v) && v == current)
        {
          *version = v;
          return TRUE;
        }
    }
  return FALSE;
}

static JsonObject *
settings_object (RosterRequest *request, const RosterSettings *settings)
{
  g_autoptr(JsonNode) node = roster_settings_to_json (
    settings, roster_server_get_token_lifetime (roster_request_get_server (request)), "");

  return json_object_ref (json_node_get_object (node));
}

/* The change and its audit event (the settings before and after) in one transaction. */
void
roster_settings_handle_put (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  RosterSettings settings;
  gint64 version = 0;

  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!roster_store_get_settings (store, &settings, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  if (!if_match_version (request, settings.version, &version))
    {
      roster_store_rollback (store);
      roster_request_respond_error (request, ROSTER_ERROR_PRECONDITION_FAILED,
                                    _("The settings have changed since this version was read"));
      return;
    }
  before = settings_object (request, &settings);
  if (!roster_settings_update_from_json (&settings, roster_request_get_body (request), &error)
      || !roster_store_put_settings (store, &settings,
                                     version != 0 ? version : settings.version, &error)
      || (after = settings_object (request, &settings),
          !roster_audit_record (request, "update", "Settings", NULL, "Settings", before, after,
                                &error))
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Settings changed (version %" G_GINT64_FORMAT ")", settings.version);
  respond_settings (request, &settings);
}
