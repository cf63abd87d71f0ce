/* roster-ownership.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-error.h"
#include "roster-ownership.h"
#include "roster-scim.h"

static const char *const kind_names[ROSTER_RECORD_KIND_N] = { "clients", "orders", "tasks" };

/**
 * roster_record_kind_to_string:
 *
 * Returns: the kind's name on the wire: "clients", "orders" or "tasks"
 */
const char *
roster_record_kind_to_string (RosterRecordKind kind)
{
  g_return_val_if_fail (kind < ROSTER_RECORD_KIND_N, NULL);
  return kind_names[kind];
}

static gboolean
read_count (JsonObject *object, const char *member, guint *count, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *count = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be a whole number"), member);
      return FALSE;
    }
  *count = (guint) MIN (json_node_get_int (node), G_MAXUINT);
  return TRUE;
}

/**
 * roster_ownership_new_from_json:
 *
 * Reads the counts of an Ownership answer ({"counts": {"clients": {"open", "done"}, …}}).
 * A kind the answer leaves out owns nothing.
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
RosterOwnership *
roster_ownership_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterOwnership) self = g_new0 (RosterOwnership, 1);
  JsonObject *counts;

  g_return_val_if_fail (object != NULL, NULL);

  counts = roster_json_get_object (object, "counts", error);
  if (counts == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                             _("The ownership has no counts"));
      return NULL;
    }
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    {
      g_autoptr(GError) local_error = NULL;
      JsonObject *kind = roster_json_get_object (counts, kind_names[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (kind != NULL
          && (!read_count (kind, "open", &self->open[i], error)
              || !read_count (kind, "done", &self->done[i], error)))
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
roster_ownership_free (RosterOwnership *self)
{
  g_free (self);
}

/**
 * roster_ownership_get_total:
 *
 * Returns: the open and finished records of @kind together
 */
guint
roster_ownership_get_total (const RosterOwnership *self, RosterRecordKind kind)
{
  g_return_val_if_fail (self != NULL && kind < ROSTER_RECORD_KIND_N, 0);
  return self->open[kind] + self->done[kind];
}

/**
 * roster_ownership_is_empty:
 *
 * Returns: whether the user owns no record at all
 */
gboolean
roster_ownership_is_empty (const RosterOwnership *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    if (roster_ownership_get_total (self, i) > 0)
      return FALSE;
  return TRUE;
}

/**
 * roster_ownership_plan_new:
 * @destinations: (nullable) (array fixed-size=3): per #RosterRecordKind, the id of the user
 *   who takes over every record of that kind, or %NULL to leave the kind out
 *
 * Returns: (transfer full) (nullable): the reassignment plan of DELETE /Users/{id}
 *   ({"orders": {"to": "user", "value": …}, …}), or %NULL when it names nothing
 */
JsonNode *
roster_ownership_plan_new (const char *const *destinations)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean any = FALSE;

  json_builder_begin_object (builder);
  for (guint i = 0; destinations != NULL && i < ROSTER_RECORD_KIND_N; i++)
    {
      if (destinations[i] == NULL)
        continue;
      any = TRUE;
      json_builder_set_member_name (builder, kind_names[i]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, "user");
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, destinations[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return any ? json_builder_get_root (builder) : NULL;
}
