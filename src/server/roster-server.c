/* roster-server.c: rosterd's service: the data dir, the store and the SoupServer
 *
 * The data dir holds roster.db, rosterd.lock (an exclusive flock, so one rosterd per dir),
 * rosterd.url (the base URL while running, for the desktop app to reuse) and, until setup is
 * done, setup-token. Requests pass through the route table below: match, authenticate,
 * check the body, then the handler. Only the main thread touches the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-permission.h"
#include "roster-router.h"
#include "roster-connection-reaper.h"
#include "roster-mail-sender.h"
#include "roster-server.h"
#include "roster-sqlite-store.h"
#include "roster-token.h"

struct _RosterServer
{
  GObject parent_instance;

  RosterConfig *config;
  RosterStore *store;
  SoupServer *soup;
  char *base_url;
  RosterConnectionReaper *reaper;
  char *url_path;
  char *setup_token_path;
  int lock_fd;
  gboolean wrote_url;
  guint sweep_id;
  RosterMailSender *mail_sender;
  guint kick_id;
};

G_DEFINE_FINAL_TYPE (RosterServer, roster_server, G_TYPE_OBJECT)

#define VIEW ROSTER_PERMISSION_USERS_VIEW
#define USERS ROSTER_PERMISSION_USERS_MANAGE
#define ROLES ROSTER_PERMISSION_ROLES_MANAGE
#define GROUPS ROSTER_PERMISSION_GROUPS_MANAGE

/* Who may do what: every /scim/v2 route needs a signed-in user, most a permission (see
 * docs/protocol.md); handlers check the finer rules (administrator-only changes). */
static const RosterRoute routes[] = {
  { "GET", "/setup", ROSTER_ROUTE_PUBLIC, roster_setup_handle_get },
  { "POST", "/setup", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_JSON_BODY, roster_setup_handle_post },
  { "POST", "/auth/token", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_JSON_BODY,
    roster_auth_handle_token_post },
  { "DELETE", "/auth/token", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_PASSWORD_CHANGE,
    roster_auth_handle_token_delete },
  { "POST", "/auth/password",
    ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_PASSWORD_CHANGE | ROSTER_ROUTE_JSON_BODY,
    roster_auth_handle_password_post },
  { "GET", "/scim/v2/Settings", ROSTER_ROUTE_ADMINISTRATOR, roster_settings_handle_get },
  { "PUT", "/scim/v2/Settings", ROSTER_ROUTE_ADMINISTRATOR | ROSTER_ROUTE_JSON_BODY,
    roster_settings_handle_put },
  { "GET", "/scim/v2/ServiceProviderConfig", ROSTER_ROUTE_SIGNED_IN,
    roster_discovery_handle_spc },
  { "GET", "/scim/v2/Schemas", ROSTER_ROUTE_SIGNED_IN, roster_discovery_handle_schemas },
  { "GET", "/scim/v2/Schemas/{id}", ROSTER_ROUTE_SIGNED_IN, roster_discovery_handle_schema },
  { "GET", "/scim/v2/ResourceTypes", ROSTER_ROUTE_SIGNED_IN,
    roster_discovery_handle_resource_types },
  { "GET", "/scim/v2/ResourceTypes/{id}", ROSTER_ROUTE_SIGNED_IN,
    roster_discovery_handle_resource_type },
  { "GET", "/scim/v2/Permissions", ROSTER_ROUTE_SIGNED_IN, roster_permissions_handle_list },
  { "GET", "/scim/v2/Users", ROSTER_ROUTE_SIGNED_IN, roster_users_handle_list, VIEW },
  { "POST", "/scim/v2/Users", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_create, USERS },
  { "POST", "/scim/v2/Users/.search", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_search, VIEW },
  { "GET", "/scim/v2/Users/{id}", ROSTER_ROUTE_SIGNED_IN, roster_users_handle_get, VIEW },
  { "PUT", "/scim/v2/Users/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_replace, USERS },
  { "PATCH", "/scim/v2/Users/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_patch, USERS },
  { "DELETE", "/scim/v2/Users/{id}", ROSTER_ROUTE_SIGNED_IN, roster_users_handle_delete, USERS },
  { "GET", "/scim/v2/Roles", ROSTER_ROUTE_SIGNED_IN, roster_roles_handle_list, VIEW, ROLES },
  { "POST", "/scim/v2/Roles", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_create, ROLES },
  { "GET", "/scim/v2/Roles/{id}", ROSTER_ROUTE_SIGNED_IN, roster_roles_handle_get, VIEW, ROLES },
  { "PUT", "/scim/v2/Roles/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_replace, ROLES },
  { "PATCH", "/scim/v2/Roles/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_patch, ROLES },
  { "DELETE", "/scim/v2/Roles/{id}", ROSTER_ROUTE_SIGNED_IN, roster_roles_handle_delete, ROLES },
  { "GET", "/scim/v2/Groups", ROSTER_ROUTE_SIGNED_IN, roster_groups_handle_list, VIEW, GROUPS },
  { "POST", "/scim/v2/Groups", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_create, GROUPS },
  { "GET", "/scim/v2/Groups/{id}", ROSTER_ROUTE_SIGNED_IN, roster_groups_handle_get, VIEW,
    GROUPS },
  { "PUT", "/scim/v2/Groups/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_replace, GROUPS },
  /* Members only, for user managers: the handler checks what else changes. */
  { "PATCH", "/scim/v2/Groups/{id}", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_patch, GROUPS, USERS },
  { "DELETE", "/scim/v2/Groups/{id}", ROSTER_ROUTE_SIGNED_IN, roster_groups_handle_delete,
    GROUPS },
  { "POST", "/scim/v2/Users/{id}/actions/unlock", ROSTER_ROUTE_ADMINISTRATOR,
    roster_user_actions_handle_unlock },
  { "POST", "/scim/v2/Users/{id}/actions/set-password",
    ROSTER_ROUTE_ADMINISTRATOR | ROSTER_ROUTE_JSON_BODY, roster_user_actions_handle_set_password },
  { "POST", "/scim/v2/Users/{id}/actions/logout-all", ROSTER_ROUTE_ADMINISTRATOR,
    roster_user_actions_handle_logout_all },
  { "POST", "/scim/v2/Users/{id}/actions/confirm", ROSTER_ROUTE_SIGNED_IN,
    roster_user_actions_handle_confirm, USERS },
  { "POST", "/scim/v2/Users/{id}/actions/resend-verification", ROSTER_ROUTE_SIGNED_IN,
    roster_user_actions_handle_resend_verification, USERS },
  { "POST", "/scim/v2/Users/{id}/actions/email-username", ROSTER_ROUTE_SIGNED_IN,
    roster_user_actions_handle_email_user_name, USERS },
  /* The invited user's page: the token in the query or the form is the credential. */
  { "GET", "/activate", ROSTER_ROUTE_PUBLIC, roster_activation_handle_get },
  { "POST", "/activate", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_RAW_BODY,
    roster_activation_handle_post },
  { "GET", "/scim/v2/Users/{id}/sessions", ROSTER_ROUTE_ADMINISTRATOR, roster_sessions_handle_list },
  { "DELETE", "/scim/v2/Users/{id}/sessions/{sessionId}", ROSTER_ROUTE_ADMINISTRATOR,
    roster_sessions_handle_delete },
#ifdef ROSTER_TEST_CLOCK
  { "POST", "/_test/clock", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_JSON_BODY,
    roster_test_clock_handle_post },
#endif
};

/* How often the inactivity sweep runs (it also runs at startup). */
#define SWEEP_INTERVAL_SECONDS 3600

#define BODY_KEY "roster-body"

/* The request body, collected by the early handler with a size cap. */
typedef struct
{
  GByteArray *data;
  gboolean too_large;
} Body;

static void
body_free (Body *body)
{
  g_byte_array_unref (body->data);
  g_free (body);
}

static void
roster_server_dispose (GObject *object)
{
  RosterServer *self = ROSTER_SERVER (object);

  roster_server_shutdown (self);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->kick_id, g_source_remove);
  g_clear_object (&self->mail_sender);
  g_clear_object (&self->reaper);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (roster_server_parent_class)->dispose (object);
}

static void
roster_server_finalize (GObject *object)
{
  RosterServer *self = ROSTER_SERVER (object);

  /* Closing the descriptor releases the flock; the lock file itself stays, since removing
   * it would race with a rosterd that is just opening it. */
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->config, roster_config_free);
  g_free (self->base_url);
  g_free (self->url_path);
  g_free (self->setup_token_path);
  G_OBJECT_CLASS (roster_server_parent_class)->finalize (object);
}

static void
roster_server_class_init (RosterServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_server_dispose;
  object_class->finalize = roster_server_finalize;
}

static void
roster_server_init (RosterServer *self)
{
  self->lock_fd = -1;
}

static gboolean
data_dir_error (RosterServer *self, int saved_errno, GError **error)
{
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("cannot use data directory %s: %s"),
               self->config->data_dir, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
prepare_data_dir (RosterServer *self, GError **error)
{
  const char *dir = self->config->data_dir;
  g_autofree char *lock_path = g_build_filename (dir, "rosterd.lock", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return data_dir_error (self, errno, error);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return data_dir_error (self, ENOTDIR, error);
  if (access (dir, W_OK | X_OK) != 0)
    return data_dir_error (self, errno, error);

  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (self->lock_fd < 0)
    return data_dir_error (self, errno, error);
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EWOULDBLOCK)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("data directory %s is in use by another rosterd"), dir);
          return FALSE;
        }
      return data_dir_error (self, saved_errno, error);
    }
  return TRUE;
}

/* Writes @token to DIR/setup-token, mode 0600 from the start: any stale file is removed and
 * the new one created exclusively, so nobody else can have it open. */
static gboolean
write_setup_token (RosterServer *self, const char *token, GError **error)
{
  g_autofree char *contents = g_strconcat (token, "\n", NULL);
  gsize length = strlen (contents), done = 0;
  int fd;

  if (g_unlink (self->setup_token_path) != 0 && errno != ENOENT)
    return data_dir_error (self, errno, error);
  fd = open (self->setup_token_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return data_dir_error (self, errno, error);
  while (done < length)
    {
      ssize_t n = write (fd, contents + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (self->setup_token_path);
          return data_dir_error (self, saved_errno, error);
        }
      done += (gsize) n;
    }
  explicit_bzero (contents, length);
  if (fsync (fd) != 0 || close (fd) != 0)
    return data_dir_error (self, errno, error);
  return TRUE;
}

/* Until setup is done, each start makes a new one-time setup token: only its hash goes to
 * the database, the token itself to a file only the owner can read. */
static gboolean
prepare_setup (RosterServer *self, GError **error)
{
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  gboolean done = FALSE;

  if (!roster_store_get_setup_done (self->store, &done, error))
    return FALSE;
  if (done)
    {
      /* A token file left over from a crash right after setup is useless: remove it. */
      g_unlink (self->setup_token_path);
      return TRUE;
    }

  token = roster_token_generate (error);
  if (token == NULL)
    return FALSE;
  hash = roster_token_hash (token);
  if (!roster_store_set_setup_token (self->store, hash, error)
      || !write_setup_token (self, token, error))
    {
      explicit_bzero (token, strlen (token));
      return FALSE;
    }
  explicit_bzero (token, strlen (token));
  g_printerr (_("rosterd: setup required: the one-time setup token is in %s\n"),
              self->setup_token_path);
  return TRUE;
}

/* The one place that decides whether @user may call a route with @flags; on refusal,
 * answers and returns FALSE. Only the administrator flag exists for now: fine-grained
 * permissions replace this function. */
/* Checks the bearer token; on failure, answers and returns FALSE. */
/* The caller's permissions: all for an administrator, else what roles, groups and
 * entitlements grant. */
static GHashTable *
caller_permissions (RosterServer *self, RosterUser *user, GError **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) grants = NULL;

  if (roster_user_get_administrator (user))
    {
      guint n = 0;
      const RosterPermission *all = roster_permission_get_all (&n);

      for (guint i = 0; i < n; i++)
        g_hash_table_add (set, g_strdup (all[i].id));
      return g_steal_pointer (&set);
    }
  grants = roster_store_get_grants (self->store, roster_user_get_id (user), error);
  if (grants == NULL)
    return NULL;
  for (guint i = 0; i < grants->len; i++)
    g_hash_table_add (set, g_strdup (((RosterGrant *) g_ptr_array_index (grants, i))->permission));
  return g_steal_pointer (&set);
}

/* Answers 403 and returns FALSE unless the caller has what @route needs. */
static gboolean
authorize (RosterRequest *request, const RosterRoute *route)
{
  if ((route->flags & ROSTER_ROUTE_ADMINISTRATOR) == ROSTER_ROUTE_ADMINISTRATOR
      && !roster_request_is_administrator (request))
    {
      roster_request_respond_error (request, ROSTER_ERROR_FORBIDDEN,
                                    _("Only administrators can do this"));
      return FALSE;
    }
  if (route->permission == NULL || roster_request_has_permission (request, route->permission)
      || (route->or_permission != NULL
          && roster_request_has_permission (request, route->or_permission)))
    return TRUE;
  roster_request_forbid (request, route->permission, NULL);
  return FALSE;
}

static gboolean
authenticate (RosterRequest *request, RosterRouteFlags flags)
{
  RosterServer *self = roster_request_get_server (request);
  SoupServerMessage *msg = roster_request_get_message (request);
  const char *header = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GDateTime) now = roster_clock_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) idle_until = NULL;
  g_autofree char *hash = NULL;
  GHashTable *permissions;
  RosterSettings settings;
  const char *token;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                    _("This request needs an access token: sign in first"));
      return FALSE;
    }
  token = header + 7;
  while (*token == ' ')
    token++;
  hash = roster_token_hash (token);
  session = roster_store_lookup_session (self->store, hash, now, &error);
  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  if (session == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                    _("The access token is not valid: sign in again"));
      return FALSE;
    }
  if (!roster_store_get_settings (self->store, &settings, &error))
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  idle_until = g_date_time_add_minutes (session->last_used, (int) settings.session_idle_minutes);
  if (roster_session_is_expired (session, now) || g_date_time_compare (now, idle_until) >= 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_TOKEN_EXPIRED,
                                    _("The access token has expired: sign in again"));
      return FALSE;
    }
  user = roster_store_get_user (self->store, session->user_id, &error);
  if (user == NULL && !g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  if (user == NULL || !roster_user_get_active (user)
      || roster_user_get_status (user) != ROSTER_USER_STATUS_ACTIVE)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                    _("This account cannot sign in"));
      return FALSE;
    }
  if (session->password_change_required && !(flags & ROSTER_ROUTE_PASSWORD_CHANGE))
    {
      roster_request_respond_error (request, ROSTER_ERROR_PASSWORD_CHANGE_REQUIRED,
                                    _("Change your password first (POST /auth/password)"));
      return FALSE;
    }
  permissions = caller_permissions (self, user, &error);
  if (permissions == NULL)
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  roster_request_set_session (request, g_steal_pointer (&session), user);
  roster_request_set_permissions (request, permissions);
  return TRUE;
}

static void
handle_request (RosterRequest *request, const RosterRoute *route)
{
  if ((route->flags & ROSTER_ROUTE_SIGNED_IN)
      && (!authenticate (request, route->flags) || !authorize (request, route)))
    return;

  if (route->flags & ROSTER_ROUTE_JSON_BODY)
    {
      SoupServerMessage *msg = roster_request_get_message (request);
      Body *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      if (body != NULL)
        bytes = g_bytes_new (body->data->data, body->data->len);
      if (!roster_request_read_body (request, bytes, body != NULL && body->too_large, &error))
        {
          roster_request_respond_gerror (request, error);
          return;
        }
    }

  if (route->flags & ROSTER_ROUTE_RAW_BODY)
    {
      SoupServerMessage *msg = roster_request_get_message (request);
      Body *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);

      if (body != NULL && body->too_large)
        {
          g_autofree char *detail = g_strdup_printf (
            _("The request body must be at most %d bytes"), ROSTER_REQUEST_MAX_BODY);

          roster_request_respond_error (request, ROSTER_ERROR_PAYLOAD_TOO_LARGE, detail);
          return;
        }
      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body->data->data, body->data->len);

          roster_request_set_raw_body (request, bytes);
        }
    }

  route->handler (request);
}

static void
server_callback (SoupServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer user_data)
{
  RosterServer *self = user_data;
  g_autoptr(RosterRequest) request = roster_request_new (self, msg, query);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *allow = NULL;
  char **params = NULL;
  const RosterRoute *route;

  route = roster_router_match (routes, G_N_ELEMENTS (routes), method, path, &params, &allow);
  if (route == NULL)
    {
      if (allow != NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("Use one of: %s"), allow);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        allow);
          roster_request_respond_error (request, ROSTER_ERROR_METHOD_NOT_ALLOWED, detail);
        }
      else
        roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND,
                                      _("There is nothing at this address"));
      return;
    }
  roster_request_set_params (request, params);
  handle_request (request, route);
}

static void
got_chunk_cb (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  Body *body = user_data;
  gsize size = g_bytes_get_size (chunk);

  if (body->too_large)
    return;
  if (body->data->len + size > ROSTER_REQUEST_MAX_BODY)
    {
      /* Keep reading (HTTP/1.1 needs the body consumed) but stop keeping it. */
      body->too_large = TRUE;
      g_byte_array_set_size (body->data, 0);
      return;
    }
  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), size);
}

/* Runs once the headers are in: refuses bodies declared too large before reading them, and
 * collects the rest with a cap instead of letting libsoup accumulate without limit. */
static void
early_callback (SoupServer *server, SoupServerMessage *msg, const char *path,
                GHashTable *query, gpointer user_data)
{
  RosterServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Body *body;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > ROSTER_REQUEST_MAX_BODY)
    {
      g_autoptr(RosterRequest) request = roster_request_new (self, msg, query);
      g_autofree char *detail = g_strdup_printf (
        _("The request body must be at most %d bytes"), ROSTER_REQUEST_MAX_BODY);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      roster_request_respond_error (request, ROSTER_ERROR_PAYLOAD_TOO_LARGE, detail);
      return;
    }

  body = g_new0 (Body, 1);
  body->data = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, body, (GDestroyNotify) body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), body);
}

/**
 * roster_server_new:
 *
 * Takes the data dir (creating it 0700), its lock and the database. Errors are one line for
 * the operator, naming the path.
 *
 * Returns: (transfer full): the server, not yet listening
 */
RosterServer *
roster_server_new (RosterConfig *config, GError **error)
{
  g_autoptr(RosterServer) self = g_object_new (ROSTER_TYPE_SERVER, NULL);
  g_autofree char *db_path = NULL;
  RosterSqliteStore *store;

  self->config = config;
  self->url_path = g_build_filename (config->data_dir, "rosterd.url", NULL);
  self->setup_token_path = g_build_filename (config->data_dir, "setup-token", NULL);
  if (!prepare_data_dir (self, error))
    return NULL;

  db_path = g_build_filename (config->data_dir, "roster.db", NULL);
  store = roster_sqlite_store_new (db_path, error);
  if (store == NULL)
    return NULL;
  self->store = ROSTER_STORE (store);
  self->mail_sender = roster_mail_sender_new (self->store, config);

  self->soup = soup_server_new ("server-header", "rosterd/" PACKAGE_VERSION " ", NULL);
  /* libsoup 3.2 leaks connections clients close while idle: see roster-connection-reaper.c */
  self->reaper = roster_connection_reaper_new (self->soup);
  soup_server_add_early_handler (self->soup, NULL, early_callback, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);
  return g_steal_pointer (&self);
}

static char *
format_address (RosterServer *self)
{
  if (strchr (self->config->listen_host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->config->listen_host, self->config->listen_port);
  return g_strdup_printf ("%s:%u", self->config->listen_host, self->config->listen_port);
}

/**
 * roster_server_sweep:
 *
 * Locks the active accounts nobody signed in to for inactivityLockDays (reason
 * "inactivity") and ends their sessions. Runs at startup and every hour.
 */
void
roster_server_sweep (RosterServer *self)
{
  g_autoptr(GError) error = NULL;
  RosterSettings settings;
  gint64 now = roster_clock_now (), locked;

  if (!roster_store_get_settings (self->store, &settings, &error))
    {
      g_warning ("Inactivity sweep: %s", error->message);
      return;
    }
  if (settings.inactivity_lock_days == 0)
    {
      roster_mail_sender_kick (self->mail_sender);
      return;
    }
  locked = roster_store_lock_inactive_users (self->store,
                                             now - settings.inactivity_lock_days * 86400, now,
                                             &error);
  if (locked < 0)
    g_warning ("Inactivity sweep: %s", error->message);
  else if (locked > 0)
    g_message ("Locked %" G_GINT64_FORMAT " accounts unused for %" G_GINT64_FORMAT " days",
               locked, settings.inactivity_lock_days);
  /* Mail whose retry became due (the clock may have moved). */
  roster_mail_sender_kick (self->mail_sender);
}

static gboolean
sweep_cb (gpointer user_data)
{
  roster_server_sweep (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * roster_server_listen:
 *
 * Listens on the configured address, makes a setup token if setup is not done, and writes
 * DIR/rosterd.url (mode 0600).
 */
gboolean
roster_server_listen (RosterServer *self, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->config->listen_host);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, self->config->listen_port);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *uri_string = NULL;
  GSList *uris;

  if (!soup_server_listen (self->soup, address, 0, &local_error))
    {
      g_autofree char *where = format_address (self);
      const char *reason = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
                             ? g_strerror (EADDRINUSE)
                             : local_error->message;

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("cannot listen on %s: %s"), where,
                   reason);
      return FALSE;
    }

  /* The setup token comes after the port, so a start that fails prints only its error; the
   * loop is not running yet, so no request can arrive before the token exists. */
  if (!prepare_setup (self, error))
    return FALSE;
  roster_server_sweep (self);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_SECONDS, sweep_cb, self);

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  uri_string = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (uri_string, "/"))
    uri_string[strlen (uri_string) - 1] = '\0';
  self->base_url = g_steal_pointer (&uri_string);

  contents = g_strconcat (self->base_url, "\n", NULL);
  if (!g_file_set_contents_full (self->url_path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("cannot write %s: %s"),
                   self->url_path, local_error->message);
      return FALSE;
    }
  self->wrote_url = TRUE;
  g_info ("Listening on %s", self->base_url);
  return TRUE;
}

/**
 * roster_server_shutdown:
 *
 * Stops listening and removes DIR/rosterd.url. Idempotent.
 */
void
roster_server_shutdown (RosterServer *self)
{
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  if (self->mail_sender != NULL)
    roster_mail_sender_shutdown (self->mail_sender);
  if (self->wrote_url)
    {
      g_unlink (self->url_path);
      self->wrote_url = FALSE;
    }
}

const char *
roster_server_get_base_url (RosterServer *self)
{
  return self->base_url;
}

RosterStore *
roster_server_get_store (RosterServer *self)
{
  return self->store;
}

gint64
roster_server_get_token_lifetime (RosterServer *self)
{
  return self->config->token_lifetime;
}

/**
 * roster_server_setup_completed:
 *
 * The setup token is spent: remove its file.
 */
void
roster_server_setup_completed (RosterServer *self)
{
  if (g_unlink (self->setup_token_path) != 0 && errno != ENOENT)
    g_warning ("Cannot remove %s: %s", self->setup_token_path, g_strerror (errno));
  g_message ("Setup is complete");
}

/**
 * roster_server_get_public_url:
 *
 * Returns: the base URL for links in mail: the config's public-url, else the listen URL
 */
const char *
roster_server_get_public_url (RosterServer *self)
{
  return self->config->public_url != NULL ? self->config->public_url : self->base_url;
}

const RosterConfig *
roster_server_get_config (RosterServer *self)
{
  return self->config;
}

static gboolean
kick_cb (gpointer user_data)
{
  RosterServer *self = user_data;

  self->kick_id = 0;
  roster_mail_sender_kick (self->mail_sender);
  return G_SOURCE_REMOVE;
}

/**
 * roster_server_kick_mail:
 *
 * Mail was queued: deliver it once the current transaction is over (from an idle, so a
 * rolled-back queueing finds nothing and costs nothing).
 */
void
roster_server_kick_mail (RosterServer *self)
{
  if (self->kick_id == 0)
    self->kick_id = g_idle_add (kick_cb, self);
}
