/* roster-user-filter-popover.c
 *
 * Beside the search entry: which users the list shows (status, role, team) and in what
 * order (name, username, last sign-in, created; ascending or descending). The list page
 * joins these with the search into the pager's SCIM filter and sortBy
 * (roster_scim_user_list_filter_new()), so the server does the filtering and the list stays
 * lazy. Roles and teams come from /Roles and /Groups (kind team). Every change emits
 * "changed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-scim.h"
#include "roster-user-filter-popover.h"

struct _RosterUserFilterPopover
{
  GtkPopover parent_instance;

  GCancellable *cancellable;
  GPtrArray *role_ids; /* parallel to role_dropdown's items; [0] is NULL: any */
  GPtrArray *team_ids;
  GtkDropDown *status_dropdown;
  GtkDropDown *role_dropdown;
  GtkDropDown *team_dropdown;
  GtkDropDown *sort_dropdown;
  GtkDropDown *order_dropdown;
  gboolean populating;
};

G_DEFINE_FINAL_TYPE (RosterUserFilterPopover, roster_user_filter_popover, GTK_TYPE_POPOVER)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* NULL first: any status. */
static const char *const statuses[] = { NULL, "active", "inactive", "locked", "pending" };

static const struct
{
  const char *label;
  const char *attribute; /* NULL: the server's own order, by username */
} sorts[] = {
  { N_("Username"), NULL },
  { N_("Name"), "name.familyName" },
  { N_("Last Sign-In"), ROSTER_SCIM_SCHEMA_ROSTER_USER ":lastLoginAt" },
  { N_("Created"), "meta.created" },
};

static void
on_selected_cb (RosterUserFilterPopover *self)
{
  if (!self->populating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static GtkDropDown *
add_choice (RosterUserFilterPopover *self, GtkGrid *grid, int row, const char *label,
            GtkStringList *items)
{
  GtkWidget *title = gtk_label_new_with_mnemonic (label);
  /* gtk_drop_down_new() takes the model. */
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (items)), NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), dropdown);
  gtk_widget_set_hexpand (dropdown, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (title)), -1);
  gtk_grid_attach (grid, title, 0, row, 1, 1);
  gtk_grid_attach (grid, dropdown, 1, row, 1, 1);
  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (on_selected_cb), self);
  return GTK_DROP_DOWN (dropdown);
}

static void
set_items (RosterUserFilterPopover *self, GtkDropDown *dropdown, GPtrArray *ids,
           const char *any, GPtrArray *groups_or_roles, gboolean roles)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  g_autofree char *selected_id = NULL;
  guint selected = 0;

  if (gtk_drop_down_get_selected (dropdown) < ids->len)
    selected_id = g_strdup (ids->pdata[gtk_drop_down_get_selected (dropdown)]);
  g_ptr_array_set_size (ids, 0);
  gtk_string_list_append (items, any);
  g_ptr_array_add (ids, NULL);
  for (guint i = 0; groups_or_roles != NULL && i < groups_or_roles->len; i++)
    {
      const char *id, *name;

      if (roles)
        {
          id = roster_role_get_id (groups_or_roles->pdata[i]);
          name = roster_role_get_name (groups_or_roles->pdata[i]);
        }
      else
        {
          if (!roster_group_get_is_team (groups_or_roles->pdata[i]))
            continue;
          id = roster_group_get_id (groups_or_roles->pdata[i]);
          name = roster_group_get_display_name (groups_or_roles->pdata[i]);
        }
      gtk_string_list_append (items, name);
      g_ptr_array_add (ids, g_strdup (id));
      if (g_strcmp0 (id, selected_id) == 0)
        selected = ids->len - 1;
    }
  self->populating = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (items));
  gtk_drop_down_set_selected (dropdown, selected);
  self->populating = FALSE;
  /* The chosen role or team is gone: the filter changed. */
  if (selected_id != NULL && selected == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
roles_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserFilterPopover *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roles = roster_client_list_roles_finish (ROSTER_CLIENT (object), result,
                                                                &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (roles == NULL)
    g_debug ("no roles to filter by: %s", error->message);
  set_items (self, self->role_dropdown, self->role_ids, _("Any Role"), roles, TRUE);
}

static void
groups_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserFilterPopover *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = roster_client_list_groups_finish (ROSTER_CLIENT (object), result,
                                                                  &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (groups == NULL)
    g_debug ("no teams to filter by: %s", error->message);
  set_items (self, self->team_dropdown, self->team_ids, _("Any Team"), groups, FALSE);
}

/**
 * roster_user_filter_popover_set_client:
 *
 * Offers the roles and teams of @client's server; they are fetched again each time the
 * popover opens, so a role created since is there.
 */
void
roster_user_filter_popover_set_client (RosterUserFilterPopover *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "client", client ? g_object_ref (client) : NULL,
                          g_object_unref);
  if (client == NULL)
    return;
  roster_client_list_roles_async (client, self->cancellable, roles_cb, self);
  roster_client_list_groups_async (client, self->cancellable, groups_cb, self);
}

static void
on_show_cb (RosterUserFilterPopover *self)
{
  RosterClient *client = g_object_get_data (G_OBJECT (self), "client");

  if (client != NULL)
    roster_user_filter_popover_set_client (self, client);
}

static void
on_reset_clicked_cb (RosterUserFilterPopover *self)
{
  roster_user_filter_popover_reset (self);
}

const char *
roster_user_filter_popover_get_status (RosterUserFilterPopover *self)
{
  guint selected;

  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), NULL);
  selected = gtk_drop_down_get_selected (self->status_dropdown);
  return selected < G_N_ELEMENTS (statuses) ? statuses[selected] : NULL;
}

/**
 * roster_user_filter_popover_set_status:
 * @status: (nullable): "active", "inactive", "locked", "pending", or %NULL for any
 */
void
roster_user_filter_popover_set_status (RosterUserFilterPopover *self, const char *status)
{
  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (statuses[i], status) == 0)
      gtk_drop_down_set_selected (self->status_dropdown, i);
}

static const char *
selected_id (GtkDropDown *dropdown, GPtrArray *ids)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < ids->len ? ids->pdata[selected] : NULL;
}

static void
select_id (GtkDropDown *dropdown, GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (ids->pdata[i], id) == 0)
      gtk_drop_down_set_selected (dropdown, i);
}

const char *
roster_user_filter_popover_get_role_id (RosterUserFilterPopover *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), NULL);
  return selected_id (self->role_dropdown, self->role_ids);
}

/**
 * roster_user_filter_popover_set_role_id:
 *
 * Selects a role the popover offers (once /Roles has answered), or any with %NULL.
 */
void
roster_user_filter_popover_set_role_id (RosterUserFilterPopover *self, const char *role_id)
{
  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));
  select_id (self->role_dropdown, self->role_ids, role_id);
}

const char *
roster_user_filter_popover_get_team_id (RosterUserFilterPopover *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), NULL);
  return selected_id (self->team_dropdown, self->team_ids);
}

void
roster_user_filter_popover_set_team_id (RosterUserFilterPopover *self, const char *team_id)
{
  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));
  select_id (self->team_dropdown, self->team_ids, team_id);
}

/**
 * roster_user_filter_popover_get_sort_by:
 *
 * Returns: (nullable): the SCIM attribute to sort by, or %NULL for the server's order
 *   (by username)
 */
const char *
roster_user_filter_popover_get_sort_by (RosterUserFilterPopover *self)
{
  guint selected;

  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), NULL);
  selected = gtk_drop_down_get_selected (self->sort_dropdown);
  return selected < G_N_ELEMENTS (sorts) ? sorts[selected].attribute : NULL;
}

gboolean
roster_user_filter_popover_get_sort_descending (RosterUserFilterPopover *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), FALSE);
  return gtk_drop_down_get_selected (self->order_dropdown) == 1;
}

/**
 * roster_user_filter_popover_set_sort:
 * @sort_by: (nullable): one of the attributes the popover offers, or %NULL for username
 */
void
roster_user_filter_popover_set_sort (RosterUserFilterPopover *self, const char *sort_by,
                                     gboolean descending)
{
  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_strcmp0 (sorts[i].attribute, sort_by) == 0)
      gtk_drop_down_set_selected (self->sort_dropdown, i);
  gtk_drop_down_set_selected (self->order_dropdown, descending ? 1 : 0);
}

/**
 * roster_user_filter_popover_get_active:
 *
 * Returns: whether any filter narrows the list (the sort order does not count)
 */
gboolean
roster_user_filter_popover_get_active (RosterUserFilterPopover *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self), FALSE);
  return roster_user_filter_popover_get_status (self) != NULL
         || roster_user_filter_popover_get_role_id (self) != NULL
         || roster_user_filter_popover_get_team_id (self) != NULL;
}

/**
 * roster_user_filter_popover_reset:
 *
 * Back to everyone, by username: one "changed" if anything was set.
 */
void
roster_user_filter_popover_reset (RosterUserFilterPopover *self)
{
  gboolean changed;

  g_return_if_fail (ROSTER_IS_USER_FILTER_POPOVER (self));
  changed = roster_user_filter_popover_get_active (self)
            || gtk_drop_down_get_selected (self->sort_dropdown) != 0
            || gtk_drop_down_get_selected (self->order_dropdown) != 0;
  self->populating = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->role_dropdown, 0);
  gtk_drop_down_set_selected (self->team_dropdown, 0);
  gtk_drop_down_set_selected (self->sort_dropdown, 0);
  gtk_drop_down_set_selected (self->order_dropdown, 0);
  self->populating = FALSE;
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
roster_user_filter_popover_dispose (GObject *object)
{
  RosterUserFilterPopover *self = ROSTER_USER_FILTER_POPOVER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->role_ids, g_ptr_array_unref);
  g_clear_pointer (&self->team_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (roster_user_filter_popover_parent_class)->dispose (object);
}

static void
roster_user_filter_popover_class_init (RosterUserFilterPopoverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_user_filter_popover_dispose;

  /**
   * RosterUserFilterPopover::changed:
   *
   * A filter or the sort order changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
roster_user_filter_popover_init (RosterUserFilterPopover *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Reset"));
  g_autoptr(GtkStringList) status_items = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) role_items = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) team_items = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sort_items = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) order_items = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  self->role_ids = g_ptr_array_new_with_free_func (g_free);
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->role_ids, NULL);
  g_ptr_array_add (self->team_ids, NULL);

  gtk_string_list_append (status_items, _("Any Status"));
  for (guint i = 1; i < G_N_ELEMENTS (statuses); i++)
    {
      RosterUserStatus status;

      roster_user_status_from_string (statuses[i], &status);
      gtk_string_list_append (status_items, roster_user_status_describe (status));
    }
  gtk_string_list_append (role_items, _("Any Role"));
  gtk_string_list_append (team_items, _("Any Team"));
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    gtk_string_list_append (sort_items, _(sorts[i].label));
  gtk_string_list_append (order_items, _("Ascending"));
  gtk_string_list_append (order_items, _("Descending"));

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->status_dropdown = add_choice (self, GTK_GRID (grid), 0, _("_Status"), status_items);
  self->role_dropdown = add_choice (self, GTK_GRID (grid), 1, _("_Role"), role_items);
  self->team_dropdown = add_choice (self, GTK_GRID (grid), 2, _("_Team"), team_items);
  self->sort_dropdown = add_choice (self, GTK_GRID (grid), 3, _("Sort _By"), sort_items);
  self->order_dropdown = add_choice (self, GTK_GRID (grid), 4, _("_Order"), order_items);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_widget_set_halign (reset, GTK_ALIGN_END);
  g_signal_connect_swapped (reset, "clicked", G_CALLBACK (on_reset_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), reset);
  gtk_popover_set_child (GTK_POPOVER (self), box);
  g_signal_connect (self, "show", G_CALLBACK (on_show_cb), NULL);
}
