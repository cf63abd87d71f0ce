/* roster-user-picker.c
 *
 * Chooses a manager (or a member) among all the server's users without loading them all:
 * a search entry over its own RosterUserPager, which fetches only the pages the list shows,
 * filtered on the server as the list page's search is. Enter or a click on a user chooses
 * them; Escape cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-scim.h"
#include "roster-user-pager.h"
#include "roster-user-picker.h"
#include "roster-user-row.h"

struct _RosterUserPicker
{
  AdwWindow parent_instance;

  RosterUserPager *pager;
  GCancellable *cancellable;
  char *exclude_id;
  gboolean active_only;
  guint first_search; /* idle: the search for everyone, unless changed before it runs */
  char *searched;     /* the text of the last search ("" for everyone) */
  GtkSearchEntry *search_entry;
  GtkSingleSelection *selection;
  GtkStack *stack;
};

G_DEFINE_FINAL_TYPE (RosterUserPicker, roster_user_picker, ADW_TYPE_WINDOW)

enum
{
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
refresh_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPicker *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_user_pager_refresh_finish (ROSTER_USER_PAGER (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_stack_set_visible_child_name (
    self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->pager)) > 0 ? "list" : "empty");
}

/**
 * roster_user_picker_set_search:
 *
 * Searches the server's users for @text, as typing it in the search entry does (without the
 * entry's delay).
 */
void
roster_user_picker_set_search (RosterUserPicker *self, const char *text)
{
  g_autofree char *search = NULL;
  g_autofree char *filter = NULL;

  g_return_if_fail (ROSTER_IS_USER_PICKER (self));

  g_clear_handle_id (&self->first_search, g_source_remove);
  g_free (self->searched);
  self->searched = g_strdup (text != NULL ? text : "");
  search = roster_scim_search_filter_new (text);
  if (self->exclude_id != NULL)
    {
      g_autofree char *not_self = roster_scim_filter_eq_new ("id", self->exclude_id);

      filter = search != NULL ? g_strdup_printf ("(%s) and not (%s)", search, not_self)
                              : g_strdup_printf ("not (%s)", not_self);
    }
  else
    filter = g_steal_pointer (&search);
  if (self->active_only)
    {
      g_autofree char *active
        = roster_scim_filter_eq_new (ROSTER_SCIM_SCHEMA_ROSTER_USER ":status", "active");
      g_autofree char *all = g_steal_pointer (&filter);

      filter = all != NULL ? g_strdup_printf ("(%s) and (%s)", all, active)
                           : g_steal_pointer (&active);
    }
  roster_user_pager_set_filter (self->pager, filter);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  roster_user_pager_refresh_async (self->pager, self->cancellable, refresh_cb, self);
}

static void
on_search_changed_cb (RosterUserPicker *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* The entry also reports a search when its text did not change (focus, the first empty
   * text): searching again would replace every row under the pointer for the same users. */
  if (self->searched != NULL && g_str_equal (text, self->searched))
    return;
  roster_user_picker_set_search (self, text);
}

/**
 * roster_user_picker_choose:
 *
 * Chooses the user at @position: emits #RosterUserPicker::chosen and closes. A row still
 * loading is not chosen.
 */
void
roster_user_picker_choose (RosterUserPicker *self, guint position)
{
  g_autoptr(RosterUser) user = g_list_model_get_item (G_LIST_MODEL (self->pager), position);
  g_autoptr(RosterUser) copy = NULL;

  if (user == NULL || roster_user_get_id (user) == NULL)
    return;
  copy = roster_user_new ();
  roster_user_update_from (copy, user);
  g_signal_emit (self, signals[CHOSEN], 0, copy);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_activate_cb (RosterUserPicker *self, guint position, GtkListView *view)
{
  roster_user_picker_choose (self, position);
}

static void
on_search_activate_cb (RosterUserPicker *self, GtkSearchEntry *entry)
{
  /* Enter in the entry takes the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->pager)) > 0)
    roster_user_picker_choose (self, 0);
}

static void
on_stop_search_cb (RosterUserPicker *self, GtkSearchEntry *entry)
{
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * roster_user_picker_set_active_only:
 *
 * Offers only active accounts (not pending, inactive or locked ones), such as those who can
 * take over a deleted user's work.
 */
void
roster_user_picker_set_active_only (RosterUserPicker *self, gboolean active_only)
{
  g_return_if_fail (ROSTER_IS_USER_PICKER (self));

  if (self->active_only == !!active_only)
    return;
  self->active_only = !!active_only;
  roster_user_picker_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

GListModel *
roster_user_picker_get_model (RosterUserPicker *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PICKER (self), NULL);
  return G_LIST_MODEL (self->pager);
}

static void
roster_user_picker_dispose (GObject *object)
{
  RosterUserPicker *self = ROSTER_USER_PICKER (object);

  g_clear_handle_id (&self->first_search, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->pager);
  g_clear_pointer (&self->exclude_id, g_free);
  g_clear_pointer (&self->searched, g_free);
  G_OBJECT_CLASS (roster_user_picker_parent_class)->dispose (object);
}

static void
roster_user_picker_class_init (RosterUserPickerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = roster_user_picker_dispose;

  /**
   * RosterUserPicker::chosen:
   * @user: a copy of the chosen user
   */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_USER);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  g_type_ensure (ROSTER_TYPE_USER_ROW);
}

static void
roster_user_picker_init (RosterUserPicker *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *search_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();
  GtkListItemFactory *factory = gtk_builder_list_item_factory_new_from_resource (
    NULL, RESOURCE_BASE "/ui/roster-user-row-item.ui");
  GtkWidget *view;

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 420, 520);
  gtk_box_append (GTK_BOX (box), header);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_search_entry_set_search_delay (self->search_entry, 250);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_object_set (self->search_entry, "placeholder-text",
                _("Name, username, e-mail or employee ID"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search users"), -1);
  gtk_widget_set_margin_start (GTK_WIDGET (self->search_entry), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->search_entry), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->search_entry), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->search_entry), 6);
  gtk_box_append (GTK_BOX (search_box), GTK_WIDGET (self->search_entry));
  gtk_box_append (GTK_BOX (box), search_box);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate_cb),
                            self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (on_stop_search_cb),
                            self);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (self->selection), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Users"), -1);
  g_signal_connect_swapped (view, "activate", G_CALLBACK (on_activate_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "system-search-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Matching Users"));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}

static gboolean
first_search_cb (gpointer user_data)
{
  RosterUserPicker *self = user_data;

  self->first_search = 0;
  roster_user_picker_set_search (self, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * roster_user_picker_new:
 * @title: what is being chosen, such as "Choose the Primary Manager"
 * @exclude_id: (nullable): a user not to offer (the one being edited)
 *
 * Returns: (transfer none): the dialog, shown and searching for everyone
 */
RosterUserPicker *
roster_user_picker_new (GtkWindow *parent, RosterClient *client, const char *title,
                        const char *exclude_id)
{
  RosterUserPicker *self;

  g_return_val_if_fail (ROSTER_IS_CLIENT (client), NULL);

  self = g_object_new (ROSTER_TYPE_USER_PICKER, "transient-for", parent, "title", title, NULL);
  self->exclude_id = g_strdup (exclude_id);
  self->pager = roster_user_pager_new (client);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->pager));
  /* From idle, so that options set right after (active accounts only) make one search. */
  self->first_search = g_idle_add (first_search_cb, self);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}
