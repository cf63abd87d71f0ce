/* roster-users-handler.c: /scim/v2/Users (RFC 7644 §3.3, §3.4.1, §3.4.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-handlers.h"
#include "roster-password.h"
#include "roster-scim.h"
#include "roster-server.h"
#include "roster-validation.h"

#define DEFAULT_COUNT 100
#define MAX_COUNT 1000

static char *
user_location (RosterRequest *request, RosterUser *user)
{
  return g_strconcat (roster_server_get_base_url (roster_request_get_server (request)),
                      "/scim/v2/Users/", roster_user_get_id (user), NULL);
}

static void
respond_user (RosterRequest *request, guint status, RosterUser *user)
{
  SoupMessageHeaders *headers
    = soup_server_message_get_response_headers (roster_request_get_message (request));
  g_autofree char *location = user_location (request, user);
  g_autoptr(JsonNode) node = roster_user_to_json (user, NULL, location);

  if (status == 201)
    soup_message_headers_replace (headers, "Location", location);
  soup_message_headers_replace (headers, "ETag", roster_user_get_version (user));
  roster_request_respond_json (request, status, node);
}

/* RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0. Values that
 * are not integers get the default, as if they had not been sent. */
static gint64
query_integer (RosterRequest *request, const char *name, gint64 default_value)
{
  const char *str = roster_request_get_query (request, name);
  gint64 value;

  if (str == NULL || !g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return default_value;
  return value;
}

void
roster_users_handle_list (RosterRequest *request)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start_index, count;
  guint total = 0;

  if (roster_request_get_query (request, "filter") != NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_FILTER,
                                    _("Filtering is not supported yet"));
      return;
    }
  start_index = CLAMP (query_integer (request, "startIndex", 1), 1, G_MAXUINT);
  count = CLAMP (query_integer (request, "count", DEFAULT_COUNT), 0, MAX_COUNT);

  users = roster_store_list_users (roster_request_get_store (request), (guint) start_index,
                                   (guint) count, &total, &error);
  if (users == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < users->len; i++)
    {
      RosterUser *user = g_ptr_array_index (users, i);
      g_autofree char *location = user_location (request, user);

      g_ptr_array_add (resources, roster_user_to_json (user, NULL, location));
    }
  list = roster_scim_list_new (resources, total, (guint) start_index);
  roster_request_respond_json (request, 200, list);
}

typedef struct
{
  RosterRequest *request;
  RosterUser *user;
} Create;

static void
create_free (Create *create)
{
  roster_request_unref (create->request);
  g_object_unref (create->user);
  g_free (create);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Create, create_free)

static void
store_user (RosterRequest *request, RosterUser *user, const char *password_hash)
{
  g_autoptr(RosterUser) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = roster_store_create_user (roster_request_get_store (request), user, password_hash,
                                     &error);
  if (stored == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("Created user %s", roster_user_get_id (stored));
  respond_user (request, 201, stored);
}

static void
hashed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Create) create = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = roster_password_hash_finish (result, &error);

  if (password_hash == NULL)
    {
      roster_request_respond_gerror (create->request, error);
      return;
    }
  store_user (create->request, create->user, password_hash);
}

void
roster_users_handle_create (RosterRequest *request)
{
  JsonObject *body = roster_request_get_body (request);
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;
  Create *create;

  /* id and meta are read-only (RFC 7643 §3.1): the store ignores what the client sent. */
  user = roster_user_new_from_json (body, &error);
  if (user == NULL || !roster_validate_user_name (roster_user_get_user_name (user), &error)
      || (roster_user_get_email (user) != NULL
          && !roster_validate_email (roster_user_get_email (user), &error)))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  password = roster_json_get_string (body, "password", &error);
  if (error != NULL || (password != NULL && !roster_validate_password (password, &error)))
    {
      roster_request_respond_gerror (request, error);
      return;
    }

  if (password == NULL)
    {
      store_user (request, user, NULL);
      return;
    }

  create = g_new0 (Create, 1);
  create->request = roster_request_ref (request);
  create->user = g_steal_pointer (&user);
  roster_request_pause (request);
  roster_password_hash_async (password, NULL, hashed_cb, create);
}

void
roster_users_handle_get (RosterRequest *request)
{
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = roster_store_get_user (roster_request_get_store (request),
                                roster_request_get_param (request, 0), &error);
  if (user == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  respond_user (request, 200, user);
}
