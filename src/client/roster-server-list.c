/* roster-server-list.c
 *
 * A #GListModel of #RosterServer over two GSettings keys: "servers" (a(sss): kind, URL,
 * username) and "current-server" (an id). Versions before several servers kept one server in
 * "server-kind", "server-url" and "user-name": the first #RosterServerList made on such
 * settings moves it into the list, makes it current and resets the old keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include "roster-server-list.h"

struct _RosterServerList
{
  GObject parent_instance;

  GSettings *settings;
  GPtrArray *servers; /* RosterServer */
};

static void roster_server_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RosterServerList, roster_server_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      roster_server_list_model_init))

enum
{
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The old single-server keys' enum values. */
enum
{
  OLD_KIND_NONE,
  OLD_KIND_LOCAL,
  OLD_KIND_REMOTE,
};

static GType
roster_server_list_get_item_type (GListModel *model)
{
  return ROSTER_TYPE_SERVER;
}

static guint
roster_server_list_get_n_items (GListModel *model)
{
  return ROSTER_SERVER_LIST (model)->servers->len;
}

static gpointer
roster_server_list_get_item (GListModel *model, guint position)
{
  RosterServerList *self = ROSTER_SERVER_LIST (model);

  if (position >= self->servers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->servers, position));
}

static void
roster_server_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = roster_server_list_get_item_type;
  iface->get_n_items = roster_server_list_get_n_items;
  iface->get_item = roster_server_list_get_item;
}

static void
save (RosterServerList *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < self->servers->len; i++)
    {
      RosterServer *server = g_ptr_array_index (self->servers, i);

      g_variant_builder_add (&builder, "(sss)",
                             roster_server_get_local (server) ? "local" : "remote",
                             roster_server_get_local (server) ? "" : roster_server_get_url (server),
                             roster_server_get_user_name (server));
    }
  g_settings_set_value (self->settings, "servers", g_variant_builder_end (&builder));
}

static gboolean
find (RosterServerList *self, const char *id, guint *position)
{
  for (guint i = 0; i < self->servers->len; i++)
    if (g_strcmp0 (roster_server_get_id (g_ptr_array_index (self->servers, i)), id) == 0)
      {
        if (position != NULL)
          *position = i;
        return TRUE;
      }
  return FALSE;
}

static void
load (RosterServerList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "servers");
  GVariantIter iter;
  const char *kind, *url, *user_name;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &kind, &url, &user_name))
    {
      g_autoptr(RosterServer) server = NULL;

      if (g_str_equal (kind, "local"))
        server = roster_server_new_local (user_name);
      else if (g_str_equal (kind, "remote") && *url != '\0')
        server = roster_server_new_remote (url, user_name);
      else
        continue; /* written by a newer version, or by hand */
      if (!find (self, roster_server_get_id (server), NULL))
        g_ptr_array_add (self->servers, g_steal_pointer (&server));
    }
}

static void
migrate (RosterServerList *self)
{
  int kind = g_settings_get_enum (self->settings, "server-kind");
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *user_name = g_settings_get_string (self->settings, "user-name");
  g_autoptr(RosterServer) server = NULL;

  if (kind == OLD_KIND_LOCAL)
    server = roster_server_new_local (user_name);
  else if (kind == OLD_KIND_REMOTE && *url != '\0')
    server = roster_server_new_remote (url, user_name);
  if (server == NULL)
    return;

  g_debug ("moving the server of the old settings into the server list");
  g_settings_delay (self->settings);
  g_ptr_array_add (self->servers, g_object_ref (server));
  save (self);
  g_settings_set_string (self->settings, "current-server", roster_server_get_id (server));
  g_settings_reset (self->settings, "server-kind");
  g_settings_reset (self->settings, "server-url");
  g_settings_reset (self->settings, "user-name");
  g_settings_apply (self->settings);
}

static void
roster_server_list_dispose (GObject *object)
{
  RosterServerList *self = ROSTER_SERVER_LIST (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->servers, g_ptr_array_unref);
  G_OBJECT_CLASS (roster_server_list_parent_class)->dispose (object);
}

static void
roster_server_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterServerList *self = ROSTER_SERVER_LIST (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, roster_server_list_get_current (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_server_list_class_init (RosterServerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_server_list_dispose;
  object_class->get_property = roster_server_list_get_property;

  /**
   * RosterServerList:current:
   *
   * The server the window shows, or %NULL when there is none (the setup wizard).
   */
  properties[PROP_CURRENT]
      = g_param_spec_object ("current", NULL, NULL, ROSTER_TYPE_SERVER,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_server_list_init (RosterServerList *self)
{
  self->servers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * roster_server_list_new:
 * @settings: the app's settings (schema io.github.roster.Roster)
 */
RosterServerList *
roster_server_list_new (GSettings *settings)
{
  RosterServerList *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ROSTER_TYPE_SERVER_LIST, NULL);
  self->settings = g_object_ref (settings);
  load (self);
  if (self->servers->len == 0)
    migrate (self);
  return self;
}

/* Returns: (transfer none) (nullable) */
RosterServer *
roster_server_list_lookup (RosterServerList *self, const char *id)
{
  guint position;

  g_return_val_if_fail (ROSTER_IS_SERVER_LIST (self), NULL);
  return find (self, id, &position) ? g_ptr_array_index (self->servers, position) : NULL;
}

/**
 * roster_server_list_add:
 *
 * Adds @server at the end, or, when a server with its id is known already, gives that one
 * @server's username.
 *
 * Returns: (transfer none): the server as listed
 */
RosterServer *
roster_server_list_add (RosterServerList *self, RosterServer *server)
{
  RosterServer *known;

  g_return_val_if_fail (ROSTER_IS_SERVER_LIST (self), NULL);
  g_return_val_if_fail (ROSTER_IS_SERVER (server), NULL);

  known = roster_server_list_lookup (self, roster_server_get_id (server));
  if (known != NULL)
    {
      if (*roster_server_get_user_name (server) != '\0')
        roster_server_list_set_user_name (self, roster_server_get_id (server),
                                          roster_server_get_user_name (server));
      return known;
    }
  g_ptr_array_add (self->servers, g_object_ref (server));
  save (self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->servers->len - 1, 0, 1);
  return server;
}

/* Forgets the server; if it was current, none is (the caller picks the next one). */
void
roster_server_list_remove (RosterServerList *self, const char *id)
{
  guint position;
  gboolean was_current;

  g_return_if_fail (ROSTER_IS_SERVER_LIST (self));

  if (!find (self, id, &position))
    return;
  was_current
      = roster_server_list_get_current (self) == g_ptr_array_index (self->servers, position);
  g_ptr_array_remove_index (self->servers, position);
  save (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  if (was_current)
    roster_server_list_set_current (self, NULL);
}

void
roster_server_list_set_user_name (RosterServerList *self, const char *id, const char *user_name)
{
  RosterServer *server;

  g_return_if_fail (ROSTER_IS_SERVER_LIST (self));

  server = roster_server_list_lookup (self, id);
  if (server == NULL || g_strcmp0 (roster_server_get_user_name (server), user_name) == 0)
    return;
  roster_server_set_user_name (server, user_name);
  save (self);
}

/* Returns: (transfer none) (nullable) */
RosterServer *
roster_server_list_get_current (RosterServerList *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (ROSTER_IS_SERVER_LIST (self), NULL);
  id = g_settings_get_string (self->settings, "current-server");
  return roster_server_list_lookup (self, id);
}

/* @id: (nullable): a listed server's id, or %NULL for none */
void
roster_server_list_set_current (RosterServerList *self, const char *id)
{
  g_autofree char *old = NULL;

  g_return_if_fail (ROSTER_IS_SERVER_LIST (self));
  g_return_if_fail (id == NULL || roster_server_list_lookup (self, id) != NULL);

  old = g_settings_get_string (self->settings, "current-server");
  if (g_strcmp0 (old, id != NULL ? id : "") == 0)
    return;
  g_settings_set_string (self->settings, "current-server", id != NULL ? id : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}
