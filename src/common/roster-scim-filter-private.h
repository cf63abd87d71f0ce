/* roster-scim-filter-private.h: shared by the filter parser, evaluator, SQL compiler and
 * the PATCH path parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-scim-filter.h"

G_BEGIN_DECLS

struct _RosterScimFilter
{
  gatomicrefcount ref_count;
  RosterScimFilterKind kind;
  RosterScimCompareOp op;
  char *schema;
  char *attribute;
  char *sub_attribute;
  RosterScimAttrPath path; /* points into the three strings above */
  JsonNode *value;         /* COMPARE only */
  GPtrArray *children;     /* of RosterScimFilter, owned */
};

/* A cursor over filter or path text. Errors are raised in ROSTER_ERROR with @code. */
typedef struct
{
  const char *text;
  const char *p;
  RosterErrorCode code;
  guint depth;
  guint comparisons;
} RosterScimParser;

gboolean          roster_scim_parser_init        (RosterScimParser  *parser,
                                                  const char        *text,
                                                  RosterErrorCode    code,
                                                  GError           **error);
void              roster_scim_parser_skip_space  (RosterScimParser  *parser);
gboolean          roster_scim_parser_at_end      (RosterScimParser  *parser);
void              roster_scim_parser_unexpected  (RosterScimParser  *parser,
                                                  GError           **error);
gboolean          roster_scim_parser_attr_path   (RosterScimParser  *parser,
                                                  gboolean           relative,
                                                  char             **schema,
                                                  char             **attribute,
                                                  char             **sub_attribute,
                                                  GError           **error);
gboolean          roster_scim_parser_attr_name   (RosterScimParser  *parser,
                                                  char             **name,
                                                  GError           **error);
RosterScimFilter *roster_scim_parser_value_filter (RosterScimParser *parser,
                                                   GError          **error);

/* The path a callback sees: @node's own, or qualified by the value path @outer. */
void              roster_scim_filter_qualify     (RosterScimFilter         *node,
                                                  const RosterScimAttrPath *outer,
                                                  RosterScimAttrPath       *qualified);

/* Whether @op and @node's literal suit an attribute of @type; the same rules for the
 * evaluator and the SQL compiler, so both refuse the same filters. */
gboolean          roster_scim_filter_check_compare (RosterScimFilter         *node,
                                                    const RosterScimAttrPath *qualified,
                                                    RosterScimAttributeType   type,
                                                    GError                  **error);
RosterScimAttributeType
                  roster_scim_filter_literal_type (RosterScimFilter        *node);
GDateTime        *roster_scim_parse_date_time     (const char              *text);
gboolean          roster_scim_filter_match_element (RosterScimFilter          *filter,
                                                    JsonObject                *element,
                                                    const RosterScimAttrPath  *outer,
                                                    RosterScimAttributeLookup  lookup,
                                                    gpointer                   user_data,
                                                    GError                   **error);

G_END_DECLS
