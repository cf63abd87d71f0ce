/* roster-user-page.c: one user's account, beside the list
 *
 * Shows what the list row knew at once, then fetches the user again (GET /Users/{id}) so
 * the page is current, not what the list page held when it was fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-error.h"
#include "roster-user-page.h"

struct _RosterUserPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  RosterUser *user;
  GCancellable *cancellable;

  GtkButton *back_button;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  AdwAvatar *avatar;
  GtkLabel *title_label;
  GtkLabel *status_label;
  AdwActionRow *given_name_row;
  AdwActionRow *family_name_row;
  AdwActionRow *user_name_row;
  AdwActionRow *email_row;
  AdwActionRow *administrator_row;
  AdwActionRow *created_row;
  AdwActionRow *modified_row;
  AdwStatusPage *error_status;
};

G_DEFINE_FINAL_TYPE (RosterUserPage, roster_user_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_USER,
  N_PROPS
};

enum
{
  BACK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *const status_classes[] = { "pending", "active", "inactive", "locked" };

static void
set_value (AdwActionRow *row, const char *value)
{
  /* Translators: shown for a field that has no value */
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : _("Not set"));
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;
  local = g_date_time_to_local (date);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%e %B %Y, %H:%M"));
}

static void
update (RosterUserPage *self)
{
  RosterUser *user = self->user;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  RosterUserStatus status;

  if (user == NULL)
    {
      adw_window_title_set_title (self->window_title, "");
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  status = roster_user_get_status (user);
  adw_window_title_set_title (self->window_title, roster_user_get_title (user));
  adw_avatar_set_text (self->avatar, roster_user_get_title (user));
  gtk_label_set_label (self->title_label, roster_user_get_title (user));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);
  gtk_label_set_label (self->status_label, roster_user_status_describe (status));

  set_value (self->given_name_row, roster_user_get_given_name (user));
  set_value (self->family_name_row, roster_user_get_family_name (user));
  set_value (self->user_name_row, roster_user_get_user_name (user));
  set_value (self->email_row, roster_user_get_email (user));
  adw_action_row_set_subtitle (self->administrator_row,
                               roster_user_get_administrator (user)
                                 ? _("Can manage every user and setting")
                                 : _("No"));
  created = format_date (roster_user_get_created (user));
  modified = format_date (roster_user_get_last_modified (user));
  set_value (self->created_row, created);
  set_value (self->modified_row, modified);
  gtk_stack_set_visible_child_name (self->stack, "user");
}

static void
set_user (RosterUserPage *self, RosterUser *user)
{
  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  update (self);
}

static void
get_user_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;

  user = roster_client_get_user_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (user == NULL)
    {
      /* What the list knew stays visible unless the user is gone. */
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND) || self->user == NULL)
        {
          adw_status_page_set_description (self->error_status, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }
  set_user (self, user);
}

/**
 * roster_user_page_show_user:
 * @user: (nullable): the user as the list has it
 *
 * Shows @user, then refreshes it from the server.
 */
void
roster_user_page_show_user (RosterUserPage *self, RosterUser *user)
{
  g_autoptr(RosterUser) copy = NULL;

  g_return_if_fail (ROSTER_IS_USER_PAGE (self));
  g_return_if_fail (user == NULL || ROSTER_IS_USER (user));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (user == NULL || roster_user_get_id (user) == NULL)
    {
      set_user (self, NULL);
      return;
    }
  /* A copy: the list's object may be reused for another row when its page is dropped. */
  copy = roster_user_new ();
  roster_user_update_from (copy, user);
  set_user (self, copy);
  if (self->client != NULL)
    roster_client_get_user_async (self->client, roster_user_get_id (user), self->cancellable,
                                  get_user_cb, self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
roster_user_page_dispose (GObject *object)
{
  RosterUserPage *self = ROSTER_USER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_USER_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (roster_user_page_parent_class)->dispose (object);
}

static void
roster_user_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterUserPage *self = ROSTER_USER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_page_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  RosterUserPage *self = ROSTER_USER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      roster_user_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_page_class_init (RosterUserPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_user_page_dispose;
  object_class->get_property = roster_user_page_get_property;
  object_class->set_property = roster_user_page_set_property;

  properties[PROP_CLIENT] = g_param_spec_object (
    "client", NULL, NULL, ROSTER_TYPE_CLIENT,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, ROSTER_TYPE_USER,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterUserPage::back:
   *
   * The user asked to go back to the list (only offered while the window is folded).
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-user-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, given_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, family_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, administrator_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, created_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, modified_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, error_status);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "user.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "user.back",
                                       NULL);
}

static void
roster_user_page_init (RosterUserPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update (self);
}

RosterClient *
roster_user_page_get_client (RosterUserPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), NULL);
  return self->client;
}

void
roster_user_page_set_client (RosterUserPage *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_USER_PAGE (self));
  g_return_if_fail (client == NULL || ROSTER_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  roster_user_page_show_user (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

RosterUser *
roster_user_page_get_user (RosterUserPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), NULL);
  return self->user;
}

/**
 * roster_user_page_set_folded:
 *
 * While the window shows one pane at a time, the page offers a way back to the list.
 */
void
roster_user_page_set_folded (RosterUserPage *self, gboolean folded)
{
  g_return_if_fail (ROSTER_IS_USER_PAGE (self));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), folded);
}
