/* roster-deleted-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-deleted-user.h"
#include "roster-error.h"
#include "roster-scim.h"

struct _RosterDeletedUser
{
  GObject parent_instance;

  char *id;
  char *user_name;
  char *display_name;
  char *given_name;
  char *family_name;
  char *title;
  char *deleted_by;
  GDateTime *deleted_at;
  GDateTime *purge_at;
  guint n_reassigned;
};

G_DEFINE_FINAL_TYPE (RosterDeletedUser, roster_deleted_user, G_TYPE_OBJECT)

static void
roster_deleted_user_finalize (GObject *object)
{
  RosterDeletedUser *self = (RosterDeletedUser *) object;

  g_free (self->id);
  g_free (self->user_name);
  g_free (self->display_name);
  g_free (self->given_name);
  g_free (self->family_name);
  g_free (self->title);
  g_free (self->deleted_by);
  g_clear_pointer (&self->deleted_at, g_date_time_unref);
  g_clear_pointer (&self->purge_at, g_date_time_unref);

  G_OBJECT_CLASS (roster_deleted_user_parent_class)->finalize (object);
}

static void
roster_deleted_user_class_init (RosterDeletedUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_deleted_user_finalize;
}

static void
roster_deleted_user_init (RosterDeletedUser *self)
{
}

static GDateTime *
read_time (JsonObject *object, const char *member, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = roster_json_get_string (object, member, &local_error);
  GDateTime *time;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE, _("“%s” is missing"),
                   member);
      return NULL;
    }
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                 _("“%s” is not a valid time"), member);
  return time;
}

/* The records moved at the deletion: the counts of {"orders": {…, "count": 2}, …}. */
static guint
count_reassigned (JsonObject *object)
{
  JsonObject *reassigned = roster_json_get_object (object, "reassigned", NULL);
  JsonObjectIter iter;
  JsonNode *member;
  guint n = 0;

  if (reassigned == NULL)
    return 0;
  json_object_iter_init (&iter, reassigned);
  while (json_object_iter_next (&iter, NULL, &member))
    {
      JsonNode *count;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        continue;
      count = json_object_get_member (json_node_get_object (member), "count");
      if (count != NULL && JSON_NODE_HOLDS_VALUE (count)
          && json_node_get_value_type (count) == G_TYPE_INT64 && json_node_get_int (count) > 0)
        n += (guint) MIN (json_node_get_int (count), G_MAXUINT - n);
    }
  return n;
}

/**
 * roster_deleted_user_new_from_json:
 *
 * Reads one DeletedUser (name.givenName and name.familyName too, for its title); a missing id, userName, deletedAt or purgeAt is
 * %ROSTER_ERROR_MISSING_ATTRIBUTE, members of the wrong type %ROSTER_ERROR_INVALID_VALUE.
 *
 * Returns: (transfer full): the deleted user, or %NULL with @error set
 */
RosterDeletedUser *
roster_deleted_user_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterDeletedUser) self = g_object_new (ROSTER_TYPE_DELETED_USER, NULL);
  g_autoptr(GError) local_error = NULL;
  JsonObject *by = NULL;
  JsonObject *name = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self->id = g_strdup (roster_json_get_string (object, "id", &local_error));
  if (local_error == NULL)
    self->user_name = g_strdup (roster_json_get_string (object, "userName", &local_error));
  if (local_error == NULL)
    self->display_name = g_strdup (roster_json_get_string (object, "displayName", &local_error));
  if (local_error == NULL)
    name = roster_json_get_object (object, "name", &local_error);
  if (name != NULL && local_error == NULL)
    self->given_name = g_strdup (roster_json_get_string (name, "givenName", &local_error));
  if (name != NULL && local_error == NULL)
    self->family_name = g_strdup (roster_json_get_string (name, "familyName", &local_error));
  if (local_error == NULL)
    by = roster_json_get_object (object, "deletedBy", &local_error);
  if (by != NULL && local_error == NULL)
    self->deleted_by = g_strdup (roster_json_get_string (by, "display", &local_error));
  if (local_error == NULL && (self->id == NULL || self->user_name == NULL))
    g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                         _("A deleted user needs an id and a username"));
  if (local_error == NULL)
    self->deleted_at = read_time (object, "deletedAt", &local_error);
  if (local_error == NULL)
    self->purge_at = read_time (object, "purgeAt", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->n_reassigned = count_reassigned (object);
  self->title = roster_user_title_for (self->display_name, self->given_name, self->family_name,
                                       self->user_name);
  return g_steal_pointer (&self);
}

#define GETTER(field)                                                        \
  const char *                                                               \
  roster_deleted_user_get_##field (RosterDeletedUser *self)                  \
  {                                                                          \
    g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), NULL);              \
    return self->field;                                                      \
  }

GETTER (id)
GETTER (user_name)
GETTER (display_name)
GETTER (given_name)
GETTER (family_name)
GETTER (deleted_by)

/**
 * roster_deleted_user_get_title:
 *
 * Returns: what the user list called the user: the display name, else the formatted name,
 *   else the username (roster_user_title_for())
 */
const char *
roster_deleted_user_get_title (RosterDeletedUser *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), NULL);
  return self->title;
}

/**
 * roster_deleted_user_get_deleted_at:
 *
 * Returns: (transfer none): when the user was deleted
 */
GDateTime *
roster_deleted_user_get_deleted_at (RosterDeletedUser *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), NULL);
  return self->deleted_at;
}

/**
 * roster_deleted_user_get_purge_at:
 *
 * Returns: (transfer none): when the server deletes the user for good
 */
GDateTime *
roster_deleted_user_get_purge_at (RosterDeletedUser *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), NULL);
  return self->purge_at;
}

/**
 * roster_deleted_user_get_n_reassigned:
 *
 * Returns: how many records went to others when the user was deleted
 */
guint
roster_deleted_user_get_n_reassigned (RosterDeletedUser *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), 0);
  return self->n_reassigned;
}

/**
 * roster_deleted_user_get_days_left:
 * @now: the server's present time
 *
 * Returns: the days until the purge, a started day counting as one (0 once it is due)
 */
guint
roster_deleted_user_get_days_left (RosterDeletedUser *self, GDateTime *now)
{
  GTimeSpan left;

  g_return_val_if_fail (ROSTER_IS_DELETED_USER (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  left = g_date_time_difference (self->purge_at, now);
  if (left <= 0)
    return 0;
  return (guint) ((left + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);
}

/**
 * roster_deleted_user_parse_restored:
 * @answer: the body of POST /DeletedUsers/{id}/restore
 * @n_reassigned: (out) (optional): how many records went to others at the deletion (they
 *   stay with them)
 *
 * Returns: (transfer full): the user as it is back, or %NULL with @error set
 */
RosterUser *
roster_deleted_user_parse_restored (JsonObject *answer, guint *n_reassigned, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *user;

  g_return_val_if_fail (answer != NULL, NULL);

  user = roster_json_get_object (answer, "user", &local_error);
  if (user == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                             _("The restore answer has no user"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (n_reassigned != NULL)
    *n_reassigned = count_reassigned (answer);
  return roster_user_new_from_json (user, error);
}

/**
 * roster_deleted_user_read_restore_window:
 * @settings: the body of GET /Settings
 *
 * Returns: for how many days a deleted user can be restored (restoreWindowDays), or 0 when
 *   the settings do not say
 */
guint
roster_deleted_user_read_restore_window (JsonObject *settings)
{
  JsonNode *node;

  g_return_val_if_fail (settings != NULL, 0);

  node = json_object_get_member (settings, "restoreWindowDays");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) <= 0)
    return 0;
  return (guint) MIN (json_node_get_int (node), G_MAXUINT);
}
