/* roster-user-row.c: one user in the list: avatar, name, username and status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-avatar.h"
#include "roster-photo-texture.h"
#include "roster-user-pager.h"
#include "roster-user-row.h"

struct _RosterUserRow
{
  GtkWidget parent_instance;

  RosterUser *user;
  gulong notify_id;

  RosterAvatar *avatar;
  GtkLabel *title_label;
  GtkLabel *user_name_label;
  GtkLabel *status_label;
  char *shown; /* the accessible name last shown: the same again means nothing to redo */
  int badge_status; /* the status whose class the badge has, or -1 */
};

G_DEFINE_FINAL_TYPE (RosterUserRow, roster_user_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const status_classes[] = { "pending", "active", "inactive", "locked" };

/* The client of the pager this row's list view shows (the user list's, the picker's): rows
 * come from a GtkBuilderListItemFactory and cannot be handed one. */
static RosterClient *
find_client (RosterUserRow *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);
  GListModel *model = view != NULL ? G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)))
                                   : NULL;

  if (GTK_IS_SINGLE_SELECTION (model))
    model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model));
  return ROSTER_IS_USER_PAGER (model) ? roster_user_pager_get_client (ROSTER_USER_PAGER (model))
                                      : NULL;
}

/* Shows the user's photo once the row is on screen (GtkListView binds many more rows than
 * it maps); only users with one are asked for it. */
static void
load_photo (RosterUserRow *self)
{
  if (self->user != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    roster_photo_texture_show (GTK_WIDGET (self->avatar), find_client (self), self->user);
}

static void
update (RosterUserRow *self)
{
  RosterUser *user = self->user;
  gboolean loading = user == NULL || (roster_user_get_placeholder (user)
                                      && roster_user_get_id (user) == NULL);
  RosterUserStatus status = ROSTER_USER_STATUS_ACTIVE;
  g_autofree char *description = NULL;

  if (!loading)
    {
      status = roster_user_get_status (user);
      /* Translators: how a screen reader announces a row: name, username, status */
      description = g_strdup_printf (_("%s, %s, %s"), roster_user_get_title (user),
                                     roster_user_get_user_name (user),
                                     roster_user_status_describe (status));
    }
  /* A placeholder being filled notifies several properties at once: redo the labels, the
   * badge's style and the accessible name only when what they show changed. */
  if (self->shown != NULL && g_strcmp0 (self->shown, loading ? "" : description) == 0)
    {
      if (!loading)
        load_photo (self); /* the photo or its version may be what changed */
      return;
    }
  g_free (self->shown);
  self->shown = g_strdup (loading ? "" : description);

  if (loading)
    {
      /* The badge is hidden: its class stays for the next user, who is most likely of the
       * same status. */
      gtk_widget_add_css_class (GTK_WIDGET (self), "placeholder");
      gtk_label_set_label (self->title_label, _("Loading…"));
      gtk_label_set_label (self->user_name_label, "");
      roster_avatar_set_text (self->avatar, NULL);
      roster_photo_texture_show (GTK_WIDGET (self->avatar), NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Loading…"), -1);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self), "placeholder");
  gtk_label_set_label (self->title_label, roster_user_get_title (user));
  gtk_label_set_label (self->user_name_label, roster_user_get_user_name (user));
  roster_avatar_set_text (self->avatar, roster_user_get_title (user));
  load_photo (self);
  /* A class change restyles the badge: a recycled row most often shows a user of the same
   * status as its last one, so the classes change only when the status does. */
  if (self->badge_status != (int) status)
    {
      if (self->badge_status >= 0)
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                                     status_classes[self->badge_status]);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);
      gtk_label_set_label (self->status_label, roster_user_status_describe (status));
      self->badge_status = status;
    }
  /* A badge marks what needs attention: an active account has none (screen readers still
   * hear its status in the row's name). */
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != ROSTER_USER_STATUS_ACTIVE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
}

static void
on_user_notify_cb (RosterUserRow *self, GParamSpec *pspec, RosterUser *user)
{
  static const char *const shown[] = { "title", "user-name", "status", "id", "photo",
                                       "version" };

  /* Notifications come in bursts when a placeholder is filled: react to what is shown. */
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (g_str_equal (pspec->name, shown[i]))
      {
        update (self);
        return;
      }
}

static void
roster_user_row_dispose (GObject *object)
{
  RosterUserRow *self = ROSTER_USER_ROW (object);

  roster_user_row_set_user (self, NULL);
  g_clear_pointer (&self->shown, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_USER_ROW);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (roster_user_row_parent_class)->dispose (object);
}

static void
roster_user_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterUserRow *self = ROSTER_USER_ROW (object);

  switch (prop_id)
    {
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_row_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  RosterUserRow *self = ROSTER_USER_ROW (object);

  switch (prop_id)
    {
    case PROP_USER:
      roster_user_row_set_user (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (roster_user_row_parent_class)->map (widget);
  load_photo (ROSTER_USER_ROW (widget));
}

static void
roster_user_row_class_init (RosterUserRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_user_row_dispose;
  widget_class->map = roster_user_row_map;
  object_class->get_property = roster_user_row_get_property;
  object_class->set_property = roster_user_row_set_property;

  properties[PROP_USER] = g_param_spec_object (
    "user", NULL, NULL, ROSTER_TYPE_USER,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ROSTER_TYPE_AVATAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-user-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterUserRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, RosterUserRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserRow, user_name_label);
  gtk_widget_class_bind_template_child (widget_class, RosterUserRow, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
roster_user_row_init (RosterUserRow *self)
{
  self->badge_status = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

RosterUser *
roster_user_row_get_user (RosterUserRow *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_ROW (self), NULL);
  return self->user;
}

void
roster_user_row_set_user (RosterUserRow *self, RosterUser *user)
{
  g_return_if_fail (ROSTER_IS_USER_ROW (self));
  g_return_if_fail (user == NULL || ROSTER_IS_USER (user));

  if (self->user == user)
    return;
  if (self->user != NULL)
    g_clear_signal_handler (&self->notify_id, self->user);
  g_set_object (&self->user, user);
  /* Rebound: the last user's photo goes, and its fetch with it. */
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    roster_photo_texture_show (GTK_WIDGET (self->avatar), NULL, NULL);
  if (user != NULL)
    self->notify_id = g_signal_connect_object (user, "notify", G_CALLBACK (on_user_notify_cb),
                                               self, G_CONNECT_SWAPPED);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}
