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
#define ENTERPRISE_PATH(attribute) ROSTER_SCIM_SCHEMA_ENTERPRISE_USER ":" attribute

/* The string fields beyond the core ones: RosterUser's property, the label, and the PATCH
 * path of a plain string (NULL: built specially in roster_user_diff_to_patch()). */
static const struct
{
  RosterUserField field;
  const char *property;
  const char *label;
  const char *path;
} string_fields[] = {
  { ROSTER_USER_FIELD_EMPLOYEE_NUMBER, "employee-number", N_("Employment ID"),
    ENTERPRISE_PATH ("employeeNumber") },
  { ROSTER_USER_FIELD_DEPARTMENT, "department", N_("Department"), ENTERPRISE_PATH ("department") },
  { ROSTER_USER_FIELD_LANGUAGE, "preferred-language", N_("Language"), "preferredLanguage" },
  { ROSTER_USER_FIELD_COUNTRY, "country", N_("Country"), ROSTER_PATH ("country") },
  { ROSTER_USER_FIELD_MANAGER, "manager-id", N_("Primary Manager"), NULL },
  { ROSTER_USER_FIELD_SECONDARY_MANAGER, "secondary-manager-id", N_("Secondary Manager"), NULL },
  { ROSTER_USER_FIELD_MOBILE, "mobile", N_("Mobile"), NULL },
  { ROSTER_USER_FIELD_SKYPE, "skype", N_("Skype"), NULL },
  { ROSTER_USER_FIELD_STREET_ADDRESS, "street-address", N_("Street"), NULL },
  { ROSTER_USER_FIELD_LOCALITY, "locality", N_("City"), NULL },
  { ROSTER_USER_FIELD_POSTAL_CODE, "postal-code", N_("Postal Code"), NULL },
  { ROSTER_USER_FIELD_REGION, "region", N_("State or Region"), NULL },
  { ROSTER_USER_FIELD_ADDRESS_COUNTRY, "address-country", N_("Address Country"), NULL },
};

/* Whether two lists hold the same ids, in any order. */
static gboolean
sets_differ (const char *const *a, const char *const *b)
{
  guint n = g_strv_length ((GStrv) a);

  if (n != g_strv_length ((GStrv) b))
    return TRUE;
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (b, a[i]))
      return TRUE;
  return FALSE;
}

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
  if (strings_differ (roster_user_get_display_name (before), roster_user_get_display_name (after)))
    fields |= ROSTER_USER_FIELD_DISPLAY_NAME;
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    if (strings_differ (roster_user_get_string (before, string_fields[i].property),
                        roster_user_get_string (after, string_fields[i].property)))
      fields |= string_fields[i].field;
  if (sets_differ (roster_user_get_roles (before), roster_user_get_roles (after)))
    fields |= ROSTER_USER_FIELD_ROLES;
  if (sets_differ (roster_user_get_entitlements (before), roster_user_get_entitlements (after)))
    fields |= ROSTER_USER_FIELD_ENTITLEMENTS;
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

/* A reference to another user ({"value": id}), or its removal. */
static void
add_reference_op (JsonBuilder *builder, const char *path, const char *id)
{
  if (id == NULL || *id == '\0')
    {
      add_op (builder, "remove", path);
      json_builder_end_object (builder);
      return;
    }
  add_op (builder, "replace", path);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* A list of ids ([{"value": id}, …]) replaced whole, or removed when emptied. */
static void
add_values_op (JsonBuilder *builder, const char *path, const char *const *ids)
{
  if (ids[0] == NULL)
    {
      add_op (builder, "remove", path);
      json_builder_end_object (builder);
      return;
    }
  add_op (builder, "replace", path);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, ids[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* The one value of @type in a multi-valued attribute (the mobile number, the Skype name):
 * the old one goes (if @before had one, so the filter matches), the new one is added. Other
 * values of the attribute stay as they are. */
static void
add_typed_op (JsonBuilder *builder, const char *attribute, const char *type,
              const char *before, const char *after)
{
  g_autofree char *filtered = g_strdup_printf ("%s[type eq \"%s\"]", attribute, type);

  if (before != NULL && *before != '\0')
    {
      add_op (builder, "remove", filtered);
      json_builder_end_object (builder);
    }
  if (after == NULL || *after == '\0')
    return;
  add_op (builder, "add", attribute);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, after);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
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
  if (fields & ROSTER_USER_FIELD_DISPLAY_NAME)
    add_string_op (builder, "displayName", roster_user_get_display_name (after));
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    if ((fields & string_fields[i].field) && string_fields[i].path != NULL)
      add_string_op (builder, string_fields[i].path,
                     roster_user_get_string (after, string_fields[i].property));
  if (fields & ROSTER_USER_FIELD_MANAGER)
    add_reference_op (builder, ENTERPRISE_PATH ("manager"),
                      roster_user_get_string (after, "manager-id"));
  if (fields & ROSTER_USER_FIELD_SECONDARY_MANAGER)
    add_reference_op (builder, ROSTER_PATH ("secondaryManager"),
                      roster_user_get_string (after, "secondary-manager-id"));
  if (fields & ROSTER_USER_FIELD_MOBILE)
    add_typed_op (builder, "phoneNumbers", "mobile", roster_user_get_string (before, "mobile"),
                  roster_user_get_string (after, "mobile"));
  if (fields & ROSTER_USER_FIELD_SKYPE)
    add_typed_op (builder, "ims", "skype", roster_user_get_string (before, "skype"),
                  roster_user_get_string (after, "skype"));
  if (fields & ROSTER_USER_FIELDS_ADDRESS)
    {
      /* The work address is replaced whole: its old version goes, the new one is added. */
      if (roster_user_has_work_address (before))
        {
          add_op (builder, "remove", "addresses[type eq \"work\"]");
          json_builder_end_object (builder);
        }
      if (roster_user_has_work_address (after))
        {
          add_op (builder, "add", "addresses");
          json_builder_set_member_name (builder, "value");
          json_builder_begin_array (builder);
          roster_user_add_work_address (after, builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }
  if (fields & ROSTER_USER_FIELD_ROLES)
    add_values_op (builder, "roles", roster_user_get_roles (after));
  if (fields & ROSTER_USER_FIELD_ENTITLEMENTS)
    add_values_op (builder, "entitlements", roster_user_get_entitlements (after));

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
  switch ((int) field)
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
    case ROSTER_USER_FIELD_DISPLAY_NAME:
      return _("Display Name");
    case ROSTER_USER_FIELD_ROLES:
      return _("Roles");
    case ROSTER_USER_FIELD_ENTITLEMENTS:
      return _("Permissions");
    default:
      for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
        if (string_fields[i].field == field)
          return _(string_fields[i].label);
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

  switch ((int) field)
    {
    case ROSTER_USER_FIELD_DISPLAY_NAME:
      value = roster_user_get_display_name (user);
      break;
    case ROSTER_USER_FIELD_MANAGER:
    case ROSTER_USER_FIELD_SECONDARY_MANAGER:
      {
        gboolean primary = field == ROSTER_USER_FIELD_MANAGER;
        const char *name = roster_user_get_string (user, primary ? "manager-name"
                                                                 : "secondary-manager-name");

        value = name != NULL ? name
                             : roster_user_get_string (user, primary ? "manager-id"
                                                                     : "secondary-manager-id");
      }
      break;
    case ROSTER_USER_FIELD_ROLES:
      {
        const char *const *ids = roster_user_get_roles (user);
        const char *const *names = roster_user_get_role_names (user);
        g_autoptr(GString) text = g_string_new (NULL);

        for (guint i = 0; ids[i] != NULL; i++)
          {
            if (i > 0)
              g_string_append (text, _(", "));
            g_string_append (text, names[i] != NULL && *names[i] != '\0' ? names[i] : ids[i]);
          }
        return g_string_free (g_steal_pointer (&text), FALSE);
      }
    case ROSTER_USER_FIELD_ENTITLEMENTS:
      return g_strjoinv (_(", "), (GStrv) roster_user_get_entitlements (user));
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
      for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
        if (string_fields[i].field == field)
          return g_strdup (roster_user_get_string (user, string_fields[i].property) != NULL
                             ? roster_user_get_string (user, string_fields[i].property)
                             : "");
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
  if (fields & ROSTER_USER_FIELD_DISPLAY_NAME)
    roster_user_set_display_name (to, roster_user_get_display_name (from));
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    if (fields & string_fields[i].field)
      roster_user_set_string (to, string_fields[i].property,
                              roster_user_get_string (from, string_fields[i].property));
  if (fields & ROSTER_USER_FIELD_MANAGER)
    roster_user_set_string (to, "manager-name", roster_user_get_string (from, "manager-name"));
  if (fields & ROSTER_USER_FIELD_SECONDARY_MANAGER)
    roster_user_set_string (to, "secondary-manager-name",
                            roster_user_get_string (from, "secondary-manager-name"));
  if (fields & ROSTER_USER_FIELD_ROLES)
    roster_user_set_roles (to, roster_user_get_roles (from), roster_user_get_role_names (from));
  if (fields & ROSTER_USER_FIELD_ENTITLEMENTS)
    roster_user_set_entitlements (to, roster_user_get_entitlements (from));
}

/**
 * roster_user_copy_access:
 * @fields: %ROSTER_USER_FIELDS_ACCESS for a duplicate, %ROSTER_USER_FIELDS_PERMISSIONS to copy
 *   permissions; other fields are ignored
 *
 * Gives @to what @from may do: the values of @fields that are access (never identity,
 * contact details or credentials, whatever @fields says), and @from's group and team
 * memberships beside @to's own. Memberships are read-only on a SCIM user: the app joins
 * the groups itself once the user is saved (roster_user_dup_groups_added()).
 */
void
roster_user_copy_access (RosterUser *to, RosterUser *from, RosterUserField fields)
{
  g_return_if_fail (ROSTER_IS_USER (to) && ROSTER_IS_USER (from));

  roster_user_field_copy (to, from, fields & ROSTER_USER_FIELDS_ACCESS);
  roster_user_add_groups (to, roster_user_get_group_ids (from), roster_user_get_group_names (from));
}
