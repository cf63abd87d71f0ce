/* test-groups-page.c: teams, groups and their members against a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-groups-page"

#include "config.h"

#include "roster-groups-page.h"
#include "roster-user-picker.h"
#include "roster-test-async.h"
#include "roster-test-server.h"
#include "roster-ui-test.h"

typedef struct
{
  RosterTestServer *server;
  char *token;
  RosterClient *client;
  RosterGroupsPage *page;
  GtkWindow *window;
  char *failure; /* the page's last error */
  guint n_failures;
} Fixture;

static void
on_failed_cb (RosterGroupsPage *page, const GError *error, Fixture *f)
{
  g_test_message ("the page failed: %s", error->message);
  g_free (f->failure);
  f->failure = g_strdup (error->message);
  f->n_failures++;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->server = roster_test_server_start (NULL);
  f->token = roster_test_server_setup_admin (f->server, "admin", "correct horse battery");
  f->client = roster_client_new (f->server->base_url);
  roster_client_set_token (f->client, f->token);
  f->page = g_object_ref_sink (g_object_new (ROSTER_TYPE_GROUPS_PAGE, NULL));
  f->window = roster_ui_test_window (GTK_WIDGET (f->page));
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed_cb), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  /* Requests the page started may still be landing: let the main loop finish them. */
  roster_test_assert_finalize (f->page);
  roster_test_assert_finalize (f->client);
  g_free (f->token);
  g_free (f->failure);
  roster_test_server_stop (f->server);
}

static GtkWidget *
find_in (GtkWidget *root, GType type, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  roster_ui_test_collect (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static GtkWidget *
find_row (Fixture *f, GType type, const char *title)
{
  return find_in (GTK_WIDGET (f->page), type, title);
}

static void
test_team_and_members (Fixture *f, gconstpointer data)
{
  GtkWidget *new_row, *team, *add_row;
  g_autofree char *reply = NULL;
  guint status = 0;

  reply = roster_test_server_request (f->server, "POST", "/scim/v2/Users", f->token,
                                      "application/scim+json",
                                      "{\"userName\": \"grace\", \"displayName\": \"Grace Hopper\"}",
                                      &status);
  g_assert_cmpuint (status, ==, 201);

  roster_groups_page_set_client (f->page, f->client);
  new_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Team or Group Name");
  gtk_editable_set_text (GTK_EDITABLE (new_row), "Tour Guides");
  g_signal_emit_by_name (new_row, "apply");
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL, 10);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)), ==, "Team · 0 members");

  /* A member by username: found with a filter, added with a PATCH. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (team), TRUE);
  add_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Add a Member by Username");
  gtk_editable_set_text (GTK_EDITABLE (add_row), "grace");
  g_signal_emit_by_name (add_row, "apply");
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL
                            && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                          "Team · 1 member") == 0,
                          10);
  g_assert_nonnull (find_row (f, ADW_TYPE_ACTION_ROW, "Grace Hopper"));
  /* The rows are new, but the team someone works on stays open. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (team)));

  /* And removed again. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    roster_ui_test_collect (find_row (f, ADW_TYPE_ACTION_ROW, "Grace Hopper"), GTK_TYPE_BUTTON,
                            buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  }
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL
                            && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                          "Team · 0 members") == 0,
                          10);
}

/* The group named @name as the server stores it, fetched over HTTP. */
static JsonNode *
server_group (Fixture *f, const char *name)
{
  g_autofree char *reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *resources;
  guint status = 0;

  reply = roster_test_server_request (f->server, "GET", "/scim/v2/Groups", f->token, NULL, NULL,
                                      &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
  resources = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "Resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *group = json_array_get_object_element (resources, i);

      if (g_strcmp0 (json_object_get_string_member (group, "displayName"), name) == 0)
        return json_node_copy (json_array_get_element (resources, i));
    }
  return NULL;
}

static gboolean
first_has_id (GListModel *model)
{
  g_autoptr(RosterUser) first = g_list_model_get_item (model, 0);

  return first != NULL && roster_user_get_id (first) != NULL;
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

/* A member chosen with the searchable user picker is added with a PATCH the server keeps. */
static void
test_member_from_picker (Fixture *f, gconstpointer data)
{
  GtkWidget *new_row, *team, *choose;
  RosterUserPicker *picker;
  GListModel *model;
  g_autofree char *reply = NULL;
  g_autofree char *grace_id = NULL;
  guint status = 0;

  reply = roster_test_server_request (f->server, "POST", "/scim/v2/Users", f->token,
                                      "application/scim+json",
                                      "{\"userName\": \"grace\", \"displayName\": \"Grace Hopper\"}",
                                      &status);
  g_assert_cmpuint (status, ==, 201);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
    grace_id = g_strdup (json_object_get_string_member (
      json_node_get_object (json_parser_get_root (parser)), "id"));
  }

  roster_groups_page_set_client (f->page, f->client);
  new_row = find_row (f, ADW_TYPE_ENTRY_ROW, "Team or Group Name");
  gtk_editable_set_text (GTK_EDITABLE (new_row), "Tour Guides");
  g_signal_emit_by_name (new_row, "apply");
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL, 10);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (team), TRUE);

  choose = find_button (team, "Choose…");
  g_assert_nonnull (choose);
  g_signal_emit_by_name (choose, "clicked");
  picker = roster_ui_test_find_window (ROSTER_TYPE_USER_PICKER);
  g_assert_nonnull (picker);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (picker)), ==, "Add a Member to Tour Guides");
  model = roster_user_picker_get_model (picker);
  roster_user_picker_set_search (picker, "hopper");
  roster_test_wait_until (g_list_model_get_n_items (model) == 1 && first_has_id (model), 10);
  roster_user_picker_choose (picker, 0);
  roster_test_wait_until (roster_ui_test_find_window (ROSTER_TYPE_USER_PICKER) == NULL, 10);
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Tour Guides")) != NULL
                            && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                          "Team · 1 member") == 0,
                          10);
  g_assert_nonnull (find_row (f, ADW_TYPE_ACTION_ROW, "Grace Hopper"));

  /* The server has her as the member. */
  {
    g_autoptr(JsonNode) stored = server_group (f, "Tour Guides");
    JsonArray *members = json_object_get_array_member (json_node_get_object (stored), "members");

    g_assert_cmpuint (json_array_get_length (members), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (members, 0),
                                                    "value"),
                     ==, grace_id);
  }
}

/* The Roster extension's @member of the group @name on the server, as JSON text ("" when
 * absent, NULL when there is no such group). */
static char *
server_ext (Fixture *f, const char *name, const char *member)
{
  g_autoptr(JsonNode) group = server_group (f, name);
  JsonObject *ext;
  JsonNode *node;

  if (group == NULL)
    return NULL;
  ext = json_object_get_object_member (json_node_get_object (group),
                                       "urn:roster:params:scim:schemas:extension:crm:2.0:Group");
  node = ext != NULL ? json_object_get_member (ext, member) : NULL;
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("");
}

static GtkSwitch *
find_permission_switch (GtkWidget *expander, const char *permission)
{
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();

  roster_ui_test_collect (expander, GTK_TYPE_SWITCH, switches);
  for (guint i = 0; i < switches->len; i++)
    if (g_strcmp0 (g_object_get_data (switches->pdata[i], "permission"), permission) == 0)
      return switches->pdata[i];
  return NULL;
}

/* The group as the page last had it back from the server: a change is done when both the
 * server and the page have it (the next one goes with the version it made). */
static RosterGroup *
page_group (GtkWidget *expander)
{
  return g_object_get_data (G_OBJECT (expander), "group");
}

static gboolean
page_has_permissions (GtkWidget *expander, const char *const *permissions)
{
  const char *const *has = roster_group_get_permissions (page_group (expander));

  return g_strv_equal (has, permissions);
}

static gboolean
server_ext_is (Fixture *f, const char *name, const char *member, const char *json)
{
  g_autofree char *value = server_ext (f, name, member);

  return g_strcmp0 (value, json) == 0;
}

/* A group's name, description, kind and permissions are PATCHed as they are changed, and the
 * group is deleted after a question. */
static void
test_edit_and_delete (Fixture *f, gconstpointer data)
{
  GtkWidget *team, *row;
  GtkSwitch *toggle;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *reply = NULL;
  guint status = 0;

  reply = roster_test_server_request (f->server, "POST", "/scim/v2/Groups", f->token,
                                      "application/scim+json",
                                      "{\"displayName\": \"Analysts\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  roster_groups_page_set_client (f->page, f->client);
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Analysts")) != NULL, 10);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)), ==,
                   "Group · 0 members");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (team), TRUE);

  /* The name. */
  row = find_in (team, ADW_TYPE_ENTRY_ROW, "Name");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Analysts");
  gtk_editable_set_text (GTK_EDITABLE (row), "Data Analysts");
  g_signal_emit_by_name (row, "apply");
  /* Renamed, the row is built anew: its buttons are named after the group. */
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Data Analysts")) != NULL,
                          10);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (team)));
  g_assert_null (f->failure);
  g_assert_true (server_ext_is (f, "Data Analysts", "kind", "\"group\""));
  g_assert_true (server_ext_is (f, "Analysts", "kind", NULL)); /* no longer there */

  /* The description. */
  row = find_in (team, ADW_TYPE_ENTRY_ROW, "Description");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "People who read the numbers");
  g_signal_emit_by_name (row, "apply");
  roster_test_wait_until (g_strcmp0 (roster_group_get_description (page_group (team)),
                                     "People who read the numbers") == 0, 10);
  g_assert_true (
    server_ext_is (f, "Data Analysts", "description", "\"People who read the numbers\""));

  /* The kind. */
  row = find_in (team, ADW_TYPE_ACTION_ROW, "A Team");
  g_assert_nonnull (row);
  {
    g_autoptr(GPtrArray) switches = g_ptr_array_new ();

    roster_ui_test_collect (row, GTK_TYPE_SWITCH, switches);
    g_assert_cmpuint (switches->len, ==, 1);
    g_assert_false (gtk_switch_get_active (switches->pdata[0]));
    gtk_switch_set_active (switches->pdata[0], TRUE);
  }
  roster_test_wait_until (g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (team)),
                                     "Team · 0 members") == 0, 10);
  g_assert_true (server_ext_is (f, "Data Analysts", "kind", "\"team\""));

  /* Two permissions, one after the other: the second PATCH goes with the version the first
   * made. */
  toggle = find_permission_switch (team, "users.view");
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, TRUE);
  roster_test_wait_until (page_has_permissions (team, (const char *[]) { "users.view", NULL }), 10);
  g_assert_true (server_ext_is (f, "Data Analysts", "permissions", "[\"users.view\"]"));
  toggle = find_permission_switch (team, "groups.manage");
  g_assert_nonnull (toggle);
  gtk_switch_set_active (toggle, TRUE);
  roster_test_wait_until (
    page_has_permissions (team, (const char *[]) { "users.view", "groups.manage", NULL }), 10);
  g_assert_true (
    server_ext_is (f, "Data Analysts", "permissions", "[\"users.view\",\"groups.manage\"]"));
  /* And off again. */
  toggle = find_permission_switch (team, "users.view");
  gtk_switch_set_active (toggle, FALSE);
  roster_test_wait_until (page_has_permissions (team, (const char *[]) { "groups.manage", NULL }),
                          10);
  g_assert_true (server_ext_is (f, "Data Analysts", "permissions", "[\"groups.manage\"]"));

  /* Delete asks first; Cancel keeps it. */
  {
    GtkWidget *button = NULL;
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    roster_ui_test_collect (team, GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Delete") == 0)
        button = buttons->pdata[i];
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    roster_test_wait_until ((dialog = roster_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Data Analysts”?");
    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog)); /* as a click on a response does */
    roster_test_wait_until (roster_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL, 10);
    g_assert_true (server_ext_is (f, "Data Analysts", "kind", "\"team\""));

    g_signal_emit_by_name (button, "clicked");
    roster_test_wait_until ((dialog = roster_ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  roster_test_wait_until (find_row (f, ADW_TYPE_EXPANDER_ROW, "Data Analysts") == NULL, 10);
  g_assert_true (server_ext_is (f, "Data Analysts", "kind", NULL));
  g_assert_null (f->failure);
}

/* Makes a group named @name and shows the page, with the group's row open. */
static GtkWidget *
show_group (Fixture *f, const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"displayName\": \"%s\"}", name);
  g_autofree char *reply = NULL;
  GtkWidget *expander;
  guint status = 0;

  reply = roster_test_server_request (f->server, "POST", "/scim/v2/Groups", f->token,
                                      "application/scim+json", body, &status);
  g_assert_cmpuint (status, ==, 201);
  roster_groups_page_set_client (f->page, f->client);
  roster_test_wait_until ((expander = find_row (f, ADW_TYPE_EXPANDER_ROW, name)) != NULL, 10);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  return expander;
}

/* Two switches of one group, the second before the first one's answer: the page sends the
 * second after it, with the version it made, instead of failing against itself (412). */
static void
test_quick_switches (Fixture *f, gconstpointer data)
{
  GtkWidget *group = show_group (f, "Analysts");
  const char *both[] = { "users.view", "groups.manage", NULL };

  gtk_switch_set_active (find_permission_switch (group, "users.view"), TRUE);
  gtk_switch_set_active (find_permission_switch (group, "groups.manage"), TRUE);
  roster_test_wait_until (f->failure != NULL || page_has_permissions (group, both), 10);
  g_assert_null (f->failure);
  g_assert_true (
    server_ext_is (f, "Analysts", "permissions", "[\"users.view\",\"groups.manage\"]"));
  g_assert_true (find_row (f, ADW_TYPE_EXPANDER_ROW, "Analysts") == group); /* not reloaded */
}

/* A rename, and at once a change of kind: both reach the server, one after the other. */
static void
test_quick_rename_and_kind (Fixture *f, gconstpointer data)
{
  GtkWidget *group = show_group (f, "Analysts");
  GtkWidget *name_row = find_in (group, ADW_TYPE_ENTRY_ROW, "Name");
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();

  roster_ui_test_collect (find_in (group, ADW_TYPE_ACTION_ROW, "A Team"), GTK_TYPE_SWITCH,
                          switches);
  g_assert_cmpuint (switches->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Data Analysts");
  g_signal_emit_by_name (name_row, "apply");
  gtk_switch_set_active (switches->pdata[0], TRUE);
  roster_test_wait_until (
    f->failure != NULL
      || ((group = find_row (f, ADW_TYPE_EXPANDER_ROW, "Data Analysts")) != NULL
          && g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (group)),
                        "Team · 0 members") == 0),
    10);
  g_assert_null (f->failure);
  g_assert_true (server_ext_is (f, "Data Analysts", "kind", "\"team\""));
  g_assert_true (server_ext_is (f, "Analysts", "kind", NULL)); /* no longer there */
}

/* Changed by another client meanwhile, a group's first switch still fails (412) and the page
 * reloads; the second switch, waiting for that answer, is dropped, not sent. */
static void
test_quick_switches_conflict (Fixture *f, gconstpointer data)
{
  GtkWidget *group = show_group (f, "Analysts");
  g_autoptr(RosterClient) other = roster_client_new (f->server->base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RosterGroup) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  roster_client_set_token (other, f->token);
  roster_client_change_group_async (other, page_group (group), NULL, NULL, "Theirs", NULL, NULL,
                                    roster_test_async_cb, &result);
  theirs = roster_client_group_finish (other, roster_test_wait_result (&result), &error);
  g_assert_no_error (error);
  before = server_ext (f, "Analysts", "permissions");

  gtk_switch_set_active (find_permission_switch (group, "users.view"), TRUE);
  gtk_switch_set_active (find_permission_switch (group, "groups.manage"), TRUE);
  roster_test_wait_until (f->failure != NULL, 10);
  /* Reloaded: the row shows the server's truth, theirs, and no switch on. */
  roster_test_wait_until ((group = find_row (f, ADW_TYPE_EXPANDER_ROW, "Analysts")) != NULL
                            && g_strcmp0 (roster_group_get_description (page_group (group)),
                                          "Theirs") == 0,
                          10);
  g_assert_false (gtk_switch_get_active (find_permission_switch (group, "users.view")));
  g_assert_false (gtk_switch_get_active (find_permission_switch (group, "groups.manage")));
  after = server_ext (f, "Analysts", "permissions");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->n_failures, ==, 1);
}

/* A group's switches come grouped by area under headings, as a role's do; a granted one is on,
 * and one under a later heading still saves. */
static void
test_grouped_by_area (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;
  g_autofree char *layout = NULL;
  GtkWidget *team;
  GtkSwitch *toggle;
  guint status = 0;

  reply = roster_test_server_request (
    f->server, "POST", "/scim/v2/Groups", f->token, "application/scim+json",
    "{\"displayName\": \"Analysts\", \"urn:roster:params:scim:schemas:extension:crm:2.0:Group\":"
    " {\"permissions\": [\"clients.view\"]}}",
    &status);
  g_assert_cmpuint (status, ==, 201);
  roster_groups_page_set_client (f->page, f->client);
  roster_test_wait_until ((team = find_row (f, ADW_TYPE_EXPANDER_ROW, "Analysts")) != NULL, 10);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (team), TRUE);
  roster_test_wait_until (
    gtk_widget_get_mapped (roster_ui_test_permission_row (team, "Manage tasks")), 10);

  /* Only the permissions' rows and headings: name, kind, members and Delete are left out. */
  layout = roster_ui_test_describe_permissions (team);
  g_assert_cmpstr (layout, ==, ROSTER_UI_TEST_CATALOGUE_BY_AREA);
  g_assert_true (gtk_switch_get_active (find_permission_switch (team, "clients.view")));
  g_assert_false (gtk_switch_get_active (find_permission_switch (team, "clients.manage")));
  roster_ui_test_assert_keys_cross_heading (team, "Manage settings", "View clients");

  toggle = find_permission_switch (team, "tasks.view");
  gtk_switch_set_active (toggle, TRUE);
  roster_test_wait_until (
    page_has_permissions (team, (const char *[]) { "clients.view", "tasks.view", NULL }), 10);
  g_assert_true (
    server_ext_is (f, "Analysts", "permissions", "[\"clients.view\",\"tasks.view\"]"));
  g_assert_null (f->failure);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/groups-page/team-and-members", Fixture, NULL, fixture_set_up,
              test_team_and_members, fixture_tear_down);

  g_test_add ("/groups-page/member-from-picker", Fixture, NULL, fixture_set_up,
              test_member_from_picker, fixture_tear_down);

  g_test_add ("/groups-page/edit-and-delete", Fixture, NULL, fixture_set_up,
              test_edit_and_delete, fixture_tear_down);

  g_test_add ("/groups-page/quick-switches", Fixture, NULL, fixture_set_up,
              test_quick_switches, fixture_tear_down);
  g_test_add ("/groups-page/quick-rename-and-kind", Fixture, NULL, fixture_set_up,
              test_quick_rename_and_kind, fixture_tear_down);

  g_test_add ("/groups-page/quick-switches-conflict", Fixture, NULL, fixture_set_up,
              test_quick_switches_conflict, fixture_tear_down);

  g_test_add ("/groups-page/grouped-by-area", Fixture, NULL, fixture_set_up,
              test_grouped_by_area, fixture_tear_down);

  return g_test_run ();
}
