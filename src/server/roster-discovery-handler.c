/* roster-discovery-handler.c: /scim/v2/ServiceProviderConfig (RFC 7643 §5)
 *
 * Says only what this rosterd really does: clients hide what is not supported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-handlers.h"
#include "roster-scim.h"
#include "roster-server.h"

static void
add_supported (JsonBuilder *builder, const char *feature, gboolean supported)
{
  json_builder_set_member_name (builder, feature);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "supported");
  json_builder_add_boolean_value (builder, supported);
  if (g_str_equal (feature, "bulk"))
    {
      json_builder_set_member_name (builder, "maxOperations");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "maxPayloadSize");
      json_builder_add_int_value (builder, 0);
    }
  else if (g_str_equal (feature, "filter"))
    {
      json_builder_set_member_name (builder, "maxResults");
      json_builder_add_int_value (builder, 1000);
    }
  json_builder_end_object (builder);
}

void
roster_discovery_handle_spc (RosterRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = g_strconcat (
    roster_server_get_base_url (roster_request_get_server (request)),
    "/scim/v2/ServiceProviderConfig", NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_SPC);
  json_builder_end_array (builder);
  add_supported (builder, "patch", FALSE);
  add_supported (builder, "bulk", FALSE);
  add_supported (builder, "filter", FALSE);
  add_supported (builder, "changePassword", FALSE);
  add_supported (builder, "sort", FALSE);
  /* Resources carry meta.version and an ETag header; If-Match is not checked yet. */
  add_supported (builder, "etag", TRUE);

  json_builder_set_member_name (builder, "authenticationSchemes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "oauthbearertoken");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "OAuth Bearer Token");
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, "Authentication with a bearer token (RFC 6750) from "
                                          "POST /auth/token or POST /setup");
  json_builder_set_member_name (builder, "specUri");
  json_builder_add_string_value (builder, "https://www.rfc-editor.org/rfc/rfc6750");
  json_builder_set_member_name (builder, "primary");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "ServiceProviderConfig");
  json_builder_set_member_name (builder, "location");
  json_builder_add_string_value (builder, location);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  roster_request_respond_json (request, 200, node);
}
