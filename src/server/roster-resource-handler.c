/* roster-resource-handler.c: the SCIM operations shared by /Groups and /Roles
 *
 * List (filter, sortBy, sortOrder, startIndex, count), POST, GET, PUT, PATCH and DELETE for
 * a resource type described by a RosterResourceType: its schema tables drive validation and
 * PATCH (roster_resource_patch_apply()), the store does the rest in one transaction per
 * write. ETags and If-Match/If-None-Match work as for users, and so do "attributes" and
 * "excludedAttributes" (on every response, as for users) and POST /.search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-projection.h"
#include "roster-resource-handler.h"
#include "roster-scim-filter.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-user-patch.h"
#include "roster-user-record.h"
#include "roster-user-resource.h"

static const RosterAttribute external_id = {
  .name = "externalId", .type = ROSTER_ATTRIBUTE_STRING, .flags = ROSTER_ATTRIBUTE_CASE_EXACT,
};

char *
roster_resource_location (RosterRequest *request, const char *path, const char *id)
{
  return g_strconcat (roster_server_get_base_url (roster_request_get_server (request)),
                      "/scim/v2/", path, "/", id, NULL);
}

static gboolean
fail (GError **error, RosterErrorCode code, const char *format, const char *what)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Every caller passes a literal _("…%s…"). */
  g_set_error (error, ROSTER_ERROR, code, format, what);
#pragma GCC diagnostic pop
  return FALSE;
}

/* The attributes of @input that @schema defines, type-checked, into @result. */
static gboolean
normalize_attributes (const RosterSchema *const *schemas, const RosterSchema *schema,
                      JsonObject *input, JsonObject *result, GError **error)
{
  gboolean core = schema == schemas[0];
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, input);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      const RosterAttribute *attribute = roster_schema_find_attribute (schema, name);
      const RosterSchema *extension = core ? roster_schema_find_in (schemas, name) : NULL;
      JsonNode *value;

      if (core && (g_ascii_strcasecmp (name, "schemas") == 0 || g_ascii_strcasecmp (name, "id") == 0
                   || g_ascii_strcasecmp (name, "meta") == 0))
        continue;
      if (core && g_ascii_strcasecmp (name, "externalId") == 0)
        attribute = &external_id;
      if (extension != NULL && extension != schemas[0])
        {
          g_autoptr(JsonObject) ext = json_object_new ();

          if (!JSON_NODE_HOLDS_OBJECT (member))
            return fail (error, ROSTER_ERROR_INVALID_VALUE, _("“%s” must be an object"), name);
          if (!normalize_attributes (schemas, extension, json_node_get_object (member), ext,
                                     error))
            return FALSE;
          if (json_object_get_size (ext) > 0)
            json_object_set_object_member (result, extension->id, g_steal_pointer (&ext));
          continue;
        }
      if (attribute == NULL)
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX,
                     _("“%s” is not an attribute of this server"), name);
      if (roster_attribute_is_read_only (attribute))
        continue;
      if (json_object_has_member (result, attribute->name))
        return fail (error, ROSTER_ERROR_INVALID_SYNTAX, _("“%s” appears twice"), name);
      value = roster_user_resource_normalize_value (attribute, member, ROSTER_RESOURCE_INPUT,
                                                    attribute->name, error);
      if (value == NULL)
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          continue;
        }
      json_object_set_member (result, attribute->name, value);
    }
  return TRUE;
}

static JsonObject *
normalize (const RosterResourceType *type, JsonObject *input, GError **error)
{
  g_autoptr(JsonObject) result = json_object_new ();
  const RosterSchema *const *schemas = type->schemas ();

  if (!normalize_attributes (schemas, schemas[0], input, result, error)
      || !type->check (result, error))
    return NULL;
  return g_steal_pointer (&result);
}

static char *
format_date (GDateTime *date)
{
  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

static JsonNode *
present (RosterRequest *request, const RosterResourceType *type, RosterResourceRecord *record,
         RosterProjection *projection)
{
  const RosterSchema *const *schemas = type->schemas ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) schema_ids = json_array_new ();
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *location = roster_resource_location (request, type->path, record->id);
  g_autofree char *created = format_date (record->created);
  g_autofree char *last_modified = format_date (record->last_modified);
  g_autofree char *version = roster_resource_record_dup_etag (record);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_array_add_string_element (schema_ids, schemas[0]->id);
  for (guint i = 1; schemas[i] != NULL; i++)
    if (json_object_has_member (record->resource, schemas[i]->id))
      json_array_add_string_element (schema_ids, schemas[i]->id);
  json_object_set_array_member (object, "schemas", g_steal_pointer (&schema_ids));
  json_object_set_string_member (object, "id", record->id);
  json_object_iter_init_ordered (&iter, record->resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (object, name, json_node_copy (member));
  if (type->complete != NULL)
    type->complete (request, record, object);
  json_object_set_string_member (meta, "resourceType", type->name);
  json_object_set_string_member (meta, "created", created);
  json_object_set_string_member (meta, "lastModified", last_modified);
  json_object_set_string_member (meta, "location", location);
  json_object_set_string_member (meta, "version", version);
  json_object_set_object_member (object, "meta", g_steal_pointer (&meta));
  if (projection != NULL)
    {
      g_autoptr(JsonObject) projected = roster_projection_apply (projection, object);

      return json_node_init_object (json_node_alloc (), projected);
    }
  return json_node_init_object (json_node_alloc (), object);
}

static RosterProjection *
projection_from_query (RosterRequest *request, const RosterResourceType *type)
{
  return roster_projection_new_from_query (type->schemas (),
                                           roster_request_get_query (request, "attributes"),
                                           roster_request_get_query (request,
                                                                     "excludedAttributes"));
}

static void
respond_record (RosterRequest *request, const RosterResourceType *type, guint status,
                RosterResourceRecord *record)
{
  g_autoptr(RosterProjection) projection = projection_from_query (request, type);
  g_autoptr(JsonNode) node = present (request, type, record, projection);
  g_autofree char *etag = roster_resource_record_dup_etag (record);

  if (status == 201)
    {
      g_autofree char *location = roster_resource_location (request, type->path, record->id);

      roster_request_set_response_header (request, "Location", location);
    }
  roster_request_set_response_header (request, "ETag", etag);
  roster_request_respond_json (request, status, node);
}

static gboolean
etag_matches (const char *header, RosterResourceRecord *record)
{
  g_auto(GStrv) tags = g_strsplit (header, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      gint64 version = 0;

      if (g_str_equal (g_strstrip (tags[i]), "*"))
        return TRUE;
      if (roster_user_record_parse_etag (tags[i], &version) && version == record->version)
        return TRUE;
    }
  return FALSE;
}

static const char *
request_header (RosterRequest *request, const char *name)
{
  return roster_request_get_header (request, name);
}

/* The current state, checked against If-Match (a stale one is 412). */
static RosterResourceRecord *
get_current (RosterRequest *request, const RosterResourceType *type, GError **error)
{
  g_autoptr(RosterResourceRecord) current = NULL;
  const char *if_match = request_header (request, "If-Match");

  current = roster_store_get_resource (roster_request_get_store (request), type->kind,
                                       roster_request_get_param (request, 0), error);
  if (current == NULL)
    return NULL;
  if (if_match != NULL && !etag_matches (if_match, current))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PRECONDITION_FAILED,
                           _("This has changed since this version was read"));
      return NULL;
    }
  return g_steal_pointer (&current);
}

static gint64
query_integer (RosterRequest *request, const char *name, gint64 default_value)
{
  const char *str = roster_request_get_query (request, name);
  gint64 value;

  if (str == NULL || !g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return default_value;
  return value;
}

/* A page of resources: filter, sort, paging and projection, from the query or a
 * SearchRequest. */
static void
run_list (RosterRequest *request, const RosterResourceType *type, const char *filter_text,
          const char *sort_by, const char *sort_order, gint64 start_index, gint64 count,
          RosterProjection *projection)
{
  const char *core = type->schemas ()[0]->id;
  g_autoptr(RosterScimFilter) filter = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  RosterResourceQuery query = { 0 };
  guint total = 0;

  query.start_index = (guint) CLAMP (start_index, 1, G_MAXINT32);
  query.count = (guint) CLAMP (count, 0, ROSTER_USERS_MAX_COUNT);
  if (sort_by != NULL && *sort_by != '\0')
    {
      const char *bare = sort_by;

      if (g_ascii_strncasecmp (bare, core, strlen (core)) == 0 && bare[strlen (core)] == ':')
        bare += strlen (core) + 1;
      if (g_ascii_strcasecmp (bare, type->sort_attribute) != 0)
        {
          g_autofree char *detail = g_strdup_printf (_("%s can be sorted by “%s” only"),
                                                     type->path, type->sort_attribute);

          roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE, detail);
          return;
        }
    }
  if (sort_order != NULL && g_ascii_strcasecmp (sort_order, "descending") == 0)
    query.descending = TRUE;
  else if (sort_order != NULL && g_ascii_strcasecmp (sort_order, "ascending") != 0)
    {
      g_autofree char *detail = g_strdup_printf (_("“%s” must be “ascending” or “descending”"),
                                                 "sortOrder");

      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE, detail);
      return;
    }
  if (filter_text != NULL)
    {
      filter = roster_scim_filter_parse (filter_text, &error);
      if (filter == NULL)
        {
          roster_request_respond_gerror (request, error);
          return;
        }
      query.filter = filter;
    }
  records = roster_store_search_resources (roster_request_get_store (request), type->kind,
                                           &query, &total, &error);
  if (records == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (resources,
                     present (request, type, g_ptr_array_index (records, i), projection));
  list = roster_scim_list_new (resources, total, query.start_index);
  roster_request_respond_json (request, 200, list);
}

void
roster_resource_handle_list (RosterRequest *request, const RosterResourceType *type)
{
  g_autoptr(RosterProjection) projection = projection_from_query (request, type);

  run_list (request, type, roster_request_get_query (request, "filter"),
            roster_request_get_query (request, "sortBy"),
            roster_request_get_query (request, "sortOrder"),
            query_integer (request, "startIndex", 1),
            query_integer (request, "count", ROSTER_USERS_DEFAULT_COUNT), projection);
}

/* POST /{type}/.search (RFC 7644 §3.4.3): the query parameters in a SearchRequest body. */
void
roster_resource_handle_search (RosterRequest *request, const RosterResourceType *type)
{
  g_auto(RosterSearchRequest) search = { 0 };
  g_autoptr(RosterProjection) projection = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_search_request_parse (&search, roster_request_get_body (request), &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  projection = roster_projection_new (type->schemas (),
                                      (const char *const *) search.attributes,
                                      (const char *const *) search.excluded_attributes);
  run_list (request, type, search.filter, search.sort_by, search.sort_order,
            search.start_index, search.count, projection);
}

#define SEARCH_REQUEST "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

/* "attributes" and "excludedAttributes" of a SearchRequest: lists of strings. */
static gboolean
get_string_list (JsonObject *body, const char *member, GStrv *out, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = roster_json_get_array (body, member, error);

  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                       _("“%s” must be a list of attribute names"), member);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_integer (JsonObject *body, const char *member, gint64 default_value, gint64 *out,
             GError **error)
{
  JsonNode *node = json_object_get_member (body, member);

  *out = default_value;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be a whole number"), member);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/**
 * roster_search_request_parse:
 *
 * Reads a SearchRequest: "schemas" must name it, and members it does not define are
 * refused. Shared by every resource type's POST /.search.
 */
gboolean
roster_search_request_parse (RosterSearchRequest *search, JsonObject *body, GError **error)
{
  static const char *const known[] = { "schemas", "attributes", "excludedAttributes", "filter",
                                       "sortBy", "sortOrder", "startIndex", "count", NULL };
  gboolean search_request = FALSE;
  JsonArray *schemas;
  JsonObjectIter iter;
  const char *name;

  g_return_val_if_fail (error != NULL, FALSE);
  schemas = roster_json_get_array (body, "schemas", NULL);
  for (guint i = 0; schemas != NULL && i < json_array_get_length (schemas); i++)
    {
      JsonNode *node = json_array_get_element (schemas, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (node), SEARCH_REQUEST))
        search_request = TRUE;
    }
  if (!search_request)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                   _("“schemas” must contain %s"), SEARCH_REQUEST);
      return FALSE;
    }
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (known, name))
      {
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                     _("“%s” is not part of a search request"), name);
        return FALSE;
      }
  return get_string_list (body, "attributes", &search->attributes, error)
         && get_string_list (body, "excludedAttributes", &search->excluded_attributes, error)
         && (search->filter = roster_json_get_string (body, "filter", error), *error == NULL)
         && (search->sort_by = roster_json_get_string (body, "sortBy", error), *error == NULL)
         && (search->sort_order = roster_json_get_string (body, "sortOrder", error),
             *error == NULL)
         && get_integer (body, "startIndex", 1, &search->start_index, error)
         && get_integer (body, "count", ROSTER_USERS_DEFAULT_COUNT, &search->count, error);
}

void
roster_search_request_clear (RosterSearchRequest *search)
{
  g_clear_pointer (&search->attributes, g_strfreev);
  g_clear_pointer (&search->excluded_attributes, g_strfreev);
}

void
roster_resource_handle_get (RosterRequest *request, const RosterResourceType *type)
{
  g_autoptr(RosterResourceRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *if_none_match = request_header (request, "If-None-Match");

  record = roster_store_get_resource (roster_request_get_store (request), type->kind,
                                      roster_request_get_param (request, 0), &error);
  if (record == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (if_none_match != NULL && etag_matches (if_none_match, record))
    {
      g_autofree char *etag = roster_resource_record_dup_etag (record);

      roster_request_set_response_header (request, "ETag", etag);
      roster_request_respond_empty (request, 304);
      return;
    }
  respond_record (request, type, 200, record);
}

/* ------------------------------------------------------------------------ audit */

static const char *
record_name (const RosterResourceType *type, RosterResourceRecord *record)
{
  return json_object_get_string_member_with_default (record->resource, type->sort_attribute,
                                                     NULL);
}

/* The member values of @record, in order. */
static GPtrArray *
member_values (RosterResourceRecord *record)
{
  GPtrArray *values = g_ptr_array_new ();
  JsonNode *node = record != NULL ? json_object_get_member (record->resource, "members") : NULL;
  JsonArray *members = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                   : NULL;

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      const char *value = json_object_get_string_member_with_default (
        json_array_get_object_element (members, i), "value", NULL);

      if (value != NULL)
        g_ptr_array_add (values, (gpointer) value);
    }
  return values;
}

static gboolean
contains (GPtrArray *values, const char *value)
{
  return g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL);
}

/* {"members": {"value": id, "display": name}}: one side of a member-add/remove diff. */
static JsonObject *
member_change (RosterResourceRecord *record, const char *id)
{
  JsonObject *side = json_object_new ();
  JsonObject *member = json_object_new ();
  const char *display = g_hash_table_lookup (record->names, id);

  json_object_set_string_member (member, "value", id);
  if (display != NULL)
    json_object_set_string_member (member, "display", display);
  json_object_set_object_member (side, "members", member);
  return side;
}

static JsonObject *
without_members (RosterResourceRecord *record)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, record->resource);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!g_str_equal (name, "members"))
      json_object_set_member (copy, name, json_node_copy (member));
  return copy;
}

static gboolean
audit_members (RosterRequest *request, const RosterResourceType *type,
               RosterResourceRecord *before, RosterResourceRecord *after, GError **error)
{
  g_autoptr(GPtrArray) old = member_values (before);
  g_autoptr(GPtrArray) new = member_values (after);

  for (guint i = 0; i < new->len; i++)
    if (!contains (old, g_ptr_array_index (new, i)))
      {
        g_autoptr(JsonObject) change = member_change (after, g_ptr_array_index (new, i));

        if (!roster_audit_record (request, "member-add", type->name, after->id,
                                  record_name (type, after), NULL, change, error))
          return FALSE;
      }
  for (guint i = 0; i < old->len; i++)
    if (!contains (new, g_ptr_array_index (old, i)))
      {
        g_autoptr(JsonObject) change = member_change (before, g_ptr_array_index (old, i));

        if (!roster_audit_record (request, "member-remove", type->name, after->id,
                                  record_name (type, after), change, NULL, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
members_differ (RosterResourceRecord *before, RosterResourceRecord *after)
{
  g_autoptr(GPtrArray) old = member_values (before);
  g_autoptr(GPtrArray) new = member_values (after);

  for (guint i = 0; i < new->len; i++)
    if (!contains (old, g_ptr_array_index (new, i)))
      return TRUE;
  for (guint i = 0; i < old->len; i++)
    if (!contains (new, g_ptr_array_index (old, i)))
      return TRUE;
  return FALSE;
}

/* The events of a create (@before %NULL) or an update, in the caller's transaction. A
 * group's members get events of their own; an update that only changes members has no
 * "update" event (one that changes nothing at all has an empty one). */
static gboolean
audit_write (RosterRequest *request, const RosterResourceType *type,
             RosterResourceRecord *before, RosterResourceRecord *after, GError **error)
{
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonArray) changes = NULL;

  if (!type->audit_members)
    return roster_audit_record (request, before == NULL ? "create" : "update", type->name,
                                after->id, record_name (type, after),
                                before != NULL ? before->resource : NULL, after->resource,
                                error);
  a = without_members (after);
  b = before != NULL ? without_members (before) : NULL;
  changes = roster_audit_diff (b, a);
  /* Every write leaves a trace: the update event is left out only when member events say
   * all that changed. */
  if ((before == NULL || json_array_get_length (changes) > 0
       || !members_differ (before, after))
      && !roster_audit_record (request, before == NULL ? "create" : "update", type->name,
                               after->id, record_name (type, after), b, a, error))
    return FALSE;
  return audit_members (request, type, before, after, error);
}

void
roster_resource_handle_create (RosterRequest *request, const RosterResourceType *type)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(JsonObject) resource = NULL;
  g_autoptr(RosterResourceRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  resource = normalize (type, roster_request_get_body (request), &error);
  if (resource == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (type->authorize != NULL && !type->authorize (request, NULL, resource))
    return;
  if (!roster_store_begin (store, &error)
      || (stored = roster_store_create_resource (store, type->kind, resource, &error)) == NULL
      || !audit_write (request, type, NULL, stored, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Created %s %s", type->name, stored->id);
  respond_record (request, type, 201, stored);
}

/* PUT and PATCH: @resource replaces @current, if the caller may and nobody changed it. */
static void
write_replacement (RosterRequest *request, const RosterResourceType *type,
                   RosterResourceRecord *current, JsonObject *resource)
{
  RosterStore *store = roster_request_get_store (request);
  g_autoptr(RosterResourceRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (type->authorize != NULL && !type->authorize (request, current->resource, resource))
    return;
  if (!roster_store_begin (store, &error)
      || (stored = roster_store_replace_resource (store, type->kind, current->id, resource,
                                                  current->version, &error))
           == NULL
      || !audit_write (request, type, current, stored, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Changed %s %s", type->name, stored->id);
  respond_record (request, type, 200, stored);
}

void
roster_resource_handle_replace (RosterRequest *request, const RosterResourceType *type)
{
  g_autoptr(RosterResourceRecord) current = NULL;
  g_autoptr(JsonObject) resource = NULL;
  g_autoptr(GError) error = NULL;

  current = get_current (request, type, &error);
  if (current != NULL)
    resource = normalize (type, roster_request_get_body (request), &error);
  if (resource == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  write_replacement (request, type, current, resource);
}

void
roster_resource_handle_patch (RosterRequest *request, const RosterResourceType *type)
{
  g_autoptr(RosterResourceRecord) current = NULL;
  g_autoptr(JsonObject) patched = NULL;
  g_autoptr(JsonObject) resource = NULL;
  g_autoptr(GError) error = NULL;

  current = get_current (request, type, &error);
  if (current != NULL)
    {
      patched = roster_user_resource_copy (current->resource);
      if (roster_resource_patch_apply (type->schemas (), patched,
                                       roster_request_get_body (request), NULL, &error))
        resource = normalize (type, patched, &error);
    }
  if (resource == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  write_replacement (request, type, current, resource);
}

void
roster_resource_handle_delete (RosterRequest *request, const RosterResourceType *type)
{
  RosterStore *store = roster_request_get_store (request);
  const char *force = roster_request_get_query (request, "force");
  g_autoptr(RosterResourceRecord) current = NULL;
  g_autoptr(GError) error = NULL;

  /* The event keeps everything the resource held, members included. */
  if (!roster_store_begin (store, &error)
      || (current = get_current (request, type, &error)) == NULL
      || !roster_store_delete_resource (store, type->kind, current->id, current->version,
                                        g_strcmp0 (force, "true") == 0, &error)
      || !roster_audit_record (request, "delete", type->name, current->id,
                               record_name (type, current), current->resource, NULL, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Deleted %s %s", type->name, current->id);
  roster_request_respond_empty (request, 204);
}

static JsonArray *
get_strings (JsonObject *resource, const char *urn, const char *member)
{
  JsonObject *container = resource;
  JsonNode *node;

  if (resource == NULL)
    return NULL;
  if (urn != NULL)
    {
      node = json_object_get_member (resource, urn);
      container = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                : NULL;
    }
  node = container != NULL ? json_object_get_member (container, member) : NULL;
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
contains_all (JsonArray *values, JsonArray *of)
{
  for (guint i = 0; of != NULL && i < json_array_get_length (of); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; values != NULL && j < json_array_get_length (values) && !found; j++)
        found = json_node_equal (json_array_get_element (values, j),
                                 json_array_get_element (of, i));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/**
 * roster_resource_strings_differ:
 * @a: (nullable): a resource
 * @b: (nullable): another
 * @urn: (nullable): the extension @member is in
 *
 * Returns: whether the multi-valued @member holds different values in @a and @b, order
 *   aside
 */
gboolean
roster_resource_strings_differ (JsonObject *a, JsonObject *b, const char *urn,
                                const char *member)
{
  JsonArray *x = get_strings (a, urn, member), *y = get_strings (b, urn, member);

  return !contains_all (x, y) || !contains_all (y, x);
}
