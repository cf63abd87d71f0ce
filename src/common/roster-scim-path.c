/* roster-scim-path.c: PATCH operation paths (RFC 7644 §3.5.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-scim-filter-private.h"
#include "roster-scim-path.h"

struct _RosterScimPath
{
  gatomicrefcount ref_count;
  char *schema;
  char *attribute;
  char *sub_attribute;
  RosterScimAttrPath attr_path; /* points into the three strings above */
  RosterScimFilter *filter;     /* nullable */
};

G_DEFINE_BOXED_TYPE (RosterScimPath, roster_scim_path, roster_scim_path_ref, roster_scim_path_unref)

/**
 * roster_scim_path_ref:
 *
 * Returns: (transfer full): @path, with one more reference
 */
RosterScimPath *
roster_scim_path_ref (RosterScimPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_atomic_ref_count_inc (&path->ref_count);
  return path;
}

/**
 * roster_scim_path_unref:
 *
 * Drops a reference; the last one frees @path.
 */
void
roster_scim_path_unref (RosterScimPath *path)
{
  g_return_if_fail (path != NULL);

  if (!g_atomic_ref_count_dec (&path->ref_count))
    return;
  g_free (path->schema);
  g_free (path->attribute);
  g_free (path->sub_attribute);
  g_clear_pointer (&path->filter, roster_scim_filter_unref);
  g_free (path);
}

/**
 * roster_scim_path_parse:
 * @text: the "path" member of a PATCH operation
 *
 * Parses `members`, `name.familyName`, `addresses[type eq "work"].streetAddress`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, … Attribute names are
 * case-insensitive. The value filter has the filter grammar and limits, with paths relative
 * to the attribute. Every error, in the filter too, is %ROSTER_ERROR_INVALID_PATH with a
 * translated message naming the 1-based character position.
 *
 * Returns: (transfer full) (nullable): the path, or %NULL on error
 */
RosterScimPath *
roster_scim_path_parse (const char *text, GError **error)
{
  RosterScimParser parser;
  g_autoptr(RosterScimFilter) filter = NULL;
  g_autofree char *schema = NULL, *attribute = NULL, *sub_attribute = NULL;
  RosterScimPath *path;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!roster_scim_parser_init (&parser, text, ROSTER_ERROR_INVALID_PATH, error))
    return NULL;
  if (roster_scim_parser_at_end (&parser))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_PATH,
                           _("The path is empty."));
      return NULL;
    }
  if (!roster_scim_parser_attr_path (&parser, FALSE, &schema, &attribute, &sub_attribute, error))
    return NULL;

  if (*parser.p == '[' && sub_attribute == NULL)
    {
      filter = roster_scim_parser_value_filter (&parser, error);
      if (filter == NULL)
        return NULL;
      if (*parser.p == '.')
        {
          parser.p++;
          if (!roster_scim_parser_attr_name (&parser, &sub_attribute, error))
            return NULL;
        }
    }
  if (!roster_scim_parser_at_end (&parser))
    {
      roster_scim_parser_unexpected (&parser, error);
      return NULL;
    }

  path = g_new0 (RosterScimPath, 1);
  g_atomic_ref_count_init (&path->ref_count);
  path->attr_path.schema = path->schema = g_steal_pointer (&schema);
  path->attr_path.attribute = path->attribute = g_steal_pointer (&attribute);
  path->attr_path.sub_attribute = path->sub_attribute = g_steal_pointer (&sub_attribute);
  path->filter = g_steal_pointer (&filter);
  return path;
}

/**
 * roster_scim_path_get_attr_path:
 *
 * Returns: (transfer none): the attribute the path names, with the sub-attribute written
 *   after "." or after the value filter's "]."
 */
const RosterScimAttrPath *
roster_scim_path_get_attr_path (RosterScimPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return &path->attr_path;
}

/**
 * roster_scim_path_get_filter:
 *
 * Returns: (transfer none) (nullable): the value filter between "[" and "]", whose paths are
 *   relative to the attribute
 */
RosterScimFilter *
roster_scim_path_get_filter (RosterScimPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return path->filter;
}

/**
 * roster_scim_path_match_value:
 * @value: one value of the multi-valued attribute @path names
 * @lookup: (nullable) (scope call): as for roster_scim_filter_match(); it gets qualified
 *   paths such as `emails.type`
 *
 * Tells whether a PATCH operation on @path targets @value. Without a value filter every
 * value is a target; with one, only objects that match it.
 *
 * Returns: %TRUE if @value is a target; %FALSE if not or on error
 */
gboolean
roster_scim_path_match_value (RosterScimPath *path, JsonNode *value,
                              RosterScimAttributeLookup lookup, gpointer user_data, GError **error)
{
  RosterScimAttrPath outer;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path->filter == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (value))
    return FALSE;
  outer.schema = path->schema;
  outer.attribute = path->attribute;
  outer.sub_attribute = NULL;
  return roster_scim_filter_match_element (path->filter, json_node_get_object (value), &outer,
                                           lookup, user_data, error);
}

/**
 * roster_scim_path_to_string:
 *
 * Returns: (transfer full): @path in canonical form, e.g.
 *   `addresses[type eq "work"].streetAddress`
 */
char *
roster_scim_path_to_string (RosterScimPath *path)
{
  RosterScimAttrPath head = { path->schema, path->attribute, NULL };
  g_autofree char *prefix = NULL;
  g_autofree char *filter = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (path->filter == NULL)
    return roster_scim_attr_path_to_string (&path->attr_path);
  prefix = roster_scim_attr_path_to_string (&head);
  filter = roster_scim_filter_to_string (path->filter);
  return g_strdup_printf ("%s[%s]%s%s", prefix, filter, path->sub_attribute != NULL ? "." : "",
                          path->sub_attribute != NULL ? path->sub_attribute : "");
}
