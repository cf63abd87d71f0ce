/* roster-photo-handler.c: GET/PUT/DELETE /scim/v2/Users/{id}/photo
 *
 * A Roster extension beside SCIM (docs/protocol.md): PUT takes the image bytes
 * (Content-Type image/png or image/jpeg, at most ROSTER_REQUEST_MAX_BODY), rosterd checks
 * and re-encodes them (roster-photo.c), stores the PNG and points the user's `photos`
 * attribute at it; the answer is the changed user. GET serves the PNG with an ETag;
 * DELETE removes it. Changing or removing a photo needs photos.manage or users.manage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-audit.h"
#include "roster-handlers.h"
#include "roster-photo.h"
#include "roster-server.h"
#include "roster-user-resource.h"

static char *
photo_etag (GBytes *photo)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);

  return g_strdup_printf ("\"%.32s\"", hash);
}

void
roster_photo_handle_get (RosterRequest *request)
{
  SoupServerMessage *msg = roster_request_get_message (request);
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  const char *if_none_match;

  photo = roster_store_get_user_photo (roster_request_get_store (request),
                                       roster_request_get_param (request, 0), &error);
  if (photo == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  etag = photo_etag (photo);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "If-None-Match");
  if (if_none_match != NULL && g_strcmp0 (if_none_match, etag) == 0)
    {
      roster_request_respond_empty (request, 304);
      return;
    }
  roster_request_respond_bytes (request, 200, "image/png", photo);
}

/* The user's `photos` attribute for a stored photo: one primary photo at its URL. */
static JsonArray *
photos_for (RosterRequest *request, const char *id)
{
  JsonArray *photos = json_array_new ();
  JsonObject *photo = json_object_new ();
  g_autofree char *url = g_strconcat (roster_server_get_base_url (roster_request_get_server (
                                        request)),
                                      "/scim/v2/Users/", id, "/photo", NULL);

  json_object_set_string_member (photo, "value", url);
  json_object_set_string_member (photo, "type", "photo");
  json_object_set_boolean_member (photo, "primary", TRUE);
  json_array_add_object_element (photos, photo);
  return photos;
}

/* Writes (or with @photo %NULL, removes) the photo and its audit event in one transaction,
 * then answers. */
static void
store_photo (RosterRequest *request, GBytes *photo)
{
  RosterStore *store = roster_request_get_store (request);
  const char *id = roster_request_get_param (request, 0);
  g_autoptr(RosterUserRecord) before = NULL;
  g_autoptr(RosterUserRecord) after = NULL;
  g_autoptr(JsonArray) photos = photo != NULL ? photos_for (request, id) : NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_store_begin (store, &error))
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  before = roster_store_get_user_record (store, id, &error);
  if (before == NULL
      || (after = roster_store_set_user_photo (store, id, photo, photos, &error)) == NULL
      || !roster_audit_record (request, photo != NULL ? "photo-set" : "photo-remove", "User", id,
                               roster_user_resource_get_string (after->resource, NULL,
                                                                "userName", NULL),
                               before->resource, after->resource, &error)
      || !roster_store_commit (store, &error))
    {
      roster_store_rollback (store);
      roster_request_respond_gerror (request, error);
      return;
    }
  g_info ("%s the photo of user %s", photo != NULL ? "Changed" : "Removed", id);
  if (photo != NULL)
    roster_users_respond_record (request, after);
  else
    roster_request_respond_empty (request, 204);
}

static void
normalized_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RosterRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) photo = roster_photo_normalize_finish (result, &error);

  if (photo == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  store_photo (request, photo);
}

void
roster_photo_handle_put (RosterRequest *request)
{
  SoupServerMessage *msg = roster_request_get_message (request);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(RosterUserRecord) record = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean too_large = FALSE;

  if (g_strcmp0 (type, "image/png") != 0 && g_strcmp0 (type, "image/jpeg") != 0)
    {
      roster_request_respond_error (request, ROSTER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                                    _("Send the photo as image/png or image/jpeg"));
      return;
    }
  body = roster_server_dup_request_body (msg, &too_large);
  if (too_large)
    {
      g_autofree char *detail = g_strdup_printf (_("The photo must be at most %d bytes"),
                                                 ROSTER_REQUEST_MAX_BODY);

      roster_request_respond_error (request, ROSTER_ERROR_PAYLOAD_TOO_LARGE, detail);
      return;
    }
  if (body == NULL)
    {
      roster_request_respond_error (request, ROSTER_ERROR_INVALID_VALUE,
                                    _("The request holds no photo"));
      return;
    }
  /* Refuse an unknown user before spending a thread on the image. */
  record = roster_store_get_user_record (roster_request_get_store (request),
                                         roster_request_get_param (request, 0), &error);
  if (record == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  roster_request_pause (request);
  roster_photo_normalize_async (body, NULL, normalized_cb, roster_request_ref (request));
}

void
roster_photo_handle_delete (RosterRequest *request)
{
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GError) error = NULL;

  photo = roster_store_get_user_photo (roster_request_get_store (request),
                                       roster_request_get_param (request, 0), &error);
  if (photo == NULL)
    {
      roster_request_respond_gerror (request, error);
      return;
    }
  store_photo (request, NULL);
}
