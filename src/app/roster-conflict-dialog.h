/* roster-conflict-dialog.h: someone else saved the user first — what now?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-user-diff.h"

G_BEGIN_DECLS

typedef enum
{
  ROSTER_CONFLICT_CANCEL,
  ROSTER_CONFLICT_KEEP_MINE,
  ROSTER_CONFLICT_TAKE_THEIRS,
  ROSTER_CONFLICT_MERGE,
} RosterConflictChoice;

GtkWindow            *roster_conflict_dialog_new          (GtkWindow   *parent,
                                                           RosterUser  *base,
                                                           RosterUser  *mine,
                                                           RosterUser  *theirs);
RosterConflictChoice  roster_conflict_choice_from_response (const char *response);
RosterUser           *roster_conflict_resolve             (RosterConflictChoice choice,
                                                           RosterUser  *base,
                                                           RosterUser  *mine,
                                                           RosterUser  *theirs);

G_END_DECLS
