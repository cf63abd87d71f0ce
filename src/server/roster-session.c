/* roster-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include "roster-session.h"

RosterSession *
roster_session_new (const char *token_hash, const char *user_id, GDateTime *created,
                    GDateTime *expires, const char *user_agent, const char *peer_address)
{
  RosterSession *self = g_new0 (RosterSession, 1);

  g_return_val_if_fail (token_hash != NULL && user_id != NULL, NULL);
  g_return_val_if_fail (created != NULL && expires != NULL, NULL);

  self->token_hash = g_strdup (token_hash);
  self->user_id = g_strdup (user_id);
  self->created = g_date_time_ref (created);
  self->expires = g_date_time_ref (expires);
  self->user_agent = g_strdup (user_agent);
  self->peer_address = g_strdup (peer_address);
  self->id = g_uuid_string_random ();
  self->last_used = g_date_time_ref (created);
  return self;
}

void
roster_session_free (RosterSession *self)
{
  if (self == NULL)
    return;
  g_free (self->token_hash);
  g_free (self->user_id);
  g_date_time_unref (self->created);
  g_date_time_unref (self->expires);
  g_free (self->user_agent);
  g_free (self->peer_address);
  g_free (self->id);
  g_date_time_unref (self->last_used);
  g_free (self);
}

/* Sets what the store read back for an existing session. */
void
roster_session_set_stored (RosterSession *self, const char *id, GDateTime *last_used,
                           gboolean password_change_required)
{
  g_free (self->id);
  self->id = g_strdup (id != NULL ? id : "");
  g_date_time_unref (self->last_used);
  self->last_used = g_date_time_ref (last_used);
  self->password_change_required = !!password_change_required;
}

/* A session is valid up to, not including, its expiry second. */
gboolean
roster_session_is_expired (RosterSession *self, GDateTime *now)
{
  return g_date_time_compare (now, self->expires) >= 0;
}

/* Whether a use at @now should be recorded as the session's last use (see
 * ROSTER_SESSION_TOUCH_INTERVAL_SECONDS). */
gboolean
roster_session_touch_due (RosterSession *self, GDateTime *now)
{
  return g_date_time_difference (now, self->last_used)
         >= ROSTER_SESSION_TOUCH_INTERVAL_SECONDS * G_TIME_SPAN_SECOND;
}
