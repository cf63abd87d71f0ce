/* roster-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "roster-client.h"
#include "roster-error.h"
#include "roster-scim.h"
#include "roster-user-diff.h"

#define REQUEST_TIMEOUT_SECONDS 30

struct _RosterClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_url;
  char *token;
  gboolean password_change_required;
  gint64 server_clock_skew; /* seconds the server's Date is ahead of ours */
  GHashTable *photos;  /* user id → PhotoEntry: the photos fetched last */
  GQueue photo_order;  /* of PhotoEntry, most recently used first */
  gsize photo_bytes;   /* their total size */
};

G_DEFINE_FINAL_TYPE (RosterClient, roster_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  N_PROPS
};

enum
{
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  AUTH_NONE,
  AUTH_BEARER,
} AuthMode;

/* What a request's task returns on success. */
typedef enum
{
  ANSWER_JSON,  /* the body parsed, as a JsonNode (NULL for an empty body) */
  ANSWER_BYTES, /* the JSON body's GBytes, for the caller to parse off the main thread */
  ANSWER_IMAGE, /* the body's GBytes, asked for as a PNG (a photo) */
} AnswerMode;

typedef struct
{
  AuthMode auth;
  guint status;
  AnswerMode answer;
} RequestData;

static void photo_entry_free (gpointer data);

static void
roster_client_finalize (GObject *object)
{
  RosterClient *self = (RosterClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_queue_clear (&self->photo_order);
  g_clear_pointer (&self->photos, g_hash_table_unref);

  G_OBJECT_CLASS (roster_client_parent_class)->finalize (object);
}

static void
roster_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterClient *self = ROSTER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_client_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  RosterClient *self = ROSTER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url != NULL ? strlen (url) : 0;

        /* Paths are appended with their leading slash. */
        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = g_strndup (url != NULL ? url : "", len);
      }
      break;
    case PROP_TOKEN:
      roster_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_client_class_init (RosterClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = roster_client_finalize;
  object_class->get_property = roster_client_get_property;
  object_class->set_property = roster_client_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string (
    "base-url", NULL, NULL, NULL,
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] = g_param_spec_string (
    "token", NULL, NULL, NULL,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterClient::session-expired:
   *
   * The server refused the token: it expired or was revoked. The token has been forgotten;
   * sign in again.
   */
  signals[SESSION_EXPIRED] = g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           0);
}

static void
roster_client_init (RosterClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Roster/%s ", PACKAGE_VERSION);

  self->photos = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, photo_entry_free);

  /* A trailing space makes libsoup append its own product token. */
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                                 "user-agent", user_agent, NULL);
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      /* Request lines and statuses only: headers would show the bearer token. */
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_MINIMAL);

      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

RosterClient *
roster_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  return g_object_new (ROSTER_TYPE_CLIENT, "base-url", base_url, NULL);
}

const char *
roster_client_get_base_url (RosterClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
roster_client_get_token (RosterClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CLIENT (self), NULL);
  return self->token;
}

void
roster_client_set_token (RosterClient *self, const char *token)
{
  g_return_if_fail (ROSTER_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/* ------------------------------------------------------------------------- requests */

/**
 * roster_client_describe_tls_errors:
 * @flags: a #GTlsCertificateFlags of the server's certificate
 *
 * Says in words why the server's certificate was refused, so that a person can check it with
 * whoever runs the server. Roster never accepts such a certificate.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
roster_client_describe_tls_errors (guint flags)
{
  static const struct
  {
    GTlsCertificateFlags flag;
    const char *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA,
      N_("Its certificate is not signed by an authority this computer trusts (it may be "
         "self-signed).") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("Its certificate was issued for a different address.") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("Its certificate is not valid yet.") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("Its certificate has expired.") },
    { G_TLS_CERTIFICATE_REVOKED, N_("Its certificate has been revoked.") },
    { G_TLS_CERTIFICATE_INSECURE, N_("Its certificate uses an insecure algorithm.") },
  };
  g_autoptr(GString) text = g_string_new (roster_error_code_describe (ROSTER_ERROR_TLS));

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (flags & reasons[i].flag)
      {
        g_string_append_c (text, ' ');
        g_string_append (text, _(reasons[i].text));
      }
  if ((flags & ~(G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY
                 | G_TLS_CERTIFICATE_NOT_ACTIVATED | G_TLS_CERTIFICATE_EXPIRED
                 | G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE))
      != 0
      || flags == 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Its certificate or its secure connection could not be checked."));
    }
  g_string_append_c (text, ' ');
  g_string_append (text, _("Roster does not connect to it. Check the address, or ask whoever runs "
                           "the server for a certificate this computer trusts."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}


/* Remembers how far the server's clock (its Date header) is from ours. */
static void
record_server_date (RosterClient *self, SoupMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Date");
  g_autoptr(GDateTime) date = header != NULL ? soup_date_time_new_from_http_string (header)
                                             : NULL;

  if (date != NULL)
    self->server_clock_skew = g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC;
}

static void
request_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *body;
  gsize length;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR
               || (msg != NULL && soup_message_get_tls_peer_certificate_errors (msg) != 0))
        {
          g_autofree char *message = NULL;

          g_debug ("TLS failure: %s", error->message);
          /* Never accepted: the user is told what is wrong with the certificate, in words. */
          message = roster_client_describe_tls_errors (
            msg != NULL ? soup_message_get_tls_peer_certificate_errors (msg) : 0);
          g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_TLS, "%s", message);
        }
      else
        {
          g_debug ("request failed: %s", error->message);
          g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE, "%s",
                                   roster_error_code_describe (ROSTER_ERROR_UNREACHABLE));
        }
      return;
    }

  data->status = soup_message_get_status (msg);
  record_server_date (self, msg);
  body = g_bytes_get_data (bytes, &length);
  /* Error bodies are always read here: they are small, and mapped to a GError at once. */
  if (length > 0 && !(data->answer != ANSWER_JSON && data->status < 400))
    node = roster_json_parse (body, length, NULL);

  if (data->status >= 400)
    {
      roster_scim_error_parse (node, data->status, &error);
      if (data->status == 401 && data->auth == AUTH_BEARER && self->token != NULL)
        {
          roster_client_set_token (self, NULL);
          g_signal_emit (self, signals[SESSION_EXPIRED], 0);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->answer != ANSWER_JSON)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (length > 0 && node == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
}

/* Sends one request with @body of @content_type (or none); the task's result is as
 * @answer says. */
static void
send_message (RosterClient *self, const char *method, const char *path, GStrv query,
              const char *content_type, GBytes *body, AuthMode auth, const char *if_match,
              AnswerMode answer, GTask *task)
{
  g_autofree char *url = NULL;
  g_autofree char *query_string = query != NULL ? g_strjoinv ("&", query) : NULL;
  g_autoptr(SoupMessage) msg = NULL;
  RequestData *data = g_new0 (RequestData, 1);
  SoupMessageHeaders *headers;

  data->auth = auth;
  data->answer = answer;
  g_task_set_task_data (task, data, g_free);

  url = g_strconcat (self->base_url, path, query_string ? "?" : NULL, query_string, NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE, "%s",
                               roster_error_code_describe (ROSTER_ERROR_UNREACHABLE));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept",
                                answer == ANSWER_IMAGE ? "image/png, " ROSTER_SCIM_CONTENT_TYPE
                                           : ROSTER_SCIM_CONTENT_TYPE ", application/json");
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (auth == AUTH_BEARER)
    {
      g_autofree char *value = NULL;

      if (self->token == NULL)
        {
          g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_UNAUTHENTICATED, "%s",
                                   roster_error_code_describe (ROSTER_ERROR_UNAUTHENTICATED));
          g_object_unref (task);
          return;
        }
      value = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_cb, task);
}

/* Sends one request with a JSON @body (or none); the task's result is the response's JSON
 * (NULL for an empty body). */
static void
send_request_full (RosterClient *self, const char *method, const char *path, GStrv query,
                   JsonNode *body, AuthMode auth, const char *if_match, GTask *task)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      gsize length;
      g_autofree char *json = roster_json_to_string (body, &length);

      bytes = g_bytes_new_take (g_steal_pointer (&json), length);
    }
  send_message (self, method, path, query, ROSTER_SCIM_CONTENT_TYPE, bytes, auth, if_match,
                ANSWER_JSON, task);
}

static void
send_request (RosterClient *self, const char *method, const char *path, GStrv query,
              JsonNode *body, AuthMode auth, GTask *task)
{
  send_request_full (self, method, path, query, body, auth, NULL, task);
}

static JsonNode *
request_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The caller's task, carried through an inner request task. */
static GTask *
inner_task (RosterClient *self, GTask *outer, GAsyncReadyCallback callback)
{
  return g_task_new (self, g_task_get_cancellable (outer), callback, outer);
}

/* ------------------------------------------------------------------------ /setup */

static void
get_setup_required_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  JsonNode *member;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  member = node != NULL ? json_object_get_member (json_node_get_object (node), "setupRequired")
                        : NULL;
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_int (task, json_node_get_boolean (member));
}

/**
 * roster_client_get_setup_required_async:
 *
 * Asks the server, without signing in, whether it still waits for its first administrator.
 * This is also how the app checks that a URL answers like rosterd at all.
 */
void
roster_client_get_setup_required_async (RosterClient *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_task_set_source_tag (task, roster_client_get_setup_required_async);
  send_request (self, "GET", "/setup", NULL, NULL, AUTH_NONE,
                inner_task (self, g_steal_pointer (&task), get_setup_required_cb));
}

gboolean
roster_client_get_setup_required_finish (RosterClient *self, GAsyncResult *result,
                                         gboolean *setup_required, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (setup_required != NULL)
    *setup_required = value != 0;
  return TRUE;
}

/* ------------------------------------------------------------------ discovery */

#define SCIM_SPC_SCHEMA "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
#define SCIM_USER_SCHEMA "urn:ietf:params:scim:schemas:core:2.0:User"

static gboolean
node_lists_string (JsonNode *node, const char *member, const char *value)
{
  JsonNode *array;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  array = json_object_get_member (json_node_get_object (node), member);
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (array), i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether a /Schemas ListResponse describes the core User schema. */
static gboolean
schemas_list_user (JsonNode *node)
{
  JsonNode *resources;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  resources = json_object_get_member (json_node_get_object (node), "Resources");
  if (resources == NULL || !JSON_NODE_HOLDS_ARRAY (resources))
    return FALSE;
  array = json_node_get_array (resources);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *schema = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (schema)
          && g_strcmp0 (roster_json_get_string (json_node_get_object (schema), "id", NULL),
                        SCIM_USER_SCHEMA)
               == 0)
        return TRUE;
    }
  return FALSE;
}

static void
return_not_scim (GTask *task)
{
  g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                           _("No SCIM 2.0 server answers at this address. Check the address; "
                             "it usually ends before “/scim/v2”."));
}

/* A 401 to a request sent without a token: the server is there and wants a sign-in. */
static gboolean
is_sign_in_needed (RosterClient *self, const GError *error)
{
  return self->token == NULL && error != NULL && error->domain == ROSTER_ERROR
         && (error->code == ROSTER_ERROR_UNAUTHENTICATED
             || error->code == ROSTER_ERROR_TOKEN_EXPIRED
             || error->code == ROSTER_ERROR_INVALID_CREDENTIALS);
}

static void
discovery_schemas_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_TLS))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (is_sign_in_needed (self, error))
    g_task_return_int (task, 1);
  else if (error != NULL || !schemas_list_user (node))
    return_not_scim (task);
  else
    g_task_return_int (task, 0);
}

static void
discovery_spc_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_UNREACHABLE)
      || g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_TLS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (is_sign_in_needed (self, error))
    {
      /* RFC 7644 §4 lets a server protect discovery: it is checked again after sign-in. */
      g_task_return_int (task, 1);
      return;
    }
  if (error != NULL || !node_lists_string (node, "schemas", SCIM_SPC_SCHEMA))
    {
      return_not_scim (task);
      return;
    }
  send_request (self, "GET", "/scim/v2/Schemas", NULL, NULL,
                self->token != NULL ? AUTH_BEARER : AUTH_NONE,
                inner_task (self, g_steal_pointer (&task), discovery_schemas_cb));
}

/**
 * roster_client_check_discovery_async:
 *
 * Checks that the server answers SCIM 2.0 discovery: `/ServiceProviderConfig` names its
 * schema and `/Schemas` describes the core User. Without a token, a 401 counts as a server
 * that wants a sign-in first (the finish function says so); anything else that is not SCIM
 * fails with %ROSTER_ERROR_PROTOCOL.
 */
void
roster_client_check_discovery_async (RosterClient *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_task_set_source_tag (task, roster_client_check_discovery_async);
  send_request (self, "GET", "/scim/v2/ServiceProviderConfig", NULL, NULL,
                self->token != NULL ? AUTH_BEARER : AUTH_NONE,
                inner_task (self, g_steal_pointer (&task), discovery_spc_cb));
}

/**
 * roster_client_check_discovery_finish:
 * @sign_in_needed: (out) (optional): set when the server wants a token for discovery
 */
gboolean
roster_client_check_discovery_finish (RosterClient *self, GAsyncResult *result,
                                      gboolean *sign_in_needed, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sign_in_needed != NULL)
    *sign_in_needed = value != 0;
  return TRUE;
}

/* Takes the access token from an OAuth 2.0 style token response. */
static void
token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  const char *token = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (node != NULL)
    token = roster_json_get_string (json_node_get_object (node), "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  roster_client_set_token (self, token);
  self->password_change_required =
    roster_json_get_boolean (json_node_get_object (node), "password_change_required", FALSE, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * roster_client_setup_async:
 * @setup_token: the one-time token rosterd wrote to its data dir
 * @administrator: the first administrator
 *
 * Completes first-run setup. On success the client is signed in as @administrator.
 */
void
roster_client_setup_async (RosterClient *self, const char *setup_token,
                           RosterUser *administrator, const char *password,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (setup_token != NULL);
  g_return_if_fail (ROSTER_IS_USER (administrator));

  g_task_set_source_tag (task, roster_client_setup_async);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "setupToken");
  json_builder_add_string_value (builder, setup_token);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, roster_user_to_json (administrator, password, NULL));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  send_request (self, "POST", "/setup", NULL, body, AUTH_NONE,
                inner_task (self, g_steal_pointer (&task), token_cb));
}

gboolean
roster_client_setup_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * roster_client_sign_in_async:
 *
 * Exchanges a username and password for a bearer token (POST /auth/token).
 */
void
roster_client_sign_in_async (RosterClient *self, const char *user_name, const char *password,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (user_name != NULL && password != NULL);

  g_task_set_source_tag (task, roster_client_sign_in_async);
  body = roster_json_new_strings ("userName", user_name, "password", password, NULL);

  send_request (self, "POST", "/auth/token", NULL, body, AUTH_NONE,
                inner_task (self, g_steal_pointer (&task), token_cb));
}

gboolean
roster_client_sign_in_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ /Users */

typedef struct
{
  GPtrArray *users;
  guint total_results;
} UserPage;

static void
user_page_free (UserPage *page)
{
  g_clear_pointer (&page->users, g_ptr_array_unref);
  g_free (page);
}

/* Runs in a worker thread: a page of 50 users is ~40 KB of JSON, and parsing it and reading
 * the users took up to a millisecond of the main loop for every page a scroll brought in
 * (docs/performance.md, issue 5). It reads only the bytes it was given and builds new
 * RosterUser objects that no other thread can reach until the task hands them over; it
 * touches nothing the main thread holds. Its task has no source object, so the client is
 * never referenced, and never finalized, from the worker. */
static void
list_users_thread (GTask *task, gpointer source_object, gpointer task_data,
                   GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  UserPage *page;
  JsonArray *resources = NULL;
  gsize length;
  const char *body = g_bytes_get_data (bytes, &length);
  guint total = 0, start = 1;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (length > 0)
    node = roster_json_parse (body, length, NULL);
  if (node == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  resources = roster_scim_list_parse (node, &total, &start, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; resources != NULL && i < json_array_get_length (resources); i++)
    {
      JsonNode *element = json_array_get_element (resources, i);
      RosterUser *user;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      user = roster_user_new_from_json (json_node_get_object (element), &error);
      if (user == NULL)
        {
          /* One bad resource must not hide the others; the server is at fault. */
          g_warning ("Ignoring a user the server sent: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (users, user);
    }

  page = g_new0 (UserPage, 1);
  page->users = g_steal_pointer (&users);
  page->total_results = total;
  g_task_return_pointer (task, page, (GDestroyNotify) user_page_free);
}

/* Back in the caller's main context: the page, or why there is none, goes to its task. A
 * cancelled parse answers G_IO_ERROR_CANCELLED whatever the worker returned. */
static void
list_users_parsed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  UserPage *page = g_task_propagate_pointer (G_TASK (result), &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) user_page_free);
}

static void
list_users_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) parse = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);
  GCancellable *cancellable;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  parse = g_task_new (NULL, cancellable, list_users_parsed_cb, g_steal_pointer (&task));
  g_task_set_source_tag (parse, list_users_thread);
  g_task_set_task_data (parse, bytes, (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (parse, list_users_thread);
}

static char *
query_param (const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  return g_strconcat (name, "=", escaped, NULL);
}

/**
 * roster_client_list_users_async:
 * @start_index: 1-based, as in SCIM
 * @count: how many users to fetch at most
 * @filter: (nullable): a SCIM filter (RFC 7644 §3.4.2.2)
 * @sort_by: (nullable): the attribute to sort by, e.g. "name.familyName"
 * @descending: sort from Z to A
 *
 * Fetches one page of GET /Users.
 */
void
roster_client_list_users_async (RosterClient *self, guint start_index, guint count,
                                const char *filter, const char *sort_by, gboolean descending,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *start_param = g_strdup_printf ("startIndex=%u", MAX (start_index, 1));
  g_autofree char *count_param = g_strdup_printf ("count=%u", count);
  g_autofree char *filter_param = filter != NULL ? query_param ("filter", filter) : NULL;
  g_autofree char *sort_param = sort_by != NULL ? query_param ("sortBy", sort_by) : NULL;
  char *query[6] = { start_param, count_param, NULL };
  guint n = 2;

  if (filter_param != NULL)
    query[n++] = filter_param;
  if (sort_param != NULL)
    {
      query[n++] = sort_param;
      query[n++] = (char *) (descending ? "sortOrder=descending" : "sortOrder=ascending");
    }

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_task_set_source_tag (task, roster_client_list_users_async);
  send_message (self, "GET", "/scim/v2/Users", query, NULL, NULL, AUTH_BEARER, NULL,
                ANSWER_BYTES, inner_task (self, g_steal_pointer (&task), list_users_cb));
}

/**
 * roster_client_list_users_finish:
 *
 * Returns: (transfer container) (element-type RosterUser): the page of users
 */
GPtrArray *
roster_client_list_users_finish (RosterClient *self, GAsyncResult *result,
                                 guint *total_results, GError **error)
{
  UserPage *page;
  GPtrArray *users;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;
  if (total_results != NULL)
    *total_results = page->total_results;
  users = g_steal_pointer (&page->users);
  user_page_free (page);
  return users;
}

typedef GObject *(*ObjectFromJson) (JsonObject *object, GError **error);

/* Answers the caller's task with one resource, read by the ObjectFromJson in its task data
 * (a user, a role): the shared end of every call that returns one resource. */
static void
resource_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ObjectFromJson from_json = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  GObject *resource;

  if (error == NULL && node == NULL)
    g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL,
                         roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  resource = from_json (json_node_get_object (node), &error);
  if (resource == NULL)
    {
      g_debug ("bad resource from server: %s", error->message);
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_pointer (task, resource, g_object_unref);
}

static GObject *
user_object_from_json (JsonObject *object, GError **error)
{
  return (GObject *) roster_user_new_from_json (object, error);
}

/* The inner task of a call answering one user. */
static GTask *
user_task (RosterClient *self, GTask *outer)
{
  g_task_set_task_data (outer, user_object_from_json, NULL);
  return inner_task (self, outer, resource_cb);
}

void
roster_client_get_user_async (RosterClient *self, const char *id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_get_user_async);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/scim/v2/Users/", escaped, NULL);
  send_request (self, "GET", path, NULL, NULL, AUTH_BEARER,
                user_task (self, g_steal_pointer (&task)));
}

RosterUser *
roster_client_get_user_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_create_user_async:
 * @password: (nullable): the new user's first password
 *
 * POST /Users. The result is the user as the server stored it, with its id and version.
 */
void
roster_client_create_user_async (RosterClient *self, RosterUser *user, const char *password,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (user));

  g_task_set_source_tag (task, roster_client_create_user_async);
  body = roster_user_to_json (user, password, NULL);
  send_request (self, "POST", "/scim/v2/Users", NULL, body, AUTH_BEARER,
                user_task (self, g_steal_pointer (&task)));
}

RosterUser *
roster_client_create_user_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_update_user_async:
 * @base: the user as it was fetched: its id, and its version for If-Match
 * @changed: @base with the edits made
 *
 * Saves what differs between @base and @changed as one PATCH sent with If-Match. If someone
 * else saved the user in between, it fails with %ROSTER_ERROR_PRECONDITION_FAILED and the
 * server keeps their version. Nothing to save finishes with a fresh copy of the user.
 */
void
roster_client_update_user_async (RosterClient *self, RosterUser *base, RosterUser *changed,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (base) && ROSTER_IS_USER (changed));
  g_return_if_fail (roster_user_get_id (base) != NULL);

  g_task_set_source_tag (task, roster_client_update_user_async);
  escaped = g_uri_escape_string (roster_user_get_id (base), NULL, FALSE);
  path = g_strconcat ("/scim/v2/Users/", escaped, NULL);
  if (roster_user_diff (base, changed) == 0)
    {
      send_request (self, "GET", path, NULL, NULL, AUTH_BEARER,
                    user_task (self, g_steal_pointer (&task)));
      return;
    }
  body = roster_user_diff_to_patch (base, changed);
  send_request_full (self, "PATCH", path, NULL, body, AUTH_BEARER, roster_user_get_version (base),
                     user_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_update_user_finish:
 *
 * Returns: (transfer full): the user as the server stored it, with its new version
 */
RosterUser *
roster_client_update_user_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -------------------------------------------------------------------------- /Bulk */

/* Rows per BulkRequest: two operations each (the account, its team), far below the
 * server's maxOperations and maxPayloadSize, so a request stays small and quick. */
#define BULK_ROWS_PER_REQUEST 100
#define PATCH_OP_SCHEMA "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define BULK_REQUEST_SCHEMA "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

typedef struct
{
  GPtrArray *rows; /* of RosterBulkRow, the caller's */
  guint next;      /* the first row of the request in flight */
  guint end;
} BulkData;

static void
bulk_data_free (BulkData *data)
{
  g_ptr_array_unref (data->rows);
  g_free (data);
}

static JsonObject *
team_patch (guint index)
{
  JsonObject *patch = json_object_new ();
  JsonArray *schemas = json_array_new ();
  JsonArray *operations = json_array_new ();
  JsonObject *add = json_object_new ();
  JsonArray *members = json_array_new ();
  JsonObject *member = json_object_new ();
  g_autofree char *reference = g_strdup_printf ("bulkId:user-%u", index);

  json_array_add_string_element (schemas, PATCH_OP_SCHEMA);
  json_object_set_array_member (patch, "schemas", schemas);
  json_object_set_string_member (member, "value", reference);
  json_array_add_object_element (members, member);
  json_object_set_string_member (add, "op", "add");
  json_object_set_string_member (add, "path", "members");
  json_object_set_array_member (add, "value", members);
  json_array_add_object_element (operations, add);
  json_object_set_array_member (patch, "Operations", operations);
  return patch;
}

static JsonNode *
bulk_body (BulkData *data)
{
  JsonNode *node;
  JsonObject *body = json_object_new ();
  JsonArray *schemas = json_array_new ();
  JsonArray *operations = json_array_new ();

  json_array_add_string_element (schemas, BULK_REQUEST_SCHEMA);
  json_object_set_array_member (body, "schemas", schemas);
  for (guint i = data->next; i < data->end; i++)
    {
      RosterBulkRow *row = g_ptr_array_index (data->rows, i);
      JsonObject *create = json_object_new ();
      JsonNode *data_node;
      g_autofree char *bulk_id = g_strdup_printf ("user-%u", i);

      json_object_set_string_member (create, "method", "POST");
      json_object_set_string_member (create, "path",
                                     row->send_invitation ? "/Users?sendInvitation=true"
                                                          : "/Users");
      json_object_set_string_member (create, "bulkId", bulk_id);
      data_node = roster_user_to_json (row->user, row->password, NULL);
      if (row->role_id != NULL)
        {
          JsonArray *roles = json_array_new ();
          JsonObject *role = json_object_new ();

          json_object_set_string_member (role, "value", row->role_id);
          json_array_add_object_element (roles, role);
          json_object_set_array_member (json_node_get_object (data_node), "roles", roles);
        }
      if (row->must_change_password)
        {
          JsonObject *object = json_node_get_object (data_node);
          JsonObject *ext = json_object_get_object_member (object, ROSTER_SCIM_SCHEMA_ROSTER_USER);

          if (ext == NULL)
            {
              ext = json_object_new ();
              json_object_set_object_member (object, ROSTER_SCIM_SCHEMA_ROSTER_USER, ext);
            }
          json_object_set_boolean_member (ext, "mustChangePassword", TRUE);
        }
      json_object_set_member (create, "data", data_node);
      json_array_add_object_element (operations, create);
      if (row->team_id != NULL)
        {
          JsonObject *join = json_object_new ();
          g_autofree char *path = g_strconcat ("/Groups/", row->team_id, NULL);
          g_autofree char *team_bulk_id = g_strdup_printf ("team-%u", i);

          json_object_set_string_member (join, "method", "PATCH");
          json_object_set_string_member (join, "path", path);
          json_object_set_string_member (join, "bulkId", team_bulk_id);
          json_object_set_object_member (join, "data", team_patch (i));
          json_array_add_object_element (operations, join);
        }
    }
  json_object_set_array_member (body, "Operations", operations);
  node = json_node_init_object (json_node_alloc (), body);
  json_object_unref (body);
  return node;
}

/* Files one operation's result under its row. */
static void
bulk_take_result (BulkData *data, JsonObject *operation)
{
  const char *bulk_id = json_object_get_string_member_with_default (operation, "bulkId", "");
  const char *status_text = json_object_get_string_member_with_default (operation, "status", "0");
  const char *location = json_object_get_string_member_with_default (operation, "location", NULL);
  JsonNode *response = json_object_get_member (operation, "response");
  guint64 index = 0, status = 0;
  gboolean team = g_str_has_prefix (bulk_id, "team-");
  RosterBulkRow *row;
  GError *error = NULL;

  if (!g_str_has_prefix (bulk_id, team ? "team-" : "user-")
      || !g_ascii_string_to_unsigned (bulk_id + 5, 10, data->next, data->end - 1, &index, NULL))
    return; /* not one of ours */
  g_ascii_string_to_unsigned (status_text, 10, 0, 999, &status, NULL);
  row = g_ptr_array_index (data->rows, index);
  if (status >= 400 || status < 200)
    roster_scim_error_parse (response, (guint) status, &error);
  if (team)
    {
      /* A team operation whose account failed is not a second failure. */
      if (error != NULL && row->error == NULL && row->status < 300)
        row->team_error = error;
      else
        g_clear_error (&error);
      return;
    }
  row->status = (guint) status;
  if (error != NULL)
    row->error = error;
  else if (location != NULL && strrchr (location, '/') != NULL)
    row->id = g_strdup (strrchr (location, '/') + 1);
}

static void bulk_send (RosterClient *self, GTask *task);

static void
bulk_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  BulkData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  JsonArray *operations = NULL;

  if (node == NULL)
    {
      if (error == NULL)
        error = g_error_new (ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                             roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    operations = json_object_get_array_member (json_node_get_object (node), "Operations");
  if (operations == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonNode *element = json_array_get_element (operations, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        bulk_take_result (data, json_node_get_object (element));
    }
  data->next = data->end;
  if (data->next < data->rows->len)
    {
      bulk_send (self, g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
bulk_send (RosterClient *self, GTask *task)
{
  BulkData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;

  data->end = MIN (data->rows->len, data->next + BULK_ROWS_PER_REQUEST);
  body = bulk_body (data);
  send_request (self, "POST", "/scim/v2/Bulk", NULL, body, AUTH_BEARER,
                inner_task (self, task, bulk_cb));
}

/**
 * roster_client_create_users_async:
 * @rows: (element-type RosterBulkRow): the accounts to create, in order
 *
 * Creates the accounts with SCIM Bulk requests (each account and its team membership, the
 * membership referring to the account by bulkId), and fills in each row's result: its
 * status and id, or why it failed. One row failing does not stop the others. Rows left
 * with status 0 were not sent because a whole request failed (the error of finish()).
 */
void
roster_client_create_users_async (RosterClient *self, GPtrArray *rows, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  BulkData *data = g_new0 (BulkData, 1);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (rows != NULL);

  g_task_set_source_tag (task, roster_client_create_users_async);
  data->rows = g_ptr_array_ref (rows);
  g_task_set_task_data (task, data, (GDestroyNotify) bulk_data_free);
  for (guint i = 0; i < rows->len; i++)
    roster_bulk_row_clear_result (g_ptr_array_index (rows, i));
  if (rows->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  bulk_send (self, g_steal_pointer (&task));
}

gboolean
roster_client_create_users_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------- /Roles, /Permissions */

typedef gpointer (*ResourceFromJson) (JsonObject *object, GError **error);

/* Turns a ListResponse into a GPtrArray of @from_json's objects; the task data says how. */
static void
list_resources_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ResourceFromJson from_json = g_task_get_task_data (task);
  GDestroyNotify free_func = g_object_get_data (G_OBJECT (task), "free-func");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  JsonArray *resources = NULL;
  guint total = 0, start = 1;

  if (error == NULL)
    resources = roster_scim_list_parse (node, &total, &start, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; resources != NULL && i < json_array_get_length (resources); i++)
    {
      JsonNode *element = json_array_get_element (resources, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = from_json (json_node_get_object (element), &error);
      if (item == NULL)
        {
          g_warning ("Ignoring a resource the server sent: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (items, item);
    }
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
list_resources (RosterClient *self, const char *path, ResourceFromJson from_json,
                GDestroyNotify free_func, gpointer source_tag, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  char *query[] = { (char *) "count=1000", NULL };

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, from_json, NULL);
  g_object_set_data (G_OBJECT (task), "free-func", free_func);
  send_request (self, "GET", path, query, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), list_resources_cb));
}

static gpointer
role_from_json (JsonObject *object, GError **error)
{
  return roster_role_new_from_json (object, error);
}

static gpointer
permission_from_json (JsonObject *object, GError **error)
{
  return roster_permission_description_new_from_json (object, error);
}

/**
 * roster_client_list_roles_async:
 *
 * Fetches every role (GET /Roles, up to the server's page limit of 1,000).
 */
void
roster_client_list_roles_async (RosterClient *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ROSTER_IS_CLIENT (self));
  list_resources (self, "/scim/v2/Roles", role_from_json, g_object_unref,
                  roster_client_list_roles_async, cancellable, callback, user_data);
}

/**
 * roster_client_list_roles_finish:
 *
 * Returns: (transfer container) (element-type RosterRole): the roles
 */
GPtrArray *
roster_client_list_roles_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_list_permissions_async:
 *
 * Fetches the server's catalogue of permissions (GET /Permissions).
 */
void
roster_client_list_permissions_async (RosterClient *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ROSTER_IS_CLIENT (self));
  list_resources (self, "/scim/v2/Permissions", permission_from_json,
                  (GDestroyNotify) roster_permission_description_free,
                  roster_client_list_permissions_async, cancellable, callback, user_data);
}

/**
 * roster_client_list_permissions_finish:
 *
 * Returns: (transfer container) (element-type RosterPermissionDescription): the catalogue
 */
GPtrArray *
roster_client_list_permissions_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GObject *
role_object_from_json (JsonObject *object, GError **error)
{
  return (GObject *) roster_role_new_from_json (object, error);
}

/* The inner task of a call answering one role. */
static GTask *
role_task (RosterClient *self, GTask *outer)
{
  g_task_set_task_data (outer, role_object_from_json, NULL);
  return inner_task (self, outer, resource_cb);
}

static char *
role_path (RosterRole *role)
{
  g_autofree char *escaped = g_uri_escape_string (roster_role_get_id (role), NULL, FALSE);

  return g_strconcat ("/scim/v2/Roles/", escaped, NULL);
}

/**
 * roster_client_create_role_async:
 * @description: (nullable)
 *
 * Creates a role without permissions; finish with roster_client_role_finish().
 */
void
roster_client_create_role_async (RosterClient *self, const char *name, const char *description,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  g_task_set_source_tag (task, roster_client_create_role_async);
  body = roster_role_new_create_body (name, description);
  send_request (self, "POST", "/scim/v2/Roles", NULL, body, AUTH_BEARER,
                role_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_set_role_permissions_async:
 *
 * Replaces @role's permissions, sent with If-Match: a stale @role is
 * %ROSTER_ERROR_PRECONDITION_FAILED. Finish with roster_client_role_finish().
 */
void
roster_client_set_role_permissions_async (RosterClient *self, RosterRole *role,
                                          const char *const *permissions,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_ROLE (role));

  g_task_set_source_tag (task, roster_client_set_role_permissions_async);
  body = roster_role_permissions_patch (permissions);
  path = role_path (role);
  send_request_full (self, "PATCH", path, NULL, body, AUTH_BEARER, roster_role_get_version (role),
                     role_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_role_finish:
 *
 * Returns: (transfer full): the role as the server stored it
 */
RosterRole *
roster_client_role_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Finishes the caller's task with TRUE for any success; the answer's body does not matter. */
static void
done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * roster_client_delete_role_async:
 * @force: also take the role from the users who have it; without, a role in use is
 *   %ROSTER_ERROR_ROLE_IN_USE
 */
void
roster_client_delete_role_async (RosterClient *self, RosterRole *role, gboolean force,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  char *query[] = { (char *) "force=true", NULL };

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_ROLE (role));

  g_task_set_source_tag (task, roster_client_delete_role_async);
  path = role_path (role);
  send_request (self, "DELETE", path, force ? query : NULL, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), done_cb));
}

gboolean
roster_client_delete_role_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * roster_client_get_password_change_required:
 *
 * Returns: whether the session signed in last may only change its password (it expired, or
 *   an administrator set it to be changed): call roster_client_change_password_async()
 */
gboolean
roster_client_get_password_change_required (RosterClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CLIENT (self), FALSE);
  return self->password_change_required;
}

static void
change_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->password_change_required = FALSE;
  g_task_return_boolean (task, TRUE);
}

/**
 * roster_client_change_password_async:
 *
 * Changes the signed-in user's password (POST /auth/password). The server checks its
 * quality and history; a refusal is %ROSTER_ERROR_WEAK_PASSWORD (with the reason) or
 * %ROSTER_ERROR_PASSWORD_REUSED. Success lifts a "must change password" restriction.
 */
void
roster_client_change_password_async (RosterClient *self, const char *current_password,
                                     const char *new_password, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (current_password != NULL && new_password != NULL);

  g_task_set_source_tag (task, roster_client_change_password_async);
  body = roster_json_new_strings ("password", current_password, "newPassword", new_password,
                                  NULL);
  send_request (self, "POST", "/auth/password", NULL, body, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), change_password_cb));
}

gboolean
roster_client_change_password_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------- /Users/{id}/actions */

static char *
action_path (const char *id, const char *action)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/scim/v2/Users/", escaped, "/actions/", action, NULL);
}

/**
 * roster_client_unlock_user_async:
 *
 * Unlocks a locked account (POST /Users/{id}/actions/unlock); finish with
 * roster_client_user_action_finish(), whose result is the user as it is now.
 */
void
roster_client_unlock_user_async (RosterClient *self, const char *id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_user_action_finish);
  path = action_path (id, "unlock");
  send_request (self, "POST", path, NULL, NULL, AUTH_BEARER,
                user_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_set_user_password_async:
 * @must_change: whether the user must choose another password at the next sign-in
 *
 * Sets another user's password (POST /Users/{id}/actions/set-password); every session of
 * that user ends. Finish with roster_client_user_action_finish().
 */
void
roster_client_set_user_password_async (RosterClient *self, const char *id, const char *password,
                                       gboolean must_change, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL && password != NULL);

  g_task_set_source_tag (task, roster_client_user_action_finish);
  path = action_path (id, "set-password");
  body = roster_scim_set_password_new (password, must_change);
  send_request (self, "POST", path, NULL, body, AUTH_BEARER,
                user_task (self, g_steal_pointer (&task)));
}

RosterUser *
roster_client_user_action_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_logout_user_async:
 *
 * Ends every session of a user (POST /Users/{id}/actions/logout-all).
 */
void
roster_client_logout_user_async (RosterClient *self, const char *id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_logout_user_async);
  path = action_path (id, "logout-all");
  send_request (self, "POST", path, NULL, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), done_cb));
}

gboolean
roster_client_logout_user_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- /Groups */

static gpointer
group_from_json (JsonObject *object, GError **error)
{
  return roster_group_new_from_json (object, error);
}

static GObject *
group_object_from_json (JsonObject *object, GError **error)
{
  return (GObject *) roster_group_new_from_json (object, error);
}

static GTask *
group_task (RosterClient *self, GTask *outer)
{
  g_task_set_task_data (outer, group_object_from_json, NULL);
  return inner_task (self, outer, resource_cb);
}

/**
 * roster_client_list_groups_async:
 *
 * Fetches every team and group (GET /Groups, up to 1,000).
 */
void
roster_client_list_groups_async (RosterClient *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ROSTER_IS_CLIENT (self));
  list_resources (self, "/scim/v2/Groups", group_from_json, g_object_unref,
                  roster_client_list_groups_async, cancellable, callback, user_data);
}

/**
 * roster_client_list_groups_finish:
 *
 * Returns: (transfer container) (element-type RosterGroup): the teams and groups
 */
GPtrArray *
roster_client_list_groups_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_create_group_async:
 * @team: a team (people who work together) rather than a group
 *
 * Creates an empty team or group; finish with roster_client_group_finish().
 */
void
roster_client_create_group_async (RosterClient *self, const char *display_name, gboolean team,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (display_name != NULL);

  g_task_set_source_tag (task, roster_client_create_group_async);
  body = roster_group_new_create_body (display_name, team);
  send_request (self, "POST", "/scim/v2/Groups", NULL, body, AUTH_BEARER,
                group_task (self, g_steal_pointer (&task)));
}

static char *
group_path (const char *group_id)
{
  g_autofree char *escaped = g_uri_escape_string (group_id, NULL, FALSE);

  return g_strconcat ("/scim/v2/Groups/", escaped, NULL);
}

/* PATCHes the group @group_id with @body; with @if_match only if the group is still at that
 * version. */
static void
send_group_patch (RosterClient *self, const char *group_id, const char *if_match,
                  JsonNode *body, GTask *inner)
{
  g_autofree char *path = group_path (group_id);

  send_request_full (self, "PATCH", path, NULL, body, AUTH_BEARER, if_match, inner);
}

/* PATCHes one member into or out of the group @group_id. */
static void
send_member_patch (RosterClient *self, const char *group_id, const char *if_match,
                   const char *user_id, gboolean add, GTask *inner)
{
  g_autoptr(JsonNode) body = roster_group_member_patch (user_id, add);

  send_group_patch (self, group_id, if_match, body, inner);
}

/**
 * roster_client_change_member_async:
 * @add: add @user_id, else remove it
 *
 * Adds or removes one member with a PATCH sent with If-Match; finish with
 * roster_client_group_finish().
 */
void
roster_client_change_member_async (RosterClient *self, RosterGroup *group, const char *user_id,
                                   gboolean add, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_GROUP (group));
  g_return_if_fail (user_id != NULL);

  g_task_set_source_tag (task, roster_client_change_member_async);
  send_member_patch (self, roster_group_get_id (group), roster_group_get_version (group), user_id,
                     add, group_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_change_group_async:
 * @display_name: (nullable): a new name, or %NULL to keep it
 * @team: (nullable): a pointer to whether it is a team, or %NULL to keep the kind
 * @description: (nullable): a new description, or %NULL to keep it
 * @permissions: (nullable): the permissions its members get, or %NULL to keep them
 *
 * Changes what is not %NULL with one PATCH sent with If-Match: a stale @group is
 * %ROSTER_ERROR_PRECONDITION_FAILED. Finish with roster_client_group_finish().
 */
void
roster_client_change_group_async (RosterClient *self, RosterGroup *group,
                                  const char *display_name, const gboolean *team,
                                  const char *description, const char *const *permissions,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_GROUP (group));

  g_task_set_source_tag (task, roster_client_change_group_async);
  body = roster_group_change_patch (display_name,
                                    team == NULL ? NULL : *team ? "team" : "group",
                                    description, permissions);
  send_group_patch (self, roster_group_get_id (group), roster_group_get_version (group), body,
                    group_task (self, g_steal_pointer (&task)));
}

/**
 * roster_client_delete_group_async:
 *
 * Deletes a team or group (its members stay, without it), sent with If-Match.
 */
void
roster_client_delete_group_async (RosterClient *self, RosterGroup *group,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_GROUP (group));

  g_task_set_source_tag (task, roster_client_delete_group_async);
  path = group_path (roster_group_get_id (group));
  send_request_full (self, "DELETE", path, NULL, NULL, AUTH_BEARER,
                     roster_group_get_version (group),
                     inner_task (self, g_steal_pointer (&task), done_cb));
}

gboolean
roster_client_delete_group_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * roster_client_group_finish:
 *
 * Returns: (transfer full): the team or group as the server stored it
 */
RosterGroup *
roster_client_group_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ /AuditEvents */

static void
list_audit_events_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  UserPage *page;
  JsonArray *resources = NULL;
  guint total = 0, start = 1;

  if (error == NULL)
    resources = roster_scim_list_parse (node, &total, &start, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; resources != NULL && i < json_array_get_length (resources); i++)
    {
      JsonNode *element = json_array_get_element (resources, i);
      RosterAuditEvent *event;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      event = roster_audit_event_new_from_json (json_node_get_object (element), &error);
      if (event == NULL)
        {
          g_warning ("Ignoring an audit event the server sent: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (events, event);
    }

  /* A page of events has the same shape as a page of users. */
  page = g_new0 (UserPage, 1);
  page->users = g_steal_pointer (&events);
  page->total_results = total;
  g_task_return_pointer (task, page, (GDestroyNotify) user_page_free);
}

/**
 * roster_client_list_audit_events_async:
 * @start_index: 1-based, as in SCIM
 * @count: how many events to fetch at most
 * @filter: (nullable): a SCIM filter on the attributes docs/protocol.md lists
 *
 * Fetches one page of GET /AuditEvents, newest first (sortBy=time descending).
 */
void
roster_client_list_audit_events_async (RosterClient *self, guint start_index, guint count,
                                       const char *filter, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *start_param = g_strdup_printf ("startIndex=%u", MAX (start_index, 1));
  g_autofree char *count_param = g_strdup_printf ("count=%u", count);
  g_autofree char *filter_param = filter != NULL ? query_param ("filter", filter) : NULL;
  char *query[6] = { start_param, count_param, (char *) "sortBy=time",
                     (char *) "sortOrder=descending", NULL };

  if (filter_param != NULL)
    query[4] = filter_param;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_task_set_source_tag (task, roster_client_list_audit_events_async);
  send_request (self, "GET", "/scim/v2/AuditEvents", query, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), list_audit_events_cb));
}

/**
 * roster_client_list_audit_events_finish:
 *
 * Returns: (transfer container) (element-type RosterAuditEvent): the page of events
 */
GPtrArray *
roster_client_list_audit_events_finish (RosterClient *self, GAsyncResult *result,
                                        guint *total_results, GError **error)
{
  UserPage *page;
  GPtrArray *events;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;
  if (total_results != NULL)
    *total_results = page->total_results;
  events = g_steal_pointer (&page->users);
  user_page_free (page);
  return events;
}

/* ------------------------------------- /Users/{id}/ownership, DELETE, /DeletedUsers */

/**
 * roster_client_get_server_now:
 *
 * The server's present time, as its last answer's Date header told it (our own clock when
 * no answer had one). Relative times the server decides, such as when a deleted user is
 * purged, are counted from it.
 *
 * Returns: (transfer full): now, in UTC
 */
GDateTime *
roster_client_get_server_now (RosterClient *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (ROSTER_IS_CLIENT (self), NULL);
  return g_date_time_add_seconds (now, (gdouble) self->server_clock_skew);
}

static char *
user_path (const char *id, const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/scim/v2/Users/", escaped, suffix, NULL);
}

static void
ownership_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  RosterOwnership *ownership;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ownership = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                ? roster_ownership_new_from_json (json_node_get_object (node), &error)
                : NULL;
  if (ownership == NULL)
    {
      g_debug ("bad ownership from server: %s", error != NULL ? error->message : "no body");
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_pointer (task, ownership, (GDestroyNotify) roster_ownership_free);
}

/**
 * roster_client_get_ownership_async:
 *
 * Fetches how many clients, orders and tasks the user owns (GET /Users/{id}/ownership).
 */
void
roster_client_get_ownership_async (RosterClient *self, const char *id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  char *query[] = { (char *) "count=0", NULL };

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_get_ownership_async);
  path = user_path (id, "/ownership");
  send_request (self, "GET", path, query, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), ownership_cb));
}

/**
 * roster_client_get_ownership_finish:
 *
 * Returns: (transfer full): the counts of what the user owns
 */
RosterOwnership *
roster_client_get_ownership_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_delete_user_async:
 * @destinations: (nullable) (array fixed-size=3): per #RosterRecordKind, the id of the
 *   user who takes over that kind, or %NULL
 *
 * Deletes a user (DELETE /Users/{id}): the user goes to Recently Deleted, and the records
 * of each kind with a destination go to that user, in one transaction on the server. Open
 * work left without one is %ROSTER_ERROR_RECORDS_UNASSIGNED and nothing happens.
 */
void
roster_client_delete_user_async (RosterClient *self, const char *id,
                                 const char *const *destinations, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_delete_user_async);
  body = roster_ownership_plan_new (destinations);
  path = user_path (id, NULL);
  send_request (self, "DELETE", path, NULL, body, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), done_cb));
}

gboolean
roster_client_delete_user_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
deleted_user_from_json (JsonObject *object, GError **error)
{
  return roster_deleted_user_new_from_json (object, error);
}

/**
 * roster_client_list_deleted_users_async:
 *
 * Fetches Recently Deleted (GET /DeletedUsers, newest first, up to 1,000).
 */
void
roster_client_list_deleted_users_async (RosterClient *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ROSTER_IS_CLIENT (self));
  list_resources (self, "/scim/v2/DeletedUsers", deleted_user_from_json, g_object_unref,
                  roster_client_list_deleted_users_async, cancellable, callback, user_data);
}

/**
 * roster_client_list_deleted_users_finish:
 *
 * Returns: (transfer container) (element-type RosterDeletedUser): the deleted users
 */
GPtrArray *
roster_client_list_deleted_users_finish (RosterClient *self, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  RosterUser *user;
  guint n_reassigned;
} Restored;

static void
restored_free (Restored *restored)
{
  g_clear_object (&restored->user);
  g_free (restored);
}

static void
restore_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  Restored *restored;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  restored = g_new0 (Restored, 1);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    restored->user = roster_deleted_user_parse_restored (json_node_get_object (node),
                                                         &restored->n_reassigned, &error);
  if (restored->user == NULL)
    {
      g_debug ("bad restore answer from server: %s", error != NULL ? error->message : "no body");
      restored_free (restored);
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_pointer (task, restored, (GDestroyNotify) restored_free);
}

/**
 * roster_client_restore_user_async:
 *
 * Brings a deleted user back, inactive (POST /DeletedUsers/{id}/restore). Records given to
 * others at the deletion stay with them.
 */
void
roster_client_restore_user_async (RosterClient *self, const char *id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  g_task_set_source_tag (task, roster_client_restore_user_async);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/scim/v2/DeletedUsers/", escaped, "/restore", NULL);
  send_request (self, "POST", path, NULL, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), restore_cb));
}

/**
 * roster_client_restore_user_finish:
 * @n_reassigned: (out) (optional): how many records stayed with those who took them over
 *
 * Returns: (transfer full): the user as it is back
 */
RosterUser *
roster_client_restore_user_finish (RosterClient *self, GAsyncResult *result,
                                   guint *n_reassigned, GError **error)
{
  Restored *restored;
  RosterUser *user;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  restored = g_task_propagate_pointer (G_TASK (result), error);
  if (restored == NULL)
    return NULL;
  if (n_reassigned != NULL)
    *n_reassigned = restored->n_reassigned;
  user = g_steal_pointer (&restored->user);
  restored_free (restored);
  return user;
}

static void
restore_window_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);
  guint days;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  days = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
           ? roster_deleted_user_read_restore_window (json_node_get_object (node))
           : 0;
  if (days == 0)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, "%s",
                               roster_error_code_describe (ROSTER_ERROR_PROTOCOL));
      return;
    }
  g_task_return_int (task, days);
}

/**
 * roster_client_get_restore_window_async:
 *
 * Reads for how many days deleted users can be restored (restoreWindowDays of GET
 * /Settings, which only administrators may read).
 */
void
roster_client_get_restore_window_async (RosterClient *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_task_set_source_tag (task, roster_client_get_restore_window_async);
  send_request (self, "GET", "/scim/v2/Settings", NULL, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), restore_window_cb));
}

/**
 * roster_client_get_restore_window_finish:
 *
 * Returns: the days, or 0 with @error set
 */
guint
roster_client_get_restore_window_finish (RosterClient *self, GAsyncResult *result,
                                         GError **error)
{
  gssize days;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  days = g_task_propagate_int (G_TASK (result), error);
  return days > 0 ? (guint) days : 0;
}

/* ------------------------------------------------------------- /Users/{id}/photo */

/* The photos kept in memory: enough for the rows a list shows and the page, few enough
 * that scrolling through 100,000 users never holds more than this. */
#define PHOTO_CACHE_MAX_BYTES (8 * 1024 * 1024)

typedef struct
{
  char *user_id; /* the key */
  char *version; /* the user's meta.version the photo belongs to */
  GBytes *bytes;
  GList *link;   /* in photo_order */
} PhotoEntry;

static void
photo_entry_free (gpointer data)
{
  PhotoEntry *entry = data;

  g_free (entry->user_id);
  g_free (entry->version);
  g_bytes_unref (entry->bytes);
  g_free (entry);
}

static void
photo_cache_drop (RosterClient *self, const char *user_id)
{
  PhotoEntry *entry = g_hash_table_lookup (self->photos, user_id);

  if (entry == NULL)
    return;
  g_queue_delete_link (&self->photo_order, entry->link);
  self->photo_bytes -= g_bytes_get_size (entry->bytes);
  g_hash_table_remove (self->photos, user_id);
}

static void
photo_cache_put (RosterClient *self, const char *user_id, const char *version, GBytes *bytes)
{
  PhotoEntry *entry;

  photo_cache_drop (self, user_id);
  if (g_bytes_get_size (bytes) > PHOTO_CACHE_MAX_BYTES / 4)
    return;
  entry = g_new0 (PhotoEntry, 1);
  entry->user_id = g_strdup (user_id);
  entry->version = g_strdup (version);
  entry->bytes = g_bytes_ref (bytes);
  g_queue_push_head (&self->photo_order, entry);
  entry->link = self->photo_order.head;
  g_hash_table_insert (self->photos, entry->user_id, entry);
  self->photo_bytes += g_bytes_get_size (bytes);
  while (self->photo_bytes > PHOTO_CACHE_MAX_BYTES)
    photo_cache_drop (self, ((PhotoEntry *) g_queue_peek_tail (&self->photo_order))->user_id);
}

static char *
photo_path (const char *user_id)
{
  g_autofree char *escaped = g_uri_escape_string (user_id, NULL, FALSE);

  return g_strconcat ("/scim/v2/Users/", escaped, "/photo", NULL);
}

typedef struct
{
  char *user_id;
  char *version;
} PhotoRequest;

static void
photo_request_free (PhotoRequest *request)
{
  g_free (request->user_id);
  g_free (request->version);
  g_free (request);
}

static void
get_photo_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  PhotoRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
    {
      /* Removed since the user was read: no photo, not a failure. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  photo_cache_put (self, request->user_id, request->version, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

/**
 * roster_client_get_photo_async:
 * @user: whose photo: its id, and its version, which says whether a kept copy is current
 *
 * Fetches the photo rosterd stores for @user (GET /Users/{id}/photo), a PNG. A user without
 * a photo costs no request, and a photo fetched before for the same version of the user is
 * answered from memory (a few megabytes of the most recently used).
 */
void
roster_client_get_photo_async (RosterClient *self, RosterUser *user, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  PhotoRequest *request;
  PhotoEntry *entry;
  g_autofree char *path = NULL;
  GTask *inner;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (user));

  g_task_set_source_tag (task, roster_client_get_photo_async);
  if (roster_user_get_id (user) == NULL || roster_user_get_string (user, "photo") == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  entry = g_hash_table_lookup (self->photos, roster_user_get_id (user));
  if (entry != NULL && g_strcmp0 (entry->version, roster_user_get_version (user)) == 0)
    {
      g_queue_unlink (&self->photo_order, entry->link);
      g_queue_push_head_link (&self->photo_order, entry->link);
      g_task_return_pointer (task, g_bytes_ref (entry->bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  request = g_new0 (PhotoRequest, 1);
  request->user_id = g_strdup (roster_user_get_id (user));
  request->version = g_strdup (roster_user_get_version (user));
  g_task_set_task_data (task, request, (GDestroyNotify) photo_request_free);
  path = photo_path (request->user_id);
  inner = g_task_new (self, cancellable, get_photo_cb, g_steal_pointer (&task));
  send_message (self, "GET", path, NULL, NULL, NULL, AUTH_BEARER, NULL, ANSWER_IMAGE, inner);
}

/**
 * roster_client_get_photo_finish:
 *
 * Returns: (transfer full) (nullable): the PNG, or %NULL without an error when the user has
 *   no photo
 */
GBytes *
roster_client_get_photo_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_photo_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterClient *self = g_task_get_source_object (task);
  PhotoRequest *request = g_task_get_task_data (task);

  photo_cache_drop (self, request->user_id);
  /* The answer is the changed user. */
  g_task_set_task_data (task, user_object_from_json, NULL);
  resource_cb (object, result, g_steal_pointer (&task));
}

/* What the bytes are, from their first bytes rather than the file's name. */
static const char *
photo_content_type (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  return NULL;
}

/**
 * roster_client_check_photo_size:
 * @size: a photo's size in bytes
 *
 * Returns: whether a photo of @size bytes may be sent; if not, @error says so in words
 */
gboolean
roster_client_check_photo_size (goffset size, GError **error)
{
  g_autofree char *have = NULL;
  g_autofree char *most = NULL;

  if (size <= ROSTER_CLIENT_PHOTO_MAX_SIZE)
    return TRUE;
  have = g_format_size (size);
  most = g_format_size (ROSTER_CLIENT_PHOTO_MAX_SIZE);
  /* Translators: the first %s is the file's size, the second the largest allowed ("1.0 MB") */
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_PAYLOAD_TOO_LARGE,
               _("This image is %s; a photo can be at most %s. Choose a smaller one."), have,
               most);
  return FALSE;
}

/* A file that cannot be read: said in words (the details go to the debug log). */
static void
return_read_error (GTask *task, GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("cannot read the photo: %s", error->message);
      g_clear_error (&error);
      g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_INVALID_VALUE,
                           _("The image could not be read."));
    }
  g_task_return_error (task, error);
}

/* Checks @bytes and sends them as the photo @task asks for; takes @task. */
static void
send_photo (GTask *task, GBytes *bytes)
{
  RosterClient *self = g_task_get_source_object (task);
  PhotoRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *type;
  GCancellable *cancellable;

  if (!roster_client_check_photo_size (g_bytes_get_size (bytes), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  type = photo_content_type (bytes);
  if (type == NULL)
    {
      g_task_return_new_error (task, ROSTER_ERROR, ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE, "%s",
                               _("This file is not a PNG or JPEG image."));
      g_object_unref (task);
      return;
    }
  path = photo_path (request->user_id);
  cancellable = g_task_get_cancellable (task);
  send_message (self, "PUT", path, NULL, type, bytes, AUTH_BEARER, NULL, ANSWER_JSON,
                g_task_new (self, cancellable, set_photo_sent_cb, task));
}

static void
set_photo_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      return_read_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_take (contents, length);
  /* Checked again there: the file may have grown since its size was read. */
  send_photo (g_steal_pointer (&task), bytes);
}

static void
set_photo_info_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  GCancellable *cancellable;

  if (info == NULL)
    {
      return_read_error (task, g_steal_pointer (&error));
      return;
    }
  /* A file too large for the server is refused before it is read, let alone sent. */
  if (!roster_client_check_photo_size (g_file_info_get_size (info), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_file_load_contents_async (G_FILE (object), cancellable, set_photo_loaded_cb,
                              g_steal_pointer (&task));
}

/**
 * roster_client_set_photo_async:
 * @file: a PNG or JPEG image of at most %ROSTER_CLIENT_PHOTO_MAX_SIZE bytes
 *
 * Reads @file asynchronously and uploads it as @user's photo (PUT /Users/{id}/photo);
 * rosterd crops, scales and re-encodes it. A larger file, or one that is not PNG or JPEG,
 * is refused with a translated error before anything is sent.
 */
void
roster_client_set_photo_async (RosterClient *self, RosterUser *user, GFile *file,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  PhotoRequest *request;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (user) && roster_user_get_id (user) != NULL);
  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, roster_client_set_photo_async);
  request = g_new0 (PhotoRequest, 1);
  request->user_id = g_strdup (roster_user_get_id (user));
  g_task_set_task_data (task, request, (GDestroyNotify) photo_request_free);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, cancellable, set_photo_info_cb,
                           g_steal_pointer (&task));
}

/**
 * roster_client_set_photo_bytes_async:
 * @bytes: a PNG or JPEG image of at most %ROSTER_CLIENT_PHOTO_MAX_SIZE bytes
 *
 * Uploads @bytes as @user's photo, as roster_client_set_photo_async() does a file's; finish
 * with roster_client_set_photo_finish().
 */
void
roster_client_set_photo_bytes_async (RosterClient *self, RosterUser *user, GBytes *bytes,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  GTask *task;
  PhotoRequest *request;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (user) && roster_user_get_id (user) != NULL);
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, roster_client_set_photo_async);
  request = g_new0 (PhotoRequest, 1);
  request->user_id = g_strdup (roster_user_get_id (user));
  g_task_set_task_data (task, request, (GDestroyNotify) photo_request_free);
  send_photo (task, bytes);
}

/**
 * roster_client_set_photo_finish:
 *
 * Returns: (transfer full): the user as the server stored it, with its new photo and version
 */
RosterUser *
roster_client_set_photo_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * roster_client_delete_photo_async:
 *
 * Removes @user's photo (DELETE /Users/{id}/photo). The user gets a new version: fetch it
 * again to show it.
 */
void
roster_client_delete_photo_async (RosterClient *self, RosterUser *user,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (ROSTER_IS_USER (user) && roster_user_get_id (user) != NULL);

  g_task_set_source_tag (task, roster_client_delete_photo_async);
  photo_cache_drop (self, roster_user_get_id (user));
  path = photo_path (roster_user_get_id (user));
  send_request (self, "DELETE", path, NULL, NULL, AUTH_BEARER,
                inner_task (self, g_steal_pointer (&task), done_cb));
}

gboolean
roster_client_delete_photo_finish (RosterClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------- joining groups (copies of users) */

typedef struct
{
  char *user_id;
  GStrv group_ids;
  guint next;
  GStrvBuilder *failed;
  GError *error; /* the first failure */
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_free (data->user_id);
  g_strfreev (data->group_ids);
  g_strv_builder_unref (data->failed);
  g_clear_error (&data->error);
  g_free (data);
}

static void join_next (GTask *task);

static void
join_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    {
      g_debug ("could not join group %s: %s", data->group_ids[data->next], error->message);
      g_strv_builder_add (data->failed, data->group_ids[data->next]);
      if (data->error == NULL)
        data->error = g_steal_pointer (&error);
    }
  data->next++;
  join_next (g_steal_pointer (&task));
}

static void
join_next (GTask *task)
{
  RosterClient *self = g_task_get_source_object (task);
  JoinData *data = g_task_get_task_data (task);

  if (data->group_ids[data->next] == NULL)
    {
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  send_member_patch (self, data->group_ids[data->next], NULL, data->user_id, TRUE,
                     g_task_new (self, g_task_get_cancellable (task), join_cb, task));
}

/**
 * roster_client_join_groups_async:
 * @group_ids: the groups and teams to add @user_id to
 *
 * Adds @user_id to each group in turn, one PATCH each (`add` of one member, without If-Match:
 * adding a member does not undo anyone's change to the group). A failure does not stop the
 * others; roster_client_join_groups_finish() says which failed.
 */
void
roster_client_join_groups_async (RosterClient *self, const char *user_id,
                                 const char *const *group_ids, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  JoinData *data = g_new0 (JoinData, 1);

  g_return_if_fail (ROSTER_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL && group_ids != NULL);

  g_task_set_source_tag (task, roster_client_join_groups_async);
  data->user_id = g_strdup (user_id);
  data->group_ids = g_strdupv ((GStrv) group_ids);
  data->failed = g_strv_builder_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);
  join_next (task);
}

/**
 * roster_client_join_groups_finish:
 * @failed: (out) (optional): the ids of the groups not joined (empty on success; on a
 *   cancellation, only those that failed before)
 *
 * Returns: whether every group was joined; else @error is the first failure
 */
gboolean
roster_client_join_groups_finish (RosterClient *self, GAsyncResult *result, GStrv *failed,
                                  GError **error)
{
  JoinData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  if (failed != NULL)
    *failed = g_strv_builder_end (data->failed);
  return g_task_propagate_boolean (G_TASK (result), error);
}
