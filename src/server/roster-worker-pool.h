/* roster-worker-pool.h: rosterd's processes: the primary and the workers it forks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_WORKER_POOL (roster_worker_pool_get_type ())
G_DECLARE_FINAL_TYPE (RosterWorkerPool, roster_worker_pool, ROSTER, WORKER_POOL, GObject)

RosterWorkerPool *roster_worker_pool_new        (guint              n_processes);
gboolean          roster_worker_pool_fork       (RosterWorkerPool  *self,
                                                 GError           **error);
guint             roster_worker_pool_get_index  (RosterWorkerPool  *self);
void              roster_worker_pool_watch      (RosterWorkerPool  *self,
                                                 GMainLoop         *loop);
gboolean          roster_worker_pool_stop       (RosterWorkerPool  *self,
                                                 GError           **error);

G_END_DECLS
