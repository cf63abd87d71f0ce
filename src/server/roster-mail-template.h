/* roster-mail-template.h: the text of each kind of mail rosterd sends, one function each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-mail-catalog.h"

G_BEGIN_DECLS

/**
 * RosterMailContent:
 * @subject: the Subject
 * @text: the text/plain part
 * @html: the text/html part: a whole document, every value escaped
 */
typedef struct
{
  char *subject;
  char *text;
  char *html;
} RosterMailContent;

void               roster_mail_content_free           (RosterMailContent *self);

RosterMailContent *roster_mail_template_invitation    (RosterMailCatalog *catalog,
                                                       const char        *name,
                                                       const char        *user_name,
                                                       const char        *link,
                                                       gint64             days);
RosterMailContent *roster_mail_template_verification  (RosterMailCatalog *catalog,
                                                       const char        *name,
                                                       const char        *user_name,
                                                       const char        *link,
                                                       gint64             days);
RosterMailContent *roster_mail_template_user_name     (RosterMailCatalog *catalog,
                                                       const char        *name,
                                                       const char        *user_name);
RosterMailContent *roster_mail_template_password_set  (RosterMailCatalog *catalog,
                                                       const char        *name,
                                                       const char        *user_name,
                                                       const char        *password,
                                                       gboolean           must_change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterMailContent, roster_mail_content_free)

G_END_DECLS
