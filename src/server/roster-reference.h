/* roster-reference.h: a reference to a named thing: a group a user is in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterReference:
 * @id: what a member, group or role value names
 * @display: (nullable): its current name
 */
typedef struct
{
  char *id;
  char *display;
} RosterReference;

RosterReference *roster_reference_new  (const char      *id,
                                        const char      *display);
void             roster_reference_free (RosterReference *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterReference, roster_reference_free)

G_END_DECLS
