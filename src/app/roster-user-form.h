/* roster-user-form.h: what the user page's sections share: code pickers and field errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-iso-codes.h"

G_BEGIN_DECLS

void        roster_user_form_fill_combo (RosterIsoCodes *codes,
                                         AdwComboRow    *row,
                                         RosterIsoKind   kind,
                                         const char     *current);
const char *roster_user_form_combo_code (AdwComboRow    *row);
void        roster_user_form_set_error  (GtkWidget      *row,
                                         const char     *message);

G_END_DECLS
