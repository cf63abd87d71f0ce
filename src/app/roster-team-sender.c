/* roster-team-sender.c: sends a RosterTeamTable's rows and keeps what became of them
 *
 * "Add Several Users" and the setup wizard's "Add your team" page do the same job with it:
 * send() builds the table's filled rows that were not created yet into one SCIM Bulk request,
 * writes each row's outcome into the table (which locks the rows that were created, so a
 * second send carries only the others: nobody is created twice), keeps the created accounts
 * in order, and emits ::sent. build_csv() and export_async() give those accounts back as CSV,
 * with the generated first passwords when there are any; those passwords live in memory here
 * and in the file the user chose, nowhere else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-csv.h"
#include "roster-team-sender.h"

struct _RosterTeamSender
{
  GObject parent_instance;

  RosterTeamTable *table;
  RosterClient *client;
  GCancellable *cancellable;
  GPtrArray *created; /* of RosterBulkRow: every account created, in order */
  gboolean with_passwords;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (RosterTeamSender, roster_team_sender, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_N_CREATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  RosterTeamSender *self;
  GPtrArray *rows;
  GArray *numbers;
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->self);
  g_ptr_array_unref (sending->rows);
  g_array_unref (sending->numbers);
  g_free (sending);
}

static void
set_busy (RosterTeamSender *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
created_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Sending *sending = user_data;
  RosterTeamSender *self = sending->self;
  g_autoptr(GError) error = NULL;
  guint created = 0;

  roster_client_create_users_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sending_free (sending);
      return;
    }
  roster_team_table_show_results (self->table, sending->rows, sending->numbers);
  for (guint i = 0; i < sending->rows->len; i++)
    {
      RosterBulkRow *row = g_ptr_array_index (sending->rows, i);

      if (row->status >= 200 && row->status < 300 && row->error == NULL)
        {
          /* Moved out, leaving a NULL hole so that the indices stay. */
          g_ptr_array_add (self->created, g_ptr_array_steal_index (sending->rows, i));
          g_ptr_array_insert (sending->rows, (gint) i, NULL);
          created++;
        }
    }
  set_busy (self, FALSE);
  if (created > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CREATED]);
  g_signal_emit (self, signals[SENT], 0, created, sending->rows->len,
                 error != NULL ? error->message : NULL);
  sending_free (sending);
}

/**
 * roster_team_sender_send:
 * @with_passwords: generated first passwords (%TRUE) or invitations by e-mail; only the
 *   first send that creates someone decides, so that one export holds one kind of account
 *
 * Sends the table's rows that are filled and not created yet; ::sent follows.
 *
 * Returns: whether a request went out (not while one is out, nor with nothing to send)
 */
gboolean
roster_team_sender_send (RosterTeamSender *self, gboolean with_passwords)
{
  Sending *sending;

  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), FALSE);
  if (self->busy || self->client == NULL || !roster_team_table_get_valid (self->table))
    return FALSE;
  if (self->created->len == 0)
    self->with_passwords = with_passwords;
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->rows = roster_team_table_build_rows (self->table, self->with_passwords,
                                                &sending->numbers);
  g_ptr_array_set_free_func (sending->rows, (GDestroyNotify) roster_bulk_row_free);
  set_busy (self, TRUE);
  roster_client_create_users_async (self->client, sending->rows, self->cancellable, created_cb,
                                    sending);
  return TRUE;
}

void
roster_team_sender_set_client (RosterTeamSender *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_TEAM_SENDER (self));
  g_set_object (&self->client, client);
  roster_team_table_set_client (self->table, client);
}

RosterTeamTable *
roster_team_sender_get_table (RosterTeamSender *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), NULL);
  return self->table;
}

gboolean
roster_team_sender_get_busy (RosterTeamSender *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), FALSE);
  return self->busy;
}

gboolean
roster_team_sender_get_with_passwords (RosterTeamSender *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), FALSE);
  return self->with_passwords;
}

guint
roster_team_sender_get_n_created (RosterTeamSender *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), 0);
  return self->created->len;
}

/* Created accounts whose owners were sent an invitation by e-mail. */
guint
roster_team_sender_get_n_invited (RosterTeamSender *self)
{
  guint n = 0;

  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), 0);
  for (guint i = 0; i < self->created->len; i++)
    n += ((RosterBulkRow *) g_ptr_array_index (self->created, i))->send_invitation;
  return n;
}

/**
 * roster_team_sender_get_created:
 *
 * Returns: (transfer none) (element-type RosterBulkRow): the accounts created, in order
 */
GPtrArray *
roster_team_sender_get_created (RosterTeamSender *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), NULL);
  return self->created;
}

/* Forgets the created accounts (and their first passwords), cancels a request under way. */
void
roster_team_sender_clear (RosterTeamSender *self)
{
  g_return_if_fail (ROSTER_IS_TEAM_SENDER (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  if (self->created->len > 0)
    {
      g_ptr_array_set_size (self->created, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CREATED]);
    }
}

/**
 * roster_team_sender_build_csv:
 *
 * Returns: (transfer full): the accounts created so far, as CSV with a header row, and with
 *   their first passwords when they were generated
 */
char *
roster_team_sender_build_csv (RosterTeamSender *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *header[] = { _("First Name"), _("Last Name"), _("Username"), _("E-mail"),
                           _("Role"), _("Team"), _("First Password") };
  guint n_fields;

  g_return_val_if_fail (ROSTER_IS_TEAM_SENDER (self), NULL);
  n_fields = self->with_passwords ? G_N_ELEMENTS (header) : G_N_ELEMENTS (header) - 1;
  roster_csv_append_row (out, header, n_fields);
  for (guint i = 0; i < self->created->len; i++)
    {
      RosterBulkRow *row = g_ptr_array_index (self->created, i);
      const char *fields[] = {
        roster_user_get_given_name (row->user),
        roster_user_get_family_name (row->user),
        roster_user_get_user_name (row->user),
        roster_user_get_email (row->user),
        roster_team_table_get_role_name (self->table, row->role_id),
        roster_team_table_get_team_name (self->table, row->team_id),
        row->password,
      };

      roster_csv_append_row (out, fields, n_fields);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * roster_team_sender_export_async:
 *
 * Writes the CSV to @file, which is created readable and writable by its owner only (0600):
 * it may hold first passwords, and it holds who works where in any case.
 */
void
roster_team_sender_export_async (RosterTeamSender *self, GFile *file, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *csv = roster_team_sender_build_csv (self);
  gsize length = strlen (csv);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&csv), length);

  g_task_set_source_tag (task, roster_team_sender_export_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE,
                                       cancellable, exported_cb, g_steal_pointer (&task));
}

gboolean
roster_team_sender_export_finish (RosterTeamSender *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
roster_team_sender_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  RosterTeamSender *self = ROSTER_TEAM_SENDER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_CREATED:
      g_value_set_uint (value, self->created->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_team_sender_dispose (GObject *object)
{
  RosterTeamSender *self = ROSTER_TEAM_SENDER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->table);
  g_clear_pointer (&self->created, g_ptr_array_unref);
  G_OBJECT_CLASS (roster_team_sender_parent_class)->dispose (object);
}

static void
roster_team_sender_class_init (RosterTeamSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = roster_team_sender_get_property;
  object_class->dispose = roster_team_sender_dispose;

  properties[PROP_BUSY] = g_param_spec_boolean (
    "busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CREATED] = g_param_spec_uint ("n-created", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                                    | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterTeamSender::sent:
   * @created: how many accounts this request created
   * @sent: how many rows it carried
   * @problem: (nullable): why the request as a whole failed, translated
   */
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT,
                                G_TYPE_STRING);
}

static void
roster_team_sender_init (RosterTeamSender *self)
{
  self->cancellable = g_cancellable_new ();
  self->created = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_bulk_row_free);
}

RosterTeamSender *
roster_team_sender_new (RosterTeamTable *table)
{
  RosterTeamSender *self;

  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (table), NULL);
  self = g_object_new (ROSTER_TYPE_TEAM_SENDER, NULL);
  self->table = g_object_ref (table);
  return self;
}
