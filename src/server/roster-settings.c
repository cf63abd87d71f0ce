/* roster-settings.c: the server's policy settings
 *
 * Every threshold of the sign-in and password policies lives here, with its default and
 * its valid range, so the table below is the one place that says what an administrator
 * may set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-clock.h"
#include "roster-error.h"
#include "roster-settings.h"

typedef struct
{
  const char *name;
  gsize offset;
  gint64 default_value;
  gint64 min;
  gint64 max;
  gboolean boolean; /* 0 or 1, true or false on the wire */
} SettingInfo;

#define FIELD(f) G_STRUCT_OFFSET (RosterSettings, f)

static const SettingInfo settings[] = {
  { "lockoutThreshold", FIELD (lockout_threshold), 5, 1, 100 },
  { "inactivityLockDays", FIELD (inactivity_lock_days), 90, 0, 3650 },
  { "passwordMaxAgeDays", FIELD (password_max_age_days), 120, 0, 3650 },
  { "passwordHistory", FIELD (password_history), 5, 0, 24 },
  { "sessionIdleMinutes", FIELD (session_idle_minutes), 480, 1, 43200 },
  /* 0 (the default) stands for the config's token-lifetime; clients see it in hours. */
  { "sessionAbsoluteHours", FIELD (session_absolute_hours), 0, 1, 8760 },
  { "passwordMinQuality", FIELD (password_min_quality), 0, 0, 100 },
  { "requireTwoFactorForAdministrators", FIELD (require_two_factor_admins), 0, 0, 1, TRUE },
  /* 0 (the default): no limit. */
  { "maxActiveUsers", FIELD (max_active_users), 0, 0, 1000000 },
  { "administratorsCountTowardsAllowance", FIELD (administrators_count), 1, 0, 1, TRUE },
  { "restoreWindowDays", FIELD (restore_window_days), 14, 1, 3650 },
  { "activationLinkDays", FIELD (activation_link_days), 7, 1, 365 },
};

#define VALUE(self, info) (*(gint64 *) G_STRUCT_MEMBER_P ((self), (info)->offset))

void
roster_settings_init_defaults (RosterSettings *self)
{
  self->version = 1;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    VALUE (self, &settings[i]) = settings[i].default_value;
}

/**
 * roster_settings_update_from_json:
 *
 * Reads a PUT body: every setting it names must be an integer in range; the ones it leaves
 * out go back to their defaults (PUT replaces). On error, @self is unchanged.
 */
gboolean
roster_settings_update_from_json (RosterSettings *self, JsonObject *object, GError **error)
{
  RosterSettings result;
  g_autoptr(GList) members = json_object_get_members (object);

  roster_settings_init_defaults (&result);
  result.version = self->version;
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      /* seats is computed: a client may send back what it read. */
      gboolean known = g_str_equal (name, "schemas") || g_str_equal (name, "meta")
                       || g_str_equal (name, "id") || g_str_equal (name, "seats");

      for (guint i = 0; !known && i < G_N_ELEMENTS (settings); i++)
        known = g_str_equal (name, settings[i].name);
      if (!known)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                       _("“%s” is not a setting"), name);
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const SettingInfo *info = &settings[i];
      JsonNode *node = json_object_get_member (object, info->name);
      gint64 value;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (info->boolean)
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            {
              g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           _("“%s” must be true or false"), info->name);
              return FALSE;
            }
          VALUE (&result, info) = json_node_get_boolean (node) ? 1 : 0;
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("“%s” must be a whole number"), info->name);
          return FALSE;
        }
      value = json_node_get_int (node);
      if (value < info->min || value > info->max)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("“%s” must be between %lld and %lld"), info->name,
                       (long long) info->min, (long long) info->max);
          return FALSE;
        }
      VALUE (&result, info) = value;
    }
  *self = result;
  return TRUE;
}

char *
roster_settings_dup_etag (const RosterSettings *self)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", self->version);
}

/**
 * roster_settings_session_lifetime:
 *
 * Returns: how long a new session lasts at most, in seconds
 */
gint64
roster_settings_session_lifetime (const RosterSettings *self, gint64 token_lifetime)
{
  return self->session_absolute_hours > 0 ? self->session_absolute_hours * 3600
                                          : token_lifetime;
}

JsonNode *
roster_settings_to_json (const RosterSettings *self, gint64 token_lifetime,
                         const char *location)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *version = roster_settings_dup_etag (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_SETTINGS);
  json_builder_end_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      gint64 value = VALUE (self, &settings[i]);

      if (settings[i].offset == FIELD (session_absolute_hours) && value == 0)
        value = MAX (1, (token_lifetime + 3599) / 3600);
      json_builder_set_member_name (builder, settings[i].name);
      if (settings[i].boolean)
        json_builder_add_boolean_value (builder, value != 0);
      else
        json_builder_add_int_value (builder, value);
    }
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Settings");
  json_builder_set_member_name (builder, "location");
  json_builder_add_string_value (builder, location);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, version);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_settings_date_password:
 * @ext: the Roster extension of a user resource
 *
 * Sets passwordChangedAt to now and passwordExpiresAt to passwordMaxAgeDays later (removes
 * it when passwords do not expire).
 */
void
roster_settings_date_password (const RosterSettings *self, JsonObject *ext)
{
  g_autoptr(GDateTime) now = roster_clock_now_utc ();
  g_autofree char *changed = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  json_object_set_string_member (ext, "passwordChangedAt", changed);
  if (self->password_max_age_days > 0)
    {
      g_autoptr(GDateTime) expires = g_date_time_add_days (now, (int) self->password_max_age_days);
      g_autofree char *expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");

      json_object_set_string_member (ext, "passwordExpiresAt", expires_text);
    }
  else if (json_object_has_member (ext, "passwordExpiresAt"))
    json_object_remove_member (ext, "passwordExpiresAt");
}
