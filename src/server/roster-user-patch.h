/* roster-user-patch.h: PATCH /Users/{id} (RFC 7644 §3.5.2) on a stored resource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-schema.h"

G_BEGIN_DECLS

#define ROSTER_SCIM_MESSAGE_PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"

gboolean roster_user_patch_apply (JsonObject  *resource,
                                  JsonObject  *patch,
                                  char       **password,
                                  GError     **error);

gboolean roster_resource_patch_apply (const RosterSchema *const *schemas,
                                      JsonObject                *resource,
                                      JsonObject                *patch,
                                      char                     **password,
                                      GError                   **error);

G_END_DECLS
