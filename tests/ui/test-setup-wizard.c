/* test-setup-wizard.c: the wizard's real widgets, its validation and its flow
 *
 * The local server is a real rosterd on a temp data dir; the keyring is the headless
 * session's gnome-keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-setup-wizard"

#include "config.h"

#include <glib/gstdio.h>

#include "roster-client.h"
#include "roster-setup-wizard.h"
#include "roster-test-async.h"
#include "roster-ui-test.h"

typedef struct
{
  char *tmp;
  RosterLocalServer *local_server;
  RosterCredentials *credentials;
  RosterSetupWizard *wizard;
  GtkWindow *window;
  RosterClient *completed_client;
  char *completed_user;
  guint completed;
} Fixture;

static void
on_completed_cb (RosterSetupWizard *wizard, RosterClient *client, const char *user_name,
                 gpointer user_data)
{
  Fixture *f = user_data;

  f->completed++;
  g_set_object (&f->completed_client, client);
  g_free (f->completed_user);
  f->completed_user = g_strdup (user_name);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  f->tmp = g_dir_make_tmp ("roster-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (f->tmp, "server", NULL);
  f->local_server = roster_local_server_new (g_getenv ("ROSTERD"), data_dir);
  f->credentials = roster_credentials_new ();
  f->wizard = g_object_ref_sink (g_object_new (ROSTER_TYPE_SETUP_WIZARD, NULL));
  roster_setup_wizard_set_local_server (f->wizard, f->local_server);
  roster_setup_wizard_set_credentials (f->wizard, f->credentials);
  g_signal_connect (f->wizard, "completed", G_CALLBACK (on_completed_cb), f);
  f->window = roster_ui_test_window (GTK_WIDGET (f->wizard));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->tmp);

  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->wizard);
  if (f->completed_client != NULL)
    g_assert_finalize_object (f->completed_client);
  roster_local_server_stop (f->local_server);
  g_assert_finalize_object (f->local_server);
  g_assert_finalize_object (f->credentials);
  g_free (f->completed_user);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->tmp);
}

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *title)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  roster_ui_test_collect (root, type, all);
  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (all, i);
      const char *text = NULL;

      if (ADW_IS_PREFERENCES_ROW (widget))
        text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      else if (GTK_IS_BUTTON (widget))
        text = gtk_button_get_label (GTK_BUTTON (widget));
      else if (GTK_IS_LABEL (widget))
        text = gtk_label_get_label (GTK_LABEL (widget));
      if (g_strcmp0 (text, title) == 0)
        return widget;
    }
  g_error ("no %s “%s”", g_type_name (type), title);
}

#define ROW(f, title) find_widget (GTK_WIDGET ((f)->wizard), ADW_TYPE_PREFERENCES_ROW, title)

static const char *
page (Fixture *f)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "welcome") != NULL)
      return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, i));
  g_error ("no wizard stack");
}

/* The error shown on the current page, if any: each page has its own error label. */
static const char *
shown_error (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_mapped (label))
        return gtk_label_get_label (GTK_LABEL (label));
    }
  return NULL;
}

static void
set_text (Fixture *f, const char *title, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ROW (f, title)), text);
}

static gboolean
can_create (Fixture *f)
{
  return gtk_widget_get_sensitive (
    find_widget (GTK_WIDGET (f->wizard), GTK_TYPE_BUTTON, "Create Administrator"));
}

/* The administrator page's server row (the welcome page has a row of the same title). */
static gboolean
server_ready (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->wizard), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_action_row_get_subtitle (g_ptr_array_index (rows, i)),
                   "Ready. Only this computer can reach it.")
        == 0)
      return TRUE;
  return FALSE;
}

static void
go_to_administrator (Fixture *f)
{
  GtkWidget *local_row = ROW (f, "On This Computer");

  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (local_row, "activated");
  g_assert_cmpstr (page (f), ==, "administrator");
  roster_test_wait_until (server_ready (f), 20);
}

static void
fill_valid (Fixture *f)
{
  set_text (f, "First Name", "Ada");
  set_text (f, "Last Name", "Lovelace");
  set_text (f, "Username", "ada");
  set_text (f, "E-mail", "ada@example.com");
  set_text (f, "Password", "analytical engine");
  set_text (f, "Confirm Password", "analytical engine");
}

static void
test_validation (Fixture *f, gconstpointer data)
{
  go_to_administrator (f);

  /* Nothing typed: nothing to complain about yet, but nothing to send either. */
  g_assert_null (shown_error (f));
  g_assert_false (can_create (f));

  fill_valid (f);
  g_assert_null (shown_error (f));
  g_assert_true (can_create (f));

  set_text (f, "E-mail", "ada at example");
  g_assert_cmpstr (shown_error (f), ==, "Enter an e-mail address such as name@example.com");
  g_assert_true (gtk_widget_has_css_class (ROW (f, "E-mail"), "error"));
  g_assert_false (can_create (f));
  set_text (f, "E-mail", "ada@example.com");
  g_assert_false (gtk_widget_has_css_class (ROW (f, "E-mail"), "error"));

  set_text (f, "Username", "ada lovelace");
  g_assert_cmpstr (shown_error (f), ==,
                   "The username cannot contain spaces or control characters");
  g_assert_false (can_create (f));
  set_text (f, "Username", "ada");

  set_text (f, "Password", "short");
  g_assert_cmpstr (shown_error (f), ==, "The password must be at least 8 characters long");
  set_text (f, "Password", "analytical engine");
  set_text (f, "Confirm Password", "analytical engines");
  g_assert_cmpstr (shown_error (f), ==, "The passwords do not match");
  g_assert_false (can_create (f));
  set_text (f, "Confirm Password", "analytical engine");

  /* A name is needed, either one. */
  set_text (f, "First Name", "");
  set_text (f, "Last Name", "");
  g_assert_false (can_create (f));
  set_text (f, "Last Name", "Lovelace");
  g_assert_true (can_create (f));
  g_assert_null (shown_error (f));
}

static void
test_back_keeps_input (Fixture *f, gconstpointer data)
{
  go_to_administrator (f);
  set_text (f, "First Name", "Ada");
  set_text (f, "Username", "ada");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.back", NULL));
  g_assert_cmpstr (page (f), ==, "welcome");
  g_signal_emit_by_name (ROW (f, "On This Computer"), "activated");
  g_assert_cmpstr (page (f), ==, "administrator");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "First Name"))), ==, "Ada");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Username"))), ==, "ada");
  /* The server is not started twice. */
  g_assert_true (server_ready (f));
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autofree char *token_file = NULL;

  go_to_administrator (f);
  fill_valid (f);
  g_assert_true (can_create (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.create", NULL));
  /* Busy: no second request. */
  g_assert_false (can_create (f));

  roster_test_wait_until (f->completed == 1, 20);
  g_assert_cmpstr (f->completed_user, ==, "ada");
  g_assert_nonnull (roster_client_get_token (f->completed_client));
  /* The password does not linger in the form, and the setup token is spent. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ROW (f, "Password"))), ==, "");
  token_file = g_build_filename (roster_local_server_get_data_dir (f->local_server),
                                 "setup-token", NULL);
  g_assert_false (g_file_test (token_file, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/setup-wizard/validation", Fixture, NULL, fixture_set_up, test_validation,
              fixture_tear_down);
  g_test_add ("/setup-wizard/back-keeps-input", Fixture, NULL, fixture_set_up,
              test_back_keeps_input, fixture_tear_down);
  g_test_add ("/setup-wizard/create", Fixture, NULL, fixture_set_up, test_create,
              fixture_tear_down);

  return g_test_run ();
}
