/* roster-user-page-copy.c: Duplicate, Copy Permissions From…, and the groups they join
 *
 * What a copy takes is defined once, in common (ROSTER_USER_FIELDS_ACCESS and
 * roster_user_copy_access()). Group and team memberships are read-only on a SCIM user, so
 * the page keeps the groups still to join in its edited user (they show in the Access
 * group like the others) and, once the user is created or saved, adds it to each of them
 * (roster_client_join_groups_async(): one member PATCH per group, as the Teams & Groups page
 * adds members). A failure there is reported with the groups' names; the user stays saved.
 *
 * "Copy Permissions From…" is an edit like any other: it replaces the roles and the
 * per-user permissions with the chosen user's and adds their groups and teams, and nothing
 * reaches the server until Save (Discard forgets it). Memberships are only ever added, never
 * taken away: leaving a team can move records the user owns, which deserves its own
 * deliberate step on the Teams & Groups page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-error.h"
#include "roster-user-diff.h"
#include "roster-user-page-private.h"
#include "roster-user-picker.h"

/* Whether Save has groups to join: the edited user is in groups its base is not. */
gboolean
roster_user_page_has_groups_to_join (RosterUserPage *self)
{
  g_auto(GStrv) added = NULL;

  if (self->user == NULL || self->edited == NULL)
    return FALSE;
  added = roster_user_dup_groups_added (self->user, self->edited, NULL);
  return added[0] != NULL;
}

/* Keeps the groups still to join when @to replaces the edited user (a reload, a conflict). */
void
roster_user_page_carry_groups (RosterUserPage *self, RosterUser *to)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) added = NULL;

  if (self->user == NULL || self->edited == NULL)
    return;
  added = roster_user_dup_groups_added (self->user, self->edited, &names);
  roster_user_add_groups (to, (const char *const *) added, (const char *const *) names);
}

typedef struct
{
  RosterUserPage *self; /* not a reference: the writes cancellable ends with the page */
  char *user_id;
  char *title;
  GStrv group_ids;
  GStrv group_names;
} JoinContext;

static void
join_context_free (JoinContext *ctx)
{
  g_free (ctx->user_id);
  g_free (ctx->title);
  g_strfreev (ctx->group_ids);
  g_strfreev (ctx->group_names);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JoinContext, join_context_free)

static void
join_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JoinContext) ctx = user_data;
  RosterUserPage *self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) failed = NULL;

  if (roster_client_join_groups_finish (ROSTER_CLIENT (object), result, &failed, &error)
      || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self = ctx->self;
  else
    return;

  if (failed[0] != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autoptr(GError) reported = NULL;

      for (guint i = 0; failed[i] != NULL; i++)
        for (guint g = 0; ctx->group_ids[g] != NULL; g++)
          if (g_str_equal (failed[i], ctx->group_ids[g]))
            {
              if (names->len > 0)
                g_string_append (names, _(", "));
              g_string_append (names, *ctx->group_names[g] != '\0' ? ctx->group_names[g]
                                                                  : ctx->group_ids[g]);
            }
      /* Translators: the first %s is a user's name, the second a list of groups and teams
       * ("Sales, Support"), the third why (a sentence) */
      reported = g_error_new (ROSTER_ERROR, ROSTER_ERROR_FAILED,
                              _("%s is saved but could not be added to %s. %s"), ctx->title,
                              names->str, error->message);
      roster_user_page_emit_failed (self, reported);
    }
  /* Show the memberships as the server now has them, if the page still shows this user and
   * any were joined. */
  if (g_strv_length (failed) < g_strv_length (ctx->group_ids) && self->user != NULL
      && !self->creating
      && g_strcmp0 (roster_user_get_id (self->user), ctx->user_id) == 0)
    roster_user_page_refetch (self);
}

/**
 * roster_user_page_join_groups:
 * @saved: the user as the server stored it
 * @group_ids: (transfer none): the groups and teams to add it to (may be empty)
 * @group_names: their names, for a failure's message
 */
void
roster_user_page_join_groups (RosterUserPage *self, RosterUser *saved, GStrv group_ids,
                              GStrv group_names)
{
  JoinContext *ctx;

  if (group_ids == NULL || group_ids[0] == NULL || self->client == NULL)
    return;
  ctx = g_new0 (JoinContext, 1);
  ctx->self = self;
  ctx->user_id = g_strdup (roster_user_get_id (saved));
  ctx->title = g_strdup (roster_user_get_title (saved));
  ctx->group_ids = g_strdupv (group_ids);
  ctx->group_names = g_strdupv (group_names);
  roster_client_join_groups_async (self->client, ctx->user_id,
                                   (const char *const *) ctx->group_ids,
                                   self->writes_cancellable, join_cb, ctx);
}

/**
 * roster_user_page_copy_permissions_from:
 * @model: the user whose roles, per-user permissions and memberships to copy
 *
 * Makes them edits of the user shown, to save or discard.
 */
void
roster_user_page_copy_permissions_from (RosterUserPage *self, RosterUser *model)
{
  g_return_if_fail (ROSTER_IS_USER_PAGE (self));
  g_return_if_fail (ROSTER_IS_USER (model));

  if (self->edited == NULL || self->creating)
    return;
  roster_user_copy_access (self->edited, model, ROSTER_USER_FIELDS_PERMISSIONS);
  roster_user_page_populate (self);
  roster_user_page_update_actions (self);
}

static void
model_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) model = roster_client_get_user_finish (ROSTER_CLIENT (object), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (model == NULL)
    {
      roster_user_page_emit_failed (self, error);
      return;
    }
  roster_user_page_copy_permissions_from (self, model);
}

static void
on_model_chosen_cb (RosterUserPage *self, RosterUser *user, RosterUserPicker *picker)
{
  /* The list's copy may be older than the user: copy what the server has now. */
  roster_client_get_user_async (self->client, roster_user_get_id (user), self->cancellable,
                                model_cb, self);
}

/**
 * roster_user_page_choose_permissions_model:
 *
 * Opens the user picker for "Copy Permissions From…".
 *
 * Returns: (transfer none) (nullable): the picker
 */
GtkWindow *
roster_user_page_choose_permissions_model (RosterUserPage *self)
{
  RosterUserPicker *picker;

  g_return_val_if_fail (ROSTER_IS_USER_PAGE (self), NULL);
  if (self->client == NULL || self->user == NULL || self->creating
      || roster_user_get_id (self->user) == NULL)
    return NULL;
  picker = roster_user_picker_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   self->client, _("Copy Permissions From"),
                                   roster_user_get_id (self->user));
  g_signal_connect_object (picker, "chosen", G_CALLBACK (on_model_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_WINDOW (picker);
}

void
roster_user_page_copy_permissions_action (GtkWidget *widget, const char *action_name,
                                          GVariant *parameter)
{
  roster_user_page_choose_permissions_model (ROSTER_USER_PAGE (widget));
}
