/* test-scim-filter.c: the SCIM filter parser, the evaluator, and the SQL it compiles to,
 * checked against a real SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scim-filter"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-validation.h"

#define CORE ROSTER_SCIM_SCHEMA_USER
#define ENTERPRISE ROSTER_SCIM_SCHEMA_ENTERPRISE_USER

static RosterScimFilter *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RosterScimFilter *filter = roster_scim_filter_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (filter);
  return filter;
}

/* The canonical form, which must itself parse back to the same form. */
static char *
canonical (const char *text)
{
  g_autoptr(RosterScimFilter) filter = parse_ok (text);
  g_autoptr(RosterScimFilter) again = NULL;
  char *str = roster_scim_filter_to_string (filter);
  g_autofree char *str2 = NULL;

  again = parse_ok (str);
  str2 = roster_scim_filter_to_string (again);
  g_assert_cmpstr (str, ==, str2);
  return str;
}

/* RFC 7644 §3.4.2.2, every example filter. */
static const char *const rfc_filters[] = {
  "userName Eq \"john\"",
  "name.familyName co \"O'Malley\"",
  "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
  "title pr",
  "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
  "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
  "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
  "meta.lastModified le \"2011-05-13T04:42:34Z\"",
  "title pr and userType eq \"Employee\"",
  "title pr or userType eq \"Intern\"",
  "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
  "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
  "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
  "userType eq \"Employee\" and (emails.type eq \"work\")",
  "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
  "emails[type eq \"work\" and value co \"@example.com\"] or "
  "ims[type eq \"xmpp\" and value co \"@foo.com\"]",
};

static void
test_parse_rfc_examples (void)
{
  static const char *const expected[] = {
    "userName eq \"john\"",
    "name.familyName co \"O'Malley\"",
    "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
    "title pr",
    "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
    "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
    "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
    "meta.lastModified le \"2011-05-13T04:42:34Z\"",
    "(title pr and userType eq \"Employee\")",
    "(title pr or userType eq \"Intern\")",
    "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
    "(userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\"))",
    "(userType ne \"Employee\" and not ((emails co \"example.com\" or "
    "emails.value co \"example.org\")))",
    "(userType eq \"Employee\" and emails.type eq \"work\")",
    "(userType eq \"Employee\" and emails[(type eq \"work\" and value co \"@example.com\")])",
    "(emails[(type eq \"work\" and value co \"@example.com\")] or "
    "ims[(type eq \"xmpp\" and value co \"@foo.com\")])",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (expected) == G_N_ELEMENTS (rfc_filters));
  for (guint i = 0; i < G_N_ELEMENTS (rfc_filters); i++)
    {
      g_autofree char *str = canonical (rfc_filters[i]);

      g_test_message ("%s", rfc_filters[i]);
      g_assert_cmpstr (str, ==, expected[i]);
    }
}

static void
test_parse_precedence (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "a pr or b pr and c pr", "(a pr or (b pr and c pr))" },
    { "a pr and b pr or c pr", "((a pr and b pr) or c pr)" },
    { "a pr and b pr or c pr and d pr", "((a pr and b pr) or (c pr and d pr))" },
    { "a pr or b pr or c pr", "(a pr or b pr or c pr)" },
    { "a pr and b pr and c pr", "(a pr and b pr and c pr)" },
    { "(a pr or b pr) and c pr", "((a pr or b pr) and c pr)" },
    { "not (a pr) and b pr", "(not (a pr) and b pr)" },
    { "not (a pr or b pr) or c pr", "(not ((a pr or b pr)) or c pr)" },
    { "((((a pr))))", "a pr" },
    { "a pr AND b pr OR c pr", "((a pr and b pr) or c pr)" },
    { "NOT(a pr)", "not (a pr)" },
    { "not  \t (a pr)", "not (a pr)" },
    /* "not" not before "(" is an attribute name. */
    { "not pr", "not pr" },
    { "and pr and or pr", "(and pr and or pr)" },
    { "emails[type eq \"work\" or not (primary eq true) and value pr]",
      "emails[(type eq \"work\" or (not (primary eq true) and value pr))]" },
    { "  title   pr  ", "title pr" },
    { "title eq\"x\"", "title eq \"x\"" },
    { "(title pr)and(userName pr)", "(title pr and userName pr)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *str = canonical (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (str, ==, cases[i].expected);
    }
}

static void
test_parse_tree (void)
{
  g_autoptr(RosterScimFilter) filter = parse_ok (
      "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@x\"]");
  g_autoptr(RosterScimFilter) urn = NULL;
  RosterScimFilter *compare, *value_path, *inner, *child;
  const RosterScimAttrPath *path;

  g_assert_cmpint (roster_scim_filter_get_kind (filter), ==, ROSTER_SCIM_FILTER_AND);
  g_assert_cmpuint (roster_scim_filter_get_n_children (filter), ==, 2);
  g_assert_null (roster_scim_filter_get_path (filter));

  compare = roster_scim_filter_get_child (filter, 0);
  g_assert_cmpint (roster_scim_filter_get_kind (compare), ==, ROSTER_SCIM_FILTER_COMPARE);
  g_assert_cmpint (roster_scim_filter_get_op (compare), ==, ROSTER_SCIM_OP_EQ);
  path = roster_scim_filter_get_path (compare);
  g_assert_null (path->schema);
  g_assert_cmpstr (path->attribute, ==, "userType");
  g_assert_null (path->sub_attribute);
  g_assert_cmpstr (json_node_get_string (roster_scim_filter_get_value (compare)), ==, "Employee");
  g_assert_cmpuint (roster_scim_filter_get_n_children (compare), ==, 0);

  value_path = roster_scim_filter_get_child (filter, 1);
  g_assert_cmpint (roster_scim_filter_get_kind (value_path), ==, ROSTER_SCIM_FILTER_VALUE_PATH);
  g_assert_cmpstr (roster_scim_filter_get_path (value_path)->attribute, ==, "emails");
  g_assert_cmpuint (roster_scim_filter_get_n_children (value_path), ==, 1);
  inner = roster_scim_filter_get_child (value_path, 0);
  g_assert_cmpint (roster_scim_filter_get_kind (inner), ==, ROSTER_SCIM_FILTER_AND);
  child = roster_scim_filter_get_child (inner, 1);
  g_assert_cmpint (roster_scim_filter_get_op (child), ==, ROSTER_SCIM_OP_CO);
  /* Inside the brackets paths are relative. */
  g_assert_cmpstr (roster_scim_filter_get_path (child)->attribute, ==, "value");
  g_assert_null (roster_scim_filter_get_path (child)->sub_attribute);

  /* A child outlives its parent if referenced. */
  roster_scim_filter_ref (child);
  g_clear_pointer (&filter, roster_scim_filter_unref);
  g_assert_cmpstr (roster_scim_filter_get_path (child)->attribute, ==, "value");
  roster_scim_filter_unref (child);

  urn = parse_ok ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value "
                  "eq \"26118915-6090-4610-87e4-49d8ca9f808d\"");
  path = roster_scim_filter_get_path (urn);
  g_assert_cmpstr (path->schema, ==, ENTERPRISE);
  g_assert_cmpstr (path->attribute, ==, "manager");
  g_assert_cmpstr (path->sub_attribute, ==, "value");
  g_assert_true (roster_scim_attr_path_is (path, ENTERPRISE, "manager.value"));
  g_assert_true (roster_scim_attr_path_is (path, ENTERPRISE, "MANAGER.Value"));
  g_assert_false (roster_scim_attr_path_is (path, CORE, "manager.value"));
  g_assert_false (roster_scim_attr_path_is (path, ENTERPRISE, "manager"));

  g_clear_pointer (&urn, roster_scim_filter_unref);
  urn = parse_ok ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr");
  g_assert_cmpint (roster_scim_filter_get_kind (urn), ==, ROSTER_SCIM_FILTER_PRESENT);
  path = roster_scim_filter_get_path (urn);
  g_assert_cmpstr (path->schema, ==, ENTERPRISE);
  g_assert_cmpstr (path->attribute, ==, "employeeNumber");
  g_assert_null (path->sub_attribute);
  g_assert_true (roster_scim_attr_path_is (path, ENTERPRISE, "employeenumber"));

  g_clear_pointer (&urn, roster_scim_filter_unref);
  urn = parse_ok ("members[$ref eq \"https://example.com/v2/Users/1\"]");
  g_assert_cmpstr (roster_scim_filter_get_path (roster_scim_filter_get_child (urn, 0))->attribute,
                   ==, "$ref");
}

static void
test_parse_operators (void)
{
  static const char *const ops[] = { "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le" };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *upper = g_ascii_strup (ops[i], -1);
      g_autofree char *text = g_strdup_printf ("title %s \"x\"", upper);
      g_autoptr(RosterScimFilter) filter = parse_ok (text);

      g_assert_cmpint (roster_scim_filter_get_op (filter), ==, (RosterScimCompareOp) i);
      g_assert_cmpstr (roster_scim_compare_op_to_string (i), ==, ops[i]);
    }
}

static void
test_parse_literals (void)
{
  static const struct
  {
    const char *text;
    const char *string;
  } strings[] = {
    { "a eq \"\"", "" },
    { "a eq \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\" \\ / \b \f \n \r \t" },
    { "a eq \"\\u00e9\\u00E9\"", "éé" },
    { "a eq \"\\ud83d\\ude00\"", "😀" },
    { "a eq \"😀 ünïcödé\"", "😀 ünïcödé" },
    { "a eq \"x\\\" or 1=1 --\"", "x\" or 1=1 --" },
    { "a eq \"' OR ''='\"", "' OR ''='" },
    { "a eq \"a)b]c(d[\"", "a)b]c(d[" },
  };
  static const struct
  {
    const char *text;
    GType type;
    gint64 i;
    double d;
  } numbers[] = {
    { "a eq 0", G_TYPE_INT64, 0, 0 },
    { "a eq 42", G_TYPE_INT64, 42, 0 },
    { "a eq -7", G_TYPE_INT64, -7, 0 },
    { "a eq 9223372036854775807", G_TYPE_INT64, G_MAXINT64, 0 },
    { "a eq -9223372036854775808", G_TYPE_INT64, G_MININT64, 0 },
    { "a eq 3.5", G_TYPE_DOUBLE, 0, 3.5 },
    { "a eq -0.25", G_TYPE_DOUBLE, 0, -0.25 },
    { "a eq 1e3", G_TYPE_DOUBLE, 0, 1000 },
    { "a eq 2.5E-1", G_TYPE_DOUBLE, 0, 0.25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (strings[i].text);
      JsonNode *value = roster_scim_filter_get_value (filter);

      g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_STRING);
      g_assert_cmpstr (json_node_get_string (value), ==, strings[i].string);
    }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (numbers[i].text);
      JsonNode *value = roster_scim_filter_get_value (filter);

      g_test_message ("%s", numbers[i].text);
      g_assert_cmpint (json_node_get_value_type (value), ==, numbers[i].type);
      if (numbers[i].type == G_TYPE_INT64)
        g_assert_cmpint (json_node_get_int (value), ==, numbers[i].i);
      else
        g_assert_cmpfloat (json_node_get_double (value), ==, numbers[i].d);
    }

  {
    g_autoptr(RosterScimFilter) t = parse_ok ("a eq true");
    g_autoptr(RosterScimFilter) f = parse_ok ("a ne false");
    g_autoptr(RosterScimFilter) n = parse_ok ("a eq null");

    g_assert_true (json_node_get_boolean (roster_scim_filter_get_value (t)));
    g_assert_false (json_node_get_boolean (roster_scim_filter_get_value (f)));
    g_assert_true (JSON_NODE_HOLDS_NULL (roster_scim_filter_get_value (n)));
  }
}

static char *
repeat (const char *unit, guint n)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (str, unit);
  return g_string_free (str, FALSE);
}

static char *
nested (guint depth)
{
  g_autofree char *open = repeat ("(", depth);
  g_autofree char *close = repeat (")", depth);

  return g_strdup_printf ("%stitle pr%s", open, close);
}

static char *
comparisons (guint n)
{
  GString *str = g_string_new ("a0 pr");

  for (guint i = 1; i < n; i++)
    g_string_append_printf (str, " or a%u pr", i);
  return g_string_free (str, FALSE);
}

static void
test_parse_limits (void)
{
  g_autofree char *deep_ok = nested (ROSTER_SCIM_FILTER_MAX_DEPTH);
  g_autofree char *deep_bad = nested (ROSTER_SCIM_FILTER_MAX_DEPTH + 1);
  g_autofree char *not_unit = repeat ("not (", ROSTER_SCIM_FILTER_MAX_DEPTH + 1);
  g_autofree char *not_close = repeat (")", ROSTER_SCIM_FILTER_MAX_DEPTH + 1);
  g_autofree char *not_bad = g_strconcat (not_unit, "a pr", not_close, NULL);
  g_autofree char *many_ok = comparisons (ROSTER_SCIM_FILTER_MAX_COMPARISONS);
  g_autofree char *many_bad = comparisons (ROSTER_SCIM_FILTER_MAX_COMPARISONS + 1);
  g_autofree char *pad_ok = repeat ("x", ROSTER_SCIM_FILTER_MAX_LENGTH - strlen ("a eq \"\""));
  g_autofree char *long_ok = g_strdup_printf ("a eq \"%s\"", pad_ok);
  g_autofree char *long_bad = g_strdup_printf ("a eq \"%sx\"", pad_ok);
  /* The limit counts characters, not bytes. */
  g_autofree char *wide = repeat ("é", ROSTER_SCIM_FILTER_MAX_LENGTH - strlen ("a eq \"\""));
  g_autofree char *wide_ok = g_strdup_printf ("a eq \"%s\"", wide);
  g_autoptr(RosterScimFilter) f1 = parse_ok (deep_ok);
  g_autoptr(RosterScimFilter) f2 = parse_ok (many_ok);
  g_autoptr(RosterScimFilter) f3 = parse_ok (long_ok);
  g_autoptr(RosterScimFilter) f4 = parse_ok (wide_ok);
  const char *bad[] = { deep_bad, not_bad, many_bad, long_bad };
  const char *needle[] = { "nested", "nested", "comparisons", "long" };

  g_assert_cmpuint (g_utf8_strlen (long_ok, -1), ==, ROSTER_SCIM_FILTER_MAX_LENGTH);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterScimFilter) filter = roster_scim_filter_parse (bad[i], &error);

      g_assert_null (filter);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, needle[i]));
    }
}

/* Hostile and broken input fails cleanly with invalidFilter, never crashes or leaks. */
static void
test_parse_hostile (void)
{
  static const char *const cases[] = {
    "",
    "   ",
    "\t\n",
    "(",
    ")",
    "()",
    "((title pr)",
    "(title pr))",
    "title",
    "title eq",
    "title eq \"x",
    "title eq \"x\\\"",
    "title xx \"x\"",
    "title eq \"x\" garbage",
    "title eq \"x\")",
    "title pr and",
    "and title pr",
    "title pr or or x pr",
    "title pr and and x pr",
    "not title pr",
    "not ()",
    "not (title pr",
    "not",
    "title pr not",
    "emails[type eq \"work\"",
    "emails[]",
    "emails[type eq \"work\"]]",
    "emails[type[value pr]]",
    "emails.type[value pr]",
    "emails[urn:a:b:type pr]",
    "emails[type.x pr]",
    "emails[type eq \"work\"].value",
    "emails[type eq \"work\"] pr",
    "title eq 'x'",
    "title eq \"\\x\"",
    "title eq \"\\ud800\"",
    "title eq \"\\udc00\"",
    "title eq \"\\ud800\\u0041\"",
    "title eq \"\\ud800x\"",
    "title eq \"\\u12\"",
    "title eq \"\\u12g4\"",
    "title eq \"\\u0000\"",
    "title eq \"a\tb\"",
    "title eq \"a\nb\"",
    "title eq \"\xff\"",
    "title\xc3 pr",
    "title eq \"\xed\xa0\x80\"",
    "title eq 01",
    "title eq 1.",
    "title eq .5",
    "title eq -",
    "title eq 1e",
    "title eq 1e+",
    "title eq 0x10",
    "title eq 99999999999999999999",
    "title eq 1e999",
    "title eq 12abc",
    "title eq True",
    "title eq NULL",
    "title eq nul",
    "title eq x",
    "title eq title",
    "1title pr",
    "ti tle pr",
    "title pr pr",
    "title eqq \"x\"",
    "title eq1",
    "title = \"x\"",
    "title == \"x\"",
    "title like \"x\"",
    "title eq \"x\" or 1=1 --",
    "title eq \"x\"; DROP TABLE users",
    "title eq \"x\" -- comment",
    "name..familyName pr",
    "name.familyName.x pr",
    ".title pr",
    "title. pr",
    "-title pr",
    "_title pr",
    "$foo pr",
    "urn:ietf:params:scim:schemas:core:2.0:User: pr",
    "urn: pr",
    "urn:x pr",
    "urn::x pr",
    "urn:a::b pr",
    "a:b pr",
    "title pr)",
    "[title pr]",
    "title pr]",
    "emails[type eq \"w\")",
    "emails[(type eq \"w\"]",
    "\"title\" pr",
    "title eq \"x\" and (",
    "title eq [\"x\"]",
    "title eq {\"x\": 1}",
    "title\x01 pr",
    "title pr \x7f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterScimFilter) filter = roster_scim_filter_parse (cases[i], &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(parsed!)");
      g_assert_null (filter);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* The messages say what and where, in characters from 1. */
static void
test_parse_error_messages (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "userName eq \"x\")", "Unexpected “)” at position 16." },
    { "(userName eq \"x\"))", "Unexpected “)” at position 18." },
    { "ünïcödé eq \"x\")", "Unexpected “ü” at position 1." },
    { "name.fämily pr", "Unexpected “ä” at position 7." },
    { "title pr or 1abc pr", "Invalid attribute name “1abc” at position 13." },
    { "title eq \"é\")", "Unexpected “)” at position 13." },
    { "title xx \"x\"", "Unknown operator “xx” at position 7." },
    { "title eq", "Unexpected end of text at position 9." },
    { "title eq \"abc", "The text starting at position 10 has no closing quote." },
    { "title eq \"\\q\"", "Invalid escape “\\q” at position 11." },
    { "title eq \"\\ud800\"", "Invalid Unicode escape at position 11." },
    { "title eq 01", "Invalid number “01” at position 10." },
    { "", "The filter is empty." },
    { "title\x01 pr", "Unexpected “U+0001” at position 6." },
    { "title eq \"\xff\"", "The text is not valid UTF-8." },
    { "title pr and sillyveryverylongattributenameindeed",
      "Unexpected end of text at position 50." },
    { "title pr sillyveryverylongattributenameindeed",
      "Unexpected “sillyveryverylongattribu…” at position 10." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterScimFilter) filter = roster_scim_filter_parse (cases[i].text, &error);

      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Evaluation */

typedef struct
{
  const char *schema; /* NULL: core */
  const char *name;
  RosterScimAttributeType type;
  gboolean case_exact;
  /* SQL */
  const char *column;
  gboolean folded;
  const char *table;
  const char *substring_table;
  const char *substring_attribute;
  const char *substring_key;
} TestAttribute;

static const TestAttribute attributes[] = {
  { NULL, "id", ROSTER_SCIM_TYPE_STRING, TRUE, "u.uid", FALSE, NULL },
  { NULL, "userName", ROSTER_SCIM_TYPE_STRING, FALSE, "u.user_name_folded", TRUE, NULL },
  { NULL, "displayName", ROSTER_SCIM_TYPE_STRING, FALSE, "u.display_name_folded", TRUE, NULL,
    "substrings", "1", "u.id" },
  { NULL, "nickName", ROSTER_SCIM_TYPE_STRING, FALSE, "u.nick_name", FALSE, NULL },
  { NULL, "name", ROSTER_SCIM_TYPE_COMPLEX, FALSE, NULL, FALSE, NULL },
  { NULL, "name.givenName", ROSTER_SCIM_TYPE_STRING, FALSE, "u.given_name_folded", TRUE, NULL },
  { NULL, "name.familyName", ROSTER_SCIM_TYPE_STRING, FALSE, "u.family_name_folded", TRUE, NULL },
  { NULL, "title", ROSTER_SCIM_TYPE_STRING, FALSE, "u.title_folded", TRUE, NULL },
  { NULL, "userType", ROSTER_SCIM_TYPE_STRING, FALSE, "u.user_type_folded", TRUE, NULL },
  { NULL, "active", ROSTER_SCIM_TYPE_BOOLEAN, FALSE, "u.active", FALSE, NULL },
  { NULL, "loginCount", ROSTER_SCIM_TYPE_INTEGER, FALSE, "u.login_count", FALSE, NULL },
  { NULL, "meta.lastModified", ROSTER_SCIM_TYPE_DATE_TIME, FALSE, "u.last_modified", FALSE, NULL },
  { NULL, "schemas", ROSTER_SCIM_TYPE_REFERENCE, FALSE, NULL, FALSE, NULL },
  { NULL, "addresses", ROSTER_SCIM_TYPE_COMPLEX, FALSE, NULL, FALSE, NULL },
  { NULL, "addresses.type", ROSTER_SCIM_TYPE_STRING, FALSE, NULL, FALSE, NULL },
  { NULL, "phoneNumbers", ROSTER_SCIM_TYPE_COMPLEX, FALSE, NULL, FALSE, NULL },
  { NULL, "emails", ROSTER_SCIM_TYPE_COMPLEX, FALSE, NULL, FALSE, "user_emails" },
  { NULL, "emails.value", ROSTER_SCIM_TYPE_STRING, FALSE, "value_folded", TRUE, "user_emails",
    "substrings", "2", "rowid" },
  { NULL, "emails.type", ROSTER_SCIM_TYPE_STRING, FALSE, "type_folded", TRUE, "user_emails" },
  { NULL, "emails.primary", ROSTER_SCIM_TYPE_BOOLEAN, FALSE, "is_primary", FALSE, "user_emails" },
  { ENTERPRISE, "employeeNumber", ROSTER_SCIM_TYPE_STRING, TRUE, "u.employee_number", FALSE, NULL },
  { ENTERPRISE, "manager", ROSTER_SCIM_TYPE_COMPLEX, FALSE, NULL, FALSE, NULL },
  { ENTERPRISE, "manager.value", ROSTER_SCIM_TYPE_STRING, TRUE, "u.manager_id", FALSE, NULL },
};

static const TestAttribute *
find_attribute (const RosterScimAttrPath *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    {
      const char *schema = attributes[i].schema != NULL ? attributes[i].schema : CORE;

      if (roster_scim_attr_path_is (path, schema, attributes[i].name))
        return &attributes[i];
    }
  return NULL;
}

static gboolean
lookup (const RosterScimAttrPath *path, RosterScimAttributeInfo *info, gpointer user_data)
{
  const TestAttribute *attr = find_attribute (path);

  if (attr == NULL)
    return FALSE;
  info->type = attr->type;
  info->case_exact = attr->case_exact;
  return TRUE;
}

static gboolean
mapper (const RosterScimAttrPath *path, RosterScimSqlColumn *column, gpointer user_data)
{
  const TestAttribute *attr = find_attribute (path);

  /* Complex attributes without a table are known, but only their parts can be searched. */
  if (attr == NULL
      || (attr->column == NULL && attr->table == NULL && attr->type != ROSTER_SCIM_TYPE_COMPLEX))
    return FALSE;
  column->type = attr->type;
  column->case_exact = attr->case_exact;
  column->folded = attr->folded;
  column->column = attr->column;
  column->table = attr->table;
  column->foreign_key = "user_id";
  column->parent_key = "u.id";
  column->substring_table = attr->substring_table;
  column->substring_attribute = attr->substring_attribute;
  column->substring_key = attr->substring_key;
  return TRUE;
}

/* RFC 7643 §8.2's full user, trimmed. */
static const char babs[]
    = "{\"schemas\": [\"" CORE "\", \"" ENTERPRISE "\"],"
      " \"id\": \"2819c223-7f76-453a-919d-413861904646\","
      " \"userName\": \"bjensen@example.com\","
      " \"name\": {\"familyName\": \"Jensen\", \"givenName\": \"Barbara\"},"
      " \"displayName\": \"Babs Jensen\", \"title\": \"Tour Guide\", \"userType\": \"Employee\","
      " \"nickName\": \"\", \"active\": true, \"loginCount\": 7,"
      " \"emails\": [{\"value\": \"bjensen@example.com\", \"type\": \"work\", \"primary\": true},"
      "              {\"value\": \"babs@jensen.org\", \"type\": \"home\"}],"
      " \"phoneNumbers\": [],"
      " \"meta\": {\"lastModified\": \"2011-05-13T04:42:34Z\"},"
      " \"" ENTERPRISE "\": {\"employeeNumber\": \"701984\","
      "   \"manager\": {\"value\": \"26118915-6090-4610-87e4-49d8ca9f808d\"}}}";

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_match_rfc_user (void)
{
  static const struct
  {
    const char *filter;
    gboolean expected;
  } cases[] = {
    { "userName Eq \"BJENSEN@EXAMPLE.COM\"", TRUE },
    { "userName eq \"bjensen\"", FALSE },
    { "name.familyName co \"ENS\"", TRUE },
    { "NAME.FAMILYNAME co \"ens\"", TRUE },
    { "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"BJ\"", TRUE },
    { "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"", FALSE },
    { "userName ew \"@Example.com\"", TRUE },
    { "title pr", TRUE },
    { "nickName pr", FALSE },
    { "phoneNumbers pr", FALSE },
    { "emails pr", TRUE },
    { "name pr", TRUE },
    { "addresses pr", FALSE },
    { "title eq null", FALSE },
    { "nickName eq null", TRUE },
    { "addresses eq null", TRUE },
    { "title ne null", TRUE },
    { "meta.lastModified gt \"2011-05-13T04:42:34Z\"", FALSE },
    { "meta.lastModified ge \"2011-05-13T04:42:34Z\"", TRUE },
    { "meta.lastModified eq \"2011-05-13T06:42:34+02:00\"", TRUE },
    { "meta.lastModified lt \"2011-05-13T06:42:35+02:00\"", TRUE },
    { "meta.lastModified le \"2011-05-12T04:42:34Z\"", FALSE },
    { "title pr and userType eq \"Employee\"", TRUE },
    { "title pr and userType eq \"Intern\"", FALSE },
    { "title pr or userType eq \"Intern\"", TRUE },
    { "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", TRUE },
    { "schemas eq \"urn:example:other\"", FALSE },
    { "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
      TRUE },
    { "userType ne \"Employee\" and not (emails co \"example.com\" or "
      "emails.value co \"example.org\")",
      FALSE },
    { "userType eq \"Employee\" and (emails.type eq \"work\")", TRUE },
    { "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]", TRUE },
    { "emails[type eq \"work\" and value co \"@example.com\"] or "
      "emails[type eq \"xmpp\" and value co \"@foo.com\"]",
      TRUE },
    /* Separate comparisons may match different values; a value path needs one value. */
    { "emails.type eq \"work\" and emails.value co \"jensen.org\"", TRUE },
    { "emails[type eq \"work\" and value co \"jensen.org\"]", FALSE },
    { "emails[type eq \"home\" and not (primary eq true)]", TRUE },
    { "emails[primary eq true]", TRUE },
    { "emails[primary eq false]", FALSE },
    { "emails co \"JENSEN.ORG\"", TRUE },
    /* Absent attributes match no comparison, ne included; not () turns that around. */
    { "addresses.type ne \"work\"", FALSE },
    { "not (addresses.type eq \"work\")", TRUE },
    { "userType ne \"Employee\"", FALSE },
    { "not (userType eq \"employee\")", FALSE },
    { "active eq true", TRUE },
    { "active ne true", FALSE },
    { "loginCount gt 6", TRUE },
    { "loginCount gt 7", FALSE },
    { "loginCount ge 7.0", TRUE },
    { "loginCount lt 7.5", TRUE },
    { "employeeNumber eq \"701984\"", TRUE },
    { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"",
      TRUE },
    { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "
      "\"26118915-6090-4610-87e4-49d8ca9f808d\"",
      TRUE },
    { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "
      "\"26118915-6090-4610-87E4-49D8CA9F808D\"",
      FALSE },
    { "id eq \"2819C223-7F76-453A-919D-413861904646\"", FALSE },
    { "id eq \"2819c223-7f76-453a-919d-413861904646\"", TRUE },
  };
  g_autoptr(JsonObject) user = parse_object (babs);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (cases[i].filter);
      g_autoptr(GError) error = NULL;
      gboolean matched = roster_scim_filter_match (filter, user, lookup, NULL, &error);

      g_test_message ("%s → %d", cases[i].filter, matched);
      g_assert_no_error (error);
      g_assert_cmpint (matched, ==, cases[i].expected);
    }
}

/* Without a lookup the literal decides the type, strings are case-insensitive, and any
 * attribute may be asked about. */
static void
test_match_no_lookup (void)
{
  static const struct
  {
    const char *filter;
    gboolean expected;
  } cases[] = {
    { "USERNAME eq \"BJensen@example.com\"", TRUE },
    { "noSuchAttribute pr", FALSE },
    { "noSuchAttribute eq \"x\"", FALSE },
    { "active eq true", TRUE },
    { "loginCount eq 7", TRUE },
    { "loginCount eq \"7\"", FALSE },
    { "emails co \"jensen\"", TRUE },
    { "emails[type eq \"WORK\"]", TRUE },
    { "manager.value sw \"2611\"", TRUE },
  };
  g_autoptr(JsonObject) user = parse_object (babs);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (cases[i].filter);
      g_autoptr(GError) error = NULL;
      gboolean matched = roster_scim_filter_match (filter, user, NULL, NULL, &error);

      g_test_message ("%s", cases[i].filter);
      g_assert_no_error (error);
      g_assert_cmpint (matched, ==, cases[i].expected);
    }
}

/* Comparisons that do not suit the attribute fail, with or without data to compare. */
static const char *const invalid_comparisons[] = {
  "active gt true",
  "active le false",
  "active co \"t\"",
  "active eq \"true\"",
  "active eq 1",
  "loginCount co \"1\"",
  "loginCount sw \"1\"",
  "loginCount eq \"7\"",
  "loginCount gt true",
  "title eq 5",
  "title gt true",
  "title co null",
  "title gt null",
  "meta.lastModified gt \"yesterday\"",
  "meta.lastModified gt \"2011-05-13\"",
  "meta.lastModified gt 5",
  "meta.lastModified sw \"2011\"",
  "name eq \"x\"",
  "emails.nope pr",
  "nope pr",
  "userType eq \"Employee\" or nope eq \"x\"",
  "not (nope pr)",
  "emails[nope eq \"x\"]",
  "emails[primary gt true]",
  "urn:example:unknown:2.0:User:title pr",
};

static void
test_match_invalid (void)
{
  g_autoptr(JsonObject) user = parse_object (babs);
  g_autoptr(JsonObject) empty = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (invalid_comparisons); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (invalid_comparisons[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;

      g_assert_false (roster_scim_filter_match (filter, user, lookup, NULL, &error));
      g_test_message ("%s: %s", invalid_comparisons[i], error->message);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
      g_assert_false (roster_scim_filter_match (filter, empty, lookup, NULL, &error2));
      g_assert_error (error2, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
    }

  {
    g_autoptr(RosterScimFilter) filter = parse_ok ("nope pr");
    g_autoptr(GError) error = NULL;

    roster_scim_filter_match (filter, user, lookup, NULL, &error);
    g_assert_cmpstr (error->message, ==, "Unknown attribute “nope”.");
  }
}

/* SQL compilation */

typedef struct
{
  sqlite3 *db;
  GPtrArray *users; /* of JsonObject, by id - 1 */
} Fixture;

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text, gboolean folded)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else if (folded)
    {
      g_autofree char *f = roster_user_name_fold (text);

      sqlite3_bind_text (stmt, index, f, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* User names that sit on either side of the prefix bounds sw computes: the last code point
 * plus one crosses UTF-8 length boundaries, skips surrogates, and the case folding. */
static const char *const special_names[] = {
  "a\u07FFb",      "a\u0800",      "x\uFFFFy",   "x\U00010000",  "q\uD7FFr",
  "q\uE000",       "zz",           "z{",         "\u00FFa",      "\u0100b",
  "STRASSE",       "Stra\u00DFe2", "bjensen",    "BJensen2",     "\u0130stanbul",
  "\U0010FFFFend", "\U0010FFFF",   "\u00E9mile", "E\u0301mile2",
};

static const char *const givens[]
    = { "Ana", "Émile", "Zoë", "Øyvind", "Иван", "李", "Straße", "Barbara", "O'Brien", "zed" };
static const char *const families[]
    = { "O'Malley", "Jensen",       "Ärger", "Müller", "Smith",
        "SMITH",    "van der Berg", "ÅSE",   "Ωmega",  "x\" OR 1=1" };
static const char *const user_types[] = { "Employee", "employee", "Intern", NULL, "Contractor" };
static const char *const titles[] = { NULL, "", "Tour Guide", "Engineer" };
static const char *const nick_names[] = { "Nick", "NICK", "nicky", NULL, "Dominick" };
static const char *const email_types[] = { "work", "home", "other", "Work" };
static const char *const domains[] = { "example.com", "example.org", "EXAMPLE.COM", "foo.com" };

#define N_USERS 54

static JsonObject *
make_user (guint i, char **name_out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *display = NULL;
  const char *given = givens[i % G_N_ELEMENTS (givens)];
  const char *family = families[(i * 3) % G_N_ELEMENTS (families)];

  if (i < G_N_ELEMENTS (special_names))
    user_name = g_strdup (special_names[i]);
  else
    user_name = g_strdup_printf ("%s.%s%u", given, family, i);
  display = g_strdup_printf ("%s %s", given, family);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schemas");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, CORE);
  if (i % 3 != 0)
    json_builder_add_string_value (b, ENTERPRISE);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "x");
  json_builder_set_member_name (b, "userName");
  json_builder_add_string_value (b, user_name);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, display);
  json_builder_set_member_name (b, "name");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "givenName");
  json_builder_add_string_value (b, given);
  if (i % 5 != 3)
    {
      json_builder_set_member_name (b, "familyName");
      json_builder_add_string_value (b, family);
    }
  json_builder_end_object (b);
  if (nick_names[i % 5] != NULL)
    {
      json_builder_set_member_name (b, "nickName");
      json_builder_add_string_value (b, nick_names[i % 5]);
    }
  if (titles[i % 4] != NULL)
    {
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, titles[i % 4]);
    }
  if (user_types[i % 5] != NULL)
    {
      json_builder_set_member_name (b, "userType");
      json_builder_add_string_value (b, user_types[i % 5]);
    }
  if (i % 7 != 0)
    {
      json_builder_set_member_name (b, "active");
      json_builder_add_boolean_value (b, i % 3 != 0);
    }
  if (i % 6 != 5)
    {
      json_builder_set_member_name (b, "loginCount");
      json_builder_add_int_value (b, (i * 7) % 23);
    }

  json_builder_set_member_name (b, "emails");
  json_builder_begin_array (b);
  for (guint j = 0; j < i % 4; j++)
    {
      g_autofree char *value
          = g_strdup_printf ("%s%u@%s", j % 2 ? "Mail" : "user", i, domains[(i + j) % 4]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, value);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, email_types[(i + j) % 4]);
      json_builder_set_member_name (b, "primary");
      json_builder_add_boolean_value (b, j == 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  {
    /* The same instants written with different offsets. */
    g_autoptr(GDateTime) base = g_date_time_new_utc (2011, 5, 13, 4, 42, 34);
    g_autoptr(GDateTime) t = g_date_time_add_hours (base, (int) i - 27);
    g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * 3600);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (t, plus2);
    g_autofree char *text = i % 2 ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ")
                                  : g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");

    json_builder_set_member_name (b, "meta");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "lastModified");
    json_builder_add_string_value (b, text);
    json_builder_end_object (b);
  }

  if (i % 3 != 0)
    {
      g_autofree char *number = g_strdup_printf (i % 2 ? "E%03u" : "e%03u", i);

      json_builder_set_member_name (b, ENTERPRISE);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "employeeNumber");
      json_builder_add_string_value (b, number);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  *name_out = g_steal_pointer (&user_name);
  return json_object_ref (json_node_get_object (root));
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL ? json_node_get_string (node) : NULL;
}

/* The substring index's rows of @value, as rosterd's triggers write them (migration 11). */
static void
index_substrings (sqlite3_stmt *insert, int attribute, const char *value, gint64 row)
{
  glong length = value != NULL ? g_utf8_strlen (value, -1) : 0;

  for (glong n = 0; n < length; n++)
    {
      g_autofree char *substring
          = g_utf8_substring (value, n, MIN (length, n + ROSTER_SCIM_SUBSTRING_LENGTH));

      sqlite3_reset (insert);
      sqlite3_bind_int (insert, 1, attribute);
      sqlite3_bind_text (insert, 2, substring, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 3, row);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
    }
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  sqlite3_stmt *insert_user = NULL, *insert_email = NULL, *insert_substring = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &fixture->db), ==, SQLITE_OK);
  exec (fixture->db,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, uid TEXT, user_name_folded TEXT UNIQUE,"
        " display_name_folded TEXT, nick_name TEXT, given_name_folded TEXT,"
        " family_name_folded TEXT, title_folded TEXT, user_type_folded TEXT, active INTEGER,"
        " login_count INTEGER, last_modified TEXT, employee_number TEXT, manager_id TEXT);"
        "CREATE INDEX users_user_name ON users (user_name_folded);"
        "CREATE TABLE user_emails (user_id INTEGER NOT NULL REFERENCES users (id),"
        " value_folded TEXT, type_folded TEXT, is_primary INTEGER);"
        "CREATE TABLE substrings (attribute INTEGER NOT NULL, substring TEXT NOT NULL,"
        " row INTEGER NOT NULL, PRIMARY KEY (attribute, substring, row)) WITHOUT ROWID;");
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT INTO users VALUES (?, 'x', ?, ?, ?, ?, ?, ?, ?, ?,"
                                       " ?, ?, ?, NULL)",
                                       -1, &insert_user, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, "INSERT INTO user_emails VALUES (?, ?, ?, ?)",
                                       -1, &insert_email, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT OR IGNORE INTO substrings VALUES (?, ?, ?)", -1,
                                       &insert_substring, NULL),
                   ==, SQLITE_OK);

  fixture->users = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < N_USERS; i++)
    {
      g_autofree char *user_name = NULL;
      JsonObject *user = make_user (i, &user_name);
      JsonObject *name = json_object_get_object_member (user, "name");
      JsonObject *ext = json_object_get_member (user, ENTERPRISE) != NULL
                            ? json_object_get_object_member (user, ENTERPRISE)
                            : NULL;
      JsonArray *emails = json_object_get_array_member (user, "emails");
      g_autofree char *display = roster_user_name_fold (member_string (user, "displayName"));
      gint64 id = i + 1;

      g_ptr_array_add (fixture->users, user);
      sqlite3_reset (insert_user);
      sqlite3_bind_int64 (insert_user, 1, id);
      bind_text_or_null (insert_user, 2, user_name, TRUE);
      bind_text_or_null (insert_user, 3, member_string (user, "displayName"), TRUE);
      bind_text_or_null (insert_user, 4, member_string (user, "nickName"), FALSE);
      bind_text_or_null (insert_user, 5, member_string (name, "givenName"), TRUE);
      bind_text_or_null (insert_user, 6, member_string (name, "familyName"), TRUE);
      bind_text_or_null (insert_user, 7, member_string (user, "title"), TRUE);
      bind_text_or_null (insert_user, 8, member_string (user, "userType"), TRUE);
      if (json_object_has_member (user, "active"))
        sqlite3_bind_int (insert_user, 9, json_object_get_boolean_member (user, "active"));
      else
        sqlite3_bind_null (insert_user, 9);
      if (json_object_has_member (user, "loginCount"))
        sqlite3_bind_int64 (insert_user, 10, json_object_get_int_member (user, "loginCount"));
      else
        sqlite3_bind_null (insert_user, 10);
      bind_text_or_null (
          insert_user, 11,
          member_string (json_object_get_object_member (user, "meta"), "lastModified"), FALSE);
      bind_text_or_null (insert_user, 12, member_string (ext, "employeeNumber"), FALSE);
      g_assert_cmpint (sqlite3_step (insert_user), ==, SQLITE_DONE);

      index_substrings (insert_substring, 1, display, id);

      for (guint j = 0; j < json_array_get_length (emails); j++)
        {
          JsonObject *email = json_array_get_object_element (emails, j);
          g_autofree char *value = roster_user_name_fold (member_string (email, "value"));

          sqlite3_reset (insert_email);
          sqlite3_bind_int64 (insert_email, 1, id);
          sqlite3_bind_text (insert_email, 2, value, -1, SQLITE_TRANSIENT);
          bind_text_or_null (insert_email, 3, member_string (email, "type"), TRUE);
          sqlite3_bind_int (insert_email, 4, json_object_get_boolean_member (email, "primary"));
          g_assert_cmpint (sqlite3_step (insert_email), ==, SQLITE_DONE);

          index_substrings (insert_substring, 2, value, sqlite3_last_insert_rowid (fixture->db));
        }
    }
  sqlite3_finalize (insert_user);
  sqlite3_finalize (insert_email);
  sqlite3_finalize (insert_substring);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->users, g_ptr_array_unref);
  sqlite3_close (fixture->db);
}

static guint
count_placeholders (const char *sql)
{
  guint n = 0;

  for (const char *c = sql; *c != '\0'; c++)
    if (*c == '?')
      n++;
  return n;
}

static GArray *
sql_ids (Fixture *fixture, RosterScimFilter *filter, char **sql_out)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = roster_scim_sql_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_assert_true (roster_scim_filter_to_sql (filter, ROSTER_SCIM_SQL_SQLITE, mapper, NULL, where, params, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_placeholders (where->str), ==, params->len);

  sql = g_strdup_printf ("SELECT u.id FROM users AS u WHERE %s ORDER BY u.id", where->str);
  if (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (fixture->db));
  for (guint i = 0; i < params->len; i++)
    {
      GValue *value = g_ptr_array_index (params, i);

      if (G_VALUE_HOLDS_STRING (value))
        sqlite3_bind_text (stmt, i + 1, g_value_get_string (value), -1, SQLITE_TRANSIENT);
      else if (G_VALUE_HOLDS_INT64 (value))
        sqlite3_bind_int64 (stmt, i + 1, g_value_get_int64 (value));
      else if (G_VALUE_HOLDS_DOUBLE (value))
        sqlite3_bind_double (stmt, i + 1, g_value_get_double (value));
      else
        g_assert_not_reached ();
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (fixture->db));
  sqlite3_finalize (stmt);
  if (sql_out != NULL)
    *sql_out = g_steal_pointer (&sql);
  return ids;
}

static GArray *
match_ids (Fixture *fixture, RosterScimFilter *filter)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < fixture->users->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (roster_scim_filter_match (filter, g_ptr_array_index (fixture->users, i), lookup, NULL,
                                    &error))
        {
          gint64 id = i + 1;

          g_array_append_val (ids, id);
        }
      g_assert_no_error (error);
    }
  return ids;
}

static char *
ids_to_string (GArray *ids)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (str, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (ids, gint64, i));
  return g_string_free (str, FALSE);
}

static const char *const differential_filters[] = {
  "userName eq \"bjensen\"",
  "userName Eq \"BJENSEN\"",
  "userName sw \"a\\u07FF\"",
  "userName sw \"a\"",
  "userName sw \"x\\uFFFF\"",
  "userName sw \"x\"",
  "userName sw \"q\\uD7FF\"",
  "userName sw \"z\"",
  "userName sw \"\\u00FF\"",
  "userName sw \"\\uDBFF\\uDFFF\"",
  "userName sw \"STRA\"",
  "userName sw \"straß\"",
  "userName sw \"é\"",
  "userName sw \"\"",
  "userName ew \"SE\"",
  "userName ew \"e2\"",
  "userName co \"ss\"",
  "userName gt \"m\"",
  "userName le \"Barbara\"",
  "userName eq \"x\\\" or 1=1 --\"",
  "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"B\"",
  "name.familyName co \"O'Malley\"",
  "name.familyName eq \"smith\"",
  "name.familyName pr",
  "name.givenName sw \"é\"",
  "name[givenName sw \"a\" or familyName eq \"Jensen\"]",
  "displayName co \"ana\"",
  "displayName co \"an\"",
  "displayName co \"STRASSE\"",
  "displayName co \"x\\\" OR 1=1\"",
  "displayName co \"Ω\"",
  "title pr",
  "not (title pr)",
  "title eq null",
  "title ne null",
  "title eq \"\"",
  "title sw \"\"",
  "title pr and userType eq \"Employee\"",
  "title pr or userType eq \"Intern\"",
  "userType ne \"Employee\"",
  "not (userType eq \"Employee\")",
  "not (not (userType eq \"Employee\"))",
  "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
  "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
  "userType eq \"Employee\" and (emails.type eq \"work\")",
  "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
  "emails[type eq \"work\" and value co \"@example.com\"] or emails[type eq \"home\"]",
  "emails pr",
  "not (emails pr)",
  "emails eq null",
  "emails[not (type eq \"work\")]",
  "emails.type eq \"work\" and emails.value co \"example.org\"",
  "emails[type eq \"work\" and value co \"example.org\"]",
  "emails[primary eq true and value ew \".COM\"]",
  "emails.value co \"@EXAMPLE.com\"",
  "emails co \"or\"",
  "emails.value sw \"mail\"",
  "emails.primary eq false",
  "active eq true",
  "active eq false",
  "not (active eq true)",
  "active ne true",
  "loginCount gt 10",
  "loginCount le 3 or loginCount eq 20",
  "loginCount ge 5.5",
  "not (loginCount lt 12)",
  "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
  "meta.lastModified le \"2011-05-13T06:42:34+02:00\"",
  "meta.lastModified eq \"2011-05-13T05:42:34Z\"",
  "meta.lastModified ne \"2011-05-13T01:42:34-04:00\"",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"E007\"",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"e007\"",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw \"e\"",
  "employeeNumber pr",
  "nickName eq \"nick\"",
  "nickName sw \"NI\"",
  "nickName co \"ICK\"",
  "nickName ew \"Y\"",
  "not (nickName co \"k\")",
  "(userName sw \"a\" or userName sw \"b\") and not (title pr or active eq false)",
  "not (userName sw \"a\" or emails[type eq \"work\"]) and loginCount pr",
};

static void
test_sql_differential (Fixture *fixture, gconstpointer data)
{
  guint informative = 0;

  for (guint i = 0; i < G_N_ELEMENTS (differential_filters); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (differential_filters[i]);
      g_autofree char *sql = NULL;
      g_autoptr(GArray) from_sql = sql_ids (fixture, filter, &sql);
      g_autoptr(GArray) from_match = match_ids (fixture, filter);
      g_autofree char *a = ids_to_string (from_sql);
      g_autofree char *b = ids_to_string (from_match);

      g_test_message ("%s\n  %s\n  sql:   [%s]\n  match: [%s]", differential_filters[i], sql, a, b);
      g_assert_cmpstr (a, ==, b);
      if (from_sql->len > 0 && from_sql->len < N_USERS)
        informative++;
    }
  /* Most filters must split the users, or the comparison proves little. */
  g_assert_cmpuint (informative, >=, G_N_ELEMENTS (differential_filters) * 9 / 10);
}

/* The boundaries sw must respect, spelled out. */
static void
test_sql_prefix_bounds (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *filter;
    const char *ids;
  } cases[] = {
    { "userName sw \"a\\u07FF\"", "1" },
    { "userName sw \"x\\uFFFF\"", "3" },
    { "userName sw \"q\\uD7FF\"", "5" },
    { "userName sw \"\\uDBFF\\uDFFF\"", "16,17" },
    { "userName sw \"z\"", "7,8" },
    { "userName sw \"\\u00FF\"", "9" },
    /* Folding turns ß into ss and İ into i + U+0307, on both sides. */
    { "userName sw \"strasse\"", "11,12" },
    { "userName sw \"I\\u0307\"", "15" },
    /* NFKC composes E + U+0301 into É. */
    { "userName sw \"\\u00C9\"", "18,19" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RosterScimFilter) filter = parse_ok (cases[i].filter);
      g_autoptr(GArray) ids = sql_ids (fixture, filter, NULL);
      g_autofree char *str = NULL;

      /* Only the special names: generated ones may share the prefixes. */
      for (guint j = ids->len; j > 0; j--)
        if (g_array_index (ids, gint64, j - 1) > (gint64) G_N_ELEMENTS (special_names))
          g_array_remove_index (ids, j - 1);
      str = ids_to_string (ids);

      g_test_message ("%s", cases[i].filter);
      g_assert_cmpstr (str, ==, cases[i].ids);
    }
}

static void
compile (const char *text, char **where_out, GPtrArray **params_out)
{
  g_autoptr(RosterScimFilter) filter = parse_ok (text);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = roster_scim_sql_params_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_scim_filter_to_sql (filter, ROSTER_SCIM_SQL_SQLITE, mapper, NULL, where, params, &error));
  g_assert_no_error (error);
  *where_out = g_string_free (g_steal_pointer (&where), FALSE);
  *params_out = g_steal_pointer (&params);
}

static const char *
param_string (GPtrArray *params, guint i)
{
  return g_value_get_string (g_ptr_array_index (params, i));
}

static void
test_sql_shape (void)
{
  g_autofree char *where = NULL;
  g_autoptr(GPtrArray) params = NULL;

  /* sw: a range on the folded column, with the folded prefix and its successor. */
  compile ("userName sw \"Straß\"", &where, &params);
  g_assert_cmpstr (where, ==, "((u.user_name_folded) >= ? AND (u.user_name_folded) < ?)");
  g_assert_cmpuint (params->len, ==, 2);
  g_assert_cmpstr (param_string (params, 0), ==, "strass");
  g_assert_cmpstr (param_string (params, 1), ==, "strast");
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  /* co: instr() below 3 characters, from 3 a range of the substring index (the literal's
   * first 16 characters and their successor) narrowed by instr(). */
  compile ("displayName co \"ab\"", &where, &params);
  g_assert_cmpstr (where, ==, "instr((u.display_name_folded), ?) > 0");
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  compile ("displayName co \"A\\\"b\"", &where, &params);
  g_assert_cmpstr (where, ==,
                   "((u.id) IN (SELECT row FROM substrings WHERE attribute = 1 AND "
                   "substring >= ? AND substring < ? UNION ALL SELECT row FROM substrings WHERE "
                   "attribute = 1 AND substring = '') AND instr((u.display_name_folded), ?) > 0)");
  g_assert_cmpuint (params->len, ==, 3);
  g_assert_cmpstr (param_string (params, 0), ==, "a\"b");
  g_assert_cmpstr (param_string (params, 1), ==, "a\"c");
  g_assert_cmpstr (param_string (params, 2), ==, "a\"b");
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  compile ("displayName co \"abcdefghijklmnopqrstuvwxyz\"", &where, &params);
  g_assert_cmpstr (param_string (params, 0), ==, "abcdefghijklmnop");
  g_assert_cmpstr (param_string (params, 1), ==, "abcdefghijklmnoq");
  g_assert_cmpstr (param_string (params, 2), ==, "abcdefghijklmnopqrstuvwxyz");
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  /* Multi-valued attributes: EXISTS over the child table; one row for a value path. */
  compile ("emails[type eq \"work\" and primary eq true]", &where, &params);
  g_assert_cmpstr (where, ==,
                   "EXISTS (SELECT 1 FROM user_emails AS scim_1 WHERE scim_1.user_id = u.id AND "
                   "(scim_1.type_folded = ? AND scim_1.is_primary = ?))");
  g_assert_cmpstr (param_string (params, 0), ==, "work");
  g_assert_cmpint (g_value_get_int64 (g_ptr_array_index (params, 1)), ==, 1);
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  /* not: NULL counts as no match. */
  compile ("not (title eq \"x\")", &where, &params);
  g_assert_cmpstr (where, ==, "NOT COALESCE(((u.title_folded) = ?), 0)");
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  compile ("title pr", &where, &params);
  g_assert_cmpstr (where, ==, "((u.title_folded) IS NOT NULL AND (u.title_folded) <> '')");
  g_assert_cmpuint (params->len, ==, 0);
  g_clear_pointer (&where, g_free);
  g_clear_pointer (&params, g_ptr_array_unref);

  /* Hostile literals never reach the SQL text. */
  compile ("userName eq \"x'); DROP TABLE users; --\" or nickName co \"' OR 1=1\"", &where,
           &params);
  g_assert_null (strchr (where, '\''));
  g_assert_null (strstr (where, "DROP"));
  g_assert_cmpuint (params->len, ==, 2);
}

static void
test_sql_errors (void)
{
  static const char *const cases[] = {
    "schemas eq \"x\"", /* known to the evaluator, not searchable */
    "name pr",
    "emails[type eq \"work\" and nope eq \"x\"]",
    "emails.display eq \"x\"",
  };
  g_autoptr(GString) where = g_string_new ("u.deleted = 0 AND ");
  g_autoptr(GPtrArray) params = roster_scim_sql_params_new ();

  for (guint i = 0; i < G_N_ELEMENTS (invalid_comparisons) + G_N_ELEMENTS (cases); i++)
    {
      const char *text = i < G_N_ELEMENTS (invalid_comparisons)
                             ? invalid_comparisons[i]
                             : cases[i - G_N_ELEMENTS (invalid_comparisons)];
      g_autoptr(RosterScimFilter) filter = parse_ok (text);
      g_autoptr(GError) error = NULL;

      g_assert_false (roster_scim_filter_to_sql (filter, ROSTER_SCIM_SQL_SQLITE, mapper, NULL, where, params, &error));
      g_test_message ("%s: %s", text, error->message);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER);
      /* Left as they were. */
      g_assert_cmpstr (where->str, ==, "u.deleted = 0 AND ");
      g_assert_cmpuint (params->len, ==, 0);
    }

  {
    g_autoptr(RosterScimFilter) filter = parse_ok ("title pr and foo eq \"x\"");
    g_autoptr(GError) error = NULL;

    roster_scim_filter_to_sql (filter, ROSTER_SCIM_SQL_SQLITE, mapper, NULL, where, params, &error);
    g_assert_cmpstr (error->message, ==, "Unknown attribute “foo”.");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scim-filter/parse/rfc-examples", test_parse_rfc_examples);
  g_test_add_func ("/scim-filter/parse/precedence", test_parse_precedence);
  g_test_add_func ("/scim-filter/parse/tree", test_parse_tree);
  g_test_add_func ("/scim-filter/parse/operators", test_parse_operators);
  g_test_add_func ("/scim-filter/parse/literals", test_parse_literals);
  g_test_add_func ("/scim-filter/parse/limits", test_parse_limits);
  g_test_add_func ("/scim-filter/parse/hostile", test_parse_hostile);
  g_test_add_func ("/scim-filter/parse/error-messages", test_parse_error_messages);
  g_test_add_func ("/scim-filter/match/rfc-user", test_match_rfc_user);
  g_test_add_func ("/scim-filter/match/no-lookup", test_match_no_lookup);
  g_test_add_func ("/scim-filter/match/invalid", test_match_invalid);
  g_test_add ("/scim-filter/sql/differential", Fixture, NULL, fixture_set_up, test_sql_differential,
              fixture_tear_down);
  g_test_add ("/scim-filter/sql/prefix-bounds", Fixture, NULL, fixture_set_up,
              test_sql_prefix_bounds, fixture_tear_down);
  g_test_add_func ("/scim-filter/sql/shape", test_sql_shape);
  g_test_add_func ("/scim-filter/sql/errors", test_sql_errors);

  return g_test_run ();
}
