/* roster-allowance.c: the allowance of active users (maxActiveUsers)
 *
 * A user takes a seat while "active" is true (pending and locked accounts included: they
 * are meant to work), administrators only when administratorsCountTowardsAllowance is on.
 * The check runs inside the writing transaction, after the write, so two creates at once
 * cannot both take the last seat: whatever made a user take a seat is refused when the
 * seats in use then exceed the allowance, and the caller rolls back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-allowance.h"
#include "roster-scim.h"
#include "roster-user-resource.h"

static gboolean
takes_seat (JsonObject *resource, const RosterSettings *settings)
{
  if (resource == NULL || !roster_user_resource_get_boolean (resource, NULL, "active", TRUE))
    return FALSE;
  return settings->administrators_count
         || !roster_user_resource_get_boolean (resource, ROSTER_SCIM_SCHEMA_ROSTER_USER,
                                               "administrator", FALSE);
}

/**
 * roster_allowance_get_used:
 *
 * How many seats are in use now.
 */
gboolean
roster_allowance_get_used (RosterStore *store, const RosterSettings *settings, gint64 *used,
                           GError **error)
{
  *used = roster_store_count_seats (store, settings->administrators_count != 0, error);
  return *used >= 0;
}

/**
 * roster_allowance_check:
 * @before: (nullable): the user before the write (%NULL: a new user)
 * @after: the user as just written, in the caller's open transaction
 *
 * Refuses with %ROSTER_ERROR_SEAT_LIMIT a write that made a user take a seat when that
 * puts the seats in use past maxActiveUsers. Writes that do not take a seat always pass,
 * so an administrator can still deactivate users on a server over its allowance.
 */
gboolean
roster_allowance_check (RosterStore *store, JsonObject *before, JsonObject *after, GError **error)
{
  RosterSettings settings;
  gint64 used = 0;

  if (!roster_store_get_settings (store, &settings, error))
    return FALSE;
  if (settings.max_active_users == 0 || takes_seat (before, &settings)
      || !takes_seat (after, &settings))
    return TRUE;
  if (!roster_allowance_get_used (store, &settings, &used, error))
    return FALSE;
  if (used <= settings.max_active_users)
    return TRUE;
  /* Translators: the numbers of the allowance of active users, before the refused change. */
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_SEAT_LIMIT,
               ngettext ("%d of %d seat is in use: deactivate a user or raise maxActiveUsers",
                         "%d of %d seats are in use: deactivate a user or raise maxActiveUsers",
                         (unsigned long) settings.max_active_users),
               (int) (used - 1), (int) settings.max_active_users);
  return FALSE;
}
