/* roster-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "roster-scim.h"
#include "roster-user.h"

struct _RosterUser
{
  GObject parent_instance;

  char *id;
  char *user_name;
  char *given_name;
  char *family_name;
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
  N_PROPS
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

static void
update_title (RosterUser *self)
{
  g_autofree char *title = NULL;

  if (self->display_name != NULL && *self->display_name != '\0')
    title = g_strdup (self->display_name);
  else
    title = roster_user_dup_formatted_name (self);
  if (title == NULL || *title == '\0')
    {
      g_free (title);
      title = g_strdup (self->user_name != NULL ? self->user_name : "");
    }

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
  g_free (self->display_name);
  g_free (self->email);
  g_free (self->version);
  g_free (self->title);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_modified, g_date_time_unref);

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
      roster_user_set_given_name (self, roster_json_get_string (name, "givenName", &local_error));
      CHECK ();
      roster_user_set_family_name (self,
                                   roster_json_get_string (name, "familyName", &local_error));
      CHECK ();
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

  json_builder_set_member_name (builder, ROSTER_SCIM_SCHEMA_ROSTER_USER);
  json_builder_begin_object (builder);
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
  roster_user_set_display_name (self, other->display_name);
  roster_user_set_email (self, other->email);
  roster_user_set_active (self, other->active);
  roster_user_set_status (self, other->status);
  roster_user_set_administrator (self, other->administrator);
  roster_user_set_created (self, other->created);
  roster_user_set_last_modified (self, other->last_modified);
  roster_user_set_version (self, other->version);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
roster_user_get_placeholder (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), FALSE);
  return self->placeholder;
}

#define STRING_ACCESSORS(field, PROP, title_changes)                                              \
  const char *roster_user_get_##field (RosterUser *self)                                          \
  {                                                                                                \
    g_return_val_if_fail (ROSTER_IS_USER (self), NULL);                                           \
    return self->field;                                                                            \
  }                                                                                                \
  void roster_user_set_##field (RosterUser *self, const char *value)                              \
  {                                                                                                \
    g_return_if_fail (ROSTER_IS_USER (self));                                                     \
    if (set_string (self, &self->field, value, PROP) && (title_changes))                           \
      update_title (self);                                                                         \
  }

STRING_ACCESSORS (id, PROP_ID, FALSE)
STRING_ACCESSORS (user_name, PROP_USER_NAME, TRUE)
STRING_ACCESSORS (given_name, PROP_GIVEN_NAME, TRUE)
STRING_ACCESSORS (family_name, PROP_FAMILY_NAME, TRUE)
STRING_ACCESSORS (display_name, PROP_DISPLAY_NAME, TRUE)
STRING_ACCESSORS (email, PROP_EMAIL, FALSE)
STRING_ACCESSORS (version, PROP_VERSION, FALSE)

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
 * Returns: (nullable): "Given Family", or whichever of the two is set
 */
char *
roster_user_dup_formatted_name (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);

  if (self->given_name != NULL && self->family_name != NULL)
    /* Translators: how a full name is built from the given and the family name */
    return g_strdup_printf (C_("full name", "%s %s"), self->given_name, self->family_name);
  return g_strdup (self->given_name != NULL ? self->given_name : self->family_name);
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
