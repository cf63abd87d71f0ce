/* roster-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-error.h"

G_DEFINE_QUARK (roster-error-quark, roster_error)

typedef struct
{
  RosterErrorCode code;
  const char *string;
  guint http_status;
  const char *scim_type; /* RFC 7644 §3.12, or NULL */
  const char *message;
} ErrorInfo;

/* Indexed by RosterErrorCode; the test suite checks the order. */
static const ErrorInfo error_table[] = {
  { ROSTER_ERROR_FAILED, "failed", 500, NULL,
    N_("Something went wrong on the server. Try again later.") },
  { ROSTER_ERROR_INVALID_SYNTAX, "invalid-syntax", 400, "invalidSyntax",
    N_("The request could not be read.") },
  { ROSTER_ERROR_INVALID_VALUE, "invalid-value", 400, "invalidValue",
    N_("A value is not valid.") },
  { ROSTER_ERROR_MISSING_ATTRIBUTE, "missing-attribute", 400, "invalidValue",
    N_("A required field is empty.") },
  { ROSTER_ERROR_MUTABILITY, "mutability", 400, "mutability",
    N_("A read-only field cannot be changed.") },
  { ROSTER_ERROR_INVALID_FILTER, "invalid-filter", 400, "invalidFilter",
    N_("The search could not be understood.") },
  { ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", 415, NULL,
    N_("The request was sent in a format the server does not accept.") },
  /* RFC 7644 §3.7.4 answers 413 without a scimType: "tooLarge" is not one of its Table 9. */
  { ROSTER_ERROR_PAYLOAD_TOO_LARGE, "payload-too-large", 413, NULL,
    N_("The request is too large.") },
  { ROSTER_ERROR_USER_NAME_TAKEN, "user-name-taken", 409, "uniqueness",
    N_("This username is already taken.") },
  { ROSTER_ERROR_NOT_FOUND, "not-found", 404, NULL,
    N_("It no longer exists on the server.") },
  { ROSTER_ERROR_METHOD_NOT_ALLOWED, "method-not-allowed", 405, NULL,
    N_("The server does not allow this operation.") },
  { ROSTER_ERROR_UNAUTHENTICATED, "unauthenticated", 401, NULL,
    N_("You are not signed in.") },
  { ROSTER_ERROR_INVALID_CREDENTIALS, "invalid-credentials", 401, NULL,
    N_("The username or password is wrong.") },
  { ROSTER_ERROR_TOKEN_EXPIRED, "token-expired", 401, NULL,
    N_("Your session has ended. Sign in again.") },
  { ROSTER_ERROR_FORBIDDEN, "forbidden", 403, NULL,
    N_("You are not allowed to do this.") },
  { ROSTER_ERROR_SETUP_COMPLETE, "setup-complete", 403, NULL,
    N_("This server has already been set up.") },
  { ROSTER_ERROR_INVALID_SETUP_TOKEN, "invalid-setup-token", 403, NULL,
    N_("The setup token is wrong.") },
  { ROSTER_ERROR_STORE, "store-error", 500, NULL,
    N_("The server could not save the change. Nothing was changed.") },
  /* RFC 7644 §3.5.2: a PATCH path that is malformed or names no attribute. */
  { ROSTER_ERROR_INVALID_PATH, "invalid-path", 400, "invalidPath",
    N_("The change names a field that does not exist.") },
  /* RFC 7644 §3.5.2: a PATCH path filter that matched no value. */
  { ROSTER_ERROR_NO_TARGET, "no-target", 400, "noTarget",
    N_("The change matched nothing to change.") },
  /* RFC 7644 §3.14: If-Match named a version that is no longer current. */
  { ROSTER_ERROR_PRECONDITION_FAILED, "precondition-failed", 412, NULL,
    N_("Someone else changed this in the meantime. Reload and try again.") },
  /* RFC 7644 §3.4.2: more results than the server is willing to count or return. */
  { ROSTER_ERROR_TOO_MANY, "too-many", 400, "tooMany",
    N_("The search matched too many results; narrow it down.") },
  /* The change would leave the server without an active administrator. */
  { ROSTER_ERROR_LAST_ADMINISTRATOR, "last-administrator", 409, NULL,
    N_("This is the last active administrator. Make someone else an administrator first.") },
  /* DELETE /Roles/{id} without ?force=true while users still have the role. */
  { ROSTER_ERROR_ROLE_IN_USE, "role-in-use", 409, NULL,
    N_("Users still have this role. Remove it from them first.") },
  { ROSTER_ERROR_ROLE_NAME_TAKEN, "role-name-taken", 409, "uniqueness",
    N_("A role with this name already exists.") },
  /* libpwquality refused a new password; the detail is its translated reason. */
  { ROSTER_ERROR_WEAK_PASSWORD, "weak-password", 400, "invalidValue",
    N_("The password is too weak. Choose a longer or less predictable one.") },
  /* The new password is one of the user's last ones (the passwordHistory setting). */
  { ROSTER_ERROR_PASSWORD_REUSED, "password-reused", 400, "invalidValue",
    N_("This password was used recently. Choose a new one.") },
  /* The session may only change its password (expired or admin-set password). */
  { ROSTER_ERROR_PASSWORD_CHANGE_REQUIRED, "password-change-required", 403, NULL,
    N_("Your password must be changed before you can continue.") },
  /* RFC 7644 §3.7.1: Bulk operations whose bulkId references go round in a circle. The RFC
   * gives the status (409) but no scimType; invalidValue is the nearest of its Table 9. */
  { ROSTER_ERROR_BULK_CIRCULAR_REFERENCE, "bulk-circular-reference", 409, "invalidValue",
    N_("Some changes in this batch refer to each other in a circle.") },
  /* A Bulk operation refers to a bulkId that no operation created (none has it, or it
   * failed). */
  { ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE, "bulk-unresolved-reference", 409, "invalidValue",
    N_("A change in this batch refers to something the batch did not create.") },
  /* The password was right; the account signs in with a TOTP code too ("totp" missing). */
  { ROSTER_ERROR_TOTP_REQUIRED, "totp-required", 401, NULL,
    N_("Enter the code from your authenticator app.") },
  /* The password was right, the code is wrong, too old or already used. */
  { ROSTER_ERROR_TOTP_INVALID, "totp-invalid", 401, NULL,
    N_("The code is wrong or was already used. Enter the current code from your "
       "authenticator app.") },
  /* Administrators must use two-factor sign-in: the session may only enrol. */
  { ROSTER_ERROR_TWO_FACTOR_SETUP_REQUIRED, "two-factor-setup-required", 403, NULL,
    N_("Set up two-factor sign-in before you can continue.") },
  { ROSTER_ERROR_TWO_FACTOR_ENABLED, "two-factor-enabled", 409, NULL,
    N_("Two-factor sign-in is already on for this account.") },
  /* DELETE /Users/{id} without a destination for open orders or unfinished tasks; the
   * detail counts what is left. */
  { ROSTER_ERROR_RECORDS_UNASSIGNED, "records-unassigned", 409, NULL,
    N_("The user still owns open work. Choose who takes it over first.") },
  /* A create or activation past maxActiveUsers; the detail says the numbers. */
  { ROSTER_ERROR_SEAT_LIMIT, "seat-limit-reached", 409, NULL,
    N_("Every seat of the allowance is in use. Deactivate someone or raise the limit.") },
  /* Mail was asked for (an invitation, a reminder) but the user has no e-mail address. */
  { ROSTER_ERROR_NO_EMAIL_ADDRESS, "no-email-address", 409, NULL,
    N_("This user has no e-mail address. Add one first.") },
  /* Confirming or re-inviting a user who already activated their account. */
  { ROSTER_ERROR_NOT_PENDING, "not-pending", 409, NULL,
    N_("This account is already activated.") },
  /* The database server cannot be reached (PostgreSQL restarting); rosterd tries again at
   * the next request. Sent with Retry-After. */
  { ROSTER_ERROR_STORE_UNAVAILABLE, "store-unavailable", 503, NULL,
    N_("The server cannot reach its database right now. Nothing was changed. Try again in "
       "a moment.") },
  { ROSTER_ERROR_UNREACHABLE, "unreachable", 0, NULL,
    N_("The server cannot be reached.") },
  { ROSTER_ERROR_TLS, "tls", 0, NULL,
    N_("The server’s identity could not be verified.") },
  { ROSTER_ERROR_PROTOCOL, "protocol", 0, NULL,
    N_("The server sent an answer Roster does not understand.") },
  { ROSTER_ERROR_LOCAL_SERVER, "local-server", 0, NULL,
    N_("The server on this computer could not be started.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_table) == ROSTER_ERROR_N_CODES);

static const ErrorInfo *
lookup (RosterErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (error_table))
    code = ROSTER_ERROR_FAILED;
  return &error_table[code];
}

/**
 * roster_error_code_to_string:
 *
 * Returns: the stable wire name of @code, e.g. "user-name-taken".
 */
const char *
roster_error_code_to_string (RosterErrorCode code)
{
  return lookup (code)->string;
}

/**
 * roster_error_code_from_string:
 *
 * Returns: the code named @str, or %ROSTER_ERROR_FAILED for unknown or %NULL names.
 */
RosterErrorCode
roster_error_code_from_string (const char *str)
{
  if (str == NULL)
    return ROSTER_ERROR_FAILED;
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (g_str_equal (error_table[i].string, str))
      return error_table[i].code;
  return ROSTER_ERROR_FAILED;
}

/**
 * roster_error_code_http_status:
 *
 * Returns: the HTTP status rosterd answers with for @code (0 for client-side codes).
 */
guint
roster_error_code_http_status (RosterErrorCode code)
{
  return lookup (code)->http_status;
}

/**
 * roster_error_code_scim_type:
 *
 * Returns: (nullable): the RFC 7644 scimType for @code, if there is one.
 */
const char *
roster_error_code_scim_type (RosterErrorCode code)
{
  return lookup (code)->scim_type;
}

/**
 * roster_error_code_from_http_status:
 *
 * For servers that send no Roster code (other SCIM servers), guess the closest one.
 */
RosterErrorCode
roster_error_code_from_http_status (guint status)
{
  switch (status)
    {
    case 400:
      return ROSTER_ERROR_INVALID_VALUE;
    case 401:
      return ROSTER_ERROR_UNAUTHENTICATED;
    case 403:
      return ROSTER_ERROR_FORBIDDEN;
    case 404:
      return ROSTER_ERROR_NOT_FOUND;
    case 405:
      return ROSTER_ERROR_METHOD_NOT_ALLOWED;
    case 409:
      return ROSTER_ERROR_USER_NAME_TAKEN;
    case 412:
      return ROSTER_ERROR_PRECONDITION_FAILED;
    case 413:
      return ROSTER_ERROR_PAYLOAD_TOO_LARGE;
    case 415:
      return ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE;
    default:
      return ROSTER_ERROR_FAILED;
    }
}

/**
 * roster_error_code_describe:
 *
 * Returns: a translated sentence a user can act on.
 */
const char *
roster_error_code_describe (RosterErrorCode code)
{
  return g_dgettext (GETTEXT_PACKAGE, lookup (code)->message);
}

/**
 * roster_error_is_unavailable:
 * @error: (nullable): an error, or %NULL
 *
 * Whether @error says the server cannot serve anything for now: it cannot be reached, or it
 * cannot reach its database. Nothing was done, and the same request can be sent again later
 * as it was; the app keeps what was typed and offers Retry instead of reporting a failure.
 *
 * Returns: %TRUE for %ROSTER_ERROR_UNREACHABLE and %ROSTER_ERROR_STORE_UNAVAILABLE
 */
gboolean
roster_error_is_unavailable (const GError *error)
{
  return error != NULL && error->domain == ROSTER_ERROR
         && (error->code == ROSTER_ERROR_UNREACHABLE
             || error->code == ROSTER_ERROR_STORE_UNAVAILABLE);
}
