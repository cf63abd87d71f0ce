/* test-error.c: the RosterErrorCode table and the SCIM error messages built from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-error"

#include "config.h"

#include <string.h>

#include "roster-error.h"
#include "roster-scim.h"

/* Every code has a unique, non-empty wire name that maps back to it. */
static void
test_code_strings (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint code = 0; code < ROSTER_ERROR_N_CODES; code++)
    {
      const char *str = roster_error_code_to_string (code);

      g_assert_nonnull (str);
      g_assert_cmpstr (str, !=, "");
      g_assert_false (g_hash_table_contains (seen, str));
      g_hash_table_add (seen, (gpointer) str);
      g_assert_cmpint (roster_error_code_from_string (str), ==, code);

      /* Every code can be described to a user. */
      g_assert_nonnull (roster_error_code_describe (code));
      g_assert_cmpstr (roster_error_code_describe (code), !=, "");
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, ROSTER_ERROR_N_CODES);
}

/* The strings are a wire format other tools depend on: pin a few. */
static void
test_code_strings_stable (void)
{
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_FAILED), ==, "failed");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_USER_NAME_TAKEN), ==,
                   "user-name-taken");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_INVALID_CREDENTIALS), ==,
                   "invalid-credentials");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_STORE), ==, "store-error");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_INVALID_PATH), ==, "invalid-path");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_NO_TARGET), ==, "no-target");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_PRECONDITION_FAILED), ==,
                   "precondition-failed");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_TOO_MANY), ==, "too-many");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_LAST_ADMINISTRATOR), ==,
                   "last-administrator");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_WEAK_PASSWORD), ==,
                   "weak-password");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_PASSWORD_REUSED), ==,
                   "password-reused");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_RECORDS_UNASSIGNED), ==,
                   "records-unassigned");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_SEAT_LIMIT), ==,
                   "seat-limit-reached");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_PASSWORD_CHANGE_REQUIRED), ==,
                   "password-change-required");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_BULK_CIRCULAR_REFERENCE), ==,
                   "bulk-circular-reference");
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE), ==,
                   "bulk-unresolved-reference");
}

static void
test_code_unknown (void)
{
  g_assert_cmpint (roster_error_code_from_string (NULL), ==, ROSTER_ERROR_FAILED);
  g_assert_cmpint (roster_error_code_from_string (""), ==, ROSTER_ERROR_FAILED);
  g_assert_cmpint (roster_error_code_from_string ("no-such-code"), ==, ROSTER_ERROR_FAILED);
  /* Names are exact: no case folding, no prefix matches. */
  g_assert_cmpint (roster_error_code_from_string ("NOT-FOUND"), ==, ROSTER_ERROR_FAILED);
  g_assert_cmpint (roster_error_code_from_string ("not-found "), ==, ROSTER_ERROR_FAILED);
  /* Out-of-range codes degrade to "failed" instead of reading past the table. */
  g_assert_cmpstr (roster_error_code_to_string (ROSTER_ERROR_N_CODES), ==, "failed");
  g_assert_cmpuint (roster_error_code_http_status (ROSTER_ERROR_N_CODES + 7), ==, 500);
}

static void
test_http_status_and_scim_type (void)
{
  static const struct
  {
    RosterErrorCode code;
    guint status;
    const char *scim_type;
  } cases[] = {
    { ROSTER_ERROR_FAILED, 500, NULL },
    { ROSTER_ERROR_INVALID_SYNTAX, 400, "invalidSyntax" },
    { ROSTER_ERROR_INVALID_VALUE, 400, "invalidValue" },
    { ROSTER_ERROR_MISSING_ATTRIBUTE, 400, "invalidValue" },
    { ROSTER_ERROR_MUTABILITY, 400, "mutability" },
    { ROSTER_ERROR_INVALID_FILTER, 400, "invalidFilter" },
    { ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE, 415, NULL },
    /* RFC 7644 §3.7.4 answers 413 without a scimType; "tooLarge" is not in its Table 9. */
    { ROSTER_ERROR_PAYLOAD_TOO_LARGE, 413, NULL },
    { ROSTER_ERROR_USER_NAME_TAKEN, 409, "uniqueness" },
    { ROSTER_ERROR_NOT_FOUND, 404, NULL },
    { ROSTER_ERROR_METHOD_NOT_ALLOWED, 405, NULL },
    { ROSTER_ERROR_UNAUTHENTICATED, 401, NULL },
    { ROSTER_ERROR_INVALID_CREDENTIALS, 401, NULL },
    { ROSTER_ERROR_TOKEN_EXPIRED, 401, NULL },
    { ROSTER_ERROR_FORBIDDEN, 403, NULL },
    { ROSTER_ERROR_SETUP_COMPLETE, 403, NULL },
    { ROSTER_ERROR_INVALID_SETUP_TOKEN, 403, NULL },
    { ROSTER_ERROR_STORE, 500, NULL },
    { ROSTER_ERROR_INVALID_PATH, 400, "invalidPath" },
    { ROSTER_ERROR_NO_TARGET, 400, "noTarget" },
    { ROSTER_ERROR_PRECONDITION_FAILED, 412, NULL },
    { ROSTER_ERROR_TOO_MANY, 400, "tooMany" },
    { ROSTER_ERROR_LAST_ADMINISTRATOR, 409, NULL },
    { ROSTER_ERROR_ROLE_IN_USE, 409, NULL },
    { ROSTER_ERROR_ROLE_NAME_TAKEN, 409, "uniqueness" },
    { ROSTER_ERROR_WEAK_PASSWORD, 400, "invalidValue" },
    { ROSTER_ERROR_PASSWORD_REUSED, 400, "invalidValue" },
    { ROSTER_ERROR_PASSWORD_CHANGE_REQUIRED, 403, NULL },
    /* RFC 7644 §3.7.1 gives Bulk reference errors 409 but no scimType. */
    { ROSTER_ERROR_BULK_CIRCULAR_REFERENCE, 409, "invalidValue" },
    { ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE, 409, "invalidValue" },
    { ROSTER_ERROR_TOTP_REQUIRED, 401, NULL },
    { ROSTER_ERROR_TOTP_INVALID, 401, NULL },
    { ROSTER_ERROR_TWO_FACTOR_SETUP_REQUIRED, 403, NULL },
    { ROSTER_ERROR_TWO_FACTOR_ENABLED, 409, NULL },
    { ROSTER_ERROR_RECORDS_UNASSIGNED, 409, NULL },
    { ROSTER_ERROR_SEAT_LIMIT, 409, NULL },
    { ROSTER_ERROR_NO_EMAIL_ADDRESS, 409, NULL },
    { ROSTER_ERROR_NOT_PENDING, 409, NULL },
    { ROSTER_ERROR_STORE_UNAVAILABLE, 503, NULL },
    /* Client-side codes never travel, so they have no status. */
    { ROSTER_ERROR_UNREACHABLE, 0, NULL },
    { ROSTER_ERROR_TLS, 0, NULL },
    { ROSTER_ERROR_PROTOCOL, 0, NULL },
    { ROSTER_ERROR_LOCAL_SERVER, 0, NULL },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == ROSTER_ERROR_N_CODES);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("code %s", roster_error_code_to_string (cases[i].code));
      g_assert_cmpuint (roster_error_code_http_status (cases[i].code), ==, cases[i].status);
      g_assert_cmpstr (roster_error_code_scim_type (cases[i].code), ==, cases[i].scim_type);
    }
}

static void
test_from_http_status (void)
{
  g_assert_cmpint (roster_error_code_from_http_status (400), ==, ROSTER_ERROR_INVALID_VALUE);
  g_assert_cmpint (roster_error_code_from_http_status (401), ==, ROSTER_ERROR_UNAUTHENTICATED);
  g_assert_cmpint (roster_error_code_from_http_status (403), ==, ROSTER_ERROR_FORBIDDEN);
  g_assert_cmpint (roster_error_code_from_http_status (404), ==, ROSTER_ERROR_NOT_FOUND);
  g_assert_cmpint (roster_error_code_from_http_status (405), ==, ROSTER_ERROR_METHOD_NOT_ALLOWED);
  g_assert_cmpint (roster_error_code_from_http_status (409), ==, ROSTER_ERROR_USER_NAME_TAKEN);
  g_assert_cmpint (roster_error_code_from_http_status (412), ==,
                   ROSTER_ERROR_PRECONDITION_FAILED);
  g_assert_cmpint (roster_error_code_from_http_status (413), ==, ROSTER_ERROR_PAYLOAD_TOO_LARGE);
  g_assert_cmpint (roster_error_code_from_http_status (415), ==,
                   ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpint (roster_error_code_from_http_status (500), ==, ROSTER_ERROR_FAILED);
  g_assert_cmpint (roster_error_code_from_http_status (503), ==, ROSTER_ERROR_FAILED);
  g_assert_cmpint (roster_error_code_from_http_status (0), ==, ROSTER_ERROR_FAILED);
}

/* roster_scim_error_new() builds an RFC 7644 §3.12 error with the Roster code beside it. */
static void
test_scim_error_new_shape (void)
{
  g_autoptr(JsonNode) node = roster_scim_error_new (ROSTER_ERROR_USER_NAME_TAKEN, "ana is taken");
  JsonObject *object, *ext;
  JsonArray *schemas;
  JsonNode *status;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);

  schemas = json_object_get_array_member (object, "schemas");
  g_assert_nonnull (schemas);
  g_assert_cmpuint (json_array_get_length (schemas), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (schemas, 0), ==, ROSTER_SCIM_MESSAGE_ERROR);
  g_assert_cmpstr (json_array_get_string_element (schemas, 1), ==,
                   ROSTER_SCIM_MESSAGE_ROSTER_ERROR);

  /* RFC 7644 §3.12: status is a *string*. */
  status = json_object_get_member (object, "status");
  g_assert_nonnull (status);
  g_assert_cmpint (json_node_get_value_type (status), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (status), ==, "409");

  g_assert_cmpstr (json_object_get_string_member (object, "scimType"), ==, "uniqueness");
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==, "ana is taken");

  ext = json_object_get_object_member (object, ROSTER_SCIM_MESSAGE_ROSTER_ERROR);
  g_assert_nonnull (ext);
  g_assert_cmpstr (json_object_get_string_member (ext, "code"), ==, "user-name-taken");
  g_assert_cmpuint (json_object_get_size (object), ==, 5);
}

static void
test_scim_error_new_defaults (void)
{
  g_autoptr(JsonNode) node = roster_scim_error_new (ROSTER_ERROR_NOT_FOUND, NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "404");
  /* No scimType for codes that have none: the member is left out, not null. */
  g_assert_false (json_object_has_member (object, "scimType"));
  /* Without a detail, the description of the code. */
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==,
                   roster_error_code_describe (ROSTER_ERROR_NOT_FOUND));
}

/* Every code survives the trip through JSON text and back to a GError. */
static void
test_scim_error_round_trip (void)
{
  for (guint code = 0; code < ROSTER_ERROR_N_CODES; code++)
    {
      g_autoptr(JsonNode) node = roster_scim_error_new (code, "some detail");
      g_autofree char *text = roster_json_to_string (node, NULL);
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) parse_error = NULL;

      g_test_message ("code %s: %s", roster_error_code_to_string (code), text);
      parsed = roster_json_parse (text, strlen (text), &parse_error);
      g_assert_no_error (parse_error);

      roster_scim_error_parse (parsed, roster_error_code_http_status (code), &error);
      g_assert_error (error, ROSTER_ERROR, (gint) code);
      g_assert_true (g_str_has_prefix (error->message, roster_error_code_describe (code)));
    }
}

static void
test_scim_error_parse_detail (void)
{
  g_autoptr(JsonNode) invalid = roster_scim_error_new (ROSTER_ERROR_INVALID_VALUE, "“emails”");
  g_autoptr(JsonNode) denied = roster_scim_error_new (ROSTER_ERROR_FORBIDDEN, "secret detail");
  g_autoptr(GError) error = NULL;

  /* Bad-input codes keep the detail: it names the field. */
  roster_scim_error_parse (invalid, 400, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "“emails”"));
  g_clear_error (&error);

  /* Others show only the translated description. */
  roster_scim_error_parse (denied, 403, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, roster_error_code_describe (ROSTER_ERROR_FORBIDDEN));
}

/* The Roster code wins over the HTTP status; an unknown one is "failed". */
static void
test_scim_error_parse_code (void)
{
  static const char unknown[] =
    "{\"schemas\":[\"" ROSTER_SCIM_MESSAGE_ERROR "\"],\"status\":\"404\","
    "\"" ROSTER_SCIM_MESSAGE_ROSTER_ERROR "\":{\"code\":\"from-the-future\"}}";
  g_autoptr(JsonNode) token = roster_scim_error_new (ROSTER_ERROR_TOKEN_EXPIRED, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  roster_scim_error_parse (token, 401, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_TOKEN_EXPIRED);
  g_clear_error (&error);

  node = roster_json_parse (unknown, strlen (unknown), &error);
  g_assert_no_error (error);
  roster_scim_error_parse (node, 404, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED);
}

/* Other SCIM servers send no Roster extension (or no JSON at all): map the HTTP status. */
static void
test_scim_error_parse_foreign (void)
{
  static const char body[] = "{\"schemas\":[\"" ROSTER_SCIM_MESSAGE_ERROR "\"],"
                             "\"status\":\"409\",\"scimType\":\"uniqueness\","
                             "\"detail\":\"User already exists\"}";
  static const char empty_ext[] = "{\"status\":\"404\",\"" ROSTER_SCIM_MESSAGE_ROSTER_ERROR
                                  "\":{}}";
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) array = json_from_string ("[]", NULL);
  g_autoptr(GError) error = NULL;

  node = roster_json_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  roster_scim_error_parse (node, 409, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN);
  g_clear_error (&error);
  g_clear_pointer (&node, json_node_unref);

  roster_scim_error_parse (NULL, 404, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  roster_scim_error_parse (NULL, 502, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED);
  g_clear_error (&error);

  roster_scim_error_parse (array, 401, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  /* An extension without a code says nothing more than the status does. */
  node = roster_json_parse (empty_ext, strlen (empty_ext), &error);
  g_assert_no_error (error);
  roster_scim_error_parse (node, 404, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/error/code/strings", test_code_strings);
  g_test_add_func ("/error/code/strings-stable", test_code_strings_stable);
  g_test_add_func ("/error/code/unknown", test_code_unknown);
  g_test_add_func ("/error/code/http-status-and-scim-type", test_http_status_and_scim_type);
  g_test_add_func ("/error/code/from-http-status", test_from_http_status);
  g_test_add_func ("/error/scim/new-shape", test_scim_error_new_shape);
  g_test_add_func ("/error/scim/new-defaults", test_scim_error_new_defaults);
  g_test_add_func ("/error/scim/round-trip", test_scim_error_round_trip);
  g_test_add_func ("/error/scim/parse-detail", test_scim_error_parse_detail);
  g_test_add_func ("/error/scim/parse-code", test_scim_error_parse_code);
  g_test_add_func ("/error/scim/parse-foreign", test_scim_error_parse_foreign);

  return g_test_run ();
}
