/* roster-user-query.h: what GET /Users and POST /Users/.search ask the store for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RosterUserSort:
 *
 * The attributes /Users can be sorted by, each backed by an index. Without sortBy the order
 * is that of userName.
 */
typedef enum
{
  ROSTER_USER_SORT_USER_NAME,
  ROSTER_USER_SORT_FAMILY_NAME,
  ROSTER_USER_SORT_GIVEN_NAME,
  ROSTER_USER_SORT_DISPLAY_NAME,
  ROSTER_USER_SORT_EMAIL,
  ROSTER_USER_SORT_CREATED,
  ROSTER_USER_SORT_LAST_MODIFIED,
  ROSTER_USER_SORT_EMPLOYEE_NUMBER,
  ROSTER_USER_SORT_LAST_LOGIN,
} RosterUserSort;

/**
 * RosterUserQuery:
 * @filter: (nullable): a parsed SCIM filter (a RosterScimFilter), or %NULL for everyone
 * @start_index: 1-based
 * @count: the most users to return (0: only count them)
 */
typedef struct
{
  gpointer filter;
  RosterUserSort sort;
  gboolean descending;
  guint start_index;
  guint count;
} RosterUserQuery;

G_END_DECLS
