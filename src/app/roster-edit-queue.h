/* roster-edit-queue.h: at most one change in flight per role or group; what changes meanwhile
 * waits for its answer, and goes with the version that answer carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _RosterEditQueue RosterEditQueue;

RosterEditQueue *roster_edit_queue_new         (void);
void             roster_edit_queue_free        (RosterEditQueue   *self);
gboolean         roster_edit_queue_add         (RosterEditQueue   *self,
                                                const char        *id,
                                                GObject           *control);
GPtrArray       *roster_edit_queue_take        (RosterEditQueue   *self,
                                                const char        *id);
gboolean         roster_edit_queue_done        (RosterEditQueue   *self,
                                                const char        *id,
                                                gboolean           succeeded);
void             roster_edit_queue_forget      (RosterEditQueue   *self);
GStrv            roster_edit_queue_permissions (GPtrArray         *controls,
                                                const char *const *current);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterEditQueue, roster_edit_queue_free)

G_END_DECLS
