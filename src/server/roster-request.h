/* roster-request.h: one HTTP request on its way through rosterd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "roster-error.h"
#include "roster-session.h"
#include "roster-store.h"

G_BEGIN_DECLS

typedef struct _RosterServer RosterServer;
typedef struct _RosterRequest RosterRequest;

#define ROSTER_REQUEST_MAX_BODY (1024 * 1024)

RosterRequest     *roster_request_new              (RosterServer      *server,
                                                    SoupServerMessage *msg,
                                                    GHashTable        *query);
typedef void (*RosterRequestDoneFunc) (RosterRequest *request, gpointer user_data);

RosterRequest     *roster_request_new_sub          (RosterRequest     *parent,
                                                    RosterRequestDoneFunc done,
                                                    gpointer           user_data);
const char        *roster_request_get_token_hash   (RosterRequest     *self);
gboolean           roster_request_is_sub           (RosterRequest     *self);
RosterRequest     *roster_request_ref              (RosterRequest     *self);
void               roster_request_unref            (RosterRequest     *self);

RosterServer      *roster_request_get_server       (RosterRequest     *self);
RosterStore       *roster_request_get_store        (RosterRequest     *self);
SoupServerMessage *roster_request_get_message      (RosterRequest     *self);
const char        *roster_request_get_header       (RosterRequest     *self,
                                                    const char        *name);
void               roster_request_set_request_header (RosterRequest   *self,
                                                    const char        *name,
                                                    const char        *value);
void               roster_request_set_response_header (RosterRequest  *self,
                                                    const char        *name,
                                                    const char        *value);
const char        *roster_request_get_response_header (RosterRequest  *self,
                                                    const char        *name);
const char        *roster_request_get_remote_host  (RosterRequest     *self);
const char        *roster_request_get_query        (RosterRequest     *self,
                                                    const char        *name);
void               roster_request_set_query        (RosterRequest     *self,
                                                    GHashTable        *query);
void               roster_request_set_params       (RosterRequest     *self,
                                                    char             **params);
const char        *roster_request_get_param        (RosterRequest     *self,
                                                    guint              index);
void               roster_request_set_session      (RosterRequest     *self,
                                                    RosterSession     *session,
                                                    RosterUser        *user);
RosterSession     *roster_request_get_session      (RosterRequest     *self);
RosterUser        *roster_request_get_user         (RosterRequest     *self);
void               roster_request_set_permissions  (RosterRequest     *self,
                                                    GHashTable        *permissions);
gboolean           roster_request_has_permission   (RosterRequest     *self,
                                                    const char        *permission);
gboolean           roster_request_is_administrator (RosterRequest     *self);
void               roster_request_forbid           (RosterRequest     *self,
                                                    const char        *permission,
                                                    const char        *detail);
gboolean           roster_request_read_body        (RosterRequest     *self,
                                                    GBytes            *body,
                                                    gboolean           too_large,
                                                    GError           **error);
JsonObject        *roster_request_get_body         (RosterRequest     *self);
void               roster_request_set_body         (RosterRequest     *self,
                                                    JsonNode          *body);
gboolean           roster_request_has_body         (RosterRequest     *self);
guint              roster_request_get_status       (RosterRequest     *self);
JsonNode          *roster_request_get_response     (RosterRequest     *self);

void               roster_request_pause            (RosterRequest     *self);
void               roster_request_respond_json     (RosterRequest     *self,
                                                    guint              status,
                                                    JsonNode          *node);
void               roster_request_respond_json_bytes (RosterRequest *self,
                                                      guint          status,
                                                      GBytes        *json);
void               roster_request_respond_empty    (RosterRequest     *self,
                                                    guint              status);
void               roster_request_respond_bytes    (RosterRequest     *self,
                                                    guint              status,
                                                    const char        *content_type,
                                                    GBytes            *bytes);
void               roster_request_respond_html     (RosterRequest     *self,
                                                    guint              status,
                                                    const char        *html);
void               roster_request_set_raw_body     (RosterRequest     *self,
                                                    GBytes            *body);
GBytes            *roster_request_get_raw_body     (RosterRequest     *self);
void               roster_request_respond_error    (RosterRequest     *self,
                                                    RosterErrorCode    code,
                                                    const char        *detail);
void               roster_request_respond_gerror   (RosterRequest     *self,
                                                    const GError      *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterRequest, roster_request_unref)

G_END_DECLS
