/* roster-sign-in-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SIGN_IN_PAGE (roster_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterSignInPage, roster_sign_in_page, ROSTER, SIGN_IN_PAGE, GtkWidget)

RosterClient *roster_sign_in_page_get_client (RosterSignInPage *self);
void          roster_sign_in_page_set_client (RosterSignInPage *self,
                                              RosterClient     *client);
void          roster_sign_in_page_prepare    (RosterSignInPage *self,
                                              const char       *user_name,
                                              const char       *message);

void          roster_sign_in_page_set_server_title (RosterSignInPage *self,
                                                    const char       *title);

G_END_DECLS
