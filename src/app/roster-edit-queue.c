/* roster-edit-queue.c
 *
 * Each change of a role or group is a PATCH with If-Match of the version the page holds, so a
 * second change sent before the first one's answer would carry the old version and fail
 * (412) against our own first. The queue keeps, per id, whether a request is in flight and
 * the controls changed meanwhile; the page reads those controls when the answer comes and
 * sends what they say, with the answer's version. Controls are read then, not when they
 * changed, so the latest value is what goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include "roster-edit-queue.h"
#include "roster-permission-switch.h"

struct _RosterEditQueue
{
  GHashTable *pending; /* id → GPtrArray of the controls changed since; there = in flight */
};

RosterEditQueue *
roster_edit_queue_new (void)
{
  RosterEditQueue *self = g_new0 (RosterEditQueue, 1);

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
roster_edit_queue_free (RosterEditQueue *self)
{
  g_hash_table_unref (self->pending);
  g_free (self);
}

/**
 * roster_edit_queue_add:
 * @control: what changed, read when the change is sent
 *
 * Remembers that @control of @id changed.
 *
 * Returns: %TRUE when nothing is in flight for @id: take the controls and send now
 */
gboolean
roster_edit_queue_add (RosterEditQueue *self, const char *id, GObject *control)
{
  GPtrArray *controls = g_hash_table_lookup (self->pending, id);
  gboolean idle = controls == NULL;

  if (idle)
    {
      controls = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->pending, g_strdup (id), controls);
    }
  if (!g_ptr_array_find (controls, control, NULL))
    g_ptr_array_add (controls, g_object_ref (control));
  return idle;
}

/**
 * roster_edit_queue_take:
 *
 * Marks a request for @id in flight, the one to send with the controls changed so far.
 *
 * Returns: (transfer full): the controls, in the order they first changed
 */
GPtrArray *
roster_edit_queue_take (RosterEditQueue *self, const char *id)
{
  GPtrArray *controls = g_hash_table_lookup (self->pending, id);
  GPtrArray *taken = controls != NULL ? g_ptr_array_ref (controls)
                                      : g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_insert (self->pending, g_strdup (id),
                       g_ptr_array_new_with_free_func (g_object_unref));
  return taken;
}

/**
 * roster_edit_queue_done:
 * @succeeded: %FALSE drops what waits: the page reloads and shows the server's truth
 *
 * The answer for @id came (or nothing needed sending after all).
 *
 * Returns: %TRUE when changes wait: take them and send them now, with the answer's version
 */
gboolean
roster_edit_queue_done (RosterEditQueue *self, const char *id, gboolean succeeded)
{
  GPtrArray *controls = g_hash_table_lookup (self->pending, id);

  if (succeeded && controls != NULL && controls->len > 0)
    return TRUE;
  g_hash_table_remove (self->pending, id);
  return FALSE;
}

/**
 * roster_edit_queue_forget:
 *
 * Drops what waits, for the rows were built anew from the server: their controls are gone.
 * What is in flight stays so; changes in the new rows wait for its answer.
 */
void
roster_edit_queue_forget (RosterEditQueue *self)
{
  GHashTableIter iter;
  GPtrArray *controls;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &controls))
    g_ptr_array_set_size (controls, 0);
}

static gboolean
same_set (const char *const *a, const char *const *b)
{
  guint n = 0;

  for (; a != NULL && a[n] != NULL; n++)
    if (b == NULL || !g_strv_contains (b, a[n]))
      return FALSE;
  return n == (b != NULL ? g_strv_length ((GStrv) b) : 0);
}

/**
 * roster_edit_queue_permissions:
 * @controls: as taken; those with a "permission" are permission switches
 * @current: the permissions as last stored
 *
 * Returns: (transfer full) (nullable): @current with what the switches among @controls show
 *   now, or %NULL if that is no change
 */
GStrv
roster_edit_queue_permissions (GPtrArray *controls, const char *const *current)
{
  g_auto(GStrv) permissions = g_strdupv ((GStrv) current);

  for (guint i = 0; i < controls->len; i++)
    if (g_object_get_data (controls->pdata[i], "permission") != NULL)
      {
        GStrv next = roster_permission_switch_apply (controls->pdata[i],
                                                     (const char *const *) permissions);

        g_strfreev (permissions);
        permissions = next;
      }
  if (same_set ((const char *const *) permissions, current))
    return NULL;
  return g_steal_pointer (&permissions);
}
