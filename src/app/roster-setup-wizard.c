/* roster-setup-wizard.c: first-run setup, and "Add Server…" later
 *
 * Welcome → where the accounts live:
 *   - "On this computer" starts the private rosterd at once, in the background, and reads its
 *     setup token itself;
 *   - "Remote server" asks for the address, checks it (GET /setup, then SCIM discovery; a bad
 *     TLS certificate is explained and never accepted), then asks a fresh server for its
 *     setup token, or hands a server that is set up to the sign-in page (::completed with no
 *     username)
 * → the first administrator (live strength meter from libpwquality, a generator). Creating
 * the administrator completes the server's setup and stores the session token in the keyring
 * → "Add your team" (optional: Skip): a RosterTeamTable sent as one SCIM Bulk request by a
 * RosterTeamSender, with invitations or generated first passwords; rows that failed keep
 * their reason and can be sent again → Done: a summary, the accounts (RosterTeamResults) with
 * Export as CSV, and "Start Using Roster", which emits ::completed. Going back keeps what was
 * typed (from Done, the team page shows what was sent; nothing is sent again), and the page
 * and the fields (never a password, a setup token or a first password) are kept in GSettings
 * ("wizard-state"), so that closing Roster mid-way and starting again resumes there.
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
#include "roster-password-strength.h"
#include "roster-server.h"
#include "roster-setup-wizard.h"
#include "roster-team-results.h"
#include "roster-team-sender.h"
#include "roster-team-table.h"
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
  GSettings *settings;
  RosterClient *client;
  char *setup_token;
  char *remote_url; /* the checked address; NULL while the server is the local one */
  GCancellable *cancellable;
  GCancellable *strength_cancellable;
  ServerState server_state;
  gboolean busy;
  gboolean restoring;        /* filling fields from the saved state: nothing to save */
  gboolean password_refused; /* libpwquality refuses the password as typed */
  gboolean filling_generated;
  gboolean remote_setup_required; /* GET /setup's answer for remote_url */
  GHashTable *touched; /* rows the user has typed in: only they show errors */
  RosterTeamSender *sender;
  gboolean resume_team; /* restarted on the team page: sign in from the keyring */

  GtkButton *back_button;
  GtkButton *cancel_button;
  GtkStack *stack;
  AdwEntryRow *url_row;
  GtkSpinner *remote_spinner;
  GtkLabel *remote_error_label;
  AdwPasswordEntryRow *setup_token_row;
  GtkLabel *token_error_label;
  AdwActionRow *strength_row;
  GtkLevelBar *strength_bar;
  GtkLabel *generated_label;
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
  RosterTeamTable *team_table;
  GtkCheckButton *email_check;
  RosterTeamResults *team_results;
  GtkLabel *team_error_label;
  GtkButton *team_done_button;
  GtkButton *send_team_button;
  GtkSpinner *team_spinner;
  AdwStatusPage *done_status;
  RosterTeamResults *done_results;
  GtkButton *start_button;
};

G_DEFINE_FINAL_TYPE (RosterSetupWizard, roster_setup_wizard, GTK_TYPE_WIDGET)

enum
{
  COMPLETED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void go_to         (RosterSetupWizard *self,
                           const char        *page);
static void look_up_token (RosterSetupWizard *self);

static const char *
text_of (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_label (GtkLabel *label, const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
show_error (RosterSetupWizard *self, const char *message)
{
  show_label (self->error_label, message);
}

static const char *
current_page (RosterSetupWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

/* ------------------------------------------------------------- saved state */

/* What was typed and where, so that the wizard resumes after Roster was closed. Never the
 * password, its confirmation or the setup token: those are secrets. */
static void
save_state (RosterSetupWizard *self)
{
  GVariantBuilder builder;
  gboolean remote;
  struct
  {
    const char *key;
    gpointer row;
  } fields[] = {
    { "url", self->url_row },           { "given-name", self->given_name_row },
    { "family-name", self->family_name_row }, { "user-name", self->user_name_row },
    { "email", self->email_row },
  };

  if (self->settings == NULL || self->restoring)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  /* Done resumes on the team page: what was created is in the user list by then, and the
   * first passwords are not kept (nor could they be shown again). */
  g_variant_builder_add (&builder, "{ss}", "page",
                         g_str_equal (current_page (self), "done") ? "team"
                                                                    : current_page (self));
  remote = self->remote_url != NULL || g_str_equal (current_page (self), "remote")
           || g_str_equal (current_page (self), "setup-token");
  g_variant_builder_add (&builder, "{ss}", "kind", remote ? "remote" : "local");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_variant_builder_add (&builder, "{ss}", fields[i].key, text_of (fields[i].row));
  g_settings_set_value (self->settings, "wizard-state", g_variant_builder_end (&builder));
}

static void
forget_state (RosterSetupWizard *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "wizard-state");
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
  if (roster_validate_password (text_of (self->password_row), &checks[2].error)
      && self->password_refused)
    checks[2].error = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_WEAK_PASSWORD,
                                           adw_action_row_get_subtitle (self->strength_row));
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

/* The team page: signed in (after the administrator, or resumed with the stored token). */
static void
update_team (RosterSetupWizard *self)
{
  gboolean busy, signed_in;
  guint created;

  if (self->sender == NULL) /* still in init, or disposed */
    return;
  busy = roster_team_sender_get_busy (self->sender);
  created = roster_team_sender_get_n_created (self->sender);
  signed_in = self->client != NULL && roster_client_get_token (self->client) != NULL;
  gtk_spinner_set_spinning (self->team_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->team_spinner), busy);
  roster_team_table_set_sensitive_rows (self->team_table, signed_in && !busy);
  /* One kind of account per export: invitations or first passwords. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_check), !busy && created == 0);
  if (g_strcmp0 (gtk_button_get_label (self->team_done_button),
                 created > 0 ? _("_Continue") : _("_Skip"))
      != 0)
    {
      gtk_button_set_label (self->team_done_button, created > 0 ? _("_Continue") : _("_Skip"));
      roster_accessibility_name_buttons (gtk_widget_get_parent (
        GTK_WIDGET (self->team_done_button)));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.send-team",
                                 signed_in && !busy
                                   && roster_team_table_get_valid (self->team_table));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.team-done", signed_in && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.add-row", !busy);
}

static void
update_actions (RosterSetupWizard *self)
{
  gboolean valid = validate (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.create",
                                 valid && !self->busy && self->server_state == SERVER_READY);
  /* The administrator exists once the team page shows: there is no going back past it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 !self->busy && g_strcmp0 (current_page (self), "team") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.start-server",
                                 self->server_state == SERVER_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.connect",
                                 !self->busy && *text_of (self->url_row) != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.use-token",
                                 !self->busy && *text_of (self->setup_token_row) != '\0');
  update_team (self);
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

/* ------------------------------------------------------- password strength */

static void
strength_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  int score = roster_password_strength_check_finish (result, &hint, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      /* Not checked here: rosterd checks again on Create. */
      g_debug ("strength: %s", error->message);
      adw_action_row_set_subtitle (self->strength_row, error->message);
      return;
    }
  self->password_refused = score < 0;
  gtk_level_bar_set_value (self->strength_bar, MAX (score, 0));
  adw_action_row_set_subtitle (self->strength_row, hint);
  update_actions (self);
}

static void
check_strength (RosterSetupWizard *self)
{
  const char *password = text_of (self->password_row);

  g_cancellable_cancel (self->strength_cancellable);
  g_clear_object (&self->strength_cancellable);
  self->password_refused = FALSE;
  if (*password == '\0')
    {
      gtk_level_bar_set_value (self->strength_bar, 0);
      adw_action_row_set_subtitle (self->strength_row, NULL);
      return;
    }
  self->strength_cancellable = g_cancellable_new ();
  roster_password_strength_check_async (password, text_of (self->user_name_row),
                                        self->strength_cancellable, strength_cb, self);
}

static void
generated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = roster_password_strength_generate_finish (result, &error);
  g_autofree char *shown = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.generate", TRUE);
  if (password == NULL)
    {
      show_error (self, error->message);
      return;
    }
  self->filling_generated = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), password);
  self->filling_generated = FALSE;
  /* Translators: %s is a generated password */
  shown = g_strdup_printf (_("The new password is %s — write it down or keep it in a password "
                             "manager before you continue."),
                           password);
  show_label (self->generated_label, shown);
}

static void
generate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);

  gtk_widget_action_set_enabled (widget, "wizard.generate", FALSE);
  roster_password_strength_generate_async (self->cancellable, generated_cb, self);
}

static void
on_field_changed_cb (RosterSetupWizard *self, GtkEditable *row)
{
  g_hash_table_add (self->touched, row);
  if (row == GTK_EDITABLE (self->password_row) || row == GTK_EDITABLE (self->user_name_row))
    check_strength (self);
  if ((row == GTK_EDITABLE (self->password_row) || row == GTK_EDITABLE (self->confirm_row))
      && !self->filling_generated)
    show_label (self->generated_label, NULL); /* the shown password is not the one typed */
  update_actions (self);
  save_state (self);
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
      if (self->resume_team)
        go_to (self, "administrator"); /* where the server's state and Try Again are */
      set_server_state (self, SERVER_FAILED, error->message);
      return;
    }
  if (self->resume_team)
    {
      self->resume_team = FALSE;
      if (!required)
        {
          look_up_token (self);
          return;
        }
      /* Not set up after all (its data were removed): from the administrator on. */
      go_to (self, "administrator");
    }
  if (!required)
    {
      /* Set up before (an earlier run that stopped half-way, or another app): sign in. */
      forget_state (self);
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
      if (self->resume_team)
        go_to (self, "administrator");
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
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          !g_str_equal (page, "welcome") && !g_str_equal (page, "team"));
  if (g_str_equal (page, "administrator"))
    {
      if (self->remote_url != NULL)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_row), self->remote_url);
          gtk_widget_set_visible (GTK_WIDGET (self->server_spinner), FALSE);
          gtk_widget_set_visible (GTK_WIDGET (self->server_retry_button), FALSE);
          adw_action_row_set_subtitle (self->server_row, _("Ready to be set up."));
        }
      else
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_row),
                                       _("On This Computer"));
      gtk_widget_grab_focus (GTK_WIDGET (self->given_name_row));
    }
  else if (g_str_equal (page, "remote"))
    gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  else if (g_str_equal (page, "setup-token"))
    gtk_widget_grab_focus (GTK_WIDGET (self->setup_token_row));
  else if (g_str_equal (page, "team") && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_child_focus (GTK_WIDGET (self->team_table), GTK_DIR_TAB_FORWARD);
  else if (g_str_equal (page, "done"))
    gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
  save_state (self);
  update_actions (self);
}

static void
use_local_server (RosterSetupWizard *self)
{
  if (self->remote_url != NULL)
    {
      /* From a remote server back to the local one: its client and token do not apply. */
      g_clear_pointer (&self->remote_url, g_free);
      g_clear_object (&self->client);
      g_clear_pointer (&self->setup_token, g_free);
      self->server_state = SERVER_IDLE;
    }
  go_to (self, "administrator");
  start_server (self);
}

static void
on_local_row_activated_cb (RosterSetupWizard *self)
{
  use_local_server (self);
}

static void
on_remote_row_activated_cb (RosterSetupWizard *self)
{
  go_to (self, "remote");
  update_actions (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);
  const char *page = current_page (self);

  show_error (self, NULL);
  if (g_str_equal (page, "team"))
    return; /* the administrator exists: nothing before it can change */
  if (g_str_equal (page, "done"))
    go_to (self, "team"); /* what was sent, with each row's outcome */
  else if (g_str_equal (page, "administrator") && self->remote_url != NULL)
    go_to (self, "setup-token");
  else if (g_str_equal (page, "setup-token"))
    go_to (self, "remote");
  else
    go_to (self, "welcome");
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);

  forget_state (self);
  roster_setup_wizard_reset (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* ------------------------------------------------------------------ remote */

static void
set_remote_busy (RosterSetupWizard *self, gboolean busy, const char *error)
{
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->remote_spinner), busy);
  gtk_spinner_set_spinning (self->remote_spinner, busy);
  show_label (self->remote_error_label, error);
  update_actions (self);
  if (!busy && error != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

static void
remote_discovery_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_check_discovery_finish (ROSTER_CLIENT (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_remote_busy (self, FALSE, error->message);
      return;
    }
  set_remote_busy (self, FALSE, NULL);
  if (self->remote_setup_required)
    {
      go_to (self, "setup-token");
      update_actions (self);
      return;
    }
  /* Set up already: the window asks for a sign-in. */
  forget_state (self);
  g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
}

static void
remote_setup_required_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean required = FALSE;

  if (!roster_client_get_setup_required_finish (ROSTER_CLIENT (object), result, &required,
                                                &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A SCIM server that is not rosterd has no /setup: discovery decides. */
      if (!g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
        {
          set_remote_busy (self, FALSE, error->message);
          return;
        }
      required = FALSE;
    }
  self->remote_setup_required = required;
  roster_client_check_discovery_async (ROSTER_CLIENT (object), self->cancellable,
                                       remote_discovery_cb, self);
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = roster_server_normalize_url (text_of (self->url_row), &error);

  if (self->busy)
    return;
  if (url == NULL)
    {
      set_remote_busy (self, FALSE, error->message);
      return;
    }
  g_free (self->remote_url);
  self->remote_url = g_steal_pointer (&url);
  g_clear_pointer (&self->setup_token, g_free);
  g_clear_object (&self->client);
  self->client = roster_client_new (self->remote_url);
  self->server_state = SERVER_IDLE;
  set_remote_busy (self, TRUE, NULL);
  roster_client_get_setup_required_async (self->client, self->cancellable,
                                          remote_setup_required_cb, self);
}

static void
on_url_changed_cb (RosterSetupWizard *self)
{
  show_label (self->remote_error_label, NULL);
  update_actions (self);
  save_state (self);
}

static void
on_url_row_entry_activated_cb (RosterSetupWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.connect", NULL);
}

static void
use_token_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);
  g_autofree char *token = g_strstrip (g_strdup (text_of (self->setup_token_row)));

  if (*token == '\0' || self->client == NULL)
    return;
  /* rosterd has no way to check a setup token but to use it: Create does, and a wrong one
   * comes back here with the reason. */
  g_free (self->setup_token);
  self->setup_token = g_steal_pointer (&token);
  self->server_state = SERVER_READY;
  show_label (self->token_error_label, NULL);
  go_to (self, "administrator");
  update_actions (self);
}

static void
on_setup_token_changed_cb (RosterSetupWizard *self)
{
  show_label (self->token_error_label, NULL);
  update_actions (self);
}

static void
on_setup_token_row_entry_activated_cb (RosterSetupWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.use-token", NULL);
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

/* ------------------------------------------------------------------ the team */

/* Signed in as the administrator: the team page, with the roles and teams of the server. */
static void
show_team (RosterSetupWizard *self)
{
  roster_team_sender_set_client (self->sender, self->client);
  go_to (self, "team");
}

static void
resume_token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = roster_credentials_lookup_finish (ROSTER_CREDENTIALS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      /* No keyring, or the token is gone: the window asks for a sign-in. */
      g_debug ("no stored session to resume the team page: %s",
               error != NULL ? error->message : "none stored");
      forget_state (self);
      g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
      return;
    }
  roster_client_set_token (self->client, token);
  show_team (self);
}

/* The administrator's session token, as token_stored_cb() stored it. */
static void
look_up_token (RosterSetupWizard *self)
{
  if (self->credentials == NULL)
    {
      forget_state (self);
      g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
      return;
    }
  roster_credentials_lookup_async (self->credentials,
                                   self->remote_url != NULL ? self->remote_url
                                                            : ROSTER_SERVER_LOCAL_ID,
                                   text_of (self->user_name_row), self->cancellable,
                                   resume_token_cb, self);
}

/* Closed on the team page (or Done) and started again: the administrator exists, and its
 * session token is in the keyring (never in the saved state). The wizard comes back on the
 * team page signed in with it. Rows typed but not sent are not kept across a restart, nor
 * is the list of accounts created before it (the user list has them): keeping them would
 * mean storing the generated first passwords, which live only in memory and in the CSV the
 * user chose. */
static void
resume_team (RosterSetupWizard *self, gboolean remote)
{
  go_to (self, "team");
  if (!remote)
    {
      self->resume_team = TRUE;
      start_server (self);
      return;
    }
  self->remote_url = roster_server_normalize_url (text_of (self->url_row), NULL);
  if (self->remote_url == NULL)
    {
      go_to (self, "welcome");
      return;
    }
  self->client = roster_client_new (self->remote_url);
  look_up_token (self);
}

static void
on_team_changed_cb (RosterSetupWizard *self)
{
  update_actions (self);
}

static void
add_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);

  if (roster_team_table_add_row (self->team_table) == G_MAXUINT)
    show_label (self->team_error_label,
                _("The server takes no more rows at once: create these first"));
}

static void
send_team_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);

  show_label (self->team_error_label, NULL);
  /* Focus leaves the table before it turns insensitive (see set_busy()). */
  gtk_widget_grab_focus (GTK_WIDGET (self->send_team_button));
  roster_team_sender_send (self->sender, !gtk_check_button_get_active (self->email_check));
}

static void
show_done (RosterSetupWizard *self)
{
  guint created = roster_team_sender_get_n_created (self->sender);
  guint invited = roster_team_sender_get_n_invited (self->sender);

  if (created == 0)
    adw_status_page_set_description (
      self->done_status, _("Only your administrator account was created. You can add people "
                           "later from the user list."));
  else
    {
      g_autofree char *accounts = g_strdup_printf (
        ngettext ("%u account created", "%u accounts created", created), created);
      g_autofree char *invitations = g_strdup_printf (
        ngettext ("%u invitation sent", "%u invitations sent", invited), invited);
      /* Translators: "3 accounts created", "2 invitations sent" */
      g_autofree char *text = g_strdup_printf (_("%s, %s."), accounts, invitations);

      adw_status_page_set_description (self->done_status, text);
    }
  go_to (self, "done");
}

static void
on_team_sent_cb (RosterSetupWizard *self, guint created, guint sent, const char *problem)
{
  update_actions (self);
  show_label (self->team_error_label, problem);
  /* Everyone created: on to Done. Otherwise the failed rows say why, to be sent again. */
  if (problem == NULL && created == sent)
    show_done (self);
}

static void
team_done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_done (ROSTER_SETUP_WIZARD (widget));
}

/* Done: nothing to resume any more. */
static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSetupWizard *self = ROSTER_SETUP_WIZARD (widget);
  g_autofree char *user_name = g_strdup (text_of (self->user_name_row));

  forget_state (self);
  g_signal_emit (self, signals[COMPLETED], 0, self->client, user_name);
}

static void
token_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSetupWizard *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_credentials_store_finish (ROSTER_CREDENTIALS (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  show_team (self);
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
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SETUP_TOKEN))
        {
          /* Back to where the token is typed, with the reason. */
          g_clear_pointer (&self->setup_token, g_free);
          self->server_state = SERVER_IDLE;
          go_to (self, "setup-token");
          show_label (self->token_error_label, error->message);
          update_actions (self);
          return;
        }
      show_error (self, error->message);
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_SETUP_COMPLETE))
        {
          forget_state (self);
          g_signal_emit (self, signals[COMPLETED], 0, self->client, NULL);
        }
      return;
    }

  /* The setup token is spent; forget it and the password. */
  g_clear_pointer (&self->setup_token, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->setup_token_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  show_label (self->generated_label, NULL);
  g_hash_table_remove_all (self->touched);
  roster_credentials_store_async (self->credentials,
                                  self->remote_url != NULL ? self->remote_url
                                                           : ROSTER_SERVER_LOCAL_ID,
                                  text_of (self->user_name_row),
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
  g_cancellable_cancel (self->strength_cancellable);
  g_clear_object (&self->strength_cancellable);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SETUP_WIZARD);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->local_server);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->setup_token, g_free);
  g_clear_pointer (&self->remote_url, g_free);

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
  /**
   * RosterSetupWizard::cancelled:
   *
   * The user left the wizard with Cancel (shown only with
   * roster_setup_wizard_set_can_cancel(), when another server is there to go back to).
   */
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ROSTER_TYPE_TEAM_TABLE);
  g_type_ensure (ROSTER_TYPE_TEAM_RESULTS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-setup-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, url_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, remote_spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, remote_error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, setup_token_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, token_error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, strength_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, generated_label);
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
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, team_table);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, email_check);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, team_results);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, team_error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, team_done_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, send_team_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, team_spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, done_status);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, done_results);
  gtk_widget_class_bind_template_child (widget_class, RosterSetupWizard, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_team_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_local_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remote_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_url_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_token_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_row_entry_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "wizard.use-token", NULL, use_token_action);
  gtk_widget_class_install_action (widget_class, "wizard.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "wizard.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "wizard.start-server", NULL,
                                   start_server_action);
  gtk_widget_class_install_action (widget_class, "wizard.add-row", NULL, add_row_action);
  gtk_widget_class_install_action (widget_class, "wizard.send-team", NULL, send_team_action);
  gtk_widget_class_install_action (widget_class, "wizard.team-done", NULL, team_done_action);
  gtk_widget_class_install_action (widget_class, "wizard.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
}

static void
roster_setup_wizard_init (RosterSetupWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_track_stack (self->stack);
  roster_accessibility_name_buttons (GTK_WIDGET (self));
  roster_accessibility_name_password_row (self->password_row);
  roster_accessibility_name_password_row (self->confirm_row);
  roster_accessibility_name_password_row (self->setup_token_row);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_LOW, 40);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 70);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_FULL, 100);
  self->cancellable = g_cancellable_new ();
  self->touched = g_hash_table_new (NULL, NULL);
  self->sender = roster_team_sender_new (self->team_table);
  g_signal_connect_swapped (self->sender, "sent", G_CALLBACK (on_team_sent_cb), self);
  g_signal_connect_swapped (self->sender, "notify::busy", G_CALLBACK (update_actions), self);
  roster_team_table_set_max_rows (self->team_table, ROSTER_TEAM_MAX_ROWS);
  /* Three rows to start with, as "Add Several Users" has. */
  roster_team_table_add_row (self->team_table);
  roster_team_table_add_row (self->team_table);
  roster_team_results_set_sender (self->team_results, self->sender);
  roster_team_results_set_sender (self->done_results, self->sender);
  /* The Done page says how many itself. */
  roster_team_results_set_show_summary (self->done_results, FALSE);
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

/* Fills the fields and goes to the page of the saved state, if any. */
static void
restore_state (RosterSetupWizard *self)
{
  g_autoptr(GVariant) state = NULL;
  const char *page = "welcome", *kind = "local";
  struct
  {
    const char *key;
    gpointer row;
  } fields[] = {
    { "url", self->url_row },           { "given-name", self->given_name_row },
    { "family-name", self->family_name_row }, { "user-name", self->user_name_row },
    { "email", self->email_row },
  };

  if (self->settings == NULL)
    {
      go_to (self, "welcome");
      return;
    }
  state = g_settings_get_value (self->settings, "wizard-state");
  g_variant_lookup (state, "page", "&s", &page);
  g_variant_lookup (state, "kind", "&s", &kind);
  self->restoring = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = NULL;

      if (g_variant_lookup (state, fields[i].key, "&s", &value)
          && g_strcmp0 (text_of (fields[i].row), value) != 0)
        gtk_editable_set_text (GTK_EDITABLE (fields[i].row), value);
    }
  g_hash_table_remove_all (self->touched);

  if (g_str_equal (page, "team"))
    resume_team (self, g_str_equal (kind, "remote"));
  else if (g_str_equal (page, "administrator") && g_str_equal (kind, "local"))
    use_local_server (self);
  else if (g_str_equal (kind, "remote")
           && (g_str_equal (page, "remote") || g_str_equal (page, "setup-token")
               || g_str_equal (page, "administrator")))
    {
      go_to (self, "remote");
      /* Past the address already: check it again and go on (the setup token is not kept). */
      if (!g_str_equal (page, "remote") && *text_of (self->url_row) != '\0')
        {
          update_actions (self);
          gtk_widget_activate_action (GTK_WIDGET (self), "wizard.connect", NULL);
        }
    }
  else
    go_to (self, "welcome");
  self->restoring = FALSE;
  update_actions (self);
}

/**
 * roster_setup_wizard_set_settings:
 * @settings: the app's settings, where the wizard keeps where it was
 *
 * roster_setup_wizard_reset() then resumes where the wizard was left, if it was. (Not at
 * once: the window may not show the wizard at all, and resuming starts servers.)
 */
void
roster_setup_wizard_set_settings (RosterSetupWizard *self, GSettings *settings)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));
  g_set_object (&self->settings, settings);
}

/* Shows Cancel, for "Add Server…" while another server is there to go back to. */
void
roster_setup_wizard_set_can_cancel (RosterSetupWizard *self, gboolean can_cancel)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), can_cancel);
}

/* The address of the remote server the wizard set up or checked, or NULL for the local one. */
const char *
roster_setup_wizard_get_remote_url (RosterSetupWizard *self)
{
  g_return_val_if_fail (ROSTER_IS_SETUP_WIZARD (self), NULL);
  return self->remote_url;
}

/**
 * roster_setup_wizard_reset:
 *
 * Starts again where the saved state says (the welcome page when there is none), e.g. after
 * the server was removed. Requests under way are cancelled; typed names are kept.
 */
void
roster_setup_wizard_reset (RosterSetupWizard *self)
{
  g_return_if_fail (ROSTER_IS_SETUP_WIZARD (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  self->resume_team = FALSE;
  /* A new run: no rows, no accounts (nor their first passwords) of the last one. */
  roster_team_sender_clear (self->sender);
  roster_team_sender_set_client (self->sender, NULL);
  roster_team_table_clear (self->team_table);
  roster_team_table_add_row (self->team_table);
  roster_team_table_add_row (self->team_table);
  show_label (self->team_error_label, NULL);
  set_remote_busy (self, FALSE, NULL);
  g_clear_pointer (&self->remote_url, g_free);
  g_clear_pointer (&self->setup_token, g_free);
  g_clear_object (&self->client);
  set_server_state (self, SERVER_IDLE, _("Starting…"));
  restore_state (self);
}
