/* roster-user-list-page.c: the list of every user on the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-delete-user-dialog.h"

#include "roster-error.h"
#include "roster-scim.h"
#include "roster-user-filter-popover.h"
#include "roster-user-list-page.h"
#include "roster-user-row.h"

struct _RosterUserListPage
{
  GtkWidget parent_instance;

  RosterUserPager *pager;
  GCancellable *cancellable;
  GCancellable *write_cancellable; /* deletes and restores: they finish unless disposed */

  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  GtkRevealer *server_strip;
  GtkLabel *server_strip_label;
  guint retry_source;  /* the next automatic Retry while the strip shows */
  guint retry_seconds; /* its delay: doubled at each failure, up to RETRY_MAX_SECONDS */
  GtkStack *content_stack;
  GtkSingleSelection *selection;
  GtkListView *list_view;
  AdwStatusPage *error_status;
  AdwStatusPage *empty_status;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkMenuButton *filter_button;
  RosterUserFilterPopover *filter_popover;
};

G_DEFINE_FINAL_TYPE (RosterUserListPage, roster_user_list_page, GTK_TYPE_WIDGET)

/* While the server is unavailable the page retries by itself after 5, 10, 20, … seconds. */
#define RETRY_FIRST_SECONDS 5
#define RETRY_MAX_SECONDS 60

enum
{
  PROP_0,
  PROP_PAGER,
  PROP_SERVER_UNREACHABLE,
  PROP_SELECTED_USER,
  N_PROPS
};

enum
{
  LOAD_FAILED,
  FAILED,
  USER_DELETED,
  USER_RESTORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_title (RosterUserListPage *self)
{
  guint n = self->pager != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->pager)) : 0;
  g_autofree char *subtitle = NULL;

  if (self->pager != NULL && n > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user", "%u users", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

static void
update_empty_status (RosterUserListPage *self)
{
  gboolean searching = self->pager != NULL && roster_user_pager_get_filter (self->pager) != NULL;
  gboolean filtered = roster_user_filter_popover_get_active (self->filter_popover);

  adw_status_page_set_icon_name (self->empty_status, searching ? "system-search-symbolic"
                                                               : "system-users-symbolic");
  adw_status_page_set_title (self->empty_status,
                             searching ? _("No Matching Users") : _("No Users"));
  adw_status_page_set_description (self->empty_status,
                                   filtered    ? _("Try a different search or other filters.")
                                   : searching ? _("Try a different search.")
                                               : NULL);
}

static void
on_pager_items_changed_cb (RosterUserListPage *self, guint position, guint removed, guint added,
                           GListModel *model)
{
  update_title (self);
  update_empty_status (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") != 0)
    gtk_stack_set_visible_child_name (self->content_stack,
                                      g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

static void
report_failure (RosterUserListPage *self, const GError *error)
{
  roster_user_list_page_report_unavailable (self, error);
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
on_pager_load_failed_cb (RosterUserListPage *self, GError *error, RosterUserPager *pager)
{
  report_failure (self, error);
}

static void
refresh_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserListPage *self = user_data; /* may be disposed: only checked after cancel */
  g_autoptr(GError) error = NULL;
  guint n;

  if (!roster_user_pager_refresh_finish (ROSTER_USER_PAGER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      n = g_list_model_get_n_items (G_LIST_MODEL (object));
      if (n == 0)
        {
          adw_status_page_set_description (self->error_status, error->message);
          gtk_stack_set_visible_child_name (self->content_stack, "error");
        }
      else
        gtk_stack_set_visible_child_name (self->content_stack, "list");
      report_failure (self, error);
      return;
    }

  roster_user_list_page_set_server_unreachable (self, FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (object));
  gtk_stack_set_visible_child_name (self->content_stack, n > 0 ? "list" : "empty");
  update_title (self);
}

/**
 * roster_user_list_page_refresh:
 *
 * Fetches the list again from the server. What is shown stays until the answer arrives.
 */
void
roster_user_list_page_refresh (RosterUserListPage *self)
{
  g_return_if_fail (ROSTER_IS_USER_LIST_PAGE (self));

  if (self->pager == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (g_list_model_get_n_items (G_LIST_MODEL (self->pager)) == 0)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  roster_user_pager_refresh_async (self->pager, self->cancellable, refresh_cb, self);
}

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  roster_user_list_page_refresh (ROSTER_USER_LIST_PAGE (widget));
}

/* The search, the filters and the sort order, as the pager's SCIM filter and sortBy. */
static gboolean
update_query (RosterUserListPage *self, const char *text)
{
  g_autofree char *filter = roster_scim_user_list_filter_new (
    text, roster_user_filter_popover_get_status (self->filter_popover),
    roster_user_filter_popover_get_role_id (self->filter_popover),
    roster_user_filter_popover_get_team_id (self->filter_popover));
  const char *sort_by = roster_user_filter_popover_get_sort_by (self->filter_popover);
  gboolean descending = roster_user_filter_popover_get_sort_descending (self->filter_popover);
  gboolean changed;

  if (roster_user_filter_popover_get_active (self->filter_popover))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
  if (self->pager == NULL)
    return FALSE;
  changed = g_strcmp0 (filter, roster_user_pager_get_filter (self->pager)) != 0
            || g_strcmp0 (sort_by, roster_user_pager_get_sort_by (self->pager)) != 0
            || descending != roster_user_pager_get_sort_descending (self->pager);
  roster_user_pager_set_filter (self->pager, filter);
  roster_user_pager_set_sort (self->pager, sort_by, descending);
  return changed;
}

static void
apply_search (RosterUserListPage *self, const char *text)
{
  if (update_query (self, text))
    roster_user_list_page_refresh (self);
}

static void
on_filter_popover_changed_cb (RosterUserListPage *self)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/**
 * roster_user_list_page_get_filter_popover:
 *
 * Returns: (transfer none): the popover of filters and sort order beside the search
 */
RosterUserFilterPopover *
roster_user_list_page_get_filter_popover (RosterUserListPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), NULL);
  return self->filter_popover;
}

static void
on_search_entry_search_changed_cb (RosterUserListPage *self, GtkSearchEntry *entry)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_entry_stop_search_cb (RosterUserListPage *self, GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  apply_search (self, NULL);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterUserListPage *self = ROSTER_USER_LIST_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---------------------------------------------------------- delete, restore */

static RosterClient *
client (RosterUserListPage *self)
{
  return self->pager != NULL ? roster_user_pager_get_client (self->pager) : NULL;
}

/* @error's sentence after what could not be done: "Ada could not be deleted. …" */
static void
report_write_failure (RosterUserListPage *self, const char *what, const GError *error)
{
  g_autoptr(GError) described = g_error_new (error->domain, error->code, "%s %s", what,
                                              error->message);

  roster_user_list_page_report_unavailable (self, error);
  g_signal_emit (self, signals[FAILED], 0, described);
}

static void
delete_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RosterUser) user = user_data;
  RosterUserListPage *self = g_object_get_data (G_OBJECT (user), "list-page");
  g_autoptr(GError) error = NULL;

  if (!roster_client_delete_user_finish (ROSTER_CLIENT (object), result, &error))
    {
      g_autofree char *what = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is a user's name; a reason follows */
      what = g_strdup_printf (_("%s could not be deleted."), roster_user_get_title (user));
      report_write_failure (self, what, error);
      return;
    }
  /* The row goes: the refresh replaces its position, which clears the selection and with it
   * the user page. */
  roster_user_list_page_refresh (self);
  g_signal_emit (self, signals[USER_DELETED], 0, user);
}

static void
on_delete_confirmed_cb (RosterDeleteUserDialog *dialog, RosterUser *user,
                        const char *const *destinations, RosterUserListPage *self)
{
  RosterUser *copy = roster_user_new ();

  if (client (self) == NULL)
    {
      g_object_unref (copy);
      return;
    }
  roster_user_update_from (copy, user);
  g_object_set_data (G_OBJECT (copy), "list-page", self);
  roster_client_delete_user_async (client (self), roster_user_get_id (user), destinations,
                                   self->write_cancellable, delete_cb, copy);
}

static void
on_delete_dialog_failed_cb (RosterDeleteUserDialog *dialog, GError *error,
                            RosterUserListPage *self)
{
  RosterUser *user = g_object_get_data (G_OBJECT (dialog), "user");
  g_autofree char *what = NULL;

  /* Translators: %s is a user's name; a reason follows */
  what = g_strdup_printf (_("%s could not be deleted."), roster_user_get_title (user));
  report_write_failure (self, what, error);
}

/**
 * roster_user_list_page_delete_user:
 * @user: (nullable): whom to delete; %NULL for the selected user
 *
 * Asks whether to delete @user and who takes over what they own (#RosterDeleteUserDialog),
 * then deletes them: the row goes and ::user-deleted is emitted, or ::failed says why not.
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL when there is nobody to delete
 */
GtkWindow *
roster_user_list_page_delete_user (RosterUserListPage *self, RosterUser *user)
{
  RosterDeleteUserDialog *dialog;

  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), NULL);

  if (user == NULL)
    user = roster_user_list_page_get_selected_user (self);
  if (user == NULL || roster_user_get_id (user) == NULL || client (self) == NULL)
    return NULL;
  dialog = roster_delete_user_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                          client (self), user);
  g_object_set_data_full (G_OBJECT (dialog), "user", g_object_ref (user), g_object_unref);
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (on_delete_confirmed_cb), self, 0);
  g_signal_connect_object (dialog, "failed", G_CALLBACK (on_delete_dialog_failed_cb), self, 0);
  return GTK_WINDOW (dialog);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  roster_user_list_page_delete_user (ROSTER_USER_LIST_PAGE (widget), NULL);
}

static void
restore_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserListPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;
  guint n_reassigned = 0;

  user = roster_client_restore_user_finish (ROSTER_CLIENT (object), result, &n_reassigned,
                                            &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (user == NULL)
    {
      report_write_failure (self, _("The user could not be restored."), error);
      return;
    }
  roster_user_list_page_refresh (self);
  g_signal_emit (self, signals[USER_RESTORED], 0, user, n_reassigned);
}

/**
 * roster_user_list_page_restore_user:
 * @id: a deleted user's id
 *
 * Brings a deleted user back (Undo of a delete), inactive; the list shows them again and
 * ::user-restored is emitted, or ::failed says why not.
 */
void
roster_user_list_page_restore_user (RosterUserListPage *self, const char *id)
{
  g_return_if_fail (ROSTER_IS_USER_LIST_PAGE (self));
  g_return_if_fail (id != NULL);

  if (client (self) == NULL)
    return;
  roster_client_restore_user_async (client (self), id, self->write_cancellable, restore_cb,
                                    self);
}

static void
roster_user_list_page_dispose (GObject *object)
{
  RosterUserListPage *self = ROSTER_USER_LIST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->write_cancellable);
  g_clear_object (&self->write_cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_USER_LIST_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->pager);

  G_OBJECT_CLASS (roster_user_list_page_parent_class)->dispose (object);
}

static void
roster_user_list_page_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  RosterUserListPage *self = ROSTER_USER_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGER:
      g_value_set_object (value, self->pager);
      break;
    case PROP_SERVER_UNREACHABLE:
      g_value_set_boolean (value, roster_user_list_page_get_server_unreachable (self));
      break;
    case PROP_SELECTED_USER:
      g_value_set_object (value, roster_user_list_page_get_selected_user (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_selection_changed_cb (RosterUserListPage *self, GParamSpec *pspec,
                         GtkSingleSelection *selection)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_USER]);
}

static void
roster_user_list_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  RosterUserListPage *self = ROSTER_USER_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGER:
      roster_user_list_page_set_pager (self, g_value_get_object (value));
      break;
    case PROP_SERVER_UNREACHABLE:
      roster_user_list_page_set_server_unreachable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_list_page_class_init (RosterUserListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_user_list_page_dispose;
  object_class->get_property = roster_user_list_page_get_property;
  object_class->set_property = roster_user_list_page_set_property;

  properties[PROP_PAGER] = g_param_spec_object (
    "pager", NULL, NULL, ROSTER_TYPE_USER_PAGER,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_UNREACHABLE] = g_param_spec_boolean (
    "server-unreachable", NULL, NULL, FALSE,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * RosterUserListPage:selected-user:
   *
   * The user chosen in the list, or %NULL. It may still be a placeholder being filled.
   */
  properties[PROP_SELECTED_USER] = g_param_spec_object ("selected-user", NULL, NULL,
                                                        ROSTER_TYPE_USER,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterUserListPage::load-failed:
   * @error: in %ROSTER_ERROR, with a translated message
   */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR);

  /**
   * RosterUserListPage::failed:
   * @error: what could not be done and why (a delete, a restore), translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * RosterUserListPage::user-deleted:
   * @user: who was deleted (in Recently Deleted now)
   */
  signals[USER_DELETED] = g_signal_new ("user-deleted", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        ROSTER_TYPE_USER);

  /**
   * RosterUserListPage::user-restored:
   * @user: the user as it is back (inactive)
   * @n_reassigned: how many of their records stayed with those who took them over
   */
  signals[USER_RESTORED] = g_signal_new ("user-restored", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         ROSTER_TYPE_USER, G_TYPE_UINT);

  g_type_ensure (ROSTER_TYPE_USER_ROW);
  g_type_ensure (ROSTER_TYPE_USER_FILTER_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-user-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, server_strip);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, server_strip_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, selection);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserListPage, filter_popover);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_popover_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "users.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "users.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "users.refresh", NULL);
  gtk_widget_class_install_action (widget_class, "users.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "users.search",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "users.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "users.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "users.delete", NULL);
}

static void
roster_user_list_page_init (RosterUserListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_track_stack (self->content_stack);
  /* Typing in the list starts a search, as in GNOME's other lists. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->server_strip), GTK_ACCESSIBLE_STATE_HIDDEN,
                               TRUE, -1);
  self->cancellable = g_cancellable_new ();
  self->write_cancellable = g_cancellable_new ();
}

RosterUserPager *
roster_user_list_page_get_pager (RosterUserListPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), NULL);
  return self->pager;
}

/**
 * roster_user_list_page_set_pager:
 *
 * Shows @pager's users and refreshes it.
 */
void
roster_user_list_page_set_pager (RosterUserListPage *self, RosterUserPager *pager)
{
  g_return_if_fail (ROSTER_IS_USER_LIST_PAGE (self));
  g_return_if_fail (pager == NULL || ROSTER_IS_USER_PAGER (pager));

  if (self->pager == pager)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->pager != NULL)
    g_signal_handlers_disconnect_by_data (self->pager, self);
  g_set_object (&self->pager, pager);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (pager));
  roster_user_filter_popover_set_client (self->filter_popover,
                                         pager != NULL ? roster_user_pager_get_client (pager)
                                                       : NULL);
  if (pager != NULL)
    {
      /* A new pager (after signing in again, say) keeps the search that is on screen. */
      update_query (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      g_signal_connect_object (pager, "items-changed", G_CALLBACK (on_pager_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pager, "load-failed", G_CALLBACK (on_pager_load_failed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
      roster_user_list_page_refresh (self);
    }
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGER]);
}

static void start_retry_timer (RosterUserListPage *self);

static gboolean
retry_cb (gpointer user_data)
{
  RosterUserListPage *self = user_data;

  self->retry_source = 0;
  /* Off screen (the window shows sign-in or the setup wizard, or the user page covers a
   * folded list) nothing is retried behind the person's back: try again later. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      start_retry_timer (self); /* the same delay again, not a longer one */
      return G_SOURCE_REMOVE;
    }
  /* The window's Retry also starts a local server that stopped; alone, refresh the list. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.retry", NULL))
    roster_user_list_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Another automatic Retry, later than the last one: a failed retry reports again and
 * comes back here. */
static void
schedule_retry (RosterUserListPage *self)
{
  if (self->retry_source != 0)
    return;
  self->retry_seconds = self->retry_seconds == 0
                          ? RETRY_FIRST_SECONDS
                          : MIN (self->retry_seconds * 2, RETRY_MAX_SECONDS);
  start_retry_timer (self);
}

static void
start_retry_timer (RosterUserListPage *self)
{
  self->retry_source = g_timeout_add_seconds (self->retry_seconds, retry_cb, self);
  g_source_set_name_by_id (self->retry_source, "[roster] retry the unavailable server");
}

/**
 * roster_user_list_page_set_server_unreachable:
 *
 * Shows or hides the strip that says the server cannot be reached, with its Retry button
 * (the window's win.retry action). roster_user_list_page_report_unavailable() shows it with
 * the sentence for a given error. While it shows, the page retries by itself after 5, 10,
 * 20, … up to 60 seconds, the delay growing with each report that it is still unavailable;
 * only while the page is on screen.
 */
void
roster_user_list_page_set_server_unreachable (RosterUserListPage *self, gboolean unreachable)
{
  g_return_if_fail (ROSTER_IS_USER_LIST_PAGE (self));

  unreachable = !!unreachable;
  if (unreachable)
    schedule_retry (self);
  else
    {
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retry_seconds = 0;
      /* Shown again without an error (the local server stopped), it says the default. */
      gtk_label_set_label (self->server_strip_label, _("The server cannot be reached."));
    }
  if (gtk_revealer_get_reveal_child (self->server_strip) == unreachable)
    return;
  gtk_revealer_set_reveal_child (self->server_strip, unreachable);
  /* A folded revealer keeps its child in the accessible tree: hide it from screen readers. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->server_strip), GTK_ACCESSIBLE_STATE_HIDDEN,
                               !unreachable, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_UNREACHABLE]);
}

/**
 * roster_user_list_page_report_unavailable:
 * @error: (nullable): why a request failed
 *
 * If @error says the server is unavailable for now (roster_error_is_unavailable()), shows
 * the strip with Retry and a sentence for it: the server cannot be reached, or it is
 * reachable but cannot reach its database (503 `store-unavailable`, e.g. while PostgreSQL
 * restarts). Nothing is lost either way, so neither is a failure to report elsewhere.
 *
 * Returns: %TRUE if the strip now shows @error, %FALSE if @error is another failure
 */
gboolean
roster_user_list_page_report_unavailable (RosterUserListPage *self, const GError *error)
{
  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), FALSE);

  if (!roster_error_is_unavailable (error))
    return FALSE;
  gtk_label_set_label (self->server_strip_label,
                       error->code == ROSTER_ERROR_STORE_UNAVAILABLE
                         ? _("The server is running but cannot reach its database.")
                         : _("The server cannot be reached."));
  roster_user_list_page_set_server_unreachable (self, TRUE);
  return TRUE;
}

gboolean
roster_user_list_page_get_server_unreachable (RosterUserListPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), FALSE);
  return gtk_revealer_get_reveal_child (self->server_strip);
}

/**
 * roster_user_list_page_get_selected_user:
 *
 * Returns: (transfer none) (nullable): the selected user
 */
RosterUser *
roster_user_list_page_get_selected_user (RosterUserListPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_LIST_PAGE (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * roster_user_list_page_set_folded:
 *
 * Beside the user page, the list leaves the window buttons to it; alone, it shows them.
 */
void
roster_user_list_page_set_folded (RosterUserListPage *self, gboolean folded)
{
  g_return_if_fail (ROSTER_IS_USER_LIST_PAGE (self));
  adw_header_bar_set_show_end_title_buttons (self->header_bar, folded);
}
