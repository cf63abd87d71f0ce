/* roster-password.c: argon2id password hashing, off the main thread
 *
 * A hash costs ~17 ms and 19 MiB, so handlers run it in a GTask thread and never on the
 * main loop. Passwords are wiped from memory as soon as they have been hashed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <argon2.h>
#include <glib/gi18n.h>
#include <string.h>

#include "roster-error.h"
#include "roster-password.h"
#include "roster-token.h"

/* What an unknown userName is verified against, so sign-in takes as long for a username
 * that does not exist as for a wrong password. Made once at startup. */
static char *dummy_hash;

/**
 * roster_password_hash:
 *
 * Blocks for ~17 ms: call it from a worker thread (or at startup).
 *
 * Returns: (transfer full): the PHC-encoded hash, "$argon2id$v=19$m=19456,t=2,p=1$…"
 */
char *
roster_password_hash (const char *password, GError **error)
{
  guint8 salt[ROSTER_PASSWORD_SALT_BYTES];
  g_autofree char *encoded = NULL;
  gsize encoded_length;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  if (!roster_random_bytes (salt, sizeof salt, error))
    return NULL;
  encoded_length = argon2_encodedlen (ROSTER_PASSWORD_T_COST, ROSTER_PASSWORD_M_COST,
                                      ROSTER_PASSWORD_PARALLELISM, sizeof salt,
                                      ROSTER_PASSWORD_HASH_BYTES, Argon2_id);
  encoded = g_malloc0 (encoded_length);
  rc = argon2id_hash_encoded (ROSTER_PASSWORD_T_COST, ROSTER_PASSWORD_M_COST,
                              ROSTER_PASSWORD_PARALLELISM, password, strlen (password), salt,
                              sizeof salt, ROSTER_PASSWORD_HASH_BYTES, encoded, encoded_length);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("Cannot hash the password: %s"),
                   argon2_error_message (rc));
      return NULL;
    }
  return g_steal_pointer (&encoded);
}

/**
 * roster_password_verify:
 * @hash: (nullable): the stored hash; %NULL verifies against a dummy hash and fails
 *
 * Blocks like roster_password_hash().
 */
gboolean
roster_password_verify (const char *hash, const char *password)
{
  gboolean use_dummy = hash == NULL;
  int rc;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (dummy_hash != NULL, FALSE);

  rc = argon2id_verify (use_dummy ? dummy_hash : hash, password, strlen (password));
  if (rc != ARGON2_OK && rc != ARGON2_VERIFY_MISMATCH)
    g_debug ("argon2id_verify: %s", argon2_error_message (rc));
  return !use_dummy && rc == ARGON2_OK;
}

/**
 * roster_password_init:
 *
 * Makes the dummy hash. Call once at startup, before the main loop runs.
 */
gboolean
roster_password_init (GError **error)
{
  g_autofree char *password = roster_token_generate (error);

  if (password == NULL)
    return FALSE;
  g_clear_pointer (&dummy_hash, g_free);
  dummy_hash = roster_password_hash (password, error);
  explicit_bzero (password, strlen (password));
  return dummy_hash != NULL;
}

typedef struct
{
  char *password;
  char *hash;
} TaskData;

static void
task_data_free (TaskData *data)
{
  explicit_bzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data->hash);
  g_free (data);
}

static TaskData *
task_data_new (const char *hash, const char *password)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->password = g_strdup (password);
  data->hash = g_strdup (hash);
  return data;
}

static void
hash_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  char *hash = roster_password_hash (data->password, &error);

  explicit_bzero (data->password, strlen (data->password));
  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

/**
 * roster_password_hash_async:
 *
 * Hashes @password (copied, and wiped once hashed) in a worker thread.
 */
void
roster_password_hash_async (const char *password, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, roster_password_hash_async);
  g_task_set_task_data (task, task_data_new (NULL, password), (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, hash_thread);
}

char *
roster_password_hash_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
verify_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  gboolean ok = roster_password_verify (data->hash, data->password);

  explicit_bzero (data->password, strlen (data->password));
  g_task_return_boolean (task, ok);
}

/**
 * roster_password_verify_async:
 * @hash: (nullable): the stored hash, or %NULL for a user that does not exist
 *
 * Verifies in a worker thread; an unknown user costs the same as a wrong password.
 */
void
roster_password_verify_async (const char *hash, const char *password, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, roster_password_verify_async);
  g_task_set_task_data (task, task_data_new (hash, password), (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, verify_thread);
}

/**
 * roster_password_verify_finish:
 *
 * Returns: %TRUE if the password matched
 */
gboolean
roster_password_verify_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
