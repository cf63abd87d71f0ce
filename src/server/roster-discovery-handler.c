/* roster-discovery-handler.c: /ServiceProviderConfig, /Schemas and /ResourceTypes
 * (RFC 7643 §5–7, RFC 7644 §4)
 *
 * Says only what this rosterd really does: clients hide what is not supported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-handlers.h"
#include "roster-schema.h"
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
      json_builder_add_int_value (builder, ROSTER_BULK_MAX_OPERATIONS);
      json_builder_set_member_name (builder, "maxPayloadSize");
      json_builder_add_int_value (builder, ROSTER_BULK_MAX_PAYLOAD_SIZE);
    }
  else if (g_str_equal (feature, "filter"))
    {
      json_builder_set_member_name (builder, "maxResults");
      json_builder_add_int_value (builder, ROSTER_USERS_MAX_COUNT);
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
  add_supported (builder, "patch", TRUE);
  add_supported (builder, "bulk", TRUE);
  add_supported (builder, "filter", TRUE);
  /* Users change their own password with POST /auth/password, not with SCIM. */
  add_supported (builder, "changePassword", FALSE);
  add_supported (builder, "sort", TRUE);
  /* meta.version and ETag; If-Match answers 412 when stale, If-None-Match 304. */
  add_supported (builder, "etag", TRUE);

  json_builder_set_member_name (builder, "authenticationSchemes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "oauthbearertoken");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "OAuth Bearer Token");
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, _("Authentication with a bearer token (RFC 6750) from "
                                            "POST /auth/token or POST /setup"));
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

static char *
base_url (RosterRequest *request)
{
  return g_strdup (roster_server_get_base_url (roster_request_get_server (request)));
}

/* GET /Schemas: every schema of every resource type, as a ListResponse (RFC 7644 §4). */
void
roster_discovery_handle_schemas (RosterRequest *request)
{
  g_autoptr(GPtrArray) schemas = roster_schema_all ();
  g_autoptr(GPtrArray) resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *base = base_url (request);
  g_autoptr(JsonNode) list = NULL;

  for (guint i = 0; i < schemas->len; i++)
    g_ptr_array_add (resources, roster_schema_to_json (g_ptr_array_index (schemas, i), base));
  list = roster_scim_list_new (resources, resources->len, 1);
  roster_request_respond_json (request, 200, list);
}

/* GET /Schemas/{urn} */
void
roster_discovery_handle_schema (RosterRequest *request)
{
  const RosterSchema *schema = roster_schema_find (roster_request_get_param (request, 0));
  g_autofree char *base = base_url (request);
  g_autoptr(JsonNode) node = NULL;

  if (schema == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND,
                                    _("This server has no schema with this id"));
      return;
    }
  node = roster_schema_to_json (schema, base);
  roster_request_respond_json (request, 200, node);
}

/* GET /ResourceTypes */
void
roster_discovery_handle_resource_types (RosterRequest *request)
{
  g_autofree char *base = base_url (request);
  g_autoptr(GPtrArray) resources = roster_schema_resource_types (base);
  g_autoptr(JsonNode) list = NULL;

  list = roster_scim_list_new (resources, resources->len, 1);
  roster_request_respond_json (request, 200, list);
}

/* GET /ResourceTypes/{name} */
void
roster_discovery_handle_resource_type (RosterRequest *request)
{
  g_autofree char *base = base_url (request);
  g_autoptr(JsonNode) node = roster_schema_resource_type (roster_request_get_param (request, 0),
                                                          base);

  if (node == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND,
                                    _("This server has no resource type with this name"));
      return;
    }
  roster_request_respond_json (request, 200, node);
}
