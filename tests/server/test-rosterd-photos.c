/* test-rosterd-photos.c: /Users/{id}/photo on a real rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "test-rosterd"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "server-test-util.h"

#define SECRET_COMMENT "taken at 51.5N 0.1W by a secret camera"

/* A @width × @height image, left half red and right half blue, as @type bytes; a PNG also
 * carries a text chunk that must not survive the upload. */
static GBytes *
make_image (int width, int height, const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gchar *buffer = NULL;
  gsize length = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        p[0] = x < width / 2 ? 255 : 0;
        p[1] = 0;
        p[2] = x < width / 2 ? 0 : 255;
      }
  if (strcmp (type, "png") == 0)
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error,
                                              "tEXt::Comment", SECRET_COMMENT, NULL));
  else
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                              "quality", "90", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

static char *
put_photo (RosterTestServer *server, const char *token, const char *id, const char *type,
           GBytes *image, guint *status)
{
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, "/photo", NULL);
  gsize size = 0;
  const char *data = g_bytes_get_data (image, &size);

  return roster_test_server_request_full (server, "PUT", path, token, type, data, size, status,
                                          NULL);
}

static void
test_photos_upload (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "correct horse battery");
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", ana, "/photo", NULL);
  g_autoptr(GBytes) png = make_image (1000, 600, "png");
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) user = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *expected_url = NULL;
  const char *etag, *content_type;
  JsonObject *first;
  guint status = 0;
  GdkPixbuf *stored;
  const guchar *pixel;

  answer = put_photo (server, admin, ana, "image/png", png, &status);
  g_assert_cmpuint (status, ==, 200);
  user = test_parse_object (answer);
  first = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (user), "photos"), 0);
  expected_url = g_strconcat (server->base_url, path, NULL);
  g_assert_cmpstr (json_object_get_string_member (first, "value"), ==, expected_url);
  g_assert_true (json_object_get_boolean_member (first, "primary"));

  /* What is served is a fresh 512 × 512 PNG of the centred square, with no text chunk. */
  photo = roster_test_server_request_bytes (server, "GET", path, admin, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  content_type = g_hash_table_lookup (headers, "content-type");
  g_assert_cmpstr (content_type, ==, "image/png");
  etag = g_hash_table_lookup (headers, "etag");
  g_assert_nonnull (etag);
  {
    gsize length = 0;
    const guchar *data = g_bytes_get_data (photo, &length);

    g_assert_cmpuint (length, >, 8);
    g_assert_true (gdk_pixbuf_loader_write (loader, data, length, &error));
    g_assert_null (memmem (data, length, "secret camera", strlen ("secret camera")));
  }
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  stored = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (stored), ==, 512);
  g_assert_cmpint (gdk_pixbuf_get_height (stored), ==, 512);
  pixel = gdk_pixbuf_read_pixels (stored);
  g_assert_cmpuint (pixel[0], >, 200); /* the left edge of the square is red */
  g_assert_cmpuint (pixel[2], <, 50);

  /* A conditional GET of the same photo is 304. */
  {
    const char *const conditional[] = { "If-None-Match", etag, NULL };
    g_autoptr(JsonNode) none = test_call (server, admin, "GET", path, NULL, conditional, 304,
                                          NULL);

    g_assert_null (none);
  }

  /* The change is audited, without the image. */
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM audit_events WHERE action = "
                                      "'photo-set' AND target_id IN (SELECT id FROM users WHERE "
                                      "user_name = 'ana')"),
                   ==, 1);

  /* A JPEG is accepted too, and stored as PNG. */
  {
    g_autoptr(GBytes) jpeg = make_image (300, 400, "jpeg");
    g_autofree char *again = put_photo (server, admin, ana, "image/jpeg", jpeg, &status);

    g_assert_cmpuint (status, ==, 200);
  }

  /* DELETE removes it and the attribute. */
  {
    g_autoptr(JsonNode) none = test_call (server, admin, "DELETE", path, NULL, NULL, 204, NULL);
    g_autofree char *user_path = g_strconcat ("/scim/v2/Users/", ana, NULL);
    g_autoptr(JsonNode) after = test_call (server, admin, "GET", user_path, NULL, NULL, 200, NULL);
    g_autoptr(JsonNode) gone = NULL;

    g_assert_false (json_object_has_member (json_node_get_object (after), "photos"));
    g_free (roster_test_server_request (server, "GET", path, admin, NULL, NULL, &status));
    g_assert_cmpuint (status, ==, 404);
    gone = test_call (server, admin, "DELETE", path, NULL, NULL, 404, NULL);
  }
}

/* Anything but a sane PNG or JPEG is refused with a SCIM error and changes nothing. */
static void
test_photos_bad_input (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "correct horse battery");
  g_autofree char *before = test_db_snapshot (server->data_dir);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x89PNG\r\n\x1a\nnot really", 18);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) huge = make_image (9000, 4, "png");
  g_autoptr(GBytes) png = make_image (64, 64, "png");
  g_autofree char *after = NULL;
  char *answer;
  guint status = 0;

  answer = put_photo (server, admin, ana, "image/png", garbage, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (answer, 400, "invalid-value", NULL);
  g_free (answer);

  answer = put_photo (server, admin, ana, "image/png", text, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (answer, 400, "invalid-value", NULL);
  g_free (answer);

  answer = put_photo (server, admin, ana, "image/png", huge, &status);
  g_assert_cmpuint (status, ==, 400);
  test_assert_scim_error (answer, 400, "invalid-value", NULL);
  g_assert_nonnull (strstr (answer, "8192"));
  g_free (answer);

  answer = put_photo (server, admin, ana, "image/gif", png, &status);
  g_assert_cmpuint (status, ==, 415);
  g_free (answer);

  answer = put_photo (server, admin, "no-such-user", "image/png", png, &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (answer);

  after = test_db_snapshot (server->data_dir);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM user_photos"), ==,
                   0);
}

/* Seeing photos needs users.view; changing them photos.manage or users.manage. */
static void
test_photos_permissions (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "correct horse battery");
  g_autofree char *viewer_id = test_create (
    server, admin, "/scim/v2/Users",
    "{'userName': 'vic', 'password': 'a quiet winter evening',"
    " 'entitlements': [{'value': 'users.view'}]}");
  g_autofree char *photographer_id = test_create (
    server, admin, "/scim/v2/Users",
    "{'userName': 'pat', 'password': 'a loud summer morning',"
    " 'entitlements': [{'value': 'users.view'}, {'value': 'photos.manage'}]}");
  g_autofree char *viewer = roster_test_server_sign_in (server, "vic", "a quiet winter evening");
  g_autofree char *photographer = roster_test_server_sign_in (server, "pat",
                                                              "a loud summer morning");
  g_autofree char *path = g_strconcat ("/scim/v2/Users/", ana, "/photo", NULL);
  g_autoptr(GBytes) png = make_image (64, 64, "png");
  char *answer;
  guint status = 0;

  answer = put_photo (server, viewer, ana, "image/png", png, &status);
  g_assert_cmpuint (status, ==, 403);
  g_free (answer);
  answer = put_photo (server, photographer, ana, "image/png", png, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (answer);
  answer = roster_test_server_request (server, "GET", path, viewer, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (answer);
  answer = roster_test_server_request (server, "DELETE", path, viewer, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_free (answer);
  answer = roster_test_server_request (server, "GET", path, NULL, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_free (answer);
}

/* A deleted user's photo waits with it: a restore brings back the same photo. */
static void
test_photos_restored (void)
{
  g_autoptr(RosterTestServer) server = roster_test_server_start (NULL);
  g_autofree char *admin = roster_test_server_setup_admin (server, ADMIN_NAME, ADMIN_PASSWORD);
  g_autofree char *ana = test_create_user (server, admin, "ana", "correct horse battery");
  g_autofree char *user_path = g_strconcat ("/scim/v2/Users/", ana, NULL);
  g_autofree char *photo_path = g_strconcat (user_path, "/photo", NULL);
  g_autofree char *restore_path = g_strconcat ("/scim/v2/DeletedUsers/", ana, "/restore", NULL);
  g_autoptr(GBytes) png = make_image (64, 64, "png");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(JsonNode) restored = NULL;
  g_autofree char *answer = NULL;
  guint status = 0;

  answer = put_photo (server, admin, ana, "image/png", png, &status);
  g_assert_cmpuint (status, ==, 200);
  before = roster_test_server_request_bytes (server, "GET", photo_path, admin, &status, NULL);
  g_assert_cmpuint (status, ==, 200);

  g_free (roster_test_server_request (server, "DELETE", user_path, admin, NULL, NULL, &status));
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpint (test_db_query_int (server->data_dir, "SELECT count(*) FROM user_photos"), ==, 0);
  g_clear_pointer (&answer, g_free);
  answer = roster_test_server_request (server, "POST", restore_path, admin, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  restored = test_parse_object (answer);
  g_assert_true (json_object_has_member (
    json_object_get_object_member (json_node_get_object (restored), "user"), "photos"));

  after = roster_test_server_request_bytes (server, "GET", photo_path, admin, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (test_db_query_int (server->data_dir,
                                      "SELECT count(*) FROM deleted_users WHERE photo IS NOT NULL"),
                   ==, 0);

  /* Deleted before photos were kept (migration 13): restored without one, and not naming it. */
  g_free (roster_test_server_request (server, "DELETE", user_path, admin, NULL, NULL, &status));
  g_assert_cmpuint (status, ==, 204);
  test_db_exec (server->data_dir, "UPDATE deleted_users SET photo = NULL, photo_updated = NULL");
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&restored, json_node_unref);
  answer = roster_test_server_request (server, "POST", restore_path, admin, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  restored = test_parse_object (answer);
  g_assert_false (json_object_has_member (
    json_object_get_object_member (json_node_get_object (restored), "user"), "photos"));
  g_clear_pointer (&after, g_bytes_unref);
  after = roster_test_server_request_bytes (server, "GET", photo_path, admin, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rosterd/photos/upload", test_photos_upload);
  g_test_add_func ("/rosterd/photos/bad-input", test_photos_bad_input);
  g_test_add_func ("/rosterd/photos/permissions", test_photos_permissions);
  g_test_add_func ("/rosterd/photos/restored", test_photos_restored);
  return g_test_run ();
}
