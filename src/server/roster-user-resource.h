/* roster-user-resource.h: a User as rosterd stores it, a canonical JSON object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-schema.h"

G_BEGIN_DECLS

/**
 * RosterResourceMode:
 * @ROSTER_RESOURCE_INPUT: from a client (POST, PUT): read-only attributes are dropped
 * @ROSTER_RESOURCE_STORED: already stored, or patched from a stored one: read-only
 *   attributes are kept
 */
typedef enum
{
  ROSTER_RESOURCE_INPUT,
  ROSTER_RESOURCE_STORED,
} RosterResourceMode;

JsonObject *roster_user_resource_normalize       (JsonObject             *input,
                                                  RosterResourceMode      mode,
                                                  char                  **password,
                                                  GError                **error);
JsonNode   *roster_user_resource_normalize_value (const RosterAttribute  *attribute,
                                                  JsonNode               *node,
                                                  RosterResourceMode      mode,
                                                  const char             *where,
                                                  GError                **error);
gboolean    roster_user_resource_check           (JsonObject             *resource,
                                                  GError                **error);
void        roster_user_resource_keep_read_only  (JsonObject             *resource,
                                                  JsonObject             *stored);
JsonObject *roster_user_resource_get_extension   (JsonObject             *resource,
                                                  const char             *urn,
                                                  gboolean                create);
const char *roster_user_resource_get_string      (JsonObject             *resource,
                                                  const char             *urn,
                                                  const char             *attribute,
                                                  const char             *sub_attribute);
gboolean    roster_user_resource_get_boolean     (JsonObject             *resource,
                                                  const char             *urn,
                                                  const char             *attribute,
                                                  gboolean                default_value);
const char *roster_user_resource_primary_email   (JsonObject             *resource);
JsonObject *roster_user_resource_copy            (JsonObject             *resource);

G_END_DECLS
