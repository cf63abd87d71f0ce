/* roster-config.c: rosterd's settings, from the command line and a key file
 *
 *   rosterd --data-dir DIR --listen HOST:PORT [--config FILE] [--workers N]
 *
 * FILE is a key file with a [rosterd] group and the keys data-dir, listen, workers,
 * token-lifetime (seconds), public-url (the base URL mailed links use) and locale-dir, and
 * an [smtp] group: url (smtp://host:587, STARTTLS required, or smtps://host:465), from,
 * from-name, username, password-file (a file holding only the password, so that it is never
 * on a command line, in the environment or in the config itself) and insecure (true allows
 * plain SMTP without TLS: for a relay on loopback). Without [smtp] url, mail is written to
 * DATA_DIR/outbox/ as .eml files. The command line wins over the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "roster-config.h"
#include "roster-error.h"
#include "roster-mail-message.h"

#define GROUP "rosterd"

void
roster_config_free (RosterConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->data_dir);
  g_free (self->database);
  g_free (self->listen_host);
  g_free (self->unlock_user);
  g_free (self->public_url);
  g_free (self->locale_dir);
  g_free (self->smtp_url);
  g_free (self->smtp_from);
  g_free (self->smtp_from_name);
  g_free (self->smtp_username);
  if (self->smtp_password != NULL)
    explicit_bzero (self->smtp_password, strlen (self->smtp_password));
  g_free (self->smtp_password);
  g_free (self);
}

/**
 * roster_config_parse_listen:
 *
 * Parses "HOST:PORT", where HOST is an IPv4 address, a bracketed IPv6 address or
 * "localhost", and PORT is 0 to 65535.
 */
gboolean
roster_config_parse_listen (const char *listen, char **host, guint16 *port, GError **error)
{
  g_autofree char *host_part = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon;
  guint64 number;

  if (listen == NULL || (colon = strrchr (listen, ':')) == NULL)
    goto bad;
  if (listen[0] == '[')
    {
      if (colon == listen || colon[-1] != ']')
        goto bad;
      host_part = g_strndup (listen + 1, colon - listen - 2);
      address = g_inet_address_new_from_string (host_part);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        goto bad;
    }
  else
    {
      host_part = g_strndup (listen, colon - listen);
      if (g_strcmp0 (host_part, "localhost") == 0)
        {
          g_free (host_part);
          host_part = g_strdup ("127.0.0.1");
        }
      address = g_inet_address_new_from_string (host_part);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
        goto bad;
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &number, NULL))
    goto bad;

  *host = g_steal_pointer (&host_part);
  *port = (guint16) number;
  return TRUE;

bad:
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
               /* Translators: don't translate HOST:PORT or the example */
               _("invalid listen address “%s”: use HOST:PORT, e.g. 127.0.0.1:8080"),
               listen != NULL ? listen : "");
  return FALSE;
}

/* --workers not given (on the command line, then in the file). */
#define WORKERS_UNSET G_MININT

static gboolean
config_error (GError **error, const char *path, const char *detail)
{
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE, _("config file %s: %s"), path,
               detail);
  return FALSE;
}

/* The [smtp] group. */
static gboolean
load_smtp (RosterConfig *self, GKeyFile *key_file, const char *path, GError **error)
{
  g_autofree char *password_file = NULL;

  self->smtp_url = g_key_file_get_string (key_file, "smtp", "url", NULL);
  if (self->smtp_url != NULL && *self->smtp_url == '\0')
    g_clear_pointer (&self->smtp_url, g_free);
  if (self->smtp_url != NULL && !g_str_has_prefix (self->smtp_url, "smtp://")
      && !g_str_has_prefix (self->smtp_url, "smtps://"))
    return config_error (error, path, _("[smtp] url must start with smtp:// or smtps://"));
  g_free (self->smtp_from);
  self->smtp_from = g_key_file_get_string (key_file, "smtp", "from", NULL);
  if (self->smtp_from == NULL)
    self->smtp_from = g_strdup (ROSTER_CONFIG_DEFAULT_FROM);
  if (!roster_mail_message_address_is_valid (self->smtp_from))
    return config_error (error, path, _("[smtp] from must be an e-mail address"));
  self->smtp_from_name = g_key_file_get_string (key_file, "smtp", "from-name", NULL);
  self->smtp_username = g_key_file_get_string (key_file, "smtp", "username", NULL);
  self->smtp_insecure = g_key_file_get_boolean (key_file, "smtp", "insecure", NULL);
  password_file = g_key_file_get_string (key_file, "smtp", "password-file", NULL);
  if (password_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (password_file, &contents, &length, &local_error))
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("config file %s: cannot read [smtp] password-file: %s"), path,
                       local_error->message);
          return FALSE;
        }
      /* One line: a trailing newline is not part of the password. */
      while (length > 0 && (contents[length - 1] == '\n' || contents[length - 1] == '\r'))
        contents[--length] = '\0';
      self->smtp_password = g_strdup (contents);
      explicit_bzero (contents, length);
    }
  return TRUE;
}

static gboolean
load_key_file (RosterConfig *self, const char *path, char **data_dir, char **listen,
               int *workers, gint64 *token_lifetime, gboolean *sample_records, GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("cannot read config file %s: %s"), path, local_error->message);
      return FALSE;
    }

  if (*data_dir == NULL)
    *data_dir = g_key_file_get_string (key_file, GROUP, "data-dir", NULL);
  if (*listen == NULL)
    *listen = g_key_file_get_string (key_file, GROUP, "listen", NULL);
  if (self->database == NULL)
    self->database = g_key_file_get_string (key_file, GROUP, "database", NULL);
  if (*workers == WORKERS_UNSET && g_key_file_has_key (key_file, GROUP, "workers", NULL))
    {
      *workers = g_key_file_get_integer (key_file, GROUP, "workers", &local_error);
      if (local_error != NULL || *workers < 1 || *workers > ROSTER_CONFIG_MAX_WORKERS)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("config file %s: workers must be a number from 1 to %d"), path,
                       ROSTER_CONFIG_MAX_WORKERS);
          return FALSE;
        }
    }
  if (g_key_file_has_key (key_file, GROUP, "token-lifetime", NULL))
    {
      *token_lifetime = g_key_file_get_int64 (key_file, GROUP, "token-lifetime", &local_error);
      if (local_error != NULL || *token_lifetime <= 0)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("config file %s: token-lifetime must be a positive number of seconds"),
                       path);
          return FALSE;
        }
    }
  if (!*sample_records && g_key_file_has_key (key_file, GROUP, "sample-records", NULL))
    {
      *sample_records = g_key_file_get_boolean (key_file, GROUP, "sample-records", &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("config file %s: sample-records must be true or false"), path);
          return FALSE;
        }
    }
  self->public_url = g_key_file_get_string (key_file, GROUP, "public-url", NULL);
  if (self->public_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->public_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL
          || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
              && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
        return config_error (error, path, _("public-url must be an http:// or https:// URL"));
      if (g_str_has_suffix (self->public_url, "/"))
        self->public_url[strlen (self->public_url) - 1] = '\0';
    }
  if (g_key_file_has_key (key_file, GROUP, "locale-dir", NULL))
    {
      g_free (self->locale_dir);
      self->locale_dir = g_key_file_get_string (key_file, GROUP, "locale-dir", NULL);
    }
  return load_smtp (self, key_file, path, error);
}

/**
 * roster_config_new_from_args:
 *
 * Parses the command line and the config file it names. Errors are one line for the
 * operator; --help prints and exits.
 */
RosterConfig *
roster_config_new_from_args (int *argc, char ***argv, GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RosterConfig) self = g_new0 (RosterConfig, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *config_file = NULL;
  gboolean sample_records = FALSE;
  int workers = WORKERS_UNSET;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Keep the database and runtime files in DIR"), N_("DIR") },
    { "database", 0, 0, G_OPTION_ARG_STRING, &self->database,
      N_("Keep the data in the PostgreSQL database CONNINFO (a libpq connection string "
         "without a password: libpq reads it from ~/.pgpass) instead of DIR/roster.db"),
      N_("CONNINFO") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on HOST:PORT (port 0 picks a free port)"), N_("HOST:PORT") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
      N_("Read settings from FILE (group [rosterd])"), N_("FILE") },
    { "unlock", 0, 0, G_OPTION_ARG_STRING, &self->unlock_user,
      N_("Unlock the account USERNAME (e.g. the last administrator) and exit; rosterd must "
         "not be running on DIR"),
      N_("USERNAME") },
    { "sample-records", 0, 0, G_OPTION_ARG_NONE, &sample_records,
      N_("Give the first administrator a few sample clients, orders and tasks"), NULL },
    { "workers", 0, 0, G_OPTION_ARG_INT, &workers,
      N_("Serve requests in N processes (default 1; in production, one per CPU)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Roster’s SCIM 2.0 user-administration service."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &local_error))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           local_error->message);
      return NULL;
    }
  if (*argc > 1)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("unexpected argument “%s”"), (*argv)[1]);
      return NULL;
    }

  if (workers != WORKERS_UNSET && (workers < 1 || workers > ROSTER_CONFIG_MAX_WORKERS))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("--workers must be a number from 1 to %d"), ROSTER_CONFIG_MAX_WORKERS);
      return NULL;
    }
  self->token_lifetime = ROSTER_CONFIG_DEFAULT_TOKEN_LIFETIME;
  self->locale_dir = g_strdup (LOCALEDIR);
  self->smtp_from = g_strdup (ROSTER_CONFIG_DEFAULT_FROM);
  if (config_file != NULL
      && !load_key_file (self, config_file, &data_dir, &listen, &workers,
                         &self->token_lifetime, &sample_records, error))
    return NULL;
  self->sample_records = sample_records;
  if (workers == WORKERS_UNSET)
    workers = 1;
  self->workers = (guint) workers;

  if (data_dir == NULL || *data_dir == '\0')
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                           _("a data directory is required: use --data-dir DIR"));
      return NULL;
    }
  if (self->unlock_user != NULL)
    {
      /* Recovery runs on the database alone: nothing listens. */
      self->data_dir = g_canonicalize_filename (data_dir, NULL);
      return g_steal_pointer (&self);
    }
  if (listen == NULL)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                           _("a listen address is required: use --listen HOST:PORT"));
      return NULL;
    }
  if (!roster_config_parse_listen (listen, &self->listen_host, &self->listen_port, error))
    return NULL;
  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  return g_steal_pointer (&self);
}
