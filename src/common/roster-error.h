/* roster-error.h: the one error domain shared by rosterd, libroster-client and roster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROSTER_ERROR (roster_error_quark ())

/**
 * RosterErrorCode:
 *
 * Every failure rosterd reports has one of these codes. On the wire it travels as a stable
 * string (see roster_error_code_to_string()) in the Roster extension of the SCIM error
 * message, so clients can translate it; the HTTP status and scimType come from the same
 * table. Keep the strings stable: other tools depend on them.
 */
typedef enum
{
  ROSTER_ERROR_FAILED,
  ROSTER_ERROR_INVALID_SYNTAX,
  ROSTER_ERROR_INVALID_VALUE,
  ROSTER_ERROR_MISSING_ATTRIBUTE,
  ROSTER_ERROR_MUTABILITY,
  ROSTER_ERROR_INVALID_FILTER,
  ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE,
  ROSTER_ERROR_PAYLOAD_TOO_LARGE,
  ROSTER_ERROR_USER_NAME_TAKEN,
  ROSTER_ERROR_NOT_FOUND,
  ROSTER_ERROR_METHOD_NOT_ALLOWED,
  ROSTER_ERROR_UNAUTHENTICATED,
  ROSTER_ERROR_INVALID_CREDENTIALS,
  ROSTER_ERROR_TOKEN_EXPIRED,
  ROSTER_ERROR_FORBIDDEN,
  ROSTER_ERROR_SETUP_COMPLETE,
  ROSTER_ERROR_INVALID_SETUP_TOKEN,
  ROSTER_ERROR_STORE,
  ROSTER_ERROR_INVALID_PATH,
  ROSTER_ERROR_NO_TARGET,
  ROSTER_ERROR_PRECONDITION_FAILED,
  ROSTER_ERROR_TOO_MANY,
  ROSTER_ERROR_LAST_ADMINISTRATOR,
  ROSTER_ERROR_ROLE_IN_USE,
  ROSTER_ERROR_ROLE_NAME_TAKEN,
  ROSTER_ERROR_WEAK_PASSWORD,
  ROSTER_ERROR_PASSWORD_REUSED,
  ROSTER_ERROR_PASSWORD_CHANGE_REQUIRED,
  ROSTER_ERROR_BULK_CIRCULAR_REFERENCE,
  ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE,
  ROSTER_ERROR_TOTP_REQUIRED,
  ROSTER_ERROR_TOTP_INVALID,
  ROSTER_ERROR_TWO_FACTOR_SETUP_REQUIRED,
  ROSTER_ERROR_TWO_FACTOR_ENABLED,
  ROSTER_ERROR_RECORDS_UNASSIGNED,
  ROSTER_ERROR_SEAT_LIMIT,
  ROSTER_ERROR_NO_EMAIL_ADDRESS,
  ROSTER_ERROR_NOT_PENDING,
  ROSTER_ERROR_STORE_UNAVAILABLE,
  /* Client-side only: never sent by rosterd. */
  ROSTER_ERROR_UNREACHABLE,
  ROSTER_ERROR_TLS,
  ROSTER_ERROR_PROTOCOL,
  ROSTER_ERROR_LOCAL_SERVER,
  ROSTER_ERROR_N_CODES
} RosterErrorCode;

GQuark          roster_error_quark              (void);

const char     *roster_error_code_to_string     (RosterErrorCode code);
RosterErrorCode roster_error_code_from_string   (const char *str);
guint           roster_error_code_http_status   (RosterErrorCode code);
const char     *roster_error_code_scim_type     (RosterErrorCode code);
RosterErrorCode roster_error_code_from_http_status (guint status);

const char     *roster_error_code_describe      (RosterErrorCode code);

gboolean        roster_error_is_unavailable     (const GError *error);

G_END_DECLS
