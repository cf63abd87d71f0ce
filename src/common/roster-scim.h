/* roster-scim.h: SCIM 2.0 schema URNs and the JSON shapes shared by server and client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-error.h"

G_BEGIN_DECLS

#define ROSTER_SCIM_CONTENT_TYPE   "application/scim+json"
#define ROSTER_SCIM_SCHEMA_USER    "urn:ietf:params:scim:schemas:core:2.0:User"
#define ROSTER_SCIM_SCHEMA_ENTERPRISE_USER \
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define ROSTER_SCIM_SCHEMA_ROSTER_USER "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define ROSTER_SCIM_SCHEMA_SPC \
  "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
#define ROSTER_SCIM_MESSAGE_LIST   "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define ROSTER_SCIM_MESSAGE_ERROR  "urn:ietf:params:scim:api:messages:2.0:Error"
#define ROSTER_SCIM_MESSAGE_ROSTER_ERROR "urn:roster:params:scim:api:messages:2.0:Error"

/* JSON object helpers that type-check instead of trusting the peer. */
const char *roster_json_get_string  (JsonObject  *object,
                                     const char  *member,
                                     GError     **error);
gboolean    roster_json_get_boolean (JsonObject  *object,
                                     const char  *member,
                                     gboolean     default_value,
                                     GError     **error);
JsonObject *roster_json_get_object  (JsonObject  *object,
                                     const char  *member,
                                     GError     **error);
JsonArray  *roster_json_get_array   (JsonObject  *object,
                                     const char  *member,
                                     GError     **error);
GStrv       roster_json_array_dup_strings (JsonArray *array);
JsonNode   *roster_json_parse       (const char  *data,
                                     gsize        length,
                                     GError     **error);
char       *roster_json_to_string   (JsonNode    *node,
                                     gsize       *length);
JsonNode   *roster_json_new_strings (const char  *first_member,
                                     ...) G_GNUC_NULL_TERMINATED;

JsonNode   *roster_scim_set_password_new (const char *password,
                                         gboolean    must_change);

JsonNode   *roster_scim_error_new   (RosterErrorCode code,
                                     const char     *detail);
void        roster_scim_error_parse (JsonNode       *node,
                                     guint           http_status,
                                     GError        **error);

JsonNode   *roster_scim_list_new    (GPtrArray      *resources,
                                     guint           total_results,
                                     guint           start_index);
GBytes     *roster_scim_list_join   (GPtrArray      *resources,
                                     guint           total_results,
                                     guint           start_index);
char       *roster_scim_search_filter_new (const char *text);
char       *roster_scim_filter_eq_new     (const char *attribute,
                                          const char *value);
char       *roster_scim_user_list_filter_new (const char *search,
                                             const char *status,
                                             const char *role_id,
                                             const char *team_id);

JsonArray  *roster_scim_list_parse  (JsonNode       *node,
                                     guint          *total_results,
                                     guint          *start_index,
                                     GError        **error);

G_END_DECLS
