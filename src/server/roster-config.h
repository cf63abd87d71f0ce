/* roster-config.h: rosterd's settings, from the command line and a key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROSTER_CONFIG_DEFAULT_TOKEN_LIFETIME 43200 /* 12 hours */
#define ROSTER_CONFIG_MAX_WORKERS 64
#define ROSTER_CONFIG_DEFAULT_FROM "roster@localhost"

typedef struct
{
  char *data_dir;       /* absolute */
  char *database;       /* nullable: a libpq connection string: PostgreSQL instead of SQLite */
  char *listen_host;    /* an IP address literal */
  guint16 listen_port;  /* 0: any free port */
  gint64 token_lifetime; /* seconds */
  char *unlock_user;    /* --unlock USERNAME: unlock that account and exit, not serve */
  gboolean sample_records; /* seed records for the first administrator (the app's own rosterd) */
  guint workers;        /* --workers N: processes serving requests, 1 or more */
  char *public_url;     /* nullable: the base URL in mailed links, else the listen URL */
  char *locale_dir;     /* where the compiled translations are (LOCALEDIR by default) */
  /* [smtp]: with no url, mail goes to DATA_DIR/outbox as .eml files */
  char *smtp_url;       /* nullable: smtp://host:587 (STARTTLS required) or smtps://host */
  char *smtp_from;      /* the sender address */
  char *smtp_from_name; /* nullable */
  char *smtp_username;  /* nullable */
  char *smtp_password;  /* nullable: read from password-file, never from the command line */
  gboolean smtp_insecure; /* plain smtp:// without STARTTLS (loopback test relays only) */
} RosterConfig;

RosterConfig *roster_config_new_from_args (int          *argc,
                                           char       ***argv,
                                           GError      **error);
gboolean      roster_config_parse_listen  (const char   *listen,
                                           char        **host,
                                           guint16      *port,
                                           GError      **error);
void          roster_config_free          (RosterConfig *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterConfig, roster_config_free)

G_END_DECLS
