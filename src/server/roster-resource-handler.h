/* roster-resource-handler.h: the SCIM operations shared by /Groups and /Roles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-request.h"
#include "roster-schema.h"

G_BEGIN_DECLS

typedef struct _RosterResourceType RosterResourceType;

/**
 * RosterResourceType:
 * @name: the resource type ("Group")
 * @path: the endpoint under /scim/v2 ("Groups")
 * @schemas: core first, %NULL-terminated
 * @sort_attribute: the one attribute lists can be sorted by (they are, by default)
 * @check: the rules beyond types on a normalized resource
 * @authorize: (nullable): whether the caller may turn @old (%NULL for a new one) into @new
 *   beyond the route's permission; answers 403 itself and returns %FALSE if not
 * @complete: adds what is computed (members' "$ref" and "display") to a resource being sent
 * @audit_members: members are audited apart: one "member-add" or "member-remove" event
 *   each, and the other attributes in the "create" or "update" event
 */
struct _RosterResourceType
{
  RosterResourceKind kind;
  const char *name;
  const char *path;
  const RosterSchema *const *(*schemas) (void);
  const char *sort_attribute;
  gboolean (*check) (JsonObject *resource, GError **error);
  gboolean (*authorize) (RosterRequest *request, JsonObject *old, JsonObject *new);
  void (*complete) (RosterRequest *request, RosterResourceRecord *record, JsonObject *object);
  gboolean audit_members;
};

/**
 * RosterSearchRequest:
 *
 * The members of a SearchRequest body (RFC 7644 §3.4.3); the strings point into the body.
 */
typedef struct
{
  GStrv attributes;
  GStrv excluded_attributes;
  const char *filter;
  const char *sort_by;
  const char *sort_order;
  gint64 start_index;
  gint64 count;
} RosterSearchRequest;

gboolean roster_search_request_parse (RosterSearchRequest *search, JsonObject *body,
                                      GError **error);
void     roster_search_request_clear (RosterSearchRequest *search);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RosterSearchRequest, roster_search_request_clear)

void roster_resource_handle_list    (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_search  (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_create  (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_get     (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_replace (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_patch   (RosterRequest *request, const RosterResourceType *type);
void roster_resource_handle_delete  (RosterRequest *request, const RosterResourceType *type);

char *roster_resource_location      (RosterRequest *request, const char *path, const char *id);
gboolean roster_resource_strings_differ (JsonObject *a, JsonObject *b, const char *urn,
                                         const char *member);

G_END_DECLS
