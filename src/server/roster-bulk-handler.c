/* roster-bulk-handler.c: POST /scim/v2/Bulk (RFC 7644 §3.7)
 *
 * A BulkRequest carries up to ROSTER_BULK_MAX_OPERATIONS operations (POST, PUT, PATCH,
 * DELETE on Users, Groups and Roles). Each runs as a sub-request through the route table
 * (roster_server_dispatch()): the same handler and permission checks as the single request,
 * its own transaction, so a failing operation leaves nothing behind and the others stand.
 *
 * "bulkId:ID" — a whole string in "data", or a whole segment of "path" — stands for the id
 * of the resource the POST with that bulkId created. Operations run in request order except
 * that an operation runs after the ones it refers to; operations that refer to each other in
 * a circle (or to such an operation) are not run and answer 409 bulk-circular-reference. A
 * reference to a bulkId no POST has, or whose POST failed, answers 409
 * bulk-unresolved-reference. After failOnErrors errors, the rest is not run.
 *
 * The BulkResponse lists the operations that were processed, in request order, with
 * method, bulkId, location, version (the ETag) and status; failures also carry the SCIM error
 * as "response". Successes leave the resource out, to keep the response small: GET it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-handlers.h"
#include "roster-scim.h"
#include "roster-server.h"

#define BULK_REQUEST "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
#define BULK_RESPONSE "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
#define REFERENCE_PREFIX "bulkId:"

typedef struct
{
  char *method; /* upper case */
  char *path;
  char *bulk_id;
  char *version;
  JsonNode *data;
  GPtrArray *references; /* the bulkIds it refers to, each once */
  GError *invalid;       /* what is wrong with the operation itself */
  gboolean scheduled;
  gboolean circular;

  gboolean processed;
  guint status;
  char *resolved_path;
  char *location;
  char *etag;
  char *created_id;
  JsonNode *response;
} Operation;

typedef struct
{
  RosterRequest *request;
  Operation *operations;
  guint n_operations;
  guint *order;
  guint next;
  gint64 fail_on_errors; /* 0: no limit */
  guint errors;
  GHashTable *by_bulk_id; /* bulkId → Operation *, POSTs only */
  Operation *running;
  gboolean waiting; /* the running operation answers later */
} Bulk;

static void
operation_clear (Operation *op)
{
  g_free (op->method);
  g_free (op->path);
  g_free (op->bulk_id);
  g_free (op->version);
  g_clear_pointer (&op->data, json_node_unref);
  g_clear_pointer (&op->references, g_ptr_array_unref);
  g_clear_error (&op->invalid);
  g_free (op->resolved_path);
  g_free (op->location);
  g_free (op->etag);
  g_free (op->created_id);
  g_clear_pointer (&op->response, json_node_unref);
}

static void
bulk_free (Bulk *bulk)
{
  for (guint i = 0; i < bulk->n_operations; i++)
    operation_clear (&bulk->operations[i]);
  g_free (bulk->operations);
  g_free (bulk->order);
  g_clear_pointer (&bulk->by_bulk_id, g_hash_table_unref);
  roster_request_unref (bulk->request);
  g_free (bulk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Bulk, bulk_free)

static gboolean
is_reference (const char *str)
{
  return g_str_has_prefix (str, REFERENCE_PREFIX) && str[strlen (REFERENCE_PREFIX)] != '\0';
}

static void
add_reference (Operation *op, const char *str)
{
  const char *id = str + strlen (REFERENCE_PREFIX);

  for (guint i = 0; i < op->references->len; i++)
    if (g_str_equal (g_ptr_array_index (op->references, i), id))
      return;
  g_ptr_array_add (op->references, g_strdup (id));
}

/* Every "bulkId:…" string value under @node. */
static void
collect_references (Operation *op, JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        collect_references (op, member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_references (op, json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           && is_reference (json_node_get_string (node)))
    add_reference (op, json_node_get_string (node));
}

static gboolean
invalid (Operation *op, RosterErrorCode code, const char *detail)
{
  g_set_error_literal (&op->invalid, ROSTER_ERROR, code, detail);
  return FALSE;
}

/* A member of an operation that must be a string if it is there at all. */
static gboolean
get_string (Operation *op, JsonObject *object, const char *member, char **out)
{
  g_autoptr(GError) error = NULL;
  const char *value = roster_json_get_string (object, member, &error);

  if (error != NULL)
    return invalid (op, ROSTER_ERROR_INVALID_VALUE, error->message);
  *out = g_strdup (value);
  return TRUE;
}

/* Reads one element of "Operations"; what is wrong with it goes to @op->invalid. */
static void
parse_operation (Operation *op, JsonNode *node)
{
  static const char *const methods[] = { "POST", "PUT", "PATCH", "DELETE", NULL };
  JsonObject *object;
  JsonNode *data;
  g_auto(GStrv) segments = NULL;

  op->references = g_ptr_array_new_with_free_func (g_free);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (op, ROSTER_ERROR_INVALID_SYNTAX, _("Each operation must be a JSON object"));
      return;
    }
  object = json_node_get_object (node);
  if (!get_string (op, object, "method", &op->method) || !get_string (op, object, "path", &op->path)
      || !get_string (op, object, "bulkId", &op->bulk_id)
      || !get_string (op, object, "version", &op->version))
    return;
  if (op->method == NULL)
    {
      invalid (op, ROSTER_ERROR_MISSING_ATTRIBUTE, _("Each operation needs a “method”"));
      return;
    }
  for (char *c = op->method; *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
  if (!g_strv_contains (methods, op->method))
    {
      invalid (op, ROSTER_ERROR_INVALID_VALUE,
               _("“method” must be POST, PUT, PATCH or DELETE"));
      return;
    }
  if (op->path == NULL || op->path[0] != '/')
    {
      invalid (op, ROSTER_ERROR_INVALID_PATH,
               _("Each operation needs a “path” such as /Users or /Users/{id}"));
      return;
    }
  if (g_str_equal (op->method, "POST") && (op->bulk_id == NULL || *op->bulk_id == '\0'))
    {
      invalid (op, ROSTER_ERROR_MISSING_ATTRIBUTE, _("A POST operation needs a “bulkId”"));
      return;
    }
  data = json_object_get_member (object, "data");
  if (data != NULL && !JSON_NODE_HOLDS_NULL (data) && !g_str_equal (op->method, "DELETE"))
    {
      if (!JSON_NODE_HOLDS_OBJECT (data))
        {
          invalid (op, ROSTER_ERROR_INVALID_SYNTAX, _("“data” must be a JSON object"));
          return;
        }
      op->data = json_node_ref (data);
      collect_references (op, op->data);
    }
  segments = g_strsplit (op->path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (is_reference (segments[i]))
      add_reference (op, segments[i]);
}

/* ------------------------------------------------------------------ ordering */

static gboolean
references_scheduled (Bulk *bulk, Operation *op)
{
  for (guint i = 0; i < op->references->len; i++)
    {
      Operation *target = g_hash_table_lookup (bulk->by_bulk_id,
                                               g_ptr_array_index (op->references, i));

      /* Unknown bulkIds fail when the operation runs, not here. */
      if (target != NULL && !target->scheduled)
        return FALSE;
    }
  return TRUE;
}

/* Request order, except that an operation comes after the POSTs it refers to; what is left
 * over is circular and comes last. */
static void
schedule (Bulk *bulk)
{
  guint n = 0;

  bulk->order = g_new (guint, bulk->n_operations + 1);
  while (n < bulk->n_operations)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < bulk->n_operations && !found; i++)
        {
          Operation *op = &bulk->operations[i];

          if (op->scheduled || (op->invalid == NULL && !references_scheduled (bulk, op)))
            continue;
          op->scheduled = TRUE;
          bulk->order[n++] = i;
          found = TRUE;
        }
      if (found)
        continue;
      for (guint i = 0; i < bulk->n_operations; i++)
        if (!bulk->operations[i].scheduled)
          {
            bulk->operations[i].scheduled = TRUE;
            bulk->operations[i].circular = TRUE;
            bulk->order[n++] = i;
          }
    }
}

/* ------------------------------------------------------------------ running */

/* The created id for "bulkId:…" @str, or %NULL with @error set. */
static const char *
resolve (Bulk *bulk, const char *str, GError **error)
{
  const char *bulk_id = str + strlen (REFERENCE_PREFIX);
  Operation *target = g_hash_table_lookup (bulk->by_bulk_id, bulk_id);

  if (target == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE,
                   _("No POST operation in this request has the bulkId “%s”"), bulk_id);
      return NULL;
    }
  if (target->created_id == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_BULK_UNRESOLVED_REFERENCE,
                   _("The operation with the bulkId “%s” failed"), bulk_id);
      return NULL;
    }
  return target->created_id;
}

/* A copy of @node with the "bulkId:…" strings replaced by the ids they stand for, or %NULL
 * with @error set. (Parsed bodies are immutable, so this builds new nodes.) */
static JsonNode *
resolve_node (Bulk *bulk, JsonNode *node, GError **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          JsonNode *value = resolve_node (bulk, member, error);

          if (value == NULL)
            return NULL;
          json_object_set_member (copy, name, value);
        }
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *value = resolve_node (bulk, json_array_get_element (array, i), error);

          if (value == NULL)
            return NULL;
          json_array_add_element (copy, value);
        }
      return json_node_init_array (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && is_reference (json_node_get_string (node)))
    {
      const char *id = resolve (bulk, json_node_get_string (node), error);

      return id != NULL ? json_node_init_string (json_node_alloc (), id) : NULL;
    }
  return json_node_copy (node);
}

static char *
resolve_path (Bulk *bulk, const char *path, GError **error)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    if (is_reference (segments[i]))
      {
        const char *id = resolve (bulk, segments[i], error);

        if (id == NULL)
          return NULL;
        g_free (segments[i]);
        segments[i] = g_strdup (id);
      }
  return g_strjoinv ("/", segments);
}

static void
fail_operation (Bulk *bulk, Operation *op, const GError *error)
{
  RosterErrorCode code = error->domain == ROSTER_ERROR ? (RosterErrorCode) error->code
                                                       : ROSTER_ERROR_FAILED;

  op->processed = TRUE;
  op->status = roster_error_code_http_status (code);
  op->response = roster_scim_error_new (code, error->message);
  bulk->errors++;
}

static void run (Bulk *bulk);

static void
operation_done_cb (RosterRequest *sub, gpointer user_data)
{
  Bulk *bulk = user_data;
  Operation *op = bulk->running;
  JsonNode *response = roster_request_get_response (sub);
  const char *location = roster_request_get_response_header (sub, "Location");
  const char *etag = roster_request_get_response_header (sub, "ETag");

  op->processed = TRUE;
  op->status = roster_request_get_status (sub);
  op->etag = g_strdup (etag);
  if (location != NULL)
    op->location = g_strdup (location);
  else if (op->resolved_path != NULL && !g_str_equal (op->method, "POST"))
    op->location = g_strconcat (roster_server_get_base_url (roster_request_get_server (sub)),
                                "/scim/v2", op->resolved_path, NULL);
  if (op->status >= 400)
    {
      op->response = response != NULL ? json_node_ref (response) : NULL;
      bulk->errors++;
    }
  else if (g_str_equal (op->method, "POST") && response != NULL
           && JSON_NODE_HOLDS_OBJECT (response))
    op->created_id = g_strdup (
      json_object_get_string_member_with_default (json_node_get_object (response), "id", NULL));
  bulk->running = NULL;
  if (bulk->waiting)
    {
      bulk->waiting = FALSE;
      run (bulk);
    }
}

/* Starts @op; returns whether it already answered. */
static gboolean
start_operation (Bulk *bulk, Operation *op)
{
  RosterRequest *request = bulk->request;
  g_autoptr(RosterRequest) sub = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;

  if (op->invalid != NULL)
    {
      fail_operation (bulk, op, op->invalid);
      return TRUE;
    }
  if (op->circular)
    {
      g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_BULK_CIRCULAR_REFERENCE,
                   _("This operation is part of, or depends on, a circle of bulkId "
                     "references"));
      fail_operation (bulk, op, error);
      return TRUE;
    }
  op->resolved_path = resolve_path (bulk, op->path, &error);
  if (op->resolved_path != NULL && op->data != NULL)
    data = resolve_node (bulk, op->data, &error);
  if (op->resolved_path == NULL || (op->data != NULL && data == NULL))
    {
      fail_operation (bulk, op, error);
      return TRUE;
    }

  sub = roster_request_new_sub (request, operation_done_cb, bulk);
  if (op->version != NULL && !g_str_equal (op->method, "POST"))
    roster_request_set_request_header (sub, "If-Match", op->version);
  if (data != NULL)
    roster_request_set_body (sub, data);
  bulk->running = op;
  roster_server_dispatch (roster_request_get_server (request), sub, op->method,
                          op->resolved_path);
  return bulk->running == NULL;
}

static JsonNode *
build_response (Bulk *bulk)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, BULK_RESPONSE);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Operations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bulk->n_operations; i++)
    {
      Operation *op = &bulk->operations[i];
      g_autofree char *status = g_strdup_printf ("%u", op->status);

      if (!op->processed)
        continue;
      json_builder_begin_object (builder);
      if (op->method != NULL)
        {
          json_builder_set_member_name (builder, "method");
          json_builder_add_string_value (builder, op->method);
        }
      if (op->bulk_id != NULL)
        {
          json_builder_set_member_name (builder, "bulkId");
          json_builder_add_string_value (builder, op->bulk_id);
        }
      if (op->location != NULL)
        {
          json_builder_set_member_name (builder, "location");
          json_builder_add_string_value (builder, op->location);
        }
      if (op->etag != NULL)
        {
          json_builder_set_member_name (builder, "version");
          json_builder_add_string_value (builder, op->etag);
        }
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status);
      if (op->response != NULL)
        {
          json_builder_set_member_name (builder, "response");
          json_builder_add_value (builder, json_node_ref (op->response));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Runs operations until one answers later, or all are done (or failOnErrors is reached). */
static void
run (Bulk *bulk_in)
{
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(Bulk) bulk = NULL;

  while (bulk_in->next < bulk_in->n_operations
         && (bulk_in->fail_on_errors == 0 || bulk_in->errors < bulk_in->fail_on_errors))
    {
      Operation *op = &bulk_in->operations[bulk_in->order[bulk_in->next++]];

      if (!start_operation (bulk_in, op))
        {
          bulk_in->waiting = TRUE;
          return;
        }
    }
  bulk = bulk_in;
  g_info ("Bulk request: %u operations, %u failed", bulk->next, bulk->errors);
  response = build_response (bulk);
  roster_request_respond_json (bulk->request, 200, response);
}

static gboolean
has_schema (JsonObject *body, const char *urn)
{
  JsonArray *schemas = roster_json_get_array (body, "schemas", NULL);

  for (guint i = 0; schemas != NULL && i < json_array_get_length (schemas); i++)
    {
      JsonNode *node = json_array_get_element (schemas, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (node), urn))
        return TRUE;
    }
  return FALSE;
}

/* "Operations", as the RFC spells it; attribute names are case-insensitive. */
static JsonNode *
get_operations (JsonObject *body)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &member))
    if (g_ascii_strcasecmp (name, "Operations") == 0)
      return member;
  return NULL;
}

static gboolean
parse_fail_on_errors (JsonObject *body, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (body, "failOnErrors");

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 1)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                   _("“%s” must be a whole number of at least 1"), "failOnErrors");
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

void
roster_bulk_handle_post (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(Bulk) bulk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *operations;
  JsonArray *array;

  if (!has_schema (body, BULK_REQUEST))
    {
      g_autofree char *detail = g_strdup_printf (_("“schemas” must contain %s"), BULK_REQUEST);

      roster_request_respond_error (request, ROSTER_ERROR_INVALID_SYNTAX, detail);
      return;
    }
  operations = get_operations (body);
  if (operations == NULL || !JSON_NODE_HOLDS_ARRAY (operations))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_SYNTAX,
                                    _("“Operations” must be a list of operations"));
      return;
    }
  array = json_node_get_array (operations);
  if (json_array_get_length (array) > ROSTER_BULK_MAX_OPERATIONS)
    {
      /* RFC 7644 §3.7.4 */
      g_autofree char *detail = g_strdup_printf (
        _("The number of operations exceeds the maxOperations (%d)"),
        ROSTER_BULK_MAX_OPERATIONS);

      roster_request_respond_error (request, ROSTER_ERROR_PAYLOAD_TOO_LARGE, detail);
      return;
    }

  bulk = g_new0 (Bulk, 1);
  bulk->request = roster_request_ref (request);
  bulk->by_bulk_id = g_hash_table_new (g_str_hash, g_str_equal);
  if (!parse_fail_on_errors (body, &bulk->fail_on_errors, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  bulk->n_operations = json_array_get_length (array);
  bulk->operations = g_new0 (Operation, bulk->n_operations + 1);
  for (guint i = 0; i < bulk->n_operations; i++)
    {
      Operation *op = &bulk->operations[i];

      parse_operation (op, json_array_get_element (array, i));
      if (op->bulk_id == NULL)
        continue;
      if (!g_hash_table_add (seen, op->bulk_id))
        {
          g_autofree char *detail = g_strdup_printf (
            _("The bulkId “%s” appears more than once"), op->bulk_id);

          roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE, detail);
          return;
        }
      if (op->invalid == NULL && g_str_equal (op->method, "POST"))
        g_hash_table_insert (bulk->by_bulk_id, op->bulk_id, op);
    }
  schedule (bulk);
  /* Operations that hash a password answer from a worker thread: hold the response. */
  roster_request_pause (request);
  run (g_steal_pointer (&bulk));
}
