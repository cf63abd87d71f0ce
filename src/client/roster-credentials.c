/* roster-credentials.c
 *
 * Tokens live in the Secret Service under one schema with the attributes "server" and
 * "username". When no secret service answers (no keyring daemon, no session bus), the first
 * failure flips #RosterCredentials:available to %FALSE and tokens are kept in memory for the
 * rest of the run: the app tells the user once and keeps working. Every call also updates the
 * memory copy, so a lookup after a failed store still finds the token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "roster-credentials.h"

struct _RosterCredentials
{
  GObject parent_instance;

  GHashTable *memory; /* "server\nusername" → token */
  gboolean available;
};

G_DEFINE_FINAL_TYPE (RosterCredentials, roster_credentials, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Token",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

static void
token_free (char *token)
{
  if (token != NULL)
    secret_password_wipe (token);
  g_free (token);
}

static char *
memory_key (const char *server, const char *user_name)
{
  return g_strconcat (server, "\n", user_name, NULL);
}

static void
memory_remove_server (RosterCredentials *self, const char *server)
{
  g_autofree char *prefix = g_strconcat (server, "\n", NULL);
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, self->memory);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
}

/* Any error but a cancellation means there is no usable secret service (headless-gui-notes:
 * errors come from both G_IO_ERROR and G_DBUS_ERROR, and vary by setup). */
static void
note_failure (RosterCredentials *self, const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("secret service unavailable: %s", error->message);
  if (self->available)
    {
      self->available = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
}

static void
roster_credentials_finalize (GObject *object)
{
  RosterCredentials *self = (RosterCredentials *) object;

  g_clear_pointer (&self->memory, g_hash_table_unref);
  G_OBJECT_CLASS (roster_credentials_parent_class)->finalize (object);
}

static void
roster_credentials_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  RosterCredentials *self = ROSTER_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_credentials_class_init (RosterCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = roster_credentials_finalize;
  object_class->get_property = roster_credentials_get_property;

  /**
   * RosterCredentials:available:
   *
   * %FALSE once the secret service failed: tokens then last only as long as the app runs.
   */
  properties[PROP_AVAILABLE] = g_param_spec_boolean (
    "available", NULL, NULL, TRUE,
    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_credentials_init (RosterCredentials *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) token_free);
  self->available = TRUE;
}

RosterCredentials *
roster_credentials_new (void)
{
  return g_object_new (ROSTER_TYPE_CREDENTIALS, NULL);
}

gboolean
roster_credentials_get_available (RosterCredentials *self)
{
  g_return_val_if_fail (ROSTER_IS_CREDENTIALS (self), FALSE);
  return self->available;
}

/* ---------------------------------------------------------------------- store */

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterCredentials *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      note_failure (self, error);
    }
  /* Kept in memory either way: the caller's sign-in stands. */
  g_task_return_boolean (task, TRUE);
}

/**
 * roster_credentials_store_async:
 * @server: a stable name of the server: its base URL, or "local" for the private one
 *
 * Stores @token as the session of @user_name on @server, replacing that user's earlier one;
 * other users and other servers keep theirs. Without a secret service it is kept in memory
 * only, and the call succeeds.
 */
void
roster_credentials_store_async (RosterCredentials *self, const char *server,
                                const char *user_name, const char *token,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (ROSTER_IS_CREDENTIALS (self));
  g_return_if_fail (server != NULL && user_name != NULL && token != NULL);

  g_task_set_source_tag (task, roster_credentials_store_async);
  g_hash_table_insert (self->memory, memory_key (server, user_name), g_strdup (token));
  if (!self->available)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Translators: the label of the keyring item; %s is the username and %s the server */
  label = g_strdup_printf (_("Roster session of %s on %s"), user_name, server);
  /* The same attributes replace the item: one per server and user. */
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         store_cb, g_steal_pointer (&task), "server", server, "username",
                         user_name, NULL);
}

gboolean
roster_credentials_store_finish (RosterCredentials *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --------------------------------------------------------------------- lookup */

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterCredentials *self = g_task_get_source_object (task);
  const char *key = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *stored = secret_password_lookup_finish (result, &error);
  char *token;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  note_failure (self, error);
  if (stored == NULL)
    token = g_strdup (g_hash_table_lookup (self->memory, key));
  else
    {
      token = g_strdup (stored);
      g_hash_table_insert (self->memory, g_strdup (key), g_strdup (stored));
      secret_password_free (stored);
    }
  g_task_return_pointer (task, token, (GDestroyNotify) token_free);
}

/**
 * roster_credentials_lookup_async:
 *
 * Looks the token up. Finishing with %NULL and no error means none is stored.
 */
void
roster_credentials_lookup_async (RosterCredentials *self, const char *server,
                                 const char *user_name, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  char *key;

  g_return_if_fail (ROSTER_IS_CREDENTIALS (self));
  g_return_if_fail (server != NULL && user_name != NULL);

  g_task_set_source_tag (task, roster_credentials_lookup_async);
  key = memory_key (server, user_name);
  g_task_set_task_data (task, key, g_free);
  if (!self->available)
    {
      g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)),
                             (GDestroyNotify) token_free);
      return;
    }
  secret_password_lookup (token_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "server", server, "username", user_name, NULL);
}

/**
 * roster_credentials_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token; free it with g_free()
 */
char *
roster_credentials_lookup_finish (RosterCredentials *self, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- clear */

static void
clear_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterCredentials *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  note_failure (self, error);
  g_task_return_boolean (task, TRUE);
}

/**
 * roster_credentials_clear_async:
 *
 * Forgets every token stored for @server, whoever it belonged to.
 */
void
roster_credentials_clear_async (RosterCredentials *self, const char *server,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (ROSTER_IS_CREDENTIALS (self));
  g_return_if_fail (server != NULL);

  g_task_set_source_tag (task, roster_credentials_clear_async);
  memory_remove_server (self, server);
  if (!self->available)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  secret_password_clear (token_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "server", server, NULL);
}

gboolean
roster_credentials_clear_finish (RosterCredentials *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
