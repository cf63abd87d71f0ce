/* roster-accessibility.h: names for controls that GTK 4.8 and libadwaita 1.2 leave unnamed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void roster_accessibility_name_password_row (AdwPasswordEntryRow *row);
void roster_accessibility_name_entry_row    (AdwEntryRow         *row);
void roster_accessibility_track_stack       (GtkStack            *stack);
void roster_accessibility_name_buttons      (GtkWidget           *root);
void roster_accessibility_set_invalid       (GtkWidget           *row,
                                            gboolean             invalid);

G_END_DECLS
