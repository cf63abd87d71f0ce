/* roster-schema.c: the SCIM schemas rosterd serves, as static attribute tables
 *
 * The core User (RFC 7643 §4.1, §8.7.1), the enterprise extension (§4.3) and the Roster
 * extension. rosterd validates requests, projects responses and answers /Schemas from these
 * tables alone, so what it advertises is what it does. The common attributes id, externalId
 * and meta (§3.1) are handled beside the tables, as §3.1 allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-schema.h"
#include "roster-scim.h"

#define RW ROSTER_MUTABILITY_READ_WRITE
#define RO ROSTER_MUTABILITY_READ_ONLY
#define WO ROSTER_MUTABILITY_WRITE_ONLY
#define MULTI ROSTER_ATTRIBUTE_MULTI_VALUED
#define REQUIRED ROSTER_ATTRIBUTE_REQUIRED
#define EXACT ROSTER_ATTRIBUTE_CASE_EXACT

#define ATTR(n, t, f, m, d)                                                                        \
  {                                                                                                \
    .name = n, .type = ROSTER_ATTRIBUTE_##t, .flags = f, .mutability = m,                         \
    .returned = ROSTER_RETURNED_DEFAULT, .uniqueness = ROSTER_UNIQUENESS_NONE, .description = d   \
  }
#define STRING(n, d) ATTR (n, STRING, 0, RW, d)
#define CANONICAL(n, d, values)                                                                    \
  {                                                                                                \
    .name = n, .type = ROSTER_ATTRIBUTE_STRING, .mutability = RW, .description = d,               \
    .canonical_values = values                                                                     \
  }
#define REFERENCE(n, f, m, d, types)                                                               \
  {                                                                                                \
    .name = n, .type = ROSTER_ATTRIBUTE_REFERENCE, .flags = f, .mutability = m,                   \
    .description = d, .reference_types = types                                                     \
  }
#define COMPLEX(n, f, m, d, subs)                                                                  \
  {                                                                                                \
    .name = n, .type = ROSTER_ATTRIBUTE_COMPLEX, .flags = f, .mutability = m, .description = d,   \
    .sub_attributes = subs                                                                         \
  }
#define END { .name = NULL }

static const char *const external[] = { "external", NULL };
static const char *const user_ref[] = { "User", NULL };
static const char *const group_refs[] = { "User", "Group", NULL };
static const char *const email_types[] = { "work", "home", "other", NULL };
static const char *const phone_types[] = { "work", "home", "mobile", "fax", "pager", "other", NULL };
static const char *const im_types[] = { "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq",
                                        "yahoo", NULL };
static const char *const photo_types[] = { "photo", "thumbnail", NULL };
static const char *const address_types[] = { "work", "home", "other", NULL };
static const char *const group_types[] = { "direct", "indirect", NULL };
static const char *const status_values[] = { "pending", "active", "inactive", "locked", NULL };

static const RosterAttribute name_subs[] = {
  STRING ("formatted", N_("The full name, formatted for display")),
  STRING ("familyName", N_("The family name, or last name")),
  STRING ("givenName", N_("The given name, or first name")),
  STRING ("middleName", N_("The middle name(s)")),
  STRING ("honorificPrefix", N_("The honorific prefix(es), or title, such as “Ms.”")),
  STRING ("honorificSuffix", N_("The honorific suffix(es), such as “III”")),
  END,
};

#define VALUE_SUBS(var, value_attr, type_values)                                                   \
  static const RosterAttribute var[] = {                                                           \
    value_attr,                                                                                    \
    STRING ("display", N_("A human-readable name, primarily used for display purposes")),          \
    CANONICAL ("type", N_("A label indicating the attribute’s function"), type_values),            \
    ATTR ("primary", BOOLEAN, 0, RW, N_("Whether this is the preferred value")),                   \
    END,                                                                                           \
  }

VALUE_SUBS (email_subs, STRING ("value", N_("The e-mail address")), email_types);
VALUE_SUBS (phone_subs, STRING ("value", N_("The phone number")), phone_types);
VALUE_SUBS (im_subs, STRING ("value", N_("The instant messaging address")), im_types);
VALUE_SUBS (photo_subs,
            REFERENCE ("value", 0, RW, N_("The URL of the photo"), external),
            photo_types);
/* Roles and entitlements name things on this server: their display is computed. */
#define NAMED_SUBS(var, value_description, display_description)                                    \
  static const RosterAttribute var[] = {                                                           \
    STRING ("value", value_description),                                                           \
    ATTR ("display", STRING, 0, RO, display_description),                                          \
    STRING ("type", N_("A label indicating the attribute’s function")),                            \
    ATTR ("primary", BOOLEAN, 0, RW, N_("Whether this is the preferred value")),                   \
    END,                                                                                           \
  }

NAMED_SUBS (entitlement_subs, N_("The id of a permission from /Permissions"),
            N_("The name of the permission"));
NAMED_SUBS (role_subs, N_("The id of a role from /Roles"), N_("The name of the role"));
VALUE_SUBS (certificate_subs,
            ATTR ("value", BINARY, EXACT, RW, N_("The DER-encoded X.509 certificate, in base64")),
            NULL);

static const RosterAttribute address_subs[] = {
  STRING ("formatted", N_("The full mailing address, formatted for display")),
  STRING ("streetAddress", N_("The street address, with house number and street name")),
  STRING ("locality", N_("The city or locality")),
  STRING ("region", N_("The state or region")),
  STRING ("postalCode", N_("The postal code")),
  STRING ("country", N_("The country, as an ISO 3166-1 alpha-2 code")),
  CANONICAL ("type", N_("A label indicating the address’s function"), address_types),
  ATTR ("primary", BOOLEAN, 0, RW, N_("Whether this is the preferred mailing address")),
  END,
};

static const RosterAttribute group_subs[] = {
  ATTR ("value", STRING, 0, RO, N_("The id of the group")),
  REFERENCE ("$ref", 0, RO, N_("The URI of the group"), group_refs),
  ATTR ("display", STRING, 0, RO, N_("The name of the group")),
  { .name = "type", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RO,
    .description = N_("Whether the membership is direct or through another group"),
    .canonical_values = group_types },
  END,
};

static const RosterAttribute user_attributes[] = {
  { .name = "userName", .type = ROSTER_ATTRIBUTE_STRING, .flags = REQUIRED, .mutability = RW,
    .uniqueness = ROSTER_UNIQUENESS_SERVER,
    .description = N_("The unique name the user signs in with") },
  COMPLEX ("name", 0, RW, N_("The components of the user’s name"), name_subs),
  STRING ("displayName", N_("The name of the user, suitable for display")),
  STRING ("nickName", N_("The casual way to address the user")),
  REFERENCE ("profileUrl", 0, RW, N_("A URL of the user’s online profile"), external),
  STRING ("title", N_("The user’s title, such as “Vice President”")),
  STRING ("userType", N_("The relationship to the organization, such as “Employee”")),
  STRING ("preferredLanguage", N_("The preferred written or spoken language, such as “en-US”")),
  STRING ("locale", N_("The default location for localizing, such as “en-US”")),
  STRING ("timezone", N_("The time zone, in the IANA database format, such as "
                         "“Europe/Berlin”")),
  ATTR ("active", BOOLEAN, 0, RW, N_("Whether the user may sign in")),
  { .name = "password", .type = ROSTER_ATTRIBUTE_STRING, .mutability = WO,
    .returned = ROSTER_RETURNED_NEVER,
    .description = N_("The user’s clear-text password, to set it; never returned") },
  COMPLEX ("emails", MULTI, RW, N_("The user’s e-mail addresses"), email_subs),
  COMPLEX ("phoneNumbers", MULTI, RW, N_("The user’s phone numbers"), phone_subs),
  COMPLEX ("ims", MULTI, RW, N_("The user’s instant messaging addresses"), im_subs),
  COMPLEX ("photos", MULTI, RW, N_("URLs of photos of the user"), photo_subs),
  COMPLEX ("addresses", MULTI, RW, N_("The user’s physical mailing addresses"), address_subs),
  COMPLEX ("groups", MULTI, RO, N_("The groups the user belongs to"), group_subs),
  COMPLEX ("entitlements", MULTI, RW, N_("The user’s entitlements"), entitlement_subs),
  COMPLEX ("roles", MULTI, RW, N_("The user’s roles"), role_subs),
  COMPLEX ("x509Certificates", MULTI, RW, N_("The user’s X.509 certificates"),
           certificate_subs),
  END,
};

static const RosterAttribute manager_subs[] = {
  STRING ("value", N_("The id of the user’s manager")),
  REFERENCE ("$ref", 0, RW, N_("The URI of the user’s manager, computed from the id"), user_ref),
  ATTR ("displayName", STRING, 0, RO, N_("The display name of the user’s manager")),
  END,
};

static const RosterAttribute secondary_manager_subs[] = {
  STRING ("value", N_("The id of the user’s secondary manager")),
  REFERENCE ("$ref", 0, RW, N_("The URI of the user’s secondary manager, computed from the id"),
             user_ref),
  ATTR ("displayName", STRING, 0, RO, N_("The display name of the user’s secondary manager")),
  END,
};

static const RosterAttribute enterprise_attributes[] = {
  STRING ("employeeNumber", N_("The number assigned to the user by the organization")),
  STRING ("costCenter", N_("The name of a cost center")),
  STRING ("organization", N_("The name of the organization")),
  STRING ("division", N_("The name of a division")),
  STRING ("department", N_("The name of a department")),
  COMPLEX ("manager", 0, RW, N_("The user’s manager, another user on this server"),
           manager_subs),
  END,
};

static const RosterAttribute lock_subs[] = {
  ATTR ("reason", STRING, 0, RO, N_("Why the account was locked")),
  ATTR ("since", DATE_TIME, 0, RO, N_("When the account was locked")),
  END,
};

static const char *const source_types[] = { "administrator", "role", "group", "entitlement",
                                            NULL };

/* RFC 7643 §2.3.8 keeps complex attributes one level deep; "sources" is the one exception
 * (see docs/protocol.md). */
static const RosterAttribute permission_source_subs[] = {
  { .name = "type", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RO,
    .description = N_("What grants the permission"), .canonical_values = source_types },
  ATTR ("value", STRING, 0, RO, N_("The id of the role, group or permission that grants it")),
  ATTR ("display", STRING, 0, RO, N_("The name of the role, group or permission")),
  END,
};

static const RosterAttribute effective_permission_subs[] = {
  ATTR ("value", STRING, 0, RO, N_("The id of the permission")),
  COMPLEX ("sources", MULTI, RO, N_("What grants the permission"), permission_source_subs),
  END,
};

static const RosterAttribute roster_attributes[] = {
  COMPLEX ("secondaryManager", 0, RW,
           N_("The user’s secondary manager, another user on this server"),
           secondary_manager_subs),
  ATTR ("administrator", BOOLEAN, 0, RW, N_("Whether the user administers this server")),
  ATTR ("notifyByEmail", BOOLEAN, 0, RW, N_("Whether the user gets notifications by e-mail")),
  STRING ("country", N_("The user’s country, as an ISO 3166-1 alpha-2 code")),
  { .name = "status", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RO,
    .description = N_("The account’s state: pending until the e-mail address is verified, "
                      "then active, inactive or locked"),
    .canonical_values = status_values },
  ATTR ("emailVerified", BOOLEAN, 0, RO, N_("Whether the primary e-mail address is verified")),
  COMPLEX ("lock", 0, RO, N_("Why and since when the account is locked"), lock_subs),
  ATTR ("passwordChangedAt", DATE_TIME, 0, RO, N_("When the password was last set")),
  ATTR ("passwordExpiresAt", DATE_TIME, 0, RO, N_("When the password expires")),
  ATTR ("mustChangePassword", BOOLEAN, 0, RW,
        N_("Whether the user must choose a new password at the next sign-in")),
  ATTR ("lastLoginAt", DATE_TIME, 0, RO, N_("When the user last signed in")),
  ATTR ("twoFactorEnabled", BOOLEAN, 0, RO, N_("Whether the user signs in with a second factor")),
  COMPLEX ("effectivePermissions", MULTI, RO,
           N_("Every permission the user has, each with where it comes from: being an "
              "administrator, a role, a group or team, or an entitlement"),
           effective_permission_subs),
  END,
};

static const RosterSchema user_schema = {
  ROSTER_SCIM_SCHEMA_USER, "User", N_("User Account"), user_attributes,
};
static const RosterSchema enterprise_schema = {
  ROSTER_SCIM_SCHEMA_ENTERPRISE_USER, "EnterpriseUser", N_("Enterprise User"),
  enterprise_attributes,
};
static const RosterSchema roster_schema = {
  ROSTER_SCIM_SCHEMA_ROSTER_USER, "RosterUser",
  N_("What Roster needs to know about a user beyond SCIM: managers, administration and the "
     "account’s security state"),
  roster_attributes,
};
static const RosterSchema *const user_schemas[] = { &user_schema, &enterprise_schema,
                                                     &roster_schema, NULL };

const RosterSchema *
roster_schema_user_core (void)
{
  return &user_schema;
}

const RosterSchema *
roster_schema_enterprise_user (void)
{
  return &enterprise_schema;
}

const RosterSchema *
roster_schema_roster_user (void)
{
  return &roster_schema;
}

/* ------------------------------------------------------------------ Group and Role */

static const char *const member_types[] = { "User", NULL };
static const char *const kind_values[] = { "team", "group", NULL };

static const RosterAttribute member_subs[] = {
  { .name = "value", .type = ROSTER_ATTRIBUTE_STRING, .mutability = ROSTER_MUTABILITY_IMMUTABLE,
    .description = N_("The id of a user of this server") },
  REFERENCE ("$ref", 0, ROSTER_MUTABILITY_IMMUTABLE,
             N_("The URI of the user, computed from the id"), user_ref),
  ATTR ("display", STRING, 0, RO, N_("The display name of the user")),
  { .name = "type", .type = ROSTER_ATTRIBUTE_STRING, .mutability = ROSTER_MUTABILITY_IMMUTABLE,
    .description = N_("The type of the member: only users, groups cannot be nested"),
    .canonical_values = member_types },
  END,
};

static const RosterAttribute group_attributes[] = {
  { .name = "displayName", .type = ROSTER_ATTRIBUTE_STRING, .flags = REQUIRED, .mutability = RW,
    .description = N_("The name of the group or team") },
  COMPLEX ("members", MULTI, RW, N_("The users in the group or team"), member_subs),
  END,
};

static const RosterAttribute roster_group_attributes[] = {
  { .name = "kind", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RW,
    .description = N_("Whether this is a team or a group; a group unless set"),
    .canonical_values = kind_values },
  STRING ("description", N_("What the group or team is for")),
  ATTR ("permissions", STRING, MULTI | EXACT, RW,
        N_("Permission ids from /Permissions that every member has")),
  END,
};

static const RosterAttribute role_attributes[] = {
  { .name = "name", .type = ROSTER_ATTRIBUTE_STRING, .flags = REQUIRED, .mutability = RW,
    .uniqueness = ROSTER_UNIQUENESS_SERVER,
    .description = N_("The name of the role, unique without regard to case") },
  STRING ("description", N_("What the role is for")),
  ATTR ("permissions", STRING, MULTI | EXACT, RW,
        N_("Permission ids from /Permissions that users with this role have")),
  END,
};

static const RosterSchema group_schema = {
  ROSTER_SCIM_SCHEMA_GROUP, "Group", N_("Group"), group_attributes,
};
static const RosterSchema roster_group_schema = {
  ROSTER_SCIM_SCHEMA_ROSTER_GROUP, "RosterGroup",
  N_("What Roster adds to a group: teams and the permissions members get"),
  roster_group_attributes,
};
static const RosterSchema role_schema = {
  ROSTER_SCIM_SCHEMA_ROLE, "Role", N_("Role"), role_attributes,
};

/* ------------------------------------------------------------------ AuditEvent */

static const char *const actor_ref[] = { "User", NULL };
static const char *const target_refs[] = { "User", "Group", "Role", "Settings", NULL };
static const char *const target_types[] = { "User", "Group", "Role", "Settings", NULL };
static const char *const audit_actions[] = {
  "create", "update", "delete", "member-add", "member-remove", "lock", "unlock",
  "set-password", "password-change", "logout-all", "session-revoke", "two-factor-enable",
  "two-factor-reset", NULL,
};

#define READ_ONLY_EXACT(n, t, d) ATTR (n, t, EXACT, RO, d)

static const RosterAttribute actor_subs[] = {
  READ_ONLY_EXACT ("value", STRING, N_("The id of the user who made the change")),
  ATTR ("display", STRING, 0, RO, N_("The userName of the actor at the time")),
  REFERENCE ("$ref", 0, RO, N_("The URI of the actor"), actor_ref),
  END,
};

static const RosterAttribute target_subs[] = {
  { .name = "type", .type = ROSTER_ATTRIBUTE_STRING, .flags = EXACT, .mutability = RO,
    .description = N_("The resource type of what changed"), .canonical_values = target_types },
  READ_ONLY_EXACT ("value", STRING, N_("The id of what changed")),
  ATTR ("display", STRING, 0, RO, N_("The name of what changed, at the time")),
  REFERENCE ("$ref", 0, RO, N_("The URI of what changed"), target_refs),
  END,
};

/* before and after hold any JSON value: SCIM has no type for that (docs/protocol.md). */
static const RosterAttribute change_subs[] = {
  READ_ONLY_EXACT ("attribute", STRING,
                   N_("The attribute that changed, qualified by its schema for extensions")),
  ATTR ("before", COMPLEX, 0, RO,
        N_("The value before the change, any JSON value; null if there was none")),
  ATTR ("after", COMPLEX, 0, RO,
        N_("The value after the change, any JSON value; null if there is none")),
  END,
};

static const RosterAttribute audit_event_attributes[] = {
  ATTR ("time", DATE_TIME, 0, RO, N_("When the change was made")),
  COMPLEX ("actor", 0, RO,
           N_("Who made the change; absent when the server did it on its own"), actor_subs),
  { .name = "action", .type = ROSTER_ATTRIBUTE_STRING, .flags = EXACT | REQUIRED,
    .mutability = RO, .description = N_("What was done"), .canonical_values = audit_actions },
  COMPLEX ("target", REQUIRED, RO, N_("What the change was made to"), target_subs),
  COMPLEX ("changes", MULTI, RO,
           N_("The attributes that changed; never a password, hash, token or secret"),
           change_subs),
  END,
};

static const RosterSchema audit_event_schema = {
  ROSTER_SCIM_SCHEMA_AUDIT_EVENT, "AuditEvent", N_("Audit Event"), audit_event_attributes,
};
static const RosterSchema *const audit_event_schemas[] = { &audit_event_schema, NULL };

/**
 * roster_schema_audit_event_schemas:
 *
 * Returns: the %NULL-terminated schemas of an AuditEvent (no extensions)
 */
const RosterSchema *const *
roster_schema_audit_event_schemas (void)
{
  return audit_event_schemas;
}
/* ------------------------------------------------------- DeletedUser and Record */

static const char *const owner_types[] = { "user", "group", NULL };
static const char *const owner_refs[] = { "User", "Group", NULL };
static const char *const to_values[] = { "user", "group", "queue", NULL };
static const char *const record_kinds[] = { "client", "order", "task", NULL };
static const char *const record_states[] = { "open", "done", NULL };

static const RosterAttribute deleted_by_subs[] = {
  ATTR ("value", STRING, EXACT, RO, N_("The id of the user who deleted this one")),
  REFERENCE ("$ref", 0, RO, N_("The URI of the user who deleted this one"), user_ref),
  ATTR ("display", STRING, 0, RO, N_("The username of the user who deleted this one")),
  END,
};

static const RosterAttribute destination_subs[] = {
  { .name = "to", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RO,
    .description = N_("Where the records went: a user, a group or the general queue"),
    .canonical_values = to_values },
  ATTR ("value", STRING, EXACT, RO, N_("The id of the user or group")),
  ATTR ("display", STRING, 0, RO, N_("The name of the user or group")),
  ATTR ("count", INTEGER, 0, RO, N_("How many records went there")),
  END,
};

static const RosterAttribute reassigned_subs[] = {
  COMPLEX ("clients", 0, RO, N_("Where the user’s clients went"), destination_subs),
  COMPLEX ("orders", 0, RO, N_("Where the user’s orders went"), destination_subs),
  COMPLEX ("tasks", 0, RO, N_("Where the user’s tasks went"), destination_subs),
  END,
};

static const RosterAttribute deleted_name_subs[] = {
  ATTR ("givenName", STRING, 0, RO, N_("The given name, or first name")),
  ATTR ("familyName", STRING, 0, RO, N_("The family name, or last name")),
  ATTR ("formatted", STRING, 0, RO, N_("The full name, formatted for display")),
  END,
};

static const RosterAttribute deleted_user_attributes[] = {
  ATTR ("userName", STRING, 0, RO,
        N_("The username, reserved until the user is purged")),
  ATTR ("displayName", STRING, 0, RO, N_("The name shown for the user")),
  COMPLEX ("name", 0, RO, N_("The user’s given, family and formatted name"),
           deleted_name_subs),
  ATTR ("deletedAt", DATE_TIME, 0, RO, N_("When the user was deleted")),
  COMPLEX ("deletedBy", 0, RO, N_("Who deleted the user"), deleted_by_subs),
  ATTR ("purgeAt", DATE_TIME, 0, RO,
        N_("When the user is purged for good, unless restored before")),
  COMPLEX ("reassigned", 0, RO,
           N_("What the reassignment plan moved; a restore does not move it back"),
           reassigned_subs),
  END,
};

static const RosterAttribute owner_subs[] = {
  { .name = "type", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RW,
    .description = N_("Whether a user or a group owns the record"),
    .canonical_values = owner_types },
  ATTR ("value", STRING, EXACT, RW, N_("The id of the user or group")),
  REFERENCE ("$ref", 0, RO, N_("The URI of the owner"), owner_refs),
  ATTR ("display", STRING, 0, RO, N_("The name of the owner")),
  END,
};

static const RosterAttribute record_attributes[] = {
  { .name = "kind", .type = ROSTER_ATTRIBUTE_STRING, .flags = REQUIRED,
    .mutability = ROSTER_MUTABILITY_IMMUTABLE,
    .description = N_("What the record is: a client, an order or a task"),
    .canonical_values = record_kinds },
  { .name = "title", .type = ROSTER_ATTRIBUTE_STRING, .flags = REQUIRED, .mutability = RW,
    .description = N_("What the record is called, at most 200 characters") },
  { .name = "state", .type = ROSTER_ATTRIBUTE_STRING, .mutability = RW,
    .description = N_("Whether the record is open (the default) or done"),
    .canonical_values = record_states },
  COMPLEX ("owner", 0, RW, N_("Who owns the record; none: the general queue"), owner_subs),
  END,
};

static const RosterSchema deleted_user_schema = {
  "urn:roster:params:scim:schemas:core:2.0:DeletedUser", "DeletedUser",
  N_("A deleted user that can still be restored"), deleted_user_attributes,
};
static const RosterSchema record_schema = {
  "urn:roster:params:scim:schemas:core:2.0:Record", "Record",
  N_("A client, order or task of the CRM and who owns it"), record_attributes,
};

static const RosterSchema *const group_schemas[] = { &group_schema, &roster_group_schema, NULL };
static const RosterSchema *const role_schemas[] = { &role_schema, NULL };
static const RosterSchema *const deleted_user_schemas[] = { &deleted_user_schema, NULL };
static const RosterSchema *const record_schemas[] = { &record_schema, NULL };

/**
 * roster_schema_group_schemas:
 *
 * Returns: the %NULL-terminated schemas of a Group, core first
 */
const RosterSchema *const *
roster_schema_group_schemas (void)
{
  return group_schemas;
}

/**
 * roster_schema_role_schemas:
 *
 * Returns: the %NULL-terminated schemas of a Role (no extensions)
 */
const RosterSchema *const *
roster_schema_role_schemas (void)
{
  return role_schemas;
}

static const struct
{
  const char *id;
  const char *endpoint;
  const char *description;
  const RosterSchema *const *schemas;
} resource_types[] = {
  { "User", "/Users", N_("User Account"), user_schemas },
  { "Group", "/Groups", N_("Groups and teams of users"), group_schemas },
  { "Role", "/Roles", N_("Roles: named sets of permissions given to users"), role_schemas },
  { "AuditEvent", "/AuditEvents", N_("The audit log: every change, read-only"),
    audit_event_schemas },
  { "DeletedUser", "/DeletedUsers",
    N_("Deleted users within the restore window (read-only; POST …/restore brings one back)"),
    deleted_user_schemas },
  { "Record", "/Records", N_("The clients, orders and tasks users own"), record_schemas },
};

/**
 * roster_schema_find:
 *
 * Returns: (nullable): the schema of any resource type whose id is @urn, compared
 *   case-insensitively
 */
const RosterSchema *
roster_schema_find (const char *urn)
{
  for (guint t = 0; urn != NULL && t < G_N_ELEMENTS (resource_types); t++)
    for (guint i = 0; resource_types[t].schemas[i] != NULL; i++)
      if (g_ascii_strcasecmp (resource_types[t].schemas[i]->id, urn) == 0)
        return resource_types[t].schemas[i];
  return NULL;
}

/**
 * roster_schema_find_in:
 * @schemas: the %NULL-terminated schemas of one resource type
 *
 * Returns: (nullable): the one of @schemas whose id is @urn
 */
const RosterSchema *
roster_schema_find_in (const RosterSchema *const *schemas, const char *urn)
{
  for (guint i = 0; urn != NULL && schemas[i] != NULL; i++)
    if (g_ascii_strcasecmp (schemas[i]->id, urn) == 0)
      return schemas[i];
  return NULL;
}

/**
 * roster_schema_all:
 *
 * Returns: (transfer container): every schema of every resource type, for /Schemas
 */
GPtrArray *
roster_schema_all (void)
{
  GPtrArray *all = g_ptr_array_new ();

  for (guint t = 0; t < G_N_ELEMENTS (resource_types); t++)
    for (guint i = 0; resource_types[t].schemas[i] != NULL; i++)
      g_ptr_array_add (all, (gpointer) resource_types[t].schemas[i]);
  return all;
}

/**
 * roster_schema_user_schemas:
 *
 * Returns: the %NULL-terminated schemas of a User, core first
 */
const RosterSchema *const *
roster_schema_user_schemas (void)
{
  return user_schemas;
}

/**
 * roster_schema_lookup:
 *
 * Returns: (nullable): the schema whose id is @urn, compared case-insensitively (RFC 7643
 *   §2.1 makes schema URIs case-insensitive)
 */
const RosterSchema *
roster_schema_lookup (const char *urn)
{
  for (guint i = 0; urn != NULL && user_schemas[i] != NULL; i++)
    if (g_ascii_strcasecmp (user_schemas[i]->id, urn) == 0)
      return user_schemas[i];
  return NULL;
}

static const RosterAttribute *
find_in (const RosterAttribute *attributes, const char *name)
{
  for (guint i = 0; attributes != NULL && attributes[i].name != NULL; i++)
    if (g_ascii_strcasecmp (attributes[i].name, name) == 0)
      return &attributes[i];
  return NULL;
}

/* Attribute names are case-insensitive (RFC 7643 §2.1). */
const RosterAttribute *
roster_schema_find_attribute (const RosterSchema *schema, const char *name)
{
  return find_in (schema->attributes, name);
}

const RosterAttribute *
roster_attribute_find_sub (const RosterAttribute *attribute, const char *name)
{
  return find_in (attribute->sub_attributes, name);
}

gboolean
roster_attribute_is_multi_valued (const RosterAttribute *attribute)
{
  return (attribute->flags & ROSTER_ATTRIBUTE_MULTI_VALUED) != 0;
}

gboolean
roster_attribute_is_complex (const RosterAttribute *attribute)
{
  return attribute->type == ROSTER_ATTRIBUTE_COMPLEX;
}

gboolean
roster_attribute_is_read_only (const RosterAttribute *attribute)
{
  return attribute->mutability == ROSTER_MUTABILITY_READ_ONLY;
}

static const char *const type_names[] = { "string", "boolean", "decimal", "integer",
                                          "dateTime", "reference", "binary", "complex" };
static const char *const mutability_names[] = { "readWrite", "readOnly", "immutable",
                                                "writeOnly" };
static const char *const returned_names[] = { "default", "always", "never", "request" };
static const char *const uniqueness_names[] = { "none", "server", "global" };

static void
add_strings (JsonBuilder *builder, const char *member, const char *const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* RFC 7643 §7: every characteristic, so clients need no defaults of their own. */
static void
add_attributes (JsonBuilder *builder, const char *member, const RosterAttribute *attributes)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; attributes[i].name != NULL; i++)
    {
      const RosterAttribute *a = &attributes[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, a->name);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type_names[a->type]);
      json_builder_set_member_name (builder, "multiValued");
      json_builder_add_boolean_value (builder, roster_attribute_is_multi_valued (a));
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, _(a->description));
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, (a->flags & ROSTER_ATTRIBUTE_REQUIRED) != 0);
      if (a->type != ROSTER_ATTRIBUTE_COMPLEX)
        {
          json_builder_set_member_name (builder, "caseExact");
          json_builder_add_boolean_value (builder, (a->flags & ROSTER_ATTRIBUTE_CASE_EXACT) != 0);
        }
      if (a->canonical_values != NULL)
        add_strings (builder, "canonicalValues", a->canonical_values);
      json_builder_set_member_name (builder, "mutability");
      json_builder_add_string_value (builder, mutability_names[a->mutability]);
      json_builder_set_member_name (builder, "returned");
      json_builder_add_string_value (builder, returned_names[a->returned]);
      if (a->type != ROSTER_ATTRIBUTE_COMPLEX && a->type != ROSTER_ATTRIBUTE_BOOLEAN)
        {
          json_builder_set_member_name (builder, "uniqueness");
          json_builder_add_string_value (builder, uniqueness_names[a->uniqueness]);
        }
      if (a->type == ROSTER_ATTRIBUTE_REFERENCE)
        add_strings (builder, "referenceTypes", a->reference_types);
      if (a->sub_attributes != NULL)
        add_attributes (builder, "subAttributes", a->sub_attributes);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_meta (JsonBuilder *builder, const char *resource_type, const char *location)
{
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, resource_type);
  json_builder_set_member_name (builder, "location");
  json_builder_add_string_value (builder, location);
  json_builder_end_object (builder);
}

/**
 * roster_schema_to_json:
 * @base_url: the server's base URL, for meta.location
 *
 * Returns: (transfer full): @schema as an RFC 7643 §7 Schema resource
 */
JsonNode *
roster_schema_to_json (const RosterSchema *schema, const char *base_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *location = g_strconcat (base_url, "/scim/v2/Schemas/", schema->id, NULL);

  json_builder_begin_object (builder);
  add_strings (builder, "schemas",
               (const char *const[]){ "urn:ietf:params:scim:schemas:core:2.0:Schema", NULL });
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, schema->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, schema->name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, _(schema->description));
  add_attributes (builder, "attributes", schema->attributes);
  add_meta (builder, "Schema", location);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
resource_type_to_json (guint t, const char *base_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *location = g_strconcat (base_url, "/scim/v2/ResourceTypes/",
                                           resource_types[t].id, NULL);
  const RosterSchema *const *schemas = resource_types[t].schemas;

  json_builder_begin_object (builder);
  add_strings (builder, "schemas",
               (const char *const[]){ "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
                                      NULL });
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, resource_types[t].id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, resource_types[t].id);
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, resource_types[t].endpoint);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, _(resource_types[t].description));
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, schemas[0]->id);
  if (schemas[1] != NULL)
    {
      json_builder_set_member_name (builder, "schemaExtensions");
      json_builder_begin_array (builder);
      for (guint i = 1; schemas[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "schema");
          json_builder_add_string_value (builder, schemas[i]->id);
          json_builder_set_member_name (builder, "required");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  add_meta (builder, "ResourceType", location);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * roster_schema_resource_type:
 * @id: "User", "Group" or "Role"
 *
 * Returns: (transfer full) (nullable): the resource type (RFC 7643 §6), or %NULL if there is
 *   none of this name
 */
JsonNode *
roster_schema_resource_type (const char *id, const char *base_url)
{
  for (guint t = 0; t < G_N_ELEMENTS (resource_types); t++)
    if (g_str_equal (resource_types[t].id, id))
      return resource_type_to_json (t, base_url);
  return NULL;
}

/**
 * roster_schema_resource_types:
 *
 * Returns: (transfer full) (element-type JsonNode): every resource type
 */
GPtrArray *
roster_schema_resource_types (const char *base_url)
{
  GPtrArray *types = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint t = 0; t < G_N_ELEMENTS (resource_types); t++)
    g_ptr_array_add (types, resource_type_to_json (t, base_url));
  return types;
}
