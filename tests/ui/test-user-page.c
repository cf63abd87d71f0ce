/* test-user-page.c: editing a user, saving, and a real 412 from a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-user-page"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "roster-error.h"
#include "roster-manager-row.h"
#include "roster-scim.h"
#include "roster-user-picker.h"
#include "roster-user-security-group.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"
#include "roster-user-page.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterUser *grace;
  RosterUserPage *page;
  GtkWindow *window;
  guint saved;
  guint failed;
} Fixture;

static void
on_saved_cb (RosterUserPage *page, RosterUser *user, gpointer user_data)
{
  Fixture *f = user_data;

  f->saved++;
}

static void
on_failed_cb (RosterUserPage *page, GError *error, gpointer user_data)
{
  Fixture *f = user_data;

  g_test_message ("the page says: %s", error->message);
  f->failed++;
}

static char *failed_message;

static void
on_failed_message_cb (RosterUserPage *page, GError *error, gpointer user_data)
{
  g_free (failed_message);
  failed_message = g_strdup (error->message);
}

static char *
server_get (Fixture *f, const char *id)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
  guint status = 0;
  char *body = roster_test_server_request (f->server, "GET", path, f->token, NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return body;
}

/* Someone else's save, straight to the server. */
static void
server_patch (Fixture *f, const char *path_in_user, const char *value)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (f->grace), NULL);
  g_autofree char *body = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
    "\"Operations\":[{\"op\":\"replace\",\"path\":\"%s\",\"value\":\"%s\"}]}",
    path_in_user, value);
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "PATCH", path, f->token,
                                                       "application/scim+json", body, &status);

  g_assert_cmpuint (status, ==, 200);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) grace = roster_user_new ();

  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  roster_user_set_user_name (grace, "grace");
  roster_user_set_given_name (grace, "Grace");
  roster_user_set_family_name (grace, "Hopper");
  roster_user_set_email (grace, "grace@example.com");
  roster_client_create_user_async (f->client, grace, NULL, NULL, roster_test_async_cb, &result);
  f->grace = roster_client_create_user_finish (f->client, roster_test_wait_result (&result),
                                               &error);
  g_assert_no_error (error);

  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_USER_PAGE, NULL));
  g_signal_connect (f->page, "saved", G_CALLBACK (on_saved_cb), f);
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_cb), f);
  roster_user_page_set_client (f->page, f->client);
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->page);
  g_assert_finalize_object (f->grace);
  g_assert_finalize_object (f->client);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static GtkWidget *
find_row (Fixture *f, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no row %s", title);
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  roster_ui_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static void
load (Fixture *f)
{
  RosterUser *first;

  roster_user_page_show_user (f->page, f->grace);
  /* The page shows a copy at once, then fetches the user again: wait for the fetched one. */
  first = roster_user_page_get_user (f->page);
  g_assert_nonnull (first);
  roster_test_wait_until (roster_user_page_get_user (f->page) != first, 10);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Last Name"))), ==,
                   "Hopper");
}

static void
test_edit_and_save (Fixture *f, gconstpointer data)
{
  GtkWidget *save;
  g_autofree char *stored = NULL;

  load (f);
  save = find_button (GTK_WIDGET (f->page), "Save");
  g_assert_false (gtk_widget_get_visible (save));

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Last Name")), "Brewster Hopper");
  g_assert_true (gtk_widget_get_visible (save));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* A bad e-mail cannot be saved. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "E-mail")), "not an address");
  g_assert_true (gtk_widget_has_css_class (find_row (f, "E-mail"), "error"));
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "E-mail")), "grace@example.com");
  g_assert_true (gtk_widget_get_sensitive (save));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);
  g_assert_false (gtk_widget_get_visible (save));
  stored = server_get (f, roster_user_get_id (f->grace));
  g_assert_nonnull (strstr (stored, "\"familyName\":\"Brewster Hopper\""));
}

/* Both sides change something; each choice of the dialog ends as it says. */
static void
conflict (Fixture *f, const char *response, const char *their_field, const char *their_value,
          const char *expect_given, const char *expect_family)
{
  g_autofree char *stored = NULL;
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;
  GtkWindow *dialog = NULL;
  GListModel *toplevels; /* owned by GTK */

  load (f);
  server_patch (f, their_field, their_value);
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Last Name")), "Mine");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));

  /* The save comes back 412: the conflict dialog opens over the window. */
  toplevels = gtk_window_get_toplevels ();
  roster_test_wait_until (g_list_model_get_n_items (toplevels) == 2, 10);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        dialog = window;
    }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  /* The dialog closes itself after a response. */

  if (g_str_equal (response, "theirs"))
    roster_test_wait_until (
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Last Name"))), "Mine") != 0,
      10);
  else
    roster_test_wait_until (f->saved == 1, 10);

  stored = server_get (f, roster_user_get_id (f->grace));
  given = g_strdup_printf ("\"givenName\":\"%s\"", expect_given);
  family = g_strdup_printf ("\"familyName\":\"%s\"", expect_family);
  if (strstr (stored, given) == NULL)
    g_test_message ("stored: %s", stored);
  g_assert_nonnull (strstr (stored, given));
  g_assert_nonnull (strstr (stored, family));
}

static void
test_conflict_keep_mine (Fixture *f, gconstpointer data)
{
  /* They changed the same field: mine wins, theirs elsewhere stays. */
  conflict (f, "mine", "name.familyName", "Theirs", "Grace", "Mine");
}

static void
test_conflict_take_theirs (Fixture *f, gconstpointer data)
{
  conflict (f, "theirs", "name.familyName", "Theirs", "Grace", "Theirs");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Last Name"))), ==,
                   "Theirs");
}

static void
test_conflict_merge (Fixture *f, gconstpointer data)
{
  /* They changed the first name, I the last: merge keeps both. */
  conflict (f, "merge", "name.givenName", "Amazing Grace", "Amazing Grace", "Mine");
}

static guint created;

static void
on_created_cb (RosterUserPage *page, RosterUser *user, gpointer user_data)
{
  created++;
}

static void
test_create_and_duplicate (Fixture *f, gconstpointer data)
{
  g_autofree char *list = NULL;
  guint status = 0;

  created = 0;
  g_signal_connect (f->page, "created", G_CALLBACK (on_created_cb), NULL);

  /* Duplicate an administrator: the new user gets the access, not the identity. */
  load (f);
  {
    g_autoptr(GPtrArray) switches = g_ptr_array_new ();

    roster_ui_test_collect (find_row (f, "Administrator"), GTK_TYPE_SWITCH, switches);
    g_assert_cmpuint (switches->len, ==, 1);
    gtk_switch_set_active (g_ptr_array_index (switches, 0), TRUE);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.duplicate", NULL));
  g_assert_true (roster_user_page_get_creating (f->page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Username"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "E-mail"))), ==, "");
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (f->page), "Create")));

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "First Name")), "Katherine");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Last Name")), "Johnson");
  /* A taken username comes back from the server as an error on the field. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Username")), "GRACE");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "First Password")), "orbital mechanics");
  g_assert_true (gtk_widget_get_sensitive (find_button (GTK_WIDGET (f->page), "Create")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  /* The page may say so before the server does (it checks as you type): wait for both. */
  roster_test_wait_until (f->failed == 1, 10);
  g_assert_true (gtk_widget_has_css_class (find_row (f, "Username"), "error"));
  g_assert_cmpuint (created, ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Username")), "katherine");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (created == 1, 10);
  g_assert_false (roster_user_page_get_creating (f->page));
  g_assert_true (roster_user_get_administrator (roster_user_page_get_user (f->page)));

  list = roster_test_server_request (f->server, "GET",
                                     "/scim/v2/Users?filter=userName%20eq%20%22katherine%22",
                                     f->token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (list, "\"totalResults\":1"));
  g_assert_nonnull (strstr (list, "\"familyName\":\"Johnson\""));
  g_assert_null (strstr (list, "grace@example.com"));
}

static RosterUser *
create_linus (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) linus = roster_user_new ();
  RosterUser *made;

  roster_user_set_user_name (linus, "linus");
  roster_user_set_display_name (linus, "Linus Torvalds");
  roster_client_create_user_async (f->client, linus, NULL, NULL, roster_test_async_cb, &result);
  made = roster_client_create_user_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return made;
}

static gboolean
save_enabled (Fixture *f)
{
  return gtk_widget_get_sensitive (find_button (GTK_WIDGET (f->page), "Save"));
}

/* Fields validate as they are typed: formats at once, the username against the server. */
static void
test_validation (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterUser) linus = create_linus (f);
  GtkWidget *mobile, *user_name;

  load (f);
  mobile = find_row (f, "Mobile");
  user_name = find_row (f, "Username");

  gtk_editable_set_text (GTK_EDITABLE (mobile), "call me");
  g_assert_true (gtk_widget_has_css_class (mobile, "error"));
  g_assert_false (save_enabled (f));
  gtk_editable_set_text (GTK_EDITABLE (mobile), "+1 555 0100");
  g_assert_false (gtk_widget_has_css_class (mobile, "error"));
  g_assert_true (save_enabled (f));

  /* Someone else's name, in other case: the server says so after a short pause. */
  gtk_editable_set_text (GTK_EDITABLE (user_name), "LINUS");
  g_assert_false (gtk_widget_has_css_class (user_name, "error"));
  /* Generous: the check waits for a pause in typing, then asks the server, and the test
   * machine may be busy with other suites. */
  roster_test_wait_until (gtk_widget_has_css_class (user_name, "error")
                            || g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (user_name)),
                                          "LINUS") != 0,
                          30);
  /* The typed name must still be there: nothing may overwrite an edit in progress. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_name)), ==, "LINUS");
  g_assert_true (gtk_widget_has_css_class (user_name, "error"));
  g_assert_false (save_enabled (f));
  /* A free name, and one's own, are fine. */
  gtk_editable_set_text (GTK_EDITABLE (user_name), "ghopper");
  g_assert_false (gtk_widget_has_css_class (user_name, "error"));
  gtk_editable_set_text (GTK_EDITABLE (user_name), "grace");
  g_assert_false (gtk_widget_has_css_class (user_name, "error"));
  /* A malformed one needs no server. */
  gtk_editable_set_text (GTK_EDITABLE (user_name), "grace hopper");
  g_assert_true (gtk_widget_has_css_class (user_name, "error"));
  gtk_editable_set_text (GTK_EDITABLE (user_name), "grace");
  g_assert_true (save_enabled (f));
}

static void
select_code (GtkWidget *row, const char *code)
{
  GPtrArray *codes = g_object_get_data (G_OBJECT (row), "codes");

  g_assert_nonnull (codes);
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (codes->pdata[i], code) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
        return;
      }
  g_error ("no %s offered", code);
}

static gboolean
offers (GtkWidget *row, const char *code)
{
  GPtrArray *codes = g_object_get_data (G_OBJECT (row), "codes");

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    if (g_strcmp0 (codes->pdata[i], code) == 0)
      return TRUE;
  return FALSE;
}

/* About, Contact and the work address are saved in one PATCH and read back from the server. */
static void
test_about_and_contact (Fixture *f, gconstpointer data)
{
  static const char *const texts[][3] = {
    { "Employment ID", "E-1906", "\"employeeNumber\":\"E-1906\"" },
    { "Department", "Navy", "\"department\":\"Navy\"" },
    { "Mobile", "+1 555 0100", "\"value\":\"+1 555 0100\",\"type\":\"mobile\"" },
    { "Skype", "amazing.grace", "\"value\":\"amazing.grace\",\"type\":\"skype\"" },
    { "Street", "1 Cobol Way", "\"streetAddress\":\"1 Cobol Way\"" },
    { "City", "Arlington", "\"locality\":\"Arlington\"" },
    { "Postal Code", "22201", "\"postalCode\":\"22201\"" },
  };
  g_autofree char *stored = NULL;

  load (f);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    gtk_editable_set_text (GTK_EDITABLE (find_row (f, texts[i][0])), texts[i][1]);
  /* Languages and countries by name, once iso-codes is read. */
  roster_test_wait_until (offers (find_row (f, "Language"), "de"), 10);
  select_code (find_row (f, "Language"), "de");
  select_code (find_row (f, "Country"), "US");
  select_code (find_row (f, "Address Country"), "US");
  g_assert_true (save_enabled (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);

  stored = server_get (f, roster_user_get_id (f->grace));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (strstr (stored, texts[i][2]) == NULL)
        g_test_message ("stored: %s", stored);
      g_assert_nonnull (strstr (stored, texts[i][2]));
    }
  g_assert_nonnull (strstr (stored, "\"preferredLanguage\":\"de\""));
  g_assert_nonnull (strstr (stored, "\"country\":\"US\""));
  /* Saved means nothing is left to save, and the page shows what the server has. */
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (f->page), "Save")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "City"))), ==,
                   "Arlington");
}

static RosterUserPicker *
find_picker (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ROSTER_IS_USER_PICKER (window))
        return ROSTER_USER_PICKER (window);
    }
  return NULL;
}

static gboolean
first_has_id (GListModel *model)
{
  g_autoptr(RosterUser) first = g_list_model_get_item (model, 0);

  return first != NULL && roster_user_get_id (first) != NULL;
}

/* The user picker searches the server, never offers the user being edited, and its choice
 * is saved as the manager. */
static void
test_manager_picker (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterUser) linus = create_linus (f);
  RosterManagerRow *row;
  RosterUserPicker *picker;
  GListModel *model;
  g_autofree char *stored = NULL;
  g_autofree char *expected = NULL;

  load (f);
  row = ROSTER_MANAGER_ROW (find_row (f, "Primary Manager"));
  g_assert_null (roster_manager_row_get_user_id (row));
  g_assert_nonnull (roster_manager_row_choose (row));
  picker = find_picker ();
  g_assert_nonnull (picker);
  model = roster_user_picker_get_model (picker);
  /* Everyone but Grace herself: the administrator and Linus. */
  roster_test_wait_until (g_list_model_get_n_items (model) == 2, 10);
  roster_test_wait_until (first_has_id (model), 10);
  /* One search: the rows stay those users (a second search for the same text would replace
   * every row under the pointer, past the entry's 250 ms delay). */
  {
    g_autoptr(RosterUser) before = g_list_model_get_item (model, 0);
    g_autoptr(RosterUser) after = NULL;
    gboolean waited = FALSE;

    g_timeout_add (600, roster_test_flag_cb, &waited);
    roster_test_wait_until (waited, 5);
    after = g_list_model_get_item (model, 0);
    g_assert_true (after == before);
  }

  roster_user_picker_set_search (picker, "torv");
  roster_test_wait_until (g_list_model_get_n_items (model) == 1, 10);
  roster_test_wait_until (first_has_id (model), 10);
  {
    g_autoptr(RosterUser) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (roster_user_get_user_name (first), ==, "linus");
  }
  roster_user_picker_choose (picker, 0);
  roster_test_wait_until (find_picker () == NULL, 10);
  g_assert_cmpstr (roster_manager_row_get_user_id (row), ==, roster_user_get_id (linus));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Linus Torvalds");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);
  stored = server_get (f, roster_user_get_id (f->grace));
  expected = g_strdup_printf ("\"value\":\"%s\"", roster_user_get_id (linus));
  g_assert_nonnull (strstr (stored, expected));
  g_assert_nonnull (strstr (stored, "\"displayName\":\"Linus Torvalds\""));
}

static guint actions_done;

static void
on_action_done_cb (RosterUserPage *page, RosterUser *user, const char *message, gpointer data)
{
  actions_done++;
}

/* Set Password asks first, refuses a short one, and the server then says the user must
 * change it. */
static void
test_set_password (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  GtkWindow *dialog;
  GtkEditable *entry;
  g_autofree char *stored = NULL;

  actions_done = 0;
  g_signal_connect (f->page, "action-done", G_CALLBACK (on_action_done_cb), NULL);
  load (f);
  roster_ui_test_collect (GTK_WIDGET (f->page), ROSTER_TYPE_USER_SECURITY_GROUP, groups);
  g_assert_cmpuint (groups->len, ==, 1);
  dialog = roster_user_security_group_ask (groups->pdata[0], "set-password");
  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  gtk_editable_set_text (entry, "short");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "set"));
  gtk_editable_set_text (entry, "compiler pioneer 1952");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "set"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "set");
  roster_test_wait_until (actions_done == 1, 10);
  stored = server_get (f, roster_user_get_id (f->grace));
  g_assert_nonnull (strstr (stored, "\"mustChangePassword\":true"));
  g_assert_true (roster_user_get_must_change_password (roster_user_page_get_user (f->page)));
}

static RosterRole *
create_role (Fixture *f, const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RosterRole *role;

  roster_client_create_role_async (f->client, name, NULL, NULL, roster_test_async_cb, &result);
  role = roster_client_role_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return role;
}

static RosterGroup *
create_group (Fixture *f, const char *name, gboolean team, const char *member_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterGroup) group = NULL;
  RosterGroup *joined;

  roster_client_create_group_async (f->client, name, team, NULL, roster_test_async_cb, &result);
  group = roster_client_group_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  roster_client_change_member_async (f->client, group, member_id, TRUE, NULL,
                                     roster_test_async_cb, &result);
  joined = roster_client_group_finish (f->client, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return joined;
}

/* Grace gets a role, a per-user permission, a language, a country, a department, a manager,
 * an employment ID and a mobile number, straight on the server. */
static void
give_grace_access (Fixture *f, RosterRole *role, RosterUser *manager)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (f->grace), NULL);
  g_autofree char *body = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
    "{\"op\":\"replace\",\"path\":\"roles\",\"value\":[{\"value\":\"%s\"}]},"
    "{\"op\":\"replace\",\"path\":\"entitlements\",\"value\":[{\"value\":\"clients.view\"}]},"
    "{\"op\":\"replace\",\"path\":\"preferredLanguage\",\"value\":\"de\"},"
    "{\"op\":\"replace\",\"path\":\"" ROSTER_SCIM_SCHEMA_ROSTER_USER ":country\",\"value\":\"US\"},"
    "{\"op\":\"replace\",\"path\":\"" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":department\","
    "\"value\":\"Navy\"},"
    "{\"op\":\"replace\",\"path\":\"" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":employeeNumber\","
    "\"value\":\"E-1906\"},"
    "{\"op\":\"replace\",\"path\":\"" ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":manager\","
    "\"value\":{\"value\":\"%s\"}},"
    "{\"op\":\"add\",\"path\":\"phoneNumbers\",\"value\":[{\"value\":\"+1 555 0100\","
    "\"type\":\"mobile\"}]}]}",
    roster_role_get_id (role), roster_user_get_id (manager));
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "PATCH", path, f->token,
                                                       "application/scim+json", body, &status);

  if (status != 200)
    g_test_message ("%s", reply);
  g_assert_cmpuint (status, ==, 200);
}

static char *
server_find (Fixture *f, const char *user_name)
{
  g_autofree char *path = g_strdup_printf (
    "/scim/v2/Users?filter=userName%%20eq%%20%%22%s%%22", user_name);
  guint status = 0;
  char *list = roster_test_server_request (f->server, "GET", path, f->token, NULL, NULL,
                                           &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (list, "\"totalResults\":1"));
  return list;
}

static void
assert_has (const char *json, const char *needle)
{
  if (strstr (json, needle) == NULL)
    g_test_message ("no %s in %s", needle, json);
  g_assert_nonnull (strstr (json, needle));
}

static void
assert_lacks (const char *json, const char *needle)
{
  if (strstr (json, needle) != NULL)
    g_test_message ("%s in %s", needle, json);
  g_assert_null (strstr (json, needle));
}

static guint n_groups (Fixture *f)
{
  return g_strv_length ((GStrv) roster_user_get_group_ids (roster_user_page_get_user (f->page)));
}

/* Duplicate copies every access field and the memberships, and none of the identity. */
static void
test_duplicate_copies_access (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterUser) linus = create_linus (f);
  g_autoptr(RosterRole) role = create_role (f, "Analyst");
  g_autoptr(RosterGroup) team = create_group (f, "Compiler Team", TRUE,
                                              roster_user_get_id (f->grace));
  g_autoptr(RosterGroup) group = create_group (f, "Navy Reserve", FALSE,
                                               roster_user_get_id (f->grace));
  static const char *const empty[] = { "First Name", "Last Name", "Username", "E-mail",
                                       "Employment ID", "Mobile", "Skype", "Street" };
  GtkWidget *focus;
  g_autofree char *list = NULL;
  g_autofree char *expected = NULL;

  created = 0;
  g_signal_connect (f->page, "created", G_CALLBACK (on_created_cb), NULL);
  give_grace_access (f, role, linus);
  load (f);
  roster_test_wait_until (n_groups (f) == 2, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.duplicate", NULL));
  g_assert_true (roster_user_page_get_creating (f->page));
  {
    g_autoptr(GPtrArray) titles = g_ptr_array_new ();

    roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_WINDOW_TITLE, titles);
    g_assert_cmpuint (titles->len, ==, 1);
    g_assert_cmpstr (adw_window_title_get_subtitle (titles->pdata[0]), ==,
                     "Copy of Grace Hopper");
  }
  /* Who they are and how to reach them start empty, with the first name focused. */
  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, empty[i]))), ==, "");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, find_row (f, "First Name")));
  /* Where they work and report is the model's. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Department"))), ==,
                   "Navy");
  g_assert_cmpstr (roster_manager_row_get_user_id (ROSTER_MANAGER_ROW (find_row (
                     f, "Primary Manager"))),
                   ==, roster_user_get_id (linus));

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "First Name")), "Katherine");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Last Name")), "Johnson");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Username")), "katherine");
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "First Password")), "orbital mechanics");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (created == 1, 10);
  /* The memberships are joined after the POST; the page then shows them. */
  roster_test_wait_until (n_groups (f) == 2, 10);
  g_assert_cmpuint (f->failed, ==, 0);
  g_assert_cmpstr (roster_user_get_user_name (roster_user_page_get_user (f->page)), ==,
                   "katherine");

  list = server_find (f, "katherine");
  expected = g_strdup_printf ("\"roles\":[{\"value\":\"%s\"", roster_role_get_id (role));
  assert_has (list, expected);
  g_clear_pointer (&expected, g_free);
  assert_has (list, "\"entitlements\":[{\"value\":\"clients.view\"");
  assert_has (list, "\"preferredLanguage\":\"de\"");
  assert_has (list, "\"country\":\"US\"");
  assert_has (list, "\"department\":\"Navy\"");
  expected = g_strdup_printf ("\"manager\":{\"value\":\"%s\"", roster_user_get_id (linus));
  assert_has (list, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"value\":\"%s\"", roster_group_get_id (team));
  assert_has (list, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"value\":\"%s\"", roster_group_get_id (group));
  assert_has (list, expected);
  assert_lacks (list, "grace");
  assert_lacks (list, "Hopper");
  assert_lacks (list, "E-1906");
  assert_lacks (list, "+1 555 0100");
  assert_lacks (list, "\"emails\"");
}

/* A group that cannot be joined is reported by name, and the new user stays created. */
static void
test_duplicate_join_failure (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterGroup) team = create_group (f, "Vanishing Team", TRUE,
                                              roster_user_get_id (f->grace));
  g_autofree char *path = g_strconcat ("/scim/v2/Groups/", roster_group_get_id (team), NULL);
  g_autofree char *reply = NULL;
  g_autofree char *list = NULL;
  guint status = 0;

  created = 0;
  g_signal_connect (f->page, "created", G_CALLBACK (on_created_cb), NULL);
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_message_cb), NULL);
  load (f);
  roster_test_wait_until (n_groups (f) == 1, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.duplicate", NULL));
  /* Someone deletes the team meanwhile. */
  reply = roster_test_server_request (f->server, "DELETE", path, f->token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Username")), "dorothy");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (created == 1 && f->failed == 1, 10);
  g_assert_nonnull (strstr (failed_message, "Vanishing Team"));
  g_assert_nonnull (strstr (failed_message, "dorothy"));
  g_assert_false (roster_user_page_get_creating (f->page));
  list = server_find (f, "dorothy");
  g_clear_pointer (&failed_message, g_free);
}

/* Copy Permissions From… is an edit: roles, per-user permissions and memberships of the
 * chosen user, sent with Save. */
static void
test_copy_permissions (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterUser) linus = create_linus (f);
  g_autoptr(RosterRole) role = create_role (f, "Kernel Maintainer");
  g_autoptr(RosterGroup) team = create_group (f, "Kernel Team", TRUE, roster_user_get_id (linus));
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (linus), NULL);
  g_autofree char *body = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
    "{\"op\":\"replace\",\"path\":\"roles\",\"value\":[{\"value\":\"%s\"}]},"
    "{\"op\":\"replace\",\"path\":\"entitlements\",\"value\":[{\"value\":\"orders.view\"}]}]}",
    roster_role_get_id (role));
  guint status = 0;
  g_autofree char *reply = roster_test_server_request (f->server, "PATCH", path, f->token,
                                                       "application/scim+json", body, &status);
  g_autofree char *stored = NULL;
  g_autofree char *expected = NULL;
  RosterUserPicker *picker;
  GListModel *model;

  g_assert_cmpuint (status, ==, 200);
  load (f);
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (f->page), "Save")));
  g_assert_nonnull (roster_user_page_choose_permissions_model (f->page));
  picker = find_picker ();
  g_assert_nonnull (picker);
  model = roster_user_picker_get_model (picker);
  roster_user_picker_set_search (picker, "torv");
  roster_test_wait_until (g_list_model_get_n_items (model) == 1, 10);
  roster_test_wait_until (first_has_id (model), 10);
  roster_user_picker_choose (picker, 0);
  roster_test_wait_until (find_picker () == NULL, 10);

  /* An edit: shown, nothing sent yet. */
  roster_test_wait_until (gtk_widget_get_visible (find_button (GTK_WIDGET (f->page), "Save")),
                          10);
  stored = server_get (f, roster_user_get_id (f->grace));
  assert_lacks (stored, "orders.view");
  g_clear_pointer (&stored, g_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);
  roster_test_wait_until (n_groups (f) == 1, 10);
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (f->page), "Save")));
  stored = server_get (f, roster_user_get_id (f->grace));
  expected = g_strdup_printf ("\"roles\":[{\"value\":\"%s\"", roster_role_get_id (role));
  assert_has (stored, expected);
  g_clear_pointer (&expected, g_free);
  assert_has (stored, "\"entitlements\":[{\"value\":\"orders.view\"");
  expected = g_strdup_printf ("\"groups\":[{\"value\":\"%s\"", roster_group_get_id (team));
  assert_has (stored, expected);
  /* Her own name stays hers. */
  assert_has (stored, "\"familyName\":\"Hopper\"");
}

static AdwAvatar *
page_avatar (Fixture *f)
{
  g_autoptr(GPtrArray) avatars = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (f->page), ADW_TYPE_AVATAR, avatars);
  g_assert_cmpuint (avatars->len, >=, 1);
  return avatars->pdata[0];
}

static GFile *
write_file (const char *dir, const char *name, const char *contents, gsize length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A photo set from a PNG is shown, stored by rosterd as a 512 px square, and removed; one
 * too large for rosterd is scaled down first, one that is no image is refused. */
static void
test_photo (Fixture *f, gconstpointer data)
{
  g_autoptr(GdkPixbuf) source = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 800, 600);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("roster-photo-XXXXXX", &error);
  g_autofree char *png = NULL;
  gsize png_length = 0;
  g_autofree char *big = g_malloc0 (ROSTER_CLIENT_PHOTO_MAX_SIZE + 1);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) too_big = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", roster_user_get_id (f->grace),
                                       "/photo", NULL);
  GtkWindow *dialog;
  guint status = 0;

  g_assert_no_error (error);
  gdk_pixbuf_fill (source, 0x3070c0ff);
  gdk_pixbuf_save_to_buffer (source, &png, &png_length, "png", &error, NULL);
  g_assert_no_error (error);
  file = write_file (dir, "grace.png", png, png_length);
  memcpy (big, png, 8); /* a PNG's signature, and far too much after it */
  too_big = write_file (dir, "huge.png", big, ROSTER_CLIENT_PHOTO_MAX_SIZE + 1);

  actions_done = 0;
  g_signal_connect (f->page, "action-done", G_CALLBACK (on_action_done_cb), NULL);
  load (f);
  /* Nobody signed in that the page knows of: no photo buttons. */
  g_assert_false (gtk_widget_is_visible (find_button (GTK_WIDGET (f->page), "Change Photo…")));
  roster_user_page_set_signed_in_user_name (f->page, "admin");
  roster_test_wait_until (roster_user_page_get_may_manage_photos (f->page), 10);
  g_assert_true (gtk_widget_is_visible (find_button (GTK_WIDGET (f->page), "Change Photo…")));
  g_assert_false (gtk_widget_is_visible (find_button (GTK_WIDGET (f->page), "Remove Photo")));
  g_assert_null (adw_avatar_get_custom_image (page_avatar (f)));

  /* Too large: refused before anything is sent. */
  roster_user_page_set_photo_file (f->page, too_big);
  roster_test_wait_until (f->failed == 1, 10);
  g_bytes_unref (roster_test_server_request_bytes (f->server, "GET", path, f->token, &status,
                                                   NULL));
  g_assert_cmpuint (status, ==, 404);

  roster_user_page_set_photo_file (f->page, file);
  roster_test_wait_until (actions_done == 1, 10);
  roster_test_wait_until (adw_avatar_get_custom_image (page_avatar (f)) != NULL, 10);
  g_assert_true (gtk_widget_is_visible (find_button (GTK_WIDGET (f->page), "Remove Photo")));
  g_assert_nonnull (roster_user_get_string (roster_user_page_get_user (f->page), "photo"));

  stored = roster_test_server_request_bytes (f->server, "GET", path, f->token, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  stream = g_memory_input_stream_new_from_bytes (stored);
  decoded = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 512);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 512);

  /* Removing asks first. */
  dialog = roster_user_page_ask_remove_photo (f->page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  roster_test_wait_until (actions_done == 2, 10);
  roster_test_wait_until (adw_avatar_get_custom_image (page_avatar (f)) == NULL, 10);
  g_assert_false (gtk_widget_is_visible (find_button (GTK_WIDGET (f->page), "Remove Photo")));
  g_bytes_unref (roster_test_server_request_bytes (f->server, "GET", path, f->token, &status,
                                                   NULL));
  g_assert_cmpuint (status, ==, 404);

  /* A file dropped on the avatar is uploaded as well. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page_avatar (f)));
    GValue value = G_VALUE_INIT;
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          {
            g_value_init (&value, G_TYPE_FILE);
            g_value_set_object (&value, file);
            g_signal_emit_by_name (controller, "drop", &value, 0.0, 0.0, &handled);
            g_value_unset (&value);
          }
      }
    g_assert_true (handled);
  }
  roster_test_wait_until (actions_done == 3, 10);
  roster_test_wait_until (adw_avatar_get_custom_image (page_avatar (f)) != NULL, 10);

  /* A camera's photo, larger than rosterd takes: scaled down in the app, then sent. Noise
   * does not compress, so this PNG is about 3 MB. */
  {
    g_autoptr(GdkPixbuf) noise = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1200, 900);
    guchar *pixels = gdk_pixbuf_get_pixels (noise);
    gsize n = (gsize) gdk_pixbuf_get_rowstride (noise) * gdk_pixbuf_get_height (noise);
    g_autofree char *large_png = NULL;
    gsize large_length = 0;
    g_autoptr(GFile) large = NULL;
    g_autoptr(GBytes) scaled = NULL;
    g_autoptr(GInputStream) scaled_stream = NULL;
    g_autoptr(GdkPixbuf) scaled_photo = NULL;
    GdkPaintable *shown = adw_avatar_get_custom_image (page_avatar (f));

    for (gsize i = 0; i < n; i++)
      pixels[i] = g_random_int_range (0, 256);
    gdk_pixbuf_save_to_buffer (noise, &large_png, &large_length, "png", &error, NULL);
    g_assert_no_error (error);
    g_assert_cmpuint (large_length, >, ROSTER_CLIENT_PHOTO_MAX_SIZE);
    large = write_file (dir, "camera.png", large_png, large_length);
    g_clear_pointer (&stored, g_bytes_unref);
    stored = roster_test_server_request_bytes (f->server, "GET", path, f->token, &status, NULL);

    roster_user_page_set_photo_file (f->page, large);
    roster_test_wait_until (actions_done == 4, 20);
    /* The page shows the new photo (fetched and decoded again). */
    roster_test_wait_until (adw_avatar_get_custom_image (page_avatar (f)) != NULL
                            && adw_avatar_get_custom_image (page_avatar (f)) != shown, 10);
    g_assert_cmpint (f->failed, ==, 1);
    scaled = roster_test_server_request_bytes (f->server, "GET", path, f->token, &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_false (g_bytes_equal (scaled, stored)); /* the noise, not the blue square */
    scaled_stream = g_memory_input_stream_new_from_bytes (scaled);
    scaled_photo = gdk_pixbuf_new_from_stream (scaled_stream, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (scaled_photo), ==, 512);
    g_unlink (g_file_peek_path (large));
  }

  g_unlink (g_file_peek_path (file));
  g_unlink (g_file_peek_path (too_big));
  g_rmdir (dir);
}

/* A save while rosterd cannot reach its database (PostgreSQL restarting) says so and keeps
 * what was typed; with the database back, the same save goes through. Needs a rosterd on
 * PostgreSQL: the postgres setup. */
static void
test_database_down (Fixture *f, gconstpointer data)
{
  g_autofree char *stored = NULL;

  if (g_getenv ("ROSTER_TEST_POSTGRES") == NULL)
    {
      g_test_skip ("needs rosterd on PostgreSQL ($ROSTER_TEST_POSTGRES, the postgres setup)");
      return;
    }
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_message_cb), NULL);
  load (f);
  gtk_editable_set_text (GTK_EDITABLE (find_row (f, "Last Name")), "Brewster Hopper");

  roster_test_server_set_database_available (f->server, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->failed == 1, 10);
  g_assert_cmpstr (failed_message, ==,
                   roster_error_code_describe (ROSTER_ERROR_STORE_UNAVAILABLE));
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (f, "Last Name"))), ==,
                   "Brewster Hopper");
  g_assert_true (save_enabled (f));

  roster_test_server_set_database_available (f->server, TRUE);
  g_usleep (1100 * 1000); /* rosterd tries to connect again at most once a second */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "user.save", NULL));
  roster_test_wait_until (f->saved == 1, 10);
  stored = server_get (f, roster_user_get_id (f->grace));
  g_assert_nonnull (strstr (stored, "\"familyName\":\"Brewster Hopper\""));
  g_clear_pointer (&failed_message, g_free);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/user-page/edit-and-save", Fixture, NULL, fixture_set_up, test_edit_and_save,
              fixture_tear_down);
  g_test_add ("/user-page/database-down", Fixture, NULL, fixture_set_up, test_database_down,
              fixture_tear_down);
  g_test_add ("/user-page/conflict/keep-mine", Fixture, NULL, fixture_set_up,
              test_conflict_keep_mine, fixture_tear_down);
  g_test_add ("/user-page/conflict/take-theirs", Fixture, NULL, fixture_set_up,
              test_conflict_take_theirs, fixture_tear_down);
  g_test_add ("/user-page/create-and-duplicate", Fixture, NULL, fixture_set_up,
              test_create_and_duplicate, fixture_tear_down);
  g_test_add ("/user-page/validation", Fixture, NULL, fixture_set_up, test_validation,
              fixture_tear_down);
  g_test_add ("/user-page/about-and-contact", Fixture, NULL, fixture_set_up,
              test_about_and_contact, fixture_tear_down);
  g_test_add ("/user-page/manager-picker", Fixture, NULL, fixture_set_up, test_manager_picker,
              fixture_tear_down);
  g_test_add ("/user-page/set-password", Fixture, NULL, fixture_set_up, test_set_password,
              fixture_tear_down);
  g_test_add ("/user-page/conflict/merge", Fixture, NULL, fixture_set_up, test_conflict_merge,
              fixture_tear_down);
  g_test_add ("/user-page/duplicate/copies-access", Fixture, NULL, fixture_set_up,
              test_duplicate_copies_access, fixture_tear_down);
  g_test_add ("/user-page/duplicate/join-failure", Fixture, NULL, fixture_set_up,
              test_duplicate_join_failure, fixture_tear_down);
  g_test_add ("/user-page/copy-permissions", Fixture, NULL, fixture_set_up,
              test_copy_permissions, fixture_tear_down);
  g_test_add ("/user-page/photo", Fixture, NULL, fixture_set_up, test_photo, fixture_tear_down);

  return g_test_run ();
}
