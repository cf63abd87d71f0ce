/* roster-server.c
 *
 * A server is identified by its id: "local" for the private rosterd (whose port changes on
 * every start), or its normalized base URL. The id is also the "server" attribute of its
 * tokens in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-error.h"
#include "roster-server.h"

struct _RosterServer
{
  GObject parent_instance;

  char *url; /* NULL for the local server */
  char *title;
  char *user_name;
};

G_DEFINE_FINAL_TYPE (RosterServer, roster_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_LOCAL,
  PROP_URL,
  PROP_TITLE,
  PROP_USER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
roster_server_finalize (GObject *object)
{
  RosterServer *self = ROSTER_SERVER (object);

  g_free (self->url);
  g_free (self->title);
  g_free (self->user_name);
  G_OBJECT_CLASS (roster_server_parent_class)->finalize (object);
}

static void
roster_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterServer *self = ROSTER_SERVER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, roster_server_get_id (self));
      break;
    case PROP_LOCAL:
      g_value_set_boolean (value, roster_server_get_local (self));
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_server_class_init (RosterServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = roster_server_finalize;
  object_class->get_property = roster_server_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL] = g_param_spec_boolean ("local", NULL, NULL, FALSE, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_USER_NAME]
      = g_param_spec_string ("user-name", NULL, NULL, NULL, flags | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_server_init (RosterServer *self)
{
}

RosterServer *
roster_server_new_local (const char *user_name)
{
  RosterServer *self = g_object_new (ROSTER_TYPE_SERVER, NULL);

  self->title = g_strdup (_("On This Computer"));
  self->user_name = g_strdup (user_name != NULL ? user_name : "");
  return self;
}

/* A remote server's title is its host (and port, when it is not the default). */
RosterServer *
roster_server_new_remote (const char *url, const char *user_name)
{
  RosterServer *self = g_object_new (ROSTER_TYPE_SERVER, NULL);
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  self->url = g_strdup (url);
  self->user_name = g_strdup (user_name != NULL ? user_name : "");
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_port (uri) > 0)
    self->title = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else if (uri != NULL && g_uri_get_host (uri) != NULL)
    self->title = g_strdup (g_uri_get_host (uri));
  else
    self->title = g_strdup (url);
  return self;
}

const char *
roster_server_get_id (RosterServer *self)
{
  g_return_val_if_fail (ROSTER_IS_SERVER (self), NULL);
  return self->url != NULL ? self->url : ROSTER_SERVER_LOCAL_ID;
}

gboolean
roster_server_get_local (RosterServer *self)
{
  g_return_val_if_fail (ROSTER_IS_SERVER (self), FALSE);
  return self->url == NULL;
}

/* NULL for the local server: its address is only known while it runs. */
const char *
roster_server_get_url (RosterServer *self)
{
  g_return_val_if_fail (ROSTER_IS_SERVER (self), NULL);
  return self->url;
}

const char *
roster_server_get_title (RosterServer *self)
{
  g_return_val_if_fail (ROSTER_IS_SERVER (self), NULL);
  return self->title;
}

/* "" until someone has signed in there. */
const char *
roster_server_get_user_name (RosterServer *self)
{
  g_return_val_if_fail (ROSTER_IS_SERVER (self), NULL);
  return self->user_name;
}

void
roster_server_set_user_name (RosterServer *self, const char *user_name)
{
  g_return_if_fail (ROSTER_IS_SERVER (self));

  if (user_name == NULL)
    user_name = "";
  if (g_strcmp0 (self->user_name, user_name) == 0)
    return;
  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
}

/**
 * roster_server_normalize_url:
 * @text: what the user typed: "crm.example.com", "https://crm.example.com/", …
 *
 * Makes the base URL rosterd's paths are appended to: https:// is assumed without a scheme,
 * only http and https are allowed, and a trailing "/" or "/scim/v2" is dropped (the client
 * adds it).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL with %ROSTER_ERROR_INVALID_VALUE
 */
char *
roster_server_normalize_url (const char *text, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower_scheme = NULL;
  const char *scheme;

  if (*stripped == '\0')
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           _("Enter the server’s address"));
      return NULL;
    }
  with_scheme = strstr (stripped, "://") != NULL ? g_strdup (stripped)
                                                 : g_strconcat ("https://", stripped, NULL);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           _("Enter an address such as https://crm.example.com"));
      return NULL;
    }
  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  if (g_str_has_suffix (path, "/scim/v2"))
    path[strlen (path) - strlen ("/scim/v2")] = '\0';
  lower_scheme = g_ascii_strdown (scheme, -1);
  base = g_uri_build (G_URI_FLAGS_NONE, lower_scheme, NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), path, NULL, NULL);
  return g_uri_to_string (base);
}
