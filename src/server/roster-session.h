/* roster-session.h: one signed-in session, as the store keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterSession:
 * @token_hash: SHA-256 hex of the bearer token (the token itself is never stored)
 * @user_id: the signed-in user
 * @created: when the session was created
 * @expires: when the token stops working (absolute)
 * @user_agent: (nullable): the client's User-Agent, for a future session list
 * @peer_address: (nullable): the client's address
 */
typedef struct
{
  char *token_hash;
  char *user_id;
  GDateTime *created;
  GDateTime *expires;
  char *user_agent;
  char *peer_address;
} RosterSession;

RosterSession *roster_session_new        (const char    *token_hash,
                                          const char    *user_id,
                                          GDateTime     *created,
                                          GDateTime     *expires,
                                          const char    *user_agent,
                                          const char    *peer_address);
void           roster_session_free       (RosterSession *self);
gboolean       roster_session_is_expired (RosterSession *self,
                                          GDateTime     *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSession, roster_session_free)

G_END_DECLS
