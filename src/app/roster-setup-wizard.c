/* roster-setup-wizard.c: first-run setup
 *
 * Welcome → where the accounts live ("On this computer" starts the private rosterd at once,
 * in the background) → the first administrator. Creating the administrator completes the
 * server's setup with its one-time token, stores the session token in the keyring and emits
 * ::completed. Going back keeps what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-client.h"
#include "roster-error.h"
#include "roster-setup-wizard.h"
#include "roster-validation.h"

typedef enum
{
  SERVER_IDLE,
  SERVER_STARTING,
  SERVER_READY,
  SERVER_FAILED,
} ServerState;

struct _RosterSetupWizard
{
  GtkWidget parent_instance;

  RosterLocalServer *local_server;
  RosterCredentials *credentials;
  RosterClient *client;
  char *setup_token;
  GCancellable *cancellable;
  ServerState server_state;
  gboolean busy;
  GHashTable *touched; /* rows the user has typed in: only they show errors */

  GtkButton *back_button;
  GtkStack *stack;
  AdwActionRow *server_row;
  GtkSpinner *server_spinner;
  GtkButton *server_retry_button;
  AdwEntryRow *given_name_row;
  AdwEntryRow *family_name_row;
  AdwEntryRow *user_name_row;
  AdwEntryRow *email_row;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  GtkLabel *error_label;
  GtkButton *create_button;
};

G_DEFINE_FINAL_TYPE (RosterSetupWizard, roster_setup_wizard, GTK_TYPE_WIDGET)

enum
{
  COMPLETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (RosterSetupWizard *self, const char *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Checks every field; shows the first problem among the fields the user has touched.
 * Returns whether the form can be sent. */
static gboolean
validate (RosterSetupWizard *self)
{
  g_autoptr(GError) first = NULL;
  gboolean valid = TRUE;
  struct
  {
    gpointer row;
    GError *error;
  } checks[4] = { { self->user_name_row, NULL }, { self->email_row, NULL },
                  { self->password_row, NULL }, { self->confirm_row, NULL } };

  roster_validate_user_name (text_of (self->user_name_row), &checks[0].error);
  roster_validate_email (text_of (self->email_row), &checks[1].error);
  roster_validate_password (text_of (self->password_row), &checks[2].error);
  if (g_strcmp0 (text_of (self->password_row), text_of (self->confirm_row)) != 0)
    checks[3].error = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                                           _("The passwords do not match"));

  if (*text_of (self->given_name_row) == '\0' && *text_of (self->family_name_row) == '\0')
    valid = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      gboolean touched = g_hash_table_contains (self->touched, checks[i].row);

      if (checks[i].error != NULL)
        valid = FALSE;
      roster_accessibility_set_invalid (GTK_WIDGET (checks[i].row),
                                        touched && checks[i].error != NULL);
      if (touched && checks[i].error != NULL && first == NULL)
        first = g_steal_pointer (&checks[i].error);
      g_clear_error (&checks[i].error);
    }
  show_error (self, first != NULL ? first->message : NULL);
  return valid;
}

static void
update_actions (RosterSetupWizard *self)
{
  gboolean valid = validate (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.create",
                                 valid && !self->busy && self->server_state == SERVER_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.start-server",
                                 self->server_state == SERVER_FAILED);
}

static void
set_server_state (RosterSetupWizard *self, ServerState state, const char *message)
{
  self->server_state = state;
  gtk_spinner_set_spinning (self->server_spinner, state == SERVER_STARTING);
  gtk_widget_set_visible (GTK_WIDGET (self->server_spinner), state == SERVER_STARTING);
  gtk_widget_set_visible (GTK_WIDGET (self->server_retry_button), state == SERVER_FAILED);
  adw_action_row_set_subtitle (self->server_row, message);
  update_actions (self);
}

static void
on_field_changed_cb (RosterSetupWizard *self, GtkEditable *row)
{
  g_hash_table_add (self->touched, row);
  update_actions (self);
}

/* --------------------------------------------------------------- the server */

static void
setup_token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = roster_local_server_read_setup_token_finish (ROSTER_LOCAL_SERVER (object), result,
                                                       &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      g_debug ("no setup token: %s", error != NULL ? error->message : "file missing");
      set_server_state (self, SERVER_FAILED,
                        _("The server’s setup token cannot be read. Try again."));
      return;
    }
  g_free (self->setup_token);
  self->setup_token = g_steal_pointer (&token);
  set_server_state (self, SERVER_READY, _("Ready. Only this computer can reach it."));
}

static void
setup_required_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean required = TRUE;

  if (!roster_client_get_setup_required_finish (ROSTER_CLIENT (object), result, &required,
                                                &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_server_state (self, SERVER_FAILED, error->message);
      return;
    }
  if (!required)
    {
      /* Set up before (an earlier run that stopped half-way, or another app): sign in. */
      g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
      return;
    }
  roster_local_server_read_setup_token_async (self->local_server, self->cancellable,
                                              setup_token_cb, self);
}

static void
server_started_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_local_server_start_finish (ROSTER_LOCAL_SERVER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_server_state (self, SERVER_FAILED, error->message);
      return;
    }
  g_clear_object (&self->client);
  self->client = roster_client_new (roster_local_server_get_base_url (self->local_server));
  roster_client_get_setup_required_async (self->client, self->cancellable, setup_required_cb,
                                          self);
}

static void
start_server (RosterSetupWizard *self)
{
  if (self->server_state == SERVER_STARTING || self->server_state == SERVER_READY)
    return;
  g_return_if_fail (self->local_server != NULL);
  set_server_state (self, SERVER_STARTING, _("Starting…"));
  roster_local_server_start_async (self->local_server, self->cancellable, server_started_cb,
                                   self);
}

static void
start_server_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  start_server (ROSTER_SETUP_WIZARD (widget));
}

/* ------------------------------------------------------------------ navigation */

static void
go_to (RosterSetupWizard *self, const char *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_str_equal (page, "administrator"));
  if (g_str_equal (page, "administrator"))
    gtk_widget_grab_focus (GTK_WIDGET (self->given_name_row));
}

static void
on_local_row_activated_cb (RosterSetupWizard *self)
{
  go_to (self, "administrator");
  start_server (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  go_to (ROSTER_SETUP_WIZARD (widget), "welcome");
}

/* ------------------------------------------------------------------ create */

static void
set_busy (RosterSetupWizard *self, gboolean busy)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->given_name_row), GTK_WIDGET (self->family_name_row),
                        GTK_WIDGET (self->user_name_row), GTK_WIDGET (self->email_row),
                        GTK_WIDGET (self->password_row), GTK_WIDGET (self->confirm_row) };

  self->busy = busy;
  /* Focus leaves the form before it turns insensitive: GTK 4.8 warns about a focused GtkText
   * that loses focus without a focus-out otherwise. */
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !busy);
  update_actions (self);
}

static void
token_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_name = NULL;

  if (!roster_credentials_store_finish (ROSTER_CREDENTIALS (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  user_name = g_strdup (text_of (self->user_name_row));
  set_busy (self, FALSE);
  g_signal_emit (self, signals[COMPLETED], 0, self->client, user_name);
}

static void
setup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_setup_finish (ROSTER_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_SETUP_COMPLETE))
        g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
      return;
    }

  /* The setup token is spent; forget it and the password. */
  g_clear_pointer (&self->setup_token, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  g_hash_table_remove_all (self->touched);
  roster_credentials_store_async (self->credentials, "local", text_of (self->user_name_row),
                                  roster_client_get_token (self->client), self->cancellable,
                                  token_stored_cb, self);
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);
  g_autoptr(RosterUser) user = NULL;
  g_autofree char *given_name = NULL;
  g_autofree char *family_name = NULL;

  /* Show every problem now, even in fields not typed in yet. */
  g_hash_table_add (self->touched, self->user_name_row);
  g_hash_table_add (self->touched, self->email_row);
  g_hash_table_add (self->touched, self->password_row);
  g_hash_table_add (self->touched, self->confirm_row);
  if (!validate (self) || self->busy || self->server_state != SERVER_READY)
    return;

  user = roster_user_new ();
  given_name = g_strstrip (g_strdup (text_of (self->given_name_row)));
  family_name = g_strstrip (g_strdup (text_of (self->family_name_row)));
  roster_user_set_given_name (user, given_name);
  roster_user_set_family_name (user, family_name);
  roster_user_set_user_name (user, text_of (self->user_name_row));
  roster_user_set_email (user, text_of (self->email_row));
  roster_user_set_administrator (user, TRUE);

  set_busy (self, TRUE);
  roster_client_setup_async (self->client, self->setup_token, user,
                             text_of (self->password_row), self->cancellable, setup_cb, self);
}

static void
on_confirm_row_entry_activated_cb (RosterSetupWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.create", NULL);
}

/* ------------------------------------------------------------------ GObject */

static void
roster_setup_wizard_dispose (GObject *object)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SETUP_WIZARD);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->local_server);
  g_clear_object (&self->credentials);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->setup_token, g_free);

  G_OBJECT_CLASS (roster_setup_wizard_parent_class)->dispose (object);
}

static void
roster_setup_wizard_class_init (RosterSetupWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_setup_wizard_dispose;

  /**
   * RosterSetupWizard::completed:
   * @client: a client for the server that was set up
   * @user_name: (nullable): the administrator, now signed in; %NULL if the server had been
   *   set up before and the user must sign in
   */
  signals[COMPLETED] = g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, ROSTER_TYPE_CLIENT,
                                     G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-setup-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, server_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, server_spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, server_retry_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, given_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, family_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, email_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_local_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_row_entry_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "wizard.start-server", NULL,
                                   start_server_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
}

static void
roster_setup_wizard_init (RosterSetupWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_track_stack (self->stack);
  roster_accessibility_name_password_row (self->password_row);
  roster_accessibility_name_password_row (self->confirm_row);
  self->cancellable = g_cancellable_new ();
  self->touched = g_hash_table_new (NULL, NULL);
  update_actions (self);
}

void
roster_setup_wizard_set_local_server (RosterSetupWizard *self, RosterLocalServer *local_server)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));
  g_set_object (&self->local_server, local_server);
}

void
roster_setup_wizard_set_credentials (RosterSetupWizard *self, RosterCredentials *credentials)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));
  g_set_object (&self->credentials, credentials);
}

/**
 * roster_setup_wizard_reset:
 *
 * Back to the welcome page, e.g. after the server was removed. Typed names are kept.
 */
void
roster_setup_wizard_reset (RosterSetupWizard *self)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  set_server_state (self, SERVER_IDLE, _("Starting…"));
  go_to (self, "welcome");
}
