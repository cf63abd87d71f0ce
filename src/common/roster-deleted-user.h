/* roster-deleted-user.h: a user in Recently Deleted (GET /DeletedUsers), and the answer of
 * a restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "roster-user.h"

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_DELETED_USER "urn:roster:params:scim:schemas:core:2.0:DeletedUser"

#define ROSTER_TYPE_DELETED_USER (roster_deleted_user_get_type ())
G_DECLARE_FINAL_TYPE (RosterDeletedUser, roster_deleted_user, ROSTER, DELETED_USER, GObject)

RosterDeletedUser *roster_deleted_user_new_from_json      (JsonObject         *object,
                                                           GError            **error);
const char        *roster_deleted_user_get_id             (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_user_name      (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_display_name   (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_given_name     (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_family_name    (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_title          (RosterDeletedUser  *self);
const char        *roster_deleted_user_get_deleted_by     (RosterDeletedUser  *self);
GDateTime         *roster_deleted_user_get_deleted_at     (RosterDeletedUser  *self);
GDateTime         *roster_deleted_user_get_purge_at       (RosterDeletedUser  *self);
guint              roster_deleted_user_get_n_reassigned   (RosterDeletedUser  *self);
guint              roster_deleted_user_get_days_left      (RosterDeletedUser  *self,
                                                           GDateTime          *now);

RosterUser        *roster_deleted_user_parse_restored     (JsonObject         *answer,
                                                           guint              *n_reassigned,
                                                           GError            **error);
guint              roster_deleted_user_read_restore_window (JsonObject        *settings);

G_END_DECLS
