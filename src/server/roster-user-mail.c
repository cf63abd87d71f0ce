/* roster-user-mail.c: queueing the mail a change to a user causes
 *
 * Called inside the handler's transaction, after the change: the activation link (only its
 * hash is stored) and the outbox row commit or roll back with the change and its audit
 * event. The message is rendered here, in the user's preferredLanguage, and stored whole,
 * so the sender only copies bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-clock.h"
#include "roster-mail-catalog.h"
#include "roster-mail-message.h"
#include "roster-mail-template.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-token.h"
#include "roster-user-mail.h"
#include "roster-user-resource.h"

const char *
roster_user_mail_kind_to_string (RosterUserMailKind kind)
{
  switch (kind)
    {
    case ROSTER_USER_MAIL_INVITATION:
      return "invitation";
    case ROSTER_USER_MAIL_VERIFICATION:
      return "verification";
    case ROSTER_USER_MAIL_USER_NAME:
      return "username";
    case ROSTER_USER_MAIL_PASSWORD:
      return "password";
    default:
      g_assert_not_reached ();
    }
}

/**
 * roster_user_mail_display_name:
 *
 * Returns: (transfer full): how mail addresses the user: displayName, else the formatted
 *   or given and family names, else the username
 */
char *
roster_user_mail_display_name (JsonObject *resource)
{
  const char *display = roster_user_resource_get_string (resource, NULL, "displayName", NULL);
  const char *formatted = roster_user_resource_get_string (resource, NULL, "name", "formatted");
  const char *given = roster_user_resource_get_string (resource, NULL, "name", "givenName");
  const char *family = roster_user_resource_get_string (resource, NULL, "name", "familyName");

  if (display != NULL && *display != '\0')
    return g_strdup (display);
  if (formatted != NULL && *formatted != '\0')
    return g_strdup (formatted);
  if (given != NULL || family != NULL)
    return g_strstrip (g_strjoin (" ", given != NULL ? given : "", family != NULL ? family : "",
                                  NULL));
  return g_strdup (roster_user_resource_get_string (resource, NULL, "userName", NULL));
}

/**
 * roster_user_mail_check_address:
 *
 * Fails with %ROSTER_ERROR_NO_EMAIL_ADDRESS unless the user has an address mail can go to.
 */
gboolean
roster_user_mail_check_address (RosterUserRecord *record, GError **error)
{
  const char *address = roster_user_resource_primary_email (record->resource);

  if (!roster_mail_message_address_is_valid (address))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_NO_EMAIL_ADDRESS,
                           _("This user has no e-mail address. Add one first."));
      return FALSE;
    }
  return TRUE;
}

/* A new single-use link; its hash goes to the store, the token only into the mail. */
static char *
new_link (RosterRequest *request, RosterUserRecord *record, gint64 days, GError **error)
{
  RosterServer *server = roster_request_get_server (request);
  g_autofree char *token = roster_token_generate (error);
  g_autofree char *hash = NULL;
  gint64 now = roster_clock_now ();
  char *link;

  if (token == NULL)
    return NULL;
  hash = roster_token_hash (token);
  if (!roster_store_create_activation_link (roster_request_get_store (request), hash,
                                            record->id, now, now + days * 86400, error))
    return NULL;
  link = g_strconcat (roster_server_get_public_url (server), "/activate?token=", token, NULL);
  explicit_bzero (token, strlen (token));
  return link;
}

/**
 * roster_user_mail_queue:
 * @password: (nullable): for %ROSTER_USER_MAIL_PASSWORD, the new password, only when the
 *   administrator asked for it to be mailed
 * @must_change: for %ROSTER_USER_MAIL_PASSWORD
 *
 * Renders the mail of @kind for @record and adds it to the outbox, in the caller's
 * transaction; invitation and verification also store a new activation link (and spend the
 * older ones). The sender is woken once the caller's work is done.
 */
gboolean
roster_user_mail_queue (RosterRequest *request, RosterUserMailKind kind,
                        RosterUserRecord *record, const char *password, gboolean must_change,
                        GError **error)
{
  RosterServer *server = roster_request_get_server (request);
  RosterStore *store = roster_request_get_store (request);
  const RosterConfig *config = roster_server_get_config (server);
  const char *address = roster_user_resource_primary_email (record->resource);
  const char *user_name = roster_user_resource_get_string (record->resource, NULL, "userName",
                                                           NULL);
  const char *language = roster_user_resource_get_string (record->resource, NULL,
                                                          "preferredLanguage", NULL);
  g_autoptr(RosterMailCatalog) catalog = roster_mail_catalog_new (config->locale_dir, language);
  g_autofree char *name = roster_user_mail_display_name (record->resource);
  g_autoptr(RosterMailContent) content = NULL;
  g_autoptr(RosterOutboxMail) mail = NULL;
  g_autoptr(GDateTime) now = roster_clock_now_utc ();
  g_autofree char *link = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autofree char *lang = g_strdelimit (g_strdup (roster_mail_catalog_get_language (catalog)),
                                        "_", '-');
  RosterSettings settings;
  RosterMailMessage message = { 0 };

  if (!roster_user_mail_check_address (record, error)
      || !roster_store_get_settings (store, &settings, error))
    return FALSE;
  switch (kind)
    {
    case ROSTER_USER_MAIL_INVITATION:
    case ROSTER_USER_MAIL_VERIFICATION:
      link = new_link (request, record, settings.activation_link_days, error);
      if (link == NULL)
        return FALSE;
      content = kind == ROSTER_USER_MAIL_INVITATION
                  ? roster_mail_template_invitation (catalog, name, user_name, link,
                                                     settings.activation_link_days)
                  : roster_mail_template_verification (catalog, name, user_name, link,
                                                       settings.activation_link_days);
      explicit_bzero (link, strlen (link));
      break;
    case ROSTER_USER_MAIL_USER_NAME:
      content = roster_mail_template_user_name (catalog, name, user_name);
      break;
    case ROSTER_USER_MAIL_PASSWORD:
      content = roster_mail_template_password_set (catalog, name, user_name, password,
                                                   must_change);
      break;
    default:
      g_assert_not_reached ();
    }

  message.from_name = config->smtp_from_name != NULL ? config->smtp_from_name : "Roster";
  message.from_address = config->smtp_from;
  message.to_name = name;
  message.to_address = address;
  message.subject = content->subject;
  message.text = content->text;
  message.html = content->html;
  message.language = lang;
  message.date = now;
  message.message_id = id;
  text = roster_mail_message_build (&message);
  mail = roster_outbox_mail_new (id, roster_user_mail_kind_to_string (kind), record->id,
                                 address, text);
  explicit_bzero (text, strlen (text));
  if (!roster_store_enqueue_mail (store, mail, roster_clock_now (), error))
    return FALSE;
  g_info ("Queued %s mail %s for user %s", mail->kind, id, record->id);
  roster_server_kick_mail (server);
  return TRUE;
}
