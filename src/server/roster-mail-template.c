/* roster-mail-template.c: the text of each kind of mail rosterd sends, one function each
 *
 * Each template writes the same paragraphs twice: as plain text and as a small HTML
 * document (inline styles only, no images, no external assets, every value escaped), in
 * the language of @catalog. Only roster_mail_template_password_set() can hold a password,
 * and only when the administrator asked for it to be sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-mail-template.h"

#define tr(catalog, msgid) roster_mail_catalog_gettext ((catalog), (msgid))

void
roster_mail_content_free (RosterMailContent *self)
{
  if (self == NULL)
    return;
  g_free (self->subject);
  if (self->text != NULL)
    explicit_bzero (self->text, strlen (self->text));
  if (self->html != NULL)
    explicit_bzero (self->html, strlen (self->html));
  g_free (self->text);
  g_free (self->html);
  g_free (self);
}

/* Collects paragraphs into both parts. */
typedef struct
{
  RosterMailCatalog *catalog;
  GString *text;
  GString *html;
} Builder;

static void
builder_init (Builder *b, RosterMailCatalog *catalog, const char *name)
{
  g_autofree char *lang = g_strdelimit (g_strdup (roster_mail_catalog_get_language (catalog)),
                                        "_", '-');
  g_autofree char *greeting = NULL;
  g_autofree char *escaped = NULL;

  b->catalog = catalog;
  b->text = g_string_new (NULL);
  b->html = g_string_new (NULL);
  /* Translators: the greeting of every mail; %s is the user's name */
  greeting = g_strdup_printf (tr (catalog, N_("Hello %s,")), name);
  escaped = g_markup_escape_text (greeting, -1);
  g_string_append_printf (b->text, "%s\n\n", greeting);
  g_string_append_printf (b->html,
                          "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>Roster</title>\n</head>\n"
                          "<body style=\"font-family: sans-serif; line-height: 1.5; "
                          "color: #1e1e1e; max-width: 36em;\">\n<p>%s</p>\n",
                          lang, escaped);
}

static void
add_paragraph (Builder *b, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (b->text, "%s\n\n", text);
  g_string_append_printf (b->html, "<p>%s</p>\n", escaped);
}

/* A label and a value the reader may need to copy: the username, a password. */
static void
add_value (Builder *b, const char *label, const char *value)
{
  g_autofree char *escaped_label = g_markup_escape_text (label, -1);
  g_autofree char *escaped_value = g_markup_escape_text (value, -1);

  g_string_append_printf (b->text, "%s %s\n\n", label, value);
  g_string_append_printf (b->html,
                          "<p>%s <strong style=\"font-family: monospace; font-size: 1.1em;\">"
                          "%s</strong></p>\n",
                          escaped_label, escaped_value);
}

static void
add_link (Builder *b, const char *label, const char *link)
{
  g_autofree char *escaped_label = g_markup_escape_text (label, -1);
  g_autofree char *escaped_link = g_markup_escape_text (link, -1);
  g_autofree char *escaped_or
    = g_markup_escape_text (tr (b->catalog, N_("Or open this address:")), -1);

  /* On a line of its own, so mail readers that show text make it clickable whole. */
  g_string_append_printf (b->text, "%s\n%s\n\n", label, link);
  g_string_append_printf (b->html,
                          "<p><a href=\"%s\" style=\"display: inline-block; padding: 0.5em 1em; "
                          "background: #3584e4; color: #ffffff; border-radius: 6px; "
                          "text-decoration: none;\">%s</a></p>\n"
                          "<p style=\"font-size: 0.9em; color: #5e5c64;\">%s<br>%s</p>\n",
                          escaped_link, escaped_label, escaped_or, escaped_link);
}

static RosterMailContent *
builder_finish (Builder *b, const char *subject)
{
  RosterMailContent *content = g_new0 (RosterMailContent, 1);
  const char *footer
    = tr (b->catalog, N_("This message was sent automatically by Roster. If you did not "
                         "expect it, you can ignore it."));
  g_autofree char *escaped = g_markup_escape_text (footer, -1);

  g_string_append_printf (b->text, "-- \n%s\n", footer);
  g_string_append_printf (b->html,
                          "<hr style=\"border: none; border-top: 1px solid #deddda;\">\n"
                          "<p style=\"font-size: 0.9em; color: #5e5c64;\">%s</p>\n"
                          "</body>\n</html>\n",
                          escaped);
  content->subject = g_strdup (subject);
  content->text = g_string_free (b->text, FALSE);
  content->html = g_string_free (b->html, FALSE);
  return content;
}

static char *
days_text (RosterMailCatalog *catalog, gint64 days)
{
  /* Translators: %d is a number of days, 1 to 365 */
  return g_strdup_printf (tr (catalog, N_("The link works once and expires in %d days.")),
                          (int) days);
}

/**
 * roster_mail_template_invitation:
 *
 * A new account: the username and the link where the user sets a first password.
 */
RosterMailContent *
roster_mail_template_invitation (RosterMailCatalog *catalog, const char *name,
                                 const char *user_name, const char *link, gint64 days)
{
  Builder b;
  g_autofree char *expiry = days_text (catalog, days);

  builder_init (&b, catalog, name);
  add_paragraph (&b, tr (catalog, N_("An account has been created for you in Roster.")));
  add_value (&b, tr (catalog, N_("Your username:")), user_name);
  add_link (&b, tr (catalog, N_("Choose your password")), link);
  add_paragraph (&b, expiry);
  return builder_finish (&b, tr (catalog, N_("Your new Roster account")));
}

/**
 * roster_mail_template_verification:
 *
 * The invitation again, for someone who lost it or let it expire: a new link.
 */
RosterMailContent *
roster_mail_template_verification (RosterMailCatalog *catalog, const char *name,
                                   const char *user_name, const char *link, gint64 days)
{
  Builder b;
  g_autofree char *expiry = days_text (catalog, days);

  builder_init (&b, catalog, name);
  add_paragraph (&b, tr (catalog, N_("Here is a new link to confirm your e-mail address and "
                                     "choose your password. Earlier links no longer work.")));
  add_value (&b, tr (catalog, N_("Your username:")), user_name);
  add_link (&b, tr (catalog, N_("Confirm and choose your password")), link);
  add_paragraph (&b, expiry);
  return builder_finish (&b, tr (catalog, N_("Confirm your Roster account")));
}

/**
 * roster_mail_template_user_name:
 *
 * A reminder of the username, sent by an administrator.
 */
RosterMailContent *
roster_mail_template_user_name (RosterMailCatalog *catalog, const char *name,
                                const char *user_name)
{
  Builder b;

  builder_init (&b, catalog, name);
  add_paragraph (&b, tr (catalog, N_("An administrator asked Roster to remind you of your "
                                     "username.")));
  add_value (&b, tr (catalog, N_("Your username:")), user_name);
  return builder_finish (&b, tr (catalog, N_("Your Roster username")));
}

/**
 * roster_mail_template_password_set:
 * @password: (nullable): the new password, only if the administrator chose to send it
 *
 * An administrator set a new password.
 */
RosterMailContent *
roster_mail_template_password_set (RosterMailCatalog *catalog, const char *name,
                                   const char *user_name, const char *password,
                                   gboolean must_change)
{
  Builder b;

  builder_init (&b, catalog, name);
  add_paragraph (&b, tr (catalog, N_("An administrator has set a new password for your Roster "
                                     "account. You have been signed out everywhere.")));
  add_value (&b, tr (catalog, N_("Your username:")), user_name);
  if (password != NULL)
    add_value (&b, tr (catalog, N_("Your new password:")), password);
  else
    add_paragraph (&b, tr (catalog, N_("Ask your administrator for the new password.")));
  if (must_change)
    add_paragraph (&b, tr (catalog, N_("You will be asked to choose a password of your own when "
                                       "you next sign in.")));
  return builder_finish (&b, tr (catalog, N_("Your Roster password was changed")));
}
