/* test-user.c: RosterUser, its properties and its SCIM JSON mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-user"

#include "config.h"

#include <string.h>

#include "roster-scim.h"
#include "roster-user-diff.h"
#include "roster-user.h"

#define EXT ROSTER_SCIM_SCHEMA_ROSTER_USER

static const char full_user[] =
  "{"
  "  \"schemas\": [\"" ROSTER_SCIM_SCHEMA_USER "\", \"" EXT "\"],"
  "  \"id\": \"2819c223-7f76-453a-919d-413861904646\","
  "  \"userName\": \"bjensen\","
  "  \"name\": {\"formatted\": \"Ms. Barbara J Jensen\", \"givenName\": \"Barbara\","
  "             \"familyName\": \"Jensen\"},"
  "  \"displayName\": \"Babs Jensen\","
  "  \"emails\": [{\"value\": \"bjensen@example.com\", \"type\": \"work\", \"primary\": true}],"
  "  \"active\": false,"
  "  \"nickName\": \"ignored: Roster does not know it\","
  "  \"" EXT "\": {\"administrator\": true, \"status\": \"locked\"},"
  "  \"meta\": {\"resourceType\": \"User\", \"created\": \"2024-01-23T04:56:22Z\","
  "            \"lastModified\": \"2024-05-13T04:42:34.5+02:00\","
  "            \"version\": \"W/\\\"3694e05e9dff590\\\"\","
  "            \"location\": \"https://example.com/scim/v2/Users/2819c223\"}"
  "}";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = roster_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return node;
}

static RosterUser *
user_from_text (const char *text, GError **error)
{
  g_autoptr(JsonNode) node = parse (text);

  return roster_user_new_from_json (json_node_get_object (node), error);
}

static void
assert_date (GDateTime *date, const char *iso8601)
{
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (date);
  g_assert_nonnull (expected);
  g_assert_true (g_date_time_equal (date, expected));
}

static void
assert_full_user (RosterUser *user)
{
  g_assert_cmpstr (roster_user_get_id (user), ==, "2819c223-7f76-453a-919d-413861904646");
  g_assert_cmpstr (roster_user_get_user_name (user), ==, "bjensen");
  g_assert_cmpstr (roster_user_get_given_name (user), ==, "Barbara");
  g_assert_cmpstr (roster_user_get_family_name (user), ==, "Jensen");
  g_assert_cmpstr (roster_user_get_display_name (user), ==, "Babs Jensen");
  g_assert_cmpstr (roster_user_get_email (user), ==, "bjensen@example.com");
  g_assert_false (roster_user_get_active (user));
  g_assert_true (roster_user_get_administrator (user));
  g_assert_cmpint (roster_user_get_status (user), ==, ROSTER_USER_STATUS_LOCKED);
  assert_date (roster_user_get_created (user), "2024-01-23T04:56:22Z");
  assert_date (roster_user_get_last_modified (user), "2024-05-13T02:42:34.5Z");
  g_assert_cmpstr (roster_user_get_version (user), ==, "W/\"3694e05e9dff590\"");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Babs Jensen");
  g_assert_false (roster_user_get_placeholder (user));
}

static void
test_json_read (void)
{
  g_autoptr(GError) error = NULL;
  RosterUser *user = user_from_text (full_user, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  assert_full_user (user);
  g_assert_finalize_object (user);
}

/* JSON → user → JSON text → user keeps every attribute, dates and version included. */
static void
test_json_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  RosterUser *user = user_from_text (full_user, &error);
  RosterUser *copy;
  JsonObject *object, *meta, *ext, *name;
  JsonArray *emails;

  g_assert_no_error (error);
  node = roster_user_to_json (user, NULL, "https://example.com/scim/v2/Users/2819c223");
  text = roster_json_to_string (node, NULL);
  g_test_message ("%s", text);

  object = json_node_get_object (node);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (object, "schemas"), 0),
                   ==, ROSTER_SCIM_SCHEMA_USER);
  name = json_object_get_object_member (object, "name");
  g_assert_cmpstr (json_object_get_string_member (name, "formatted"), ==, "Barbara Jensen");
  emails = json_object_get_array_member (object, "emails");
  g_assert_cmpuint (json_array_get_length (emails), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (emails, 0),
                                                 "primary"));
  ext = json_object_get_object_member (object, EXT);
  g_assert_cmpstr (json_object_get_string_member (ext, "status"), ==, "locked");
  meta = json_object_get_object_member (object, "meta");
  g_assert_nonnull (meta);
  g_assert_cmpstr (json_object_get_string_member (meta, "resourceType"), ==, "User");
  g_assert_cmpstr (json_object_get_string_member (meta, "location"), ==,
                   "https://example.com/scim/v2/Users/2819c223");

  copy = user_from_text (text, &error);
  g_assert_no_error (error);
  assert_full_user (copy);

  g_assert_finalize_object (copy);
  g_assert_finalize_object (user);
}

static void
assert_user_error (const char *text, RosterErrorCode code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;

  g_test_message ("%s", text);
  user = user_from_text (text, &error);
  g_assert_null (user);
  g_assert_error (error, ROSTER_ERROR, (gint) code);
}

static void
test_json_missing_user_name (void)
{
  assert_user_error ("{}", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_user_error ("{\"userName\": null}", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_user_error ("{\"userName\": \"\"}", ROSTER_ERROR_MISSING_ATTRIBUTE);
  assert_user_error ("{\"id\": \"1\", \"displayName\": \"Ana\"}", ROSTER_ERROR_MISSING_ATTRIBUTE);
}

static void
test_json_wrong_types (void)
{
  const char *bad[] = {
    "{\"userName\": \"a\", \"id\": 7}",
    "{\"userName\": 7}",
    "{\"userName\": [\"a\"]}",
    "{\"userName\": \"a\", \"displayName\": {}}",
    "{\"userName\": \"a\", \"name\": \"Ana Lima\"}",
    "{\"userName\": \"a\", \"name\": {\"givenName\": 1}}",
    "{\"userName\": \"a\", \"name\": {\"familyName\": true}}",
    "{\"userName\": \"a\", \"emails\": \"a@example.com\"}",
    "{\"userName\": \"a\", \"emails\": {\"value\": \"a@example.com\"}}",
    "{\"userName\": \"a\", \"emails\": [\"a@example.com\"]}",
    "{\"userName\": \"a\", \"emails\": [{\"value\": 42}]}",
    "{\"userName\": \"a\", \"active\": \"yes\"}",
    "{\"userName\": \"a\", \"active\": 1}",
    "{\"userName\": \"a\", \"" EXT "\": []}",
    "{\"userName\": \"a\", \"" EXT "\": {\"administrator\": \"true\"}}",
    "{\"userName\": \"a\", \"" EXT "\": {\"status\": 1}}",
    "{\"userName\": \"a\", \"" EXT "\": {\"status\": \"deleted\"}}",
    "{\"userName\": \"a\", \"meta\": \"x\"}",
    "{\"userName\": \"a\", \"meta\": {\"created\": 1706000000}}",
    "{\"userName\": \"a\", \"meta\": {\"created\": \"yesterday\"}}",
    "{\"userName\": \"a\", \"meta\": {\"created\": \"2024-01-23\"}}",
    "{\"userName\": \"a\", \"meta\": {\"lastModified\": false}}",
    "{\"userName\": \"a\", \"meta\": {\"lastModified\": \"2024-13-01T00:00:00Z\"}}",
    "{\"userName\": \"a\", \"meta\": {\"version\": 3}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_user_error (bad[i], ROSTER_ERROR_INVALID_VALUE);
}

/* Only userName is required; what is missing keeps its default. */
static void
test_json_minimal (void)
{
  g_autoptr(GError) error = NULL;
  RosterUser *user = user_from_text ("{\"userName\": \"ana\", \"displayName\": null,"
                                     " \"emails\": [], \"meta\": {}}",
                                     &error);

  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_user_name (user), ==, "ana");
  g_assert_null (roster_user_get_id (user));
  g_assert_null (roster_user_get_display_name (user));
  g_assert_null (roster_user_get_given_name (user));
  g_assert_null (roster_user_get_email (user));
  g_assert_null (roster_user_get_created (user));
  g_assert_null (roster_user_get_version (user));
  g_assert_true (roster_user_get_active (user));
  g_assert_false (roster_user_get_administrator (user));
  g_assert_cmpint (roster_user_get_status (user), ==, ROSTER_USER_STATUS_ACTIVE);
  g_assert_cmpstr (roster_user_get_title (user), ==, "ana");
  g_assert_finalize_object (user);
}

/* Other SCIM servers have no Roster extension: "active" alone decides the status. */
static void
test_json_status_without_extension (void)
{
  g_autoptr(GError) error = NULL;
  RosterUser *inactive = user_from_text ("{\"userName\": \"a\", \"active\": false}", &error);
  RosterUser *pending = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (roster_user_get_status (inactive), ==, ROSTER_USER_STATUS_INACTIVE);
  g_assert_false (roster_user_get_active (inactive));

  pending = user_from_text ("{\"userName\": \"a\", \"" EXT "\": {\"status\": \"pending\"}}",
                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_user_get_status (pending), ==, ROSTER_USER_STATUS_PENDING);

  g_assert_finalize_object (pending);
  g_assert_finalize_object (inactive);
}

static char *
email_of (const char *emails)
{
  g_autofree char *text = g_strdup_printf ("{\"userName\": \"a\", \"emails\": %s}", emails);
  g_autoptr(GError) error = NULL;
  RosterUser *user = user_from_text (text, &error);
  char *email;

  g_assert_no_error (error);
  email = g_strdup (roster_user_get_email (user));
  g_assert_finalize_object (user);
  return email;
}

#define assert_email(emails, expected)                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *_email = email_of (emails);                                                   \
    g_assert_cmpstr (_email, ==, expected);                                                        \
  }                                                                                                \
  G_STMT_END

static void
test_json_email_pick (void)
{
  /* primary beats work beats first */
  assert_email ("[{\"value\": \"h@x.org\", \"type\": \"home\"},"
                " {\"value\": \"w@x.org\", \"type\": \"work\"},"
                " {\"value\": \"p@x.org\", \"type\": \"other\", \"primary\": true}]",
                "p@x.org");
  assert_email ("[{\"value\": \"h@x.org\", \"type\": \"home\"},"
                " {\"value\": \"w@x.org\", \"type\": \"work\"},"
                " {\"value\": \"w2@x.org\", \"type\": \"work\"}]",
                "w@x.org");
  assert_email ("[{\"value\": \"h@x.org\", \"type\": \"home\"},"
                " {\"value\": \"o@x.org\", \"primary\": false}]",
                "h@x.org");
  /* Entries without a value are skipped. */
  assert_email ("[{\"type\": \"work\", \"primary\": true}, {\"value\": \"v@x.org\"}]", "v@x.org");
  assert_email ("[{\"value\": null, \"type\": \"work\"}]", NULL);
  assert_email ("[]", NULL);
  assert_email ("null", NULL);
}

typedef struct
{
  GHashTable *counts; /* property name → number of notifications */
} Notes;

static void
on_notify (GObject *object, GParamSpec *pspec, Notes *notes)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));

  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
notes_watch (Notes *notes, RosterUser *user)
{
  notes->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (user, "notify", G_CALLBACK (on_notify), notes);
}

static guint
notes_take (Notes *notes, const char *name)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));

  g_hash_table_remove (notes->counts, name);
  return n;
}

static void
notes_assert_none (Notes *notes)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, notes->counts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_error ("unexpected notify::%s", (const char *) key);
}

static void
notes_clear (Notes *notes)
{
  g_clear_pointer (&notes->counts, g_hash_table_unref);
}

/* A server that sends only name.formatted (no parts, no displayName): it names the user,
 * goes back out as it came, and gives way once either part is set. */
static void
test_formatted_name_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = user_from_text (
    "{\"userName\": \"ada\", \"name\": {\"formatted\": \"Ada King, Countess of Lovelace\"}}",
    &error);
  g_autoptr(RosterUser) copy = roster_user_new ();
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *formatted = NULL;
  JsonObject *name;

  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_title (user), ==, "Ada King, Countess of Lovelace");
  formatted = roster_user_dup_formatted_name (user);
  g_assert_cmpstr (formatted, ==, "Ada King, Countess of Lovelace");
  json = roster_user_to_json (user, NULL, NULL);
  name = json_object_get_object_member (json_node_get_object (json), "name");
  g_assert_nonnull (name);
  g_assert_cmpstr (json_object_get_string_member (name, "formatted"), ==,
                   "Ada King, Countess of Lovelace");
  g_assert_false (json_object_has_member (name, "givenName"));

  roster_user_update_from (copy, user);
  g_assert_cmpstr (roster_user_get_title (copy), ==, "Ada King, Countess of Lovelace");

  roster_user_set_given_name (user, "Ada");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Ada");
  g_clear_pointer (&formatted, g_free);
  formatted = roster_user_dup_formatted_name (user);
  g_assert_cmpstr (formatted, ==, "Ada");
  roster_user_set_given_name (user, NULL); /* the formatted name does not come back */
  g_assert_cmpstr (roster_user_get_title (user), ==, "ada");

  /* With parts, the parts win over a formatted name that says otherwise. */
  g_clear_object (&copy);
  copy = user_from_text ("{\"userName\": \"bo\", \"name\": {\"formatted\": \"Mr B\", "
                         "\"givenName\": \"Bo\", \"familyName\": \"Lind\"}}",
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_title (copy), ==, "Bo Lind");
}

static void
test_title (void)
{
  RosterUser *user = roster_user_new ();
  Notes notes;

  notes_watch (&notes, user);
  g_assert_cmpstr (roster_user_get_title (user), ==, "");

  roster_user_set_user_name (user, "ana");
  g_assert_cmpstr (roster_user_get_title (user), ==, "ana");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "user-name"), ==, 1);

  roster_user_set_family_name (user, "Lima");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Lima");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "family-name"), ==, 1);

  roster_user_set_given_name (user, "Ana");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Ana Lima");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "given-name"), ==, 1);

  /* A display name beats the formatted name... */
  roster_user_set_display_name (user, "Ana L.");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Ana L.");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "display-name"), ==, 1);

  /* ...so changing the name underneath changes no title. */
  roster_user_set_user_name (user, "ana2");
  roster_user_set_given_name (user, "Anna");
  g_assert_cmpstr (roster_user_get_title (user), ==, "Ana L.");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 0);
  g_assert_cmpuint (notes_take (&notes, "user-name"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "given-name"), ==, 1);

  /* Dropping a display name that equals the formatted name changes no title. */
  roster_user_set_display_name (user, "Anna Lima");
  g_assert_cmpuint (notes_take (&notes, "display-name"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 1);
  roster_user_set_display_name (user, NULL);
  g_assert_cmpstr (roster_user_get_title (user), ==, "Anna Lima");
  g_assert_cmpuint (notes_take (&notes, "display-name"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 0);

  /* Back down to the username; "" counts as unset. */
  roster_user_set_given_name (user, "");
  roster_user_set_family_name (user, NULL);
  g_assert_cmpstr (roster_user_get_title (user), ==, "ana2");
  g_assert_cmpuint (notes_take (&notes, "title"), ==, 2);
  g_assert_cmpuint (notes_take (&notes, "given-name"), ==, 1);
  g_assert_cmpuint (notes_take (&notes, "family-name"), ==, 1);
  g_assert_null (roster_user_get_given_name (user));

  /* The property agrees with the getter. */
  {
    g_autofree char *title = NULL;

    g_object_get (user, "title", &title, NULL);
    g_assert_cmpstr (title, ==, "ana2");
  }
  notes_assert_none (&notes);

  notes_clear (&notes);
  g_assert_finalize_object (user);
}

/* G_PARAM_EXPLICIT_NOTIFY: one notify per real change, none for the same value. */
static void
test_notify (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) same_date = g_date_time_new_from_iso8601 ("2024-01-02T05:04:05+02:00",
                                                                 NULL);
  RosterUser *user = roster_user_new ();
  const char *string_props[] = { "id", "user-name", "given-name", "family-name",
                                 "display-name", "email", "version" };
  Notes notes;

  notes_watch (&notes, user);

  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    {
      const char *prop = string_props[i];
      g_autofree char *value = NULL;

      g_test_message ("property %s", prop);
      g_object_set (user, prop, "x", NULL);
      g_assert_cmpuint (notes_take (&notes, prop), ==, 1);
      g_object_set (user, prop, "x", NULL);
      g_assert_cmpuint (notes_take (&notes, prop), ==, 0);
      g_object_get (user, prop, &value, NULL);
      g_assert_cmpstr (value, ==, "x");
      g_object_set (user, prop, "", NULL); /* "" is stored as NULL */
      g_assert_cmpuint (notes_take (&notes, prop), ==, 1);
      g_object_set (user, prop, NULL, NULL);
      g_assert_cmpuint (notes_take (&notes, prop), ==, 0);
      g_object_set (user, prop, "y", NULL);
      g_assert_cmpuint (notes_take (&notes, prop), ==, 1);
    }
  notes_take (&notes, "title");
  notes_assert_none (&notes);

  /* Defaults: active, status active, not an administrator. */
  g_assert_true (roster_user_get_active (user));
  roster_user_set_active (user, TRUE);
  roster_user_set_status (user, ROSTER_USER_STATUS_ACTIVE);
  roster_user_set_administrator (user, FALSE);
  notes_assert_none (&notes);

  roster_user_set_active (user, FALSE);
  roster_user_set_active (user, FALSE);
  g_assert_cmpuint (notes_take (&notes, "active"), ==, 1);
  g_object_set (user, "administrator", TRUE, NULL);
  g_object_set (user, "administrator", TRUE, NULL);
  g_assert_cmpuint (notes_take (&notes, "administrator"), ==, 1);
  g_assert_true (roster_user_get_administrator (user));
  g_object_set (user, "status", ROSTER_USER_STATUS_LOCKED, NULL);
  roster_user_set_status (user, ROSTER_USER_STATUS_LOCKED);
  g_assert_cmpuint (notes_take (&notes, "status"), ==, 1);
  g_assert_cmpint (roster_user_get_status (user), ==, ROSTER_USER_STATUS_LOCKED);

  /* Dates compare by instant, not by pointer. */
  roster_user_set_created (user, date);
  roster_user_set_created (user, same_date);
  g_assert_cmpuint (notes_take (&notes, "created"), ==, 1);
  g_assert_true (roster_user_get_created (user) == date);
  g_object_set (user, "last-modified", date, NULL);
  g_object_set (user, "last-modified", same_date, NULL);
  g_assert_cmpuint (notes_take (&notes, "last-modified"), ==, 1);
  roster_user_set_last_modified (user, NULL);
  roster_user_set_last_modified (user, NULL);
  g_assert_cmpuint (notes_take (&notes, "last-modified"), ==, 1);
  g_assert_null (roster_user_get_last_modified (user));
  notes_assert_none (&notes);

  notes_clear (&notes);
  g_assert_finalize_object (user);
}

static void
test_update_from (void)
{
  g_autoptr(GError) error = NULL;
  RosterUser *full = user_from_text (full_user, &error);
  RosterUser *placeholder = roster_user_new_placeholder ();
  const char *changed[] = { "id", "user-name", "given-name", "family-name", "display-name",
                            "email", "active", "status", "administrator", "created",
                            "last-modified", "version", "title" };
  Notes notes;

  g_assert_no_error (error);
  g_assert_true (roster_user_get_placeholder (placeholder));
  notes_watch (&notes, placeholder);

  roster_user_update_from (placeholder, full);
  g_assert_cmpstr (roster_user_get_user_name (placeholder), ==, "bjensen");
  g_assert_cmpstr (roster_user_get_title (placeholder), ==, "Babs Jensen");
  g_assert_cmpint (roster_user_get_status (placeholder), ==, ROSTER_USER_STATUS_LOCKED);
  g_assert_true (roster_user_get_created (placeholder) == roster_user_get_created (full));
  g_assert_cmpstr (roster_user_get_version (placeholder), ==, roster_user_get_version (full));
  g_assert_true (roster_user_get_placeholder (placeholder)); /* stays a placeholder */

  /* Each changed property once (notifications are frozen during the copy). */
  for (guint i = 0; i < G_N_ELEMENTS (changed); i++)
    {
      g_test_message ("property %s", changed[i]);
      g_assert_cmpuint (notes_take (&notes, changed[i]), ==, 1);
    }
  notes_assert_none (&notes);

  /* A second copy of the same data changes nothing. */
  roster_user_update_from (placeholder, full);
  notes_assert_none (&notes);

  /* Copying a sparser user clears what it lacks. */
  {
    RosterUser *sparse = roster_user_new ();

    roster_user_set_user_name (sparse, "bjensen");
    roster_user_update_from (placeholder, sparse);
    g_assert_null (roster_user_get_id (placeholder));
    g_assert_null (roster_user_get_display_name (placeholder));
    g_assert_null (roster_user_get_created (placeholder));
    g_assert_cmpstr (roster_user_get_title (placeholder), ==, "bjensen");
    g_assert_cmpuint (notes_take (&notes, "user-name"), ==, 0);
    g_assert_cmpuint (notes_take (&notes, "id"), ==, 1);
    g_assert_finalize_object (sparse);
  }

  notes_clear (&notes);
  g_assert_finalize_object (placeholder);
  g_assert_finalize_object (full);
}

static void
test_placeholder (void)
{
  RosterUser *user = roster_user_new ();
  RosterUser *placeholder = roster_user_new_placeholder ();
  gboolean value = FALSE;

  g_assert_false (roster_user_get_placeholder (user));
  g_assert_true (roster_user_get_placeholder (placeholder));
  g_object_get (placeholder, "placeholder", &value, NULL);
  g_assert_true (value);
  g_assert_cmpstr (roster_user_get_title (placeholder), ==, "");

  g_assert_finalize_object (placeholder);
  g_assert_finalize_object (user);
}

static void
test_status_strings (void)
{
  static const struct
  {
    RosterUserStatus status;
    const char *name;
  } cases[] = {
    { ROSTER_USER_STATUS_PENDING, "pending" },
    { ROSTER_USER_STATUS_ACTIVE, "active" },
    { ROSTER_USER_STATUS_INACTIVE, "inactive" },
    { ROSTER_USER_STATUS_LOCKED, "locked" },
  };
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (ROSTER_TYPE_USER_STATUS);
  RosterUserStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      status = ROSTER_USER_STATUS_ACTIVE;
      g_assert_cmpstr (roster_user_status_to_string (cases[i].status), ==, cases[i].name);
      g_assert_true (roster_user_status_from_string (cases[i].name, &status));
      g_assert_cmpint (status, ==, cases[i].status);
      g_assert_cmpstr (roster_user_status_describe (cases[i].status), !=, "");
      /* The GEnum nicks are the wire names too. */
      g_assert_cmpint (g_enum_get_value_by_nick (enum_class, cases[i].name)->value, ==,
                       cases[i].status);
    }

  status = ROSTER_USER_STATUS_LOCKED;
  g_assert_false (roster_user_status_from_string ("Active", &status));
  g_assert_false (roster_user_status_from_string ("", &status));
  g_assert_false (roster_user_status_from_string (NULL, &status));
  g_assert_cmpint (status, ==, ROSTER_USER_STATUS_LOCKED); /* untouched */
}

static JsonObject *
to_json_object (RosterUser *user, const char *password, JsonNode **node)
{
  *node = roster_user_to_json (user, password, NULL);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

/* The password is write-only, and only a stored user has id and meta. */
static void
test_to_json_new_user (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  RosterUser *user = roster_user_new ();
  RosterUser *read_back;
  JsonObject *object;

  roster_user_set_user_name (user, "ana");
  roster_user_set_email (user, "ana@example.com");
  roster_user_set_given_name (user, "Ana");

  object = to_json_object (user, NULL, &node);
  g_assert_false (json_object_has_member (object, "password"));
  g_assert_false (json_object_has_member (object, "meta"));
  g_assert_false (json_object_has_member (object, "id"));
  g_assert_false (json_object_has_member (object, "displayName")); /* unset: left out */
  g_assert_true (json_object_get_boolean_member (object, "active"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "name"),
                                                  "formatted"),
                   ==, "Ana");
  g_clear_pointer (&node, json_node_unref);

  object = to_json_object (user, "correct horse", &node);
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, "correct horse");
  g_assert_false (json_object_has_member (object, "meta"));
  /* Reading it back ignores the password and keeps the rest. */
  read_back = roster_user_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_user_get_email (read_back), ==, "ana@example.com");
  g_assert_cmpstr (roster_user_get_given_name (read_back), ==, "Ana");
  g_assert_finalize_object (read_back);
  g_clear_pointer (&node, json_node_unref);

  /* A creation time alone does not make a user stored: no id, no meta. */
  roster_user_set_created (user, now);
  object = to_json_object (user, NULL, &node);
  g_assert_false (json_object_has_member (object, "meta"));
  g_clear_pointer (&node, json_node_unref);

  /* Once stored: id and meta, lastModified falling back to created; still no password. */
  roster_user_set_id (user, "42");
  object = to_json_object (user, NULL, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "42");
  g_assert_true (json_object_has_member (object, "meta"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "meta"),
                                                  "lastModified"),
                   ==,
                   json_object_get_string_member (json_object_get_object_member (object, "meta"),
                                                  "created"));
  g_assert_false (json_object_has_member (object, "password"));

  g_assert_finalize_object (user);
}

/* A user with every attribute the app knows, to copy from. */
static const char model_user[] =
  "{"
  "  \"schemas\": [\"" ROSTER_SCIM_SCHEMA_USER "\", \"" EXT "\"],"
  "  \"id\": \"ada\", \"userName\": \"ada\", \"externalId\": \"hr-1815\","
  "  \"name\": {\"givenName\": \"Ada\", \"familyName\": \"Lovelace\"},"
  "  \"displayName\": \"Ada Lovelace\","
  "  \"emails\": [{\"value\": \"ada@example.com\", \"type\": \"work\", \"primary\": true}],"
  "  \"phoneNumbers\": [{\"value\": \"+44 20 7946 0000\", \"type\": \"mobile\"}],"
  "  \"ims\": [{\"value\": \"ada.l\", \"type\": \"skype\"}],"
  "  \"photos\": [{\"value\": \"https://crm.example/scim/v2/Users/ada/photo\","
  "                \"type\": \"photo\"}],"
  "  \"addresses\": [{\"type\": \"work\", \"streetAddress\": \"12 St James's Sq\","
  "                   \"locality\": \"London\", \"postalCode\": \"SW1Y 4JH\","
  "                   \"region\": \"Greater London\", \"country\": \"GB\"}],"
  "  \"active\": false, \"preferredLanguage\": \"en\","
  "  \"roles\": [{\"value\": \"r-analyst\", \"display\": \"Analyst\"}],"
  "  \"entitlements\": [{\"value\": \"clients.view\"}],"
  "  \"groups\": [{\"value\": \"g-sales\", \"display\": \"Sales\"},"
  "              {\"value\": \"t-engine\", \"display\": \"Engine Team\"}],"
  "  \"" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER "\": {\"employeeNumber\": \"E-1815\","
  "     \"department\": \"Mathematics\", \"manager\": {\"value\": \"babbage\","
  "     \"displayName\": \"Charles Babbage\"}},"
  "  \"" EXT "\": {\"administrator\": true, \"country\": \"GB\", \"status\": \"locked\","
  "     \"secondaryManager\": {\"value\": \"somerville\", \"displayName\": \"Mary Somerville\"},"
  "     \"mustChangePassword\": true, \"lock\": {\"reason\": \"too-many-failures\"}},"
  "  \"meta\": {\"resourceType\": \"User\", \"created\": \"2024-01-23T04:56:22Z\","
  "            \"version\": \"W/\\\"7\\\"\"}"
  "}";

/* A duplicate gets what the model may do, and nothing of who it is, how to reach it or how
 * it signs in. */
static void
test_copy_access (void)
{
  static const char *const never[] = { "employee-number", "mobile", "skype", "street-address",
                                       "locality", "postal-code", "region", "address-country",
                                       "photo", "lock-reason" };
  g_autoptr(GError) error = NULL;
  RosterUser *model = user_from_text (model_user, &error);
  RosterUser *copy = roster_user_new ();
  RosterUser *blank = roster_user_new ();
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) added = NULL;
  RosterUserField copied;

  g_assert_no_error (error);
  roster_user_copy_access (copy, model, ROSTER_USER_FIELDS_ACCESS);

  /* What was copied is exactly the access fields, each now equal to the model's. */
  copied = roster_user_diff (blank, copy);
  g_assert_cmphex (copied & ~ROSTER_USER_FIELDS_ACCESS, ==, 0);
  g_assert_cmphex (roster_user_diff (model, copy) & ROSTER_USER_FIELDS_ACCESS, ==, 0);
  g_assert_false (roster_user_get_active (copy));
  g_assert_true (roster_user_get_administrator (copy));
  g_assert_cmpstr (roster_user_get_string (copy, "department"), ==, "Mathematics");
  g_assert_cmpstr (roster_user_get_string (copy, "preferred-language"), ==, "en");
  g_assert_cmpstr (roster_user_get_string (copy, "country"), ==, "GB");
  g_assert_cmpstr (roster_user_get_string (copy, "manager-id"), ==, "babbage");
  g_assert_cmpstr (roster_user_get_string (copy, "manager-name"), ==, "Charles Babbage");
  g_assert_cmpstr (roster_user_get_string (copy, "secondary-manager-id"), ==, "somerville");
  g_assert_cmpstr (roster_user_get_roles (copy)[0], ==, "r-analyst");
  g_assert_cmpstr (roster_user_get_role_names (copy)[0], ==, "Analyst");
  g_assert_cmpstr (roster_user_get_entitlements (copy)[0], ==, "clients.view");

  /* Identity, contact details, credentials and server state stay empty. */
  g_assert_null (roster_user_get_id (copy));
  g_assert_null (roster_user_get_user_name (copy));
  g_assert_null (roster_user_get_given_name (copy));
  g_assert_null (roster_user_get_family_name (copy));
  g_assert_null (roster_user_get_display_name (copy));
  g_assert_null (roster_user_get_email (copy));
  g_assert_null (roster_user_get_version (copy));
  g_assert_null (roster_user_get_created (copy));
  for (guint i = 0; i < G_N_ELEMENTS (never); i++)
    g_assert_null (roster_user_get_string (copy, never[i]));
  g_assert_false (roster_user_get_must_change_password (copy));
  g_assert_cmpint (roster_user_get_status (copy), !=, ROSTER_USER_STATUS_LOCKED);

  /* Memberships come along, to be joined once the copy is created. */
  added = roster_user_dup_groups_added (blank, copy, &names);
  g_assert_cmpuint (g_strv_length (added), ==, 2);
  g_assert_cmpstr (added[0], ==, "g-sales");
  g_assert_cmpstr (names[0], ==, "Sales");
  g_assert_cmpstr (added[1], ==, "t-engine");
  g_assert_cmpstr (names[1], ==, "Engine Team");
  g_clear_pointer (&added, g_strfreev);
  g_clear_pointer (&names, g_strfreev);
  /* The model itself has nothing to join. */
  added = roster_user_dup_groups_added (model, model, NULL);
  g_assert_cmpuint (g_strv_length (added), ==, 0);
  g_clear_pointer (&added, g_strfreev);

  /* Identity fields asked for are refused all the same. */
  roster_user_copy_access (blank, model, ROSTER_USER_FIELD_USER_NAME | ROSTER_USER_FIELD_EMAIL
                                           | ROSTER_USER_FIELD_EMPLOYEE_NUMBER
                                           | ROSTER_USER_FIELD_MOBILE);
  g_assert_null (roster_user_get_user_name (blank));
  g_assert_null (roster_user_get_email (blank));
  g_assert_null (roster_user_get_string (blank, "employee-number"));
  g_assert_null (roster_user_get_string (blank, "mobile"));

  g_assert_finalize_object (blank);
  g_assert_finalize_object (copy);
  g_assert_finalize_object (model);
}

/* "Copy Permissions From…" replaces roles and per-user permissions, adds memberships, and
 * leaves the rest of the edited user alone. */
static void
test_copy_permissions (void)
{
  g_autoptr(GError) error = NULL;
  RosterUser *model = user_from_text (model_user, &error);
  RosterUser *grace = user_from_text (
    "{\"schemas\": [\"" ROSTER_SCIM_SCHEMA_USER "\"], \"id\": \"grace\", \"userName\": \"grace\","
    " \"preferredLanguage\": \"de\","
    " \"roles\": [{\"value\": \"r-admiral\", \"display\": \"Admiral\"}],"
    " \"groups\": [{\"value\": \"t-engine\", \"display\": \"Engine Team\"},"
    "              {\"value\": \"g-navy\", \"display\": \"Navy\"}]}",
    &error);
  RosterUser *edited = roster_user_new ();
  g_auto(GStrv) added = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_no_error (error);
  roster_user_update_from (edited, grace);
  roster_user_copy_access (edited, model, ROSTER_USER_FIELDS_PERMISSIONS);
  g_assert_cmphex (roster_user_diff (grace, edited), ==, ROSTER_USER_FIELDS_PERMISSIONS);
  g_assert_cmpstr (roster_user_get_roles (edited)[0], ==, "r-analyst");
  g_assert_null (roster_user_get_roles (edited)[1]);
  g_assert_cmpstr (roster_user_get_string (edited, "preferred-language"), ==, "de");
  g_assert_false (roster_user_get_administrator (edited));
  /* Her own memberships stay; of the model's, only the one she lacks is new. */
  g_assert_cmpuint (g_strv_length ((GStrv) roster_user_get_group_ids (edited)), ==, 3);
  added = roster_user_dup_groups_added (grace, edited, &names);
  g_assert_cmpuint (g_strv_length (added), ==, 1);
  g_assert_cmpstr (added[0], ==, "g-sales");
  g_assert_cmpstr (names[0], ==, "Sales");

  g_assert_finalize_object (edited);
  g_assert_finalize_object (grace);
  g_assert_finalize_object (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/user/json/read", test_json_read);
  g_test_add_func ("/user/json/round-trip", test_json_round_trip);
  g_test_add_func ("/user/json/missing-user-name", test_json_missing_user_name);
  g_test_add_func ("/user/json/wrong-types", test_json_wrong_types);
  g_test_add_func ("/user/json/minimal", test_json_minimal);
  g_test_add_func ("/user/json/status-without-extension", test_json_status_without_extension);
  g_test_add_func ("/user/json/email-pick", test_json_email_pick);
  g_test_add_func ("/user/title", test_title);
  g_test_add_func ("/user/formatted-name-only", test_formatted_name_only);
  g_test_add_func ("/user/notify", test_notify);
  g_test_add_func ("/user/update-from", test_update_from);
  g_test_add_func ("/user/placeholder", test_placeholder);
  g_test_add_func ("/user/status-strings", test_status_strings);
  g_test_add_func ("/user/to-json/new-user", test_to_json_new_user);
  g_test_add_func ("/user/copy-access", test_copy_access);
  g_test_add_func ("/user/copy-permissions", test_copy_permissions);

  return g_test_run ();
}
