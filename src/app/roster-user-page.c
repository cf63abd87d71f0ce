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

#include "roster-accessibility.h"

#include "roster-error.h"
#include "roster-conflict-dialog.h"
#include "roster-iso-codes.h"
#include "roster-manager-row.h"
#include "roster-photo-texture.h"
#include "roster-roles-row.h"
#include "roster-user-access-group.h"
#include "roster-user-diff.h"
#include "roster-user-form.h"
#include "roster-user-name-check.h"
#include "roster-user-page-private.h"
#include "roster-user-security-group.h"
#include "roster-validation.h"

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
  CREATED,
  SAVED,
  FAILED,
  ACTION_DONE,
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

#define format_date roster_user_security_format_date

static void
update (RosterUserPage *self)
{
  RosterUser *user = self->user;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *last_login = NULL;
  RosterUserStatus status;

  if (user == NULL)
    {
      adw_window_title_set_title (self->window_title, "");
      adw_window_title_set_subtitle (self->window_title, "");
      roster_user_page_update_photo (self);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  status = roster_user_get_status (user);
  adw_window_title_set_title (self->window_title,
                              self->creating ? _("New User") : roster_user_get_title (user));
  if (self->creating && self->copy_of != NULL)
    {
      /* Translators: the subtitle of a new user made with Duplicate; %s is the model's name */
      g_autofree char *subtitle = g_strdup_printf (_("Copy of %s"), self->copy_of);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, "");
  adw_avatar_set_text (self->avatar, roster_user_get_title (self->edited != NULL ? self->edited
                                                                                  : user));
  gtk_label_set_label (self->title_label, self->creating ? _("New User")
                                                         : roster_user_get_title (user));
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), !self->creating);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), self->creating);
  gtk_widget_set_visible (GTK_WIDGET (self->activity_group), !self->creating);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicate_button), !self->creating);
  gtk_widget_set_visible (self->copy_permissions_row, !self->creating);
  gtk_button_set_label (self->save_button, self->creating ? _("Create") : _("Save"));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);
  gtk_label_set_label (self->status_label, roster_user_status_describe (status));

  created = format_date (roster_user_get_created (user));
  modified = format_date (roster_user_get_last_modified (user));
  last_login = format_date (roster_user_get_last_login (user));
  set_value (self->created_row, created);
  set_value (self->modified_row, modified);
  /* Translators: when someone never signed in */
  set_value (self->last_login_row, last_login != NULL ? last_login : _("Never"));
  gtk_widget_set_visible (GTK_WIDGET (self->security_group), !self->creating);
  roster_manager_row_set_exclude_id (self->manager_row, roster_user_get_id (user));
  roster_manager_row_set_exclude_id (self->secondary_manager_row, roster_user_get_id (user));
  roster_user_page_update_photo (self);
  gtk_stack_set_visible_child_name (self->stack, "user");
}

static gboolean
is_dirty (RosterUserPage *self)
{
  return self->user != NULL && self->edited != NULL
         && (self->creating || roster_user_diff (self->user, self->edited) != 0
             || roster_user_page_has_groups_to_join (self));
}

void
roster_user_page_update_actions (RosterUserPage *self)
{
  gboolean dirty = is_dirty (self);
  gboolean valid = self->edited == NULL || roster_user_page_validate (self);
  gboolean stored = !self->creating && self->user != NULL
                    && roster_user_get_id (self->user) != NULL && self->client != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->save_button), dirty);
  gtk_widget_set_visible (GTK_WIDGET (self->discard_button), dirty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.save",
                                 dirty && valid && !self->saving && self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.discard", dirty && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.duplicate", stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.copy-permissions",
                                 stored && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.change-photo",
                                 stored && self->may_manage_photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.remove-photo",
                                 stored && self->may_manage_photos
                                   && roster_user_get_string (self->user, "photo") != NULL);
}

static void
on_field_changed_cb (RosterUserPage *self)
{
  g_autofree char *old_user_name = NULL;

  if (self->populating || self->edited == NULL)
    return;
  old_user_name = g_strdup (roster_user_get_user_name (self->edited));
  roster_user_page_read_fields (self);

  /* A username typed anew is checked against the server; going back to one's own is fine. */
  if (g_strcmp0 (old_user_name, roster_user_get_user_name (self->edited)) != 0)
    {
      const char *user_name = roster_user_get_user_name (self->edited);
      g_autofree char *mine = user_name != NULL ? roster_user_name_fold (user_name) : NULL;
      g_autofree char *base = roster_user_get_user_name (self->user) != NULL
                                ? roster_user_name_fold (roster_user_get_user_name (self->user))
                                : NULL;

      if (user_name != NULL && roster_validate_user_name (user_name, NULL)
          && g_strcmp0 (mine, base) != 0)
        roster_user_name_check_check (self->name_check, user_name,
                                      roster_user_get_id (self->user));
      else
        roster_user_name_check_reset (self->name_check);
    }
  roster_user_page_update_actions (self);
}

static void
on_name_check_notify_cb (RosterUserPage *self)
{
  if (self->edited != NULL)
    roster_user_page_update_actions (self);
}

/* Loads @user as the new base. Edits in progress are kept unless @replace_edits. */
static void
set_user (RosterUserPage *self, RosterUser *user, gboolean replace_edits)
{
  gboolean keep = !replace_edits && !self->creating && is_dirty (self) && user != NULL
                  && self->user != NULL
                  && g_strcmp0 (roster_user_get_id (user), roster_user_get_id (self->user)) == 0;
  RosterUserField mine = keep ? roster_user_diff (self->user, self->edited) : 0;
  g_autoptr(RosterUser) edited = NULL;

  /* Edits in progress move onto the new version: only the fields edited here keep their
   * edited values, so a change saved elsewhere to another field is not undone by Save. */
  if (user != NULL)
    {
      edited = roster_user_new ();
      roster_user_update_from (edited, user);
      if (keep)
        {
          roster_user_field_copy (edited, self->edited, mine);
          roster_user_page_carry_groups (self, edited);
        }
    }
  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_set_object (&self->edited, edited);
  update (self);
  if (self->edited != NULL)
    roster_user_page_populate (self);
  roster_user_page_update_actions (self);
}

void
roster_user_page_set_user (RosterUserPage *self, RosterUser *user, gboolean replace_edits)
{
  set_user (self, user, replace_edits);
}

void
roster_user_page_emit_failed (RosterUserPage *self, GError *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

void
roster_user_page_emit_action_done (RosterUserPage *self, RosterUser *user, const char *message)
{
  g_signal_emit (self, signals[ACTION_DONE], 0, user, message);
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
  set_user (self, user, FALSE);
}

/* Fetches the user shown again (after a change made beside Save), keeping the edits. */
void
roster_user_page_refetch (RosterUserPage *self)
{
  if (self->client != NULL && self->user != NULL && roster_user_get_id (self->user) != NULL)
    roster_client_get_user_async (self->client, roster_user_get_id (self->user),
                                  self->cancellable, get_user_cb, self);
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

  self->creating = FALSE;
  g_clear_pointer (&self->copy_of, g_free);
  if (user == NULL || roster_user_get_id (user) == NULL)
    {
      set_user (self, NULL, TRUE);
      return;
    }
  /* A copy: the list's object may be reused for another row when its page is dropped. */
  copy = roster_user_new ();
  roster_user_update_from (copy, user);
  set_user (self, copy, TRUE);
  if (self->client != NULL)
    roster_client_get_user_async (self->client, roster_user_get_id (user), self->cancellable,
                                  get_user_cb, self);
}

static void save (RosterUserPage *self);

static void
set_saving (RosterUserPage *self, gboolean saving)
{
  self->saving = saving;
  roster_user_page_update_actions (self);
}

static void
conflict_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RosterUserPage *self = user_data;
  RosterUser *theirs = g_object_get_data (G_OBJECT (dialog), "theirs");
  g_autoptr(RosterUser) next = NULL;

  next = roster_conflict_resolve (roster_conflict_choice_from_response (response), self->user,
                                  self->edited, theirs);
  if (next == NULL)
    return; /* cancel: the edits stay, unsaved */

  /* The server's version is the new base; what to save on top of it is next, with the
   * groups still to join. */
  roster_user_page_carry_groups (self, next);
  g_set_object (&self->user, theirs);
  g_set_object (&self->edited, next);
  update (self);
  roster_user_page_populate (self);
  roster_user_page_update_actions (self);
  if (is_dirty (self))
    save (self);
}

static void
current_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) theirs = NULL;
  GtkWindow *dialog;

  theirs = roster_client_get_user_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_saving (self, FALSE);
  if (theirs == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  dialog = roster_conflict_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       self->user, self->edited, theirs);
  g_object_set_data_full (G_OBJECT (dialog), "theirs", g_object_ref (theirs), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);
  gtk_window_present (dialog);
}

static void
save_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) saved = NULL;
  g_auto(GStrv) join_names = NULL;
  g_auto(GStrv) join = NULL;

  saved = roster_client_update_user_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED))
    {
      /* Saved elsewhere in the meantime: fetch their version and ask. */
      roster_client_get_user_async (self->client, roster_user_get_id (self->user),
                                    self->cancellable, current_cb, self);
      return;
    }
  set_saving (self, FALSE);
  if (saved == NULL)
    {
      roster_user_page_show_error (self, error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  join = roster_user_dup_groups_added (self->user, self->edited, &join_names);
  set_user (self, saved, TRUE);
  g_signal_emit (self, signals[SAVED], 0, saved);
  roster_user_page_join_groups (self, saved, join, join_names);
}

static void
create_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) created = NULL;
  g_auto(GStrv) join_names = NULL;
  g_auto(GStrv) join = NULL;

  created = roster_client_create_user_finish (ROSTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_saving (self, FALSE);
  if (created == NULL)
    {
      roster_user_page_show_error (self, error->message);
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN))
        roster_user_form_set_error (GTK_WIDGET (self->user_name_row), error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  /* The password has done its job: don't keep it in a widget. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* A duplicate joins its model's groups and teams now that it exists. */
  join = roster_user_dup_groups_added (self->user, self->edited, &join_names);
  self->creating = FALSE;
  g_clear_pointer (&self->copy_of, g_free);
  set_user (self, created, TRUE);
  g_signal_emit (self, signals[CREATED], 0, created);
  roster_user_page_join_groups (self, created, join, join_names);
}

static void
save (RosterUserPage *self)
{
  const char *password;

  if (self->saving || !is_dirty (self) || !roster_user_page_validate (self))
    return;
  set_saving (self, TRUE);
  if (self->creating)
    {
      password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
      roster_client_create_user_async (self->client, self->edited,
                                       *password != '\0' ? password : NULL, self->cancellable,
                                       create_cb, self);
      return;
    }
  roster_client_update_user_async (self->client, self->user, self->edited, self->cancellable,
                                   save_cb, self);
}

/**
 * roster_user_page_new_user:
 * @model: (nullable): a user to copy access from ("Duplicate"), or %NULL for a blank one
 *
 * Shows an empty page for a new user. A model lends what says what the new user may do and
 * where they belong (%ROSTER_USER_FIELDS_ACCESS, and its groups and teams, joined once the
 * user is created); never its identity, contact details or credentials.
 */
void
roster_user_page_new_user (RosterUserPage *self, RosterUser *model)
{
  g_autoptr(RosterUser) base = roster_user_new ();
  g_autoptr(RosterUser) edited = roster_user_new ();

  g_return_if_fail (ROSTER_IS_USER_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = FALSE;
  g_clear_pointer (&self->copy_of, g_free);
  if (model != NULL)
    {
      roster_user_copy_access (edited, model, ROSTER_USER_FIELDS_ACCESS);
      self->copy_of = g_strdup (roster_user_get_title (model));
    }
  self->creating = TRUE;
  g_set_object (&self->user, base);
  g_set_object (&self->edited, edited);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  update (self);
  roster_user_page_populate (self);
  roster_user_page_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->given_name_row));
}

static void
duplicate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterUserPage *self = ROSTER_USER_PAGE (widget);
  g_autoptr(RosterUser) model = self->edited != NULL ? g_object_ref (self->edited) : NULL;

  if (model != NULL && !self->creating)
    roster_user_page_new_user (self, model);
}

gboolean
roster_user_page_get_creating (RosterUserPage *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), FALSE);
  return self->creating;
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save (ROSTER_USER_PAGE (widget));
}

static void
discard_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RosterUserPage *self = ROSTER_USER_PAGE (widget);
  g_autoptr(RosterUser) user = self->user != NULL ? g_object_ref (self->user) : NULL;

  if (self->creating)
    {
      self->creating = FALSE;
      g_clear_object (&user);
    }
  set_user (self, user, TRUE);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
on_security_user_changed_cb (RosterUserPage *self, RosterUser *user)
{
  /* The account action made a new version: it is the new base, the edits stay. */
  set_user (self, user, FALSE);
}

static void
on_security_done_cb (RosterUserPage *self, const char *message)
{
  g_signal_emit (self, signals[ACTION_DONE], 0, self->user, message);
}

static void
on_security_failed_cb (RosterUserPage *self, GError *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
roster_user_page_dispose (GObject *object)
{
  RosterUserPage *self = ROSTER_USER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->lists_cancellable);
  g_clear_object (&self->lists_cancellable);
  g_cancellable_cancel (self->writes_cancellable);
  g_clear_object (&self->writes_cancellable);
  g_cancellable_cancel (self->permissions_cancellable);
  g_clear_object (&self->permissions_cancellable);
  g_clear_pointer (&self->copy_of, g_free);
  g_clear_pointer (&self->signed_in_user_name, g_free);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->name_check != NULL)
    g_signal_handlers_disconnect_by_data (self->name_check, self);
  g_clear_object (&self->name_check);
  g_clear_object (&self->iso_codes);
  if (self->avatar != NULL)
    roster_photo_texture_show (GTK_WIDGET (self->avatar), NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_USER_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->edited);

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

  /**
   * RosterUserPage::created:
   * @user: the new user as the server stored it
   */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_USER);

  /**
   * RosterUserPage::saved:
   * @user: the user as the server stored it
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_USER);

  /**
   * RosterUserPage::failed:
   * @error: why a save or a load failed, translated
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * RosterUserPage::action-done:
   * @user: the user as the server has it after the action
   * @message: what was done (unlocked, a password set, signed out), translated
   */
  signals[ACTION_DONE] = g_signal_new ("action-done", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       ROSTER_TYPE_USER, G_TYPE_STRING);

  g_type_ensure (ROSTER_TYPE_ROLES_ROW);
  g_type_ensure (ROSTER_TYPE_MANAGER_ROW);
  g_type_ensure (ROSTER_TYPE_USER_ACCESS_GROUP);
  g_type_ensure (ROSTER_TYPE_USER_SECURITY_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-user-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, photo_buttons);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, remove_photo_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, copy_permissions_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, given_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, family_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, discard_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, active_switch);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, activity_group);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, administrator_switch);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, employee_number_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, department_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, roles_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, manager_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, secondary_manager_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, mobile_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, skype_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, street_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, locality_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, postal_code_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, address_country_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, access_group);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, security_group);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, last_login_row);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_user_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_failed_cb);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, created_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, modified_row);
  gtk_widget_class_bind_template_child (widget_class, RosterUserPage, error_status);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "user.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "user.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "user.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "user.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "user.copy-permissions", NULL,
                                   roster_user_page_copy_permissions_action);
  gtk_widget_class_install_action (widget_class, "user.change-photo", NULL,
                                   roster_user_page_change_photo_action);
  gtk_widget_class_install_action (widget_class, "user.remove-photo", NULL,
                                   roster_user_page_remove_photo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "user.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "user.back",
                                       NULL);
}

static void
roster_user_page_init (RosterUserPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  roster_accessibility_name_password_row (self->password_row);
  roster_accessibility_track_stack (self->stack);
  self->cancellable = g_cancellable_new ();
  self->lists_cancellable = g_cancellable_new ();
  self->writes_cancellable = g_cancellable_new ();
  self->name_check = roster_user_name_check_new ();
  g_signal_connect_swapped (self->name_check, "notify::taken",
                            G_CALLBACK (on_name_check_notify_cb), self);
  roster_user_page_init_photo_drop (self);
  update (self);
  roster_user_page_update_actions (self);
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
  roster_user_name_check_set_client (self->name_check, client);
  roster_manager_row_set_client (self->manager_row, client);
  roster_manager_row_set_client (self->secondary_manager_row, client);
  roster_user_security_group_set_client (self->security_group, client);
  roster_user_page_load_lists (self);
  roster_user_page_check_permissions (self);
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
