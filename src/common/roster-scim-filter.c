/* roster-scim-filter.c: the SCIM filter grammar (RFC 7644 §3.4.2.2) and its syntax tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "roster-scim-filter-private.h"

G_DEFINE_BOXED_TYPE (RosterScimFilter, roster_scim_filter, roster_scim_filter_ref,
                     roster_scim_filter_unref)

static const char *const op_names[] = { "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le" };

/* Longest token quoted back in an error message, in characters. */
#define TOKEN_QUOTE_MAX 24

static RosterScimFilter *
filter_new (RosterScimFilterKind kind)
{
  RosterScimFilter *self = g_new0 (RosterScimFilter, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_scim_filter_unref);
  return self;
}

static void
filter_set_path (RosterScimFilter *self, char *schema, char *attribute, char *sub_attribute)
{
  self->schema = schema;
  self->attribute = attribute;
  self->sub_attribute = sub_attribute;
  self->path.schema = schema;
  self->path.attribute = attribute;
  self->path.sub_attribute = sub_attribute;
}

/**
 * roster_scim_filter_ref:
 *
 * Returns: (transfer full): @filter, with one more reference
 */
RosterScimFilter *
roster_scim_filter_ref (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);

  g_atomic_ref_count_inc (&filter->ref_count);
  return filter;
}

/**
 * roster_scim_filter_unref:
 *
 * Drops a reference; the last one frees the node and its children.
 */
void
roster_scim_filter_unref (RosterScimFilter *filter)
{
  g_return_if_fail (filter != NULL);

  if (!g_atomic_ref_count_dec (&filter->ref_count))
    return;
  g_free (filter->schema);
  g_free (filter->attribute);
  g_free (filter->sub_attribute);
  g_clear_pointer (&filter->value, json_node_unref);
  g_ptr_array_unref (filter->children);
  g_free (filter);
}

/* Parser */

static guint
position_of (RosterScimParser *parser, const char *at)
{
  return (guint) g_utf8_strlen (parser->text, at - parser->text) + 1;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_path_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr (":._-$%+@~", c) != NULL);
}

static gboolean
is_delimiter (char c)
{
  return c == '\0' || is_space (c) || c == '(' || c == ')' || c == '[' || c == ']';
}

/**
 * roster_scim_parser_init:
 *
 * Checks @text as a whole (valid UTF-8, the length limit) and points the cursor at its start.
 * Empty text is left to the caller, whose message names what is empty.
 */
gboolean
roster_scim_parser_init (RosterScimParser *parser, const char *text, RosterErrorCode code,
                         GError **error)
{
  parser->text = text;
  parser->p = text;
  parser->code = code;
  parser->depth = 0;
  parser->comparisons = 0;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, ROSTER_ERROR, code, _("The text is not valid UTF-8."));
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > ROSTER_SCIM_FILTER_MAX_LENGTH)
    {
      g_set_error (error, ROSTER_ERROR, code,
                   _("The text is too long: at most %u characters."),
                      (guint) ROSTER_SCIM_FILTER_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/**
 * roster_scim_parser_skip_space:
 *
 * Moves past spaces, tabs and line breaks.
 */
void
roster_scim_parser_skip_space (RosterScimParser *parser)
{
  while (is_space (*parser->p))
    parser->p++;
}

/**
 * roster_scim_parser_at_end:
 *
 * Returns: whether only white space is left
 */
gboolean
roster_scim_parser_at_end (RosterScimParser *parser)
{
  roster_scim_parser_skip_space (parser);
  return *parser->p == '\0';
}

static void
unexpected_at (RosterScimParser *parser, const char *at, GError **error)
{
  g_autoptr(GString) token = g_string_new (NULL);
  const char *end = at;

  if (*at == '\0')
    {
      g_set_error (error, ROSTER_ERROR, parser->code,
                   _("Unexpected end of text at position %u."), position_of (parser, at));
      return;
    }

  /* Quote a whole word, or else one character. */
  while (is_path_char (*end))
    end++;
  if (end == at)
    end = g_utf8_next_char (at);
  if (end == at + 1 && g_ascii_iscntrl (*at))
    g_string_append_printf (token, "U+%04X", (guint) (guchar) *at);
  else if (g_utf8_strlen (at, end - at) > TOKEN_QUOTE_MAX)
    {
      g_string_append_len (token, at, g_utf8_offset_to_pointer (at, TOKEN_QUOTE_MAX) - at);
      g_string_append (token, "…");
    }
  else
    g_string_append_len (token, at, end - at);

  g_set_error (error, ROSTER_ERROR, parser->code,
               /* Translators: the first %s is a piece of the user's search, e.g. ")". */
               _("Unexpected “%s” at position %u."), token->str, position_of (parser, at));
}

/**
 * roster_scim_parser_unexpected:
 *
 * Fails with "Unexpected “…” at position N." for whatever is under the cursor.
 */
void
roster_scim_parser_unexpected (RosterScimParser *parser, GError **error)
{
  unexpected_at (parser, parser->p, error);
}

static gboolean
valid_attr_name (const char *name)
{
  if (g_ascii_strcasecmp (name, "$ref") == 0)
    return TRUE;
  if (!g_ascii_isalpha (*name))
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

static gboolean
invalid_name (RosterScimParser *parser, const char *start, gsize len, GError **error)
{
  g_autofree char *name = g_strndup (start, len);

  if (len == 0)
    unexpected_at (parser, start, error);
  else
    g_set_error (error, ROSTER_ERROR, parser->code,
                 _("Invalid attribute name “%s” at position %u."), name,
                    position_of (parser, start));
  return FALSE;
}

/**
 * roster_scim_parser_attr_name:
 *
 * Reads one ATTRNAME (a sub-attribute after "]." in a PATCH path).
 */
gboolean
roster_scim_parser_attr_name (RosterScimParser *parser, char **name, GError **error)
{
  const char *start = parser->p;
  g_autofree char *word = NULL;

  while (is_path_char (*parser->p))
    parser->p++;
  word = g_strndup (start, parser->p - start);
  if (!valid_attr_name (word))
    return invalid_name (parser, start, parser->p - start, error);
  *name = g_steal_pointer (&word);
  return TRUE;
}

/**
 * roster_scim_parser_attr_path:
 * @relative: inside a value path: no schema URN and no sub-attribute
 *
 * Reads an attrPath: [URN ":"] ATTRNAME ["." ATTRNAME]. The URN ends at the last colon, so
 * "urn:…:2.0:User:name.familyName" has the attribute "name" and the sub-attribute
 * "familyName".
 */
gboolean
roster_scim_parser_attr_path (RosterScimParser *parser, gboolean relative, char **schema,
                              char **attribute, char **sub_attribute, GError **error)
{
  const char *start = parser->p;
  const char *end, *name, *dot, *colon = NULL;

  while (is_path_char (*parser->p))
    parser->p++;
  end = parser->p;
  if (end == start)
    {
      unexpected_at (parser, start, error);
      return FALSE;
    }

  name = start;
  if (end - start > 4 && g_ascii_strncasecmp (start, "urn:", 4) == 0)
    {
      for (const char *c = start; c < end; c++)
        if (*c == ':')
          colon = c;
      if (relative || colon == end - 1 || colon - start <= 4 || colon[-1] == ':')
        return invalid_name (parser, start, end - start, error);
      name = colon + 1;
    }

  dot = memchr (name, '.', end - name);
  {
    g_autofree char *attr = g_strndup (name, (dot != NULL ? dot : end) - name);
    g_autofree char *sub = dot != NULL ? g_strndup (dot + 1, end - dot - 1) : NULL;

    if (!valid_attr_name (attr) || (sub != NULL && (relative || !valid_attr_name (sub))))
      return invalid_name (parser, start, end - start, error);
    *schema = colon != NULL ? g_strndup (start, colon - start) : NULL;
    *attribute = g_steal_pointer (&attr);
    *sub_attribute = g_steal_pointer (&sub);
  }
  return TRUE;
}

static const char *
read_word (RosterScimParser *parser, gsize *len)
{
  const char *start = parser->p;
  const char *end = start;

  while (g_ascii_isalpha (*end))
    end++;
  *len = end - start;
  return start;
}

static gboolean
peek_keyword (RosterScimParser *parser, const char *keyword)
{
  gsize len;
  const char *word = read_word (parser, &len);

  return len == strlen (keyword) && g_ascii_strncasecmp (word, keyword, len) == 0;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p, gunichar *out)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  *out = value;
  return TRUE;
}

/* A JSON string (RFC 8259 §7): the cursor is on the opening quote. */
static JsonNode *
parse_string (RosterScimParser *parser, GError **error)
{
  g_autoptr(GString) str = g_string_new (NULL);
  const char *start = parser->p;
  const char *p = start + 1;

  for (;;)
    {
      const char *at = p;
      gunichar c;

      if (*p == '\0')
        {
          g_set_error (error, ROSTER_ERROR, parser->code,
                       _("The text starting at position %u has no closing quote."),
                          position_of (parser, start));
          return NULL;
        }
      if (*p == '"')
        break;
      if ((guchar) *p < 0x20)
        {
          g_set_error (error, ROSTER_ERROR, parser->code,
                       _("Control character in text at position %u; write it as an escape."),
                          position_of (parser, p));
          return NULL;
        }
      if (*p != '\\')
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (str, p, next - p);
          p = next;
          continue;
        }

      p++;
      switch (*p)
        {
        case '"':
          g_string_append_c (str, '"');
          p++;
          continue;
        case '\\':
          g_string_append_c (str, '\\');
          p++;
          continue;
        case '/':
          g_string_append_c (str, '/');
          p++;
          continue;
        case 'b':
          g_string_append_c (str, '\b');
          p++;
          continue;
        case 'f':
          g_string_append_c (str, '\f');
          p++;
          continue;
        case 'n':
          g_string_append_c (str, '\n');
          p++;
          continue;
        case 'r':
          g_string_append_c (str, '\r');
          p++;
          continue;
        case 't':
          g_string_append_c (str, '\t');
          p++;
          continue;
        case 'u':
          break;
        default:
          {
            const char *end = *p == '\0' ? p : g_utf8_next_char (p);
            g_autofree char *escape = g_strndup (at, end - at);

            g_set_error (error, ROSTER_ERROR, parser->code,
                         _("Invalid escape “%s” at position %u."), escape,
                            position_of (parser, at));
            return NULL;
          }
        }

      if (!read_hex4 (p + 1, &c))
        goto bad_unicode;
      p += 5;
      if (c >= 0xD800 && c <= 0xDBFF)
        {
          gunichar low;

          if (p[0] != '\\' || p[1] != 'u' || !read_hex4 (p + 2, &low) || low < 0xDC00
              || low > 0xDFFF)
            goto bad_unicode;
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        }
      else if ((c >= 0xDC00 && c <= 0xDFFF) || c == 0)
        goto bad_unicode;
      g_string_append_unichar (str, c);
      continue;

    bad_unicode:
      g_set_error (error, ROSTER_ERROR, parser->code,
                   _("Invalid Unicode escape at position %u."), position_of (parser, at));
      return NULL;
    }

  parser->p = p + 1;
  {
    JsonNode *node = json_node_new (JSON_NODE_VALUE);

    json_node_set_string (node, str->str);
    return node;
  }
}

/* A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static JsonNode *
parse_number (RosterScimParser *parser, GError **error)
{
  const char *start = parser->p;
  const char *p = start;
  gboolean is_decimal = FALSE;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (g_ascii_isdigit (*p))
    while (g_ascii_isdigit (*p))
      p++;
  else
    goto invalid;
  if (*p == '.')
    {
      is_decimal = TRUE;
      p++;
      if (!g_ascii_isdigit (*p))
        goto invalid;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      is_decimal = TRUE;
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        goto invalid;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (!is_delimiter (*p))
    goto invalid;

  text = g_strndup (start, p - start);
  node = json_node_new (JSON_NODE_VALUE);
  if (is_decimal)
    {
      double value = g_ascii_strtod (text, NULL);

      if (!isfinite (value))
        {
          json_node_unref (node);
          goto invalid;
        }
      json_node_set_double (node, value);
    }
  else
    {
      gint64 value;

      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          json_node_unref (node);
          goto invalid;
        }
      json_node_set_int (node, value);
    }
  parser->p = p;
  return node;

invalid:
  while (!is_delimiter (*p))
    p = g_utf8_next_char (p);
  g_clear_pointer (&text, g_free);
  text = g_strndup (start, p - start);
  g_set_error (error, ROSTER_ERROR, parser->code,
               _("Invalid number “%s” at position %u."), text, position_of (parser, start));
  return NULL;
}

static JsonNode *
parse_comp_value (RosterScimParser *parser, GError **error)
{
  JsonNode *node;
  gsize len;
  const char *word;

  roster_scim_parser_skip_space (parser);
  if (*parser->p == '"')
    return parse_string (parser, error);
  if (*parser->p == '-' || g_ascii_isdigit (*parser->p))
    return parse_number (parser, error);

  /* JSON's literal names are lower case. */
  word = read_word (parser, &len);
  if (len > 0 && is_delimiter (word[len]))
    {
      node = NULL;
      if (len == 4 && strncmp (word, "true", 4) == 0)
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_boolean (node, TRUE);
        }
      else if (len == 5 && strncmp (word, "false", 5) == 0)
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_boolean (node, FALSE);
        }
      else if (len == 4 && strncmp (word, "null", 4) == 0)
        node = json_node_new (JSON_NODE_NULL);
      if (node != NULL)
        {
          parser->p += len;
          return node;
        }
    }
  roster_scim_parser_unexpected (parser, error);
  return NULL;
}

static RosterScimFilter *parse_or (RosterScimParser *parser, gboolean relative, GError **error);

static gboolean
enter (RosterScimParser *parser, GError **error)
{
  if (++parser->depth > ROSTER_SCIM_FILTER_MAX_DEPTH)
    {
      g_set_error (error, ROSTER_ERROR, parser->code,
                   _("Too deeply nested at position %u: at most %u levels."),
                      position_of (parser, parser->p), (guint) ROSTER_SCIM_FILTER_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

static gboolean
expect (RosterScimParser *parser, char c, GError **error)
{
  roster_scim_parser_skip_space (parser);
  if (*parser->p != c)
    {
      roster_scim_parser_unexpected (parser, error);
      return FALSE;
    }
  parser->p++;
  return TRUE;
}

/**
 * roster_scim_parser_value_filter:
 *
 * With the cursor on "[", reads a valFilter and its closing "]".
 */
RosterScimFilter *
roster_scim_parser_value_filter (RosterScimParser *parser, GError **error)
{
  g_autoptr(RosterScimFilter) inner = NULL;

  g_assert (*parser->p == '[');
  if (!enter (parser, error))
    return NULL;
  parser->p++;
  inner = parse_or (parser, TRUE, error);
  if (inner == NULL || !expect (parser, ']', error))
    return NULL;
  parser->depth--;
  return g_steal_pointer (&inner);
}

static RosterScimFilter *
parse_attr_exp (RosterScimParser *parser, gboolean relative, GError **error)
{
  g_autoptr(RosterScimFilter) node = NULL;
  g_autofree char *schema = NULL, *attribute = NULL, *sub_attribute = NULL;
  const char *start = parser->p;
  const char *word;
  gsize len;

  if (!roster_scim_parser_attr_path (parser, relative, &schema, &attribute, &sub_attribute, error))
    return NULL;

  /* valuePath: attrPath "[" valFilter "]"; not nested, not on a sub-attribute. */
  if (*parser->p == '[')
    {
      g_autoptr(RosterScimFilter) inner = NULL;

      if (relative || sub_attribute != NULL)
        {
          roster_scim_parser_unexpected (parser, error);
          return NULL;
        }
      inner = roster_scim_parser_value_filter (parser, error);
      if (inner == NULL)
        return NULL;
      node = filter_new (ROSTER_SCIM_FILTER_VALUE_PATH);
      g_ptr_array_add (node->children, g_steal_pointer (&inner));
      filter_set_path (node, g_steal_pointer (&schema), g_steal_pointer (&attribute), NULL);
      return g_steal_pointer (&node);
    }

  roster_scim_parser_skip_space (parser);
  if (++parser->comparisons > ROSTER_SCIM_FILTER_MAX_COMPARISONS)
    {
      g_set_error (error, ROSTER_ERROR, parser->code,
                   _("Too many comparisons at position %u: at most %u."),
                      position_of (parser, start), (guint) ROSTER_SCIM_FILTER_MAX_COMPARISONS);
      return NULL;
    }

  word = read_word (parser, &len);
  if (len == 0 || (!is_delimiter (word[len]) && word[len] != '"'))
    {
      if (*parser->p == '\0' || !is_path_char (*parser->p))
        roster_scim_parser_unexpected (parser, error);
      else
        {
          const char *end = parser->p;
          g_autofree char *text = NULL;

          while (is_path_char (*end))
            end++;
          text = g_strndup (parser->p, MIN (end - parser->p, TOKEN_QUOTE_MAX));
          g_set_error (error, ROSTER_ERROR, parser->code,
                       _("Unknown operator “%s” at position %u."), text,
                          position_of (parser, parser->p));
        }
      return NULL;
    }

  if (len == 2 && g_ascii_strncasecmp (word, "pr", 2) == 0)
    {
      parser->p += len;
      node = filter_new (ROSTER_SCIM_FILTER_PRESENT);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (op_names) && node == NULL; i++)
        if (len == 2 && g_ascii_strncasecmp (word, op_names[i], 2) == 0)
          {
            node = filter_new (ROSTER_SCIM_FILTER_COMPARE);
            node->op = (RosterScimCompareOp) i;
          }
      if (node == NULL)
        {
          g_autofree char *text = g_strndup (word, MIN (len, TOKEN_QUOTE_MAX));

          g_set_error (error, ROSTER_ERROR, parser->code,
                       _("Unknown operator “%s” at position %u."), text,
                          position_of (parser, word));
          return NULL;
        }
      parser->p += len;
      node->value = parse_comp_value (parser, error);
      if (node->value == NULL)
        return NULL;
    }
  filter_set_path (node, g_steal_pointer (&schema), g_steal_pointer (&attribute),
                   g_steal_pointer (&sub_attribute));
  return g_steal_pointer (&node);
}

static RosterScimFilter *
parse_unary (RosterScimParser *parser, gboolean relative, GError **error)
{
  g_autoptr(RosterScimFilter) inner = NULL;
  gboolean negate = FALSE;

  roster_scim_parser_skip_space (parser);

  /* "not" is a keyword only before "(": an attribute may be called "not". */
  if (peek_keyword (parser, "not"))
    {
      const char *save = parser->p;

      parser->p += 3;
      roster_scim_parser_skip_space (parser);
      if (*parser->p == '(')
        negate = TRUE;
      else
        parser->p = save;
    }

  if (*parser->p != '(')
    return parse_attr_exp (parser, relative, error);

  if (!enter (parser, error))
    return NULL;
  parser->p++;
  inner = parse_or (parser, relative, error);
  if (inner == NULL || !expect (parser, ')', error))
    return NULL;
  parser->depth--;

  if (negate)
    {
      RosterScimFilter *node = filter_new (ROSTER_SCIM_FILTER_NOT);

      g_ptr_array_add (node->children, g_steal_pointer (&inner));
      return node;
    }
  return g_steal_pointer (&inner);
}

/* and binds tighter than or; chains of one operator become one n-ary node. */
static RosterScimFilter *
parse_chain (RosterScimParser *parser, gboolean relative, RosterScimFilterKind kind, GError **error)
{
  const char *keyword = kind == ROSTER_SCIM_FILTER_AND ? "and" : "or";
  g_autoptr(RosterScimFilter) first = NULL;
  g_autoptr(RosterScimFilter) node = NULL;

  first = kind == ROSTER_SCIM_FILTER_AND
              ? parse_unary (parser, relative, error)
              : parse_chain (parser, relative, ROSTER_SCIM_FILTER_AND, error);
  if (first == NULL)
    return NULL;

  for (;;)
    {
      const char *save = parser->p;
      RosterScimFilter *next;

      roster_scim_parser_skip_space (parser);
      if (!peek_keyword (parser, keyword))
        {
          parser->p = save;
          break;
        }
      parser->p += strlen (keyword);
      next = kind == ROSTER_SCIM_FILTER_AND
                 ? parse_unary (parser, relative, error)
                 : parse_chain (parser, relative, ROSTER_SCIM_FILTER_AND, error);
      if (next == NULL)
        return NULL;
      if (node == NULL)
        {
          node = filter_new (kind);
          g_ptr_array_add (node->children, g_steal_pointer (&first));
        }
      g_ptr_array_add (node->children, next);
    }
  return node != NULL ? g_steal_pointer (&node) : g_steal_pointer (&first);
}

static RosterScimFilter *
parse_or (RosterScimParser *parser, gboolean relative, GError **error)
{
  return parse_chain (parser, relative, ROSTER_SCIM_FILTER_OR, error);
}

/**
 * roster_scim_filter_parse:
 * @text: a filter as in `?filter=`, already URL-decoded
 *
 * Parses the whole RFC 7644 §3.4.2.2 grammar. Attribute names and operators are
 * case-insensitive; literals are JSON. Errors are %ROSTER_ERROR_INVALID_FILTER with a
 * translated message naming the 1-based character position.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL on error
 */
RosterScimFilter *
roster_scim_filter_parse (const char *text, GError **error)
{
  RosterScimParser parser;
  g_autoptr(RosterScimFilter) root = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!roster_scim_parser_init (&parser, text, ROSTER_ERROR_INVALID_FILTER, error))
    return NULL;
  if (roster_scim_parser_at_end (&parser))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                           _("The filter is empty."));
      return NULL;
    }
  root = parse_or (&parser, FALSE, error);
  if (root == NULL)
    return NULL;
  if (!roster_scim_parser_at_end (&parser))
    {
      roster_scim_parser_unexpected (&parser, error);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* Walking the tree */

/**
 * roster_scim_filter_get_kind:
 *
 * Returns: what @filter is
 */
RosterScimFilterKind
roster_scim_filter_get_kind (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, ROSTER_SCIM_FILTER_AND);
  return filter->kind;
}

/**
 * roster_scim_filter_get_n_children:
 *
 * Returns: 2 or more for AND and OR, 1 for NOT and VALUE_PATH, else 0
 */
guint
roster_scim_filter_get_n_children (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);
  return filter->children->len;
}

/**
 * roster_scim_filter_get_child:
 *
 * Returns: (transfer none): the child at @index
 */
RosterScimFilter *
roster_scim_filter_get_child (RosterScimFilter *filter, guint index)
{
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (index < filter->children->len, NULL);
  return g_ptr_array_index (filter->children, index);
}

/**
 * roster_scim_filter_get_path:
 *
 * Returns: (transfer none) (nullable): the attribute of a COMPARE, PRESENT or VALUE_PATH node
 *   as written (relative inside a value path), or %NULL for the others
 */
const RosterScimAttrPath *
roster_scim_filter_get_path (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);
  return filter->attribute != NULL ? &filter->path : NULL;
}

/**
 * roster_scim_filter_get_op:
 *
 * Returns: the operator of a COMPARE node
 */
RosterScimCompareOp
roster_scim_filter_get_op (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, ROSTER_SCIM_OP_EQ);
  return filter->op;
}

/**
 * roster_scim_filter_get_value:
 *
 * Returns: (transfer none) (nullable): the literal of a COMPARE node: a string, an int64
 *   (integers), a double (decimals), a boolean, or a null node
 */
JsonNode *
roster_scim_filter_get_value (RosterScimFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);
  return filter->value;
}

/**
 * roster_scim_compare_op_to_string:
 *
 * Returns: the operator as written in filters, in lower case ("eq")
 */
const char *
roster_scim_compare_op_to_string (RosterScimCompareOp op)
{
  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (op_names), "eq");
  return op_names[op];
}

/**
 * roster_scim_attr_path_to_string:
 *
 * Returns: (transfer full): the path as written: [URN ":"] attribute ["." sub-attribute]
 */
char *
roster_scim_attr_path_to_string (const RosterScimAttrPath *path)
{
  GString *str = g_string_new (NULL);

  if (path->schema != NULL)
    g_string_append_printf (str, "%s:", path->schema);
  g_string_append (str, path->attribute);
  if (path->sub_attribute != NULL)
    g_string_append_printf (str, ".%s", path->sub_attribute);
  return g_string_free (str, FALSE);
}

/**
 * roster_scim_attr_path_is:
 * @schema: (nullable): the schema @name belongs to
 * @name: "attribute" or "attribute.subAttribute"
 *
 * Compares case-insensitively, as RFC 7644 §3.10 asks. A path written without a URN matches
 * whatever @schema is: callers that accept unqualified extension attributes rely on that.
 *
 * Returns: whether @path names @name of @schema
 */
gboolean
roster_scim_attr_path_is (const RosterScimAttrPath *path, const char *schema, const char *name)
{
  const char *dot = strchr (name, '.');
  gsize len = dot != NULL ? (gsize) (dot - name) : strlen (name);

  if (path->schema != NULL && (schema == NULL || g_ascii_strcasecmp (path->schema, schema) != 0))
    return FALSE;
  if (strlen (path->attribute) != len || g_ascii_strncasecmp (path->attribute, name, len) != 0)
    return FALSE;
  if (dot == NULL)
    return path->sub_attribute == NULL;
  return path->sub_attribute != NULL && g_ascii_strcasecmp (path->sub_attribute, dot + 1) == 0;
}

static void
append_json_string (GString *str, const char *value)
{
  g_string_append_c (str, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (str, "\\%c", *c);
      else if ((guchar) *c < 0x20)
        g_string_append_printf (str, "\\u%04x", (guint) (guchar) *c);
      else
        g_string_append_c (str, *c);
    }
  g_string_append_c (str, '"');
}

static void
append_literal (GString *str, JsonNode *value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (JSON_NODE_HOLDS_NULL (value))
    {
      g_string_append (str, "null");
      return;
    }
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      append_json_string (str, json_node_get_string (value));
      break;
    case G_TYPE_INT64:
      g_string_append_printf (str, "%" G_GINT64_FORMAT, json_node_get_int (value));
      break;
    case G_TYPE_DOUBLE:
      g_string_append (str, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (value)));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (str, json_node_get_boolean (value) ? "true" : "false");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
append_filter (GString *str, RosterScimFilter *node)
{
  g_autofree char *path
      = node->attribute != NULL ? roster_scim_attr_path_to_string (&node->path) : NULL;

  switch (node->kind)
    {
    case ROSTER_SCIM_FILTER_AND:
    case ROSTER_SCIM_FILTER_OR:
      g_string_append_c (str, '(');
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            g_string_append (str, node->kind == ROSTER_SCIM_FILTER_AND ? " and " : " or ");
          append_filter (str, g_ptr_array_index (node->children, i));
        }
      g_string_append_c (str, ')');
      break;
    case ROSTER_SCIM_FILTER_NOT:
      g_string_append (str, "not (");
      append_filter (str, g_ptr_array_index (node->children, 0));
      g_string_append_c (str, ')');
      break;
    case ROSTER_SCIM_FILTER_COMPARE:
      g_string_append_printf (str, "%s %s ", path, op_names[node->op]);
      append_literal (str, node->value);
      break;
    case ROSTER_SCIM_FILTER_PRESENT:
      g_string_append_printf (str, "%s pr", path);
      break;
    case ROSTER_SCIM_FILTER_VALUE_PATH:
      g_string_append_printf (str, "%s[", path);
      append_filter (str, g_ptr_array_index (node->children, 0));
      g_string_append_c (str, ']');
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * roster_scim_filter_to_string:
 *
 * Returns: (transfer full): @filter in a canonical form that parses back to the same tree:
 *   every and/or group in parentheses, operators in lower case, literals as JSON
 */
char *
roster_scim_filter_to_string (RosterScimFilter *filter)
{
  GString *str = g_string_new (NULL);

  g_return_val_if_fail (filter != NULL, NULL);
  append_filter (str, filter);
  return g_string_free (str, FALSE);
}

/* Shared by the evaluator and the SQL compiler */

/**
 * roster_scim_filter_qualify:
 *
 * Fills @qualified with @node's path, under @outer when @node is inside a value path.
 */
void
roster_scim_filter_qualify (RosterScimFilter *node, const RosterScimAttrPath *outer,
                            RosterScimAttrPath *qualified)
{
  if (outer == NULL)
    {
      *qualified = node->path;
      return;
    }
  qualified->schema = outer->schema;
  qualified->attribute = outer->attribute;
  qualified->sub_attribute = node->attribute;
}

/**
 * roster_scim_filter_literal_type:
 *
 * Returns: the type a COMPARE literal implies when nobody says what the attribute is
 */
RosterScimAttributeType
roster_scim_filter_literal_type (RosterScimFilter *node)
{
  if (JSON_NODE_HOLDS_VALUE (node->value))
    switch (json_node_get_value_type (node->value))
      {
      case G_TYPE_BOOLEAN:
        return ROSTER_SCIM_TYPE_BOOLEAN;
      case G_TYPE_INT64:
      case G_TYPE_DOUBLE:
        return ROSTER_SCIM_TYPE_DECIMAL;
      default:
        break;
      }
  return ROSTER_SCIM_TYPE_STRING;
}

/**
 * roster_scim_parse_date_time:
 *
 * Returns: (transfer full) (nullable): an RFC 3339 date-time (with a zone), or %NULL
 */
GDateTime *
roster_scim_parse_date_time (const char *text)
{
  /* xsd:dateTime as RFC 7643 §2.3.5 has it always has a date and a time. */
  if (strlen (text) < 19 || text[10] != 'T')
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

/**
 * roster_scim_filter_check_compare:
 *
 * Refuses operator and literal combinations RFC 7644 §3.4.2.2 rules out (gt on a boolean)
 * and literals of the wrong type, as %ROSTER_ERROR_INVALID_FILTER.
 */
gboolean
roster_scim_filter_check_compare (RosterScimFilter *node, const RosterScimAttrPath *qualified,
                                  RosterScimAttributeType type, GError **error)
{
  g_autofree char *name = roster_scim_attr_path_to_string (qualified);
  RosterScimCompareOp op = node->op;
  GType literal
      = JSON_NODE_HOLDS_VALUE (node->value) ? json_node_get_value_type (node->value) : G_TYPE_NONE;
  gboolean ordering = op == ROSTER_SCIM_OP_GT || op == ROSTER_SCIM_OP_GE || op == ROSTER_SCIM_OP_LT
                      || op == ROSTER_SCIM_OP_LE;
  gboolean substring
      = op == ROSTER_SCIM_OP_CO || op == ROSTER_SCIM_OP_SW || op == ROSTER_SCIM_OP_EW;

  if (literal == G_TYPE_NONE)
    {
      /* "eq null" means absent, "ne null" present (RFC 7643 §2.5: null is unassigned). */
      if (op != ROSTER_SCIM_OP_EQ && op != ROSTER_SCIM_OP_NE)
        goto bad_op;
      return TRUE;
    }

  switch (type)
    {
    case ROSTER_SCIM_TYPE_STRING:
    case ROSTER_SCIM_TYPE_REFERENCE:
    case ROSTER_SCIM_TYPE_BINARY:
      if (type == ROSTER_SCIM_TYPE_BINARY && ordering)
        goto bad_op;
      if (literal != G_TYPE_STRING)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                       _("“%s” must be compared with text in quotes."), name);
          return FALSE;
        }
      return TRUE;
    case ROSTER_SCIM_TYPE_BOOLEAN:
      if (ordering || substring)
        goto bad_op;
      if (literal != G_TYPE_BOOLEAN)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                       _("“%s” must be compared with true or false."), name);
          return FALSE;
        }
      return TRUE;
    case ROSTER_SCIM_TYPE_DECIMAL:
    case ROSTER_SCIM_TYPE_INTEGER:
      if (substring)
        goto bad_op;
      if (literal != G_TYPE_INT64 && literal != G_TYPE_DOUBLE)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                       _("“%s” must be compared with a number."), name);
          return FALSE;
        }
      return TRUE;
    case ROSTER_SCIM_TYPE_DATE_TIME:
      if (substring)
        goto bad_op;
      {
        g_autoptr(GDateTime) dt = NULL;

        if (literal == G_TYPE_STRING)
          dt = roster_scim_parse_date_time (json_node_get_string (node->value));
        if (dt == NULL)
          {
            g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                         _("“%s” must be compared with a date and time such as "
                           "“2011-05-13T04:42:34Z”."),
                            name);
            return FALSE;
          }
      }
      return TRUE;
    case ROSTER_SCIM_TYPE_COMPLEX:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                   _("“%s” has parts: compare one of them, such as “%s.value”."), name, name);
      return FALSE;
    default:
      g_assert_not_reached ();
    }

bad_op:
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
               /* Translators: "%s" is an operator such as "gt", then an attribute name. */
               _("The operator “%s” cannot be used with “%s”."), op_names[op], name);
  return FALSE;
}
