/* roster-team-results.c: what a RosterTeamSender created, and its Export as CSV
 *
 * A summary of the last request ("3 accounts created", or how many of how many, and that
 * the rows say why), the accounts created so far, each with its generated first password
 * when there is one (with a plain note that Roster keeps them nowhere but in the export), and
 * "Export as CSV…" (GtkFileChooserNative; the file is the owner's alone). It follows its
 * sender: two of these, on two pages, show the same accounts. Used by "Add Several Users" and
 * by the setup wizard's "Add your team" and "Done" pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-team-results.h"

struct _RosterTeamResults
{
  GtkWidget parent_instance;

  RosterTeamSender *sender;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  char *file_name;
  gboolean show_summary;

  GtkWidget *box;
  GtkLabel *summary_label;
  GtkButton *export_button;
  GtkLabel *note_label;
  GtkListBox *accounts_list;
  GtkLabel *export_label;
};

G_DEFINE_FINAL_TYPE (RosterTeamResults, roster_team_results, GTK_TYPE_WIDGET)

static GtkWidget *
account_row (RosterBulkRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  const char *display = roster_user_get_display_name (row->user);
  const char *email = roster_user_get_email (row->user);
  g_autofree char *subtitle = display != NULL && email != NULL
                                ? g_strdup_printf ("%s · %s", display, email)
                                : g_strdup (display != NULL ? display : email);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget),
                                 roster_user_get_user_name (row->user));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  if (row->password != NULL)
    {
      GtkWidget *password = gtk_label_new (row->password);
      g_autofree char *name = g_strdup_printf (_("First password of %s"),
                                               roster_user_get_user_name (row->user));

      gtk_label_set_selectable (GTK_LABEL (password), TRUE);
      gtk_widget_add_css_class (password, "monospace");
      gtk_accessible_update_property (GTK_ACCESSIBLE (password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), password);
    }
  else if (row->send_invitation)
    {
      GtkWidget *invited = gtk_label_new (_("Invitation sent"));

      gtk_widget_add_css_class (invited, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), invited);
    }
  return widget;
}

/* The list, the note and the export follow the sender's created accounts. */
static void
update (RosterTeamResults *self)
{
  GPtrArray *created = self->sender != NULL ? roster_team_sender_get_created (self->sender)
                                            : NULL;
  guint n = created != NULL ? created->len : 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, child);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->accounts_list, account_row (g_ptr_array_index (created, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label),
                          n > 0 && roster_team_sender_get_with_passwords (self->sender));
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), n > 0);
  if (n == 0)
    {
      gtk_label_set_text (self->summary_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->export_label), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self),
                          n > 0 || *gtk_label_get_text (self->summary_label) != '\0');
}

static void
on_sent_cb (RosterTeamResults *self, guint created, guint sent, const char *problem)
{
  g_autofree char *text = NULL;
  guint total = roster_team_sender_get_n_created (self->sender);

  if (created == sent && problem == NULL)
    text = g_strdup_printf (ngettext ("%u account created", "%u accounts created", total), total);
  else
    /* Translators: the first number is how many of the second were created */
    text = g_strdup_printf (ngettext ("%u of %u account created: correct the rows that say "
                                      "why and create them again",
                                      "%u of %u accounts created: correct the rows that say "
                                      "why and create them again",
                                      sent),
                            created, sent);
  gtk_label_set_text (self->summary_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), self->show_summary);
  update (self);
}

static void
show_export (RosterTeamResults *self, const char *text, gboolean problem)
{
  gtk_label_set_text (self->export_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), TRUE);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->export_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->export_label), "error");
}

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterTeamResults *self = user_data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_task_get_task_data (G_TASK (result));

  if (!roster_team_sender_export_finish (ROSTER_TEAM_SENDER (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The export could not be saved: %s"), error->message);
      show_export (self, text, TRUE);
      return;
    }
  {
    g_autofree char *name = g_file_get_basename (file);
    g_autofree char *text = g_strdup_printf (_("Saved as “%s”"), name);

    show_export (self, text, FALSE);
  }
}

/* Writes the CSV to @file (for the file chooser's answer, and for tests). */
void
roster_team_results_export (RosterTeamResults *self, GFile *file)
{
  g_return_if_fail (ROSTER_IS_TEAM_RESULTS (self));
  g_return_if_fail (self->sender != NULL);
  roster_team_sender_export_async (self->sender, file, self->cancellable, exported_cb, self);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RosterTeamResults *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        roster_team_results_export (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
on_export_button_clicked_cb (RosterTeamResults *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL || self->sender == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export the New Accounts"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), self->file_name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
roster_team_results_set_sender (RosterTeamResults *self, RosterTeamSender *sender)
{
  g_return_if_fail (ROSTER_IS_TEAM_RESULTS (self));
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  if (!g_set_object (&self->sender, sender))
    return;
  if (sender != NULL)
    {
      g_signal_connect_object (sender, "sent", G_CALLBACK (on_sent_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sender, "notify::n-created", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

RosterTeamSender *
roster_team_results_get_sender (RosterTeamResults *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_RESULTS (self), NULL);
  return self->sender;
}

/* The name the file chooser proposes. */
void
roster_team_results_set_file_name (RosterTeamResults *self, const char *file_name)
{
  g_return_if_fail (ROSTER_IS_TEAM_RESULTS (self));
  g_free (self->file_name);
  self->file_name = g_strdup (file_name);
}

/* Whether the summary of the last request is shown (a page that says it itself: no). */
void
roster_team_results_set_show_summary (RosterTeamResults *self, gboolean show_summary)
{
  g_return_if_fail (ROSTER_IS_TEAM_RESULTS (self));
  self->show_summary = show_summary;
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), show_summary);
}

static void
roster_team_results_dispose (GObject *object)
{
  RosterTeamResults *self = ROSTER_TEAM_RESULTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_TEAM_RESULTS);
  G_OBJECT_CLASS (roster_team_results_parent_class)->dispose (object);
}

static void
roster_team_results_finalize (GObject *object)
{
  RosterTeamResults *self = ROSTER_TEAM_RESULTS (object);

  g_free (self->file_name);
  G_OBJECT_CLASS (roster_team_results_parent_class)->finalize (object);
}

static void
roster_team_results_class_init (RosterTeamResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_team_results_dispose;
  object_class->finalize = roster_team_results_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-team-results.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, box);
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, export_button);
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, note_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, RosterTeamResults, export_label);
  gtk_widget_class_bind_template_callback (widget_class, on_export_button_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
roster_team_results_init (RosterTeamResults *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_name_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->show_summary = TRUE;
  self->file_name = g_strdup (_("roster-accounts.csv"));
}
