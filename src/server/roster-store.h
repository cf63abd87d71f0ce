/* roster-store.h: where rosterd keeps users, sessions and setup state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "roster-audit-entry.h"
#include "roster-credentials.h"
#include "roster-outbox-mail.h"
#include "roster-resource-record.h"
#include "roster-session.h"
#include "roster-settings.h"
#include "roster-user.h"
#include "roster-user-query.h"
#include "roster-user-record.h"

G_BEGIN_DECLS

/**
 * RosterResourceKind:
 *
 * The resource types besides User that the store keeps.
 */
typedef enum
{
  ROSTER_RESOURCE_ROLE,
  ROSTER_RESOURCE_GROUP,
} RosterResourceKind;

/**
 * RosterResourceQuery:
 * @filter: (nullable): a parsed SCIM filter
 * @descending: by name (roles) or displayName (groups), then id
 * @start_index: 1-based
 * @count: the most to return (0: only count them)
 */
typedef struct
{
  gpointer filter;
  gboolean descending;
  guint start_index;
  guint count;
} RosterResourceQuery;

typedef enum
{
  ROSTER_AUDIT_SORT_TIME,
  ROSTER_AUDIT_SORT_ACTION,
} RosterAuditSort;

/**
 * RosterAuditQuery:
 * @filter: (nullable): a parsed SCIM filter on the AuditEvent schema
 * @sort: by time or by action (then time), always then by the order of appending
 * @descending: newest (or last action) first
 * @start_index: 1-based
 * @count: the most to return (0: only count them)
 */
typedef struct
{
  gpointer filter;
  RosterAuditSort sort;
  gboolean descending;
  guint start_index;
  guint count;
} RosterAuditQuery;

/**
 * RosterTotpState:
 * @secret: (nullable): the confirmed TOTP secret (base32): two-factor sign-in is on
 * @pending: (nullable): a secret being enrolled, not yet confirmed with a code
 * @last_step: the time step of the last code accepted
 */
typedef struct
{
  char *secret;
  char *pending;
  gint64 last_step;
} RosterTotpState;

void roster_totp_state_clear (RosterTotpState *state);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RosterTotpState, roster_totp_state_clear)
/**
 * RosterRecordQuery:
 * @kind: (nullable): "client", "order" or "task"; %NULL for every kind
 * @kinds: (nullable): with @kind %NULL, only these kinds (a %NULL-terminated list)
 * @owner_user_id: (nullable): only records this user owns
 * @owner_group_id: (nullable): only records this group owns
 * @queue: only unowned records (the general queue)
 * @state: (nullable): "open" or "done"
 * @start_index: 1-based
 * @count: the most to return (0: only count them)
 *
 * Records come ordered by kind, then creation time, then id.
 */
typedef struct
{
  const char *kind;
  const char *const *kinds;
  const char *owner_user_id;
  const char *owner_group_id;
  gboolean queue;
  const char *state;
  guint start_index;
  guint count;
} RosterRecordQuery;

/**
 * RosterRecordCounts:
 *
 * How many records of each kind (client, order, task) a user owns, open and done.
 */
typedef struct
{
  gint64 open[3];
  gint64 done[3];
} RosterRecordCounts;

/* What a read transaction sees of what users' representations are made of: two equal
 * stamps mean none of it changed in between (see roster_store_get_stamp()). */
typedef struct
{
  guint64 version;
} RosterStoreStamp;

#define ROSTER_TYPE_STORE (roster_store_get_type ())
G_DECLARE_INTERFACE (RosterStore, roster_store, ROSTER, STORE, GObject)

/**
 * RosterStoreInterface:
 *
 * Handlers only ever see this interface, so another database can be added as another
 * implementation without touching them. Every call is synchronous and made from the main
 * thread only; each write is one transaction. Failures are %ROSTER_ERROR_STORE (details go to
 * the log, never to the client), except where a method documents another code.
 */
struct _RosterStoreInterface
{
  GTypeInterface parent_iface;

  RosterUserRecord  *(*create_user)          (RosterStore    *self,
                                              JsonObject     *resource,
                                              const char     *password_hash,
                                              GError        **error);
  RosterUserRecord  *(*get_user_record)      (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  RosterUser        *(*get_user)             (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  GPtrArray         *(*search_users)         (RosterStore    *self,
                                              const RosterUserQuery *query,
                                              guint          *total_results,
                                              GError        **error);
  GPtrArray         *(*search_user_ids)      (RosterStore    *self,
                                              const RosterUserQuery *query,
                                              guint          *total_results,
                                              GError        **error);
  GPtrArray         *(*get_user_records)     (RosterStore    *self,
                                              GPtrArray      *ids,
                                              GError        **error);
  RosterUserRecord  *(*replace_user)         (RosterStore    *self,
                                              const char     *id,
                                              JsonObject     *resource,
                                              gint64          if_version,
                                              const char     *password_hash,
                                              GError        **error);
  gboolean           (*delete_user)          (RosterStore    *self,
                                              const char     *id,
                                              gint64          if_version,
                                              GError        **error);
  RosterCredentials *(*lookup_credentials)   (RosterStore    *self,
                                              const char     *user_name,
                                              GError        **error);

  gboolean           (*get_setup_done)       (RosterStore    *self,
                                              gboolean       *done,
                                              GError        **error);
  gboolean           (*set_setup_token)      (RosterStore    *self,
                                              const char     *token_hash,
                                              GError        **error);
  gboolean           (*check_setup_token)    (RosterStore    *self,
                                              const char     *token_hash,
                                              GError        **error);
  RosterUserRecord  *(*complete_setup)       (RosterStore    *self,
                                              const char     *token_hash,
                                              JsonObject     *admin,
                                              const char     *password_hash,
                                              RosterSession  *session,
                                              GError        **error);

  gboolean           (*create_session)       (RosterStore    *self,
                                              RosterSession  *session,
                                              GError        **error);
  RosterSession     *(*lookup_session)       (RosterStore    *self,
                                              const char     *token_hash,
                                              GError        **error);
  gboolean           (*touch_session)        (RosterStore    *self,
                                              const char     *token_hash,
                                              GDateTime      *now,
                                              GError        **error);
  gboolean           (*delete_session)       (RosterStore    *self,
                                              const char     *token_hash,
                                              GError        **error);

  RosterResourceRecord *(*create_resource)   (RosterStore    *self,
                                              RosterResourceKind kind,
                                              JsonObject     *resource,
                                              GError        **error);
  RosterResourceRecord *(*get_resource)      (RosterStore    *self,
                                              RosterResourceKind kind,
                                              const char     *id,
                                              GError        **error);
  GPtrArray         *(*search_resources)     (RosterStore    *self,
                                              RosterResourceKind kind,
                                              const RosterResourceQuery *query,
                                              guint          *total_results,
                                              GError        **error);
  RosterResourceRecord *(*replace_resource)  (RosterStore    *self,
                                              RosterResourceKind kind,
                                              const char     *id,
                                              JsonObject     *resource,
                                              gint64          if_version,
                                              GError        **error);
  gboolean           (*delete_resource)      (RosterStore    *self,
                                              RosterResourceKind kind,
                                              const char     *id,
                                              gint64          if_version,
                                              gboolean        force,
                                              GError        **error);
  GPtrArray         *(*get_grants)           (RosterStore    *self,
                                              const char     *user_id,
                                              GError        **error);
  gboolean           (*get_settings)         (RosterStore    *self,
                                              RosterSettings *settings,
                                              GError        **error);
  gboolean           (*put_settings)         (RosterStore    *self,
                                              RosterSettings *settings,
                                              gint64          if_version,
                                              GError        **error);
  gboolean           (*record_sign_in)       (RosterStore    *self,
                                              const char     *user_id,
                                              gboolean        success,
                                              gint64          lockout_threshold,
                                              gint64          now,
                                              gboolean       *locked,
                                              GError        **error);
  gboolean           (*lock_user)            (RosterStore    *self,
                                              const char     *user_id,
                                              const char     *reason,
                                              gint64          now,
                                              GError        **error);
  gint64             (*lock_inactive_users)  (RosterStore    *self,
                                              gint64          cutoff,
                                              gint64          now,
                                              GError        **error);
  gint64             (*record_refused_sign_in) (RosterStore  *self,
                                              const char     *user_name,
                                              gint64          since,
                                              gint64          now,
                                              GError        **error);
  gboolean           (*forget_refused_sign_ins) (RosterStore *self,
                                              gint64          before,
                                              GError        **error);
  RosterUserRecord  *(*unlock_user)          (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  RosterUserRecord  *(*set_password)         (RosterStore    *self,
                                              const char     *id,
                                              const char     *password_hash,
                                              gboolean        must_change,
                                              const char     *keep_session,
                                              GError        **error);
  GStrv              (*get_password_history) (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  GPtrArray         *(*list_sessions)        (RosterStore    *self,
                                              const char     *user_id,
                                              GError        **error);
  gboolean           (*delete_user_sessions) (RosterStore    *self,
                                              const char     *user_id,
                                              const char     *session_id,
                                              GError        **error);

  gboolean           (*begin)                (RosterStore    *self,
                                              GError        **error);
  gboolean           (*begin_read)           (RosterStore    *self,
                                              GError        **error);
  gboolean           (*get_stamp)            (RosterStore    *self,
                                              RosterStoreStamp *stamp,
                                              GError        **error);
  gboolean           (*commit)               (RosterStore    *self,
                                              GError        **error);
  void               (*rollback)             (RosterStore    *self);
  gboolean           (*append_audit)         (RosterStore    *self,
                                              RosterAuditEntry *event,
                                              GError        **error);
  RosterUserRecord  *(*set_user_photo)       (RosterStore    *self,
                                              const char     *id,
                                              GBytes         *photo,
                                              JsonArray      *photos,
                                              GError        **error);
  GBytes            *(*get_user_photo)       (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  GPtrArray         *(*search_audit)         (RosterStore    *self,
                                              const RosterAuditQuery *query,
                                              guint          *total_results,
                                              GError        **error);
  RosterAuditEntry  *(*get_audit)            (RosterStore    *self,
                                              const char     *id,
                                              GError        **error);
  GPtrArray         *(*list_inactive_users)  (RosterStore    *self,
                                              gint64          cutoff,
                                              GError        **error);
  gboolean           (*get_totp)             (RosterStore    *self,
                                              const char     *user_id,
                                              RosterTotpState *state,
                                              GError        **error);
  gboolean           (*set_totp_pending)     (RosterStore    *self,
                                              const char     *user_id,
                                              const char     *secret,
                                              GError        **error);
  gboolean           (*enable_totp)          (RosterStore    *self,
                                              const char     *user_id,
                                              gint64          step,
                                              GError        **error);
  gboolean           (*use_totp_step)        (RosterStore    *self,
                                              const char     *user_id,
                                              gint64          step,
                                              gboolean       *used,
                                              GError        **error);
  gboolean           (*reset_totp)           (RosterStore    *self,
                                              const char     *user_id,
                                              GError        **error);

  JsonObject        *(*create_record)        (RosterStore    *self,
                                              JsonObject     *record,
                                              GError        **error);
  GPtrArray         *(*search_records)       (RosterStore    *self,
                                              const RosterRecordQuery *query,
                                              guint          *total_results,
                                              GError        **error);
  gboolean           (*count_records)        (RosterStore    *self,
                                              const char     *user_id,
                                              RosterRecordCounts *counts,
                                              GError        **error);
  gint64             (*reassign_records)     (RosterStore    *self,
                                              const char     *user_id,
                                              const char     *kind,
                                              const char     *to_user_id,
                                              const char     *to_group_id,
                                              GError        **error);
  gboolean           (*soft_delete_user)     (RosterStore    *self,
                                              const char     *id,
                                              gint64          if_version,
                                              RosterUser     *deleted_by,
                                              gint64          window,
                                              JsonObject     *reassigned,
                                              GError        **error);
  GPtrArray         *(*list_deleted_users)   (RosterStore    *self,
                                              GError        **error);
  RosterUserRecord  *(*restore_user)         (RosterStore    *self,
                                              const char     *id,
                                              gboolean        active,
                                              JsonObject    **deleted,
                                              GError        **error);
  GPtrArray         *(*purge_deleted_users)  (RosterStore    *self,
                                              gint64          now,
                                              GError        **error);
  gint64             (*count_seats)          (RosterStore    *self,
                                              gboolean        administrators_count,
                                              GError        **error);

  gboolean           (*enqueue_mail)         (RosterStore    *self,
                                              RosterOutboxMail *mail,
                                              gint64          now,
                                              GError        **error);
  RosterOutboxMail  *(*next_mail)            (RosterStore    *self,
                                              gint64          now,
                                              GError        **error);
  gboolean           (*mail_sent)            (RosterStore    *self,
                                              const char     *id,
                                              gint64          now,
                                              GError        **error);
  gboolean           (*mail_failed)          (RosterStore    *self,
                                              const char     *id,
                                              gint64          next_attempt,
                                              const char     *reason,
                                              GError        **error);
  gboolean           (*create_activation_link) (RosterStore  *self,
                                              const char     *token_hash,
                                              const char     *user_id,
                                              gint64          now,
                                              gint64          expires,
                                              GError        **error);
  gboolean           (*lookup_activation_link) (RosterStore  *self,
                                              const char     *token_hash,
                                              char          **user_id,
                                              gint64         *expires,
                                              gboolean       *spent,
                                              GError        **error);
  gboolean           (*spend_activation_link) (RosterStore   *self,
                                              const char     *token_hash,
                                              gint64          now,
                                              GError        **error);
};

RosterUserRecord  *roster_store_create_user        (RosterStore    *self,
                                                    JsonObject     *resource,
                                                    const char     *password_hash,
                                                    GError        **error);
RosterUserRecord  *roster_store_get_user_record    (RosterStore    *self,
                                                    const char     *id,
                                                    GError        **error);
RosterUser        *roster_store_get_user           (RosterStore    *self,
                                                    const char     *id,
                                                    GError        **error);
GPtrArray         *roster_store_search_users       (RosterStore    *self,
                                                    const RosterUserQuery *query,
                                                    guint          *total_results,
                                                    GError        **error);
RosterUserRecord  *roster_store_replace_user       (RosterStore    *self,
                                                    const char     *id,
                                                    JsonObject     *resource,
                                                    gint64          if_version,
                                                    const char     *password_hash,
                                                    GError        **error);
gboolean           roster_store_delete_user        (RosterStore    *self,
                                                    const char     *id,
                                                    gint64          if_version,
                                                    GError        **error);
RosterCredentials *roster_store_lookup_credentials (RosterStore    *self,
                                                    const char     *user_name,
                                                    GError        **error);
gboolean           roster_store_get_setup_done     (RosterStore    *self,
                                                    gboolean       *done,
                                                    GError        **error);
gboolean           roster_store_set_setup_token    (RosterStore    *self,
                                                    const char     *token_hash,
                                                    GError        **error);
gboolean           roster_store_check_setup_token  (RosterStore    *self,
                                                    const char     *token_hash,
                                                    GError        **error);
RosterUserRecord  *roster_store_complete_setup     (RosterStore    *self,
                                                    const char     *token_hash,
                                                    JsonObject     *admin,
                                                    const char     *password_hash,
                                                    RosterSession  *session,
                                                    GError        **error);
gboolean           roster_store_create_session     (RosterStore    *self,
                                                    RosterSession  *session,
                                                    GError        **error);
RosterSession     *roster_store_lookup_session     (RosterStore    *self,
                                                    const char     *token_hash,
                                                    GError        **error);
gboolean           roster_store_touch_session      (RosterStore    *self,
                                                    const char     *token_hash,
                                                    GDateTime      *now,
                                                    GError        **error);
gboolean           roster_store_delete_session     (RosterStore    *self,
                                                    const char     *token_hash,
                                                    GError        **error);

RosterResourceRecord *roster_store_create_resource  (RosterStore    *self,
                                                    RosterResourceKind kind,
                                                    JsonObject     *resource,
                                                    GError        **error);
RosterResourceRecord *roster_store_get_resource     (RosterStore    *self,
                                                    RosterResourceKind kind,
                                                    const char     *id,
                                                    GError        **error);
GPtrArray         *roster_store_search_resources   (RosterStore    *self,
                                                    RosterResourceKind kind,
                                                    const RosterResourceQuery *query,
                                                    guint          *total_results,
                                                    GError        **error);
RosterResourceRecord *roster_store_replace_resource (RosterStore    *self,
                                                    RosterResourceKind kind,
                                                    const char     *id,
                                                    JsonObject     *resource,
                                                    gint64          if_version,
                                                    GError        **error);
gboolean           roster_store_delete_resource    (RosterStore    *self,
                                                    RosterResourceKind kind,
                                                    const char     *id,
                                                    gint64          if_version,
                                                    gboolean        force,
                                                    GError        **error);
GPtrArray         *roster_store_get_grants         (RosterStore    *self,
                                                    const char     *user_id,
                                                    GError        **error);
gboolean           roster_store_get_settings       (RosterStore    *self,
                                                    RosterSettings *settings,
                                                    GError        **error);
gboolean           roster_store_put_settings       (RosterStore    *self,
                                                    RosterSettings *settings,
                                                    gint64          if_version,
                                                    GError        **error);
gboolean           roster_store_record_sign_in     (RosterStore    *self,
                                                    const char     *user_id,
                                                    gboolean        success,
                                                    gint64          lockout_threshold,
                                                    gint64          now,
                                                    gboolean       *locked,
                                                    GError        **error);
gboolean           roster_store_lock_user          (RosterStore    *self,
                                                    const char     *user_id,
                                                    const char     *reason,
                                                    gint64          now,
                                                    GError        **error);
gint64             roster_store_lock_inactive_users (RosterStore   *self,
                                                    gint64          cutoff,
                                                    gint64          now,
                                                    GError        **error);
gint64             roster_store_record_refused_sign_in (RosterStore *self,
                                                    const char     *user_name,
                                                    gint64          since,
                                                    gint64          now,
                                                    GError        **error);
gboolean           roster_store_forget_refused_sign_ins (RosterStore *self,
                                                    gint64          before,
                                                    GError        **error);
RosterUserRecord  *roster_store_unlock_user        (RosterStore    *self,
                                                    const char     *id,
                                                    GError        **error);
RosterUserRecord  *roster_store_set_password       (RosterStore    *self,
                                                    const char     *id,
                                                    const char     *password_hash,
                                                    gboolean        must_change,
                                                    const char     *keep_session,
                                                    GError        **error);
GStrv              roster_store_get_password_history (RosterStore  *self,
                                                    const char     *id,
                                                    GError        **error);
GPtrArray         *roster_store_list_sessions      (RosterStore    *self,
                                                    const char     *user_id,
                                                    GError        **error);
gboolean           roster_store_delete_user_sessions (RosterStore  *self,
                                                    const char     *user_id,
                                                    const char     *session_id,
                                                    GError        **error);

gboolean           roster_store_begin_read         (RosterStore    *self,
                                                    GError        **error);
gboolean           roster_store_get_stamp          (RosterStore    *self,
                                                    RosterStoreStamp *stamp,
                                                    GError        **error);
GPtrArray         *roster_store_search_user_ids    (RosterStore    *self,
                                                    const RosterUserQuery *query,
                                                    guint          *total_results,
                                                    GError        **error);
GPtrArray         *roster_store_get_user_records   (RosterStore    *self,
                                                    GPtrArray      *ids,
                                                    GError        **error);
gboolean           roster_store_begin              (RosterStore    *self,
                                                    GError        **error);
gboolean           roster_store_commit             (RosterStore    *self,
                                                    GError        **error);
void               roster_store_rollback           (RosterStore    *self);
gboolean           roster_store_enqueue_mail       (RosterStore    *self,
                                                    RosterOutboxMail *mail,
                                                    gint64          now,
                                                    GError        **error);
RosterOutboxMail  *roster_store_next_mail          (RosterStore    *self,
                                                    gint64          now,
                                                    GError        **error);
gboolean           roster_store_mail_sent          (RosterStore    *self,
                                                    const char     *id,
                                                    gint64          now,
                                                    GError        **error);
gboolean           roster_store_mail_failed        (RosterStore    *self,
                                                    const char     *id,
                                                    gint64          next_attempt,
                                                    const char     *reason,
                                                    GError        **error);
gboolean           roster_store_create_activation_link (RosterStore *self,
                                                    const char     *token_hash,
                                                    const char     *user_id,
                                                    gint64          now,
                                                    gint64          expires,
                                                    GError        **error);
gboolean           roster_store_lookup_activation_link (RosterStore *self,
                                                    const char     *token_hash,
                                                    char          **user_id,
                                                    gint64         *expires,
                                                    gboolean       *spent,
                                                    GError        **error);
gboolean           roster_store_spend_activation_link (RosterStore *self,
                                                    const char     *token_hash,
                                                    gint64          now,
                                                    GError        **error);
gboolean           roster_store_append_audit       (RosterStore    *self,
                                                    RosterAuditEntry *event,
                                                    GError        **error);
RosterUserRecord  *roster_store_set_user_photo     (RosterStore    *self,
                                                    const char     *id,
                                                    GBytes         *photo,
                                                    JsonArray      *photos,
                                                    GError        **error);
GBytes            *roster_store_get_user_photo     (RosterStore    *self,
                                                    const char     *id,
                                                    GError        **error);
GPtrArray         *roster_store_search_audit       (RosterStore    *self,
                                                    const RosterAuditQuery *query,
                                                    guint          *total_results,
                                                    GError        **error);
RosterAuditEntry  *roster_store_get_audit          (RosterStore    *self,
                                                    const char     *id,
                                                    GError        **error);
GPtrArray         *roster_store_list_inactive_users (RosterStore   *self,
                                                    gint64          cutoff,
                                                    GError        **error);
gboolean           roster_store_get_totp           (RosterStore    *self,
                                                    const char     *user_id,
                                                    RosterTotpState *state,
                                                    GError        **error);
gboolean           roster_store_set_totp_pending   (RosterStore    *self,
                                                    const char     *user_id,
                                                    const char     *secret,
                                                    GError        **error);
gboolean           roster_store_enable_totp        (RosterStore    *self,
                                                    const char     *user_id,
                                                    gint64          step,
                                                    GError        **error);
gboolean           roster_store_use_totp_step      (RosterStore    *self,
                                                    const char     *user_id,
                                                    gint64          step,
                                                    gboolean       *used,
                                                    GError        **error);
gboolean           roster_store_reset_totp         (RosterStore    *self,
                                                    const char     *user_id,
                                                    GError        **error);

JsonObject        *roster_store_create_record      (RosterStore    *self,
                                                    JsonObject     *record,
                                                    GError        **error);
GPtrArray         *roster_store_search_records     (RosterStore    *self,
                                                    const RosterRecordQuery *query,
                                                    guint          *total_results,
                                                    GError        **error);
gboolean           roster_store_count_records      (RosterStore    *self,
                                                    const char     *user_id,
                                                    RosterRecordCounts *counts,
                                                    GError        **error);
gint64             roster_store_reassign_records   (RosterStore    *self,
                                                    const char     *user_id,
                                                    const char     *kind,
                                                    const char     *to_user_id,
                                                    const char     *to_group_id,
                                                    GError        **error);
gboolean           roster_store_soft_delete_user   (RosterStore    *self,
                                                    const char     *id,
                                                    gint64          if_version,
                                                    RosterUser     *deleted_by,
                                                    gint64          window,
                                                    JsonObject     *reassigned,
                                                    GError        **error);
GPtrArray         *roster_store_list_deleted_users (RosterStore    *self,
                                                    GError        **error);
RosterUserRecord  *roster_store_restore_user       (RosterStore    *self,
                                                    const char     *id,
                                                    gboolean        active,
                                                    JsonObject    **deleted,
                                                    GError        **error);
GPtrArray         *roster_store_purge_deleted_users (RosterStore   *self,
                                                    gint64          now,
                                                    GError        **error);
gint64             roster_store_count_seats        (RosterStore    *self,
                                                    gboolean        administrators_count,
                                                    GError        **error);

G_END_DECLS
