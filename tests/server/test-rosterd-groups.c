/* test-rosterd-groups.c: Roles, Groups, /Permissions, users' roles, entitlements, groups and
 * effective permissions against a real rosterd
 *
 * Every refused request is checked to leave the database as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define CORE "urn:ietf:params:scim:schemas:core:2.0:User"
#define ROSTER "urn:roster:params:scim:schemas:extension:crm:2.0:User"
#define GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define RGROUP "urn:roster:params:scim:schemas:extension:crm:2.0:Group"
#define ROLE "urn:roster:params:scim:schemas:core:2.0:Role"
#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define PASSWORD "correct horse battery staple"

typedef struct
{
  RosterTestServer *server;
  char *token;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = roster_test_server_start (NULL);
  fixture->token = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->token, g_free);
}

static JsonNode *
call (Fixture *fixture, const char *method, const char *path, const char *body, guint status)
{
  return test_call (fixture->server, fixture->token, method, path, body, NULL, status, NULL);
}

/* A request that must be refused with @code and change nothing. */
static void
refuse (Fixture *fixture, const char *token, const char *method, const char *path,
        const char *body, const char *const *headers, guint status, const char *code,
        const char *scim_type)
{
  g_autofree char *before = test_db_snapshot (fixture->server->data_dir);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) node = test_call (fixture->server, token != NULL ? token : fixture->token,
                                        method, path, body, headers, status, NULL);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  test_assert_scim_error (text, status, code, scim_type);
  after = test_db_snapshot (fixture->server->data_dir);
  g_assert_cmpstr (before, ==, after);
}

static char *
create (Fixture *fixture, const char *path, const char *body)
{
  return test_create (fixture->server, fixture->token, path, body);
}

static char *
path_of (const char *collection, const char *id)
{
  return g_strconcat ("/scim/v2/", collection, "/", id, NULL);
}

static JsonObject *
get (Fixture *fixture, const char *collection, const char *id, JsonNode **keep)
{
  g_autofree char *path = path_of (collection, id);

  *keep = call (fixture, "GET", path, NULL, 200);
  return json_node_get_object (*keep);
}

static const char *
version_of (JsonObject *resource)
{
  return json_object_get_string_member (json_object_get_object_member (resource, "meta"),
                                        "version");
}

static gint64
total (Fixture *fixture, const char *path)
{
  g_autoptr(JsonNode) list = call (fixture, "GET", path, NULL, 200);

  return json_object_get_int_member (json_node_get_object (list), "totalResults");
}

/* A user who can sign in, with @extra JSON members (jq) after userName; returns the id. */
static char *
create_user (Fixture *fixture, const char *user_name, const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{'userName': '%s', 'password': '" PASSWORD "'%s%s}",
                                           user_name, extra != NULL ? ", " : "",
                                           extra != NULL ? extra : "");

  return create (fixture, "/scim/v2/Users", body);
}

static void
test_permissions (Fixture *fixture, gconstpointer data)
{
  const char *ids[] = { "users.view", "users.manage", "roles.manage", "groups.manage",
                        "audit.view", "settings.manage", "photos.manage", "clients.view",
                        "clients.manage", "orders.view", "orders.manage", "tasks.view",
                        "tasks.manage" };
  g_autoptr(JsonNode) list = call (fixture, "GET", "/scim/v2/Permissions", NULL, 200);
  JsonObject *object = json_node_get_object (list);
  JsonArray *resources = json_object_get_array_member (object, "Resources");

  g_assert_cmpint (json_object_get_int_member (object, "totalResults"), ==, G_N_ELEMENTS (ids));
  g_assert_cmpuint (json_array_get_length (resources), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *permission = json_array_get_object_element (resources, i);

      g_assert_cmpstr (json_object_get_string_member (permission, "id"), ==, ids[i]);
      g_assert_cmpstr (json_object_get_string_member (permission, "name"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (permission, "description"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (permission, "area"), !=, "");
    }
}

static void
test_roles_crud (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autofree char *id = NULL, *path = NULL, *other = NULL, *location = NULL;
  const char *const stale[] = { "If-Match", "W/\"1\"", NULL };
  JsonObject *role;
  JsonArray *permissions;

  node = test_call (fixture->server, fixture->token, "POST", "/scim/v2/Roles",
                    "{'schemas': ['" ROLE "'], 'name': 'Sales', 'description': 'Sells things',"
                    " 'permissions': ['clients.view', 'orders.view']}",
                    NULL, 201, &headers);
  role = json_node_get_object (node);
  id = g_strdup (json_object_get_string_member (role, "id"));
  path = path_of ("Roles", id);
  location = g_strconcat (fixture->server->base_url, path, NULL);
  g_assert_cmpstr (g_hash_table_lookup (headers, "location"), ==, location);
  g_assert_cmpstr (g_hash_table_lookup (headers, "etag"), ==, "W/\"1\"");
  g_assert_cmpstr (json_object_get_string_member (role, "name"), ==, "Sales");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (role, "schemas"),
                                                  0),
                   ==, ROLE);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (role, "meta"),
                                                  "resourceType"),
                   ==, "Role");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (role, "permissions")),
                    ==, 2);
  g_clear_pointer (&node, json_node_unref);

  /* Bad input changes nothing. */
  refuse (fixture, NULL, "POST", "/scim/v2/Roles", "{'name': 'SALES'}", NULL, 409,
          "role-name-taken", "uniqueness");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles", "{'name': 'X', 'permissions': ['nope']}",
          NULL, 400, "invalid-value", "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles", "{'description': 'no name'}", NULL, 400,
          "missing-attribute", "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles", "{'name': 'X', 'colour': 'red'}", NULL, 400,
          "invalid-syntax", "invalidSyntax");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles",
          "{'name': 'X', 'permissions': ['tasks.view', 'tasks.view']}", NULL, 400,
          "invalid-value", "invalidValue");

  /* Listing: filter, sort, paging. */
  other = create (fixture, "/scim/v2/Roles", "{'name': 'Accounting', 'permissions': ['orders.manage']}");
  g_assert_cmpint (total (fixture, "/scim/v2/Roles"), ==, 2);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles?filter=name%20eq%20%22sales%22"), ==, 1);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles?filter=permissions%20eq%20%22orders.view%22"),
                   ==, 1);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles?filter=description%20co%20%22sell%22"), ==,
                   1);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles?filter=permissions%20pr"), ==, 2);
  node = call (fixture, "GET", "/scim/v2/Roles?sortBy=name&sortOrder=descending&count=1", NULL,
               200);
  {
    JsonObject *list = json_node_get_object (node);
    JsonArray *resources = json_object_get_array_member (list, "Resources");

    g_assert_cmpint (json_object_get_int_member (list, "totalResults"), ==, 2);
    g_assert_cmpuint (json_array_get_length (resources), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (resources, 0),
                                                    "name"),
                     ==, "Sales");
  }
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "GET", "/scim/v2/Roles?startIndex=2", NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (node), "Resources"),
                       0),
                     "name"),
                   ==, "Sales");
  g_clear_pointer (&node, json_node_unref);
  refuse (fixture, NULL, "GET", "/scim/v2/Roles?sortBy=description", NULL, NULL, 400,
          "invalid-value", "invalidValue");
  refuse (fixture, NULL, "GET", "/scim/v2/Roles?filter=colour%20eq%20%22red%22", NULL, NULL,
          400, "invalid-filter", "invalidFilter");

  /* PUT, then PATCH add/replace/remove. */
  node = call (fixture, "PUT", path,
               "{'schemas': ['" ROLE "'], 'name': 'Sales team',"
               " 'permissions': ['clients.view']}",
               200);
  role = json_node_get_object (node);
  g_assert_cmpstr (version_of (role), ==, "W/\"2\"");
  g_assert_false (json_object_has_member (role, "description"));
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': ["
               " {'op': 'replace', 'path': 'description', 'value': 'Sells more'},"
               " {'op': 'add', 'path': 'permissions', 'value': ['tasks.view', 'clients.view']}]}",
               200);
  role = json_node_get_object (node);
  permissions = json_object_get_array_member (role, "permissions");
  g_assert_cmpuint (json_array_get_length (permissions), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (permissions, 1), ==, "tasks.view");
  g_assert_cmpstr (json_object_get_string_member (role, "description"), ==, "Sells more");
  g_assert_cmpstr (version_of (role), ==, "W/\"3\"");
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': ["
               " {'op': 'remove', 'path': 'permissions', 'value': ['tasks.view']}]}",
               200);
  permissions = json_object_get_array_member (json_node_get_object (node), "permissions");
  g_assert_cmpuint (json_array_get_length (permissions), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (permissions, 0), ==, "clients.view");
  g_clear_pointer (&node, json_node_unref);
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': ["
          " {'op': 'remove', 'path': 'permissions', 'value': ['tasks.view']}]}",
          NULL, 400, "no-target", "noTarget");
  node = call (fixture, "PATCH", path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': ["
               " {'op': 'remove', 'path': 'permissions'}, {'op': 'remove', 'path': 'description'}]}",
               200);
  g_assert_false (json_object_has_member (json_node_get_object (node), "permissions"));
  g_assert_false (json_object_has_member (json_node_get_object (node), "description"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles?filter=permissions%20pr"), ==, 1);
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'remove', 'path': 'name'}]}", NULL,
          400, "missing-attribute", "invalidValue");
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': ["
          " {'op': 'add', 'path': 'permissions', 'value': ['orders.view', 'bogus']}]}",
          NULL, 400, "invalid-value", "invalidValue");
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': ["
          " {'op': 'replace', 'path': 'name', 'value': 'accounting'}]}",
          NULL, 409, "role-name-taken", "uniqueness");

  /* ETags: stale writes are 412 and change nothing; a current GET is 304. */
  refuse (fixture, NULL, "PUT", path, "{'name': 'Stale'}", stale, 412, "precondition-failed",
          NULL);
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': ["
          " {'op': 'replace', 'path': 'name', 'value': 'Stale'}]}",
          stale, 412, "precondition-failed", NULL);
  refuse (fixture, NULL, "DELETE", path, NULL, stale, 412, "precondition-failed", NULL);
  {
    const char *current[] = { "If-None-Match", "W/\"5\"", NULL };

    g_assert_null (test_call (fixture->server, fixture->token, "GET", path, NULL, current, 304,
                              NULL));
  }

  refuse (fixture, NULL, "GET", "/scim/v2/Roles/no-such-role", NULL, NULL, 404, "not-found",
          NULL);
  g_assert_null (call (fixture, "DELETE", path, NULL, 204));
  refuse (fixture, NULL, "GET", path, NULL, NULL, 404, "not-found", NULL);
  g_assert_cmpint (total (fixture, "/scim/v2/Roles"), ==, 1);
}

static void
test_roles_in_use (Fixture *fixture, gconstpointer data)
{
  g_autofree char *role = create (fixture, "/scim/v2/Roles", "{'name': 'Sales'}");
  g_autofree char *role_path = path_of ("Roles", role);
  g_autofree char *roles = g_strdup_printf ("'roles': [{'value': '%s'}]", role);
  g_autofree char *user = create_user (fixture, "seller", roles);
  g_autofree char *version = NULL;
  g_autofree char *force = g_strconcat (role_path, "?force=true", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) error = NULL;
  JsonObject *object;
  JsonArray *array;

  object = get (fixture, "Users", user, &node);
  array = json_object_get_array_member (object, "roles");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "value"),
                   ==, role);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "display"),
                   ==, "Sales");
  version = g_strdup (version_of (object));
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *filter = g_strdup_printf ("/scim/v2/Users?filter=roles.value%%20eq%%20%%22%s%%22",
                                               role);

    g_assert_cmpint (total (fixture, filter), ==, 1);
  }

  refuse (fixture, NULL, "DELETE", role_path, NULL, NULL, 409, "role-in-use", NULL);
  error = call (fixture, "DELETE", role_path, NULL, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (error),
                                                           "detail"),
                            "1 user"));
  g_assert_null (call (fixture, "DELETE", force, NULL, 204));
  object = get (fixture, "Users", user, &node);
  g_assert_false (json_object_has_member (object, "roles"));
  g_assert_cmpstr (version_of (object), !=, version);
  g_clear_pointer (&node, json_node_unref);

  /* Roles must exist. */
  refuse (fixture, NULL, "POST", "/scim/v2/Users", "{'userName': 'x', 'roles': [{'value': 'nope'}]}",
          NULL, 400, "invalid-value", "invalidValue");
  {
    g_autofree char *path = path_of ("Users", user);

    refuse (fixture, NULL, "PATCH", path,
            "{'schemas': ['" PATCH_OP "'], 'Operations': ["
            " {'op': 'add', 'path': 'roles', 'value': [{'value': 'nope'}]}]}",
            NULL, 400, "invalid-value", "invalidValue");
  }
}

static JsonArray *
members_of (JsonObject *group)
{
  return json_object_has_member (group, "members") ? json_object_get_array_member (group,
                                                                                   "members")
                                                   : NULL;
}

static const char *
member_value (JsonObject *group, guint index)
{
  return json_object_get_string_member (json_array_get_object_element (members_of (group),
                                                                       index),
                                        "value");
}

static void
patch_group (Fixture *fixture, const char *path, const char *operations, JsonNode **node)
{
  g_autofree char *body = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [%s]}",
                                           operations);

  g_clear_pointer (node, json_node_unref);
  *node = call (fixture, "PATCH", path, body, 200);
}

static void
test_groups (Fixture *fixture, gconstpointer data)
{
  g_autofree char *babs = create_user (fixture, "babs", "'displayName': 'Babs Jensen'");
  g_autofree char *mandy = create_user (fixture, "mandy", "'displayName': 'Mandy Pepperidge'");
  g_autofree char *third = create_user (fixture, "third", NULL);
  g_autofree char *body = NULL, *id = NULL, *path = NULL, *ops = NULL, *ref = NULL;
  g_autofree char *filter = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *group, *member, *ext;

  body = g_strdup_printf ("{'schemas': ['" GROUP "', '" RGROUP "'], 'displayName': 'Tour Guides',"
                          " 'members': [{'value': '%s', 'display': 'ignored'}],"
                          " '" RGROUP "': {'kind': 'team', 'description': 'Guides'}}",
                          babs);
  node = call (fixture, "POST", "/scim/v2/Groups", body, 201);
  group = json_node_get_object (node);
  id = g_strdup (json_object_get_string_member (group, "id"));
  path = path_of ("Groups", id);
  member = json_array_get_object_element (members_of (group), 0);
  ref = g_strconcat (fixture->server->base_url, "/scim/v2/Users/", babs, NULL);
  g_assert_cmpstr (json_object_get_string_member (member, "value"), ==, babs);
  g_assert_cmpstr (json_object_get_string_member (member, "$ref"), ==, ref);
  g_assert_cmpstr (json_object_get_string_member (member, "display"), ==, "Babs Jensen");
  g_assert_cmpstr (json_object_get_string_member (member, "type"), ==, "User");
  ext = json_object_get_object_member (group, RGROUP);
  g_assert_cmpstr (json_object_get_string_member (ext, "kind"), ==, "team");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (group, "meta"),
                                                  "resourceType"),
                   ==, "Group");
  g_clear_pointer (&node, json_node_unref);

  /* kind defaults to group. */
  node = call (fixture, "POST", "/scim/v2/Groups", "{'displayName': 'Employees'}", 201);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (node), RGROUP),
                     "kind"),
                   ==, "group");
  g_clear_pointer (&node, json_node_unref);

  /* Bad input changes nothing. */
  refuse (fixture, NULL, "POST", "/scim/v2/Groups",
          "{'displayName': 'X', 'members': [{'value': 'no-such-user'}]}", NULL, 400,
          "invalid-value", "invalidValue");
  g_free (body);
  body = g_strdup_printf ("{'displayName': 'X', 'members': [{'value': '%s', 'type': 'Group'}]}",
                          id);
  refuse (fixture, NULL, "POST", "/scim/v2/Groups", body, NULL, 400, "invalid-value",
          "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Groups", "{'members': []}", NULL, 400,
          "missing-attribute", "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Groups",
          "{'displayName': 'X', '" RGROUP "': {'kind': 'club'}}", NULL, 400, "invalid-value",
          "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Groups",
          "{'displayName': 'X', '" RGROUP "': {'permissions': ['nope']}}", NULL, 400,
          "invalid-value", "invalidValue");

  /* RFC 7644 §3.5.2.1: add a member; each change is a new version. */
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'add', 'path': 'members', 'value': [{'display': 'Mandy',"
                         " '$ref': '%s/scim/v2/Users/%s', 'value': '%s'}]}",
                         fixture->server->base_url, mandy, mandy);
  patch_group (fixture, path, ops, &node);
  group = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (members_of (group)), ==, 2);
  g_assert_cmpstr (member_value (group, 1), ==, mandy);
  g_assert_cmpstr (version_of (group), ==, "W/\"2\"");

  /* Adding someone twice changes nothing in the list. */
  patch_group (fixture, path, ops, &node);
  g_assert_cmpuint (json_array_get_length (members_of (json_node_get_object (node))), ==, 2);

  /* §3.5.2.2: remove one member by a value filter. */
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'remove', 'path': 'members[value eq \\\"%s\\\"]'}", babs);
  patch_group (fixture, path, ops, &node);
  group = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (members_of (group)), ==, 1);
  g_assert_cmpstr (member_value (group, 0), ==, mandy);
  refuse (fixture, NULL, "PATCH", path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': ["
          " {'op': 'remove', 'path': 'members[value eq \\\"nobody\\\"]'}]}",
          NULL, 400, "no-target", "noTarget");

  /* A remove with a value takes only those values, as several clients send it. */
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'add', 'path': 'members', 'value': [{'value': '%s'}]},"
                         " {'op': 'remove', 'path': 'members', 'value': [{'value': '%s'}]}",
                         third, mandy);
  patch_group (fixture, path, ops, &node);
  group = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (members_of (group)), ==, 1);
  g_assert_cmpstr (member_value (group, 0), ==, third);
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'replace', 'path': 'members', 'value': [{'value': '%s'}]}",
                         mandy);
  patch_group (fixture, path, ops, &node);

  /* §3.5.2.2: remove all members, then §3.5.2.3's replace as remove + add. */
  patch_group (fixture, path, "{'op': 'remove', 'path': 'members'}", &node);
  g_assert_null (members_of (json_node_get_object (node)));
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'remove', 'path': 'members'},"
                         " {'op': 'add', 'path': 'members', 'value': [{'value': '%s'},"
                         " {'value': '%s'}]}",
                         babs, third);
  patch_group (fixture, path, ops, &node);
  g_assert_cmpuint (json_array_get_length (members_of (json_node_get_object (node))), ==, 2);
  g_free (ops);
  ops = g_strdup_printf ("{'op': 'replace', 'path': 'members', 'value': [{'value': '%s'},"
                         " {'value': '%s'}]}",
                         babs, mandy);
  patch_group (fixture, path, ops, &node);
  group = json_node_get_object (node);
  g_assert_cmpstr (member_value (group, 0), ==, babs);
  g_assert_cmpstr (member_value (group, 1), ==, mandy);
  patch_group (fixture, path,
               "{'op': 'replace', 'value': {'displayName': 'Tour guides',"
               " '" RGROUP "': {'description': 'People who guide'}}}",
               &node);
  group = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (group, "displayName"), ==, "Tour guides");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (group, RGROUP),
                                                  "kind"),
                   ==, "team");
  g_assert_cmpstr (version_of (group), ==, "W/\"10\"");

  /* Users' groups come from the memberships, and can be filtered. */
  {
    g_autoptr(JsonNode) user_node = NULL;
    JsonObject *user = get (fixture, "Users", mandy, &user_node);
    JsonArray *groups = json_object_get_array_member (user, "groups");
    JsonObject *first = json_array_get_object_element (groups, 0);
    g_autofree char *group_ref = g_strconcat (fixture->server->base_url, path, NULL);

    g_assert_cmpuint (json_array_get_length (groups), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "value"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (first, "$ref"), ==, group_ref);
    g_assert_cmpstr (json_object_get_string_member (first, "display"), ==, "Tour guides");
    g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "direct");
  }
  filter = g_strdup_printf ("/scim/v2/Users?filter=groups.value%%20eq%%20%%22%s%%22", id);
  g_assert_cmpint (total (fixture, filter), ==, 2);
  g_free (filter);
  filter = g_strdup_printf ("/scim/v2/Users?filter=not%%20(groups.value%%20eq%%20%%22%s%%22)",
                            id);
  g_assert_cmpint (total (fixture, filter), ==, 2); /* admin and third */
  g_assert_cmpint (total (fixture, "/scim/v2/Users?filter=groups%20pr"), ==, 2);

  /* Groups are listed, filtered and sorted. */
  g_assert_cmpint (total (fixture, "/scim/v2/Groups"), ==, 2);
  g_assert_cmpint (total (fixture, "/scim/v2/Groups?filter=displayName%20sw%20%22tour%22"), ==,
                   1);
  g_assert_cmpint (total (fixture, "/scim/v2/Groups?filter=" RGROUP ":kind%20eq%20%22team%22"),
                   ==, 1);
  g_assert_cmpint (total (fixture, "/scim/v2/Groups?filter=kind%20eq%20%22group%22"), ==, 1);
  g_free (filter);
  filter = g_strdup_printf ("/scim/v2/Groups?filter=members.value%%20eq%%20%%22%s%%22", mandy);
  g_assert_cmpint (total (fixture, filter), ==, 1);
  g_free (filter);
  filter = g_strdup_printf ("/scim/v2/Groups?filter=members%%5Bvalue%%20eq%%20%%22%s%%22%%5D",
                            babs);
  g_assert_cmpint (total (fixture, filter), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "GET", "/scim/v2/Groups?sortBy=displayName&sortOrder=descending", NULL,
               200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (node), "Resources"),
                       0),
                     "displayName"),
                   ==, "Tour guides");

  /* PUT replaces everything, members included. */
  g_free (body);
  body = g_strdup_printf ("{'schemas': ['" GROUP "'], 'displayName': 'Guides',"
                          " 'members': [{'value': '%s'}]}",
                          third);
  g_clear_pointer (&node, json_node_unref);
  node = call (fixture, "PUT", path, body, 200);
  group = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (members_of (group)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (group, RGROUP),
                                                  "kind"),
                   ==, "group");
  {
    const char *stale[] = { "If-Match", "W/\"2\"", NULL };

    refuse (fixture, NULL, "PATCH", path,
            "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'remove', 'path': 'members'}]}",
            stale, 412, "precondition-failed", NULL);
  }

  /* Deleting a member's user takes them out (a new group version); deleting the group
   * empties the users' groups. */
  {
    g_autofree char *user_path = path_of ("Users", third);
    g_autofree char *before = NULL;
    g_autoptr(JsonNode) again = NULL;

    before = g_strdup (version_of (group));
    g_assert_null (call (fixture, "DELETE", user_path, NULL, 204));
    group = get (fixture, "Groups", id, &again);
    g_assert_null (members_of (group));
    g_assert_cmpstr (version_of (group), !=, before);
  }
  g_assert_null (call (fixture, "DELETE", path, NULL, 204));
  refuse (fixture, NULL, "GET", path, NULL, NULL, 404, "not-found", NULL);
  g_free (filter);
  filter = g_strdup_printf ("/scim/v2/Users?filter=groups.value%%20eq%%20%%22%s%%22", id);
  g_assert_cmpint (total (fixture, filter), ==, 0);
}

/* effectivePermissions of @user as "permission=type:display,type:display;…" */
static char *
effective (JsonObject *user)
{
  JsonObject *ext = json_object_has_member (user, ROSTER)
                      ? json_object_get_object_member (user, ROSTER)
                      : NULL;
  JsonArray *permissions = ext != NULL && json_object_has_member (ext, "effectivePermissions")
                             ? json_object_get_array_member (ext, "effectivePermissions")
                             : NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; permissions != NULL && i < json_array_get_length (permissions); i++)
    {
      JsonObject *permission = json_array_get_object_element (permissions, i);
      JsonArray *sources = json_object_get_array_member (permission, "sources");

      if (i > 0)
        g_string_append_c (out, ';');
      g_string_append_printf (out, "%s=", json_object_get_string_member (permission, "value"));
      for (guint j = 0; j < json_array_get_length (sources); j++)
        {
          JsonObject *source = json_array_get_object_element (sources, j);

          g_string_append_printf (out, "%s%s", j > 0 ? "," : "",
                                  json_object_get_string_member (source, "type"));
          if (json_object_has_member (source, "display"))
            g_string_append_printf (out, ":%s",
                                    json_object_get_string_member (source, "display"));
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
effective_of (Fixture *fixture, const char *id)
{
  g_autoptr(JsonNode) node = NULL;

  return effective (get (fixture, "Users", id, &node));
}

static void
test_effective_permissions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *role = create (fixture, "/scim/v2/Roles",
                                  "{'name': 'Sales', 'permissions': ['orders.view', 'clients.view']}");
  g_autofree char *roles = g_strdup_printf ("'roles': [{'value': '%s'}]", role);
  g_autofree char *role_only = create_user (fixture, "role-only", roles);
  g_autofree char *group_only = create_user (fixture, "group-only", NULL);
  g_autofree char *entitled = create_user (fixture, "entitled",
                                           "'entitlements': [{'value': 'audit.view'}]");
  g_autofree char *combined_extra = g_strdup_printf (
    "%s, 'entitlements': [{'value': 'clients.view'}]", roles);
  g_autofree char *combined = create_user (fixture, "combined", combined_extra);
  g_autofree char *group_body = NULL, *group = NULL, *admin = NULL, *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  group_body = g_strdup_printf ("{'displayName': 'Support', 'members': [{'value': '%s'},"
                                " {'value': '%s'}], '" RGROUP "': {'permissions':"
                                " ['tasks.view', 'clients.view']}}",
                                group_only, combined);
  group = create (fixture, "/scim/v2/Groups", group_body);

  /* Entitlements are shown with the permission's name and must be in the catalogue. */
  {
    g_autoptr(JsonNode) user_node = NULL;
    JsonObject *user = get (fixture, "Users", entitled, &user_node);
    JsonObject *entitlement = json_array_get_object_element (
      json_object_get_array_member (user, "entitlements"), 0);

    g_assert_cmpstr (json_object_get_string_member (entitlement, "value"), ==, "audit.view");
    g_assert_cmpstr (json_object_get_string_member (entitlement, "display"), ==,
                     "View the activity log");
  }
  refuse (fixture, NULL, "POST", "/scim/v2/Users",
          "{'userName': 'x', 'entitlements': [{'value': 'launch.rockets'}]}", NULL, 400,
          "invalid-value", "invalidValue");

  text = effective_of (fixture, role_only);
  g_assert_cmpstr (text, ==, "clients.view=role:Sales;orders.view=role:Sales");
  g_free (text);
  text = effective_of (fixture, group_only);
  g_assert_cmpstr (text, ==, "clients.view=group:Support;tasks.view=group:Support");
  g_free (text);
  text = effective_of (fixture, entitled);
  g_assert_cmpstr (text, ==, "audit.view=entitlement:View the activity log");
  g_free (text);
  text = effective_of (fixture, combined);
  g_assert_cmpstr (text, ==,
                   "clients.view=role:Sales,group:Support,entitlement:View clients;"
                   "orders.view=role:Sales;tasks.view=group:Support");

  /* The administrator has every permission. */
  node = call (fixture, "GET", "/scim/v2/Users?filter=userName%20eq%20%22admin%22", NULL, 200);
  {
    JsonObject *user = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (node), "Resources"), 0);
    JsonArray *permissions = json_object_get_array_member (
      json_object_get_object_member (user, ROSTER), "effectivePermissions");

    g_assert_cmpuint (json_array_get_length (permissions), ==, 13);
    for (guint i = 0; i < json_array_get_length (permissions); i++)
      g_assert_cmpstr (json_object_get_string_member (
                         json_array_get_object_element (
                           json_object_get_array_member (
                             json_array_get_object_element (permissions, i), "sources"),
                           0),
                         "type"),
                       ==, "administrator");
    admin = g_strdup (json_object_get_string_member (user, "id"));
  }
  g_clear_pointer (&node, json_node_unref);

  /* Lists carry the same, computed for the whole page. */
  node = call (fixture, "GET", "/scim/v2/Users?sortBy=userName&count=10", NULL, 200);
  {
    JsonArray *resources = json_object_get_array_member (json_node_get_object (node),
                                                         "Resources");

    g_assert_cmpuint (json_array_get_length (resources), ==, 5);
    for (guint i = 0; i < json_array_get_length (resources); i++)
      {
        JsonObject *user = json_array_get_object_element (resources, i);
        g_autofree char *listed = effective (user);
        g_autofree char *single = effective_of (fixture,
                                                json_object_get_string_member (user, "id"));

        g_assert_cmpstr (listed, ==, single);
      }
  }

  /* Filters see roles, entitlements and groups; excludedAttributes drops the computed. */
  g_assert_cmpint (total (fixture, "/scim/v2/Users?filter=entitlements.value%20eq%20%22audit.view%22"),
                   ==, 1);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *path = g_strdup_printf ("/scim/v2/Users/%s?excludedAttributes="
                                             ROSTER ":effectivePermissions",
                                             combined);
    g_autofree char *none = NULL;

    node = call (fixture, "GET", path, NULL, 200);
    none = effective (json_node_get_object (node));
    g_assert_cmpstr (none, ==, "");
  }
  g_assert_nonnull (admin);
  g_assert_nonnull (group);
}

static void
test_discovery (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) types = call (fixture, "GET", "/scim/v2/ResourceTypes", NULL, 200);
  JsonArray *resources = json_object_get_array_member (json_node_get_object (types),
                                                       "Resources");
  const char *expected[][3] = { { "User", "/Users", CORE },
                                { "Group", "/Groups", GROUP },
                                { "Role", "/Roles", ROLE },
                                { "AuditEvent", "/AuditEvents",
                                  "urn:roster:params:scim:schemas:core:2.0:AuditEvent" },
                                { "DeletedUser", "/DeletedUsers",
                                  "urn:roster:params:scim:schemas:core:2.0:DeletedUser" },
                                { "Record", "/Records",
                                  "urn:roster:params:scim:schemas:core:2.0:Record" } };

  g_assert_cmpuint (json_array_get_length (resources), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *type = json_array_get_object_element (resources, i);
      g_autofree char *path = g_strconcat ("/scim/v2/ResourceTypes/", expected[i][0], NULL);
      g_autoptr(JsonNode) one = call (fixture, "GET", path, NULL, 200);
      g_autofree char *schema_path = g_strconcat ("/scim/v2/Schemas/", expected[i][2], NULL);
      g_autoptr(JsonNode) schema = call (fixture, "GET", schema_path, NULL, 200);

      g_assert_cmpstr (json_object_get_string_member (type, "id"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (type, "endpoint"), ==, expected[i][1]);
      g_assert_cmpstr (json_object_get_string_member (type, "schema"), ==, expected[i][2]);
      g_assert_true (json_object_equal (type, json_node_get_object (one)));
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_array_get_object_element (resources, 1),
                                                     "schemaExtensions"),
                       0),
                     "schema"),
                   ==, RGROUP);

  /* effectivePermissions is described as what it is: read-only, computed. */
  {
    g_autoptr(JsonNode) schema = call (fixture, "GET", "/scim/v2/Schemas/" ROSTER, NULL, 200);
    JsonArray *attributes = json_object_get_array_member (json_node_get_object (schema),
                                                          "attributes");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (attributes); i++)
      {
        JsonObject *attribute = json_array_get_object_element (attributes, i);

        if (!g_str_equal (json_object_get_string_member (attribute, "name"),
                          "effectivePermissions"))
          continue;
        found = TRUE;
        g_assert_cmpstr (json_object_get_string_member (attribute, "mutability"), ==,
                         "readOnly");
        g_assert_cmpstr (json_object_get_string_member (attribute, "returned"), ==, "default");
        g_assert_true (json_object_get_boolean_member (attribute, "multiValued"));
      }
    g_assert_true (found);
  }
}

/* What only administrators may do, and what user managers may. */
static void
test_admin_only (Fixture *fixture, gconstpointer data)
{
  g_autofree char *managers = create (fixture, "/scim/v2/Roles",
                                      "{'name': 'User managers', 'permissions':"
                                      " ['users.view', 'users.manage', 'roles.manage']}");
  g_autofree char *sales = create (fixture, "/scim/v2/Roles", "{'name': 'Sales'}");
  g_autofree char *roles = g_strdup_printf ("'roles': [{'value': '%s'}]", managers);
  g_autofree char *manager = create_user (fixture, "manager", roles);
  g_autofree char *token = roster_test_server_sign_in (fixture->server, "manager", PASSWORD);
  g_autofree char *target = create_user (fixture, "target", NULL);
  g_autofree char *target_path = path_of ("Users", target);
  g_autofree char *sales_path = path_of ("Roles", sales);
  g_autofree char *group = create (fixture, "/scim/v2/Groups", "{'displayName': 'Support'}");
  g_autofree char *group_path = path_of ("Groups", group);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;

  refuse (fixture, token, "PATCH", target_path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': '" ROSTER
          ":administrator', 'value': true}]}",
          NULL, 403, "forbidden", NULL);
  refuse (fixture, token, "POST", "/scim/v2/Users",
          "{'userName': 'boss', '" ROSTER "': {'administrator': true}}", NULL, 403, "forbidden",
          NULL);
  refuse (fixture, token, "PATCH", target_path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': 'entitlements',"
          " 'value': [{'value': 'audit.view'}]}]}",
          NULL, 403, "forbidden", NULL);
  /* Nor may they touch an administrator: setting their password would make them one. */
  {
    g_autoptr(JsonNode) list = call (fixture, "GET",
                                     "/scim/v2/Users?filter=userName%20eq%20%22admin%22", NULL,
                                     200);
    const char *admin = json_object_get_string_member (
      json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (list), "Resources"), 0),
      "id");
    g_autofree char *admin_path = path_of ("Users", admin);

    refuse (fixture, token, "PATCH", admin_path,
            "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': 'password',"
            " 'value': 'a whole new password'}]}",
            NULL, 403, "forbidden", NULL);
    refuse (fixture, token, "PUT", admin_path, "{'userName': 'admin'}", NULL, 403, "forbidden",
            NULL);
    refuse (fixture, token, "DELETE", admin_path, NULL, NULL, 403, "forbidden", NULL);
  }
  /* Existing roles, though, a user manager may give. */
  body = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add',"
                          " 'path': 'roles', 'value': [{'value': '%s'}]}]}",
                          sales);
  node = test_call (fixture->server, token, "PATCH", target_path, body, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);

  /* roles.manage without being an administrator: names, not permissions. */
  node = test_call (fixture->server, token, "PATCH", sales_path,
                    "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace',"
                    " 'path': 'name', 'value': 'Sales people'}]}",
                    NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  refuse (fixture, token, "PATCH", sales_path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': 'permissions',"
          " 'value': ['settings.manage']}]}",
          NULL, 403, "forbidden", NULL);
  refuse (fixture, token, "POST", "/scim/v2/Roles",
          "{'name': 'Powerful', 'permissions': ['settings.manage']}", NULL, 403, "forbidden",
          NULL);
  g_free (test_create (fixture->server, token, "/scim/v2/Roles", "{'name': 'Powerless'}"));

  /* A user manager may change a group's members and nothing else. */
  g_free (body);
  body = g_strdup_printf ("{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add',"
                          " 'path': 'members', 'value': [{'value': '%s'}]}]}",
                          target);
  node = test_call (fixture->server, token, "PATCH", group_path, body, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  refuse (fixture, token, "PATCH", group_path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'replace', 'path': 'displayName',"
          " 'value': 'Mine'}]}",
          NULL, 403, "forbidden", NULL);
  refuse (fixture, token, "PUT", group_path, "{'displayName': 'Support'}", NULL, 403,
          "forbidden", NULL);
  /* Only administrators give a group permissions, even with groups.manage. */
  refuse (fixture, token, "PATCH", group_path,
          "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': '" RGROUP
          ":permissions', 'value': ['tasks.view']}]}",
          NULL, 403, "forbidden", NULL);
  node = call (fixture, "PATCH", group_path,
               "{'schemas': ['" PATCH_OP "'], 'Operations': [{'op': 'add', 'path': '" RGROUP
               ":permissions', 'value': ['tasks.view']}]}",
               200);
  g_assert_nonnull (manager);
}

/* Groups and Roles lists take attributes/excludedAttributes (on lists, single resources and
 * writes) and POST /.search, as /Users does. */
static void
test_list_parity (Fixture *fixture, gconstpointer data)
{
  g_autofree char *user = create (fixture, "/scim/v2/Users", "{'userName': 'member'}");
  g_autofree char *body = g_strdup_printf ("{'displayName': 'Alpha', 'members': [{'value': "
                                           "'%s'}], '" RGROUP "': {'kind': 'team'}}",
                                           user);
  g_autofree char *alpha = create (fixture, "/scim/v2/Groups", body);
  g_autofree char *beta = create (fixture, "/scim/v2/Groups", "{'displayName': 'Beta'}");
  g_autofree char *gamma = create (fixture, "/scim/v2/Groups", "{'displayName': 'Gamma'}");
  g_autofree char *readers = create (fixture, "/scim/v2/Roles",
                                     "{'name': 'Readers', 'description': 'Read only',"
                                     " 'permissions': ['users.view']}");
  g_autofree char *writers = create (fixture, "/scim/v2/Roles",
                                     "{'name': 'Writers', 'description': 'Write',"
                                     " 'permissions': ['users.manage']}");
  g_autofree char *alpha_path = path_of ("Groups", alpha);
  g_autofree char *get_path = g_strconcat (alpha_path, "?attributes=displayName", NULL);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) search = NULL;
  g_autoptr(JsonNode) roles = NULL;
  g_autoptr(JsonNode) role_search = NULL;
  JsonArray *resources;
  JsonObject *group, *role;

  /* attributes: only those (and id, schemas, meta); the extension too when named. */
  list = call (fixture, "GET", "/scim/v2/Groups?attributes=displayName,members.value", NULL,
               200);
  resources = json_object_get_array_member (json_node_get_object (list), "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 3);
  group = json_array_get_object_element (resources, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "displayName"), ==, "Alpha");
  g_assert_true (json_object_has_member (group, "id"));
  g_assert_true (json_object_has_member (group, "meta"));
  g_assert_false (json_object_has_member (group, RGROUP));
  g_assert_false (json_object_has_member (
    json_array_get_object_element (json_object_get_array_member (group, "members"), 0),
    "$ref"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (group,
                                                                                  "members"),
                                                    0),
                     "value"),
                   ==, user);

  one = call (fixture, "GET", get_path, NULL, 200);
  g_assert_false (json_object_has_member (json_node_get_object (one), "members"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (one), "displayName"), ==,
                   "Alpha");

  /* POST /.search: filter, sort, paging and excludedAttributes. */
  search = call (fixture, "POST", "/scim/v2/Groups/.search",
                 "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
                 " 'filter': 'displayName ne \\'Beta\\'', 'sortBy': 'displayName',"
                 " 'sortOrder': 'descending', 'startIndex': 1, 'count': 1,"
                 " 'excludedAttributes': ['members', '" RGROUP "']}",
                 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (search), "totalResults"), ==,
                   2);
  resources = json_object_get_array_member (json_node_get_object (search), "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 1);
  group = json_array_get_object_element (resources, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "displayName"), ==, "Gamma");
  g_assert_false (json_object_has_member (group, "members"));

  roles = call (fixture, "GET", "/scim/v2/Roles?excludedAttributes=permissions&sortBy=name"
                                "&sortOrder=descending",
                NULL, 200);
  resources = json_object_get_array_member (json_node_get_object (roles), "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 2);
  role = json_array_get_object_element (resources, 0);
  g_assert_cmpstr (json_object_get_string_member (role, "name"), ==, "Writers");
  g_assert_false (json_object_has_member (role, "permissions"));
  g_assert_cmpstr (json_object_get_string_member (role, "description"), ==, "Write");

  role_search = call (fixture, "POST", "/scim/v2/Roles/.search",
                      "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
                      " 'filter': 'name sw \\'read\\'', 'attributes': ['name']}",
                      200);
  resources = json_object_get_array_member (json_node_get_object (role_search), "Resources");
  g_assert_cmpuint (json_array_get_length (resources), ==, 1);
  role = json_array_get_object_element (resources, 0);
  g_assert_cmpstr (json_object_get_string_member (role, "id"), ==, readers);
  g_assert_false (json_object_has_member (role, "description"));
  g_assert_false (json_object_has_member (role, "permissions"));

  /* Bad search requests are refused, as for /Users. */
  refuse (fixture, NULL, "POST", "/scim/v2/Groups/.search", "{'filter': 'displayName pr'}", NULL,
          400, "invalid-syntax", "invalidSyntax");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles/.search",
          "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
          " 'sortBy': 'description'}",
          NULL, 400, "invalid-value", "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Roles/.search",
          "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
          " 'filter': 'name eq'}",
          NULL, 400, "invalid-filter", "invalidFilter");
  refuse (fixture, NULL, "POST", "/scim/v2/Groups/.search",
          "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], 'count': 'x'}",
          NULL, 400, "invalid-value", "invalidValue");
  refuse (fixture, NULL, "POST", "/scim/v2/Groups/.search",
          "{'schemas': ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], 'extra': 1}",
          NULL, 400, "invalid-syntax", "invalidSyntax");
  g_assert_nonnull (beta);
  g_assert_nonnull (writers);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rosterd/permissions", test_permissions);
  ADD ("/rosterd/roles/crud", test_roles_crud);
  ADD ("/rosterd/roles/in-use", test_roles_in_use);
  ADD ("/rosterd/groups", test_groups);
  ADD ("/rosterd/users/effective-permissions", test_effective_permissions);
  ADD ("/rosterd/discovery/groups-roles", test_discovery);
  ADD ("/rosterd/authorization/admin-only", test_admin_only);
  ADD ("/rosterd/groups-roles/list-parity", test_list_parity);
#undef ADD

  return g_test_run ();
}
