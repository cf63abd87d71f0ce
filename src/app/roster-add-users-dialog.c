/* roster-add-users-dialog.c: "Add Several Users": a table, one Bulk request, the outcome
 *
 * The table (RosterTeamTable) holds any number of rows up to the server's Bulk limit.
 * Create sends them (RosterTeamSender); each row then shows what became of it, the rows
 * that failed can be corrected and sent again, and the results (RosterTeamResults) list the
 * accounts created so far, with "Export as CSV…" (with their first passwords, when the app
 * generated them, in a file only the user can read).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-add-users-dialog.h"
#include "roster-team-results.h"
#include "roster-team-sender.h"
#include "roster-team-table.h"

struct _RosterAddUsersDialog
{
  AdwWindow parent_instance;

  RosterTeamSender *sender;

  AdwToastOverlay *toast_overlay;
  GtkButton *create_button;
  GtkButton *add_row_button;
  GtkSpinner *spinner;
  RosterTeamTable *table;
  GtkCheckButton *email_check;
  RosterTeamResults *results;
};

G_DEFINE_FINAL_TYPE (RosterAddUsersDialog, roster_add_users_dialog, ADW_TYPE_WINDOW)

enum
{
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (RosterAddUsersDialog *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
update_sensitivity (RosterAddUsersDialog *self)
{
  gboolean busy = roster_team_sender_get_busy (self->sender);

  gtk_spinner_set_spinning (self->spinner, busy);
  roster_team_table_set_sensitive_rows (self->table, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row_button), !busy);
  /* One kind of account per export: invitations or first passwords. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_check),
                            !busy && roster_team_sender_get_n_created (self->sender) == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            !busy && roster_team_table_get_valid (self->table));
}

static void
on_add_row_clicked_cb (RosterAddUsersDialog *self)
{
  if (roster_team_table_add_row (self->table) == G_MAXUINT)
    toast (self, _("The server takes no more rows at once: create these first"));
}

static void
on_sent_cb (RosterAddUsersDialog *self, guint created, guint sent, const char *problem)
{
  if (problem != NULL)
    toast (self, problem);
  update_sensitivity (self);
  if (created > 0)
    g_signal_emit (self, signals[CREATED], 0, created);
}

static void
on_create_clicked_cb (RosterAddUsersDialog *self)
{
  /* Focus leaves the table before it turns insensitive (see roster-setup-wizard.c). */
  gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
  roster_team_sender_send (self->sender, !gtk_check_button_get_active (self->email_check));
}

/**
 * roster_add_users_dialog_build_csv:
 *
 * Returns: (transfer full): the accounts created so far, as CSV with a header row
 */
char *
roster_add_users_dialog_build_csv (RosterAddUsersDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_ADD_USERS_DIALOG (self), NULL);
  return roster_team_sender_build_csv (self->sender);
}

/* Writes the CSV to @file, as Export as CSV… does after its file chooser. */
void
roster_add_users_dialog_export (RosterAddUsersDialog *self, GFile *file)
{
  g_return_if_fail (ROSTER_IS_ADD_USERS_DIALOG (self));
  roster_team_results_export (self->results, file);
}

static void
roster_add_users_dialog_dispose (GObject *object)
{
  RosterAddUsersDialog *self = ROSTER_ADD_USERS_DIALOG (object);

  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
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
  g_type_ensure (ROSTER_TYPE_TEAM_RESULTS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-add-users-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, add_row_button);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, table);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, email_check);
  gtk_widget_class_bind_template_child (widget_class, RosterAddUsersDialog, results);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
roster_add_users_dialog_init (RosterAddUsersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_name_buttons (GTK_WIDGET (self));
  self->sender = roster_team_sender_new (self->table);
  g_signal_connect_swapped (self->sender, "sent", G_CALLBACK (on_sent_cb), self);
  g_signal_connect_swapped (self->sender, "notify::busy", G_CALLBACK (update_sensitivity), self);
  roster_team_results_set_sender (self->results, self->sender);
  roster_team_results_set_file_name (self->results, _("new-accounts.csv"));
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

  roster_team_sender_set_client (self->sender, client);
  roster_team_table_set_max_rows (self->table, max_rows);
  return self;
}

RosterTeamTable *
roster_add_users_dialog_get_table (RosterAddUsersDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_ADD_USERS_DIALOG (self), NULL);
  return self->table;
}
