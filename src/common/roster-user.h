/* roster-user.h: a SCIM 2.0 User as a GObject
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  ROSTER_USER_STATUS_PENDING,
  ROSTER_USER_STATUS_ACTIVE,
  ROSTER_USER_STATUS_INACTIVE,
  ROSTER_USER_STATUS_LOCKED,
} RosterUserStatus;

#define ROSTER_TYPE_USER_STATUS (roster_user_status_get_type ())
GType roster_user_status_get_type (void);

const char *roster_user_status_to_string   (RosterUserStatus status);
gboolean    roster_user_status_from_string (const char       *str,
                                            RosterUserStatus *status);
const char *roster_user_status_describe    (RosterUserStatus status);

#define ROSTER_TYPE_USER (roster_user_get_type ())
G_DECLARE_FINAL_TYPE (RosterUser, roster_user, ROSTER, USER, GObject)

RosterUser       *roster_user_new                (void);
RosterUser       *roster_user_new_placeholder    (void);
RosterUser       *roster_user_new_from_json      (JsonObject  *object,
                                                  GError     **error);
JsonNode         *roster_user_to_json            (RosterUser  *self,
                                                  const char  *password,
                                                  const char  *location);
void              roster_user_update_from        (RosterUser  *self,
                                                  RosterUser  *other);

gboolean          roster_user_get_placeholder    (RosterUser  *self);
const char       *roster_user_get_id             (RosterUser  *self);
void              roster_user_set_id             (RosterUser  *self,
                                                  const char  *id);
const char       *roster_user_get_user_name      (RosterUser  *self);
void              roster_user_set_user_name      (RosterUser  *self,
                                                  const char  *user_name);
const char       *roster_user_get_given_name     (RosterUser  *self);
void              roster_user_set_given_name     (RosterUser  *self,
                                                  const char  *given_name);
const char       *roster_user_get_family_name    (RosterUser  *self);
void              roster_user_set_family_name    (RosterUser  *self,
                                                  const char  *family_name);
const char       *roster_user_get_display_name   (RosterUser  *self);
void              roster_user_set_display_name   (RosterUser  *self,
                                                  const char  *display_name);
const char       *roster_user_get_email          (RosterUser  *self);
void              roster_user_set_email          (RosterUser  *self,
                                                  const char  *email);
gboolean          roster_user_get_active         (RosterUser  *self);
void              roster_user_set_active         (RosterUser  *self,
                                                  gboolean     active);
RosterUserStatus  roster_user_get_status         (RosterUser  *self);
void              roster_user_set_status         (RosterUser  *self,
                                                  RosterUserStatus status);
gboolean          roster_user_get_administrator  (RosterUser  *self);
void              roster_user_set_administrator  (RosterUser  *self,
                                                  gboolean     administrator);
GDateTime        *roster_user_get_created        (RosterUser  *self);
void              roster_user_set_created        (RosterUser  *self,
                                                  GDateTime   *created);
GDateTime        *roster_user_get_last_modified  (RosterUser  *self);
void              roster_user_set_last_modified  (RosterUser  *self,
                                                  GDateTime   *last_modified);
const char       *roster_user_get_version        (RosterUser  *self);
void              roster_user_set_version        (RosterUser  *self,
                                                  const char  *version);

/* More attributes, by property name ("employee-number", "department", "preferred-language",
 * "country", "manager-id", "manager-name", "secondary-manager-id", "secondary-manager-name",
 * "mobile", "skype", "street-address", "locality", "postal-code", "region",
 * "address-country", "photo", "lock-reason"): see roster-user.c for what each maps to. */
const char       *roster_user_get_string         (RosterUser  *self,
                                                  const char  *property);
void              roster_user_set_string         (RosterUser  *self,
                                                  const char  *property,
                                                  const char  *value);

const char *const *roster_user_get_roles         (RosterUser  *self);
const char *const *roster_user_get_role_names    (RosterUser  *self);
void              roster_user_set_roles          (RosterUser  *self,
                                                  const char *const *ids,
                                                  const char *const *names);
const char *const *roster_user_get_entitlements  (RosterUser  *self);
void              roster_user_set_entitlements   (RosterUser  *self,
                                                  const char *const *ids);
gboolean          roster_user_has_entitlement    (RosterUser  *self,
                                                  const char  *id);
const char *const *roster_user_get_group_ids     (RosterUser  *self);
const char *const *roster_user_get_group_names   (RosterUser  *self);
void              roster_user_add_groups         (RosterUser  *self,
                                                  const char *const *ids,
                                                  const char *const *names);
GStrv             roster_user_dup_groups_added   (RosterUser  *before,
                                                  RosterUser  *after,
                                                  GStrv       *names);
const char *const *roster_user_get_effective_permissions (RosterUser *self);
char             *roster_user_dup_permission_sources (RosterUser *self,
                                                      const char *permission);
gboolean          roster_user_has_work_address   (RosterUser  *self);
void              roster_user_add_work_address   (RosterUser  *self,
                                                  JsonBuilder *builder);
GDateTime        *roster_user_get_lock_since     (RosterUser  *self);
GDateTime        *roster_user_get_last_login     (RosterUser  *self);
GDateTime        *roster_user_get_password_expires (RosterUser *self);
gboolean          roster_user_get_must_change_password (RosterUser *self);

char             *roster_user_title_for          (const char  *display_name,
                                                  const char  *given_name,
                                                  const char  *family_name,
                                                  const char  *user_name);
char             *roster_user_dup_formatted_name (RosterUser  *self);
const char       *roster_user_get_title          (RosterUser  *self);

G_END_DECLS
