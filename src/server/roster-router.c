/* roster-router.c: a table of routes, matched by method and path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-router.h"

/* Matches @path against @pattern segment by segment, collecting placeholder values. */
static gboolean
match_path (const char *pattern, const char *path, GPtrArray *params)
{
  g_auto(GStrv) pattern_parts = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) path_parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (pattern_parts);

  if (g_strv_length (path_parts) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *want = pattern_parts[i];

      if (want[0] == '{')
        {
          if (path_parts[i][0] == '\0')
            return FALSE;
          g_ptr_array_add (params, g_strdup (path_parts[i]));
        }
      else if (strcmp (want, path_parts[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * roster_router_match:
 * @params: (out) (transfer full): the placeholder values of the matched route
 * @allow: (out) (transfer full) (nullable): when the path is known but the method is not,
 *   the methods it allows ("GET, POST"), for a 405
 *
 * Returns: (nullable): the route for @method and @path, or %NULL (404, or 405 if @allow is
 *   set)
 */
const RosterRoute *
roster_router_match (const RosterRoute *routes, gsize n_routes, const char *method,
                     const char *path, char ***params, char **allow)
{
  g_autoptr(GString) allowed = NULL;

  *params = NULL;
  *allow = NULL;
  for (gsize i = 0; i < n_routes; i++)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

      if (!match_path (routes[i].pattern, path, values))
        continue;
      if (strcmp (routes[i].method, method) == 0)
        {
          g_ptr_array_add (values, NULL);
          *params = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
          return &routes[i];
        }
      if (allowed == NULL)
        allowed = g_string_new (routes[i].method);
      else
        g_string_append_printf (allowed, ", %s", routes[i].method);
    }
  if (allowed != NULL)
    *allow = g_string_free (g_steal_pointer (&allowed), FALSE);
  return NULL;
}
