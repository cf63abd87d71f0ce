/* roster-add-users-dialog.c: "Add Several Users": a table, one Bulk request, the outcome
 *
 * The table (RosterTeamTable) holds any number of rows up to the server's Bulk limit.
 * Create sends them in SCIM Bulk requests; each row then shows what became of it, the rows
 * that failed can be corrected and sent again, and "Export as CSV…" saves the accounts
 * created so far (with their first passwords, when the app generated them, in a file only
 * the user can read).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-add-users-dialog.h"
#include "roster-csv.h"
#include "roster-team-table.h"

struct _RosterAddUsersDialog
{
  AdwWindow parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  GPtrArray *created; /* of RosterBulkRow: every account created here, in order */
  GtkFileChooserNative *chooser;
  gboolean with_passwords;

  AdwToastOverlay *toast_overlay;
  GtkButton *create_button;
  GtkButton *add_row_button;
  GtkSpinner *spinner;
  RosterTeamTable *table;
  GtkCheckButton *email_check;
  GtkWidget *results_box;
  GtkLabel *summary_label;
  GtkButton *export_button;
};

G_DEFINE_FINAL_TYPE (RosterAddUsersDialog, roster_add_users_dialog, ADW_TYPE_WINDOW)

enum
{
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  RosterAddUsersDialog *self;
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
toast (RosterAddUsersDialog *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
set_busy (RosterAddUsersDialog *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  roster_team_table_set_sensitive_rows (self->table, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_check), !busy && self->created->len == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            !busy && roster_team_table_get_valid (self->table));
}

static void
on_table_changed_cb (RosterAddUsersDialog *self)
{
  set_busy (self, gtk_spinner_get_spinning (self->spinner));
}

static void
on_add_row_clicked_cb (RosterAddUsersDialog *self)
{
  if (roster_team_table_add_row (self->table) == G_MAXUINT)
    toast (self, _("The server takes no more rows at once: create these first"));
}

static void
show_summary (RosterAddUsersDialog *self, guint created, guint sent)
{
  g_autofree char *text = NULL;

  if (created == sent)
    text = g_strdup_printf (ngettext ("%u account created", "%u accounts created", created),
                            created);
  else
    /* Translators: the first number is how many of the second were created */
    text = g_strdup_printf (ngettext ("%u of %u account created: correct the rows that say "
                                      "why and create them again",
                                      "%u of %u accounts created: correct the rows that say "
                                      "why and create them again",
                                      sent),
                            created, sent);
  gtk_label_set_text (self->summary_label, text);
  gtk_widget_set_visible (self->results_box, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->created->len > 0);
}

static void
created_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Sending *sending = user_data;
  RosterAddUsersDialog *self = sending->self;
  g_autoptr(GError) error = NULL;
  guint created = 0;

  roster_client_create_users_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sending_free (sending);
      return;
    }
  if (error != NULL)
    toast (self, error->message);
  roster_team_table_show_results (self->table, sending->rows, sending->numbers);
  for (guint i = 0; i < sending->rows->len; i++)
    {
      RosterBulkRow *row = g_ptr_array_index (sending->rows, i);

      if (row->status >= 200 && row->status < 300 && row->error == NULL)
        {
          g_ptr_array_add (self->created, g_ptr_array_steal_index (sending->rows, i));
          g_ptr_array_insert (sending->rows, (gint) i, NULL);
          created++;
        }
    }
  show_summary (self, created, sending->rows->len);
  set_busy (self, FALSE);
  if (created > 0)
    g_signal_emit (self, signals[CREATED], 0, created);
  sending_free (sending);
}

static void
on_create_clicked_cb (RosterAddUsersDialog *self)
{
  Sending *sending;

  if (!roster_team_table_get_valid (self->table) || self->client == NULL)
    return;
  self->with_passwords = !gtk_check_button_get_active (self->email_check);
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->rows = roster_team_table_build_rows (self->table, self->with_passwords,
                                                &sending->numbers);
  /* Rows moved into self->created leave NULL holes behind. */
  g_ptr_array_set_free_func (sending->rows, (GDestroyNotify) roster_bulk_row_free);
  set_busy (self, TRUE);
  roster_client_create_users_async (self->client, sending->rows, self->cancellable, created_cb,
                                    sending);
}

/**
 * roster_add_users_dialog_build_csv:
 *
 * Returns: (transfer full): the accounts created so far, as CSV with a header row
 */
char *
roster_add_users_dialog_build_csv (RosterAddUsersDialog *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *header[] = { _("First Name"), _("Last Name"), _("Username"), _("E-mail"),
                           _("Role"), _("Team"), _("First Password") };

  g_return_val_if_fail (ROSTER_IS_ADD_USERS_DIALOG (self), NULL);
  roster_csv_append_row (out, header, self->with_passwords ? 7 : 6);
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

      roster_csv_append_row (out, fields, self->with_passwords ? 7 : 6);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RosterAddUsersDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The export could not be saved: %s"), error->message);
      toast (self, text);
      return;
    }
  {
    g_autofree char *name = g_file_get_basename (G_FILE (object));
    g_autofree char *text = g_strdup_printf (_("Saved as “%s”"), name);

    toast (self, text);
  }
}

/**
 * roster_add_users_dialog_export:
 *
 * Writes the CSV to @file. With first passwords in it, the file is created readable by its
 * owner only.
 */
void
roster_add_users_dialog_export (RosterAddUsersDialog *self, GFile *file)
{
  g_autofree char *csv = roster_add_users_dialog_build_csv (self);
  gsize length = strlen (csv);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&csv), length);

  g_file_replace_contents_bytes_async (
    file, bytes, NULL, FALSE,
    G_FILE_CREATE_REPLACE_DESTINATION | (self->with_passwords ? G_FILE_CREATE_PRIVATE : 0),
    self->cancellable, exported_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RosterAddUsersDialog *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        roster_add_users_dialog_export (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_export_clicked_cb (RosterAddUsersDialog *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export the New Accounts"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("new-accounts.csv"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
roster_add_users_dialog_dispose (GObject *object)
{
  RosterAddUsersDialog *self = ROSTER_ADD_USERS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->client);
  g_clear_pointer (&self->created, g_ptr_array_unref);
  G_OBJECT_CLASS (roster_add_users_dialog_parent_class)->dispose (object);
}

static void
roster_add_users_dialog_class_init (RosterAddUsersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_add_users_dialog_dispose;

  /**
   * RosterAddUsersDialog::created:
   * @n: how many accounts this attempt created
   */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (ROSTER_TYPE_TEAM_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-add-users-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, add_row_button);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, table);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, email_check);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, results_box);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_table_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
roster_add_users_dialog_init (RosterAddUsersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->created = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_bulk_row_free);
  /* Three rows to start with, as the seed CRMs' forms have; more with Add Row. */
  roster_team_table_add_row (self->table);
  roster_team_table_add_row (self->table);
}

/**
 * roster_add_users_dialog_new:
 * @max_rows: the most rows one request may carry (0: no limit)
 */
RosterAddUsersDialog *
roster_add_users_dialog_new (GtkWindow *parent, RosterClient *client, guint max_rows)
{
  RosterAddUsersDialog *self = g_object_new (ROSTER_TYPE_ADD_USERS_DIALOG, "transient-for",
                                             parent, NULL);

  self->client = g_object_ref (client);
  roster_team_table_set_client (self->table, client);
  roster_team_table_set_max_rows (self->table, max_rows);
  return self;
}

RosterTeamTable *
roster_add_users_dialog_get_table (RosterAddUsersDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_ADD_USERS_DIALOG (self), NULL);
  return self->table;
}
