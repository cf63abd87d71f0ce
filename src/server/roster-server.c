/* roster-server.c: rosterd's service: the data dir, the store and the SoupServer
 *
 * The data dir holds roster.db, rosterd.lock (an exclusive flock, so one rosterd per dir),
 * secret.key (what seals two-factor secrets in roster.db, roster-secret-box.c), rosterd.url
 * (the base URL while running, for the desktop app to reuse) and, until setup is done,
 * setup-token. Requests pass through the route table below: match, authenticate,
 * check the body, then the handler. Only the main thread touches the store.
 *
 * With --workers N, N processes serve (roster-worker-pool.c): roster_server_prepare() binds
 * one listening socket per process (SO_REUSEPORT, so the kernel spreads connections and no
 * process ever waits on another's accept) and readies the database, holding no connection;
 * after the fork each process's roster_server_listen() opens its own.
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
#include <netinet/in.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "roster-audit.h"
#include "roster-clock.h"
#include "roster-handlers.h"
#include "roster-permission.h"
#include "roster-reference.h"
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
  GPtrArray *sockets; /* GSocket, one per process, bound and listening */
  guint index;        /* this process's: 0 is the primary */
  RosterMailSender *mail_sender;
  guint kick_id;
  RosterRenderCache *render_cache;
  RosterSecretBox *secrets;
};

G_DEFINE_FINAL_TYPE (RosterServer, roster_server, G_TYPE_OBJECT)

#define VIEW ROSTER_PERMISSION_USERS_VIEW
#define USERS ROSTER_PERMISSION_USERS_MANAGE
#define ROLES ROSTER_PERMISSION_ROLES_MANAGE
#define GROUPS ROSTER_PERMISSION_GROUPS_MANAGE
#define PHOTOS ROSTER_PERMISSION_PHOTOS_MANAGE
#define SIGNED_IN ROSTER_ROUTE_SIGNED_IN
#define BULK ROSTER_ROUTE_BULK
#define READ (ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_READ_ONLY)
#define AUDIT ROSTER_PERMISSION_AUDIT_VIEW

/* Who may do what: every /scim/v2 route needs a signed-in user, most a permission (see
 * docs/protocol.md); handlers check the finer rules (administrator-only changes). */
static const RosterRoute routes[] = {
  { "GET", "/setup", ROSTER_ROUTE_PUBLIC, roster_setup_handle_get },
  { "POST", "/setup", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_JSON_BODY, roster_setup_handle_post },
  { "POST", "/auth/token", ROSTER_ROUTE_PUBLIC | ROSTER_ROUTE_JSON_BODY,
    roster_auth_handle_token_post },
  { "DELETE", "/auth/token",
    ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_PASSWORD_CHANGE | ROSTER_ROUTE_TWO_FACTOR_SETUP,
    roster_auth_handle_token_delete },
  { "POST", "/auth/totp", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_TWO_FACTOR_SETUP,
    roster_totp_handle_enrol },
  { "POST", "/auth/totp/confirm",
    ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_TWO_FACTOR_SETUP | ROSTER_ROUTE_JSON_BODY,
    roster_totp_handle_confirm },
  { "POST", "/auth/password",
    ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_PASSWORD_CHANGE | ROSTER_ROUTE_JSON_BODY,
    roster_auth_handle_password_post },
  { "GET", "/scim/v2/Settings", ROSTER_ROUTE_ADMINISTRATOR, roster_settings_handle_get },
  { "PUT", "/scim/v2/Settings", ROSTER_ROUTE_ADMINISTRATOR | ROSTER_ROUTE_JSON_BODY,
    roster_settings_handle_put },
  { "GET", "/scim/v2/ServiceProviderConfig", READ,
    roster_discovery_handle_spc },
  { "GET", "/scim/v2/Schemas", READ, roster_discovery_handle_schemas },
  { "GET", "/scim/v2/Schemas/{id}", READ, roster_discovery_handle_schema },
  { "GET", "/scim/v2/ResourceTypes", READ,
    roster_discovery_handle_resource_types },
  { "GET", "/scim/v2/ResourceTypes/{id}", READ,
    roster_discovery_handle_resource_type },
  { "GET", "/scim/v2/Permissions", READ, roster_permissions_handle_list },
  /* Each operation checks the permission of its own route (roster_server_dispatch()). */
  { "POST", "/scim/v2/Bulk", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_bulk_handle_post },
  { "GET", "/scim/v2/Users", READ, roster_users_handle_list, VIEW },
  { "POST", "/scim/v2/Users", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_create, USERS },
  { "POST", "/scim/v2/Users/.search", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_search, VIEW },
  { "GET", "/scim/v2/Users/{id}", READ, roster_users_handle_get, VIEW },
  { "PUT", "/scim/v2/Users/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_replace, USERS },
  { "PATCH", "/scim/v2/Users/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_users_handle_patch, USERS },
  { "DELETE", "/scim/v2/Users/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_OPTIONAL_BODY,
    roster_users_handle_delete, USERS },
  { "GET", "/scim/v2/Users/{id}/ownership", ROSTER_ROUTE_SIGNED_IN,
    roster_records_handle_ownership, VIEW },
  /* Each kind needs its own .view or .manage permission: the handlers check which. */
  { "GET", "/scim/v2/Records", ROSTER_ROUTE_SIGNED_IN, roster_records_handle_list },
  { "POST", "/scim/v2/Records", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_records_handle_create },
  { "GET", "/scim/v2/DeletedUsers", READ, roster_deleted_users_handle_list,
    VIEW },
  { "GET", "/scim/v2/DeletedUsers/{id}", READ,
    roster_deleted_users_handle_get, VIEW },
  { "POST", "/scim/v2/DeletedUsers/{id}/restore",
    ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_OPTIONAL_BODY, roster_deleted_users_handle_restore,
    USERS },
  { "GET", "/scim/v2/Roles", READ, roster_roles_handle_list, VIEW, ROLES },
  { "POST", "/scim/v2/Roles", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_create, ROLES },
  { "POST", "/scim/v2/Roles/.search", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_search, VIEW, ROLES },
  { "GET", "/scim/v2/Roles/{id}", READ, roster_roles_handle_get, VIEW, ROLES },
  { "PUT", "/scim/v2/Roles/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_replace, ROLES },
  { "PATCH", "/scim/v2/Roles/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_roles_handle_patch, ROLES },
  { "DELETE", "/scim/v2/Roles/{id}", SIGNED_IN | BULK, roster_roles_handle_delete, ROLES },
  { "GET", "/scim/v2/Groups", READ, roster_groups_handle_list, VIEW, GROUPS },
  { "POST", "/scim/v2/Groups", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_create, GROUPS },
  { "POST", "/scim/v2/Groups/.search", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_search, VIEW, GROUPS },
  { "GET", "/scim/v2/Groups/{id}", READ, roster_groups_handle_get, VIEW,
    GROUPS },
  { "PUT", "/scim/v2/Groups/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_replace, GROUPS },
  /* Members only, for user managers: the handler checks what else changes. */
  { "PATCH", "/scim/v2/Groups/{id}", SIGNED_IN | BULK | ROSTER_ROUTE_JSON_BODY,
    roster_groups_handle_patch, GROUPS, USERS },
  { "DELETE", "/scim/v2/Groups/{id}", SIGNED_IN | BULK, roster_groups_handle_delete,
    GROUPS },
  { "GET", "/scim/v2/Users/{id}/photo", ROSTER_ROUTE_SIGNED_IN, roster_photo_handle_get, VIEW },
  { "PUT", "/scim/v2/Users/{id}/photo", ROSTER_ROUTE_SIGNED_IN, roster_photo_handle_put, PHOTOS,
    USERS },
  { "DELETE", "/scim/v2/Users/{id}/photo", ROSTER_ROUTE_SIGNED_IN, roster_photo_handle_delete,
    PHOTOS, USERS },
  /* Read-only: the router answers 405 to any other method. */
  { "GET", "/scim/v2/AuditEvents", READ, roster_audit_events_handle_list, AUDIT },
  { "POST", "/scim/v2/AuditEvents/.search", ROSTER_ROUTE_SIGNED_IN | ROSTER_ROUTE_JSON_BODY,
    roster_audit_events_handle_search, AUDIT },
  { "GET", "/scim/v2/AuditEvents/{id}", READ, roster_audit_events_handle_get,
    AUDIT },
  { "POST", "/scim/v2/Users/{id}/actions/unlock", ROSTER_ROUTE_ADMINISTRATOR,
    roster_user_actions_handle_unlock },
  { "POST", "/scim/v2/Users/{id}/actions/set-password",
    ROSTER_ROUTE_ADMINISTRATOR | ROSTER_ROUTE_JSON_BODY, roster_user_actions_handle_set_password },
  { "POST", "/scim/v2/Users/{id}/actions/logout-all", ROSTER_ROUTE_ADMINISTRATOR,
    roster_user_actions_handle_logout_all },
  { "POST", "/scim/v2/Users/{id}/actions/reset-two-factor", ROSTER_ROUTE_ADMINISTRATOR,
    roster_user_actions_handle_reset_two_factor },
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
  { "GET", "/_test/render-cache", ROSTER_ROUTE_PUBLIC, roster_test_cache_handle_get },
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
  g_clear_pointer (&self->render_cache, roster_render_cache_free);
  g_clear_pointer (&self->secrets, roster_secret_box_unref);
  g_free (self->base_url);
  g_free (self->url_path);
  g_free (self->setup_token_path);
  g_ptr_array_unref (self->sockets);
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
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->render_cache = roster_render_cache_new (ROSTER_RENDER_CACHE_MAX_BYTES);
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

/* The session's account, its state and its permissions (takes @session_in); on failure,
 * answers and returns FALSE. */
static gboolean
authenticate_session (RosterRequest *request, RosterRouteFlags flags, RosterSession *session_in,
                      GDateTime *now)
{
  RosterServer *self = roster_request_get_server (request);
  g_autoptr(RosterSession) session = session_in;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) idle_until = NULL;
  GHashTable *permissions;
  RosterSettings settings;

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
  if (settings.require_two_factor_admins && roster_user_get_administrator (user)
      && !(flags & ROSTER_ROUTE_TWO_FACTOR_SETUP))
    {
      g_auto(RosterTotpState) totp = { 0 };

      if (!roster_store_get_totp (self->store, session->user_id, &totp, &error))
        {
          roster_request_respond_gerror (request, error);
          return FALSE;
        }
      if (totp.secret == NULL)
        {
          roster_request_respond_error (request, ROSTER_ERROR_TWO_FACTOR_SETUP_REQUIRED,
                                        _("Administrators must sign in with two factors: set "
                                          "it up first (POST /auth/totp)"));
          return FALSE;
        }
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

/* Checks the bearer token in a read transaction of the store, and leaves it open on success
 * (the caller commits it, see finish_read()); on failure, answers and returns FALSE with the
 * transaction closed. @touch_due: whether the session's last use is to be recorded. */
static gboolean
authenticate (RosterRequest *request, RosterRouteFlags flags, gboolean *touch_due)
{
  RosterServer *self = roster_request_get_server (request);
  SoupServerMessage *msg = roster_request_get_message (request);
  const char *header = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(GDateTime) now = roster_clock_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
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

  /* The session, its account, the settings and the permissions in one read transaction:
   * each transaction costs SQLite locks and a WAL read mark. */
  if (!roster_store_begin_read (self->store, &error))
    {
      roster_request_respond_gerror (request, error);
      return FALSE;
    }
  session = roster_store_lookup_session (self->store, hash, &error);
  if (session == NULL)
    {
      roster_store_rollback (self->store);
      if (error != NULL)
        roster_request_respond_gerror (request, error);
      else
        roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                      _("The access token is not valid: sign in again"));
      return FALSE;
    }
  *touch_due = roster_session_touch_due (session, now);
  if (!authenticate_session (request, flags, g_steal_pointer (&session), now))
    {
      roster_store_rollback (self->store);
      return FALSE;
    }
  return TRUE;
}

/* Ends authentication's read transaction; on failure, answers (unless the handler already
 * has) and returns FALSE. Then records the session's use if it is due: a write of its own,
 * at most once a minute. Its failure costs the idle timeout a minute at most, not the
 * request. */
static gboolean
finish_read (RosterRequest *request, gboolean touch_due, gboolean answered)
{
  RosterServer *self = roster_request_get_server (request);
  g_autoptr(GError) error = NULL;

  if (!roster_store_commit (self->store, &error))
    {
      roster_store_rollback (self->store);
      if (answered)
        g_warning ("Could not end a read: %s", error->message); /* nothing was written */
      else
        roster_request_respond_gerror (request, error);
      return FALSE;
    }
  if (touch_due)
    {
      g_autoptr(GDateTime) now = roster_clock_now_utc ();

      g_clear_error (&error);
      if (!roster_store_touch_session (self->store, roster_request_get_token_hash (request), now,
                                       &error))
        g_warning ("Could not record a session's use: %s", error->message);
    }
  return TRUE;
}

/* 413, in the words of RFC 7644 §3.7.4 for /Bulk. */
static void
respond_too_large (RosterRequest *request, const char *path)
{
  g_autofree char *detail = NULL;

  if (g_str_equal (path, "/scim/v2/Bulk"))
    detail = g_strdup_printf (_("The size of the bulk operation exceeds the maxPayloadSize (%d)"),
                              ROSTER_BULK_MAX_PAYLOAD_SIZE);
  else
    detail = g_strdup_printf (_("The request body must be at most %d bytes"),
                              ROSTER_REQUEST_MAX_BODY);
  roster_request_respond_error (request, ROSTER_ERROR_PAYLOAD_TOO_LARGE, detail);
}

static void
handle_request (RosterRequest *request, const RosterRoute *route)
{
  gboolean touch_due = FALSE;

  /* A read-only route is a GET without a body (its handler runs before any body is read). */
  g_return_if_fail (!(route->flags & ROSTER_ROUTE_READ_ONLY)
                    || !(route->flags & (ROSTER_ROUTE_JSON_BODY | ROSTER_ROUTE_OPTIONAL_BODY
                                         | ROSTER_ROUTE_RAW_BODY)));

  if (route->flags & ROSTER_ROUTE_SIGNED_IN)
    {
      if (!authenticate (request, route->flags, &touch_due))
        return;
      if (!authorize (request, route))
        {
          roster_store_rollback (roster_server_get_store (roster_request_get_server (request)));
          return;
        }
      /* A reading handler runs in authentication's transaction: one snapshot, one set of
       * locks. Any other may write, and a read transaction turned into a write fails at once
       * when another process wrote since it began: it gets a transaction of its own. */
      if (route->flags & ROSTER_ROUTE_READ_ONLY)
        {
          route->handler (request);
          finish_read (request, touch_due, TRUE);
          return;
        }
      if (!finish_read (request, touch_due, FALSE))
        return;
    }

  if (route->flags & (ROSTER_ROUTE_JSON_BODY | ROSTER_ROUTE_OPTIONAL_BODY))
    {
      SoupServerMessage *msg = roster_request_get_message (request);
      Body *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      if (!(route->flags & ROSTER_ROUTE_JSON_BODY)
          && (body == NULL || (body->data->len == 0 && !body->too_large)))
        {
          route->handler (request);
          return;
        }
      if (body != NULL)
        bytes = g_bytes_new (body->data->data, body->data->len);
      if (!roster_request_read_body (request, bytes, body != NULL && body->too_large, &error))
        {
          if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_PAYLOAD_TOO_LARGE))
            respond_too_large (request, route->pattern);
          else
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

/**
 * roster_server_dup_request_body:
 * @too_large: (out): whether the body went past ROSTER_REQUEST_MAX_BODY (then it was dropped)
 *
 * The raw body of @msg, for handlers whose body is not JSON (photos).
 *
 * Returns: (transfer full) (nullable): the body, %NULL when too large or absent
 */
GBytes *
roster_server_dup_request_body (SoupServerMessage *msg, gboolean *too_large)
{
  Body *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);

  *too_large = body != NULL && body->too_large;
  if (body == NULL || body->too_large || body->data->len == 0)
    return NULL;
  return g_bytes_new (body->data->data, body->data->len);
}

/**
 * roster_server_dispatch:
 * @request: a sub-request (roster_request_new_sub()) with its body, if any, set
 * @method: the operation's method
 * @path: the operation's path under /scim/v2 ("/Users/2819c223")
 *
 * Runs one operation of a Bulk request through the route table, as if it had come over
 * HTTP: the same handler, the same permission checks. The caller's session and account are
 * read again first, so an earlier operation that took a permission away, deactivated the
 * caller or ended their sessions counts.
 * @request is answered, now or later, through its done function.
 */
void
roster_server_dispatch (RosterServer *self, RosterRequest *request, const char *method,
                        const char *path)
{
  const char *question = strchr (path, '?');
  g_autofree char *bare = question != NULL ? g_strndup (path, (gsize) (question - path))
                                           : g_strdup (path);
  g_autofree char *full = g_strconcat ("/scim/v2", bare, NULL);
  g_autofree char *allow = NULL;
  g_autoptr(RosterSession) session = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(GError) error = NULL;
  char **params = NULL;
  const RosterRoute *route;
  GHashTable *permissions;

  g_return_if_fail (roster_request_is_sub (request));
  /* A path may carry query parameters, e.g. "/Users?sendInvitation=true". */
  if (question != NULL)
    {
      g_autoptr(GHashTable) query = g_uri_parse_params (question + 1, -1, "&",
                                                        G_URI_PARAMS_NONE, NULL);

      if (query == NULL)
        {
          roster_request_respond_error (request, ROSTER_ERROR_INVALID_PATH,
                                        _("The operation’s path has a malformed query"));
          return;
        }
      roster_request_set_query (request, query);
    }
  route = roster_router_match (routes, G_N_ELEMENTS (routes), method, full, &params, &allow);
  if (route == NULL && allow == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_NOT_FOUND,
                                    _("There is nothing at this address"));
      return;
    }
  roster_request_set_params (request, params);
  if (route == NULL || !(route->flags & ROSTER_ROUTE_BULK))
    {
      roster_request_respond_error (request, ROSTER_ERROR_METHOD_NOT_ALLOWED,
                                    _("A bulk operation can only create, replace, change or "
                                      "delete users, groups and roles"));
      return;
    }

  session = roster_store_lookup_session (self->store, roster_request_get_token_hash (request),
                                         &error);
  if (error != NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (session == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                    _("The access token is not valid: sign in again"));
      return;
    }
  user = roster_store_get_user (self->store, session->user_id, &error);
  if (user == NULL && !g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  if (user == NULL || !roster_user_get_active (user)
      || roster_user_get_status (user) != ROSTER_USER_STATUS_ACTIVE)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNAUTHENTICATED,
                                    _("This account cannot sign in"));
      return;
    }
  permissions = caller_permissions (self, user, &error);
  if (permissions == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_request_set_session (request, g_steal_pointer (&session), user);
  roster_request_set_permissions (request, permissions);
  if (!authorize (request, route))
    return;
  if ((route->flags & ROSTER_ROUTE_JSON_BODY) && !roster_request_has_body (request))
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_SYNTAX,
                                    _("This operation needs “data”, a JSON object"));
      return;
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

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_too_large (request, path);
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
 * Takes the data dir (creating it 0700) and its lock. Errors are one line for the operator,
 * naming the path.
 *
 * Returns: (transfer full): the server, without its database (roster_server_open_store())
 *   and not yet listening
 */
RosterServer *
roster_server_new (RosterConfig *config, GError **error)
{
  g_autoptr(RosterServer) self = g_object_new (ROSTER_TYPE_SERVER, NULL);

  self->config = config;
  self->url_path = g_build_filename (config->data_dir, "rosterd.url", NULL);
  self->setup_token_path = g_build_filename (config->data_dir, "setup-token", NULL);
  if (!prepare_data_dir (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * roster_server_open_store:
 *
 * Opens this process's connection to DIR/roster.db, or to the PostgreSQL database the
 * configuration names, migrating it if needed.
 */
gboolean
roster_server_open_store (RosterServer *self, GError **error)
{
  g_autofree char *db_path = g_build_filename (self->config->data_dir, "roster.db", NULL);
  RosterSqliteStore *store;

  g_return_val_if_fail (self->store == NULL, FALSE);
  /* The key that seals TOTP secrets, made at the first start (roster-secret-box.c). */
  if (self->secrets == NULL)
    {
      g_autofree char *key_path = g_build_filename (self->config->data_dir, "secret.key", NULL);

      self->secrets = roster_secret_box_new_for_file (key_path, error);
      if (self->secrets == NULL)
        return FALSE;
    }
  /* Every rosterd of one PostgreSQL database must share DATA_DIR/secret.key (above). */
  if (self->config->database != NULL)
    store = roster_sqlite_store_new_postgres (self->config->database, self->secrets, error);
  else
    store = roster_sqlite_store_new (db_path, self->secrets, error);
  if (store == NULL)
    return FALSE;
  self->store = ROSTER_STORE (store);
  return TRUE;
}

static char *
format_address (RosterServer *self)
{
  if (strchr (self->config->listen_host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->config->listen_host, self->config->listen_port);
  return g_strdup_printf ("%s:%u", self->config->listen_host, self->config->listen_port);
}

/* Locks the accounts unused since before @cutoff, each with its "lock" event, without an
 * actor, in one transaction. Returns how many, or -1. */
static gint64
lock_inactive (RosterStore *store, gint64 cutoff, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) users = NULL;
  gint64 locked;

  if (!roster_store_begin (store, error))
    return -1;
  users = roster_store_list_inactive_users (store, cutoff, error);
  if (users == NULL
      || (locked = roster_store_lock_inactive_users (store, cutoff, now, error)) < 0)
    {
      roster_store_rollback (store);
      return -1;
    }
  for (guint i = 0; i < users->len; i++)
    {
      RosterReference *user = g_ptr_array_index (users, i);

      if (!roster_audit_record_lock (store, user->id, "inactivity", now, error))
        {
          roster_store_rollback (store);
          return -1;
        }
    }
  if (!roster_store_commit (store, error))
    {
      roster_store_rollback (store);
      return -1;
    }
  return locked;
}

/* Purges the deleted users whose restore window is over, each with its audit event. */
static void
purge_deleted (RosterServer *self, gint64 now)
{
  g_autoptr(GPtrArray) purged = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (self->store, &error))
    {
      g_warning ("Purge sweep: %s", error->message);
      return;
    }
  purged = roster_store_purge_deleted_users (self->store, now, &error);
  for (guint i = 0; purged != NULL && i < purged->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (purged, i);

      if (!roster_audit_record_system (self->store, "purge", "User",
                                       json_object_get_string_member (entry, "id"),
                                       json_object_get_string_member (entry, "userName"), NULL,
                                       NULL, &error))
        g_clear_pointer (&purged, g_ptr_array_unref);
    }
  if (purged == NULL || !roster_store_commit (self->store, &error))
    {
      roster_store_rollback (self->store);
      g_warning ("Purge sweep: %s", error->message);
      return;
    }
  if (purged->len > 0)
    g_message ("Purged %u deleted users", purged->len);
}

/**
 * roster_server_sweep:
 *
 * Purges the deleted users past their restore window, forgets the tags of names refused
 * sign-ins were for after a day, locks the active accounts nobody signed in to for
 * inactivityLockDays (reason "inactivity") and ends their sessions. Runs at startup and
 * every hour.
 */
void
roster_server_sweep (RosterServer *self)
{
  g_autoptr(GError) error = NULL;
  RosterSettings settings;
  gint64 now = roster_clock_now (), locked;

  purge_deleted (self, now);
  if (!roster_auth_forget_refusals (self->store, now, &error))
    {
      g_warning ("Refused sign-ins sweep: %s", error->message);
      g_clear_error (&error);
    }
  if (!roster_store_get_settings (self->store, &settings, &error))
    {
      g_warning ("Inactivity sweep: %s", error->message);
      return;
    }
  if (settings.inactivity_lock_days == 0)
    {
      if (self->mail_sender != NULL)
        roster_mail_sender_kick (self->mail_sender);
      return;
    }
  locked = lock_inactive (self->store, now - settings.inactivity_lock_days * 86400, now, &error);
  if (locked < 0)
    g_warning ("Inactivity sweep: %s", error->message);
  else if (locked > 0)
    g_message ("Locked %" G_GINT64_FORMAT " accounts unused for %" G_GINT64_FORMAT " days",
               locked, settings.inactivity_lock_days);
  /* Mail whose retry became due (the clock may have moved). */
  if (self->mail_sender != NULL)
    roster_mail_sender_kick (self->mail_sender);
}

static gboolean
sweep_cb (gpointer user_data)
{
  roster_server_sweep (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
listen_error (RosterServer *self, GError *local_error, GError **error)
{
  g_autofree char *where = format_address (self);
  const char *reason = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
                         ? g_strerror (EADDRINUSE)
                         : local_error->message;

  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("cannot listen on %s: %s"), where,
               reason);
  g_error_free (local_error);
  return FALSE;
}

/* A listening TCP socket on @address; @shared (SO_REUSEPORT) lets the other processes'
 * sockets bind the same port. */
static GSocket *
listen_on (GSocketAddress *address, gboolean shared, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                                            error);

  if (socket == NULL)
    return NULL;
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return NULL;
  if (!shared)
    {
      if (!g_socket_bind (socket, address, TRUE, error))
        return NULL;
    }
  else
    {
      /* g_socket_bind() turns SO_REUSEPORT off for TCP: bind the descriptor directly. */
      struct sockaddr_storage native;
      gssize length = g_socket_address_get_native_size (address);

      if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, error)
          || !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, TRUE, error)
          || length < 0 || !g_socket_address_to_native (address, &native, sizeof native, error))
        return NULL;
      if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) length) != 0)
        {
          int saved_errno = errno;

          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return NULL;
        }
    }
  /* GLib's default backlog is 10: too few for a burst of new connections. */
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

/* Binds one listening socket per process. Several share the port with SO_REUSEPORT; since
 * any other socket of the same user with that option could join them, the port is first
 * taken by a socket without it (which fails if anything holds the port), then handed over. */
static gboolean
bind_sockets (RosterServer *self, guint n_processes, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->config->listen_host);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, self->config->listen_port);
  g_autoptr(GSocket) probe = NULL;
  GError *local_error = NULL;

  if (n_processes > 1)
    {
      probe = listen_on (address, FALSE, &local_error);
      if (probe == NULL)
        return listen_error (self, local_error, error);
      /* The port the kernel picked, for port 0. */
      g_clear_object (&address);
      address = g_socket_get_local_address (probe, &local_error);
      if (address == NULL)
        return listen_error (self, local_error, error);
      g_socket_close (probe, NULL);
    }
  for (guint i = 0; i < n_processes; i++)
    {
      GSocket *socket = listen_on (address, n_processes > 1, &local_error);

      if (socket == NULL)
        return listen_error (self, local_error, error);
      g_ptr_array_add (self->sockets, socket);
    }
  return TRUE;
}

/**
 * roster_server_prepare:
 * @n_processes: how many processes will serve (--workers)
 *
 * Binds the listening sockets, migrates the database and makes a setup token if setup is
 * not done. Holds no database connection afterwards, so the caller may fork.
 */
gboolean
roster_server_prepare (RosterServer *self, guint n_processes, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (n_processes >= 1 && self->sockets->len == 0, FALSE);
  /* The setup token comes after the port, so a start that fails prints only its error; no
   * process listens yet, so no request can arrive before the token exists. */
  if (!bind_sockets (self, n_processes, error) || !roster_server_open_store (self, error))
    return FALSE;
  ok = prepare_setup (self, error);
  g_clear_object (&self->store);
  return ok;
}

/**
 * roster_server_is_primary:
 *
 * Returns: whether this is the first of rosterd's processes, the one that runs what must
 *   run once (the sweeps, background senders) and owns rosterd.url
 */
gboolean
roster_server_is_primary (RosterServer *self)
{
  return self->index == 0;
}

/**
 * roster_server_get_n_processes:
 *
 * Returns: how many processes serve requests (--workers)
 */
guint
roster_server_get_n_processes (RosterServer *self)
{
  return self->config->workers;
}

/**
 * roster_server_listen:
 * @index: this process's index (roster_worker_pool_get_index()), 0 for the primary
 *
 * Opens this process's database connection and serves on its socket from
 * roster_server_prepare(). The primary also runs the sweeps and writes DIR/rosterd.url
 * (mode 0600).
 */
gboolean
roster_server_listen (RosterServer *self, guint index, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *uri_string = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSList *uris;

  g_return_val_if_fail (index < self->sockets->len, FALSE);
  /* Keep only this process's socket: one left open elsewhere would queue connections that
   * nobody accepts. */
  self->index = index;
  socket = g_object_ref (g_ptr_array_index (self->sockets, index));
  g_ptr_array_set_size (self->sockets, 0);
  if (!roster_server_open_store (self, error))
    return FALSE;

  self->soup = soup_server_new ("server-header", "rosterd/" PACKAGE_VERSION " ", NULL);
  /* libsoup 3.2 leaks connections clients close while idle: see roster-connection-reaper.c */
  self->reaper = roster_connection_reaper_new (self->soup);
  soup_server_add_early_handler (self->soup, NULL, early_callback, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);
  if (!soup_server_listen_socket (self->soup, socket, 0, &local_error))
    return listen_error (self, g_steal_pointer (&local_error), error);

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  uri_string = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (uri_string, "/"))
    uri_string[strlen (uri_string) - 1] = '\0';
  self->base_url = g_steal_pointer (&uri_string);

  /* What must run once runs in the primary alone: the sweeps and the mail sender (the other
   * processes only queue mail; the sender polls the outbox). */
  if (!roster_server_is_primary (self))
    return TRUE;
  self->mail_sender = roster_mail_sender_new (self->store, self->config);
  roster_server_sweep (self);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_SECONDS, sweep_cb, self);

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

/* (transfer none): this process's users' JSON, see roster-render-cache.c */
RosterRenderCache *
roster_server_get_render_cache (RosterServer *self)
{
  return self->render_cache;
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
 * roster_server_get_sample_records:
 *
 * Whether setup gives the first administrator sample records (--sample-records, or
 * sample-records=true in the config file).
 */
gboolean
roster_server_get_sample_records (RosterServer *self)
{
  return self->config->sample_records;
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
  if (self->mail_sender != NULL)
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
