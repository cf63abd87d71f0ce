/* roster-scim-filter-sql.c: compiling a SCIM filter to an SQLite or PostgreSQL WHERE clause
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "roster-scim-filter-private.h"
#include "roster-validation.h"

/* A shorter literal starts so many indexed substrings that a scan with instr() is cheaper. */
#define SUBSTRING_MIN_CHARS 3


typedef struct
{
  RosterScimSqlDialect dialect;
  RosterScimSqlMapper mapper;
  gpointer user_data;
  GString *where;
  GPtrArray *params;
  guint n_aliases;
} SqlContext;

/* Inside a value path: the table its rows come from and the alias they go by. */
typedef struct
{
  const RosterScimAttrPath *path;
  const char *table;
  const char *alias;
} SqlScope;

static void
sql_value_free (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

/**
 * roster_scim_sql_params_new:
 *
 * Returns: (transfer full) (element-type GValue): an empty array for
 *   roster_scim_filter_to_sql(), which frees its values
 */
GPtrArray *
roster_scim_sql_params_new (void)
{
  return g_ptr_array_new_with_free_func (sql_value_free);
}

static void
add_string (SqlContext *ctx, const char *text)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_STRING);
  g_value_set_string (value, text);
  g_ptr_array_add (ctx->params, value);
}

static void
add_int (SqlContext *ctx, gint64 number)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_INT64);
  g_value_set_int64 (value, number);
  g_ptr_array_add (ctx->params, value);
}

static void
add_double (SqlContext *ctx, double number)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_DOUBLE);
  g_value_set_double (value, number);
  g_ptr_array_add (ctx->params, value);
}

static gboolean
map (SqlContext *ctx, const RosterScimAttrPath *path, RosterScimSqlColumn *column, GError **error)
{
  memset (column, 0, sizeof *column);
  if (!ctx->mapper (path, column, ctx->user_data))
    {
      g_autofree char *name = roster_scim_attr_path_to_string (path);

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                   _("Unknown attribute “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* The smallest string above every string starting with @prefix: its last code point plus
 * one (U+10FFFF drops out, surrogates are skipped). UTF-8 sorts by code point, so with
 * SQLite's BINARY collation `col >= prefix AND col < bound` is exactly "starts with". */
static char *
prefix_upper_bound (const char *prefix)
{
  glong n = 0;
  g_autofree gunichar *ucs = g_utf8_to_ucs4_fast (prefix, -1, &n);

  while (n > 0)
    {
      gunichar c = ucs[n - 1];

      if (c >= 0x10FFFF)
        {
          n--;
          continue;
        }
      c++;
      if (c == 0xD800)
        c = 0xE000;
      ucs[n - 1] = c;
      return g_ucs4_to_utf8 (ucs, n, NULL, NULL, NULL);
    }
  return NULL;
}

static const char *
sql_operator (RosterScimCompareOp op)
{
  switch (op)
    {
    case ROSTER_SCIM_OP_EQ:
      return "=";
    case ROSTER_SCIM_OP_NE:
      return "<>";
    case ROSTER_SCIM_OP_GT:
      return ">";
    case ROSTER_SCIM_OP_GE:
      return ">=";
    case ROSTER_SCIM_OP_LT:
      return "<";
    case ROSTER_SCIM_OP_LE:
      return "<=";
    case ROSTER_SCIM_OP_CO:
    case ROSTER_SCIM_OP_SW:
    case ROSTER_SCIM_OP_EW:
    default:
      g_assert_not_reached ();
    }
}

/* `%literal%` (@contains) or `%literal`, with LIKE's own characters escaped by the
 * default escape character, the backslash. */
static void
add_like_pattern (SqlContext *ctx, const char *literal, gboolean contains)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *c = literal; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  if (contains)
    g_string_append_c (pattern, '%');
  add_string (ctx, pattern->str);
}

/* @expr is the column, already qualified and in parentheses. */
static void
emit_string_compare (SqlContext *ctx, RosterScimFilter *node, const RosterScimSqlColumn *column,
                     const char *expr, const char *substring_key)
{
  const char *raw = json_node_get_string (node->value);
  gboolean nocase = !column->folded && !column->case_exact;
  gboolean postgres = ctx->dialect == ROSTER_SCIM_SQL_POSTGRES;
  const char *collate = nocase && !postgres ? " COLLATE NOCASE" : "";
  g_autofree char *lowered = NULL;
  g_autofree char *literal = NULL;
  GString *where = ctx->where;

  /* PostgreSQL has no NOCASE: lower() in the "C" collation folds ASCII only, the same. */
  if (nocase && postgres)
    expr = lowered = g_strdup_printf ("lower(%s)", expr);

  /* Fold the literal as the column was folded; NOCASE folds ASCII only, like lower(). */
  if (column->folded)
    literal = roster_user_name_fold (raw);
  else if (nocase)
    literal = g_ascii_strdown (raw, -1);
  else
    literal = g_strdup (raw);

  switch (node->op)
    {
    case ROSTER_SCIM_OP_SW:
    case ROSTER_SCIM_OP_EW:
    case ROSTER_SCIM_OP_CO:
      if (*literal == '\0')
        {
          g_string_append_printf (where, "%s IS NOT NULL", expr);
          return;
        }
      break;
    case ROSTER_SCIM_OP_EQ:
    case ROSTER_SCIM_OP_NE:
    case ROSTER_SCIM_OP_GT:
    case ROSTER_SCIM_OP_GE:
    case ROSTER_SCIM_OP_LT:
    case ROSTER_SCIM_OP_LE:
    default:
      g_string_append_printf (where, "%s %s ?%s", expr, sql_operator (node->op), collate);
      add_string (ctx, literal);
      return;
    }

  if (postgres && node->op != ROSTER_SCIM_OP_SW)
    {
      /* pg_trgm's GIN index serves both (and a scan is what SQLite does without one). */
      g_string_append_printf (where, "%s LIKE ?", expr);
      add_like_pattern (ctx, literal, node->op == ROSTER_SCIM_OP_CO);
    }
  else if (node->op == ROSTER_SCIM_OP_SW)
    {
      g_autofree char *bound = prefix_upper_bound (literal);

      /* A range, unlike LIKE ? || '%', can use an index on the column. */
      if (bound == NULL)
        g_string_append_printf (where, "%s >= ?%s", expr, collate);
      else
        g_string_append_printf (where, "(%s >= ?%s AND %s < ?%s)", expr, collate, expr, collate);
      add_string (ctx, literal);
      if (bound != NULL)
        add_string (ctx, bound);
    }
  else if (node->op == ROSTER_SCIM_OP_EW)
    {
      g_string_append_printf (where, "substr(%s, -?) = ?%s", expr, collate);
      add_int (ctx, g_utf8_strlen (literal, -1));
      add_string (ctx, literal);
    }
  else if (column->substring_table != NULL && substring_key != NULL
           && g_utf8_strlen (literal, -1) >= SUBSTRING_MIN_CHARS)
    {
      g_autofree char *head = g_utf8_substring (literal, 0, ROSTER_SCIM_SUBSTRING_LENGTH);
      g_autofree char *bound = prefix_upper_bound (head);

      /* Every match starts one of the indexed substrings (or is in a value too long to be
       * indexed, marked ''): a range of the index finds the candidates, instr() decides. */
      /* Two ranges of the key as a UNION: with an OR, SQLite uses only its first column. */
      g_string_append_printf (where,
                              "(%s IN (SELECT row FROM %s WHERE attribute = %s AND "
                              "substring >= ?%s UNION ALL SELECT row FROM %s WHERE "
                              "attribute = %s AND substring = '') AND instr(%s%s%s, ?) > 0)",
                              substring_key, column->substring_table,
                              column->substring_attribute, bound != NULL ? " AND substring < ?" : "",
                              column->substring_table, column->substring_attribute,
                              nocase ? "lower(" : "", expr, nocase ? ")" : "");
      add_string (ctx, head);
      if (bound != NULL)
        add_string (ctx, bound);
      add_string (ctx, literal);
    }
  else
    {
      g_string_append_printf (where, "instr(%s%s%s, ?) > 0", nocase ? "lower(" : "", expr,
                              nocase ? ")" : "");
      add_string (ctx, literal);
    }
}

static void
emit_compare (SqlContext *ctx, RosterScimFilter *node, const RosterScimSqlColumn *column,
              const char *expr, const char *substring_key)
{
  GString *where = ctx->where;

  switch (column->type)
    {
    case ROSTER_SCIM_TYPE_STRING:
    case ROSTER_SCIM_TYPE_REFERENCE:
    case ROSTER_SCIM_TYPE_BINARY:
      emit_string_compare (ctx, node, column, expr, substring_key);
      break;
    case ROSTER_SCIM_TYPE_BOOLEAN:
      g_string_append_printf (where, "%s %s ?", expr, sql_operator (node->op));
      add_int (ctx, json_node_get_boolean (node->value) ? 1 : 0);
      break;
    case ROSTER_SCIM_TYPE_DECIMAL:
    case ROSTER_SCIM_TYPE_INTEGER:
      g_string_append_printf (where, "%s %s ?", expr, sql_operator (node->op));
      if (json_node_get_value_type (node->value) == G_TYPE_INT64)
        add_int (ctx, json_node_get_int (node->value));
      else
        add_double (ctx, json_node_get_double (node->value));
      break;
    case ROSTER_SCIM_TYPE_DATE_TIME:
      {
        g_autoptr(GDateTime) dt = roster_scim_parse_date_time (json_node_get_string (node->value));
        g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);
        g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
        g_autofree char *normal
            = g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);

        /* Stored dateTimes may carry any offset: compare instants, not text. */
        if (ctx->dialect == ROSTER_SCIM_SQL_POSTGRES)
          g_string_append_printf (where, "CAST(%s AS timestamptz) %s CAST(? AS timestamptz)",
                                  expr, sql_operator (node->op));
        else
          g_string_append_printf (where, "julianday(%s) %s julianday(?)", expr,
                                  sql_operator (node->op));
        add_string (ctx, normal);
        break;
      }
    case ROSTER_SCIM_TYPE_COMPLEX:
    default:
      g_assert_not_reached ();
    }
}

static void
emit_present (SqlContext *ctx, const RosterScimSqlColumn *column, const char *expr)
{
  gboolean text = column->type == ROSTER_SCIM_TYPE_STRING
                  || column->type == ROSTER_SCIM_TYPE_REFERENCE
                  || column->type == ROSTER_SCIM_TYPE_BINARY
                  || column->type == ROSTER_SCIM_TYPE_DATE_TIME;

  /* PostgreSQL will not compare a number with '' (SQLite finds them unequal). */
  if (ctx->dialect == ROSTER_SCIM_SQL_POSTGRES && !text)
    g_string_append_printf (ctx->where, "(%s IS NOT NULL)", expr);
  else
    g_string_append_printf (ctx->where, "(%s IS NOT NULL AND %s <> '')", expr, expr);
}

static gboolean compile (SqlContext *ctx, RosterScimFilter *node, const SqlScope *scope,
                         GError **error);

static gboolean
cannot_search (const RosterScimAttrPath *path, GError **error)
{
  g_autofree char *name = roster_scim_attr_path_to_string (path);

  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
               _("“%s” cannot be searched this way."), name);
  return FALSE;
}

static gboolean
compile_leaf (SqlContext *ctx, RosterScimFilter *node, const SqlScope *scope, GError **error)
{
  RosterScimAttrPath qualified;
  RosterScimSqlColumn column;
  gboolean presence
      = node->kind == ROSTER_SCIM_FILTER_PRESENT || JSON_NODE_HOLDS_NULL (node->value);
  g_autofree char *alias = NULL;
  g_autofree char *expr = NULL;
  g_autofree char *substring_key = NULL;
  const char *row_alias;

  roster_scim_filter_qualify (node, scope != NULL ? scope->path : NULL, &qualified);
  if (!map (ctx, &qualified, &column, error))
    return FALSE;

  if (!presence && column.type == ROSTER_SCIM_TYPE_COMPLEX && qualified.sub_attribute == NULL)
    {
      /* `emails co "x"` compares the "value" sub-attribute. */
      qualified.sub_attribute = "value";
      if (!map (ctx, &qualified, &column, error))
        return FALSE;
    }
  if (node->kind == ROSTER_SCIM_FILTER_COMPARE
      && !roster_scim_filter_check_compare (node, &qualified, column.type, error))
    return FALSE;

  if (scope != NULL)
    {
      /* All of a value filter must be about one row of the same table. */
      if (g_strcmp0 (column.table, scope->table) != 0 || column.column == NULL)
        return cannot_search (&qualified, error);
      row_alias = scope->alias;
    }
  else if (column.table != NULL)
    {
      if (column.foreign_key == NULL || column.parent_key == NULL)
        return cannot_search (&qualified, error);
      alias = g_strdup_printf ("scim_%u", ++ctx->n_aliases);
      row_alias = alias;
    }
  else
    {
      if (column.column == NULL)
        return cannot_search (&qualified, error);
      row_alias = NULL;
    }

  if (column.column != NULL)
    expr = row_alias != NULL ? g_strdup_printf ("%s.%s", row_alias, column.column)
                             : g_strdup_printf ("(%s)", column.column);
  if (column.substring_key != NULL)
    substring_key = row_alias != NULL ? g_strdup_printf ("%s.%s", row_alias, column.substring_key)
                                : g_strdup_printf ("(%s)", column.substring_key);

  if (presence && node->kind == ROSTER_SCIM_FILTER_COMPARE && node->op == ROSTER_SCIM_OP_EQ)
    g_string_append (ctx->where, "NOT ");

  /* A multi-valued attribute outside a value path: does any of its rows match? */
  if (alias != NULL)
    {
      g_string_append_printf (ctx->where, "EXISTS (SELECT 1 FROM %s AS %s WHERE %s.%s = %s",
                              column.table, alias, alias, column.foreign_key, column.parent_key);
      if (expr == NULL)
        {
          g_string_append (ctx->where, ")");
          return TRUE;
        }
      g_string_append (ctx->where, " AND ");
    }

  if (presence)
    emit_present (ctx, &column, expr);
  else
    emit_compare (ctx, node, &column, expr, substring_key);

  if (alias != NULL)
    g_string_append (ctx->where, ")");
  return TRUE;
}

static gboolean
compile_value_path (SqlContext *ctx, RosterScimFilter *node, GError **error)
{
  RosterScimSqlColumn column;
  SqlScope scope = { &node->path, NULL, NULL };
  g_autofree char *alias = NULL;

  if (!map (ctx, &node->path, &column, error))
    return FALSE;

  if (column.table == NULL)
    {
      /* A single-valued complex attribute: its sub-attributes are plain columns. */
      g_string_append_c (ctx->where, '(');
      if (!compile (ctx, g_ptr_array_index (node->children, 0), &scope, error))
        return FALSE;
      g_string_append_c (ctx->where, ')');
      return TRUE;
    }

  if (column.foreign_key == NULL || column.parent_key == NULL)
    return cannot_search (&node->path, error);
  alias = g_strdup_printf ("scim_%u", ++ctx->n_aliases);
  scope.table = column.table;
  scope.alias = alias;
  g_string_append_printf (ctx->where, "EXISTS (SELECT 1 FROM %s AS %s WHERE %s.%s = %s AND ",
                          column.table, alias, alias, column.foreign_key, column.parent_key);
  if (!compile (ctx, g_ptr_array_index (node->children, 0), &scope, error))
    return FALSE;
  g_string_append_c (ctx->where, ')');
  return TRUE;
}

static gboolean
compile (SqlContext *ctx, RosterScimFilter *node, const SqlScope *scope, GError **error)
{
  switch (node->kind)
    {
    case ROSTER_SCIM_FILTER_AND:
    case ROSTER_SCIM_FILTER_OR:
      g_string_append_c (ctx->where, '(');
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            g_string_append (ctx->where, node->kind == ROSTER_SCIM_FILTER_AND ? " AND " : " OR ");
          if (!compile (ctx, g_ptr_array_index (node->children, i), scope, error))
            return FALSE;
        }
      g_string_append_c (ctx->where, ')');
      return TRUE;
    case ROSTER_SCIM_FILTER_NOT:
      /* SQL comparisons with NULL are NULL, and NOT NULL is NULL: absent is "not matched",
       * so its negation must match. */
      g_string_append (ctx->where, "NOT COALESCE((");
      if (!compile (ctx, g_ptr_array_index (node->children, 0), scope, error))
        return FALSE;
      g_string_append (ctx->where, ctx->dialect == ROSTER_SCIM_SQL_POSTGRES ? "), FALSE)"
                                                                            : "), 0)");
      return TRUE;
    case ROSTER_SCIM_FILTER_COMPARE:
    case ROSTER_SCIM_FILTER_PRESENT:
      return compile_leaf (ctx, node, scope, error);
    case ROSTER_SCIM_FILTER_VALUE_PATH:
      return compile_value_path (ctx, node, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * roster_scim_filter_to_sql:
 * @dialect: which database the condition is for
 * @mapper: (scope call): maps each qualified attribute path to a column or child table
 * @where: gets the condition appended, in parentheses where needed
 * @params: (element-type GValue): gets one #GValue per `?` in @where, in order: a string,
 *   an int64 (integers, booleans as 0/1, lengths) or a double. Make it with
 *   roster_scim_sql_params_new().
 *
 * Compiles @filter to an SQLite or PostgreSQL condition with the same results as
 * roster_scim_filter_match() (given a folded column for each case-insensitive string).
 * Literals are always bound, never spliced. `sw` is a range on the column, so an index on
 * it works; `co` is instr(), narrowed by a range of a substring index when @mapper names
 * one (see #RosterScimSqlColumn), or in PostgreSQL a LIKE that pg_trgm serves, as it does
 * `ew`; a multi-valued attribute becomes an EXISTS over its
 * child table, and a value path keeps all its conditions on the same child row.
 *
 * An attribute @mapper does not know fails with %ROSTER_ERROR_INVALID_FILTER rather than
 * matching nothing, so a typo in a search is reported instead of showing an empty list.
 *
 * Returns: %TRUE on success; on error @where and @params are left as they were
 */
gboolean
roster_scim_filter_to_sql (RosterScimFilter *filter, RosterScimSqlDialect dialect,
                           RosterScimSqlMapper mapper, gpointer user_data, GString *where,
                           GPtrArray *params, GError **error)
{
  SqlContext ctx = { dialect, mapper, user_data, where, params, 0 };
  gsize where_len;
  guint params_len;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (mapper != NULL, FALSE);
  g_return_val_if_fail (where != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  where_len = where->len;
  params_len = params->len;
  if (!compile (&ctx, filter, NULL, error))
    {
      g_string_truncate (where, where_len);
      g_ptr_array_set_size (params, params_len);
      return FALSE;
    }
  return TRUE;
}
