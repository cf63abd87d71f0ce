/* roster-iso-codes.h: language and country names from the iso-codes package
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  ROSTER_ISO_LANGUAGES, /* ISO 639-1 two-letter codes, as preferredLanguage holds them */
  ROSTER_ISO_COUNTRIES, /* ISO 3166-1 alpha-2 codes */
} RosterIsoKind;

#define ROSTER_TYPE_ISO_CODES (roster_iso_codes_get_type ())
G_DECLARE_FINAL_TYPE (RosterIsoCodes, roster_iso_codes, ROSTER, ISO_CODES, GObject)

void            roster_iso_codes_load_async  (const char          *directory,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
RosterIsoCodes *roster_iso_codes_load_finish (GAsyncResult        *result,
                                              GError             **error);
guint           roster_iso_codes_get_n_items (RosterIsoCodes      *self,
                                              RosterIsoKind        kind);
const char     *roster_iso_codes_get_code    (RosterIsoCodes      *self,
                                              RosterIsoKind        kind,
                                              guint                position);
const char     *roster_iso_codes_get_name    (RosterIsoCodes      *self,
                                              RosterIsoKind        kind,
                                              guint                position);
const char     *roster_iso_codes_lookup      (RosterIsoCodes      *self,
                                              RosterIsoKind        kind,
                                              const char          *code);

G_END_DECLS
