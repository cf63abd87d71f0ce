/* roster-group.h: a SCIM Group (a team or a group, Roster's extension says which)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define ROSTER_SCIM_SCHEMA_ROSTER_GROUP "urn:roster:params:scim:schemas:extension:crm:2.0:Group"

#define ROSTER_TYPE_GROUP (roster_group_get_type ())
G_DECLARE_FINAL_TYPE (RosterGroup, roster_group, ROSTER, GROUP, GObject)

RosterGroup *roster_group_new_from_json       (JsonObject  *object,
                                               GError     **error);
const char  *roster_group_get_id              (RosterGroup *self);
const char  *roster_group_get_display_name    (RosterGroup *self);
gboolean     roster_group_get_is_team         (RosterGroup *self);
const char  *roster_group_get_description     (RosterGroup *self);
const char *const *roster_group_get_permissions (RosterGroup *self);
gboolean     roster_group_has_permission      (RosterGroup *self,
                                               const char  *permission);
const char  *roster_group_get_version         (RosterGroup *self);
guint        roster_group_get_n_members       (RosterGroup *self);
const char  *roster_group_get_member_id       (RosterGroup *self,
                                               guint        index);
const char  *roster_group_get_member_display  (RosterGroup *self,
                                               guint        index);

JsonNode    *roster_group_new_create_body     (const char  *display_name,
                                               gboolean     team);
JsonNode    *roster_group_change_patch        (const char  *display_name,
                                               const char  *kind,
                                               const char  *description,
                                               const char *const *permissions);
JsonNode    *roster_group_member_patch        (const char  *user_id,
                                               gboolean     add);

G_END_DECLS
