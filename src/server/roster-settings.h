/* roster-settings.h: the server's policy settings (GET/PUT /scim/v2/Settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_SETTINGS "urn:roster:params:scim:schemas:core:2.0:Settings"

/**
 * RosterSettings:
 * @version: bumped by every write; meta.version and the ETag
 * @lockout_threshold: consecutive wrong passwords allowed; one more locks the account
 * @inactivity_lock_days: days without a sign-in before the account is locked (0: never)
 * @password_max_age_days: days a password is valid (0: never expires)
 * @password_history: how many recent passwords (the current one included) cannot be reused
 * @session_idle_minutes: a session unused this long ends
 * @session_absolute_hours: a session ends this long after sign-in; 0 means the config's
 *   token-lifetime
 * @password_min_quality: the lowest libpwquality score accepted (0: whatever its default
 *   settings pass)
 * @require_two_factor_admins: 1 if administrators must sign in with TOTP (a boolean on the
 *   wire: requireTwoFactorForAdministrators)
 * @max_active_users: the allowance: how many users may be active at once (0: unlimited)
 * @administrators_count: 1 if administrators take a seat of the allowance, 0 if not
 * @restore_window_days: how long a deleted user can be restored before it is purged
 * @activation_link_days: days an invitation or verification link stays valid
 */
typedef struct
{
  gint64 version;
  gint64 lockout_threshold;
  gint64 inactivity_lock_days;
  gint64 password_max_age_days;
  gint64 password_history;
  gint64 session_idle_minutes;
  gint64 session_absolute_hours;
  gint64 password_min_quality;
  gint64 require_two_factor_admins;
  gint64 max_active_users;
  gint64 administrators_count;
  gint64 restore_window_days;
  gint64 activation_link_days;
} RosterSettings;

void      roster_settings_init_defaults    (RosterSettings       *self);
gboolean  roster_settings_update_from_json (RosterSettings       *self,
                                            JsonObject           *object,
                                            GError              **error);
JsonNode *roster_settings_to_json          (const RosterSettings *self,
                                            gint64                token_lifetime,
                                            const char           *location);
gint64    roster_settings_session_lifetime (const RosterSettings *self,
                                            gint64                token_lifetime);
char     *roster_settings_dup_etag         (const RosterSettings *self);
void      roster_settings_date_password    (const RosterSettings *self,
                                            JsonObject           *ext);

G_END_DECLS
