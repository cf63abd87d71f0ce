/* roster-router.h: a table of routes, matched by method and path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "roster-request.h"

G_BEGIN_DECLS

typedef void (*RosterHandlerFunc) (RosterRequest *request);

/**
 * RosterRouteFlags:
 * @ROSTER_ROUTE_PUBLIC: no token needed
 * @ROSTER_ROUTE_SIGNED_IN: needs a valid bearer token of an active user
 * @ROSTER_ROUTE_JSON_BODY: the request carries a JSON object, checked before the handler runs
 * @ROSTER_ROUTE_PASSWORD_CHANGE: also open to a session that must change its password first
 * @ROSTER_ROUTE_ADMINISTRATOR: only administrators (account actions, sessions, settings)
 * @ROSTER_ROUTE_BULK: may also be an operation of a Bulk request (RFC 7644 §3.7)
 * @ROSTER_ROUTE_TWO_FACTOR_SETUP: also open to an administrator who must enrol in two-factor
 *   sign-in first (requireTwoFactorForAdministrators)
 * @ROSTER_ROUTE_OPTIONAL_BODY: a body, if there is one, is a JSON object checked as for
 *   %ROSTER_ROUTE_JSON_BODY (a DELETE with a reassignment plan, a restore)
 * @ROSTER_ROUTE_RAW_BODY: the handler reads the body itself (a form POST)
 * @ROSTER_ROUTE_READ_ONLY: the handler only reads the store and answers before it returns
 *   (a GET without a body): it runs inside authentication's read transaction
 */
typedef enum
{
  ROSTER_ROUTE_PUBLIC = 0,
  ROSTER_ROUTE_SIGNED_IN = 1 << 0,
  ROSTER_ROUTE_JSON_BODY = 1 << 2,
  ROSTER_ROUTE_PASSWORD_CHANGE = 1 << 3,
  ROSTER_ROUTE_ADMINISTRATOR = ROSTER_ROUTE_SIGNED_IN | 1 << 4,
  ROSTER_ROUTE_BULK = 1 << 5,
  ROSTER_ROUTE_TWO_FACTOR_SETUP = 1 << 6,
  ROSTER_ROUTE_OPTIONAL_BODY = 1 << 7,
  ROSTER_ROUTE_RAW_BODY = 1 << 8,
  ROSTER_ROUTE_READ_ONLY = 1 << 9,
} RosterRouteFlags;

/**
 * RosterRoute:
 * @method: an HTTP method
 * @pattern: a path; a segment "{name}" matches any one non-empty segment
 * @permission: (nullable): the permission the caller needs (administrators have all)
 * @or_permission: (nullable): another permission that is enough as well
 */
typedef struct
{
  const char *method;
  const char *pattern;
  RosterRouteFlags flags;
  RosterHandlerFunc handler;
  const char *permission;
  const char *or_permission;
} RosterRoute;

const RosterRoute *roster_router_match (const RosterRoute *routes,
                                        gsize              n_routes,
                                        const char        *method,
                                        const char        *path,
                                        char            ***params,
                                        char             **allow);

G_END_DECLS
