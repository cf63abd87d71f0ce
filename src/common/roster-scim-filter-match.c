/* roster-scim-filter-match.c: evaluating a SCIM filter against a JSON resource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "roster-scim-filter-private.h"
#include "roster-validation.h"

typedef struct
{
  RosterScimAttributeLookup lookup;
  gpointer user_data;
} MatchContext;

static gboolean eval (RosterScimFilter *node, JsonObject *object, const RosterScimAttrPath *outer,
                      MatchContext *ctx, gboolean *result, GError **error);

/* Attribute names are case-insensitive (RFC 7643 §2.1). */
static JsonNode *
get_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GList) members = NULL;

  if (node != NULL)
    return node;
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);
  return NULL;
}

/* The object a top-level path starts from: the resource for its core schema (the first of
 * "schemas"), the extension object for an extension URN, or nothing. */
static JsonObject *
schema_object (JsonObject *resource, const char *schema)
{
  JsonNode *member, *schemas;
  JsonArray *array;

  if (schema == NULL)
    return resource;
  member = get_member (resource, schema);
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    return json_node_get_object (member);
  schemas = get_member (resource, "schemas");
  if (schemas == NULL)
    return resource;
  if (!JSON_NODE_HOLDS_ARRAY (schemas))
    return NULL;
  array = json_node_get_array (schemas);
  if (json_array_get_length (array) > 0)
    {
      JsonNode *first = json_array_get_element (array, 0);

      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING
          && g_ascii_strcasecmp (json_node_get_string (first), schema) == 0)
        return resource;
    }
  return NULL;
}

/* Multi-valued attributes contribute each value. */
static void
add_values (JsonNode *node, GPtrArray *values)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (values, json_array_get_element (array, i));
    }
  else
    g_ptr_array_add (values, node);
}

static void
resolve (JsonObject *base, const char *attribute, const char *sub_attribute, GPtrArray *values)
{
  JsonNode *node;

  if (base == NULL)
    return;
  node = get_member (base, attribute);
  if (node == NULL || sub_attribute == NULL)
    {
      add_values (node, values);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    add_values (get_member (json_node_get_object (node), sub_attribute), values);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            add_values (get_member (json_node_get_object (element), sub_attribute), values);
        }
    }
}

/* The values @node's path names: relative to @object inside a value path. */
static GPtrArray *
values_of (RosterScimFilter *node, JsonObject *object, const RosterScimAttrPath *outer,
           const char *sub_attribute)
{
  GPtrArray *values = g_ptr_array_new ();

  if (outer != NULL)
    resolve (object, node->attribute, NULL, values);
  else if (node->schema != NULL || get_member (object, node->attribute) != NULL)
    resolve (schema_object (object, node->schema), node->attribute, sub_attribute, values);
  else
    {
      /* Unqualified and not in the core schema: the first extension that has it. */
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (g_ascii_strncasecmp (l->data, "urn:", 4) == 0 && JSON_NODE_HOLDS_OBJECT (member)
              && get_member (json_node_get_object (member), node->attribute) != NULL)
            {
              resolve (json_node_get_object (member), node->attribute, sub_attribute, values);
              break;
            }
        }
    }
  return values;
}

/* "pr": not null, not "", not [], and an object with something present in it. */
static gboolean
is_present (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING
             || *json_node_get_string (node) != '\0';
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (is_present (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_OBJECT:
      {
        g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

        for (GList *l = members; l != NULL; l = l->next)
          if (is_present (l->data))
            return TRUE;
        return FALSE;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
lookup_info (MatchContext *ctx, RosterScimFilter *node, const RosterScimAttrPath *qualified,
             RosterScimAttributeInfo *info, GError **error)
{
  info->type = ROSTER_SCIM_TYPE_STRING;
  info->case_exact = FALSE;
  if (ctx->lookup == NULL)
    {
      if (node->kind == ROSTER_SCIM_FILTER_COMPARE)
        info->type = roster_scim_filter_literal_type (node);
      return TRUE;
    }
  if (!ctx->lookup (qualified, info, ctx->user_data))
    {
      g_autofree char *name = roster_scim_attr_path_to_string (qualified);

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_FILTER,
                   _("Unknown attribute “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

static int
order (int cmp)
{
  return cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
}

static gboolean
ordered (RosterScimCompareOp op, int cmp)
{
  switch (op)
    {
    case ROSTER_SCIM_OP_EQ:
      return cmp == 0;
    case ROSTER_SCIM_OP_NE:
      return cmp != 0;
    case ROSTER_SCIM_OP_GT:
      return cmp > 0;
    case ROSTER_SCIM_OP_GE:
      return cmp >= 0;
    case ROSTER_SCIM_OP_LT:
      return cmp < 0;
    case ROSTER_SCIM_OP_LE:
      return cmp <= 0;
    case ROSTER_SCIM_OP_CO:
    case ROSTER_SCIM_OP_SW:
    case ROSTER_SCIM_OP_EW:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* One value against the literal; values of another type than the attribute's never match. */
static gboolean
compare_one (RosterScimFilter *node, const RosterScimAttributeInfo *info, JsonNode *value,
             const char *literal, GDateTime *literal_time)
{
  RosterScimCompareOp op = node->op;

  /* A complex value without a sub-attribute compares its "value" (RFC 7644 §3.4.2.2). */
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      value = get_member (json_node_get_object (value), "value");
      if (value == NULL)
        return FALSE;
    }

  switch (info->type)
    {
    case ROSTER_SCIM_TYPE_STRING:
    case ROSTER_SCIM_TYPE_REFERENCE:
    case ROSTER_SCIM_TYPE_BINARY:
      {
        g_autofree char *folded = NULL;
        const char *text;

        if (!holds (value, G_TYPE_STRING))
          return FALSE;
        text = json_node_get_string (value);
        if (!info->case_exact)
          text = folded = roster_user_name_fold (text);
        switch (op)
          {
          case ROSTER_SCIM_OP_CO:
            return strstr (text, literal) != NULL;
          case ROSTER_SCIM_OP_SW:
            return g_str_has_prefix (text, literal);
          case ROSTER_SCIM_OP_EW:
            return g_str_has_suffix (text, literal);
          case ROSTER_SCIM_OP_EQ:
          case ROSTER_SCIM_OP_NE:
          case ROSTER_SCIM_OP_GT:
          case ROSTER_SCIM_OP_GE:
          case ROSTER_SCIM_OP_LT:
          case ROSTER_SCIM_OP_LE:
          default:
            return ordered (op, order (strcmp (text, literal)));
          }
      }
    case ROSTER_SCIM_TYPE_BOOLEAN:
      if (!holds (value, G_TYPE_BOOLEAN))
        return FALSE;
      return ordered (op, json_node_get_boolean (value) != json_node_get_boolean (node->value));
    case ROSTER_SCIM_TYPE_DECIMAL:
    case ROSTER_SCIM_TYPE_INTEGER:
      {
        GType a = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_NONE;
        GType b = json_node_get_value_type (node->value);

        if (a != G_TYPE_INT64 && a != G_TYPE_DOUBLE)
          return FALSE;
        if (a == G_TYPE_INT64 && b == G_TYPE_INT64)
          {
            gint64 x = json_node_get_int (value), y = json_node_get_int (node->value);

            return ordered (op, x < y ? -1 : x > y ? 1 : 0);
          }
        else
          {
            double x = json_node_get_double (value), y = json_node_get_double (node->value);

            return ordered (op, x < y ? -1 : x > y ? 1 : 0);
          }
      }
    case ROSTER_SCIM_TYPE_DATE_TIME:
      {
        g_autoptr(GDateTime) dt = NULL;

        if (!holds (value, G_TYPE_STRING))
          return FALSE;
        dt = roster_scim_parse_date_time (json_node_get_string (value));
        return dt != NULL && ordered (op, g_date_time_compare (dt, literal_time));
      }
    case ROSTER_SCIM_TYPE_COMPLEX:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_leaf (RosterScimFilter *node, JsonObject *object, const RosterScimAttrPath *outer,
           MatchContext *ctx, gboolean *result, GError **error)
{
  RosterScimAttrPath qualified;
  RosterScimAttributeInfo info;
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *literal = NULL;
  g_autoptr(GDateTime) literal_time = NULL;
  const char *sub_attribute = node->sub_attribute;

  roster_scim_filter_qualify (node, outer, &qualified);
  if (!lookup_info (ctx, node, &qualified, &info, error))
    return FALSE;

  /* "pr", "eq null" and "ne null" ask whether there is a value. */
  if (node->kind == ROSTER_SCIM_FILTER_PRESENT || JSON_NODE_HOLDS_NULL (node->value))
    {
      gboolean present = FALSE;

      if (node->kind == ROSTER_SCIM_FILTER_COMPARE
          && !roster_scim_filter_check_compare (node, &qualified, info.type, error))
        return FALSE;
      values = values_of (node, object, outer, sub_attribute);
      for (guint i = 0; i < values->len && !present; i++)
        present = is_present (g_ptr_array_index (values, i));
      *result = node->kind == ROSTER_SCIM_FILTER_PRESENT || node->op == ROSTER_SCIM_OP_NE
                    ? present
                    : !present;
      return TRUE;
    }

  /* A complex attribute compares its "value" sub-attribute. */
  if (info.type == ROSTER_SCIM_TYPE_COMPLEX && qualified.sub_attribute == NULL)
    {
      qualified.sub_attribute = sub_attribute = "value";
      if (!lookup_info (ctx, node, &qualified, &info, error))
        return FALSE;
    }
  if (!roster_scim_filter_check_compare (node, &qualified, info.type, error))
    return FALSE;

  if (info.type == ROSTER_SCIM_TYPE_DATE_TIME)
    literal_time = roster_scim_parse_date_time (json_node_get_string (node->value));
  else if (holds (node->value, G_TYPE_STRING))
    literal = info.case_exact ? g_strdup (json_node_get_string (node->value))
                              : roster_user_name_fold (json_node_get_string (node->value));

  *result = FALSE;
  values = values_of (node, object, outer, sub_attribute);
  for (guint i = 0; i < values->len && !*result; i++)
    *result = compare_one (node, &info, g_ptr_array_index (values, i), literal, literal_time);
  return TRUE;
}

static gboolean
eval_value_path (RosterScimFilter *node, JsonObject *resource, MatchContext *ctx, gboolean *result,
                 GError **error)
{
  g_autoptr(GPtrArray) values = values_of (node, resource, NULL, NULL);
  RosterScimFilter *inner = g_ptr_array_index (node->children, 0);
  g_autoptr(JsonObject) empty = json_object_new ();

  /* Check the inner filter once even without values, so errors don't depend on data. */
  if (!eval (inner, empty, &node->path, ctx, result, error))
    return FALSE;
  *result = FALSE;

  for (guint i = 0; i < values->len && !*result; i++)
    {
      JsonNode *value = g_ptr_array_index (values, i);

      if (JSON_NODE_HOLDS_OBJECT (value)
          && !eval (inner, json_node_get_object (value), &node->path, ctx, result, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
eval (RosterScimFilter *node, JsonObject *object, const RosterScimAttrPath *outer,
      MatchContext *ctx, gboolean *result, GError **error)
{
  switch (node->kind)
    {
    case ROSTER_SCIM_FILTER_AND:
    case ROSTER_SCIM_FILTER_OR:
      {
        gboolean want = node->kind == ROSTER_SCIM_FILTER_OR;
        gboolean any = FALSE;

        /* No short cut: an invalid comparison fails whatever the data. */
        for (guint i = 0; i < node->children->len; i++)
          {
            gboolean child;

            if (!eval (g_ptr_array_index (node->children, i), object, outer, ctx, &child, error))
              return FALSE;
            if (child == want)
              any = TRUE;
          }
        *result = any ? want : !want;
        return TRUE;
      }
    case ROSTER_SCIM_FILTER_NOT:
      if (!eval (g_ptr_array_index (node->children, 0), object, outer, ctx, result, error))
        return FALSE;
      *result = !*result;
      return TRUE;
    case ROSTER_SCIM_FILTER_COMPARE:
    case ROSTER_SCIM_FILTER_PRESENT:
      return eval_leaf (node, object, outer, ctx, result, error);
    case ROSTER_SCIM_FILTER_VALUE_PATH:
      return eval_value_path (node, object, ctx, result, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * roster_scim_filter_match:
 * @resource: a SCIM resource, e.g. a user as JSON
 * @lookup: (nullable) (scope call): tells the type of each attribute; without it, strings
 *   are case-insensitive and the literal's JSON type is the attribute's
 *
 * Evaluates @filter as RFC 7644 §3.4.2.2 describes it: a multi-valued attribute matches if
 * any value does; a comparison on an absent attribute is false (so `ne` needs a value, and
 * `not (…)` is true); case-insensitive strings compare through roster_user_name_fold(), as
 * the store does; dateTimes compare as instants. Operators that do not suit the attribute
 * (`gt` on a boolean) fail with %ROSTER_ERROR_INVALID_FILTER whatever the data, as does an
 * attribute @lookup does not know.
 *
 * Returns: %TRUE if @resource matches; %FALSE if not or on error
 */
gboolean
roster_scim_filter_match (RosterScimFilter *filter, JsonObject *resource,
                          RosterScimAttributeLookup lookup, gpointer user_data, GError **error)
{
  MatchContext ctx = { lookup, user_data };
  gboolean result = FALSE;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!eval (filter, resource, NULL, &ctx, &result, error))
    return FALSE;
  return result;
}

/**
 * roster_scim_filter_match_element:
 * @outer: the qualified path of the multi-valued attribute @element belongs to
 *
 * Evaluates the relative paths of a value filter against one @element.
 */
gboolean
roster_scim_filter_match_element (RosterScimFilter *filter, JsonObject *element,
                                  const RosterScimAttrPath *outer, RosterScimAttributeLookup lookup,
                                  gpointer user_data, GError **error)
{
  MatchContext ctx = { lookup, user_data };
  gboolean result = FALSE;

  if (!eval (filter, element, outer, &ctx, &result, error))
    return FALSE;
  return result;
}
