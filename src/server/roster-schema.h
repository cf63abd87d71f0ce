/* roster-schema.h: the SCIM schemas rosterd serves, as static attribute tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROSTER_SCIM_SCHEMA_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define ROSTER_SCIM_SCHEMA_ROSTER_GROUP "urn:roster:params:scim:schemas:extension:crm:2.0:Group"
#define ROSTER_SCIM_SCHEMA_ROLE "urn:roster:params:scim:schemas:core:2.0:Role"
#define ROSTER_SCIM_SCHEMA_AUDIT_EVENT "urn:roster:params:scim:schemas:core:2.0:AuditEvent"

/* In the order of RosterScimAttributeType, so the two convert by a cast. */
typedef enum
{
  ROSTER_ATTRIBUTE_STRING,
  ROSTER_ATTRIBUTE_BOOLEAN,
  ROSTER_ATTRIBUTE_DECIMAL,
  ROSTER_ATTRIBUTE_INTEGER,
  ROSTER_ATTRIBUTE_DATE_TIME,
  ROSTER_ATTRIBUTE_REFERENCE,
  ROSTER_ATTRIBUTE_BINARY,
  ROSTER_ATTRIBUTE_COMPLEX,
} RosterAttributeType;

typedef enum
{
  ROSTER_MUTABILITY_READ_WRITE,
  ROSTER_MUTABILITY_READ_ONLY,
  ROSTER_MUTABILITY_IMMUTABLE,
  ROSTER_MUTABILITY_WRITE_ONLY,
} RosterMutability;

typedef enum
{
  ROSTER_RETURNED_DEFAULT,
  ROSTER_RETURNED_ALWAYS,
  ROSTER_RETURNED_NEVER,
  ROSTER_RETURNED_REQUEST,
} RosterReturned;

typedef enum
{
  ROSTER_UNIQUENESS_NONE,
  ROSTER_UNIQUENESS_SERVER,
  ROSTER_UNIQUENESS_GLOBAL,
} RosterUniqueness;

typedef enum
{
  ROSTER_ATTRIBUTE_MULTI_VALUED = 1 << 0,
  ROSTER_ATTRIBUTE_REQUIRED = 1 << 1,
  ROSTER_ATTRIBUTE_CASE_EXACT = 1 << 2,
} RosterAttributeFlags;

typedef struct _RosterAttribute RosterAttribute;

/**
 * RosterAttribute:
 * @description: untranslated (N_()); served translated
 * @canonical_values: (nullable): %NULL-terminated; advisory, other values are accepted
 * @reference_types: (nullable): %NULL-terminated, for %ROSTER_ATTRIBUTE_REFERENCE
 * @sub_attributes: (nullable): for %ROSTER_ATTRIBUTE_COMPLEX, ended by an entry whose name
 *   is %NULL
 *
 * The characteristics of RFC 7643 §2.2, one attribute or sub-attribute.
 */
struct _RosterAttribute
{
  const char *name;
  RosterAttributeType type;
  RosterAttributeFlags flags;
  RosterMutability mutability;
  RosterReturned returned;
  RosterUniqueness uniqueness;
  const char *description;
  const char *const *canonical_values;
  const char *const *reference_types;
  const RosterAttribute *sub_attributes;
};

typedef struct
{
  const char *id;
  const char *name;
  const char *description;
  const RosterAttribute *attributes; /* ended by an entry whose name is NULL */
} RosterSchema;

/* The schemas of the User resource type: core first, then its extensions. */
const RosterSchema     *roster_schema_user_core           (void);
const RosterSchema     *roster_schema_enterprise_user     (void);
const RosterSchema     *roster_schema_roster_user         (void);
const RosterSchema *const *roster_schema_user_schemas     (void);

const RosterSchema *const *roster_schema_group_schemas    (void);
const RosterSchema *const *roster_schema_role_schemas     (void);
const RosterSchema *const *roster_schema_audit_event_schemas (void);

/* Among the User schemas only: */
const RosterSchema     *roster_schema_lookup              (const char            *urn);
/* Among the schemas of every resource type: */
const RosterSchema     *roster_schema_find                (const char            *urn);
const RosterSchema     *roster_schema_find_in             (const RosterSchema *const *schemas,
                                                           const char            *urn);
GPtrArray              *roster_schema_all                 (void);
const RosterAttribute  *roster_schema_find_attribute      (const RosterSchema    *schema,
                                                           const char            *name);
const RosterAttribute  *roster_attribute_find_sub         (const RosterAttribute *attribute,
                                                           const char            *name);
gboolean                roster_attribute_is_multi_valued  (const RosterAttribute *attribute);
gboolean                roster_attribute_is_complex       (const RosterAttribute *attribute);
gboolean                roster_attribute_is_read_only     (const RosterAttribute *attribute);

JsonNode               *roster_schema_to_json             (const RosterSchema    *schema,
                                                           const char            *base_url);
JsonNode               *roster_schema_resource_type       (const char            *id,
                                                           const char            *base_url);
GPtrArray              *roster_schema_resource_types      (const char            *base_url);

G_END_DECLS
