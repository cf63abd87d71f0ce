/* roster-groups-page.c: teams and groups, and their members
 *
 * Every team or group is an expander row listing its members, each with a Remove button,
 * a button to add a member with the searchable user picker, an entry to add one by
 * username, and the group's own settings: name, description, kind, one switch per
 * permission of the catalogue it may grant its members, and Delete (asked first).
 *
 * Each change is a PATCH with If-Match; when the group changed elsewhere meanwhile, the page
 * reloads and says so. One PATCH of a group's settings is in flight at a time: what changes
 * meanwhile goes with its answer's version (RosterEditQueue), not against it. A change of
 * members reloads the list, a change of the group's own settings updates its row in place.
 * A reload keeps the rows that were open open, and the focus in the row that had it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-edit-queue.h"
#include "roster-error.h"
#include "roster-groups-page.h"
#include "roster-permission-switch.h"
#include "roster-scim.h"
#include "roster-user-picker.h"

struct _RosterGroupsPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  GCancellable *load_cancellable;
  GPtrArray *catalogue; /* RosterPermissionDescription */
  RosterEditQueue *edits; /* by group id */
  gboolean populating;

  AdwEntryRow *new_group_row;
  GtkSwitch *team_switch;
  GtkListBox *groups_list;
};

G_DEFINE_FINAL_TYPE (RosterGroupsPage, roster_groups_page, GTK_TYPE_WIDGET)

enum
{
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fail (RosterGroupsPage *self, const GError *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
member_changed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterGroupsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterGroup) group = NULL;

  group = roster_client_group_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (group == NULL)
    fail (self, error);
  roster_groups_page_reload (self);
}

/* The group as last stored: the expander row's, which edits in place keep current. */
static RosterGroup *
row_group (gpointer control)
{
  return g_object_get_data (g_object_get_data (G_OBJECT (control), "expander"), "group");
}

static void
on_remove_clicked_cb (GtkButton *button, RosterGroupsPage *self)
{
  RosterGroup *group = row_group (button);
  const char *user_id = g_object_get_data (G_OBJECT (button), "user-id");

  roster_client_change_member_async (self->client, group, user_id, FALSE, self->cancellable,
                                     member_changed_cb, self);
}

typedef struct
{
  RosterGroupsPage *self;
  RosterGroup *group;
} AddContext;

static void
add_context_free (AddContext *ctx)
{
  g_object_unref (ctx->group);
  g_free (ctx);
}

static void
find_user_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AddContext *ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_context_free (ctx);
      return;
    }
  if (users == NULL)
    fail (ctx->self, error);
  else if (users->len == 0)
    {
      g_autoptr(GError) missing = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                                                       _("Nobody has that username"));

      fail (ctx->self, missing);
    }
  else
    roster_client_change_member_async (ctx->self->client, ctx->group,
                                       roster_user_get_id (g_ptr_array_index (users, 0)), TRUE,
                                       ctx->self->cancellable, member_changed_cb, ctx->self);
  add_context_free (ctx);
}

static void
on_add_member_apply_cb (AdwEntryRow *row, RosterGroupsPage *self)
{
  g_autofree char *user_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *filter = NULL;
  AddContext *ctx;

  if (*user_name == '\0')
    return;
  filter = roster_scim_filter_eq_new ("userName", user_name);
  ctx = g_new0 (AddContext, 1);
  ctx->self = self;
  ctx->group = g_object_ref (row_group (row));
  roster_client_list_users_async (self->client, 1, 1, filter, NULL, FALSE, self->cancellable,
                                  find_user_cb, ctx);
}

static void
on_member_chosen_cb (RosterUserPicker *picker, RosterUser *user, RosterGroupsPage *self)
{
  RosterGroup *group = row_group (picker);

  roster_client_change_member_async (self->client, group, roster_user_get_id (user), TRUE,
                                     self->cancellable, member_changed_cb, self);
}

static void
on_choose_member_clicked_cb (GtkButton *button, RosterGroupsPage *self)
{
  RosterGroup *group = row_group (button);
  RosterUserPicker *picker;
  g_autofree char *title = NULL;

  if (self->client == NULL)
    return;
  /* Translators: the title of the user picker, e.g. "Add a Member to Tour Guides" */
  title = g_strdup_printf (_("Add a Member to %s"), roster_group_get_display_name (group));
  picker = roster_user_picker_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   self->client, title, NULL);
  /* A reload while it is open drops the row, not its group. */
  g_object_set_data_full (G_OBJECT (picker), "expander",
                          g_object_ref (g_object_get_data (G_OBJECT (button), "expander")),
                          g_object_unref);
  g_signal_connect_object (picker, "chosen", G_CALLBACK (on_member_chosen_cb), self, 0);
}

/* Shows @group, as stored, on @expander; the controls inside read it from there. */
static void
expander_set_group (GtkWidget *expander, RosterGroup *group)
{
  guint n = roster_group_get_n_members (group);
  g_autofree char *members = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%u member", "%u members", n), n);
  g_autofree char *subtitle = g_strdup_printf (
    /* Translators: "Team · 3 members" */
    _("%s · %s"), roster_group_get_is_team (group) ? _("Team") : _("Group"), members);

  g_object_set_data_full (G_OBJECT (expander), "group", g_object_ref (group), g_object_unref);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                 roster_group_get_display_name (group));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
}

/* ----------------------------------------------------------------- edits */

static void send_change (RosterGroupsPage *self, RosterGroup *group);

static void
changed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtkWidget *expander = user_data; /* owned */
  RosterGroupsPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterGroup) group = NULL;
  const char *id;

  group = roster_client_group_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (expander);
      return;
    }
  self = g_object_get_data (G_OBJECT (expander), "page");
  id = g_object_get_data (G_OBJECT (expander), "group-id");
  if (group == NULL)
    {
      roster_edit_queue_done (self->edits, id, FALSE);
      fail (self, error);
      roster_groups_page_reload (self); /* show what the server has */
    }
  else
    {
      /* What changes next goes with this version, whether the row stays or is rebuilt. */
      g_object_set_data_full (G_OBJECT (expander), "group", g_object_ref (group),
                              g_object_unref);
      if (roster_edit_queue_done (self->edits, id, TRUE))
        send_change (self, group); /* the title stays as it was, for the rename check */
      else if (g_strcmp0 (roster_group_get_display_name (group),
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander))) != 0)
        roster_groups_page_reload (self); /* the buttons inside are named after it */
      else
        expander_set_group (expander, group);
    }
  g_object_unref (expander);
}

/* PATCHes what the controls changed since say (an entry row its applied "name" or
 * "description", a switch its state), onto @group's version. */
static void
send_change (RosterGroupsPage *self, RosterGroup *group)
{
  const char *id = roster_group_get_id (group);
  g_autoptr(GPtrArray) controls = roster_edit_queue_take (self->edits, id);
  g_auto(GStrv) permissions = NULL;
  const char *name = NULL, *description = NULL;
  gboolean team = roster_group_get_is_team (group), team_changed;
  GtkWidget *expander;

  permissions = roster_edit_queue_permissions (controls, roster_group_get_permissions (group));
  for (guint i = 0; i < controls->len; i++)
    {
      GObject *control = controls->pdata[i];

      if (g_object_get_data (control, "name") != NULL)
        name = g_object_get_data (control, "name");
      else if (g_object_get_data (control, "description") != NULL)
        description = g_object_get_data (control, "description");
      else if (GTK_IS_SWITCH (control) && g_object_get_data (control, "permission") == NULL)
        team = gtk_switch_get_active (GTK_SWITCH (control));
    }
  if (g_strcmp0 (name, roster_group_get_display_name (group)) == 0)
    name = NULL;
  if (g_strcmp0 (description, roster_group_get_description (group)) == 0)
    description = NULL;
  team_changed = team != roster_group_get_is_team (group);
  if (name == NULL && description == NULL && !team_changed && permissions == NULL)
    {
      roster_edit_queue_done (self->edits, id, TRUE); /* changed back: nothing to send */
      return;
    }
  /* The row these controls are in: a reload may have built it since @group's request. */
  expander = g_object_get_data (controls->pdata[0], "expander");
  roster_client_change_group_async (self->client, group, name, team_changed ? &team : NULL,
                                    description, (const char *const *) permissions,
                                    self->cancellable, changed_cb, g_object_ref (expander));
}

/* @control of its row changed: PATCHes it now, or after the answer in flight. */
static void
change_group (RosterGroupsPage *self, gpointer control)
{
  RosterGroup *group = row_group (control);

  if (roster_edit_queue_add (self->edits, roster_group_get_id (group), control))
    send_change (self, group);
}

static void
on_name_apply_cb (AdwEntryRow *row, RosterGroupsPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*name == '\0' || g_str_equal (name, roster_group_get_display_name (row_group (row))))
    return;
  g_object_set_data_full (G_OBJECT (row), "name", g_steal_pointer (&name), g_free);
  change_group (self, row);
}

static void
on_description_apply_cb (AdwEntryRow *row, RosterGroupsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  g_object_set_data_full (G_OBJECT (row), "description", g_steal_pointer (&text), g_free);
  change_group (self, row);
}

static void
on_team_active_cb (GtkSwitch *toggle, GParamSpec *pspec, RosterGroupsPage *self)
{
  if (self->populating)
    return;
  change_group (self, toggle);
}

static void
on_permission_active_cb (GtkSwitch *toggle, GParamSpec *pspec, RosterGroupsPage *self)
{
  if (self->populating)
    return;
  change_group (self, toggle);
}

/* ---------------------------------------------------------------- delete */

static void
delete_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterGroupsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_delete_group_finish (ROSTER_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      fail (self, error);
    }
  roster_groups_page_reload (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, RosterGroupsPage *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    roster_client_delete_group_async (self->client, g_object_get_data (G_OBJECT (dialog), "group"),
                                      self->cancellable, delete_cb, self);
}

static void
on_delete_clicked_cb (GtkButton *button, RosterGroupsPage *self)
{
  RosterGroup *group = row_group (button);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a team's or group's name */
  heading = g_strdup_printf (_("Delete “%s”?"), roster_group_get_display_name (group));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
    _("Its members stay, but lose the permissions it grants them.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "delete", _("Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "group", g_object_ref (group), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  roster_accessibility_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ rows */

/* The rows to change the group itself: name, description, kind, permissions, delete. */
static void
add_edit_rows (RosterGroupsPage *self, GtkWidget *expander, RosterGroup *group)
{
  GtkWidget *name_row = adw_entry_row_new ();
  GtkWidget *description_row = adw_entry_row_new ();
  GtkWidget *team_row = adw_action_row_new ();
  GtkWidget *team_switch = gtk_switch_new ();
  GtkWidget *delete_row = adw_action_row_new ();
  GtkWidget *delete_button = gtk_button_new_with_label (_("Delete"));
  g_autofree char *delete_name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), roster_group_get_display_name (group));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (description_row), _("Description"));
  gtk_editable_set_text (GTK_EDITABLE (description_row), roster_group_get_description (group));
  for (GtkWidget **row = (GtkWidget *[]) { name_row, description_row, NULL }; *row; row++)
    {
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (*row), TRUE);
      roster_accessibility_name_entry_row (ADW_ENTRY_ROW (*row));
      g_object_set_data (G_OBJECT (*row), "expander", expander);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), *row);
    }
  g_signal_connect_object (name_row, "apply", G_CALLBACK (on_name_apply_cb), self, 0);
  g_signal_connect_object (description_row, "apply", G_CALLBACK (on_description_apply_cb), self,
                           0);

  /* Named by the row, as the New Team or Group's switch is. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (team_row), _("A Team"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (team_row), _("Off for a group"));
  gtk_widget_set_valign (team_switch, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (team_switch), roster_group_get_is_team (group));
  g_object_set_data (G_OBJECT (team_switch), "expander", expander);
  g_signal_connect_object (team_switch, "notify::active", G_CALLBACK (on_team_active_cb), self,
                           0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (team_row), team_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (team_row), team_switch);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), team_row);

  roster_permission_switch_add_catalogue (ADW_EXPANDER_ROW (expander), self->catalogue,
                                          roster_group_get_permissions (group),
                                          G_CALLBACK (on_permission_active_cb), self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (delete_row),
                                 roster_group_get_is_team (group) ? _("Delete This Team")
                                                                  : _("Delete This Group"));
  gtk_widget_set_valign (delete_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete_button, "destructive-action");
  /* Translators: the accessible name of a button, e.g. "Delete Tour Guides" */
  delete_name = g_strdup_printf (_("Delete %s"), roster_group_get_display_name (group));
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  delete_name, -1);
  g_object_set_data (G_OBJECT (delete_button), "expander", expander);
  g_signal_connect_object (delete_button, "clicked", G_CALLBACK (on_delete_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (delete_row), delete_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), delete_row);
}

static GtkWidget *
group_row_new (RosterGroupsPage *self, RosterGroup *group)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *add_row = adw_entry_row_new ();
  guint n = roster_group_get_n_members (group);

  expander_set_group (expander, group);
  g_object_set_data (G_OBJECT (expander), "page", self);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_with_label (_("Remove"));
      g_autofree char *name = g_strdup_printf (_("Remove %s"),
                                               roster_group_get_member_display (group, i));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     roster_group_get_member_display (group, i));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_object_set_data (G_OBJECT (remove), "expander", expander);
      g_object_set_data_full (G_OBJECT (remove), "user-id",
                              g_strdup (roster_group_get_member_id (group, i)), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  {
    GtkWidget *choose_row = adw_action_row_new ();
    GtkWidget *choose = gtk_button_new_with_label (_("Choose…"));
    g_autofree char *name = g_strdup_printf (
      /* Translators: the accessible name of a button, e.g. "Add a Member to Tour Guides" */
      _("Add a Member to %s"), roster_group_get_display_name (group));

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (choose_row), _("Add a Member"));
    gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
    gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
    g_object_set_data (G_OBJECT (choose), "expander", expander);
    g_signal_connect_object (choose, "clicked", G_CALLBACK (on_choose_member_clicked_cb), self,
                             0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (choose_row), choose);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), choose_row);
  }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add_row), _("Add a Member by Username"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add_row), TRUE);
  roster_accessibility_name_entry_row (ADW_ENTRY_ROW (add_row));
  g_object_set_data (G_OBJECT (add_row), "expander", expander);
  g_signal_connect_object (add_row, "apply", G_CALLBACK (on_add_member_apply_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), add_row);
  add_edit_rows (self, expander, group);
  g_object_set_data_full (G_OBJECT (expander), "group-id",
                          g_strdup (roster_group_get_id (group)), g_free);
  g_object_set_data (G_OBJECT (expander), "add-row", add_row);
  return expander;
}

/* The rows are built anew after every change. So that the team someone is working on stays
 * open, and the keyboard focus does not vanish with the button or field that had it, the
 * open rows and the one holding the focus are remembered by group id. */
typedef struct
{
  GHashTable *expanded; /* group ids */
  char *focused;        /* group id */
} ListState;

static void
list_state_save (RosterGroupsPage *self, ListState *state)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  state->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->focused = NULL;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *id = g_object_get_data (G_OBJECT (row), "group-id");

      if (id == NULL)
        continue;
      if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
        g_hash_table_add (state->expanded, g_strdup (id));
      if (focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)))
        state->focused = g_strdup (id);
    }
}

static void
list_state_restore (RosterGroupsPage *self, ListState *state)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *id = g_object_get_data (G_OBJECT (row), "group-id");

      if (id == NULL)
        continue;
      if (g_hash_table_contains (state->expanded, id))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      /* Open, the focus goes to its Add a Member field; closed, to its header. */
      if (g_strcmp0 (state->focused, id) != 0)
        continue;
      if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
        gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "add-row"));
      else
        gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
    }
  g_hash_table_unref (state->expanded);
  g_free (state->focused);
}

static void
list_groups_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterGroupsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  GtkWidget *child;
  ListState state;

  groups = roster_client_list_groups_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (groups == NULL)
    {
      fail (self, error);
      return;
    }
  list_state_save (self, &state);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))) != NULL)
    gtk_list_box_remove (self->groups_list, child);
  roster_edit_queue_forget (self->edits); /* their controls are gone */
  self->populating = TRUE;
  for (guint i = 0; i < groups->len; i++)
    gtk_list_box_append (self->groups_list, group_row_new (self, g_ptr_array_index (groups, i)));
  self->populating = FALSE;
  list_state_restore (self, &state);
}

static void
list_permissions_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterGroupsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *catalogue;

  catalogue = roster_client_list_permissions_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (catalogue == NULL)
    {
      fail (self, error);
      return;
    }
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  self->catalogue = catalogue;
  roster_client_list_groups_async (self->client, self->load_cancellable, list_groups_cb, self);
}

/**
 * roster_groups_page_reload:
 *
 * Fetches the permission catalogue and the teams and groups again; a newer reload replaces
 * one in flight.
 */
void
roster_groups_page_reload (RosterGroupsPage *self)
{
  g_return_if_fail (ROSTER_IS_GROUPS_PAGE (self));

  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  roster_client_list_permissions_async (self->client, self->load_cancellable,
                                        list_permissions_cb, self);
}

static void
create_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterGroupsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterGroup) group = NULL;

  group = roster_client_group_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (group == NULL)
    {
      fail (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_group_row), "");
  roster_groups_page_reload (self);
}

static void
on_new_group_row_apply_cb (RosterGroupsPage *self)
{
  g_autofree char *name = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_group_row))));

  if (*name == '\0' || self->client == NULL)
    return;
  roster_client_create_group_async (self->client, name, gtk_switch_get_active (self->team_switch),
                                    self->cancellable, create_cb, self);
}

static void
roster_groups_page_dispose (GObject *object)
{
  RosterGroupsPage *self = ROSTER_GROUPS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_GROUPS_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  g_clear_pointer (&self->edits, roster_edit_queue_free);

  G_OBJECT_CLASS (roster_groups_page_parent_class)->dispose (object);
}

static void
roster_groups_page_class_init (RosterGroupsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_groups_page_dispose;

  /**
   * RosterGroupsPage::failed:
   * @error: translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-groups-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterGroupsPage, new_group_row);
  gtk_widget_class_bind_template_child (widget_class, RosterGroupsPage, team_switch);
  gtk_widget_class_bind_template_child (widget_class, RosterGroupsPage, groups_list);
  gtk_widget_class_bind_template_callback (widget_class, on_new_group_row_apply_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
roster_groups_page_init (RosterGroupsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_name_entry_row (self->new_group_row);
  self->cancellable = g_cancellable_new ();
  self->edits = roster_edit_queue_new ();
}

void
roster_groups_page_set_client (RosterGroupsPage *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_GROUPS_PAGE (self));

  if (!g_set_object (&self->client, client))
    return;
  roster_groups_page_reload (self);
}
