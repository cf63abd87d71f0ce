/* roster-password-policy.c: quality and history checks for a new password, then its hash
 *
 * One worker thread does it all: libpwquality (its dictionary lookup reads files), one
 * argon2id verify per remembered password (~17 ms each) and the new hash, so the main loop
 * never waits. The password is wiped as soon as the thread is done with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <pwquality.h>
#include <string.h>

#include "roster-error.h"
#include "roster-password.h"
#include "roster-password-policy.h"

/* cracklib keeps state in statics: one check at a time. */
static GMutex pwquality_lock;

typedef struct
{
  char *password;
  char *user_name;
  gint64 min_quality;
  GStrv old_hashes;
} PolicyData;

static void
policy_data_free (PolicyData *data)
{
  explicit_bzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data->user_name);
  g_strfreev (data->old_hashes);
  g_free (data);
}

/* Refuses what pwquality's default settings refuse, or scores below @min_quality; the
 * detail is pwquality's own translated reason. */
static gboolean
check_quality (PolicyData *data, GError **error)
{
  pwquality_settings_t *settings = pwquality_default_settings ();
  char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
  g_autofree char *message = NULL;
  void *auxerror = NULL;
  int score;

  if (settings == NULL)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                           _("Cannot check the password quality"));
      return FALSE;
    }
  g_mutex_lock (&pwquality_lock);
  score = pwquality_check (settings, data->password, NULL, data->user_name, &auxerror);
  /* The answer is in @buffer or a static string: copy it before anyone else checks. */
  if (score < 0)
    message = g_strdup (pwquality_strerror (buffer, sizeof buffer, score, auxerror));
  g_mutex_unlock (&pwquality_lock);
  pwquality_free_settings (settings);

  if (score < 0)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD, message);
      return FALSE;
    }
  if (score < data->min_quality)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD,
                   _("The password scores %d of the %d this server requires"), score,
                   (int) data->min_quality);
      return FALSE;
    }
  return TRUE;
}

static void
policy_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  PolicyData *data = task_data;
  GError *error = NULL;
  char *hash = NULL;

  if (!check_quality (data, &error))
    goto done;
  for (guint i = 0; data->old_hashes != NULL && data->old_hashes[i] != NULL; i++)
    if (roster_password_verify (data->old_hashes[i], data->password))
      {
        g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_PASSWORD_REUSED,
                             _("This password was used recently: choose another one"));
        goto done;
      }
  hash = roster_password_hash (data->password, &error);

done:
  explicit_bzero (data->password, strlen (data->password));
  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

/**
 * roster_password_policy_hash_async:
 * @user_name: (nullable): the account's username, which the password may not contain
 * @min_quality: the lowest pwquality score accepted
 * @old_hashes: (nullable): the hashes the password may not match (its history)
 *
 * Checks @password (copied, and wiped once done) and hashes it in a worker thread. Fails
 * with %ROSTER_ERROR_WEAK_PASSWORD or %ROSTER_ERROR_PASSWORD_REUSED.
 */
void
roster_password_policy_hash_async (const char *password, const char *user_name,
                                   gint64 min_quality, const char *const *old_hashes,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PolicyData *data = g_new0 (PolicyData, 1);

  data->password = g_strdup (password);
  data->user_name = g_strdup (user_name);
  data->min_quality = min_quality;
  data->old_hashes = g_strdupv ((char **) old_hashes);
  g_task_set_source_tag (task, roster_password_policy_hash_async);
  g_task_set_task_data (task, data, (GDestroyNotify) policy_data_free);
  g_task_run_in_thread (task, policy_thread);
}

/**
 * roster_password_policy_hash_finish:
 *
 * Returns: (transfer full): the new argon2id hash
 */
char *
roster_password_policy_hash_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
