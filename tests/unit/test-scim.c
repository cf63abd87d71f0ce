/* test-scim.c: ListResponse, body parsing and the type-checking JSON helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scim"

#include "config.h"

#include <string.h>

#include "roster-scim-filter.h"
#include "roster-scim.h"

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = roster_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonNode *
resource_new (const char *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
test_list_round_trip (void)
{
  g_autoptr(GPtrArray) resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonArray *array;
  guint total = 0, start = 0;

  g_ptr_array_add (resources, resource_new ("a"));
  g_ptr_array_add (resources, resource_new ("b"));
  g_ptr_array_add (resources, resource_new ("c"));
  list = roster_scim_list_new (resources, 10, 4);

  object = json_node_get_object (list);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (object, "schemas"), 0),
                   ==, ROSTER_SCIM_MESSAGE_LIST);
  g_assert_cmpint (json_object_get_int_member (object, "itemsPerPage"), ==, 3);

  /* Through text, as a client gets it. */
  text = roster_json_to_string (list, NULL);
  parsed = parse_ok (text);
  array = roster_scim_list_parse (parsed, &total, &start, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  g_assert_cmpuint (total, ==, 10);
  g_assert_cmpuint (start, ==, 4);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *resource = json_array_get_object_element (array, i);
      const char *expected[] = { "a", "b", "c" };

      g_assert_cmpstr (json_object_get_string_member (resource, "id"), ==, expected[i]);
    }

  /* The list holds its own references. */
  g_clear_pointer (&resources, g_ptr_array_unref);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (list), "Resources")),
                    ==, 3);
}

static void
test_list_empty (void)
{
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  g_autoptr(JsonNode) list = roster_scim_list_new (resources, 0, 1);
  g_autoptr(GError) error = NULL;
  guint total = 99, start = 99;
  JsonArray *array;

  array = roster_scim_list_parse (list, &total, &start, &error);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 0);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpuint (start, ==, 1);
}

/* RFC 7644 lets a server leave out Resources on an empty page, and startIndex too. */
static void
test_list_missing_resources (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"totalResults\": 0}");
  g_autoptr(JsonNode) nulled = parse_ok ("{\"totalResults\": 5, \"Resources\": null,"
                                         " \"startIndex\": 0}");
  g_autoptr(GError) error = NULL;
  guint total = 99, start = 99;

  g_assert_null (roster_scim_list_parse (node, &total, &start, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpuint (start, ==, 1);

  /* null is as good as missing; a startIndex below 1 is clamped. */
  g_assert_null (roster_scim_list_parse (nulled, &total, &start, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 5);
  g_assert_cmpuint (start, ==, 1);
}

static void
test_list_bad (void)
{
  const char *bad[] = {
    "{}",                                              /* no totalResults */
    "{\"totalResults\": null}",
    "{\"totalResults\": \"10\"}",                      /* a string */
    "{\"totalResults\": 1.5}",                         /* not an integer */
    "{\"totalResults\": -1}",
    "{\"totalResults\": 4294967296}",                  /* > G_MAXUINT */
    "{\"totalResults\": true}",
    "{\"totalResults\": [1]}",
    "{\"totalResults\": 1, \"Resources\": {}}",        /* Resources not an array */
    "{\"totalResults\": 1, \"Resources\": \"x\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (bad[i]);
      g_autoptr(GError) error = NULL;
      guint total = 0, start = 0;

      g_test_message ("%s", bad[i]);
      g_assert_null (roster_scim_list_parse (node, &total, &start, &error));
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL);
    }
}

static void
test_list_not_an_object (void)
{
  g_autoptr(JsonNode) array = json_from_string ("[]", NULL);
  g_autoptr(GError) error = NULL;
  guint total = 0, start = 0;

  g_assert_null (roster_scim_list_parse (array, &total, &start, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (roster_scim_list_parse (NULL, &total, &start, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL);
}

static void
assert_parse_fails (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = roster_json_parse (data, length, &error);

  g_assert_null (node);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX);
}

static void
test_json_parse_bad (void)
{
  static const char nul[] = "{}\0";

  assert_parse_fails (NULL, 0);
  assert_parse_fails ("", 0);
  assert_parse_fails ("{}", 0);                 /* the length decides, not the text */
  assert_parse_fails ("   \n", 4);              /* only white space */
  assert_parse_fails ("\xff{}", 3);             /* not UTF-8 */
  assert_parse_fails ("{\"a\": \"\xc3\x28\"}", 11); /* bad UTF-8 in a string */
  assert_parse_fails (nul, sizeof nul);         /* an embedded NUL */
  assert_parse_fails ("{", 1);
  assert_parse_fails ("{\"a\": }", 7);
  assert_parse_fails ("{\"a\": 1} x", 10);      /* trailing garbage */
  assert_parse_fails ("[1, 2]", 6);             /* root is not an object */
  assert_parse_fails ("42", 2);
  assert_parse_fails ("\"text\"", 6);
  assert_parse_fails ("null", 4);
}

static void
test_json_parse_good (void)
{
  static const char text[] = "{\"userName\": \"åsa\"}garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = roster_json_parse (text, strlen ("{\"userName\": \"åsa\"}"), &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "userName"), ==,
                   "åsa");
}

static void
test_json_getters (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\": \"x\", \"n\": 1, \"b\": false, \"z\": null,"
                                       " \"o\": {}, \"a\": []}");
  JsonObject *object = json_node_get_object (node);
  const char *members[] = { "s", "n", "b", "o", "a" };
  g_autoptr(GError) error = NULL;

  /* Right type, missing and null. */
  g_assert_cmpstr (roster_json_get_string (object, "s", &error), ==, "x");
  g_assert_false (roster_json_get_boolean (object, "b", TRUE, &error));
  g_assert_nonnull (roster_json_get_object (object, "o", &error));
  g_assert_nonnull (roster_json_get_array (object, "a", &error));
  g_assert_null (roster_json_get_string (object, "missing", &error));
  g_assert_null (roster_json_get_string (object, "z", &error));
  g_assert_true (roster_json_get_boolean (object, "missing", TRUE, &error));
  g_assert_true (roster_json_get_boolean (object, "z", TRUE, &error));
  g_assert_null (roster_json_get_object (object, "z", &error));
  g_assert_null (roster_json_get_array (object, "missing", &error));
  g_assert_no_error (error);

  /* Every wrong type is INVALID_VALUE. */
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *m = members[i];

      g_test_message ("member %s", m);
      if (!g_str_equal (m, "s"))
        {
          g_assert_null (roster_json_get_string (object, m, &error));
          g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
          g_clear_error (&error);
        }
      if (!g_str_equal (m, "b"))
        {
          g_assert_true (roster_json_get_boolean (object, m, TRUE, &error));
          g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
          g_clear_error (&error);
        }
      if (!g_str_equal (m, "o"))
        {
          g_assert_null (roster_json_get_object (object, m, &error));
          g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
          g_clear_error (&error);
        }
      if (!g_str_equal (m, "a"))
        {
          g_assert_null (roster_json_get_array (object, m, &error));
          g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE);
          g_clear_error (&error);
        }
    }
}

static void
test_json_new_strings (void)
{
  g_autoptr(JsonNode) node = roster_json_new_strings ("userName", "ada", "password",
                                                      "say \"hi\"", NULL);
  g_autofree char *text = roster_json_to_string (node, NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "userName"), ==, "ada");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, "say \"hi\"");
  g_assert_cmpstr (text, ==, "{\"userName\":\"ada\",\"password\":\"say \\\"hi\\\"\"}");
}

static void
test_search_filter (void)
{
  g_autofree char *plain = roster_scim_search_filter_new ("  ada ");
  g_autofree char *hostile = roster_scim_search_filter_new ("x\" or 1=1 --\\");
  g_autoptr(RosterScimFilter) parsed = NULL;
  g_autoptr(RosterScimFilter) parsed_hostile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (roster_scim_search_filter_new (NULL));
  g_assert_null (roster_scim_search_filter_new (""));
  g_assert_null (roster_scim_search_filter_new ("   "));

  g_assert_cmpstr (plain, ==,
                   "userName co \"ada\" or displayName co \"ada\" or name.givenName co \"ada\" "
                   "or name.familyName co \"ada\" or emails.value co \"ada\" or "
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber "
                   "sw \"ada\"");
  parsed = roster_scim_filter_parse (plain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_scim_filter_get_kind (parsed), ==, ROSTER_SCIM_FILTER_OR);

  /* What the user typed stays one string literal, whatever it holds. */
  parsed_hostile = roster_scim_filter_parse (hostile, &error);
  g_assert_no_error (error);
  {
    RosterScimFilter *first = parsed_hostile;

    while (roster_scim_filter_get_kind (first) == ROSTER_SCIM_FILTER_OR)
      first = roster_scim_filter_get_child (first, 0);
    g_assert_cmpstr (json_node_get_string (roster_scim_filter_get_value (first)), ==,
                     "x\" or 1=1 --\\");
  }
}

/* The user list's search and filters make one filter the server's parser takes. */
static void
test_user_list_filter (void)
{
  g_autofree char *none = roster_scim_user_list_filter_new ("  ", NULL, "", NULL);
  g_autofree char *status = roster_scim_user_list_filter_new (NULL, "locked", NULL, NULL);
  g_autofree char *all = roster_scim_user_list_filter_new ("ada", "active", "r\"1", "t1");
  g_autoptr(RosterScimFilter) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (none);
  g_assert_cmpstr (status, ==, ROSTER_SCIM_SCHEMA_ROSTER_USER ":status eq \"locked\"");
  g_assert_true (g_str_has_prefix (all, "(userName co \"ada\" or "));
  g_assert_true (g_str_has_suffix (all, ") and (" ROSTER_SCIM_SCHEMA_ROSTER_USER
                                        ":status eq \"active\") and (roles.value eq \"r\\\"1\")"
                                        " and (groups.value eq \"t1\")"));
  parsed = roster_scim_filter_parse (all, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_scim_filter_get_kind (parsed), ==, ROSTER_SCIM_FILTER_AND);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scim/list/round-trip", test_list_round_trip);
  g_test_add_func ("/scim/list/empty", test_list_empty);
  g_test_add_func ("/scim/list/missing-resources", test_list_missing_resources);
  g_test_add_func ("/scim/list/bad", test_list_bad);
  g_test_add_func ("/scim/list/not-an-object", test_list_not_an_object);
  g_test_add_func ("/scim/json/parse-bad", test_json_parse_bad);
  g_test_add_func ("/scim/json/parse-good", test_json_parse_good);
  g_test_add_func ("/scim/json/getters", test_json_getters);

  g_test_add_func ("/scim/json/new-strings", test_json_new_strings);
  g_test_add_func ("/scim/search-filter", test_search_filter);
  g_test_add_func ("/scim/user-list-filter", test_user_list_filter);

  return g_test_run ();
}
