/* roster-password-strength.c
 *
 * The wizard's strength meter asks libpwquality on this computer, with the same settings
 * rosterd checks passwords with (pwquality_default_settings(), the username as user), so the
 * meter agrees with the server as typed, without a request per key and without sending the
 * password anywhere before Create. rosterd still decides. cracklib reads its dictionary from
 * disk and keeps statics, so every call runs in a worker thread, one at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>
#include <pwquality.h>
#include <string.h>

#include "roster-error.h"
#include "roster-password-strength.h"

/* Bits of entropy of a generated password: pwquality's generator makes ~24 characters. */
#define GENERATED_BITS 128

static GMutex pwquality_lock;

typedef struct
{
  char *password;
  char *user_name;
  char *hint;
} CheckData;

static void
check_data_free (CheckData *data)
{
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data->user_name);
  g_free (data->hint);
  g_free (data);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckData *data = task_data;
  pwquality_settings_t *settings = pwquality_default_settings ();
  void *auxerror = NULL;
  char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
  int score;

  if (settings == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_FAILED, "%s",
                               _("The password’s strength cannot be checked."));
      return;
    }
  g_mutex_lock (&pwquality_lock);
  score = pwquality_check (settings, data->password, NULL,
                           *data->user_name != '\0' ? data->user_name : NULL, &auxerror);
  g_mutex_unlock (&pwquality_lock);
  if (score < 0)
    {
      /* libpwquality's own sentence, in its own translation domain. */
      data->hint = g_strdup (pwquality_strerror (buffer, sizeof buffer, score, auxerror));
      score = -1;
    }
  else if (score < 40)
    data->hint = g_strdup (_("Acceptable. A longer password would be stronger."));
  else if (score < 70)
    data->hint = g_strdup (_("Good password."));
  else
    data->hint = g_strdup (_("Strong password."));
  pwquality_free_settings (settings);
  g_task_return_int (task, score);
}

/**
 * roster_password_strength_check_async:
 * @user_name: (nullable): the account's username: a password containing it is refused
 *
 * Checks @password as rosterd will.
 */
void
roster_password_strength_check_async (const char *password, const char *user_name,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *data = g_new0 (CheckData, 1);

  g_return_if_fail (password != NULL);
  g_task_set_source_tag (task, roster_password_strength_check_async);
  data->password = g_strdup (password);
  data->user_name = g_strdup (user_name != NULL ? user_name : "");
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * roster_password_strength_check_finish:
 * @hint: (out) (transfer full): what to tell the user: why the password is refused, or how
 *   strong it is
 *
 * Returns: libpwquality's score, 0–100, or -1 if rosterd would refuse the password
 *   (-2 with @error set if it could not be checked)
 */
int
roster_password_strength_check_finish (GAsyncResult *result, char **hint, GError **error)
{
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;
  gssize score;

  g_return_val_if_fail (g_task_is_valid (result, NULL), -2);
  score = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -2;
    }
  if (hint != NULL)
    *hint = g_steal_pointer (&data->hint);
  return (int) score;
}

static void
generate_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  pwquality_settings_t *settings = pwquality_default_settings ();
  char *generated = NULL;
  int rc;

  if (settings == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_FAILED, "%s",
                               _("A password cannot be generated."));
      return;
    }
  g_mutex_lock (&pwquality_lock);
  rc = pwquality_generate (settings, GENERATED_BITS, &generated);
  g_mutex_unlock (&pwquality_lock);
  pwquality_free_settings (settings);
  if (rc != 0 || generated == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_FAILED, "%s",
                               _("A password cannot be generated."));
      return;
    }
  g_task_return_pointer (task, g_strdup (generated), g_free);
  memset (generated, 0, strlen (generated));
  free (generated);
}

/* A random password that libpwquality's default settings pass. */
void
roster_password_strength_generate_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, roster_password_strength_generate_async);
  g_task_run_in_thread (task, generate_thread);
}

/* Returns: (transfer full): the password */
char *
roster_password_strength_generate_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
