/* roster-scim-path.h: PATCH operation paths (RFC 7644 §3.5.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-scim-filter.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SCIM_PATH (roster_scim_path_get_type ())

/**
 * RosterScimPath:
 *
 * A parsed PATCH "path": `attrPath`, or `valuePath [ "." subAttr ]`, each with an optional
 * schema URN prefix. Immutable and reference counted.
 */
typedef struct _RosterScimPath RosterScimPath;

GType                     roster_scim_path_get_type        (void) G_GNUC_CONST;

RosterScimPath           *roster_scim_path_parse           (const char                *text,
                                                            GError                   **error);
RosterScimPath           *roster_scim_path_ref             (RosterScimPath            *path);
void                      roster_scim_path_unref           (RosterScimPath            *path);

const RosterScimAttrPath *roster_scim_path_get_attr_path   (RosterScimPath            *path);
RosterScimFilter         *roster_scim_path_get_filter      (RosterScimPath            *path);
gboolean                  roster_scim_path_match_value     (RosterScimPath            *path,
                                                            JsonNode                  *value,
                                                            RosterScimAttributeLookup  lookup,
                                                            gpointer                   user_data,
                                                            GError                   **error);
char                     *roster_scim_path_to_string       (RosterScimPath            *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterScimPath, roster_scim_path_unref)

G_END_DECLS
