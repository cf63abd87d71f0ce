/* test-delete-user.c: the delete dialog and Undo, from the user list, against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-delete-user"

#include "config.h"

#include <string.h>

#include "roster-delete-user-dialog.h"
#include "roster-error.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"
#include "roster-user-list-page.h"
#include "roster-user-picker.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterUserPager *pager;
  RosterUserListPage *page;
  GtkWindow *window;
  char *admin_id;
  char *carol_id;
  char *dave_id;
  RosterUser *ada;
  RosterUser *bob;
  guint deleted;
  guint restored;
  guint n_reassigned;
  GError *failure;
} Fixture;

static JsonNode *
api (Fixture *f, const char *method, const char *path, const char *body, guint expected)
{
  guint status = 0;
  g_autofree char *answer = roster_test_server_request (
    f->server, method, path, f->token, body != NULL ? "application/scim+json" : NULL, body,
    &status);

  g_assert_cmpuint (status, ==, expected);
  return answer != NULL && *answer != '\0' ? json_from_string (answer, NULL) : NULL;
}

static RosterUser *
make_user (Fixture *f, const char *user_name, const char *given, const char *family,
           gboolean active)
{
  g_autofree char *body = g_strdup_printf (
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\","
    "\"name\":{\"givenName\":\"%s\",\"familyName\":\"%s\"},\"active\":%s}",
    user_name, given, family, active ? "true" : "false");
  g_autoptr(JsonNode) node = api (f, "POST", "/scim/v2/Users", body, 201);
  RosterUser *user = roster_user_new_from_json (json_node_get_object (node), NULL);

  g_assert_nonnull (user);
  return user;
}

static void
make_record (Fixture *f, const char *kind, const char *state, const char *owner)
{
  g_autofree char *body = g_strdup_printf (
    "{\"kind\":\"%s\",\"title\":\"%s %s\",\"state\":\"%s\","
    "\"owner\":{\"type\":\"user\",\"value\":\"%s\"}}",
    kind, kind, state, state, owner);
  g_autoptr(JsonNode) node = api (f, "POST", "/scim/v2/Records", body, 201);
}

/* How many records of @kind @owner has now. */
static gint64
owned (Fixture *f, const char *owner, const char *kind)
{
  g_autofree char *path = g_strdup_printf ("/scim/v2/Records?owner=%s&kind=%s", owner, kind);
  g_autoptr(JsonNode) node = api (f, "GET", path, NULL, 200);

  return json_object_get_int_member (json_node_get_object (node), "totalResults");
}

static void
on_deleted_cb (RosterUserListPage *page, RosterUser *user, Fixture *f)
{
  f->deleted++;
}

static void
on_restored_cb (RosterUserListPage *page, RosterUser *user, guint n_reassigned, Fixture *f)
{
  f->restored++;
  f->n_reassigned = n_reassigned;
  g_assert_false (roster_user_get_active (user));
}

static void
on_failed_cb (RosterUserListPage *page, GError *error, Fixture *f)
{
  g_clear_error (&f->failure);
  f->failure = g_error_copy (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(RosterUser) carol = NULL;
  g_autoptr(RosterUser) dave = NULL;
  g_autoptr(JsonNode) me = NULL;
  const char *ada_id;

  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  me = api (f, "GET", "/scim/v2/Users?filter=userName%20eq%20%22admin%22", NULL, 200);
  f->admin_id = g_strdup (json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (me), "Resources"), 0),
    "id"));
  f->ada = make_user (f, "ada", "Ada", "Lovelace", TRUE);
  f->bob = make_user (f, "bob", "Bob", "Builder", TRUE);
  carol = make_user (f, "carol", "Carol", "Shaw", TRUE);
  dave = make_user (f, "dave", "Dave", "Inactive", FALSE);
  f->carol_id = g_strdup (roster_user_get_id (carol));
  f->dave_id = g_strdup (roster_user_get_id (dave));
  ada_id = roster_user_get_id (f->ada);
  make_record (f, "order", "open", ada_id);
  make_record (f, "order", "open", ada_id);
  make_record (f, "order", "done", ada_id);
  make_record (f, "task", "open", ada_id);
  make_record (f, "client", "open", ada_id);

  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->pager = roster_user_pager_new (f->client);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_USER_LIST_PAGE, NULL));
  g_signal_connect (f->page, "user-deleted", G_CALLBACK (on_deleted_cb), f);
  g_signal_connect (f->page, "user-restored", G_CALLBACK (on_restored_cb), f);
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_cb), f);
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
  roster_user_list_page_set_pager (f->page, f->pager);
  roster_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (f->pager)) == 5
                            && !roster_user_pager_get_loading (f->pager),
                          10);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager), 10);
  gtk_window_destroy (f->window);
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->pager);
  roster_test_assert_finalize (f->client);
  g_clear_object (&f->ada);
  g_clear_object (&f->bob);
  g_clear_error (&f->failure);
  g_free (f->admin_id);
  g_free (f->carol_id);
  g_free (f->dave_id);
  g_free (f->token);
  roster_test_server_stop (f->server);
}

static AdwActionRow *
find_row (GtkWidget *root, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

/* Chooses @id in a picker once its list has loaded (the administrator, Bob and Carol: the
 * active users but Ada); the picker must offer neither @absent_1 nor @absent_2. */
static void
pick (GtkWindow *window, const char *id, const char *absent_1, const char *absent_2)
{
  RosterUserPicker *picker = ROSTER_USER_PICKER (window);
  GListModel *model = roster_user_picker_get_model (picker);
  guint n, found = G_MAXUINT;

  roster_test_wait_until (g_list_model_get_n_items (model) == 3, 10);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (model, i);

      roster_test_wait_until (roster_user_get_id (user) != NULL, 10);
      g_assert_cmpstr (roster_user_get_id (user), !=, absent_1);
      g_assert_cmpstr (roster_user_get_id (user), !=, absent_2);
      if (g_strcmp0 (roster_user_get_id (user), id) == 0)
        found = i;
    }
  g_assert_cmpuint (found, !=, G_MAXUINT);
  roster_user_picker_choose (picker, found);
}

/* Clicks the dialog's response button labelled @label, as a person does (which, unlike
 * adw_message_dialog_response(), also closes the dialog). */
static void
click_response (AdwMessageDialog *dialog, const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  roster_ui_test_collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      {
        g_assert_true (gtk_widget_is_sensitive (buttons->pdata[i]));
        g_signal_emit_by_name (buttons->pdata[i], "clicked");
        return;
      }
  g_assert_not_reached ();
}

static gboolean
listed (Fixture *f, const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->pager)); i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (G_LIST_MODEL (f->pager), i);

      if (g_strcmp0 (roster_user_get_id (user), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_reassign_and_undo (Fixture *f, gconstpointer data)
{
  const char *ada_id = roster_user_get_id (f->ada);
  RosterDeleteUserDialog *dialog;
  AdwMessageDialog *message;
  AdwActionRow *orders, *tasks, *clients, *all;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) back = NULL;

  dialog = ROSTER_DELETE_USER_DIALOG (roster_user_list_page_delete_user (f->page, f->ada));
  g_assert_nonnull (dialog);
  message = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "Delete Ada Lovelace?");
  roster_test_wait_until (roster_delete_user_dialog_get_loaded (dialog), 10);

  /* A row per kind she owns, with the counts; Delete waits for destinations. */
  orders = find_row (GTK_WIDGET (dialog), "Orders");
  tasks = find_row (GTK_WIDGET (dialog), "Tasks");
  clients = find_row (GTK_WIDGET (dialog), "Clients");
  all = find_row (GTK_WIDGET (dialog), "Reassign All to One Person");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (orders)));
  g_assert_cmpstr (adw_action_row_get_subtitle (orders), ==, "2 open orders, 1 done");
  g_assert_cmpstr (adw_action_row_get_subtitle (tasks), ==, "1 open task");
  g_assert_cmpstr (adw_action_row_get_subtitle (clients), ==, "1 open client");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (all)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message),
                            "can be restored for 14 days from Recently Deleted"));
  g_assert_false (adw_message_dialog_get_response_enabled (message, "delete"));

  /* Orders to the administrator: the picker offers neither Ada nor inactive Dave. */
  pick (roster_delete_user_dialog_choose (dialog, ROSTER_RECORD_KIND_ORDERS), f->admin_id,
        ada_id, f->dave_id);
  roster_test_wait_until (
    g_list_model_get_n_items (gtk_window_get_toplevels ()) == 2, 10); /* the picker closed */
  g_assert_false (adw_message_dialog_get_response_enabled (message, "delete"));

  /* Everything to Carol, then the orders to the administrator again. */
  pick (roster_delete_user_dialog_choose (dialog, -1), f->carol_id, ada_id, f->dave_id);
  g_assert_true (adw_message_dialog_get_response_enabled (message, "delete"));
  pick (roster_delete_user_dialog_choose (dialog, ROSTER_RECORD_KIND_ORDERS), f->admin_id,
        ada_id, f->dave_id);
  g_assert_true (adw_message_dialog_get_response_enabled (message, "delete"));

  click_response (message, "Delete");
  roster_test_wait_until (f->deleted == 1, 10);
  roster_test_wait_until (dialog == NULL, 10);
  g_assert_null (f->failure);

  /* The records moved as chosen, and Ada left the list. */
  g_assert_cmpint (owned (f, f->admin_id, "order"), ==, 3);
  g_assert_cmpint (owned (f, f->carol_id, "task"), ==, 1);
  g_assert_cmpint (owned (f, f->carol_id, "client"), ==, 1);
  g_assert_cmpint (owned (f, f->carol_id, "order"), ==, 0);
  path = g_strconcat ("/scim/v2/Users/", ada_id, NULL);
  g_clear_pointer (&back, json_node_unref);
  back = api (f, "GET", path, NULL, 404);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager) && !listed (f, ada_id), 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->pager)), ==, 4);

  /* Undo: she is back, inactive; the five records stay where they went. */
  roster_user_list_page_restore_user (f->page, ada_id);
  roster_test_wait_until (f->restored == 1, 10);
  g_assert_cmpuint (f->n_reassigned, ==, 5);
  g_clear_pointer (&back, json_node_unref);
  back = api (f, "GET", path, NULL, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (back), "active"));
  g_assert_cmpint (owned (f, f->admin_id, "order"), ==, 3);
  g_assert_cmpint (owned (f, ada_id, "order"), ==, 0);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager) && listed (f, ada_id), 10);
}

static void
test_plain_from_delete_key (Fixture *f, gconstpointer data)
{
  const char *bob_id = roster_user_get_id (f->bob);
  GtkSelectionModel *selection = NULL;
  AdwMessageDialog *message;
  guint position = G_MAXUINT;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  /* Bob selected in the list; the Delete key (users.delete) asks about him. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->pager)); i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (G_LIST_MODEL (f->pager), i);

      if (g_strcmp0 (roster_user_get_id (user), bob_id) == 0)
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  roster_ui_test_collect (GTK_WIDGET (f->page), GTK_TYPE_LIST_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkSelectionModel *model = gtk_list_view_get_model (views->pdata[i]);

      if (GTK_IS_SINGLE_SELECTION (model)
          && gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model))
               == G_LIST_MODEL (f->pager))
        selection = model;
    }
  g_assert_nonnull (selection);
  gtk_selection_model_select_item (selection, position, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "users.delete", NULL));
  message = ADW_MESSAGE_DIALOG (roster_ui_test_find_window (ROSTER_TYPE_DELETE_USER_DIALOG));
  g_assert_nonnull (message);
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "Delete Bob Builder?");
  roster_test_wait_until (roster_delete_user_dialog_get_loaded (ROSTER_DELETE_USER_DIALOG (message)),
                          10);

  /* He owns nothing: no choices, only the restore window, and Delete is on. */
  g_assert_cmpstr (adw_message_dialog_get_body (message), ==,
                   "Bob Builder can be restored for 14 days from Recently Deleted.");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_row (GTK_WIDGET (message), "Orders"))));
  g_assert_true (adw_message_dialog_get_response_enabled (message, "delete"));
  click_response (message, "Delete");
  roster_test_wait_until (f->deleted == 1, 10);
  roster_test_wait_until (!roster_user_pager_get_loading (f->pager) && !listed (f, bob_id), 10);
  /* The selection went with the row: the user page shows nobody. */
  g_assert_null (roster_user_list_page_get_selected_user (f->page));
}

static void
test_last_administrator (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", f->admin_id, NULL);
  g_autoptr(JsonNode) admin_json = api (f, "GET", path, NULL, 200);
  g_autoptr(RosterUser) admin = roster_user_new_from_json (json_node_get_object (admin_json),
                                                           NULL);
  AdwMessageDialog *message
    = ADW_MESSAGE_DIALOG (roster_user_list_page_delete_user (f->page, admin));

  roster_test_wait_until (roster_delete_user_dialog_get_loaded (ROSTER_DELETE_USER_DIALOG (message)),
                          10);
  click_response (message, "Delete");
  roster_test_wait_until (f->failure != NULL, 10);
  g_assert_error (f->failure, ROSTER_ERROR, ROSTER_ERROR_LAST_ADMINISTRATOR);
  g_assert_cmpstr (f->failure->message, ==,
                   "admin could not be deleted. This is the last active administrator. Make "
                   "someone else an administrator first.");
  g_assert_cmpuint (f->deleted, ==, 0);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/delete-user/reassign-and-undo", Fixture, NULL, fixture_set_up,
              test_reassign_and_undo, fixture_tear_down);
  g_test_add ("/delete-user/plain-from-delete-key", Fixture, NULL, fixture_set_up,
              test_plain_from_delete_key, fixture_tear_down);
  g_test_add ("/delete-user/last-administrator", Fixture, NULL, fixture_set_up,
              test_last_administrator, fixture_tear_down);

  return g_test_run ();
}
