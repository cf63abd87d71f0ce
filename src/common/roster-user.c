/* roster-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-scim.h"
#include "roster-user.h"

/* The string attributes beyond the core few, each a property of the same name. */
typedef enum
{
  EXTRA_EMPLOYEE_NUMBER,     /* enterprise employeeNumber */
  EXTRA_DEPARTMENT,          /* enterprise department */
  EXTRA_PREFERRED_LANGUAGE,  /* preferredLanguage */
  EXTRA_COUNTRY,             /* Roster country (ISO 3166-1 alpha-2) */
  EXTRA_MANAGER_ID,          /* enterprise manager.value */
  EXTRA_MANAGER_NAME,        /* enterprise manager.displayName (read-only) */
  EXTRA_SECONDARY_MANAGER_ID, /* Roster secondaryManager.value */
  EXTRA_SECONDARY_MANAGER_NAME,
  EXTRA_MOBILE,              /* phoneNumbers[type eq "mobile"].value */
  EXTRA_SKYPE,               /* ims[type eq "skype"].value */
  EXTRA_STREET_ADDRESS,      /* addresses[type eq "work"].streetAddress */
  EXTRA_LOCALITY,
  EXTRA_POSTAL_CODE,
  EXTRA_REGION,
  EXTRA_ADDRESS_COUNTRY,
  EXTRA_PHOTO,               /* photos: the "photo", else the first (read-only here) */
  EXTRA_LOCK_REASON,         /* Roster lock.reason (read-only) */
  N_EXTRA
} ExtraString;

static const char *const extra_names[N_EXTRA] = {
  "employee-number", "department", "preferred-language", "country", "manager-id",
  "manager-name", "secondary-manager-id", "secondary-manager-name", "mobile", "skype",
  "street-address", "locality", "postal-code", "region", "address-country", "photo",
  "lock-reason",
};

struct _RosterUser
{
  GObject parent_instance;

  char *id;
  char *user_name;
  char *given_name;
  char *family_name;
  char *formatted_name; /* name.formatted as received, for while both parts are unset */
  char *display_name;
  char *email;
  char *version;
  char *title; /* cache for the "title" property */
  GDateTime *created;
  GDateTime *last_modified;
  RosterUserStatus status;
  guint active : 1;
  guint administrator : 1;
  guint placeholder : 1;
  guint must_change_password : 1;

  char *extra[N_EXTRA]; /* by ExtraString */
  GStrv roles;          /* role ids, and their names (parallel; "" when unknown) */
  GStrv role_names;
  GStrv entitlements;   /* permission ids */
  GStrv group_ids;      /* read-only: what the user is a member of */
  GStrv group_names;
  GStrv effective;      /* read-only: permission ids, and where each comes from */
  GStrv effective_sources;
  GDateTime *lock_since;
  GDateTime *last_login;
  GDateTime *password_expires;
};

G_DEFINE_FINAL_TYPE (RosterUser, roster_user, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (RosterUserStatus, roster_user_status,
                    G_DEFINE_ENUM_VALUE (ROSTER_USER_STATUS_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (ROSTER_USER_STATUS_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (ROSTER_USER_STATUS_INACTIVE, "inactive"),
                    G_DEFINE_ENUM_VALUE (ROSTER_USER_STATUS_LOCKED, "locked"))

enum
{
  PROP_0,
  PROP_ID,
  PROP_USER_NAME,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_ACTIVE,
  PROP_STATUS,
  PROP_ADMINISTRATOR,
  PROP_CREATED,
  PROP_LAST_MODIFIED,
  PROP_VERSION,
  PROP_PLACEHOLDER,
  PROP_TITLE,
  PROP_EXTRA_0,
  N_PROPS = PROP_EXTRA_0 + N_EXTRA
};

static GParamSpec *properties[N_PROPS];

static const char *const status_names[] = { "pending", "active", "inactive", "locked" };

const char *
roster_user_status_to_string (RosterUserStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "active");
  return status_names[status];
}

gboolean
roster_user_status_from_string (const char *str, RosterUserStatus *status)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (str, status_names[i]))
      {
        *status = (RosterUserStatus) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * roster_user_status_describe:
 *
 * Returns: the translated name of @status, as shown on a badge
 */
const char *
roster_user_status_describe (RosterUserStatus status)
{
  switch (status)
    {
    case ROSTER_USER_STATUS_PENDING:
      return C_("user status", "Pending");
    case ROSTER_USER_STATUS_ACTIVE:
      return C_("user status", "Active");
    case ROSTER_USER_STATUS_INACTIVE:
      return C_("user status", "Inactive");
    case ROSTER_USER_STATUS_LOCKED:
      return C_("user status", "Locked");
    default:
      g_return_val_if_reached ("");
    }
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* "Given Family", or whichever of the two is set. */
static char *
format_name (const char *given_name, const char *family_name)
{
  if (is_set (given_name) && is_set (family_name))
    /* Translators: how a full name is built from the given and the family name */
    return g_strdup_printf (C_("full name", "%s %s"), given_name, family_name);
  if (is_set (given_name))
    return g_strdup (given_name);
  return is_set (family_name) ? g_strdup (family_name) : NULL;
}

/**
 * roster_user_title_for:
 * @display_name: (nullable): the displayName
 * @given_name: (nullable): name.givenName
 * @family_name: (nullable): name.familyName
 * @user_name: (nullable): the userName
 *
 * The one rule for what to call a user in a list (#RosterUser:title, and Recently Deleted).
 *
 * Returns: (transfer full): the display name, else the formatted name, else the username
 *   ("" without any)
 */
char *
roster_user_title_for (const char *display_name, const char *given_name,
                       const char *family_name, const char *user_name)
{
  char *formatted;

  if (is_set (display_name))
    return g_strdup (display_name);
  formatted = format_name (given_name, family_name);
  if (formatted != NULL)
    return formatted;
  return g_strdup (user_name != NULL ? user_name : "");
}

static void
update_title (RosterUser *self)
{
  /* Another SCIM server may send only name.formatted: it names the user then. */
  const char *display = is_set (self->display_name) || is_set (self->given_name)
                            || is_set (self->family_name)
                          ? self->display_name
                          : self->formatted_name;
  g_autofree char *title = roster_user_title_for (display, self->given_name,
                                                  self->family_name, self->user_name);

  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

static gboolean
set_string (RosterUser *self, char **field, const char *value, guint prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
set_date (RosterUser *self, GDateTime **field, GDateTime *value, guint prop)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return;
  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
roster_user_finalize (GObject *object)
{
  RosterUser *self = (RosterUser *) object;

  g_free (self->id);
  g_free (self->user_name);
  g_free (self->given_name);
  g_free (self->family_name);
  g_free (self->formatted_name);
  g_free (self->display_name);
  g_free (self->email);
  g_free (self->version);
  g_free (self->title);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_modified, g_date_time_unref);
  for (guint i = 0; i < N_EXTRA; i++)
    g_free (self->extra[i]);
  g_strfreev (self->roles);
  g_strfreev (self->role_names);
  g_strfreev (self->entitlements);
  g_strfreev (self->group_ids);
  g_strfreev (self->group_names);
  g_strfreev (self->effective);
  g_strfreev (self->effective_sources);
  g_clear_pointer (&self->lock_since, g_date_time_unref);
  g_clear_pointer (&self->last_login, g_date_time_unref);
  g_clear_pointer (&self->password_expires, g_date_time_unref);

  G_OBJECT_CLASS (roster_user_parent_class)->finalize (object);
}

static void
roster_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterUser *self = ROSTER_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_GIVEN_NAME:
      g_value_set_string (value, self->given_name);
      break;
    case PROP_FAMILY_NAME:
      g_value_set_string (value, self->family_name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ADMINISTRATOR:
      g_value_set_boolean (value, self->administrator);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_LAST_MODIFIED:
      g_value_set_boxed (value, self->last_modified);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_PLACEHOLDER:
      g_value_set_boolean (value, self->placeholder);
      break;
    case PROP_TITLE:
      g_value_set_string (value, roster_user_get_title (self));
      break;
    default:
      if (prop_id >= PROP_EXTRA_0 && prop_id < N_PROPS)
        {
          g_value_set_string (value, self->extra[prop_id - PROP_EXTRA_0]);
          break;
        }
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  RosterUser *self = ROSTER_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      roster_user_set_id (self, g_value_get_string (value));
      break;
    case PROP_USER_NAME:
      roster_user_set_user_name (self, g_value_get_string (value));
      break;
    case PROP_GIVEN_NAME:
      roster_user_set_given_name (self, g_value_get_string (value));
      break;
    case PROP_FAMILY_NAME:
      roster_user_set_family_name (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      roster_user_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      roster_user_set_email (self, g_value_get_string (value));
      break;
    case PROP_ACTIVE:
      roster_user_set_active (self, g_value_get_boolean (value));
      break;
    case PROP_STATUS:
      roster_user_set_status (self, g_value_get_enum (value));
      break;
    case PROP_ADMINISTRATOR:
      roster_user_set_administrator (self, g_value_get_boolean (value));
      break;
    case PROP_CREATED:
      roster_user_set_created (self, g_value_get_boxed (value));
      break;
    case PROP_LAST_MODIFIED:
      roster_user_set_last_modified (self, g_value_get_boxed (value));
      break;
    case PROP_VERSION:
      roster_user_set_version (self, g_value_get_string (value));
      break;
    case PROP_PLACEHOLDER:
      self->placeholder = g_value_get_boolean (value);
      break;
    default:
      if (prop_id >= PROP_EXTRA_0 && prop_id < N_PROPS)
        {
          set_string (self, &self->extra[prop_id - PROP_EXTRA_0], g_value_get_string (value),
                      prop_id);
          break;
        }
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_class_init (RosterUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = roster_user_finalize;
  object_class->get_property = roster_user_get_property;
  object_class->set_property = roster_user_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, flags);
  properties[PROP_GIVEN_NAME] = g_param_spec_string ("given-name", NULL, NULL, NULL, flags);
  properties[PROP_FAMILY_NAME] = g_param_spec_string ("family-name", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, ROSTER_TYPE_USER_STATUS,
                                               ROSTER_USER_STATUS_ACTIVE, flags);
  properties[PROP_ADMINISTRATOR] = g_param_spec_boolean ("administrator", NULL, NULL, FALSE,
                                                         flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LAST_MODIFIED] = g_param_spec_boxed ("last-modified", NULL, NULL,
                                                       G_TYPE_DATE_TIME, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_PLACEHOLDER] = g_param_spec_boolean (
    "placeholder", NULL, NULL, FALSE,
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < N_EXTRA; i++)
    properties[PROP_EXTRA_0 + i] = g_param_spec_string (extra_names[i], NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_user_init (RosterUser *self)
{
  self->active = TRUE;
  self->status = ROSTER_USER_STATUS_ACTIVE;
}

RosterUser *
roster_user_new (void)
{
  return g_object_new (ROSTER_TYPE_USER, NULL);
}

/**
 * roster_user_new_placeholder:
 *
 * A user that stands in a list for one whose page has not arrived yet. It becomes real when
 * roster_user_update_from() fills it, and its #RosterUser:placeholder stays %TRUE.
 */
RosterUser *
roster_user_new_placeholder (void)
{
  return g_object_new (ROSTER_TYPE_USER, "placeholder", TRUE, NULL);
}

static GDateTime *
parse_date (JsonObject *meta, const char *member, GError **error)
{
  const char *str = roster_json_get_string (meta, member, error);
  GDateTime *date;

  if (str == NULL)
    return NULL;
  date = g_date_time_new_from_iso8601 (str, NULL);
  if (date == NULL)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                 _("“%s” is not a valid date and time"), member);
  return date;
}

/* The primary address, else the "work" one, else the first (RFC 7643 §2.4). */
static const char *
pick_email (JsonArray *emails, GError **error)
{
  const char *first = NULL, *primary = NULL, *work = NULL;

  for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
    {
      JsonNode *node = json_array_get_element (emails, i);
      JsonObject *email;
      const char *value, *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                               _("Each of “emails” must be an object"));
          return NULL;
        }
      email = json_node_get_object (node);
      value = roster_json_get_string (email, "value", error);
      if (value == NULL)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          continue;
        }
      type = roster_json_get_string (email, "type", NULL);
      if (first == NULL)
        first = value;
      if (primary == NULL && roster_json_get_boolean (email, "primary", FALSE, NULL))
        primary = value;
      if (work == NULL && g_strcmp0 (type, "work") == 0)
        work = value;
    }
  return primary != NULL ? primary : work != NULL ? work : first;
}

/* The objects of the array @member (missing: none); anything else is an error. */
static gboolean
get_objects (JsonObject *object, const char *member, GPtrArray *out, GError **error)
{
  JsonArray *array = roster_json_get_array (object, member, error);

  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("Each of “%s” must be an object"), member);
          return FALSE;
        }
      g_ptr_array_add (out, json_node_get_object (node));
    }
  return TRUE;
}

/* The first element of @member whose type is @type (or, with @any, the first at all). */
static JsonObject *
find_typed (JsonObject *object, const char *member, const char *type, gboolean any,
            GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  if (!get_objects (object, member, items, error))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (roster_json_get_string (items->pdata[i], "type", NULL), type) == 0)
      return items->pdata[i];
  return any && items->len > 0 ? items->pdata[0] : NULL;
}

/* Reads "value" and, with @display_member, the display of each element of @member. */
static gboolean
read_values (JsonObject *object, const char *member, const char *display_member, GStrv *ids,
             GStrv *names, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) id_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();

  if (!get_objects (object, member, items, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const char *value = roster_json_get_string (items->pdata[i], "value", error);
      const char *display = NULL;

      if (error != NULL && *error != NULL)
        return FALSE;
      if (display_member != NULL)
        display = roster_json_get_string (items->pdata[i], display_member, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (value == NULL)
        continue;
      g_strv_builder_add (id_builder, value);
      g_strv_builder_add (name_builder, display != NULL ? display : "");
    }
  *ids = items->len > 0 ? g_strv_builder_end (id_builder) : NULL;
  if (names != NULL)
    *names = items->len > 0 ? g_strv_builder_end (name_builder) : NULL;
  return TRUE;
}

/* Where a permission comes from, as the Access section says it. */
static char *
describe_sources (JsonObject *permission, GError **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  if (!get_objects (permission, "sources", sources, error))
    return NULL;
  for (guint i = 0; i < sources->len; i++)
    {
      const char *type = roster_json_get_string (sources->pdata[i], "type", NULL);
      const char *display = roster_json_get_string (sources->pdata[i], "display", NULL);
      g_autofree char *one = NULL;

      if (display == NULL)
        display = roster_json_get_string (sources->pdata[i], "value", NULL);
      if (g_strcmp0 (type, "administrator") == 0)
        one = g_strdup (_("Administrator"));
      else if (g_strcmp0 (type, "role") == 0)
        /* Translators: where a permission comes from: a role, by name */
        one = g_strdup_printf (_("Role “%s”"), display != NULL ? display : "");
      else if (g_strcmp0 (type, "group") == 0)
        /* Translators: where a permission comes from: a group or team, by name */
        one = g_strdup_printf (_("Member of “%s”"), display != NULL ? display : "");
      else if (g_strcmp0 (type, "entitlement") == 0)
        one = g_strdup (_("Given to this user"));
      else
        continue;
      if (text->len > 0)
        /* Translators: separates the sources of a permission */
        g_string_append (text, _(", "));
      g_string_append (text, one);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
read_effective (RosterUser *self, JsonObject *ext, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) sources = g_strv_builder_new ();

  if (!get_objects (ext, "effectivePermissions", items, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const char *value = roster_json_get_string (items->pdata[i], "value", error);
      g_autofree char *described = NULL;

      if (error != NULL && *error != NULL)
        return FALSE;
      described = describe_sources (items->pdata[i], error);
      if (described == NULL)
        return FALSE;
      if (value == NULL)
        continue;
      g_strv_builder_add (ids, value);
      g_strv_builder_add (sources, described);
    }
  g_strfreev (self->effective);
  g_strfreev (self->effective_sources);
  self->effective = g_strv_builder_end (ids);
  self->effective_sources = g_strv_builder_end (sources);
  return TRUE;
}

/* The members of @object named in @members (pairs of member and ExtraString, -1 ends). */
static gboolean
read_strings (RosterUser *self, JsonObject *object, const char *const *members,
              const ExtraString *fields, guint n, GError **error)
{
  for (guint i = 0; object != NULL && i < n; i++)
    {
      const char *value = roster_json_get_string (object, members[i], error);

      if (error != NULL && *error != NULL)
        return FALSE;
      roster_user_set_string (self, extra_names[fields[i]], value);
    }
  return TRUE;
}

static gboolean
read_extra (RosterUser *self, JsonObject *object, GError **error)
{
  static const char *const address_members[] = { "streetAddress", "locality", "postalCode",
                                                 "region", "country" };
  static const ExtraString address_fields[] = { EXTRA_STREET_ADDRESS, EXTRA_LOCALITY,
                                                EXTRA_POSTAL_CODE, EXTRA_REGION,
                                                EXTRA_ADDRESS_COUNTRY };
  static const char *const enterprise_members[] = { "employeeNumber", "department" };
  static const ExtraString enterprise_fields[] = { EXTRA_EMPLOYEE_NUMBER, EXTRA_DEPARTMENT };
  static const char *const manager_members[] = { "value", "displayName" };
  static const ExtraString manager_fields[] = { EXTRA_MANAGER_ID, EXTRA_MANAGER_NAME };
  static const ExtraString secondary_fields[] = { EXTRA_SECONDARY_MANAGER_ID,
                                                  EXTRA_SECONDARY_MANAGER_NAME };
  static const char *const lock_members[] = { "reason" };
  static const ExtraString lock_fields[] = { EXTRA_LOCK_REASON };
  JsonObject *item, *ext;
  const char *str;

  str = roster_json_get_string (object, "preferredLanguage", error);
  if (error != NULL && *error != NULL)
    return FALSE;
  roster_user_set_string (self, "preferred-language", str);

#define TYPED(member, type, any, field)                                                            \
  item = find_typed (object, member, type, any, error);                                           \
  if (error != NULL && *error != NULL)                                                             \
    return FALSE;                                                                                  \
  str = item != NULL ? roster_json_get_string (item, "value", error) : NULL;                      \
  if (error != NULL && *error != NULL)                                                             \
    return FALSE;                                                                                  \
  roster_user_set_string (self, extra_names[field], str);
  TYPED ("phoneNumbers", "mobile", FALSE, EXTRA_MOBILE);
  TYPED ("ims", "skype", FALSE, EXTRA_SKYPE);
  TYPED ("photos", "photo", TRUE, EXTRA_PHOTO);
#undef TYPED

  item = find_typed (object, "addresses", "work", FALSE, error);
  if ((error != NULL && *error != NULL)
      || !read_strings (self, item, address_members, address_fields, 5, error))
    return FALSE;

  g_clear_pointer (&self->roles, g_strfreev);
  g_clear_pointer (&self->role_names, g_strfreev);
  g_clear_pointer (&self->entitlements, g_strfreev);
  g_clear_pointer (&self->group_ids, g_strfreev);
  g_clear_pointer (&self->group_names, g_strfreev);
  if (!read_values (object, "roles", "display", &self->roles, &self->role_names, error)
      || !read_values (object, "entitlements", NULL, &self->entitlements, NULL, error)
      || !read_values (object, "groups", "display", &self->group_ids, &self->group_names, error))
    return FALSE;

  ext = roster_json_get_object (object, ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, error);
  if ((error != NULL && *error != NULL)
      || !read_strings (self, ext, enterprise_members, enterprise_fields, 2, error))
    return FALSE;
  item = ext != NULL ? roster_json_get_object (ext, "manager", error) : NULL;
  if ((error != NULL && *error != NULL)
      || !read_strings (self, item, manager_members, manager_fields, 2, error))
    return FALSE;

  ext = roster_json_get_object (object, ROSTER_SCIM_SCHEMA_ROSTER_USER, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (ext == NULL)
    return TRUE;
  str = roster_json_get_string (ext, "country", error);
  if (error != NULL && *error != NULL)
    return FALSE;
  roster_user_set_string (self, "country", str);
  item = roster_json_get_object (ext, "secondaryManager", error);
  if ((error != NULL && *error != NULL)
      || !read_strings (self, item, manager_members, secondary_fields, 2, error))
    return FALSE;
  item = roster_json_get_object (ext, "lock", error);
  if ((error != NULL && *error != NULL)
      || !read_strings (self, item, lock_members, lock_fields, 1, error))
    return FALSE;
  g_clear_pointer (&self->lock_since, g_date_time_unref);
  g_clear_pointer (&self->last_login, g_date_time_unref);
  g_clear_pointer (&self->password_expires, g_date_time_unref);
  if (item != NULL && json_object_has_member (item, "since"))
    self->lock_since = parse_date (item, "since", error);
  if (error == NULL || *error == NULL)
    self->last_login = json_object_has_member (ext, "lastLoginAt")
                         ? parse_date (ext, "lastLoginAt", error) : NULL;
  if (error == NULL || *error == NULL)
    self->password_expires = json_object_has_member (ext, "passwordExpiresAt")
                               ? parse_date (ext, "passwordExpiresAt", error) : NULL;
  if (error != NULL && *error != NULL)
    return FALSE;
  self->must_change_password = roster_json_get_boolean (ext, "mustChangePassword", FALSE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  return read_effective (self, ext, error);
}

/**
 * roster_user_new_from_json:
 * @object: a SCIM User resource
 *
 * Reads a User as rosterd and other SCIM servers send it. Every member is type-checked; a
 * member of the wrong type is %ROSTER_ERROR_INVALID_VALUE and a missing userName is
 * %ROSTER_ERROR_MISSING_ATTRIBUTE. Members Roster does not know are ignored.
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 */
RosterUser *
roster_user_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(RosterUser) self = roster_user_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) last_modified = NULL;
  JsonObject *name, *meta, *ext;
  JsonArray *emails;
  const char *str;

  g_return_val_if_fail (object != NULL, NULL);

#define CHECK()                                                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (local_error != NULL)                                                                       \
      {                                                                                            \
        g_propagate_error (error, g_steal_pointer (&local_error));                                 \
        return NULL;                                                                               \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

  roster_user_set_id (self, roster_json_get_string (object, "id", &local_error));
  CHECK ();
  str = roster_json_get_string (object, "userName", &local_error);
  CHECK ();
  if (str == NULL || *str == '\0')
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_MISSING_ATTRIBUTE,
                           _("“userName” is required"));
      return NULL;
    }
  roster_user_set_user_name (self, str);
  roster_user_set_display_name (self,
                                roster_json_get_string (object, "displayName", &local_error));
  CHECK ();

  name = roster_json_get_object (object, "name", &local_error);
  CHECK ();
  if (name != NULL)
    {
      const char *given, *family, *formatted;

      given = roster_json_get_string (name, "givenName", &local_error);
      CHECK ();
      family = roster_json_get_string (name, "familyName", &local_error);
      CHECK ();
      formatted = roster_json_get_string (name, "formatted", &local_error);
      CHECK ();
      roster_user_set_given_name (self, given);
      roster_user_set_family_name (self, family);
      /* Kept only when it is all there is: the parts are what the form edits. */
      if (!is_set (given) && !is_set (family) && is_set (formatted))
        {
          g_free (self->formatted_name);
          self->formatted_name = g_strdup (formatted);
          update_title (self);
        }
    }

  emails = roster_json_get_array (object, "emails", &local_error);
  CHECK ();
  str = pick_email (emails, &local_error);
  CHECK ();
  roster_user_set_email (self, str);

  roster_user_set_active (self, roster_json_get_boolean (object, "active", TRUE, &local_error));
  CHECK ();
  /* Servers without the Roster extension still say whether the account is active. */
  roster_user_set_status (self, self->active ? ROSTER_USER_STATUS_ACTIVE
                                             : ROSTER_USER_STATUS_INACTIVE);

  ext = roster_json_get_object (object, ROSTER_SCIM_SCHEMA_ROSTER_USER, &local_error);
  CHECK ();
  if (ext != NULL)
    {
      RosterUserStatus status;

      roster_user_set_administrator (
        self, roster_json_get_boolean (ext, "administrator", FALSE, &local_error));
      CHECK ();
      str = roster_json_get_string (ext, "status", &local_error);
      CHECK ();
      if (str != NULL)
        {
          if (!roster_user_status_from_string (str, &status))
            {
              g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           _("“%s” is not a user status"), str);
              return NULL;
            }
          roster_user_set_status (self, status);
        }
    }

  read_extra (self, object, &local_error);
  CHECK ();

  meta = roster_json_get_object (object, "meta", &local_error);
  CHECK ();
  if (meta != NULL)
    {
      created = parse_date (meta, "created", &local_error);
      CHECK ();
      last_modified = parse_date (meta, "lastModified", &local_error);
      CHECK ();
      roster_user_set_created (self, created);
      roster_user_set_last_modified (self, last_modified);
      roster_user_set_version (self, roster_json_get_string (meta, "version", &local_error));
      CHECK ();
    }
#undef CHECK

  return g_steal_pointer (&self);
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_date (JsonBuilder *builder, const char *member, GDateTime *date)
{
  g_autofree char *str = NULL;

  if (date == NULL)
    return;
  str = g_date_time_format_iso8601 (date);
  add_string (builder, member, str);
}

/* [{"value": …, "type": @type}], when @value is set */
static void
add_typed (JsonBuilder *builder, const char *member, const char *type, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "value", value);
  add_string (builder, "type", type);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

/* [{"value": id}, …], when there are any */
static void
add_values (JsonBuilder *builder, const char *member, const char *const *ids)
{
  if (ids == NULL || ids[0] == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      add_string (builder, "value", ids[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_reference (JsonBuilder *builder, const char *member, const char *id)
{
  if (id == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  add_string (builder, "value", id);
  json_builder_end_object (builder);
}

/**
 * roster_user_has_work_address:
 *
 * Returns: whether any part of the work address is set
 */
gboolean
roster_user_has_work_address (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  for (guint i = EXTRA_STREET_ADDRESS; i <= EXTRA_ADDRESS_COUNTRY; i++)
    if (self->extra[i] != NULL)
      return TRUE;
  return FALSE;
}

/**
 * roster_user_add_work_address:
 *
 * Adds the work address, as one element of "addresses", to @builder.
 */
void
roster_user_add_work_address (RosterUser *self, JsonBuilder *builder)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  json_builder_begin_object (builder);
  add_string (builder, "type", "work");
  add_string (builder, "streetAddress", self->extra[EXTRA_STREET_ADDRESS]);
  add_string (builder, "locality", self->extra[EXTRA_LOCALITY]);
  add_string (builder, "postalCode", self->extra[EXTRA_POSTAL_CODE]);
  add_string (builder, "region", self->extra[EXTRA_REGION]);
  add_string (builder, "country", self->extra[EXTRA_ADDRESS_COUNTRY]);
  json_builder_end_object (builder);
}

/**
 * roster_user_to_json:
 * @password: (nullable): a password to send along (write-only: only for create and set)
 * @location: (nullable): the resource's URL for meta.location, on the server side
 *
 * Builds the SCIM representation. A user that has been stored (it has an id and a creation
 * time) gets id and meta; a new one gets neither, which is what POST /Users wants.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
roster_user_to_json (RosterUser *self, const char *password, const char *location)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *formatted = NULL;

  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_USER);
  json_builder_add_string_value (builder, ROSTER_SCIM_SCHEMA_ROSTER_USER);
  json_builder_end_array (builder);
  add_string (builder, "id", self->id);
  add_string (builder, "userName", self->user_name);

  formatted = roster_user_dup_formatted_name (self);
  if (formatted != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_begin_object (builder);
      add_string (builder, "formatted", formatted);
      add_string (builder, "givenName", self->given_name);
      add_string (builder, "familyName", self->family_name);
      json_builder_end_object (builder);
    }
  add_string (builder, "displayName", self->display_name);

  if (self->email != NULL)
    {
      json_builder_set_member_name (builder, "emails");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_string (builder, "value", self->email);
      add_string (builder, "type", "work");
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
  add_string (builder, "password", password);
  add_string (builder, "preferredLanguage", self->extra[EXTRA_PREFERRED_LANGUAGE]);
  add_typed (builder, "phoneNumbers", "mobile", self->extra[EXTRA_MOBILE]);
  add_typed (builder, "ims", "skype", self->extra[EXTRA_SKYPE]);
  if (roster_user_has_work_address (self))
    {
      json_builder_set_member_name (builder, "addresses");
      json_builder_begin_array (builder);
      roster_user_add_work_address (self, builder);
      json_builder_end_array (builder);
    }
  add_values (builder, "roles", (const char *const *) self->roles);
  add_values (builder, "entitlements", (const char *const *) self->entitlements);
  if (self->extra[EXTRA_EMPLOYEE_NUMBER] != NULL || self->extra[EXTRA_DEPARTMENT] != NULL
      || self->extra[EXTRA_MANAGER_ID] != NULL)
    {
      json_builder_set_member_name (builder, ROSTER_SCIM_SCHEMA_ENTERPRISE_USER);
      json_builder_begin_object (builder);
      add_string (builder, "employeeNumber", self->extra[EXTRA_EMPLOYEE_NUMBER]);
      add_string (builder, "department", self->extra[EXTRA_DEPARTMENT]);
      add_reference (builder, "manager", self->extra[EXTRA_MANAGER_ID]);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, ROSTER_SCIM_SCHEMA_ROSTER_USER);
  json_builder_begin_object (builder);
  add_string (builder, "country", self->extra[EXTRA_COUNTRY]);
  add_reference (builder, "secondaryManager", self->extra[EXTRA_SECONDARY_MANAGER_ID]);
  json_builder_set_member_name (builder, "administrator");
  json_builder_add_boolean_value (builder, self->administrator);
  if (self->id != NULL)
    add_string (builder, "status", roster_user_status_to_string (self->status));
  json_builder_end_object (builder);

  if (self->id != NULL && self->created != NULL)
    {
      json_builder_set_member_name (builder, "meta");
      json_builder_begin_object (builder);
      add_string (builder, "resourceType", "User");
      add_date (builder, "created", self->created);
      add_date (builder, "lastModified",
                self->last_modified != NULL ? self->last_modified : self->created);
      add_string (builder, "location", location);
      add_string (builder, "version", self->version);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
replace_strv (GStrv *field, GStrv value)
{
  if (*field == value)
    return;
  g_strfreev (*field);
  *field = g_strdupv (value);
}

static void
replace_date (GDateTime **field, GDateTime *value)
{
  GDateTime *old = *field;

  *field = value != NULL ? g_date_time_ref (value) : NULL;
  if (old != NULL)
    g_date_time_unref (old);
}

/**
 * roster_user_update_from:
 *
 * Copies every attribute of @other into @self, notifying only what changed. The pager uses
 * it to fill placeholders in place, so rows bound to them update without being rebuilt.
 */
void
roster_user_update_from (RosterUser *self, RosterUser *other)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  g_return_if_fail (ROSTER_IS_USER (other));

  g_object_freeze_notify (G_OBJECT (self));
  roster_user_set_id (self, other->id);
  roster_user_set_user_name (self, other->user_name);
  roster_user_set_given_name (self, other->given_name);
  roster_user_set_family_name (self, other->family_name);
  if (g_strcmp0 (self->formatted_name, other->formatted_name) != 0)
    {
      g_free (self->formatted_name);
      self->formatted_name = g_strdup (other->formatted_name);
      update_title (self);
    }
  roster_user_set_display_name (self, other->display_name);
  roster_user_set_email (self, other->email);
  roster_user_set_active (self, other->active);
  roster_user_set_status (self, other->status);
  roster_user_set_administrator (self, other->administrator);
  roster_user_set_created (self, other->created);
  roster_user_set_last_modified (self, other->last_modified);
  roster_user_set_version (self, other->version);
  for (guint i = 0; i < N_EXTRA; i++)
    set_string (self, &self->extra[i], other->extra[i], PROP_EXTRA_0 + i);
  roster_user_set_roles (self, (const char *const *) other->roles,
                         (const char *const *) other->role_names);
  roster_user_set_entitlements (self, (const char *const *) other->entitlements);
  replace_strv (&self->group_ids, other->group_ids);
  replace_strv (&self->group_names, other->group_names);
  replace_strv (&self->effective, other->effective);
  replace_strv (&self->effective_sources, other->effective_sources);
  replace_date (&self->lock_since, other->lock_since);
  replace_date (&self->last_login, other->last_login);
  replace_date (&self->password_expires, other->password_expires);
  self->must_change_password = other->must_change_password;
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
roster_user_get_placeholder (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->placeholder;
}

/* For the string properties whose change redoes nothing else. */
static void
nothing_else (RosterUser *self)
{
}

/* Setting either part of the name replaces a name.formatted received without them. */
static void
name_part_changed (RosterUser *self)
{
  g_clear_pointer (&self->formatted_name, g_free);
  update_title (self);
}

#define STRING_ACCESSORS(field, PROP, on_change)                                                   \
  const char *roster_user_get_##field (RosterUser *self)                                          \
  {                                                                                                \
    g_return_val_if_fail (ROSTER_IS_USER (self), NULL);                                           \
    return self->field;                                                                            \
  }                                                                                                \
  void roster_user_set_##field (RosterUser *self, const char *value)                              \
  {                                                                                                \
    g_return_if_fail (ROSTER_IS_USER (self));                                                     \
    if (set_string (self, &self->field, value, PROP))                                              \
      on_change (self);                                                                            \
  }

STRING_ACCESSORS (id, PROP_ID, nothing_else)
STRING_ACCESSORS (user_name, PROP_USER_NAME, update_title)
STRING_ACCESSORS (given_name, PROP_GIVEN_NAME, name_part_changed)
STRING_ACCESSORS (family_name, PROP_FAMILY_NAME, name_part_changed)
STRING_ACCESSORS (display_name, PROP_DISPLAY_NAME, update_title)
STRING_ACCESSORS (email, PROP_EMAIL, nothing_else)
STRING_ACCESSORS (version, PROP_VERSION, nothing_else)

#undef STRING_ACCESSORS

gboolean
roster_user_get_active (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->active;
}

void
roster_user_set_active (RosterUser *self, gboolean active)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

RosterUserStatus
roster_user_get_status (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), ROSTER_USER_STATUS_ACTIVE);
  return self->status;
}

void
roster_user_set_status (RosterUser *self, RosterUserStatus status)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  g_return_if_fail ((guint) status < G_N_ELEMENTS (status_names));
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
roster_user_get_administrator (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->administrator;
}

void
roster_user_set_administrator (RosterUser *self, gboolean administrator)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  administrator = !!administrator;
  if (self->administrator == administrator)
    return;
  self->administrator = administrator;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADMINISTRATOR]);
}

GDateTime *
roster_user_get_created (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->created;
}

void
roster_user_set_created (RosterUser *self, GDateTime *created)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  set_date (self, &self->created, created, PROP_CREATED);
}

GDateTime *
roster_user_get_last_modified (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->last_modified;
}

void
roster_user_set_last_modified (RosterUser *self, GDateTime *last_modified)
{
  g_return_if_fail (ROSTER_IS_USER (self));
  set_date (self, &self->last_modified, last_modified, PROP_LAST_MODIFIED);
}

/**
 * roster_user_dup_formatted_name:
 *
 * Returns: (nullable): "Given Family", or whichever of the two is set, else the
 *   name.formatted a server sent without them
 */
char *
roster_user_dup_formatted_name (RosterUser *self)
{
  char *formatted;

  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  formatted = format_name (self->given_name, self->family_name);
  if (formatted == NULL && is_set (self->formatted_name))
    formatted = g_strdup (self->formatted_name);
  return formatted;
}

/**
 * roster_user_get_title:
 *
 * Returns: what to call this user in a list: the display name, else the formatted name, else
 *   the username
 */
const char *
roster_user_get_title (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->title != NULL ? self->title : "";
}

static int
find_extra (const char *property)
{
  for (guint i = 0; property != NULL && i < N_EXTRA; i++)
    if (g_str_equal (property, extra_names[i]))
      return (int) i;
  return -1;
}

/**
 * roster_user_get_string:
 * @property: one of the string properties beyond the core ones, such as "mobile"
 *
 * Returns: (nullable): its value
 */
const char *
roster_user_get_string (RosterUser *self, const char *property)
{
  int i = find_extra (property);

  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  g_return_val_if_fail (i >= 0, NULL);
  return self->extra[i];
}

void
roster_user_set_string (RosterUser *self, const char *property, const char *value)
{
  int i = find_extra (property);

  g_return_if_fail (ROSTER_IS_USER (self));
  g_return_if_fail (i >= 0);
  set_string (self, &self->extra[i], value, PROP_EXTRA_0 + (guint) i);
}

static const char *const empty_strv[] = { NULL };

#define STRV_OR_EMPTY(v) ((v) != NULL ? (const char *const *) (v) : empty_strv)

/**
 * roster_user_get_roles:
 *
 * Returns: (transfer none): the ids of the user's roles
 */
const char *const *
roster_user_get_roles (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->roles);
}

/**
 * roster_user_get_role_names:
 *
 * Returns: (transfer none): the names of the roles, parallel to roster_user_get_roles() ("" where
 *   unknown)
 */
const char *const *
roster_user_get_role_names (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->role_names);
}

/**
 * roster_user_set_roles:
 * @ids: (nullable): role ids
 * @names: (nullable): their names, parallel to @ids
 */
void
roster_user_set_roles (RosterUser *self, const char *const *ids, const char *const *names)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  guint n = ids != NULL ? g_strv_length ((GStrv) ids) : 0;
  guint n_names = names != NULL ? g_strv_length ((GStrv) names) : 0;
  GStrv new_ids, new_names;

  g_return_if_fail (ROSTER_IS_USER (self));
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (name_builder, i < n_names ? names[i] : "");
  new_ids = n > 0 ? g_strdupv ((GStrv) ids) : NULL;
  new_names = n > 0 ? g_strv_builder_end (name_builder) : NULL;

  g_strfreev (self->roles);
  g_strfreev (self->role_names);
  self->roles = new_ids;
  self->role_names = new_names;
}

/**
 * roster_user_get_entitlements:
 *
 * Returns: (transfer none): the ids of the permissions given to this user alone
 */
const char *const *
roster_user_get_entitlements (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->entitlements);
}

void
roster_user_set_entitlements (RosterUser *self, const char *const *ids)
{
  GStrv copy;

  g_return_if_fail (ROSTER_IS_USER (self));
  copy = ids != NULL && ids[0] != NULL ? g_strdupv ((GStrv) ids) : NULL;

  g_strfreev (self->entitlements);
  self->entitlements = copy;
}

gboolean
roster_user_has_entitlement (RosterUser *self, const char *id)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->entitlements != NULL && g_strv_contains ((const char *const *) self->entitlements,
                                                        id);
}

/**
 * roster_user_get_group_ids:
 *
 * Returns: (transfer none): the ids of the groups and teams the user is in (read-only)
 */
const char *const *
roster_user_get_group_ids (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->group_ids);
}

const char *const *
roster_user_get_group_names (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->group_names);
}

/**
 * roster_user_add_groups:
 * @ids: group ids
 * @names: (nullable): their display names, parallel to @ids
 *
 * Adds memberships the user does not have yet, in the app's copy only: the server's
 * `groups` is read-only, so the app joins each group itself when it saves (a duplicate,
 * "Copy Permissions From…"). Ids the user already has are skipped.
 */
void
roster_user_add_groups (RosterUser *self, const char *const *ids, const char *const *names)
{
  g_autoptr(GStrvBuilder) all_ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) all_names = g_strv_builder_new ();
  const char *const *had = roster_user_get_group_ids (self);
  const char *const *had_names = roster_user_get_group_names (self);
  guint n_names = g_strv_length ((GStrv) had_names);
  gboolean added = FALSE;

  g_return_if_fail (ROSTER_IS_USER (self));

  for (guint i = 0; had[i] != NULL; i++)
    {
      g_strv_builder_add (all_ids, had[i]);
      g_strv_builder_add (all_names, i < n_names ? had_names[i] : "");
    }
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (!g_strv_contains (had, ids[i]))
      {
        g_strv_builder_add (all_ids, ids[i]);
        g_strv_builder_add (all_names, names != NULL && names[i] != NULL ? names[i] : "");
        added = TRUE;
      }
  if (!added)
    return;
  g_strfreev (self->group_ids);
  g_strfreev (self->group_names);
  self->group_ids = g_strv_builder_end (all_ids);
  self->group_names = g_strv_builder_end (all_names);
}

/**
 * roster_user_dup_groups_added:
 * @names: (out) (optional): their display names ("" when unknown)
 *
 * Returns: (transfer full): the ids of the groups and teams @after is in and @before is not:
 *   what saving @after must join (an empty list when there are none)
 */
GStrv
roster_user_dup_groups_added (RosterUser *before, RosterUser *after, GStrv *names)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) added_names = g_strv_builder_new ();
  const char *const *after_ids, *const *after_names;
  guint n_names;

  g_return_val_if_fail (ROSTER_IS_USER (before) && ROSTER_IS_USER (after), NULL);

  after_ids = roster_user_get_group_ids (after);
  after_names = roster_user_get_group_names (after);
  n_names = g_strv_length ((GStrv) after_names);
  for (guint i = 0; after_ids[i] != NULL; i++)
    if (!g_strv_contains (roster_user_get_group_ids (before), after_ids[i]))
      {
        g_strv_builder_add (ids, after_ids[i]);
        g_strv_builder_add (added_names, i < n_names ? after_names[i] : "");
      }
  if (names != NULL)
    *names = g_strv_builder_end (added_names);
  return g_strv_builder_end (ids);
}

/**
 * roster_user_get_effective_permissions:
 *
 * Returns: (transfer none): every permission the user has, from any source (read-only)
 */
const char *const *
roster_user_get_effective_permissions (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return STRV_OR_EMPTY (self->effective);
}

/**
 * roster_user_dup_permission_sources:
 *
 * Returns: (transfer full) (nullable): where @permission comes from, translated, such as
 *   "Role “Sales”, Member of “Support”"; %NULL if the user does not have it
 */
char *
roster_user_dup_permission_sources (RosterUser *self, const char *permission)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  for (guint i = 0; self->effective != NULL && self->effective[i] != NULL; i++)
    if (g_str_equal (self->effective[i], permission))
      return g_strdup (self->effective_sources[i]);
  return NULL;
}

GDateTime *
roster_user_get_lock_since (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->lock_since;
}

GDateTime *
roster_user_get_last_login (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->last_login;
}

GDateTime *
roster_user_get_password_expires (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);
  return self->password_expires;
}

gboolean
roster_user_get_must_change_password (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->must_change_password;
}
