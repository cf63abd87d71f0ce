/* test-rosterd-mail.c: invitations, the outbox and SMTP delivery, the activation page
 *
 * A real rosterd and a real SMTP server on loopback (tests/harness/smtp-sink.py, aiosmtpd),
 * or the .eml folder when no relay is configured. Every delivered message is parsed with
 * Python's email package (tests/harness/check-mail.py), which also checks line lengths,
 * CRLF and the MIME structure. The clock is moved with POST /_test/clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "server-test-util.h"

#define PASSWORD "correct horse battery"
#define NEW_PASSWORD "purple elephant dances quietly"
#define ADMIN_SET_PASSWORD "violet tractor sings loudly"

typedef struct
{
  GSubprocess *process;
  char *dir;
  guint16 port;
} Sink;

/* A free TCP port on loopback (closed again at once). */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static Sink *
sink_start (const char *dir, guint16 port)
{
  Sink *sink = g_new0 (Sink, 1);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  sink->dir = g_strdup (dir);
  sink->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("ROSTER_PYTHON"),
                                    g_getenv ("ROSTER_SMTP_SINK"), dir, port_text, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sink->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  sink->port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (sink->port, >, 0);
  return sink;
}

static void
sink_stop (Sink *sink)
{
  g_subprocess_force_exit (sink->process);
  g_subprocess_wait (sink->process, NULL, NULL);
  g_object_unref (sink->process);
  g_free (sink->dir);
  g_free (sink);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sink, sink_stop)

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* A call whose answer (if any) is not needed. */
static void
call (RosterTestServer *server, const char *token, const char *method, const char *path,
      const char *jq_body, guint status)
{
  JsonNode *node = test_call (server, token, method, path, jq_body, NULL, status, NULL);

  if (node != NULL)
    json_node_unref (node);
}

/* The .eml files in @dir, sorted by name. */
static GPtrArray *
list_mail (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".eml") && name[0] != '.')
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

/* Waits (10 s at most) until @dir holds @count messages. */
static GPtrArray *
wait_for_mail (const char *dir, guint count)
{
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GPtrArray) mail = list_mail (dir);

      if (mail->len >= count)
        return g_steal_pointer (&mail);
      g_usleep (50 * 1000);
    }
  g_error ("%s: fewer than %u messages after 10 s", dir, count);
}

/* check-mail.py's summary of one message; fails the test if it is malformed. */
static JsonObject *
parse_mail (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, g_getenv ("ROSTER_PYTHON"),
    g_getenv ("ROSTER_CHECK_MAIL"), path, NULL);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("%s is not a well-formed mail: %s", path, err);
  node = test_parse_object (out);
  return json_object_ref (json_node_get_object (node));
}

/* The activation link in a mail's text part. */
static char *
find_link (JsonObject *mail)
{
  const char *text = json_object_get_string_member (mail, "text");
  const char *start = strstr (text, "http://");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text_link = NULL;

  g_assert_nonnull (start);
  text_link = g_strndup (start, strcspn (start, " \r\n"));

  uri = g_uri_parse (text_link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/activate");
  return g_strconcat ("/activate?", g_uri_get_query (uri), NULL);
}

static char *
link_token (const char *path)
{
  const char *token = strstr (path, "token=");

  g_assert_nonnull (token);
  return g_strdup (token + 6);
}

/* A config file in a fresh temp dir; @smtp_port 0: no relay (the .eml folder). */
static char *
write_config (guint16 smtp_port, char **config_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *port = g_strdup_printf ("%u", smtp_port);
  char *dir = g_dir_make_tmp ("rosterd-mail-config-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, "rosterd.conf", NULL);
  contents = g_strdup_printf ("[rosterd]\nlocale-dir=%s\n\n[smtp]\nfrom=roster@example.org\n"
                              "from-name=Roster Büro\n%s%s%s",
                              g_getenv ("ROSTER_LOCALE_DIR"),
                              smtp_port ? "insecure=true\nurl=smtp://127.0.0.1:" : "",
                              smtp_port ? port : "",
                              smtp_port ? "\n" : "");
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  *config_dir = dir;
  return path;
}

static RosterTestServer *
start_server (const char *config)
{
  const char *args[] = { "--config", config, NULL };

  return roster_test_server_start (args);
}

static char *
invite (RosterTestServer *server, const char *token, const char *user_name,
        const char *extra)
{
  g_autofree char *body = g_strdup_printf (
    "{'userName': '%s', 'displayName': 'Jürgen Müller-Lüdenscheidt %s',"
    " 'emails': [{'value': '%s@example.org', 'primary': true}]%s}",
    user_name, user_name, user_name, extra != NULL ? extra : "");
  g_autoptr(JsonNode) node = test_call (server, token, "POST", "/scim/v2/Users?sendInvitation=true",
                                        body, NULL, 201, NULL);

  g_assert_cmpstr (json_object_get_string_member (test_roster_extension (node), "status"), ==,
                   "pending");
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static char *
get_page (RosterTestServer *server, const char *path, guint *status)
{
  return roster_test_server_request (server, "GET", path, NULL, NULL, NULL, status);
}

static char *
post_form (RosterTestServer *server, const char *token, const char *password,
           const char *confirm, guint *status)
{
  g_autofree char *form = soup_form_encode ("token", token, "password", password, "confirm",
                                            confirm, NULL);

  return roster_test_server_request (server, "POST", "/activate", NULL,
                                     "application/x-www-form-urlencoded", form, status);
}

/* Invitation over SMTP → the link in the mail → the page → a password → signed in. */
static void
test_invitation (void)
{
  g_autofree char *config_dir = NULL;
  g_autofree char *mail_dir = g_dir_make_tmp ("rosterd-smtp-XXXXXX", NULL);
  g_autoptr(Sink) sink = sink_start (mail_dir, 0);
  g_autofree char *config = write_config (sink->port, &config_dir);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *id = invite (server, admin, "alice", NULL);
  g_autoptr(GPtrArray) mail = wait_for_mail (mail_dir, 1);
  g_autoptr(JsonObject) message = parse_mail (mail->pdata[0]);
  g_autofree char *link = find_link (message);
  g_autofree char *token = link_token (link);
  g_autofree char *page = NULL;
  g_autofree char *envelope_path = g_strdup (mail->pdata[0]);
  g_autofree char *envelope = NULL;
  g_autofree char *signed_in = NULL;
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(GBytes) db = NULL;
  guint status = 0;

  /* Headers: RFC 2047 names decode back to UTF-8; the envelope is the bare addresses. */
  g_assert_cmpstr (json_object_get_string_member (message, "to"), ==, "alice@example.org");
  g_assert_cmpstr (json_object_get_string_member (message, "toName"), ==,
                   "Jürgen Müller-Lüdenscheidt alice");
  g_assert_cmpstr (json_object_get_string_member (message, "fromName"), ==, "Roster Büro");
  g_assert_cmpstr (json_object_get_string_member (message, "from"), ==, "roster@example.org");
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==,
                   "Your new Roster account");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (message, "messageId"),
                                   "@example.org>"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "text"), "alice"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "html"), "alice"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "html"), "lang=\"en\""));
  strcpy (envelope_path + strlen (envelope_path) - 3, "env");
  g_assert_true (g_file_get_contents (envelope_path, &envelope, NULL, NULL));
  g_assert_cmpstr (envelope, ==, "roster@example.org\nalice@example.org\n");
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE sent IS NOT NULL"
                                      " AND message IS NULL"),
                   ==, 1);

  /* Pending: no sign-in yet. */
  g_free (test_try_sign_in (server, "alice", PASSWORD, &status));
  g_assert_cmpuint (status, ==, 401);

  page = get_page (server, link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "<html lang=\"en\">"));
  g_assert_nonnull (strstr (page, "<label for=\"password\">"));
  g_assert_nonnull (strstr (page, "<label for=\"confirm\">"));
  g_assert_null (strstr (page, "<script"));
  g_assert_nonnull (strstr (page, token));
  g_clear_pointer (&page, g_free);

  /* Mismatch, then a weak password: the form again, the error tied to its field. */
  page = post_form (server, token, NEW_PASSWORD, "something else", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (page, "aria-describedby=\"confirm-error\""));
  g_assert_nonnull (strstr (page, "id=\"confirm-error\""));
  g_clear_pointer (&page, g_free);
  page = post_form (server, token, "alice", "alice", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (page, "aria-describedby=\"password-hint password-error\""));
  g_clear_pointer (&page, g_free);

  page = post_form (server, token, NEW_PASSWORD, NEW_PASSWORD, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "alice"));
  g_clear_pointer (&page, g_free);

  signed_in = roster_test_server_sign_in (server, "alice", NEW_PASSWORD);
  g_assert_nonnull (signed_in);
  {
    g_autofree char *user_path = g_strconcat ("/scim/v2/Users/", id, NULL);

    user = test_call (server, admin, "GET", user_path, NULL, NULL, 200, NULL);
  }
  g_assert_cmpstr (json_object_get_string_member (test_roster_extension (user), "status"), ==,
                   "active");
  g_assert_true (json_object_get_boolean_member (test_roster_extension (user), "emailVerified"));

  /* Spent: the link says so, and changes nothing. */
  page = get_page (server, link, &status);
  g_assert_cmpuint (status, ==, 410);
  g_assert_nonnull (strstr (page, "already been used"));
  g_clear_pointer (&page, g_free);
  page = post_form (server, token, "another fine passphrase", "another fine passphrase",
                    &status);
  g_assert_cmpuint (status, ==, 410);
  g_clear_pointer (&page, g_free);
  page = get_page (server, "/activate?token=0000", &status);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&page, g_free);

  /* Audited; the token is stored hashed only; no password anywhere in the database. */
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM audit_events WHERE action IN"
                                      " ('send-invitation', 'activate')"),
                   ==, 2);
  db = test_read_db_bytes (server->data_dir);
  g_assert_false (test_bytes_contain (db, token));
  g_assert_false (test_bytes_contain (db, NEW_PASSWORD));
  (void) signed_in;
  g_test_assert_expected_messages ();
  test_remove_tree (mail_dir);
  test_remove_tree (config_dir);
}

/* .eml mode: links expire (activationLinkDays), resend spends the old link. */
static void
test_expiry_and_resend (void)
{
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (0, &config_dir);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autofree char *id = invite (server, admin, "bob", NULL);
  g_autoptr(GPtrArray) mail = wait_for_mail (outbox, 1);
  g_autoptr(JsonObject) first = parse_mail (mail->pdata[0]);
  g_autofree char *old_link = find_link (first);
  g_autofree char *new_link = NULL;
  g_autofree char *page = NULL;
  g_autofree char *path = g_strdup_printf ("/scim/v2/Users/%s/actions/resend-verification", id);
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GPtrArray) again = NULL;
  guint status = 0;

  page = get_page (server, old_link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&page, g_free);
  if (!test_clock_advance (server, 8 * TEST_DAY))
    return;
  /* Sessions do not last that long. */
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  page = get_page (server, old_link, &status);
  g_assert_cmpuint (status, ==, 410);
  g_assert_nonnull (strstr (page, "expired"));
  g_clear_pointer (&page, g_free);

  call (server, admin, "POST", path, NULL, 202);
  again = wait_for_mail (outbox, 2);
  second = parse_mail (again->pdata[0] == mail->pdata[0] ? again->pdata[1] : again->pdata[1]);
  /* Whichever file is new: compare subjects. */
  {
    g_autoptr(JsonObject) a = parse_mail (again->pdata[0]);
    g_autoptr(JsonObject) b = parse_mail (again->pdata[1]);

    g_clear_pointer (&second, json_object_unref);
    second = json_object_ref (
      g_str_equal (json_object_get_string_member (a, "subject"), "Confirm your Roster account")
        ? a
        : b);
  }
  g_assert_cmpstr (json_object_get_string_member (second, "subject"), ==,
                   "Confirm your Roster account");
  new_link = find_link (second);
  g_assert_cmpstr (new_link, !=, old_link);
  page = get_page (server, new_link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&page, g_free);

  /* Links last activationLinkDays. */
  if (!test_clock_advance (server, 6 * TEST_DAY))
    return;
  page = get_page (server, new_link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&page, g_free);
  if (!test_clock_advance (server, 2 * TEST_DAY))
    return;
  page = get_page (server, new_link, &status);
  g_assert_cmpuint (status, ==, 410);
  g_clear_pointer (&page, g_free);
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);

  /* An administrator confirms instead: active; confirming again is refused. */
  {
    g_autofree char *confirm = g_strdup_printf ("/scim/v2/Users/%s/actions/confirm", id);
    g_autoptr(JsonNode) user = test_call (server, admin, "POST", confirm, NULL, NULL, 200, NULL);
    g_autofree char *body = NULL;

    g_assert_cmpstr (json_object_get_string_member (test_roster_extension (user), "status"),
                     ==, "active");
    body = test_send_json (server, "POST", confirm, admin, NULL, &status);
    test_assert_scim_error (body, 409, "not-pending", NULL);
    g_clear_pointer (&body, g_free);
    body = test_send_json (server, "POST", path, admin, NULL, &status);
    test_assert_scim_error (body, 409, "not-pending", NULL);
  }
  /* No e-mail address, no invitation, no user. */
  {
    g_autofree char *json = test_jq ("{'userName': 'nomail'}");
    g_autofree char *body = test_send_json (server, "POST", "/scim/v2/Users?sendInvitation=true",
                                            admin, json, &status);

    test_assert_scim_error (body, 409, "no-email-address", NULL);
    g_assert_cmpint (test_db_query_int (server->data_dir,
                                        "SELECT count(*) FROM users WHERE user_name = 'nomail'"),
                     ==, 0);
  }
  test_remove_tree (config_dir);
}

/* The relay is down while mail is queued, then up: every message arrives exactly once. */
static void
test_relay_down (void)
{
  guint16 port = free_port ();
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (port, &config_dir);
  g_autofree char *mail_dir = g_dir_make_tmp ("rosterd-smtp-XXXXXX", NULL);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *names[] = { "carol", "dave", "erin" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (invite (server, admin, names[i], NULL));
  /* At least one attempt failed; nothing is marked sent. */
  for (int i = 0; i < 200 && test_db_query_int (server->data_dir,
                                                "SELECT count(*) FROM mail_outbox"
                                                " WHERE attempts > 0") == 0;
       i++)
    g_usleep (50 * 1000);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE attempts > 0"),
                   >, 0);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE sent IS NULL"),
                   ==, 3);

  sink = sink_start (mail_dir, port);
  /* The retry is due after the backoff, on rosterd's clock. */
  if (!test_clock_advance (server, 3600))
    return;
  mail = wait_for_mail (mail_dir, 3);
  /* More time and more sweeps send nothing twice. */
  test_clock_advance (server, 7 * 3600);
  g_usleep (500 * 1000);
  test_clock_advance (server, 7 * 3600);
  g_usleep (500 * 1000);
  g_ptr_array_unref (mail);
  mail = list_mail (mail_dir);
  g_assert_cmpuint (mail->len, ==, 3);
  for (guint i = 0; i < mail->len; i++)
    {
      g_autoptr(JsonObject) message = parse_mail (mail->pdata[i]);

      g_assert_true (g_hash_table_add (
        seen, g_strdup (json_object_get_string_member (message, "to"))));
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *address = g_strconcat (names[i], "@example.org", NULL);

      g_assert_true (g_hash_table_contains (seen, address));
    }
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE sent IS NULL"),
                   ==, 0);
  test_remove_tree (mail_dir);
  test_remove_tree (config_dir);
}

/* Mail queued while the relay is down survives a restart and goes out once. */
static void
test_restart_with_queued_mail (void)
{
  guint16 port = free_port ();
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (port, &config_dir);
  g_autofree char *mail_dir = g_dir_make_tmp ("rosterd-smtp-XXXXXX", NULL);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autofree char *id = invite (server, admin, "frank", NULL);
  g_autofree char *path = g_strdup_printf ("/scim/v2/Users/%s/actions/email-username", id);

  call (server, admin, "POST", path, NULL, 202);
  for (int i = 0; i < 200 && test_db_query_int (server->data_dir,
                                                "SELECT count(*) FROM mail_outbox"
                                                " WHERE attempts > 0") == 0;
       i++)
    g_usleep (50 * 1000);
  roster_test_server_restart (server);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE sent IS NULL"),
                   ==, 2);
  sink = sink_start (mail_dir, port);
  /* The restart does not forget the backoff; once it is over, both go. */
  roster_test_server_restart (server);
  g_free (admin);
  admin = roster_test_server_sign_in (server, ADMIN_NAME, ADMIN_PASSWORD);
  if (!test_clock_advance (server, 3600))
    return;
  mail = wait_for_mail (mail_dir, 2);
  test_clock_advance (server, 7 * 3600);
  g_usleep (500 * 1000);
  g_ptr_array_unref (mail);
  mail = list_mail (mail_dir);
  g_assert_cmpuint (mail->len, ==, 2);
  {
    g_autoptr(JsonObject) a = parse_mail (mail->pdata[0]);
    g_autoptr(JsonObject) b = parse_mail (mail->pdata[1]);

    g_assert_cmpstr (json_object_get_string_member (a, "messageId"), !=,
                     json_object_get_string_member (b, "messageId"));
  }
  test_remove_tree (mail_dir);
  test_remove_tree (config_dir);
}

/* preferredLanguage "de": the mail and the page in German. */
static void
test_german (void)
{
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (0, &config_dir);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autofree char *id = invite (server, admin, "greta", ", 'preferredLanguage': 'de-DE'");
  g_autoptr(GPtrArray) mail = wait_for_mail (outbox, 1);
  g_autoptr(JsonObject) message = parse_mail (mail->pdata[0]);
  g_autofree char *link = find_link (message);
  g_autofree char *page = NULL;
  guint status = 0;

  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==,
                   "Ihr neues Roster-Konto");
  g_assert_cmpstr (json_object_get_string_member (message, "language"), ==, "de");
  g_assert_nonnull (strstr (json_object_get_string_member (message, "text"),
                            "Ihr Benutzername: greta"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "html"), "lang=\"de\""));
  page = get_page (server, link, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "<html lang=\"de\">"));
  g_assert_nonnull (strstr (page, "Konto aktivieren"));
  test_remove_tree (config_dir);
}

/* A password an administrator sets is mailed only when asked, and never stored in clear. */
static void
test_password_mail (void)
{
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (0, &config_dir);
  g_autoptr(RosterTestServer) server = start_server (config);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autofree char *json = test_jq ("{'userName': 'heidi', 'password': 'correct horse battery',"
                                   " 'emails': [{'value': 'heidi@example.org'}]}");
  g_autofree char *body = NULL;
  guint status = 0;

  body = test_send_json (server, "POST", "/scim/v2/Users", admin, json, &status);
  g_assert_cmpuint (status, ==, 201);
  {
    g_autoptr(JsonNode) node = test_parse_object (body);

    id = g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
  }
  path = g_strdup_printf ("/scim/v2/Users/%s/actions/set-password", id);
  call (server, admin, "POST", path, "{'password': 'another sunny meadow', 'mustChange': true}",
        200);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM mail_outbox"), ==,
                   0);
  call (server, admin, "POST", path,
        "{'password': '" ADMIN_SET_PASSWORD "', 'mustChange': true, 'email': true}", 200);
  mail = wait_for_mail (outbox, 1);
  {
    g_autoptr(JsonObject) message = parse_mail (mail->pdata[0]);

    g_assert_nonnull (strstr (json_object_get_string_member (message, "text"),
                              ADMIN_SET_PASSWORD));
  }
  /* Sent mail is erased from the outbox; the audit log holds no password. */
  for (int i = 0; i < 100 && test_db_query_int (server->data_dir,
                                                "SELECT count(*) FROM mail_outbox"
                                                " WHERE message IS NOT NULL") > 0;
       i++)
    g_usleep (50 * 1000);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM audit_events WHERE action ="
                                      " 'set-password'"),
                   ==, 2);
  /* (SQLite may keep the erased text in free pages until they are reused: see
   * docs/decisions.md.) */
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM mail_outbox WHERE message IS NOT NULL"),
                   ==, 0);
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM audit_events WHERE changes LIKE"
                                      " '%" ADMIN_SET_PASSWORD "%'"),
                   ==, 0);
  /* The invitation and the username reminder never hold a password. */
  {
    g_autofree char *reminder = g_strdup_printf ("/scim/v2/Users/%s/actions/email-username", id);
    g_autoptr(GPtrArray) both = NULL;

    call (server, admin, "POST", reminder, NULL, 202);
    both = wait_for_mail (outbox, 2);
    for (guint i = 0; i < both->len; i++)
      {
        g_autoptr(JsonObject) message = parse_mail (both->pdata[i]);

        if (g_str_equal (json_object_get_string_member (message, "subject"),
                         "Your Roster username"))
          {
            g_assert_nonnull (strstr (json_object_get_string_member (message, "text"), "heidi"));
            g_assert_null (strstr (json_object_get_string_member (message, "text"), "password:"));
            g_assert_null (strstr (json_object_get_string_member (message, "text"),
                                   ADMIN_SET_PASSWORD));
          }
      }
  }
  test_remove_tree (config_dir);
}

/* Two rosterd on one PostgreSQL database (two hosts) sweep the same outbox at the same
 * moment: every message goes out once, by whichever claimed it. */
static void
test_two_hosts_send_once (void)
{
  guint16 port = free_port ();
  g_autofree char *config_dir = NULL;
  g_autofree char *config = write_config (port, &config_dir);
  g_autofree char *mail_dir = g_dir_make_tmp ("rosterd-smtp-XXXXXX", NULL);
  const char *args[] = { "--config", config, NULL };
  g_autoptr(RosterTestServer) a = NULL;
  g_autoptr(RosterTestServer) b = NULL;
  g_autofree char *admin = NULL;
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 12;

  if (!test_db_is_postgres ())
    {
      g_test_skip ("needs $ROSTER_TEST_POSTGRES: tools/test.sh runs it in the postgres setup");
      test_remove_tree (mail_dir);
      test_remove_tree (config_dir);
      return;
    }
  a = roster_test_server_start (args);
  admin = roster_test_server_setup_admin (a, ADMIN_NAME, ADMIN_PASSWORD);
  b = roster_test_server_start_sharing (a, args);
  /* The relay is down: every invitation waits in the outbox, tried once by its host. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("guest%u", i);

      g_free (invite (i % 2 == 0 ? a : b, admin, name, NULL));
    }
  for (int i = 0; i < 200 && test_db_query_int (a->data_dir,
                                                "SELECT count(*) FROM mail_outbox"
                                                " WHERE attempts > 0")
                                 < n;
       i++)
    g_usleep (50 * 1000);
  g_assert_cmpint (test_db_query_int (a->data_dir, "SELECT count(*) FROM mail_outbox"
                                                   " WHERE sent IS NULL"),
                   ==, n);

  sink = sink_start (mail_dir, port);
  /* Both find every message due again, at the same moment. */
  if (!test_clock_advance (a, 3600) || !test_clock_advance (b, 3600))
    return;
  mail = wait_for_mail (mail_dir, n);
  test_clock_advance (a, 7 * 3600);
  test_clock_advance (b, 7 * 3600);
  g_usleep (500 * 1000);
  g_ptr_array_unref (mail);
  mail = list_mail (mail_dir);
  g_assert_cmpuint (mail->len, ==, n);
  for (guint i = 0; i < mail->len; i++)
    {
      g_autoptr(JsonObject) message = parse_mail (mail->pdata[i]);

      g_assert_true (g_hash_table_add (
        seen, g_strdup (json_object_get_string_member (message, "to"))));
    }
  g_assert_cmpint (test_db_query_int (a->data_dir, "SELECT count(*) FROM mail_outbox"
                                                   " WHERE sent IS NULL"),
                   ==, 0);
  test_remove_tree (mail_dir);
  test_remove_tree (config_dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rosterd/mail/invitation", test_invitation);
  g_test_add_func ("/rosterd/mail/expiry-and-resend", test_expiry_and_resend);
  g_test_add_func ("/rosterd/mail/relay-down", test_relay_down);
  g_test_add_func ("/rosterd/mail/restart-with-queued-mail", test_restart_with_queued_mail);
  g_test_add_func ("/rosterd/mail/german", test_german);
  g_test_add_func ("/rosterd/mail/password-mail", test_password_mail);
  g_test_add_func ("/rosterd/mail/two-hosts-send-once", test_two_hosts_send_once);
  return g_test_run ();
}
