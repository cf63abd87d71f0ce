/* roster-audit.c: writing the audit log from handlers and sweeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-audit.h"
#include "roster-scim.h"

/* Attributes that never reach the audit log: secrets, and what changes on every write. */
static const char *const left_out[] = {
  "password", "newPassword", "passwordHash", "password_hash", "token", "setupToken",
  "access_token", "secret", "totpSecret", "meta", "schemas",
};

static gboolean
is_left_out (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (left_out); i++)
    if (g_ascii_strcasecmp (name, left_out[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
add_change (JsonArray *changes, const char *attribute, JsonNode *before, JsonNode *after)
{
  JsonObject *change = json_object_new ();

  json_object_set_string_member (change, "attribute", attribute);
  json_object_set_member (change, "before",
                          before != NULL ? json_node_copy (before) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (change, "after",
                          after != NULL ? json_node_copy (after) : json_node_new (JSON_NODE_NULL));
  json_array_add_object_element (changes, change);
}

static gboolean
is_extension (const char *name, JsonNode *before, JsonNode *after)
{
  return g_str_has_prefix (name, "urn:")
         && (before == NULL || JSON_NODE_HOLDS_OBJECT (before))
         && (after == NULL || JSON_NODE_HOLDS_OBJECT (after));
}

static void diff_into (JsonArray *changes, const char *prefix, JsonObject *before,
                       JsonObject *after);

static void
diff_member (JsonArray *changes, const char *prefix, const char *name, JsonObject *before,
             JsonObject *after)
{
  JsonNode *b = before != NULL ? json_object_get_member (before, name) : NULL;
  JsonNode *a = after != NULL ? json_object_get_member (after, name) : NULL;
  g_autofree char *attribute = NULL;

  if (is_left_out (name))
    return;
  if (b != NULL && JSON_NODE_HOLDS_NULL (b))
    b = NULL;
  if (a != NULL && JSON_NODE_HOLDS_NULL (a))
    a = NULL;
  if (b == NULL && a == NULL)
    return;
  if (prefix == NULL && is_extension (name, b, a))
    {
      diff_into (changes, name, b != NULL ? json_node_get_object (b) : NULL,
                 a != NULL ? json_node_get_object (a) : NULL);
      return;
    }
  if (b != NULL && a != NULL && json_node_equal (b, a))
    return;
  attribute = prefix != NULL ? g_strconcat (prefix, ":", name, NULL) : g_strdup (name);
  add_change (changes, attribute, b, a);
}

static void
diff_into (JsonArray *changes, const char *prefix, JsonObject *before, JsonObject *after)
{
  g_autoptr(GList) names = NULL;

  if (before != NULL)
    names = json_object_get_members (before);
  for (GList *l = names; l != NULL; l = l->next)
    diff_member (changes, prefix, l->data, before, after);
  if (after != NULL)
    {
      g_autoptr(GList) added = json_object_get_members (after);

      for (GList *l = added; l != NULL; l = l->next)
        if (before == NULL || !json_object_has_member (before, l->data))
          diff_member (changes, prefix, l->data, before, after);
    }
}

/**
 * roster_audit_diff:
 * @before: (nullable): the resource before (%NULL for a create)
 * @after: (nullable): the resource after (%NULL for a delete)
 *
 * Compares two resources attribute by attribute; the members of extension schemas are
 * compared one by one and named "urn:…:attribute". Secrets and meta are left out.
 *
 * Returns: (transfer full): `[{"attribute", "before", "after"}]`, in a stable order
 */
JsonArray *
roster_audit_diff (JsonObject *before, JsonObject *after)
{
  JsonArray *changes = json_array_new ();

  diff_into (changes, NULL, before, after);
  return changes;
}

static gboolean
append (RosterStore *store, const char *actor_id, const char *actor_name, const char *action,
        const char *target_type, const char *target_id, const char *target_name,
        JsonObject *before, JsonObject *after, GError **error)
{
  g_autoptr(RosterAuditEntry) event = roster_audit_entry_new (action, target_type, target_id,
                                                              target_name);

  event->actor_id = g_strdup (actor_id);
  event->actor_name = g_strdup (actor_name);
  if (before != NULL || after != NULL)
    event->changes = roster_audit_diff (before, after);
  return roster_store_append_audit (store, event, error);
}

/**
 * roster_audit_record:
 * @request: the request whose signed-in caller is the actor (none for a public route)
 * @action: "create", "update", "delete", "lock", …
 * @before: (nullable): the target before the change
 * @after: (nullable): the target after it
 *
 * Appends one event, in the store's open transaction if there is one.
 */
gboolean
roster_audit_record (RosterRequest *request, const char *action, const char *target_type,
                     const char *target_id, const char *target_name, JsonObject *before,
                     JsonObject *after, GError **error)
{
  RosterUser *actor = roster_request_get_user (request);

  return append (roster_request_get_store (request),
                 actor != NULL ? roster_user_get_id (actor) : NULL,
                 actor != NULL ? roster_user_get_user_name (actor) : NULL, action, target_type,
                 target_id, target_name, before, after, error);
}

/**
 * roster_audit_record_system:
 *
 * Like roster_audit_record() for what rosterd does on its own (sweeps): no actor.
 */
gboolean
roster_audit_record_system (RosterStore *store, const char *action, const char *target_type,
                            const char *target_id, const char *target_name, JsonObject *before,
                            JsonObject *after, GError **error)
{
  return append (store, NULL, NULL, action, target_type, target_id, target_name, before, after,
                 error);
}

/**
 * roster_audit_record_as:
 * @actor_id: (nullable): who did it, when the request has nobody signed in yet (setup: the
 *   first administrator creates themselves)
 *
 * Like roster_audit_record() with an explicit actor.
 */
gboolean
roster_audit_record_as (RosterStore *store, const char *actor_id, const char *actor_name,
                        const char *action, const char *target_type, const char *target_id,
                        const char *target_name, JsonObject *before, JsonObject *after,
                        GError **error)
{
  return append (store, actor_id, actor_name, action, target_type, target_id, target_name,
                 before, after, error);
}

/**
 * roster_audit_record_lock:
 * @user_id: the user just locked, in the open transaction
 * @reason: "failed-logins" or "inactivity"
 *
 * Records a "lock" event: the status went from active to locked, with the lock's reason and
 * time. Nobody is signed in when an account locks, so there is no actor.
 */
gboolean
roster_audit_record_lock (RosterStore *store, const char *user_id, const char *reason,
                          gint64 now, GError **error)
{
  g_autoptr(RosterUser) user = roster_store_get_user (store, user_id, error);
  g_autoptr(JsonObject) before = json_object_new ();
  g_autoptr(JsonObject) after = json_object_new ();
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now);
  g_autofree char *since = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  JsonObject *old_ext = json_object_new ();
  JsonObject *new_ext = json_object_new ();
  JsonObject *lock = json_object_new ();

  json_object_set_string_member (old_ext, "status", "active");
  json_object_set_object_member (before, ROSTER_SCIM_SCHEMA_ROSTER_USER, old_ext);
  json_object_set_string_member (lock, "reason", reason);
  json_object_set_string_member (lock, "since", since);
  json_object_set_string_member (new_ext, "status", "locked");
  json_object_set_object_member (new_ext, "lock", lock);
  json_object_set_object_member (after, ROSTER_SCIM_SCHEMA_ROSTER_USER, new_ext);
  if (user == NULL)
    return FALSE;
  return append (store, NULL, NULL, "lock", "User", user_id, roster_user_get_user_name (user),
                 before, after, error);
}
