/* roster-audit-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-audit-event.h"
#include "roster-error.h"
#include "roster-scim.h"

struct _RosterAuditEvent
{
  GObject parent_instance;

  char *id;
  GDateTime *time;
  char *action;
  char *actor_value;
  char *actor_display;
  char *target_type;
  char *target_value;
  char *target_display;
  GPtrArray *changes;  /* of RosterAuditChange */
};

G_DEFINE_FINAL_TYPE (RosterAuditEvent, roster_audit_event, G_TYPE_OBJECT)

static void
audit_change_free (RosterAuditChange *change)
{
  g_free (change->attribute);
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static void
roster_audit_event_finalize (GObject *object)
{
  RosterAuditEvent *self = (RosterAuditEvent *) object;

  g_free (self->id);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->action);
  g_free (self->actor_value);
  g_free (self->actor_display);
  g_free (self->target_type);
  g_free (self->target_value);
  g_free (self->target_display);
  g_ptr_array_unref (self->changes);

  G_OBJECT_CLASS (roster_audit_event_parent_class)->finalize (object);
}

static void
roster_audit_event_class_init (RosterAuditEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_audit_event_finalize;
}

static void
roster_audit_event_init (RosterAuditEvent *self)
{
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) audit_change_free);
}

/* A JSON value as one compact line; a missing member counts as null. */
static char *
compact_json (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

/**
 * roster_audit_event_new_from_json:
 *
 * Reads one AuditEvent; members of the wrong type are %ROSTER_ERROR_INVALID_VALUE, a
 * missing id, time or action %ROSTER_ERROR_MISSING_ATTRIBUTE.
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
RosterAuditEvent *
roster_audit_event_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterAuditEvent) self = g_object_new (ROSTER_TYPE_AUDIT_EVENT, NULL);
  g_autoptr(GError) local_error = NULL;
  const char *time = NULL;
  JsonObject *actor = NULL, *target = NULL;
  JsonArray *changes = NULL;

  self->id = g_strdup (roster_json_get_string (object, "id", &local_error));
  if (local_error == NULL)
    time = roster_json_get_string (object, "time", &local_error);
  if (local_error == NULL)
    self->action = g_strdup (roster_json_get_string (object, "action", &local_error));
  if (local_error == NULL)
    actor = roster_json_get_object (object, "actor", &local_error);
  if (local_error == NULL)
    target = roster_json_get_object (object, "target", &local_error);
  if (local_error == NULL)
    changes = roster_json_get_array (object, "changes", &local_error);
  if (actor != NULL && local_error == NULL)
    self->actor_value = g_strdup (roster_json_get_string (actor, "value", &local_error));
  if (actor != NULL && local_error == NULL)
    self->actor_display = g_strdup (roster_json_get_string (actor, "display", &local_error));
  if (target != NULL && local_error == NULL)
    self->target_type = g_strdup (roster_json_get_string (target, "type", &local_error));
  if (target != NULL && local_error == NULL)
    self->target_value = g_strdup (roster_json_get_string (target, "value", &local_error));
  if (target != NULL && local_error == NULL)
    self->target_display = g_strdup (roster_json_get_string (target, "display", &local_error));
  if (local_error == NULL && (self->id == NULL || time == NULL || self->action == NULL))
    g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                         _("An audit event needs an id, a time and an action"));
  if (local_error == NULL)
    {
      self->time = g_date_time_new_from_iso8601 (time, NULL);
      if (self->time == NULL)
        g_set_error (&local_error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                     _("“%s” is not a valid time"), time);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *change_object;
      RosterAuditChange *change;
      const char *attribute;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      change_object = json_node_get_object (node);
      attribute = roster_json_get_string (change_object, "attribute", NULL);
      if (attribute == NULL)
        continue;
      change = g_new0 (RosterAuditChange, 1);
      change->attribute = g_strdup (attribute);
      change->before = compact_json (change_object, "before");
      change->after = compact_json (change_object, "after");
      g_ptr_array_add (self->changes, change);
    }
  return g_steal_pointer (&self);
}

#define GETTER(field)                                                        \
  const char *                                                               \
  roster_audit_event_get_##field (RosterAuditEvent *self)                    \
  {                                                                          \
    g_return_val_if_fail (ROSTER_IS_AUDIT_EVENT (self), NULL);               \
    return self->field;                                                      \
  }

GETTER (id)
GETTER (action)
GETTER (actor_value)
GETTER (actor_display)
GETTER (target_type)
GETTER (target_value)
GETTER (target_display)

/**
 * roster_audit_event_get_time:
 *
 * Returns: (transfer none): when the change was made
 */
GDateTime *
roster_audit_event_get_time (RosterAuditEvent *self)
{
  g_return_val_if_fail (ROSTER_IS_AUDIT_EVENT (self), NULL);
  return self->time;
}

guint
roster_audit_event_get_n_changes (RosterAuditEvent *self)
{
  g_return_val_if_fail (ROSTER_IS_AUDIT_EVENT (self), 0);
  return self->changes->len;
}

const RosterAuditChange *
roster_audit_event_get_change (RosterAuditEvent *self, guint index)
{
  g_return_val_if_fail (ROSTER_IS_AUDIT_EVENT (self), NULL);
  g_return_val_if_fail (index < self->changes->len, NULL);
  return g_ptr_array_index (self->changes, index);
}
