/* roster-csv.h: writing CSV files people open in spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void   roster_csv_append_row   (GString           *out,
                                const char *const *fields,
                                gssize             n_fields);
char  *roster_csv_escape_field (const char        *field);

G_END_DECLS
