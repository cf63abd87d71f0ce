/* roster-mail-catalog.h: one language's translations, for the mail and pages of one user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RosterMailCatalog RosterMailCatalog;

RosterMailCatalog *roster_mail_catalog_new      (const char        *locale_dir,
                                                 const char        *language);
const char        *roster_mail_catalog_get_language (RosterMailCatalog *self);
const char        *roster_mail_catalog_gettext  (RosterMailCatalog *self,
                                                 const char        *msgid) G_GNUC_FORMAT (2);
void               roster_mail_catalog_free     (RosterMailCatalog *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterMailCatalog, roster_mail_catalog_free)

G_END_DECLS
