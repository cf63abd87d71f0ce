/* test-scim-path.c: PATCH operation paths (RFC 7644 §3.5.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scim-path"

#include "config.h"

#include <string.h>

#include "roster-scim-path.h"
#include "roster-scim.h"

static RosterScimPath *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RosterScimPath *path = roster_scim_path_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

static void
assert_attr_path (RosterScimPath *path, const char *schema, const char *attribute,
                  const char *sub_attribute)
{
  const RosterScimAttrPath *attr = roster_scim_path_get_attr_path (path);

  g_assert_cmpstr (attr->schema, ==, schema);
  g_assert_cmpstr (attr->attribute, ==, attribute);
  g_assert_cmpstr (attr->sub_attribute, ==, sub_attribute);
}

/* RFC 7644 §3.5.2's examples, and the forms §3.5.2.1–3 use. */
static void
test_parse_rfc_examples (void)
{
  static const struct
  {
    const char *text;
    const char *schema, *attribute, *sub_attribute;
    gboolean has_filter;
    const char *canonical;
  } cases[] = {
    { "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]", NULL, "members", NULL, TRUE,
      "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]" },
    { "addresses[type eq \"work\"].streetAddress", NULL, "addresses", "streetAddress", TRUE,
      "addresses[type eq \"work\"].streetAddress" },
    { "members", NULL, "members", NULL, FALSE, "members" },
    { "name.familyName", NULL, "name", "familyName", FALSE, "name.familyName" },
    { "emails[type eq \"work\" and value ew \"example.com\"]", NULL, "emails", NULL, TRUE,
      "emails[(type eq \"work\" and value ew \"example.com\")]" },
    { "emails[type eq \"work\"].value", NULL, "emails", "value", TRUE,
      "emails[type eq \"work\"].value" },
    { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "manager", NULL, FALSE,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" },
    { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
      ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "manager", "value", FALSE,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" },
    { "urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].display",
      ROSTER_SCIM_SCHEMA_USER, "emails", "display", TRUE,
      "urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].display" },
    { "members[$ref eq \"https://example.com/v2/Users/1\"]", NULL, "members", NULL, TRUE,
      "members[$ref eq \"https://example.com/v2/Users/1\"]" },
    { "  EMAILS[ TYPE EQ \"work\" ].VALUE  ", NULL, "EMAILS", "VALUE", TRUE,
      "EMAILS[TYPE eq \"work\"].VALUE" },
    /* Grammatical: a bare schema URN reads as attribute "User" of schema "…:2.0". */
    { "urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0", "User",
      NULL, FALSE, "urn:ietf:params:scim:schemas:core:2.0:User" },
    { "members[not (value eq \"x\") and (display sw \"A\" or display pr)]", NULL, "members", NULL,
      TRUE, "members[(not (value eq \"x\") and (display sw \"A\" or display pr))]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RosterScimPath) path = parse_ok (cases[i].text);
      g_autofree char *str = roster_scim_path_to_string (path);
      g_autoptr(RosterScimPath) again = parse_ok (str);
      g_autofree char *str2 = roster_scim_path_to_string (again);

      g_test_message ("%s", cases[i].text);
      assert_attr_path (path, cases[i].schema, cases[i].attribute, cases[i].sub_attribute);
      g_assert_cmpint (roster_scim_path_get_filter (path) != NULL, ==, cases[i].has_filter);
      g_assert_cmpstr (str, ==, cases[i].canonical);
      g_assert_cmpstr (str2, ==, str);
    }
}

static void
test_parse_filter_tree (void)
{
  g_autoptr(RosterScimPath) path
             = parse_ok ("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]");
  RosterScimFilter *filter = roster_scim_path_get_filter (path);

  g_assert_cmpint (roster_scim_filter_get_kind (filter), ==, ROSTER_SCIM_FILTER_COMPARE);
  g_assert_cmpint (roster_scim_filter_get_op (filter), ==, ROSTER_SCIM_OP_EQ);
  g_assert_cmpstr (roster_scim_filter_get_path (filter)->attribute, ==, "value");
  g_assert_cmpstr (json_node_get_string (roster_scim_filter_get_value (filter)), ==,
                   "2819c223-7f76-453a-919d-413861904646");
}

static void
test_parse_invalid (void)
{
  static const char *const cases[] = {
    "",
    "  ",
    "members[",
    "members[]",
    "members[value eq \"x\"",
    "members[value eq \"x\"].",
    "members[value eq \"x\"]x",
    "members[value eq \"x\"] x",
    "members[value eq \"x\"][type pr]",
    "members[value eq \"x\"].value.x",
    "members[value eq \"x\"].1x",
    "name.familyName.x",
    "name.familyName[value pr]",
    "name..familyName",
    ".name",
    "name.",
    "1name",
    "urn:ietf:params:scim:schemas:core:2.0:User:",
    "urn:a::b",
    "members value",
    "members pr",
    "members eq \"x\"",
    "members[value]",
    "members[value eq x]",
    "members[type[value pr]]",
    "members[a.b pr]",
    "members[urn:a:b:c pr]",
    "members[value eq \"\\ud800\"]",
    "members[value eq \"x\" or]",
    "members)",
    "(members)",
    "members[value eq \"x\"]]",
    "name.family\xff",
    "emails[value eq \"x\"].value[type pr]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterScimPath) path = roster_scim_path_parse (cases[i], &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(parsed!)");
      g_assert_null (path);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_PATH);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterScimPath) path = roster_scim_path_parse ("members[value eq \"x\"]x", &error);

    g_assert_cmpstr (error->message, ==, "Unexpected “x” at position 22.");
    g_clear_error (&error);
    g_assert_null (roster_scim_path_parse ("", &error));
    g_assert_cmpstr (error->message, ==, "The path is empty.");
  }
}

/* Path limits are the filter's. */
static void
test_parse_limits (void)
{
  g_autoptr(GString) deep = g_string_new ("members[");
  g_autoptr(GString) long_path = g_string_new ("members[value eq \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterScimPath) path = NULL;

  for (guint i = 0; i < ROSTER_SCIM_FILTER_MAX_DEPTH; i++)
    g_string_append (deep, "(");
  g_string_append (deep, "value pr");
  for (guint i = 0; i < ROSTER_SCIM_FILTER_MAX_DEPTH; i++)
    g_string_append (deep, ")");
  g_string_append (deep, "]");
  path = roster_scim_path_parse (deep->str, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_PATH);
  g_assert_null (path);
  g_clear_error (&error);

  while (long_path->len <= ROSTER_SCIM_FILTER_MAX_LENGTH)
    g_string_append_c (long_path, 'x');
  g_string_append (long_path, "\"]");
  path = roster_scim_path_parse (long_path->str, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_PATH);
  g_assert_null (path);
}

static gboolean
lookup (const RosterScimAttrPath *path, RosterScimAttributeInfo *info, gpointer user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, roster_scim_attr_path_to_string (path));
  if (roster_scim_attr_path_is (path, ROSTER_SCIM_SCHEMA_USER, "members.value")
      || roster_scim_attr_path_is (path, ROSTER_SCIM_SCHEMA_USER, "members.$ref"))
    {
      info->type = ROSTER_SCIM_TYPE_STRING;
      info->case_exact = TRUE;
      return TRUE;
    }
  if (roster_scim_attr_path_is (path, ROSTER_SCIM_SCHEMA_USER, "members.display"))
    return TRUE;
  return FALSE;
}

/* Which values of a multi-valued attribute an operation on the path targets. */
static void
test_match_value (void)
{
  static const char members[]
      = "[{\"value\": \"2819c223-7f76-453a-919d-413861904646\", \"display\": \"Babs Jensen\"},"
        " {\"value\": \"902c246b-6245-4190-8e05-00816be7344a\", \"display\": \"Mandy Pepperidge\"},"
        " {\"value\": \"2819C223-7F76-453A-919D-413861904646\"},"
        " \"not an object\"]";
  g_autoptr(JsonNode) node = json_from_string (members, NULL);
  JsonArray *array = json_node_get_array (node);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  static const struct
  {
    const char *path;
    const char *expected; /* one character per member */
  } cases[] = {
    { "members", "1111" },
    { "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]", "1000" },
    { "members[display co \"JENSEN\"]", "1000" },
    { "members[display pr]", "1100" },
    { "members[not (display pr)]", "0010" },
    { "members[value sw \"2819\" or display ew \"idge\"]", "1110" },
    { "members[value sw \"2819c\"]", "1000" },
    { "Members[VALUE eq \"902c246b-6245-4190-8e05-00816be7344a\"].display", "0100" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RosterScimPath) path = parse_ok (cases[i].path);
      GString *got = g_string_new (NULL);
      g_autofree char *str = NULL;

      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          g_autoptr(GError) error = NULL;
          gboolean matched = roster_scim_path_match_value (path, json_array_get_element (array, j),
                                                           lookup, seen, &error);

          g_assert_no_error (error);
          g_string_append_c (got, matched ? '1' : '0');
        }
      str = g_string_free (got, FALSE);
      g_test_message ("%s → %s", cases[i].path, str);
      g_assert_cmpstr (str, ==, cases[i].expected);
    }

  /* The lookup saw qualified paths. */
  g_assert_cmpuint (seen->len, >, 0);
  for (guint i = 0; i < seen->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (seen, i), "members.")
                   || g_str_has_prefix (g_ptr_array_index (seen, i), "Members."));

  {
    g_autoptr(RosterScimPath) path = parse_ok ("members[type eq \"x\"]");
    g_autoptr(GError) error = NULL;

    g_assert_false (roster_scim_path_match_value (path, json_array_get_element (array, 0), lookup,
                                                  seen, &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scim-path/parse/rfc-examples", test_parse_rfc_examples);
  g_test_add_func ("/scim-path/parse/filter-tree", test_parse_filter_tree);
  g_test_add_func ("/scim-path/parse/invalid", test_parse_invalid);
  g_test_add_func ("/scim-path/parse/limits", test_parse_limits);
  g_test_add_func ("/scim-path/match/value", test_match_value);

  return g_test_run ();
}
