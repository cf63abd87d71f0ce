/* roster-session.h: one signed-in session, as the store keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* last_used is written at most this often, so that most requests only read the session. */
#define ROSTER_SESSION_TOUCH_INTERVAL_SECONDS 60

/**
 * RosterSession:
 * @token_hash: SHA-256 hex of the bearer token (the token itself is never stored)
 * @user_id: the signed-in user
 * @created: when the session was created
 * @expires: when the token stops working (absolute)
 * @user_agent: (nullable): the client's User-Agent, for a future session list
 * @peer_address: (nullable): the client's address
 * @id: a stable id that names the session in lists without revealing anything about the token
 * @last_used: when the session was last used (to within a minute)
 * @password_change_required: the session may only change the user's password
 * @two_factor_setup_required: not stored: at sign-in, the user is an administrator who must
 *   enrol in two-factor sign-in before anything else (the token response says so)
 */
typedef struct
{
  char *token_hash;
  char *user_id;
  GDateTime *created;
  GDateTime *expires;
  char *user_agent;
  char *peer_address;
  char *id;
  GDateTime *last_used;
  gboolean password_change_required;
  gboolean two_factor_setup_required;
} RosterSession;

RosterSession *roster_session_new        (const char    *token_hash,
                                          const char    *user_id,
                                          GDateTime     *created,
                                          GDateTime     *expires,
                                          const char    *user_agent,
                                          const char    *peer_address);
void           roster_session_free       (RosterSession *self);
void           roster_session_set_stored (RosterSession *self,
                                          const char    *id,
                                          GDateTime     *last_used,
                                          gboolean       password_change_required);
gboolean       roster_session_is_expired (RosterSession *self,
                                          GDateTime     *now);
gboolean       roster_session_touch_due  (RosterSession *self,
                                          GDateTime     *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSession, roster_session_free)

G_END_DECLS
