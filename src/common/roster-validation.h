/* roster-validation.h: the rules for user input, checked alike by rosterd and the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROSTER_USER_NAME_MAX_LENGTH 64
#define ROSTER_PASSWORD_MIN_LENGTH 8
#define ROSTER_PASSWORD_MAX_LENGTH 256

gboolean roster_validate_user_name (const char  *user_name,
                                    GError     **error);
gboolean roster_validate_email     (const char  *email,
                                    GError     **error);
gboolean roster_validate_password  (const char  *password,
                                    GError     **error);
gboolean roster_validate_phone     (const char  *phone,
                                    GError     **error);
char    *roster_user_name_fold     (const char  *user_name);

G_END_DECLS
