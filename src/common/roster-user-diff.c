/* roster-user-diff.c
 *
 * The app edits a copy of a user and saves what differs from the version it started from
 * as one RFC 7644 §3.5.2 PATCH, sent with If-Match; a 412 then means someone else saved
 * first, and the same diff tells the conflict dialog what each side changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-scim.h"
#include "roster-user-diff.h"

#define ROSTER_PATH(attribute) ROSTER_SCIM_SCHEMA_ROSTER_USER ":" attribute

static gboolean
strings_differ (const char *a, const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) != 0;
}

/**
 * roster_user_diff:
 *
 * Returns: the fields whose values differ between @before and @after
 */
RosterUserField
roster_user_diff (RosterUser *before, RosterUser *after)
{
  RosterUserField fields = 0;

  g_return_val_if_fail (ROSTER_IS_USER (before) && ROSTER_IS_USER (after), 0);

  if (strings_differ (roster_user_get_given_name (before), roster_user_get_given_name (after)))
    fields |= ROSTER_USER_FIELD_GIVEN_NAME;
  if (strings_differ (roster_user_get_family_name (before), roster_user_get_family_name (after)))
    fields |= ROSTER_USER_FIELD_FAMILY_NAME;
  if (strings_differ (roster_user_get_user_name (before), roster_user_get_user_name (after)))
    fields |= ROSTER_USER_FIELD_USER_NAME;
  if (strings_differ (roster_user_get_email (before), roster_user_get_email (after)))
    fields |= ROSTER_USER_FIELD_EMAIL;
  if (roster_user_get_active (before) != roster_user_get_active (after))
    fields |= ROSTER_USER_FIELD_ACTIVE;
  if (roster_user_get_administrator (before) != roster_user_get_administrator (after))
    fields |= ROSTER_USER_FIELD_ADMINISTRATOR;
  return fields;
}

static void
add_op (JsonBuilder *builder, const char *op, const char *path)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, op);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
}

/* A string field: replace with the new value, or remove it when it was emptied. */
static void
add_string_op (JsonBuilder *builder, const char *path, const char *value)
{
  if (value == NULL || *value == '\0')
    {
      add_op (builder, "remove", path);
      json_builder_end_object (builder);
      return;
    }
  add_op (builder, "replace", path);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_boolean_op (JsonBuilder *builder, const char *path, gboolean value)
{
  add_op (builder, "replace", path);
  json_builder_set_member_name (builder, "value");
  json_builder_add_boolean_value (builder, value);
  json_builder_end_object (builder);
}

/**
 * roster_user_diff_to_patch:
 *
 * Builds the PatchOp request that turns @before into @after on the server: one operation per
 * changed field. The e-mail is the user's single work address, so it replaces "emails"
 * whole.
 *
 * Returns: (transfer full): the request body
 */
JsonNode *
roster_user_diff_to_patch (RosterUser *before, RosterUser *after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  RosterUserField fields = roster_user_diff (before, after);
  const char *email = roster_user_get_email (after);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:scim:api:messages:2.0:PatchOp");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Operations");
  json_builder_begin_array (builder);

  if (fields & ROSTER_USER_FIELD_USER_NAME)
    add_string_op (builder, "userName", roster_user_get_user_name (after));
  if (fields & ROSTER_USER_FIELD_GIVEN_NAME)
    add_string_op (builder, "name.givenName", roster_user_get_given_name (after));
  if (fields & ROSTER_USER_FIELD_FAMILY_NAME)
    add_string_op (builder, "name.familyName", roster_user_get_family_name (after));
  if (fields & ROSTER_USER_FIELD_EMAIL)
    {
      if (email == NULL || *email == '\0')
        {
          add_op (builder, "remove", "emails");
          json_builder_end_object (builder);
        }
      else
        {
          add_op (builder, "replace", "emails");
          json_builder_set_member_name (builder, "value");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, email);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "work");
          json_builder_set_member_name (builder, "primary");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }
  if (fields & ROSTER_USER_FIELD_ACTIVE)
    add_boolean_op (builder, "active", roster_user_get_active (after));
  if (fields & ROSTER_USER_FIELD_ADMINISTRATOR)
    add_boolean_op (builder, ROSTER_PATH ("administrator"), roster_user_get_administrator (after));

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_user_field_describe:
 *
 * Returns: the translated label of @field, as the user page shows it
 */
const char *
roster_user_field_describe (RosterUserField field)
{
  switch (field)
    {
    case ROSTER_USER_FIELD_GIVEN_NAME:
      return _("First Name");
    case ROSTER_USER_FIELD_FAMILY_NAME:
      return _("Last Name");
    case ROSTER_USER_FIELD_USER_NAME:
      return _("Username");
    case ROSTER_USER_FIELD_EMAIL:
      return _("E-mail");
    case ROSTER_USER_FIELD_ACTIVE:
      return _("Active");
    case ROSTER_USER_FIELD_ADMINISTRATOR:
      return _("Administrator");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * roster_user_field_dup_value:
 *
 * Returns: (transfer full): @field's value as text for the conflict dialog ("" when unset)
 */
char *
roster_user_field_dup_value (RosterUser *user, RosterUserField field)
{
  const char *value = NULL;

  g_return_val_if_fail (ROSTER_IS_USER (user), NULL);

  switch (field)
    {
    case ROSTER_USER_FIELD_GIVEN_NAME:
      value = roster_user_get_given_name (user);
      break;
    case ROSTER_USER_FIELD_FAMILY_NAME:
      value = roster_user_get_family_name (user);
      break;
    case ROSTER_USER_FIELD_USER_NAME:
      value = roster_user_get_user_name (user);
      break;
    case ROSTER_USER_FIELD_EMAIL:
      value = roster_user_get_email (user);
      break;
    case ROSTER_USER_FIELD_ACTIVE:
      value = roster_user_get_active (user) ? _("Yes") : _("No");
      break;
    case ROSTER_USER_FIELD_ADMINISTRATOR:
      value = roster_user_get_administrator (user) ? _("Yes") : _("No");
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return g_strdup (value != NULL ? value : "");
}

/**
 * roster_user_field_copy:
 *
 * Copies the values of @fields from @from into @to.
 */
void
roster_user_field_copy (RosterUser *to, RosterUser *from, RosterUserField fields)
{
  g_return_if_fail (ROSTER_IS_USER (to) && ROSTER_IS_USER (from));

  if (fields & ROSTER_USER_FIELD_GIVEN_NAME)
    roster_user_set_given_name (to, roster_user_get_given_name (from));
  if (fields & ROSTER_USER_FIELD_FAMILY_NAME)
    roster_user_set_family_name (to, roster_user_get_family_name (from));
  if (fields & ROSTER_USER_FIELD_USER_NAME)
    roster_user_set_user_name (to, roster_user_get_user_name (from));
  if (fields & ROSTER_USER_FIELD_EMAIL)
    roster_user_set_email (to, roster_user_get_email (from));
  if (fields & ROSTER_USER_FIELD_ACTIVE)
    roster_user_set_active (to, roster_user_get_active (from));
  if (fields & ROSTER_USER_FIELD_ADMINISTRATOR)
    roster_user_set_administrator (to, roster_user_get_administrator (from));
}
