/* roster-activation-handler.c: GET/POST /activate, where an invited user sets a password
 *
 * The link in an invitation or verification mail opens a small server-rendered page: no
 * JavaScript, no external assets, inline CSS, labelled fields, errors tied to their field
 * with aria-describedby, in the user's preferredLanguage (lang attribute included). The
 * form posts the token back (application/x-www-form-urlencoded); without cookies there is
 * nothing for a cross-site request to ride on, and the token is the only credential. The
 * new password passes the same quality and history checks as everywhere else. Success
 * makes the account active with emailVerified true and spends the link, in one transaction
 * with its audit event. Links are single-use and expire (the activationLinkDays setting).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-mail-catalog.h"
#include "roster-password-policy.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-token.h"
#include "roster-user-mail.h"
#include "roster-user-resource.h"
#include "roster-validation.h"

#define tr(catalog, msgid) roster_mail_catalog_gettext ((catalog), (msgid))

typedef enum
{
  LINK_VALID,
  LINK_UNKNOWN,
  LINK_SPENT,
  LINK_EXPIRED,
} LinkState;

/* The page's language: the user's, else the browser's first choice. */
static RosterMailCatalog *
page_catalog (RosterRequest *request, RosterUserRecord *record)
{
  const RosterConfig *config = roster_server_get_config (roster_request_get_server (request));
  const char *language = NULL;
  g_autofree char *accepted = NULL;

  if (record != NULL)
    language = roster_user_resource_get_string (record->resource, NULL, "preferredLanguage",
                                                NULL);
  if (language == NULL)
    {
      const char *header = soup_message_headers_get_one (
        soup_server_message_get_request_headers (roster_request_get_message (request)),
        "Accept-Language");

      if (header != NULL)
        {
          accepted = g_strndup (header, strcspn (header, ",; "));
          language = accepted;
        }
    }
  return roster_mail_catalog_new (config->locale_dir, language);
}

static const char style[]
  = "body{font-family:Cantarell,sans-serif;background:#fafafa;color:#1e1e1e;margin:0;"
    "line-height:1.5}"
    "main{max-width:26em;margin:3em auto;padding:2em;background:#fff;border-radius:12px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.2)}"
    "h1{font-size:1.5em;margin-top:0}"
    "label{display:block;font-weight:bold;margin-top:1em}"
    "input[type=password]{width:100%;box-sizing:border-box;font-size:1em;padding:.5em;"
    "border:1px solid #9a9996;border-radius:6px}"
    "input:focus,button:focus{outline:3px solid #3584e4;outline-offset:1px}"
    "input[aria-invalid=true]{border-color:#c01c28}"
    ".error{color:#c01c28;margin:.25em 0 0}"
    "button{margin-top:1.5em;font-size:1em;padding:.6em 1.2em;border:none;border-radius:6px;"
    "background:#3584e4;color:#fff;cursor:pointer}"
    "@media (prefers-color-scheme:dark){body{background:#242424;color:#fff}"
    "main{background:#303030}}";

static void
begin_page (GString *page, RosterMailCatalog *catalog, const char *title)
{
  g_autofree char *lang = g_strdelimit (g_strdup (roster_mail_catalog_get_language (catalog)),
                                        "_", '-');
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  g_string_append_printf (page,
                          "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">\n<title>%s – Roster</title>\n<style>%s</style>\n"
                          "</head>\n<body>\n<main>\n<h1>%s</h1>\n",
                          lang, escaped, style, escaped);
}

static void
add_paragraph (GString *page, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (page, "<p>%s</p>\n", escaped);
}

static void
respond_page (RosterRequest *request, guint status, GString *page)
{
  g_autofree char *html = NULL;

  g_string_append (page, "</main>\n</body>\n</html>\n");
  html = g_string_free (page, FALSE);
  roster_request_respond_html (request, status, html);
}

/* A link that cannot be used: say why and what to do. */
static void
respond_bad_link (RosterRequest *request, LinkState state, RosterUserRecord *record)
{
  g_autoptr(RosterMailCatalog) catalog = page_catalog (request, record);
  GString *page = g_string_new (NULL);
  const char *title, *text;
  guint status;

  switch (state)
    {
    case LINK_EXPIRED:
      title = tr (catalog, N_("This link has expired"));
      text = tr (catalog, N_("Links to activate an account work for a limited time. Ask your "
                             "administrator to send you a new one."));
      status = 410;
      break;
    case LINK_SPENT:
      title = tr (catalog, N_("This link has already been used"));
      text = tr (catalog, N_("Each link works only once. If your account is active, sign in "
                             "with your username and password; otherwise ask your "
                             "administrator to send you a new link."));
      status = 410;
      break;
    case LINK_UNKNOWN:
    case LINK_VALID:
    default:
      title = tr (catalog, N_("This link is not valid"));
      text = tr (catalog, N_("Check that you opened the whole link from your e-mail, or ask "
                             "your administrator to send you a new one."));
      status = 404;
      break;
    }
  begin_page (page, catalog, title);
  add_paragraph (page, text);
  respond_page (request, status, page);
}

/* The form; @error (nullable) is shown under the field it is about. */
static void
respond_form (RosterRequest *request, guint status, RosterUserRecord *record,
              const char *token, const char *error, gboolean error_on_confirm)
{
  g_autoptr(RosterMailCatalog) catalog = page_catalog (request, record);
  GString *page = g_string_new (NULL);
  const char *user_name = roster_user_resource_get_string (record->resource, NULL, "userName",
                                                           NULL);
  g_autofree char *name = roster_user_mail_display_name (record->resource);
  g_autofree char *greeting = NULL;
  g_autofree char *escaped_user = g_markup_escape_text (user_name, -1);
  g_autofree char *escaped_token = g_markup_escape_text (token, -1);
  g_autofree char *escaped_error = error != NULL ? g_markup_escape_text (error, -1) : NULL;
  g_autofree char *label_user = g_markup_escape_text (tr (catalog, N_("Username")), -1);
  g_autofree char *label_password = g_markup_escape_text (tr (catalog, N_("New password")), -1);
  g_autofree char *label_confirm = g_markup_escape_text (tr (catalog, N_("Confirm password")),
                                                         -1);
  g_autofree char *label_button = g_markup_escape_text (tr (catalog, N_("Activate account")),
                                                        -1);
  g_autofree char *hint = g_markup_escape_text (
    tr (catalog, N_("Choose a long password that you do not use anywhere else.")), -1);

  /* Translators: %s is the user's name */
  greeting = g_strdup_printf (tr (catalog, N_("Welcome, %s. Choose a password to activate "
                                              "your account.")),
                              name);
  begin_page (page, catalog, tr (catalog, N_("Activate your account")));
  add_paragraph (page, greeting);
  g_string_append_printf (
    page,
    "<form method=\"post\" action=\"/activate\">\n"
    "<input type=\"hidden\" name=\"token\" value=\"%s\">\n"
    "<label for=\"username\">%s</label>\n"
    "<input id=\"username\" name=\"username\" type=\"text\" value=\"%s\" readonly "
    "autocomplete=\"username\">\n"
    "<label for=\"password\">%s</label>\n"
    "<input id=\"password\" name=\"password\" type=\"password\" required "
    "autocomplete=\"new-password\" aria-describedby=\"password-hint%s\"%s autofocus>\n"
    "<p id=\"password-hint\">%s</p>\n",
    escaped_token, label_user, escaped_user, label_password,
    error != NULL && !error_on_confirm ? " password-error" : "",
    error != NULL && !error_on_confirm ? " aria-invalid=\"true\"" : "", hint);
  if (error != NULL && !error_on_confirm)
    g_string_append_printf (page, "<p id=\"password-error\" class=\"error\" role=\"alert\">%s</p>\n",
                            escaped_error);
  g_string_append_printf (page,
                          "<label for=\"confirm\">%s</label>\n"
                          "<input id=\"confirm\" name=\"confirm\" type=\"password\" required "
                          "autocomplete=\"new-password\"%s>\n",
                          label_confirm,
                          error_on_confirm ? " aria-describedby=\"confirm-error\" "
                                             "aria-invalid=\"true\""
                                           : "");
  if (error != NULL && error_on_confirm)
    g_string_append_printf (page, "<p id=\"confirm-error\" class=\"error\" role=\"alert\">%s</p>\n",
                            escaped_error);
  g_string_append_printf (page, "<button type=\"submit\">%s</button>\n</form>\n", label_button);
  respond_page (request, status, page);
}

/* Finds the link and its user; on a bad link answers the page and returns FALSE. */
static gboolean
check_link (RosterRequest *request, const char *token, RosterUserRecord **record_out)
{
  RosterStore *store = roster_request_get_store (request);
  g_autofree char *hash = NULL;
  g_autofree char *user_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUserRecord) record = NULL;
  gint64 expires = 0;
  gboolean spent = FALSE;
  LinkState state = LINK_VALID;

  if (token == NULL || *token == '\0' || strlen (token) > 128)
    {
      respond_bad_link (request, LINK_UNKNOWN, NULL);
      return FALSE;
    }
  hash = roster_token_hash (token);
  if (!roster_store_lookup_activation_link (store, hash, &user_id, &expires, &spent, &error))
    {
      if (!g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
        {
          roster_request_respond_gerror (request, error);
          return FALSE;
        }
      respond_bad_link (request, LINK_UNKNOWN, NULL);
      return FALSE;
    }
  record = roster_store_get_user_record (store, user_id, &error);
  if (record == NULL)
    state = LINK_UNKNOWN;
  else if (spent
           || g_strcmp0 (roster_user_resource_get_string (
                           record->resource, ROSTER_SCIM_SCHEMA_ROSTER_USER, "status", NULL),
                         "pending")
                != 0)
    state = LINK_SPENT;
  else if (roster_clock_now () >= expires)
    state = LINK_EXPIRED;
  if (state != LINK_VALID)
    {
      respond_bad_link (request, state, record);
      return FALSE;
    }
  *record_out = g_steal_pointer (&record);
  return TRUE;
}

void
roster_activation_handle_get (RosterRequest *request)
{
  const char *token = roster_request_get_query (request, "token");
  g_autoptr(RosterUserRecord) record = NULL;

  if (!check_link (request, token, &record))
    return;
  respond_form (request, 200, record, token, NULL, FALSE);
}

typedef struct
{
  RosterRequest *request;
  char *token;
  char *user_id;
} Activation;

static void
activation_free (Activation *a)
{
  roster_request_unref (a->request);
  explicit_bzero (a->token, strlen (a->token));
  g_free (a->token);
  g_free (a->user_id);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Activation, activation_free)

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Activation) a = user_data;
  RosterRequest *request = a->request;
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = roster_password_policy_hash_finish (result, &error);
  g_autofree char *token_hash = NULL;
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(RosterUserRecord) stored = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(RosterMailCatalog) catalog = NULL;
  g_autofree char *signed_in = NULL;
  GString *page;

  /* The link may have been used or the user changed while the password was hashed. */
  if (!check_link (request, a->token, &record))
    return;
  if (hash == NULL)
    {
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD)
          || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_PASSWORD_REUSED))
        respond_form (request, 400, record, a->token, error->message, FALSE);
      else
        roster_request_respond_gerror (request, error);
      return;
    }
  token_hash = roster_token_hash (a->token);
  if (roster_store_begin (store, &error))
    {
      if (!roster_store_spend_activation_link (store, token_hash, roster_clock_now (), &error)
          || (stored = roster_user_actions_activate (store, record->id, hash, &before, &error))
               == NULL
          || !roster_audit_record (request, "activate", "User", record->id,
                                   roster_user_resource_get_string (stored->resource, NULL,
                                                                    "userName", NULL),
                                   before, stored->resource, &error)
          || !roster_store_commit (store, &error))
        {
          roster_store_rollback (store);
          g_clear_pointer (&stored, roster_user_record_free);
        }
    }
  if (stored == NULL)
    {
      g_warning ("Activation of user %s failed: %s", record->id, error->message);
      respond_bad_link (request, LINK_SPENT, record);
      return;
    }
  g_info ("User %s activated their account", stored->id);
  catalog = page_catalog (request, stored);
  page = g_string_new (NULL);
  begin_page (page, catalog, tr (catalog, N_("Your account is active")));
  /* Translators: %s is the username */
  signed_in = g_strdup_printf (tr (catalog, N_("You can now sign in to Roster as %s with your "
                                               "new password.")),
                               roster_user_resource_get_string (stored->resource, NULL,
                                                                "userName", NULL));
  add_paragraph (page, signed_in);
  respond_page (request, 200, page);
}

void
roster_activation_handle_post (RosterRequest *request)
{
  SoupServerMessage *msg = roster_request_get_message (request);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  GBytes *body = roster_request_get_raw_body (request);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(RosterMailCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *token, *password, *confirm;
  Activation *a;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                                    _("Send the form as application/x-www-form-urlencoded"));
      return;
    }
  text = body != NULL ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                      : g_strdup ("");
  form = soup_form_decode (text);
  explicit_bzero (text, strlen (text));
  token = g_hash_table_lookup (form, "token");
  password = g_hash_table_lookup (form, "password");
  confirm = g_hash_table_lookup (form, "confirm");
  if (!check_link (request, token, &record))
    return;
  catalog = page_catalog (request, record);
  if (password == NULL || *password == '\0')
    {
      respond_form (request, 400, record, token, tr (catalog, N_("Enter a password.")), FALSE);
      return;
    }
  if (g_strcmp0 (password, confirm) != 0)
    {
      respond_form (request, 400, record, token,
                    tr (catalog, N_("The two passwords are not the same.")), TRUE);
      return;
    }
  if (!roster_validate_password (password, &error))
    {
      respond_form (request, 400, record, token, error->message, FALSE);
      return;
    }

  a = g_new0 (Activation, 1);
  a->request = roster_request_ref (request);
  a->token = g_strdup (token);
  a->user_id = g_strdup (record->id);
  roster_request_pause (request);
  roster_auth_check_password_async (request, record->id,
                                    roster_user_resource_get_string (record->resource, NULL,
                                                                     "userName", NULL),
                                    password, hashed_cb, a);
  explicit_bzero ((char *) password, strlen (password));
  if (confirm != NULL)
    explicit_bzero ((char *) confirm, strlen (confirm));
}
