/* roster-roles-page.c: roles, and the permissions each one grants, as switches
 *
 * Every role is an expander row; inside, one switch per permission of the server's
 * catalogue (/Permissions). A switch saves at once, as a PATCH of the role's permissions
 * with If-Match; if the role changed elsewhere meanwhile, the page reloads and says so.
 * One PATCH per role is in flight at a time: switches flipped meanwhile go with its answer's
 * version (RosterEditQueue), not against it.
 * Deleting asks first; a role users hold says how many, and deleting it takes it from them
 * in the same request.
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
#include "roster-permission-switch.h"
#include "roster-roles-page.h"
#include "roster-scim.h"

struct _RosterRolesPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  GCancellable *load_cancellable; /* the reload in flight: a newer one replaces it */
  GPtrArray *catalogue; /* RosterPermissionDescription */
  RosterEditQueue *edits; /* by role id */
  gboolean populating;
  RosterRole *deleting; /* for the question when it is still in use */

  AdwEntryRow *new_role_row;
  GtkListBox *roles_list;
};

G_DEFINE_FINAL_TYPE (RosterRolesPage, roster_roles_page, GTK_TYPE_WIDGET)

enum
{
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fail (RosterRolesPage *self, const GError *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

static char *
describe_role (RosterRole *role)
{
  guint n = g_strv_length ((GStrv) roster_role_get_permissions (role));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u permission", "%u permissions", n), n);
}

/* ------------------------------------------------------------ permissions */

typedef struct
{
  RosterRolesPage *self;
  AdwExpanderRow *expander; /* owned; its "role" data is the role as last stored */
} SwitchContext;

static void
switch_context_free (SwitchContext *ctx)
{
  g_object_unref (ctx->expander);
  g_free (ctx);
}

static void send_permissions (RosterRolesPage *self, RosterRole *role);

static void
set_permissions_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SwitchContext *ctx = user_data;
  RosterRolesPage *self = ctx->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterRole) role = NULL;
  g_autofree char *subtitle = NULL;
  const char *id;

  role = roster_client_role_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      switch_context_free (ctx);
      return;
    }
  id = roster_role_get_id (g_object_get_data (G_OBJECT (ctx->expander), "role"));
  if (role == NULL)
    {
      roster_edit_queue_done (self->edits, id, FALSE);
      fail (self, error);
      roster_roles_page_reload (self); /* show what the server has */
      switch_context_free (ctx);
      return;
    }
  /* The row may have been rebuilt by a reload meanwhile; then the new one is current. */
  g_object_set_data_full (G_OBJECT (ctx->expander), "role", g_object_ref (role), g_object_unref);
  subtitle = describe_role (role);
  adw_expander_row_set_subtitle (ctx->expander, subtitle);
  switch_context_free (ctx);
  if (roster_edit_queue_done (self->edits, roster_role_get_id (role), TRUE))
    send_permissions (self, role);
}

/* PATCHes what the switches flipped since say, onto @role's permissions and version. */
static void
send_permissions (RosterRolesPage *self, RosterRole *role)
{
  g_autoptr(GPtrArray) switches = roster_edit_queue_take (self->edits, roster_role_get_id (role));
  g_auto(GStrv) permissions = NULL;
  SwitchContext *ctx;

  permissions = roster_edit_queue_permissions (switches, roster_role_get_permissions (role));
  if (permissions == NULL) /* flipped back: nothing to send */
    {
      roster_edit_queue_done (self->edits, roster_role_get_id (role), TRUE);
      return;
    }
  ctx = g_new0 (SwitchContext, 1);
  ctx->self = self;
  /* The row whose switches these are: a reload may have built it since @role's request. */
  ctx->expander = g_object_ref (g_object_get_data (switches->pdata[0], "expander"));
  roster_client_set_role_permissions_async (self->client, role, (const char *const *) permissions,
                                            self->cancellable, set_permissions_cb, ctx);
}

static void
on_switch_active_cb (GtkSwitch *toggle, GParamSpec *pspec, RosterRolesPage *self)
{
  AdwExpanderRow *expander = g_object_get_data (G_OBJECT (toggle), "expander");
  RosterRole *role = g_object_get_data (G_OBJECT (expander), "role");

  if (self->populating)
    return;
  if (roster_edit_queue_add (self->edits, roster_role_get_id (role), G_OBJECT (toggle)))
    send_permissions (self, role);
}

/* ---------------------------------------------------------------- delete */

static void delete_role (RosterRolesPage *self, RosterRole *role, gboolean force);
static void count_holders (RosterRolesPage *self, RosterRole *role);

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, RosterRolesPage *self)
{
  RosterRole *role = g_object_get_data (G_OBJECT (dialog), "role");

  if (g_strcmp0 (response, "delete") == 0)
    delete_role (self, role, FALSE);
  else if (g_strcmp0 (response, "force") == 0)
    delete_role (self, role, TRUE);
}

/* Asks before deleting @role; held by @n_holders users, the answer takes it from them too
 * (DELETE ?force=true: one request, one transaction on the server). */
static void
ask_delete (RosterRolesPage *self, RosterRole *role, guint n_holders)
{
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (n_holders == 0)
    /* Translators: %s is a role's name */
    heading = g_strdup_printf (_("Delete “%s”?"), roster_role_get_name (role));
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: %s is a role's name, %u a number */
                                            "Role “%s” Is Held by %u User",
                                            "Role “%s” Is Held by %u Users", n_holders),
                               roster_role_get_name (role), n_holders);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
    n_holders == 0 ? _("The role and its permissions are gone for good.")
                   : _("Deleting it removes it from them, and with it what it lets them do. "
                       "Nothing else about them changes.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), NULL);
  if (n_holders == 0)
    adw_message_dialog_add_response (dialog, "delete", _("Delete"));
  else
    adw_message_dialog_add_response (dialog, "force", _("Remove From Users and Delete"));
  adw_message_dialog_set_response_appearance (dialog, n_holders == 0 ? "delete" : "force",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "role", g_object_ref (role), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  roster_accessibility_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
holders_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRolesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint total = 0;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, &total, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (users == NULL)
    {
      fail (self, error);
      return;
    }
  if (self->deleting != NULL)
    ask_delete (self, self->deleting, total);
}

/* How many users hold @role (a filtered count, no users fetched), then asks. */
static void
count_holders (RosterRolesPage *self, RosterRole *role)
{
  g_autofree char *filter = roster_scim_filter_eq_new ("roles.value", roster_role_get_id (role));

  g_set_object (&self->deleting, role);
  roster_client_list_users_async (self->client, 1, 0, filter, NULL, FALSE, self->cancellable,
                                  holders_cb, self);
}

static void
delete_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRolesPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (roster_client_delete_role_finish (ROSTER_CLIENT (object), result, &error))
    {
      roster_roles_page_reload (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Given to someone since the question was asked: ask again, with the holders. */
  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_ROLE_IN_USE) && self->deleting != NULL)
    {
      count_holders (self, self->deleting);
      return;
    }
  fail (self, error);
}

static void
delete_role (RosterRolesPage *self, RosterRole *role, gboolean force)
{
  g_set_object (&self->deleting, role);
  roster_client_delete_role_async (self->client, role, force, self->cancellable, delete_cb, self);
}

static void
on_delete_clicked_cb (GtkButton *button, RosterRolesPage *self)
{
  AdwExpanderRow *expander = g_object_get_data (G_OBJECT (button), "expander");

  count_holders (self, g_object_get_data (G_OBJECT (expander), "role"));
}

/* ------------------------------------------------------------------ rows */

static GtkWidget *
role_row_new (RosterRolesPage *self, RosterRole *role)
{
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *subtitle = describe_role (role);
  GtkWidget *delete_row, *delete_button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), roster_role_get_name (role));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  g_object_set_data_full (G_OBJECT (expander), "role", g_object_ref (role), g_object_unref);

  roster_permission_switch_add_catalogue (ADW_EXPANDER_ROW (expander), self->catalogue,
                                          roster_role_get_permissions (role),
                                          G_CALLBACK (on_switch_active_cb), self);

  delete_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (delete_row), _("Delete This Role"));
  delete_button = gtk_button_new_with_label (_("Delete"));
  gtk_widget_set_valign (delete_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete_button, "destructive-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Delete Role"), -1);
  g_object_set_data (G_OBJECT (delete_button), "expander", expander);
  g_signal_connect_object (delete_button, "clicked", G_CALLBACK (on_delete_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (delete_row), delete_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), delete_row);
  return expander;
}

static void
list_roles_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRolesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  GtkWidget *child;

  roles = roster_client_list_roles_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (roles == NULL)
    {
      fail (self, error);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->roles_list))) != NULL)
    gtk_list_box_remove (self->roles_list, child);
  roster_edit_queue_forget (self->edits); /* their switches are gone */
  self->populating = TRUE;
  for (guint i = 0; i < roles->len; i++)
    gtk_list_box_append (self->roles_list, role_row_new (self, g_ptr_array_index (roles, i)));
  self->populating = FALSE;
}

static void
list_permissions_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterRolesPage *self = user_data;
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
  roster_client_list_roles_async (self->client, self->load_cancellable, list_roles_cb, self);
}

/**
 * roster_roles_page_reload:
 *
 * Fetches the catalogue and the roles again and rebuilds the list.
 */
void
roster_roles_page_reload (RosterRolesPage *self)
{
  g_return_if_fail (ROSTER_IS_ROLES_PAGE (self));

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
  RosterRolesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterRole) role = NULL;

  role = roster_client_role_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (role == NULL)
    {
      fail (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_role_row), "");
  roster_roles_page_reload (self);
}

static void
on_new_role_row_apply_cb (RosterRolesPage *self)
{
  g_autofree char *name = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_role_row))));

  if (*name == '\0' || self->client == NULL)
    return;
  roster_client_create_role_async (self->client, name, NULL, self->cancellable, create_cb, self);
}

/* ---------------------------------------------------------------- GObject */

static void
roster_roles_page_dispose (GObject *object)
{
  RosterRolesPage *self = ROSTER_ROLES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_ROLES_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  g_clear_object (&self->deleting);
  g_clear_pointer (&self->edits, roster_edit_queue_free);

  G_OBJECT_CLASS (roster_roles_page_parent_class)->dispose (object);
}

static void
roster_roles_page_class_init (RosterRolesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_roles_page_dispose;

  /**
   * RosterRolesPage::failed:
   * @error: translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-roles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterRolesPage, new_role_row);
  gtk_widget_class_bind_template_child (widget_class, RosterRolesPage, roles_list);
  gtk_widget_class_bind_template_callback (widget_class, on_new_role_row_apply_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
roster_roles_page_init (RosterRolesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->edits = roster_edit_queue_new ();
}

/**
 * roster_roles_page_set_client:
 *
 * Shows @client's server's roles.
 */
void
roster_roles_page_set_client (RosterRolesPage *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_ROLES_PAGE (self));

  if (!g_set_object (&self->client, client))
    return;
  roster_roles_page_reload (self);
}
