/* roster-scim-filter.h: SCIM filters (RFC 7644 §3.4.2.2): parse, walk, evaluate, compile to SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "roster-error.h"

G_BEGIN_DECLS

/* Limits that keep a hostile filter cheap: characters, nesting levels (parentheses, "not (",
 * value-path brackets), and comparisons ("pr" counts as one). */
#define ROSTER_SCIM_FILTER_MAX_LENGTH      4096
/* Characters a substring index keeps from each position (see RosterScimSqlColumn). */
#define ROSTER_SCIM_SUBSTRING_LENGTH       16
#define ROSTER_SCIM_FILTER_MAX_DEPTH       32
#define ROSTER_SCIM_FILTER_MAX_COMPARISONS 64

#define ROSTER_TYPE_SCIM_FILTER (roster_scim_filter_get_type ())

/**
 * RosterScimFilter:
 *
 * One node of a parsed filter, and through its children the whole tree below it. Immutable
 * and reference counted; children are owned by their parent.
 */
typedef struct _RosterScimFilter RosterScimFilter;

typedef enum
{
  ROSTER_SCIM_FILTER_AND,        /* two or more children, all must match */
  ROSTER_SCIM_FILTER_OR,         /* two or more children, one must match */
  ROSTER_SCIM_FILTER_NOT,        /* one child */
  ROSTER_SCIM_FILTER_COMPARE,    /* path, op, value */
  ROSTER_SCIM_FILTER_PRESENT,    /* path ("pr") */
  ROSTER_SCIM_FILTER_VALUE_PATH, /* path (no sub-attribute), one child with relative paths */
} RosterScimFilterKind;

typedef enum
{
  ROSTER_SCIM_OP_EQ,
  ROSTER_SCIM_OP_NE,
  ROSTER_SCIM_OP_CO,
  ROSTER_SCIM_OP_SW,
  ROSTER_SCIM_OP_EW,
  ROSTER_SCIM_OP_GT,
  ROSTER_SCIM_OP_GE,
  ROSTER_SCIM_OP_LT,
  ROSTER_SCIM_OP_LE,
} RosterScimCompareOp;

/* RFC 7643 §2.3 data types. */
typedef enum
{
  ROSTER_SCIM_TYPE_STRING,
  ROSTER_SCIM_TYPE_BOOLEAN,
  ROSTER_SCIM_TYPE_DECIMAL,
  ROSTER_SCIM_TYPE_INTEGER,
  ROSTER_SCIM_TYPE_DATE_TIME,
  ROSTER_SCIM_TYPE_REFERENCE,
  ROSTER_SCIM_TYPE_BINARY,
  ROSTER_SCIM_TYPE_COMPLEX,
} RosterScimAttributeType;

/**
 * RosterScimAttrPath:
 * @schema: (nullable): the schema URN prefix as written, e.g.
 *   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
 * @attribute: the attribute name as written (compare it case-insensitively)
 * @sub_attribute: (nullable): the sub-attribute, e.g. "familyName" in "name.familyName"
 *
 * Inside a value path (`emails[type eq "work"]`) the node holds the relative path (`type`);
 * callbacks always get the qualified one (`emails.type`, with the outer schema).
 */
typedef struct
{
  const char *schema;
  const char *attribute;
  const char *sub_attribute;
} RosterScimAttrPath;

gboolean roster_scim_attr_path_is        (const RosterScimAttrPath *path,
                                          const char               *schema,
                                          const char               *name);
char    *roster_scim_attr_path_to_string (const RosterScimAttrPath *path);

/**
 * RosterScimAttributeInfo:
 * @type: the attribute's type
 * @case_exact: compare strings exactly; otherwise both sides go through
 *   roster_user_name_fold()
 */
typedef struct
{
  RosterScimAttributeType type;
  gboolean case_exact;
} RosterScimAttributeInfo;

/**
 * RosterScimAttributeLookup:
 * @path: the qualified attribute path
 * @info: (out caller-allocates): preset to a case-insensitive string
 *
 * Returns: %FALSE if the attribute does not exist (the filter then fails with
 *   %ROSTER_ERROR_INVALID_FILTER)
 */
typedef gboolean (*RosterScimAttributeLookup) (const RosterScimAttrPath *path,
                                               RosterScimAttributeInfo  *info,
                                               gpointer                  user_data);

/**
 * RosterScimSqlColumn:
 * @type: the attribute's type
 * @case_exact: for strings in a column that is not @folded: %FALSE compares with SQLite's
 *   ASCII-only NOCASE, or lower() in PostgreSQL's "C" collation, which folds ASCII only
 *   too (prefer a folded column)
 * @folded: the column holds roster_user_name_fold() of the value: literals are folded the
 *   same way and compared exactly
 * @column: single-valued: an SQL expression (`u.user_name_folded`); multi-valued: the column
 *   of @table (`value_folded`), or %NULL for a complex attribute without sub-attribute
 * @table: (nullable): the child table of a multi-valued attribute (`user_emails`)
 * @foreign_key: the column of @table pointing at the parent row (`user_id`)
 * @parent_key: the parent row's expression @foreign_key refers to (`u.id`)
 * @substring_table: (nullable): SQLite only: a substring index of the column, used by `co`: a table of
 *   (attribute INTEGER, substring TEXT, row INTEGER) holding, for each row and each
 *   character position of the column's value (as compared: folded, or lower() for NOCASE),
 *   the next %ROSTER_SCIM_SUBSTRING_LENGTH characters; a value longer than the index covers
 *   also has a row with the substring ''. Its primary key starts (attribute, substring).
 * @substring_attribute: the SQL integer literal of the column in @substring_table
 * @substring_key: the expression (a column of @table for multi-valued attributes) equal to
 *   the row column of @substring_table
 *
 * Filled in by a #RosterScimSqlMapper. Strings are the mapper's and only need to live until
 * roster_scim_filter_to_sql() returns. They are spliced into SQL: never put user input in
 * them.
 */
/**
 * RosterScimSqlDialect:
 * @ROSTER_SCIM_SQL_SQLITE: SQLite 3.35 or newer
 * @ROSTER_SCIM_SQL_POSTGRES: PostgreSQL 13 or newer, text columns in the "C" collation,
 *   pg_trgm's GIN indexes serving `co` and `ew` (LIKE)
 *
 * Which SQL roster_scim_filter_to_sql() writes.
 */
typedef enum
{
  ROSTER_SCIM_SQL_SQLITE,
  ROSTER_SCIM_SQL_POSTGRES,
} RosterScimSqlDialect;

typedef struct
{
  RosterScimAttributeType type;
  gboolean case_exact;
  gboolean folded;
  const char *column;
  const char *table;
  const char *foreign_key;
  const char *parent_key;
  const char *substring_table;
  const char *substring_attribute;
  const char *substring_key;
} RosterScimSqlColumn;

/**
 * RosterScimSqlMapper:
 * @path: the qualified attribute path
 * @column: (out caller-allocates): zeroed, i.e. a case-insensitive string
 *
 * Returns: %FALSE if the attribute is unknown or cannot be searched
 */
typedef gboolean (*RosterScimSqlMapper) (const RosterScimAttrPath *path,
                                         RosterScimSqlColumn      *column,
                                         gpointer                  user_data);

GType                roster_scim_filter_get_type         (void) G_GNUC_CONST;

RosterScimFilter    *roster_scim_filter_parse            (const char        *text,
                                                          GError           **error);
RosterScimFilter    *roster_scim_filter_ref              (RosterScimFilter  *filter);
void                 roster_scim_filter_unref            (RosterScimFilter  *filter);

RosterScimFilterKind roster_scim_filter_get_kind         (RosterScimFilter  *filter);
guint                roster_scim_filter_get_n_children   (RosterScimFilter  *filter);
RosterScimFilter    *roster_scim_filter_get_child        (RosterScimFilter  *filter,
                                                          guint              index);
const RosterScimAttrPath *
                     roster_scim_filter_get_path         (RosterScimFilter  *filter);
RosterScimCompareOp  roster_scim_filter_get_op           (RosterScimFilter  *filter);
JsonNode            *roster_scim_filter_get_value        (RosterScimFilter  *filter);
char                *roster_scim_filter_to_string        (RosterScimFilter  *filter);

const char          *roster_scim_compare_op_to_string    (RosterScimCompareOp op);

gboolean             roster_scim_filter_match            (RosterScimFilter          *filter,
                                                          JsonObject                *resource,
                                                          RosterScimAttributeLookup  lookup,
                                                          gpointer                   user_data,
                                                          GError                   **error);

GPtrArray           *roster_scim_sql_params_new          (void);
gboolean             roster_scim_filter_to_sql           (RosterScimFilter    *filter,
                                                          RosterScimSqlDialect dialect,
                                                          RosterScimSqlMapper  mapper,
                                                          gpointer             user_data,
                                                          GString             *where,
                                                          GPtrArray           *params,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterScimFilter, roster_scim_filter_unref)

G_END_DECLS
