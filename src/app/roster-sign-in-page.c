/* roster-sign-in-page.c: asks for the password when there is no valid token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-sign-in-page.h"
#include "roster-validation.h"

#include <string.h>

struct _RosterSignInPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  gboolean busy;
  char *current_password; /* kept only while a new one must be chosen */

  AdwWindowTitle *window_title;
  AdwStatusPage *status_page;
  AdwPreferencesGroup *credentials_group;
  AdwPreferencesGroup *change_group;
  AdwEntryRow *user_name_row;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *new_password_row;
  AdwPasswordEntryRow *confirm_password_row;
  GtkLabel *error_label;
  GtkButton *sign_in_button;
};

G_DEFINE_FINAL_TYPE (RosterSignInPage, roster_sign_in_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum
{
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_error (RosterSignInPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
clear_current_password (RosterSignInPage *self)
{
  if (self->current_password != NULL)
    memset (self->current_password, 0, strlen (self->current_password));
  g_clear_pointer (&self->current_password, g_free);
}

static void
update_actions (RosterSignInPage *self)
{
  const char *user_name = gtk_editable_get_text (GTK_EDITABLE (self->user_name_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_password_row));
  gboolean ready;

  if (self->current_password != NULL)
    ready = *new_password != '\0';
  else
    ready = *user_name != '\0' && *password != '\0';
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in",
                                 !self->busy && self->client != NULL && ready);
}

/* Shows or hides the "choose a new password" step. */
static void
set_changing (RosterSignInPage *self, gboolean changing)
{
  gtk_widget_set_visible (GTK_WIDGET (self->change_group), changing);
  gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), !changing);
  gtk_button_set_label (self->sign_in_button, changing ? _("Change Password") : _("Sign In"));
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_password_row), "");
  if (!changing)
    clear_current_password (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->new_password_row));
}

static void
change_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_change_password_finish (ROSTER_CLIENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_group), TRUE);
  update_actions (self);
  if (error != NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->new_password_row));
      return;
    }
  set_changing (self, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0,
                 gtk_editable_get_text (GTK_EDITABLE (self->user_name_row)));
}

static void
change_password (RosterSignInPage *self)
{
  const char *new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_password_row));
  g_autoptr(GError) error = NULL;

  if (!roster_validate_password (new_password, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (g_strcmp0 (new_password, gtk_editable_get_text (GTK_EDITABLE (self->confirm_password_row)))
      != 0)
    {
      show_error (self, _("The passwords do not match"));
      return;
    }
  self->busy = TRUE;
  show_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_group), FALSE);
  update_actions (self);
  roster_client_change_password_async (self->client, self->current_password, new_password,
                                       self->cancellable, change_password_cb, self);
}

static void
on_field_changed_cb (RosterSignInPage *self)
{
  update_actions (self);
}

static void
sign_in_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!roster_client_sign_in_finish (ROSTER_CLIENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_name_row), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), TRUE);
  update_actions (self);
  if (error != NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  if (roster_client_get_password_change_required (ROSTER_CLIENT (object)))
    {
      /* Signed in, but only to choose a new password: that needs the current one. */
      self->current_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      set_changing (self, TRUE);
      update_actions (self);
      return;
    }
  /* The password is not needed any more: don't keep it in a widget. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0,
                 gtk_editable_get_text (GTK_EDITABLE (self->user_name_row)));
}

static void
sign_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterSignInPage *self = ROSTER_SIGN_IN_PAGE (widget);

  if (self->busy || self->client == NULL)
    return;
  if (self->current_password != NULL)
    {
      change_password (self);
      return;
    }
  self->busy = TRUE;
  show_error (self, NULL);
  /* Focus leaves the fields before they turn insensitive (see roster-setup-wizard.c). */
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_name_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), FALSE);
  update_actions (self);
  roster_client_sign_in_async (self->client,
                               gtk_editable_get_text (GTK_EDITABLE (self->user_name_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               self->cancellable, sign_in_cb, self);
}

static void
on_password_row_entry_activated_cb (RosterSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
roster_sign_in_page_dispose (GObject *object)
{
  RosterSignInPage *self = ROSTER_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SIGN_IN_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  clear_current_password (self);

  G_OBJECT_CLASS (roster_sign_in_page_parent_class)->dispose (object);
}

static void
roster_sign_in_page_get_property (GObject *object, guint prop_id, GValue *value,
                                  GParamSpec *pspec)
{
  RosterSignInPage *self = ROSTER_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_sign_in_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  RosterSignInPage *self = ROSTER_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      roster_sign_in_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_sign_in_page_class_init (RosterSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_sign_in_page_dispose;
  object_class->get_property = roster_sign_in_page_get_property;
  object_class->set_property = roster_sign_in_page_set_property;

  properties[PROP_CLIENT] = g_param_spec_object (
    "client", NULL, NULL, ROSTER_TYPE_CLIENT,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterSignInPage::signed-in:
   * @user_name: who signed in
   *
   * The page's client holds a fresh token.
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, change_group);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, confirm_password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSignInPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_row_entry_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
}

static void
roster_sign_in_page_init (RosterSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_name_password_row (self->password_row);
  roster_accessibility_name_password_row (self->new_password_row);
  roster_accessibility_name_password_row (self->confirm_password_row);
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

RosterClient *
roster_sign_in_page_get_client (RosterSignInPage *self)
{
  g_return_val_if_fail (ROSTER_IS_SIGN_IN_PAGE (self), NULL);
  return self->client;
}

void
roster_sign_in_page_set_client (RosterSignInPage *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (client == NULL || ROSTER_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * roster_sign_in_page_prepare:
 * @user_name: (nullable): the username to suggest
 * @message: (nullable): why sign-in is needed, e.g. that the session ended
 *
 * Fills the page before it is shown. What the user typed earlier stays unless @user_name
 * replaces it.
 */
void
roster_sign_in_page_prepare (RosterSignInPage *self, const char *user_name, const char *message)
{
  g_return_if_fail (ROSTER_IS_SIGN_IN_PAGE (self));

  if (user_name != NULL && *user_name != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->user_name_row), user_name);
  adw_status_page_set_description (self->status_page, message);
  set_changing (self, FALSE);
  show_error (self, NULL);
  update_actions (self);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->user_name_row)) != '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->user_name_row));
}

/**
 * roster_sign_in_page_set_server_title:
 * @title: (nullable): the name of the server signed in to, shown under the page's title
 */
void
roster_sign_in_page_set_server_title (RosterSignInPage *self, const char *title)
{
  g_return_if_fail (ROSTER_IS_SIGN_IN_PAGE (self));
  adw_window_title_set_subtitle (self->window_title, title);
}
