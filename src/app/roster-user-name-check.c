/* roster-user-name-check.c
 *
 * The user page checks a new username against the server while it is typed: 300 ms after
 * the last key, one GET /Users?filter=userName eq "…"&count=1 (the server compares
 * usernames without regard to case). A later key cancels the request in flight. Another user
 * with that name makes #RosterUserNameCheck:taken true; the user being edited does not count.
 * The check only warns early: rosterd still refuses a duplicate on save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include "roster-scim.h"
#include "roster-user-name-check.h"

#define DEBOUNCE_MS 300

struct _RosterUserNameCheck
{
  GObject parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  char *user_name;
  char *own_id;
  guint timeout_id;
  gboolean taken;
  gboolean pending;
};

G_DEFINE_FINAL_TYPE (RosterUserNameCheck, roster_user_name_check, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TAKEN,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (RosterUserNameCheck *self, gboolean taken, gboolean pending)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->taken != taken)
    {
      self->taken = taken;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAKEN]);
    }
  if (self->pending != pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
list_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserNameCheck *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  gboolean taken = FALSE;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (users == NULL)
    g_debug ("username check failed: %s", error->message); /* the save will tell */
  for (guint i = 0; users != NULL && i < users->len; i++)
    if (g_strcmp0 (roster_user_get_id (users->pdata[i]), self->own_id) != 0)
      taken = TRUE;
  set_state (self, taken, FALSE);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  RosterUserNameCheck *self = user_data;
  g_autofree char *filter = roster_scim_filter_eq_new ("userName", self->user_name);

  self->timeout_id = 0;
  roster_client_list_users_async (self->client, 1, 2, filter, NULL, FALSE, self->cancellable,
                                  list_cb, self);
  return G_SOURCE_REMOVE;
}

/**
 * roster_user_name_check_reset:
 *
 * Stops any check and forgets its result.
 */
void
roster_user_name_check_reset (RosterUserNameCheck *self)
{
  g_return_if_fail (ROSTER_IS_USER_NAME_CHECK (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_state (self, FALSE, FALSE);
}

/**
 * roster_user_name_check_check:
 * @own_id: (nullable): the id of the user being edited, who may keep their name
 *
 * Checks @user_name after a short delay; an empty one is not checked.
 */
void
roster_user_name_check_check (RosterUserNameCheck *self, const char *user_name,
                              const char *own_id)
{
  g_return_if_fail (ROSTER_IS_USER_NAME_CHECK (self));

  roster_user_name_check_reset (self);
  if (self->client == NULL || user_name == NULL || *user_name == '\0')
    return;
  g_free (self->user_name);
  g_free (self->own_id);
  self->user_name = g_strdup (user_name);
  self->own_id = g_strdup (own_id);
  self->timeout_id = g_timeout_add (DEBOUNCE_MS, on_timeout_cb, self);
  set_state (self, FALSE, TRUE);
}

gboolean
roster_user_name_check_get_taken (RosterUserNameCheck *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_NAME_CHECK (self), FALSE);
  return self->taken;
}

gboolean
roster_user_name_check_get_pending (RosterUserNameCheck *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_NAME_CHECK (self), FALSE);
  return self->pending;
}

void
roster_user_name_check_set_client (RosterUserNameCheck *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_USER_NAME_CHECK (self));
  roster_user_name_check_reset (self);
  g_set_object (&self->client, client);
}

static void
roster_user_name_check_dispose (GObject *object)
{
  RosterUserNameCheck *self = ROSTER_USER_NAME_CHECK (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (roster_user_name_check_parent_class)->dispose (object);
}

static void
roster_user_name_check_finalize (GObject *object)
{
  RosterUserNameCheck *self = ROSTER_USER_NAME_CHECK (object);

  g_free (self->user_name);
  g_free (self->own_id);
  G_OBJECT_CLASS (roster_user_name_check_parent_class)->finalize (object);
}

static void
roster_user_name_check_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  RosterUserNameCheck *self = ROSTER_USER_NAME_CHECK (object);

  switch (prop_id)
    {
    case PROP_TAKEN:
      g_value_set_boolean (value, self->taken);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_name_check_class_init (RosterUserNameCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_user_name_check_dispose;
  object_class->finalize = roster_user_name_check_finalize;
  object_class->get_property = roster_user_name_check_get_property;
  properties[PROP_TAKEN] = g_param_spec_boolean ("taken", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                   | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                     | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_user_name_check_init (RosterUserNameCheck *self)
{
  self->cancellable = g_cancellable_new ();
}

RosterUserNameCheck *
roster_user_name_check_new (void)
{
  return g_object_new (ROSTER_TYPE_USER_NAME_CHECK, NULL);
}
