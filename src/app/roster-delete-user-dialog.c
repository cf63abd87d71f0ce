/* roster-delete-user-dialog.c
 *
 * Deleting a user asks first, and first finds out what they own (GET /Users/{id}/ownership)
 * and how long Recently Deleted keeps them. Someone who owns nothing gets a plain question.
 * Someone who owns clients, orders or tasks gets a row per kind with the counts and a
 * "Choose…" button (the user picker, active accounts only, never the user being deleted), and
 * "Reassign All to One Person"; Delete stays off until every kind with open records has
 * someone. The dialog does not delete: it emits ::confirmed with the plan, and the window
 * sends it and reports the result (a toast with Undo).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-delete-user-dialog.h"
#include "roster-user-picker.h"

struct _RosterDeleteUserDialog
{
  AdwMessageDialog parent_instance;

  RosterClient *client;
  RosterUser *user;
  GCancellable *cancellable;
  RosterOwnership *ownership;
  guint restore_window; /* days; 0 while unknown */
  gboolean window_asked;  /* the settings' answer (or refusal) is in */
  RosterUser *destinations[ROSTER_RECORD_KIND_N];

  GtkWidget *spinner;
  GtkListBox *kinds_list;
  GtkWidget *all_row;
  GtkButton *all_button;
  AdwActionRow *kind_rows[ROSTER_RECORD_KIND_N];
  GtkButton *choose_buttons[ROSTER_RECORD_KIND_N];
};

G_DEFINE_FINAL_TYPE (RosterDeleteUserDialog, roster_delete_user_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  CONFIRMED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const kind_titles[ROSTER_RECORD_KIND_N] = {
  N_("Clients"), N_("Orders"), N_("Tasks")
};

static const char *
kind_title (RosterRecordKind kind)
{
  return _(kind_titles[kind]);
}

/* "12 open orders, 3 done" */
static char *
describe_counts (const RosterOwnership *ownership, RosterRecordKind kind)
{
  guint open = ownership->open[kind], done = ownership->done[kind];
  g_autofree char *open_text = NULL;
  g_autofree char *done_text = NULL;

  if (kind == ROSTER_RECORD_KIND_CLIENTS)
    open_text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u open client", "%u open clients", open), open);
  else if (kind == ROSTER_RECORD_KIND_ORDERS)
    open_text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u open order", "%u open orders", open), open);
  else
    open_text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u open task", "%u open tasks", open), open);
  if (done == 0)
    return g_steal_pointer (&open_text);
  /* Translators: finished records of one kind, after the open ones: "12 open orders, 3 done" */
  done_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u done", "%u done", done), done);
  if (open == 0)
    return g_steal_pointer (&done_text);
  /* Translators: "12 open orders" and "3 done" */
  return g_strdup_printf (_("%s, %s"), open_text, done_text);
}

static char *
restore_sentence (RosterDeleteUserDialog *self)
{
  const char *name = roster_user_get_title (self->user);

  if (self->restore_window == 0)
    /* Translators: %s is a user's name */
    return g_strdup_printf (_("%s can be restored from Recently Deleted for a while."), name);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: %s is a user's name, %u a number of days */
                                       "%s can be restored for %u day from Recently Deleted.",
                                       "%s can be restored for %u days from Recently Deleted.",
                                       self->restore_window),
                          name, self->restore_window);
}

static gboolean
complete (RosterDeleteUserDialog *self)
{
  if (self->ownership == NULL || !self->window_asked)
    return FALSE;
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    if (self->ownership->open[i] > 0 && self->destinations[i] == NULL)
      return FALSE;
  return TRUE;
}

static void
update (RosterDeleteUserDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  gboolean loaded = self->ownership != NULL && self->window_asked;
  g_autofree char *body = NULL;
  guint n_kinds = 0;

  gtk_widget_set_visible (self->spinner, !loaded);
  adw_message_dialog_set_response_enabled (dialog, "delete", complete (self));
  if (!loaded)
    return;

  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    {
      gboolean owns = roster_ownership_get_total (self->ownership, i) > 0;
      g_autofree char *counts = NULL;
      g_autofree char *name = NULL;
      const char *chosen;

      gtk_widget_set_visible (GTK_WIDGET (self->kind_rows[i]), owns);
      if (!owns)
        continue;
      n_kinds++;
      counts = describe_counts (self->ownership, i);
      adw_action_row_set_subtitle (self->kind_rows[i], counts);
      chosen = self->destinations[i] != NULL ? roster_user_get_title (self->destinations[i])
                                             : NULL;
      /* Translators: the button that opens the user picker for one kind of record */
      gtk_button_set_label (self->choose_buttons[i], chosen != NULL ? chosen : _("Choose…"));
      /* Translators: the first %s is a kind of record ("Orders"), the second a user's name */
      name = chosen != NULL ? g_strdup_printf (_("%s Go to %s"), kind_title (i), chosen)
                            /* Translators: %s is a kind of record, e.g. "Orders" */
                            : g_strdup_printf (_("Choose Who Takes Over %s"), kind_title (i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->kinds_list), n_kinds > 0);
  gtk_widget_set_visible (self->all_row, n_kinds > 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->all_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reassign All to One Person"),
                                  -1);

  {
    g_autofree char *restore = restore_sentence (self);

    if (n_kinds == 0)
      body = g_steal_pointer (&restore);
    else
      body = g_strdup_printf ("%s %s",
                              _("Choose who takes over their records. Open ones must go to "
                                "someone; finished ones stay with the deleted account unless "
                                "you choose."),
                              restore);
  }
  adw_message_dialog_set_body (dialog, body);
}

static void
ownership_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterDeleteUserDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  RosterOwnership *ownership;

  ownership = roster_client_get_ownership_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ownership == NULL)
    {
      /* Nothing to decide on: the window says why, and the dialog goes. */
      g_signal_emit (self, signals[FAILED], 0, error);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  self->ownership = ownership;
  update (self);
}

static void
restore_window_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterDeleteUserDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  guint days;

  days = roster_client_get_restore_window_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Only administrators may read the settings: others get the sentence without a number. */
  self->restore_window = days;
  self->window_asked = TRUE;
  update (self);
}

/**
 * roster_delete_user_dialog_set_destination:
 * @kind: a #RosterRecordKind, or -1 for every kind the user owns
 * @user: (nullable): who takes them over
 */
void
roster_delete_user_dialog_set_destination (RosterDeleteUserDialog *self, RosterRecordKind kind,
                                           RosterUser *user)
{
  g_return_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self));
  g_return_if_fail ((int) kind == -1 || kind < ROSTER_RECORD_KIND_N);

  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    if ((int) kind == -1 ? self->ownership != NULL
                             && roster_ownership_get_total (self->ownership, i) > 0
                         : i == kind)
      g_set_object (&self->destinations[i], user);
  update (self);
}

static void
on_chosen_cb (RosterUserPicker *picker, RosterUser *user, RosterDeleteUserDialog *self)
{
  int kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (picker), "kind"));

  roster_delete_user_dialog_set_destination (self, kind, user);
}

/**
 * roster_delete_user_dialog_choose:
 * @kind: a #RosterRecordKind, or -1 for all of them
 *
 * Opens the user picker, as the kind's "Choose…" button does.
 *
 * Returns: (transfer none): the picker
 */
GtkWindow *
roster_delete_user_dialog_choose (RosterDeleteUserDialog *self, int kind)
{
  RosterUserPicker *picker;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self), NULL);

  if (kind < 0)
    title = g_strdup (_("Who Takes Over Everything"));
  else
    /* Translators: the picker's title, %s is a kind of record such as "Orders" */
    title = g_strdup_printf (_("Who Takes Over %s"), kind_title (kind));
  picker = roster_user_picker_new (GTK_WINDOW (self), self->client, title,
                                   roster_user_get_id (self->user));
  roster_user_picker_set_active_only (picker, TRUE);
  /* Cancelling the question takes the picker over it along. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (picker), TRUE);
  g_object_set_data (G_OBJECT (picker), "kind", GINT_TO_POINTER (kind));
  g_signal_connect_object (picker, "chosen", G_CALLBACK (on_chosen_cb), self, 0);
  return GTK_WINDOW (picker);
}

static void
on_choose_clicked_cb (GtkButton *button, RosterDeleteUserDialog *self)
{
  roster_delete_user_dialog_choose (
    self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kind")));
}

static void
on_response_cb (RosterDeleteUserDialog *self, const char *response)
{
  const char *ids[ROSTER_RECORD_KIND_N + 1] = { NULL };

  if (g_strcmp0 (response, "delete") != 0 || !complete (self))
    return;
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    ids[i] = self->destinations[i] != NULL ? roster_user_get_id (self->destinations[i]) : NULL;
  g_signal_emit (self, signals[CONFIRMED], 0, self->user, ids);
}

gboolean
roster_delete_user_dialog_get_loaded (RosterDeleteUserDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self), FALSE);
  return self->ownership != NULL && self->window_asked;
}

static GtkWidget *
choose_row_new (RosterDeleteUserDialog *self, const char *title, int kind, GtkButton **button_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Choose…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "kind", GINT_TO_POINTER (kind));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_choose_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  if (button_out != NULL)
    *button_out = GTK_BUTTON (button);
  return row;
}

static void
roster_delete_user_dialog_dispose (GObject *object)
{
  RosterDeleteUserDialog *self = ROSTER_DELETE_USER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_pointer (&self->ownership, roster_ownership_free);
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    g_clear_object (&self->destinations[i]);

  G_OBJECT_CLASS (roster_delete_user_dialog_parent_class)->dispose (object);
}

static void
roster_delete_user_dialog_class_init (RosterDeleteUserDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_delete_user_dialog_dispose;

  /**
   * RosterDeleteUserDialog::confirmed:
   * @user: who is to be deleted
   * @destinations: (array fixed-size=3): per #RosterRecordKind, the id of who takes over
   *   that kind, or %NULL
   */
  signals[CONFIRMED] = g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, ROSTER_TYPE_USER,
                                     G_TYPE_POINTER);

  /**
   * RosterDeleteUserDialog::failed:
   * @error: why what the user owns could not be found out, translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
roster_delete_user_dialog_init (RosterDeleteUserDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->cancellable = g_cancellable_new ();

  self->spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Finding out what the user owns"), -1);
  gtk_box_append (GTK_BOX (box), self->spinner);

  self->kinds_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->kinds_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->kinds_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kinds_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Records and who takes them over"),
                                  -1);
  for (guint i = 0; i < ROSTER_RECORD_KIND_N; i++)
    {
      GtkWidget *row = choose_row_new (self, kind_title (i), (int) i, &self->choose_buttons[i]);

      self->kind_rows[i] = ADW_ACTION_ROW (row);
      gtk_list_box_append (self->kinds_list, row);
    }
  self->all_row = choose_row_new (self, _("Reassign All to One Person"), -1, &self->all_button);
  gtk_list_box_append (self->kinds_list, self->all_row);
  gtk_widget_set_visible (GTK_WIDGET (self->kinds_list), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->kinds_list));
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "delete", _("Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);
}

/**
 * roster_delete_user_dialog_new:
 *
 * Returns: (transfer none): the dialog, shown, finding out what @user owns
 */
RosterDeleteUserDialog *
roster_delete_user_dialog_new (GtkWindow *parent, RosterClient *client, RosterUser *user)
{
  RosterDeleteUserDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (ROSTER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ROSTER_IS_USER (user) && roster_user_get_id (user) != NULL, NULL);

  /* Translators: %s is a user's name */
  heading = g_strdup_printf (_("Delete %s?"), roster_user_get_title (user));
  self = g_object_new (ROSTER_TYPE_DELETE_USER_DIALOG, "transient-for", parent, "modal", TRUE,
                       "heading", heading, NULL);
  self->client = g_object_ref (client);
  self->user = roster_user_new ();
  roster_user_update_from (self->user, user);
  roster_client_get_ownership_async (client, roster_user_get_id (user), self->cancellable,
                                     ownership_cb, self);
  roster_client_get_restore_window_async (client, self->cancellable, restore_window_cb, self);
  roster_accessibility_name_buttons (GTK_WIDGET (self));
  update (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
