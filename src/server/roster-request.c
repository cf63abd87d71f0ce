/* roster-request.c: one HTTP request on its way through rosterd
 *
 * Handlers answer through this object. A handler that needs a worker thread (password
 * hashing) pauses the request, and its answer unpauses it later on the main thread — unless
 * the client went away meanwhile.
 *
 * A sub-request (roster_request_new_sub()) is one operation of a Bulk request: it has no
 * SoupServerMessage but headers of its own, and instead of answering over HTTP it keeps
 * the status, headers and body and calls its done function. Handlers see no difference, so
 * an operation in a Bulk request runs exactly the code of the single request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-clock.h"
#include "roster-request.h"
#include "roster-scim.h"
#include "roster-server.h"

struct _RosterRequest
{
  RosterServer *server;
  SoupServerMessage *msg;
  GHashTable *query;
  char **params;
  RosterSession *session;
  RosterUser *user;
  GHashTable *permissions; /* the caller's, a set of permission ids */
  JsonNode *body;
  char *token_hash; /* sub-requests: the session of the request they are part of */
  SoupMessageHeaders *request_headers; /* sub-requests only; else the message's */
  SoupMessageHeaders *response_headers;
  guint status;
  JsonNode *response;
  RosterRequestDoneFunc done;
  gpointer done_data;
  GBytes *raw_body; /* routes with ROSTER_ROUTE_RAW_BODY */
  gulong finished_id;
  guint paused : 1;
  guint finished : 1;
  guint responded : 1;
  guint scim : 1;
};

static void
on_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  RosterRequest *self = user_data;

  self->finished = TRUE;
}

RosterRequest *
roster_request_new (RosterServer *server, SoupServerMessage *msg, GHashTable *query)
{
  RosterRequest *self = g_atomic_rc_box_new0 (RosterRequest);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  self->server = g_object_ref (server);
  self->msg = g_object_ref (msg);
  self->query = query != NULL ? g_hash_table_ref (query) : NULL;
  self->scim = g_str_has_prefix (path, "/scim/v2/") || g_str_equal (path, "/scim/v2");
  self->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished_cb), self);
  return self;
}

/**
 * roster_request_new_sub:
 * @parent: the signed-in request this one is part of; the dispatcher checks its session and
 *   reads its user again
 * @done: called once the handler has answered, from roster_request_respond_json() and
 *   friends, possibly before the handler returns
 *
 * Returns: (transfer full): a request that is answered in-process, under /scim/v2
 */
RosterRequest *
roster_request_new_sub (RosterRequest *parent, RosterRequestDoneFunc done, gpointer user_data)
{
  RosterRequest *self = g_atomic_rc_box_new0 (RosterRequest);

  g_return_val_if_fail (parent->user != NULL, NULL);
  self->server = g_object_ref (parent->server);
  self->user = g_object_ref (parent->user);
  self->token_hash = g_strdup (roster_request_get_token_hash (parent));
  self->scim = TRUE;
  self->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  self->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  self->done = done;
  self->done_data = user_data;
  return self;
}

/* (nullable): the SHA-256 of the caller's token */
const char *
roster_request_get_token_hash (RosterRequest *self)
{
  return self->session != NULL ? self->session->token_hash : self->token_hash;
}

gboolean
roster_request_is_sub (RosterRequest *self)
{
  return self->msg == NULL;
}

RosterRequest *
roster_request_ref (RosterRequest *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
request_clear (RosterRequest *self)
{
  if (self->msg != NULL)
    g_clear_signal_handler (&self->finished_id, self->msg);
  g_clear_object (&self->msg);
  g_clear_pointer (&self->token_hash, g_free);
  g_clear_pointer (&self->request_headers, soup_message_headers_unref);
  g_clear_pointer (&self->response_headers, soup_message_headers_unref);
  g_clear_pointer (&self->response, json_node_unref);
  g_clear_object (&self->server);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_clear_pointer (&self->params, g_strfreev);
  g_clear_pointer (&self->session, roster_session_free);
  g_clear_object (&self->user);
  g_clear_pointer (&self->permissions, g_hash_table_unref);
  g_clear_pointer (&self->body, json_node_unref);
  g_clear_pointer (&self->raw_body, g_bytes_unref);
}

void
roster_request_unref (RosterRequest *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) request_clear);
}

RosterServer *
roster_request_get_server (RosterRequest *self)
{
  return self->server;
}

RosterStore *
roster_request_get_store (RosterRequest *self)
{
  return roster_server_get_store (self->server);
}

/* (nullable): the HTTP message; %NULL for a sub-request */
SoupServerMessage *
roster_request_get_message (RosterRequest *self)
{
  return self->msg;
}

static SoupMessageHeaders *
request_headers (RosterRequest *self)
{
  return self->msg != NULL ? soup_server_message_get_request_headers (self->msg)
                           : self->request_headers;
}

static SoupMessageHeaders *
response_headers (RosterRequest *self)
{
  return self->msg != NULL ? soup_server_message_get_response_headers (self->msg)
                           : self->response_headers;
}

/* (nullable): the request header @name */
const char *
roster_request_get_header (RosterRequest *self, const char *name)
{
  return soup_message_headers_get_one (request_headers (self), name);
}

/* Sets a request header of a sub-request (If-Match from a Bulk operation's "version"). */
void
roster_request_set_request_header (RosterRequest *self, const char *name, const char *value)
{
  g_return_if_fail (self->msg == NULL);
  soup_message_headers_replace (self->request_headers, name, value);
}

void
roster_request_set_response_header (RosterRequest *self, const char *name, const char *value)
{
  soup_message_headers_replace (response_headers (self), name, value);
}

const char *
roster_request_get_response_header (RosterRequest *self, const char *name)
{
  return soup_message_headers_get_one (response_headers (self), name);
}

/* (nullable): the client's address; %NULL for a sub-request */
const char *
roster_request_get_remote_host (RosterRequest *self)
{
  return self->msg != NULL ? soup_server_message_get_remote_host (self->msg) : NULL;
}

/**
 * roster_request_get_query:
 *
 * Returns: (nullable): the decoded value of the query parameter @name
 */
/* Sets the query parameters of a sub-request (a Bulk operation's path may carry some). */
void
roster_request_set_query (RosterRequest *self, GHashTable *query)
{
  g_clear_pointer (&self->query, g_hash_table_unref);
  self->query = query != NULL ? g_hash_table_ref (query) : NULL;
}

const char *
roster_request_get_query (RosterRequest *self, const char *name)
{
  return self->query != NULL ? g_hash_table_lookup (self->query, name) : NULL;
}

/* Takes ownership of @params, the values of the route's {placeholders} in order. */
void
roster_request_set_params (RosterRequest *self, char **params)
{
  g_strfreev (self->params);
  self->params = params;
}

const char *
roster_request_get_param (RosterRequest *self, guint index)
{
  g_return_val_if_fail (self->params != NULL && index < g_strv_length (self->params), NULL);
  return self->params[index];
}

/* Takes ownership of @session and a reference on @user. */
void
roster_request_set_session (RosterRequest *self, RosterSession *session, RosterUser *user)
{
  g_clear_pointer (&self->session, roster_session_free);
  self->session = session;
  g_set_object (&self->user, user);
}

RosterSession *
roster_request_get_session (RosterRequest *self)
{
  return self->session;
}

RosterUser *
roster_request_get_user (RosterRequest *self)
{
  return self->user;
}

/* Takes @permissions, the set of permission ids the caller has. */
void
roster_request_set_permissions (RosterRequest *self, GHashTable *permissions)
{
  g_clear_pointer (&self->permissions, g_hash_table_unref);
  self->permissions = permissions;
}

gboolean
roster_request_has_permission (RosterRequest *self, const char *permission)
{
  return self->permissions != NULL && g_hash_table_contains (self->permissions, permission);
}

/* Whether the caller is an administrator, who has every permission and alone may change
 * administrator flags, entitlements and the permissions of roles and groups. */
gboolean
roster_request_is_administrator (RosterRequest *self)
{
  return self->user != NULL && roster_user_get_administrator (self->user);
}

/**
 * roster_request_forbid:
 * @permission: (nullable): the permission that is missing
 * @detail: (nullable): what only administrators can do, when no permission would help
 *
 * Answers 403 forbidden.
 */
void
roster_request_forbid (RosterRequest *self, const char *permission, const char *detail)
{
  g_autofree char *text = NULL;

  if (detail == NULL)
    text = g_strdup_printf (_("This needs the permission “%s”"), permission);
  roster_request_respond_error (self, ROSTER_ERROR_FORBIDDEN, detail != NULL ? detail : text);
}

static gboolean
is_json_media_type (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strcasecmp (content_type, ROSTER_SCIM_CONTENT_TYPE) == 0
             || g_ascii_strcasecmp (content_type, "application/json") == 0);
}

/* json-glib parses recursively: a body of a million "[" would exhaust the stack before any
 * schema check. No SCIM request nests more than a handful of levels. */
#define MAX_JSON_DEPTH 32

static gboolean
check_depth (const char *data, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_SYNTAX,
                           _("The request body nests deeper than %d levels"), MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * roster_request_read_body:
 * @body: (nullable): the request body
 * @too_large: whether the body went past %ROSTER_REQUEST_MAX_BODY (and was not kept)
 *
 * Checks size, media type, nesting depth and JSON syntax, in that order, and keeps the parsed object for
 * roster_request_get_body().
 */
gboolean
roster_request_read_body (RosterRequest *self, GBytes *body, gboolean too_large,
                          GError **error)
{
  const char *content_type = soup_message_headers_get_content_type (request_headers (self),
                                                                   NULL);
  const char *data = NULL;
  gsize length = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);
  if (too_large || length > ROSTER_REQUEST_MAX_BODY)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_PAYLOAD_TOO_LARGE,
                   _("The request body must be at most %d bytes"), ROSTER_REQUEST_MAX_BODY);
      return FALSE;
    }
  if (!is_json_media_type (content_type))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           _("Send the request body as application/scim+json or "
                             "application/json"));
      return FALSE;
    }
  if (!check_depth (data, length, error))
    return FALSE;
  g_clear_pointer (&self->body, json_node_unref);
  self->body = roster_json_parse (data, length, error);
  return self->body != NULL;
}

JsonObject *
roster_request_get_body (RosterRequest *self)
{
  g_return_val_if_fail (self->body != NULL, NULL);
  return json_node_get_object (self->body);
}

/* Sets the body of a sub-request: a JSON object, already parsed. */
void
roster_request_set_body (RosterRequest *self, JsonNode *body)
{
  g_return_if_fail (JSON_NODE_HOLDS_OBJECT (body));
  g_clear_pointer (&self->body, json_node_unref);
  self->body = json_node_ref (body);
}

/* The status a sub-request was answered with; 0 until then. */
guint
roster_request_get_status (RosterRequest *self)
{
  return self->status;
}

/* (nullable): the body a sub-request was answered with */
JsonNode *
roster_request_get_response (RosterRequest *self)
{
  return self->response;
}

/**
 * roster_request_has_body:
 *
 * Whether a JSON body was read (on a route with %ROSTER_ROUTE_OPTIONAL_BODY, one may not be).
 */
gboolean
roster_request_has_body (RosterRequest *self)
{
  return self->body != NULL;
}

/**
 * roster_request_pause:
 *
 * Holds the response until one of the respond functions is called, from the main thread.
 */
void
roster_request_pause (RosterRequest *self)
{
  g_return_if_fail (!self->paused && !self->responded);
  self->paused = TRUE;
  if (self->msg != NULL)
    soup_server_message_pause (self->msg);
}

static void
respond_data (RosterRequest *self, guint status, const char *content_type, char *data,
              gsize length);

static void
respond (RosterRequest *self, guint status, const char *content_type, JsonNode *node)
{
  gsize length = 0;
  char *data;

  if (self->msg == NULL)
    {
      /* A sub-request (Bulk) hands its answer to its caller as JSON. */
      g_return_if_fail (!self->responded);
      self->responded = TRUE;
      self->status = status;
      self->response = node != NULL ? json_node_ref (node) : NULL;
      self->paused = FALSE;
      if (self->done != NULL)
        self->done (self, self->done_data);
      return;
    }
  data = node != NULL ? roster_json_to_string (node, &length) : NULL;
  respond_data (self, status, content_type, data, length);
}

/* Takes @data. */
static void
respond_data (RosterRequest *self, guint status, const char *content_type, char *data,
              gsize length)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (self->msg != NULL);
  g_return_if_fail (!self->responded);
  self->responded = TRUE;
  headers = response_headers (self);
  if (self->finished)
    {
      g_debug ("client went away before the answer (%u)", status);
      g_free (data);
      return;
    }

  soup_server_message_set_status (self->msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  if (roster_clock_get_offset () != 0)
    {
      /* A moved test clock: the Date a client counts relative times from follows it. */
      g_autoptr(GDateTime) now = roster_clock_now_utc ();
      g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

      soup_message_headers_replace (headers, "Date", date);
    }
  if (data != NULL)
    soup_server_message_set_response (self->msg, content_type, SOUP_MEMORY_TAKE, data, length);
  if (self->paused)
    {
      self->paused = FALSE;
      soup_server_message_unpause (self->msg);
    }
}

/**
 * roster_request_respond_json:
 *
 * Answers with @node as `application/scim+json` under /scim/v2, `application/json` elsewhere.
 */
void
roster_request_respond_json (RosterRequest *self, guint status, JsonNode *node)
{
  respond (self, status, self->scim ? ROSTER_SCIM_CONTENT_TYPE : "application/json", node);
}

/**
 * roster_request_respond_json_bytes:
 * @json: serialised JSON, as roster_json_to_string() makes it
 *
 * Like roster_request_respond_json(), for a representation that is already serialised.
 */
void
roster_request_respond_json_bytes (RosterRequest *self, guint status, GBytes *json)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (json, &size);

  if (self->msg == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      /* Sub-requests hand on nodes. The text is rosterd's own: it parses. */
      if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
        {
          g_critical ("rosterd sent JSON it cannot read back");
          roster_request_respond_error (self, ROSTER_ERROR_FAILED, NULL);
          return;
        }
      respond (self, status, ROSTER_SCIM_CONTENT_TYPE, json_parser_get_root (parser));
      return;
    }
  respond_data (self, status, self->scim ? ROSTER_SCIM_CONTENT_TYPE : "application/json",
                g_memdup2 (data, size), size);
}

void
roster_request_respond_empty (RosterRequest *self, guint status)
{
  respond (self, status, NULL, NULL);
}

/**
 * roster_request_respond_bytes:
 *
 * Answers with @bytes of @content_type (a photo).
 */
void
roster_request_respond_bytes (RosterRequest *self, guint status, const char *content_type,
                              GBytes *bytes)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  respond_data (self, status, content_type, g_memdup2 (data, size), size);
}

/**
 * roster_request_respond_error:
 * @detail: (nullable): what went wrong, for a person; never a secret
 *
 * Answers with a SCIM error message and the status of @code. 401s carry the Bearer
 * challenge of RFC 6750.
 */
void
roster_request_respond_error (RosterRequest *self, RosterErrorCode code, const char *detail)
{
  g_autoptr(JsonNode) node = roster_scim_error_new (code, detail);
  guint status = roster_error_code_http_status (code);

  if (status < 400)
    {
      code = ROSTER_ERROR_FAILED;
      status = roster_error_code_http_status (code);
    }
  if (code == ROSTER_ERROR_UNAUTHENTICATED || code == ROSTER_ERROR_TOKEN_EXPIRED)
    {
      gboolean sent_token = roster_request_get_header (self, "Authorization") != NULL;

      roster_request_set_response_header (self, "WWW-Authenticate",
                                    sent_token ? "Bearer realm=\"rosterd\", error=\"invalid_token\""
                                               : "Bearer realm=\"rosterd\"");
    }
  /* RFC 9110 §10.2.3: when to try again (rosterd reconnects at most once a second). */
  if (code == ROSTER_ERROR_STORE_UNAVAILABLE)
    roster_request_set_response_header (self, "Retry-After", "1");
  respond (self, status, ROSTER_SCIM_CONTENT_TYPE, node);
}

/**
 * roster_request_respond_gerror:
 *
 * Answers with @error's code when it is a %ROSTER_ERROR, else with a generic server error
 * (the message goes to the log only).
 */
void
roster_request_respond_gerror (RosterRequest *self, const GError *error)
{
  if (error->domain == ROSTER_ERROR && error->code != ROSTER_ERROR_FAILED)
    {
      RosterErrorCode code = (RosterErrorCode) error->code;

      /* Store failures keep their details in the log. */
      roster_request_respond_error (self, code,
                                    code == ROSTER_ERROR_STORE
                                        || code == ROSTER_ERROR_STORE_UNAVAILABLE
                                      ? NULL
                                      : error->message);
      return;
    }
  g_warning ("Request failed: %s", error->message);
  roster_request_respond_error (self, ROSTER_ERROR_FAILED, NULL);
}

/**
 * roster_request_respond_html:
 * @html: a whole document
 *
 * Answers with a server-rendered page (the activation page): no scripts, no framing, no
 * referrer (the URL holds a token).
 */
void
roster_request_respond_html (RosterRequest *self, guint status, const char *html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);

  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  respond_data (self, status, "text/html; charset=utf-8", g_strdup (html), strlen (html));
}

void
roster_request_set_raw_body (RosterRequest *self, GBytes *body)
{
  g_clear_pointer (&self->raw_body, g_bytes_unref);
  self->raw_body = body != NULL ? g_bytes_ref (body) : NULL;
}

/**
 * roster_request_get_raw_body:
 *
 * Returns: (nullable): the body as it came, for routes with ROSTER_ROUTE_RAW_BODY
 */
GBytes *
roster_request_get_raw_body (RosterRequest *self)
{
  return self->raw_body;
}
