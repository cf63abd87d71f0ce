/* test-deleted-user.c: RosterDeletedUser and RosterOwnership, read from and written to JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-deleted-user"

#include "config.h"

#include "roster-deleted-user.h"
#include "roster-error.h"
#include "roster-ownership.h"
#include "roster-scim.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_deleted_user (void)
{
  g_autoptr(JsonObject) object = parse (
    "{\"id\":\"u1\",\"userName\":\"bob\",\"deletedAt\":\"2026-12-01T10:00:00Z\","
    "\"purgeAt\":\"2026-12-15T10:00:00Z\",\"deletedBy\":{\"value\":\"a\",\"display\":\"admin\"},"
    "\"reassigned\":{\"orders\":{\"to\":\"user\",\"value\":\"c\",\"count\":2},"
    "\"tasks\":{\"to\":\"queue\",\"count\":1},\"clients\":{\"to\":\"user\",\"count\":0}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterDeletedUser) deleted = roster_deleted_user_new_from_json (object, &error);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-04T09:00:00Z", NULL);
  g_autoptr(GDateTime) due = g_date_time_new_from_iso8601 ("2026-12-15T10:00:00Z", NULL);
  g_autoptr(GDateTime) later = g_date_time_new_from_iso8601 ("2026-12-16T00:00:00Z", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (roster_deleted_user_get_id (deleted), ==, "u1");
  /* Without a display name the username is the title. */
  g_assert_cmpstr (roster_deleted_user_get_title (deleted), ==, "bob");
  g_assert_cmpstr (roster_deleted_user_get_deleted_by (deleted), ==, "admin");
  g_assert_cmpuint (roster_deleted_user_get_n_reassigned (deleted), ==, 3);
  /* 11 days and an hour left: a started day counts. */
  g_assert_cmpuint (roster_deleted_user_get_days_left (deleted, now), ==, 12);
  g_assert_cmpuint (roster_deleted_user_get_days_left (deleted, due), ==, 0);
  g_assert_cmpuint (roster_deleted_user_get_days_left (deleted, later), ==, 0);
}

/* The title follows the user list's rule: display name, else the formatted name, else the
 * username; and it is the same rule as RosterUser:title. */
static void
test_deleted_user_title (void)
{
  static const struct
  {
    const char *json;
    const char *title;
  } cases[] = {
    { "\"displayName\":\"Dee\",\"name\":{\"givenName\":\"Dora\",\"familyName\":\"Gray\"}",
      "Dee" },
    { "\"name\":{\"givenName\":\"Dora\",\"familyName\":\"Gray\",\"formatted\":\"D. Gray\"}",
      "Dora Gray" },
    { "\"name\":{\"familyName\":\"Gray\"}", "Gray" },
    { "\"name\":{\"givenName\":\"Dora\"}", "Dora" },
    { "\"displayName\":\"\",\"name\":{}", "dora" },
    { "\"name\":{\"givenName\":\"\"}", "dora" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"id\":\"u1\",\"userName\":\"dora\",%s,\"deletedAt\":\"2026-12-01T10:00:00Z\","
        "\"purgeAt\":\"2026-12-15T10:00:00Z\"}",
        cases[i].json);
      g_autofree char *user_text = g_strdup_printf (
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"u1\","
        "\"userName\":\"dora\",%s}",
        cases[i].json);
      g_autoptr(JsonObject) object = parse (text);
      g_autoptr(JsonObject) user_object = parse (user_text);
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterDeletedUser) deleted = roster_deleted_user_new_from_json (object, &error);
      g_autoptr(RosterUser) user = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (roster_deleted_user_get_title (deleted), ==, cases[i].title);
      user = roster_user_new_from_json (user_object, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (roster_user_get_title (user), ==, cases[i].title);
    }

  /* A name that is not an object is refused. */
  {
    g_autoptr(JsonObject) object = parse (
      "{\"id\":\"u1\",\"userName\":\"dora\",\"name\":\"Dora\","
      "\"deletedAt\":\"2026-12-01T10:00:00Z\",\"purgeAt\":\"2026-12-15T10:00:00Z\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterDeletedUser) deleted = roster_deleted_user_new_from_json (object, &error);

    g_assert_null (deleted);
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
  }
}

static void
test_deleted_user_invalid (void)
{
  g_autoptr(JsonObject) no_purge = parse ("{\"id\":\"u1\",\"userName\":\"bob\","
                                          "\"deletedAt\":\"2026-12-01T10:00:00Z\"}");
  g_autoptr(JsonObject) bad_name = parse ("{\"id\":\"u1\",\"userName\":7}");
  g_autoptr(GError) error = NULL;

  g_assert_null (roster_deleted_user_new_from_json (no_purge, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE);
  g_clear_error (&error);
  g_assert_null (roster_deleted_user_new_from_json (bad_name, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
}

static void
test_restored_and_settings (void)
{
  g_autoptr(JsonObject) answer = parse (
    "{\"user\":{\"schemas\":[\"" ROSTER_SCIM_SCHEMA_USER "\"],\"id\":\"u1\",\"userName\":\"bob\","
    "\"active\":false},\"reassigned\":{\"orders\":{\"count\":4}},\"reassignmentsUndone\":false}");
  g_autoptr(JsonObject) settings = parse ("{\"restoreWindowDays\":30}");
  g_autoptr(JsonObject) no_window = parse ("{\"restoreWindowDays\":\"soon\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;
  guint moved = 0;

  user = roster_deleted_user_parse_restored (answer, &moved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_id (user), ==, "u1");
  g_assert_false (roster_user_get_active (user));
  g_assert_cmpuint (moved, ==, 4);
  g_assert_cmpuint (roster_deleted_user_read_restore_window (settings), ==, 30);
  g_assert_cmpuint (roster_deleted_user_read_restore_window (no_window), ==, 0);
}

static void
test_ownership (void)
{
  g_autoptr(JsonObject) object = parse (
    "{\"counts\":{\"clients\":{\"open\":0,\"done\":1},\"orders\":{\"open\":2,\"done\":0}}}");
  g_autoptr(JsonObject) empty = parse ("{\"counts\":{}}");
  g_autoptr(JsonObject) negative = parse ("{\"counts\":{\"tasks\":{\"open\":-1}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterOwnership) ownership = roster_ownership_new_from_json (object, &error);
  g_autoptr(RosterOwnership) nothing = roster_ownership_new_from_json (empty, NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (ownership->open[ROSTER_RECORD_KIND_ORDERS], ==, 2);
  g_assert_cmpuint (roster_ownership_get_total (ownership, ROSTER_RECORD_KIND_CLIENTS), ==, 1);
  g_assert_cmpuint (roster_ownership_get_total (ownership, ROSTER_RECORD_KIND_TASKS), ==, 0);
  g_assert_false (roster_ownership_is_empty (ownership));
  g_assert_true (roster_ownership_is_empty (nothing));
  g_assert_null (roster_ownership_new_from_json (negative, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
}

static void
test_plan (void)
{
  const char *none[ROSTER_RECORD_KIND_N] = { NULL, NULL, NULL };
  const char *some[ROSTER_RECORD_KIND_N] = { NULL, "carol", "dave" };
  g_autoptr(JsonNode) plan = roster_ownership_plan_new (some);
  g_autofree char *text = json_to_string (plan, FALSE);

  g_assert_null (roster_ownership_plan_new (none));
  g_assert_null (roster_ownership_plan_new (NULL));
  g_assert_cmpstr (text, ==,
                   "{\"orders\":{\"to\":\"user\",\"value\":\"carol\"},"
                   "\"tasks\":{\"to\":\"user\",\"value\":\"dave\"}}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deleted-user/read", test_deleted_user);
  g_test_add_func ("/deleted-user/title", test_deleted_user_title);
  g_test_add_func ("/deleted-user/invalid", test_deleted_user_invalid);
  g_test_add_func ("/deleted-user/restored-and-settings", test_restored_and_settings);
  g_test_add_func ("/ownership/read", test_ownership);
  g_test_add_func ("/ownership/plan", test_plan);

  return g_test_run ();
}
