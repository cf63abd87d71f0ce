/* roster-totp-handler.c: two-factor sign-in with TOTP (RFC 6238): POST /auth/totp (start
 * enrolment), POST /auth/totp/confirm (finish it with a code), and the check at sign-in
 *
 * Enrolment gives the signed-in user a new secret, once, as base32 and as an otpauth://
 * URI; it stays pending (sign-in does not ask for codes) until a valid code confirms it.
 * The secret is never returned again, never logged and never audited. Codes of the current
 * 30-second step and of one step either side are accepted, and none twice: the step of the
 * last accepted code is kept, and only later steps pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-scim.h"
#include "roster-token.h"
#include "roster-totp.h"
#include "roster-user-resource.h"

#define ISSUER "Roster"

/* {"secret": …, "otpauth": …, "algorithm": "SHA1", "digits": 6, "period": 30} */
static JsonNode *
enrolment_json (const char *secret, const char *uri)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "secret");
  json_builder_add_string_value (builder, secret);
  json_builder_set_member_name (builder, "otpauth");
  json_builder_add_string_value (builder, uri);
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_string_value (builder, "SHA1");
  json_builder_set_member_name (builder, "digits");
  json_builder_add_int_value (builder, ROSTER_TOTP_DIGITS);
  json_builder_set_member_name (builder, "period");
  json_builder_add_int_value (builder, ROSTER_TOTP_PERIOD);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* POST /auth/totp: a new pending secret for the caller (replacing an unconfirmed one). */
void
roster_totp_handle_enrol (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  RosterUser *user = roster_request_get_user (request);
  g_auto(RosterTotpState) state = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *uri = NULL;
  guint8 key[ROSTER_TOTP_SECRET_BYTES];

  if (!roster_store_get_totp (store, roster_user_get_id (user), &state, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (state.secret != NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_TWO_FACTOR_ENABLED,
                                    _("Two-factor sign-in is already on: an administrator can "
                                      "reset it"));
      return;
    }
  if (!roster_random_bytes (key, sizeof key, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  secret = roster_totp_base32_encode (key, sizeof key, FALSE);
  explicit_bzero (key, sizeof key);
  uri = roster_totp_uri (ISSUER, roster_user_get_user_name (user), secret);
  if (!roster_store_set_totp_pending (store, roster_user_get_id (user), secret, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("User %s started enrolling in two-factor sign-in", roster_user_get_id (user));
  node = enrolment_json (secret, uri);
  explicit_bzero (secret, strlen (secret));
  soup_message_headers_replace (
    soup_server_message_get_response_headers (roster_request_get_message (request)),
    "Cache-Control", "no-store");
  roster_request_respond_json (request, 200, node);
}

/* POST /auth/totp/confirm {"code": "123456"}: turns two-factor sign-in on, audited. */
void
roster_totp_handle_confirm (RosterRequest *request)
{
  RosterStore *store = roster_request_get_store (request);
  RosterUser *user = roster_request_get_user (request);
  const char *id = roster_user_get_id (user);
  g_auto(RosterTotpState) state = { 0 };
  g_autoptr(RosterUserRecord) before = NULL;
  g_autoptr(RosterUserRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;
  gint64 step = 0;

  code = roster_json_get_string (roster_request_get_body (request), "code", &error);
  if (error == NULL && (code == NULL || *code == '\0'))
    g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is required"),
                 "code");
  if (error != NULL || !roster_store_get_totp (store, id, &state, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (state.secret != NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_TWO_FACTOR_ENABLED,
                                    _("Two-factor sign-in is already on: an administrator can "
                                      "reset it"));
      return;
    }
  if (state.pending == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("There is nothing to confirm: start with POST /auth/totp"));
      return;
    }
  if (!roster_totp_verify (state.pending, code, roster_clock_now (), state.last_step, &step))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("The code is wrong. Enter the current code from your "
                                      "authenticator app."));
      return;
    }
  if (!roster_store_begin (store, &error)
      || (before = roster_store_get_user_record (store, id, &error)) == NULL
      || !roster_store_enable_totp (store, id, step, &error)
      || (after = roster_store_get_user_record (store, id, &error)) == NULL
      || !roster_audit_record (request, "two-factor-enable", "User", id,
                               roster_user_get_user_name (user), before->resource,
                               after->resource, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("User %s turned two-factor sign-in on", id);
  roster_request_respond_empty (request, 204);
}

/**
 * roster_totp_check_sign_in:
 * @code: (nullable): the "totp" of the sign-in request
 * @refusal: (out): 0 if the sign-in may go on, else %ROSTER_ERROR_TOTP_REQUIRED (no code)
 *   or %ROSTER_ERROR_TOTP_INVALID (wrong, too old or used already)
 * @enrolled: (out): whether the user has two-factor sign-in on
 *
 * The second factor, checked only once the password was right. An accepted code's step
 * is used up at once, so the same code cannot sign in twice.
 *
 * Returns: %FALSE on a store error
 */
gboolean
roster_totp_check_sign_in (RosterStore *store, const char *user_id, const char *code,
                           gint64 now, RosterErrorCode *refusal, gboolean *enrolled,
                           GError **error)
{
  g_auto(RosterTotpState) state = { 0 };
  gboolean used = FALSE;
  gint64 step = 0;

  *refusal = 0;
  *enrolled = FALSE;
  if (!roster_store_get_totp (store, user_id, &state, error))
    return FALSE;
  if (state.secret == NULL)
    return TRUE;
  *enrolled = TRUE;
  if (code == NULL || *code == '\0')
    {
      *refusal = ROSTER_ERROR_TOTP_REQUIRED;
      return TRUE;
    }
  if (!roster_totp_verify (state.secret, code, now, state.last_step, &step))
    {
      *refusal = ROSTER_ERROR_TOTP_INVALID;
      return TRUE;
    }
  if (!roster_store_use_totp_step (store, user_id, step, &used, error))
    return FALSE;
  if (!used)
    *refusal = ROSTER_ERROR_TOTP_INVALID;
  return TRUE;
}
