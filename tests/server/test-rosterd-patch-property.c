/* test-rosterd-patch-property.c: random PATCH sequences on a real rosterd, checked against
 * a model of RFC 7644 §3.5.2 written here
 *
 * Each round sends a PatchOp of one to three random operations (add, replace, remove; with
 * and without a path; simple, complex and multi-valued attributes, value filters, primary)
 * to a user, applies the same operations to the model, and compares the user as GET
 * returns it with the model. Some operations must fail (remove without a path, a read-only
 * attribute, an unknown attribute, a filter that matches nothing, two primary values): then
 * the whole PATCH must fail with the right error, and the user, version included, must be
 * as it was.
 *
 * The model is independent of src/server: it knows only the RFC and the schema's shapes.
 * It compares values with "primary": false and without "primary" as the same (RFC 7643
 * §2.4 defines only a true primary), and leaves out what the server computes (the display
 * of roles and entitlements).
 *
 * The seed is printed; ROSTER_PATCH_SEED=N replays a run, ROSTER_PATCH_ROUNDS=N makes it
 * longer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rosterd"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define N_USERS 3
#define DEFAULT_ROUNDS 60

typedef struct
{
  RosterTestServer *server;
  char *token;
  GRand *rand;
  guint32 seed;
  guint counter; /* makes every generated value unique */
  char *roles[3];
} Fixture;

static const char *const entitlement_pool[] = { "clients.view", "orders.view", "tasks.view",
                                                "audit.view" };

/* The multi-valued attributes and what their values look like. */
typedef struct
{
  const char *name;
  const char *key;           /* the sub-attribute a value is told apart by */
  const char *const *types;  /* NULL: no type, no primary (roles, entitlements) */
} Multi;

static const char *const email_types[] = { "work", "home", "other", NULL };
static const char *const phone_types[] = { "work", "home", "mobile", NULL };
static const char *const im_types[] = { "skype", "xmpp", NULL };
static const char *const address_types[] = { "work", "home", NULL };

static const Multi multis[] = {
  { "emails", "value", email_types },
  { "phoneNumbers", "value", phone_types },
  { "ims", "value", im_types },
  { "addresses", "locality", address_types },
  { "roles", "value", NULL },
  { "entitlements", "value", NULL },
};

/* Single-valued attributes: core, a sub-attribute of name, or the enterprise extension. */
static const struct
{
  const char *path;
  const char *parent; /* NULL, "name" or ENTERPRISE */
  const char *member;
} simples[] = {
  { "displayName", NULL, "displayName" },
  { "nickName", NULL, "nickName" },
  { "title", NULL, "title" },
  { "name.givenName", "name", "givenName" },
  { "name.familyName", "name", "familyName" },
  { ENTERPRISE ":employeeNumber", ENTERPRISE, "employeeNumber" },
  { ENTERPRISE ":department", ENTERPRISE, "department" },
};

/* What the model says a PATCH does. */
typedef struct
{
  guint status;          /* 200, or the error's */
  const char *code;      /* the error's Roster code */
  const char *scim_type; /* the error's scimType */
} Outcome;

#define OK ((Outcome){ 200, NULL, NULL })
#define NO_TARGET ((Outcome){ 400, "no-target", "noTarget" })
#define INVALID_VALUE ((Outcome){ 400, "invalid-value", "invalidValue" })
#define MUTABILITY ((Outcome){ 400, "mutability", "mutability" })
#define INVALID_PATH ((Outcome){ 400, "invalid-path", "invalidPath" })

/* ------------------------------------------------------------------ helpers */

static guint
pick (Fixture *fixture, guint n)
{
  return (guint) g_rand_int_range (fixture->rand, 0, (gint32) n);
}

static gboolean
chance (Fixture *fixture, double p)
{
  return g_rand_double (fixture->rand) < p;
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* json_node_copy() shares objects and arrays: the model needs copies of its own. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return json_node_copy (node);
  text = to_text (node);
  return json_from_string (text, NULL);
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return to_text (node);
}

static JsonArray *
get_array (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The object @member of @model, made if @create. */
static JsonObject *
get_container (JsonObject *model, const char *member, gboolean create)
{
  JsonNode *node = json_object_get_member (model, member);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (!create)
    return NULL;
  json_object_set_object_member (model, member, json_object_new ());
  return json_object_get_object_member (model, member);
}

static gboolean
is_primary (JsonObject *value)
{
  return json_object_get_boolean_member_with_default (value, "primary", FALSE);
}

/* ------------------------------------------------------------------ values */

static JsonObject *
new_value (Fixture *fixture, const Multi *multi, gboolean primary, JsonArray *taken)
{
  JsonObject *value = json_object_new ();
  guint n = ++fixture->counter;
  g_autofree char *text = NULL;

  if (g_str_equal (multi->name, "roles") || g_str_equal (multi->name, "entitlements"))
    {
      gboolean roles = g_str_equal (multi->name, "roles");
      guint size = roles ? G_N_ELEMENTS (fixture->roles) : G_N_ELEMENTS (entitlement_pool);
      guint start = pick (fixture, size);

      /* One not in @taken yet, if there is one. */
      for (guint k = 0; k < size; k++)
        {
          const char *candidate = roles ? fixture->roles[(start + k) % size]
                                        : entitlement_pool[(start + k) % size];
          gboolean used = FALSE;

          for (guint i = 0; taken != NULL && i < json_array_get_length (taken) && !used; i++)
            used = g_str_equal (json_object_get_string_member (
                                  json_array_get_object_element (taken, i), "value"),
                                candidate);
          if (!used)
            {
              json_object_set_string_member (value, "value", candidate);
              return value;
            }
        }
      json_object_unref (value);
      return NULL;
    }
  if (g_str_equal (multi->name, "emails"))
    text = g_strdup_printf ("e%u@example.com", n);
  else if (g_str_equal (multi->name, "phoneNumbers"))
    text = g_strdup_printf ("+49 30 %u", 1000 + n);
  else if (g_str_equal (multi->name, "ims"))
    text = g_strdup_printf ("im%u", n);
  else
    {
      g_autofree char *street = g_strdup_printf ("%u Main Street", n);

      text = g_strdup_printf ("city%u", n);
      json_object_set_string_member (value, "streetAddress", street);
    }
  json_object_set_string_member (value, multi->key, text);
  json_object_set_string_member (value, "type",
                                 multi->types[pick (fixture, g_strv_length ((GStrv) multi->types))]);
  if (primary)
    json_object_set_boolean_member (value, "primary", TRUE);
  return value;
}

/* A list of 1–3 fresh values, at most one primary (or two, if @two_primaries). */
static JsonArray *
new_values (Fixture *fixture, const Multi *multi, gboolean two_primaries)
{
  JsonArray *values = json_array_new ();
  guint n = 1 + pick (fixture, 3);
  gint primary = multi->types != NULL && chance (fixture, 0.4) ? (gint) pick (fixture, n) : -1;

  if (two_primaries)
    n = MAX (n, 2);
  for (guint i = 0; i < n; i++)
    {
      gboolean make_primary = two_primaries ? i < 2 : (gint) i == primary;
      JsonObject *value = new_value (fixture, multi, make_primary, values);

      if (value != NULL)
        json_array_add_object_element (values, value);
    }
  return values;
}

static char *
new_string (Fixture *fixture, const char *what)
{
  return g_strdup_printf ("%s %u", what, ++fixture->counter);
}

/* ------------------------------------------------------------------ the model */

/* Whether @values holds a value equal to @value. */
static gboolean
contains (JsonArray *values, JsonObject *value)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), value);

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    if (json_node_equal (json_array_get_element (values, i), node))
      return TRUE;
  return FALSE;
}

static guint
count_primary (JsonArray *values)
{
  guint n = 0;

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    n += is_primary (json_array_get_object_element (values, i));
  return n;
}

/* RFC 7643 §2.4: once a value becomes primary, the others are not. */
static void
clear_other_primaries (JsonArray *values, JsonObject *except)
{
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);

      if (value != except && is_primary (value))
        json_object_set_boolean_member (value, "primary", FALSE);
    }
}

static void
drop_if_empty (JsonObject *model, const char *member)
{
  JsonNode *node = json_object_get_member (model, member);

  if (node == NULL)
    return;
  if ((JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
      || (JSON_NODE_HOLDS_OBJECT (node)
          && json_object_get_size (json_node_get_object (node)) == 0))
    json_object_remove_member (model, member);
}

static JsonArray *
copy_array (JsonArray *array)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);
  g_autoptr(JsonNode) copy = deep_copy (node);

  return json_array_ref (json_node_get_array (copy));
}

/* add to a multi-valued attribute (§3.5.2.1): values it has already are not added again. */
static Outcome
model_add_values (JsonObject *model, const char *member, JsonArray *values)
{
  JsonArray *current = get_array (model, member);
  JsonObject *primary = NULL;

  if (count_primary (values) > 1)
    return INVALID_VALUE;
  if (current == NULL)
    {
      json_object_set_array_member (model, member, json_array_new ());
      current = get_array (model, member);
    }
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);

      if (contains (current, value))
        continue;
      json_array_add_element (current, deep_copy (json_array_get_element (values, i)));
      if (is_primary (value))
        primary = json_array_get_object_element (current, json_array_get_length (current) - 1);
    }
  if (primary != NULL)
    clear_other_primaries (current, primary);
  drop_if_empty (model, member);
  return OK;
}

static Outcome
model_replace_values (JsonObject *model, const char *member, JsonArray *values)
{
  g_autoptr(JsonArray) copy = NULL;

  if (count_primary (values) > 1)
    return INVALID_VALUE;
  copy = copy_array (values);
  json_object_set_array_member (model, member, g_steal_pointer (&copy));
  drop_if_empty (model, member);
  return OK;
}

/* Sets a single-valued attribute: @parent is NULL, "name" or the extension. */
static void
model_set (JsonObject *model, const char *parent, const char *member, const char *value)
{
  JsonObject *container = parent != NULL ? get_container (model, parent, TRUE) : model;

  json_object_set_string_member (container, member, value);
}

static void
model_unset (JsonObject *model, const char *parent, const char *member)
{
  JsonObject *container = parent != NULL ? get_container (model, parent, FALSE) : model;

  if (container != NULL)
    json_object_remove_member (container, member);
  if (parent != NULL)
    drop_if_empty (model, parent);
}

/* The values of @member whose @key equals @wanted (case-insensitively: no attribute here is
 * caseExact). */
static GPtrArray *
model_match (JsonObject *model, const char *member, const char *key, const char *wanted)
{
  GPtrArray *matches = g_ptr_array_new ();
  JsonArray *values = get_array (model, member);

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);
      const char *got = json_object_get_string_member_with_default (value, key, NULL);

      if (got != NULL && g_ascii_strcasecmp (got, wanted) == 0)
        g_ptr_array_add (matches, value);
    }
  return matches;
}

/* ------------------------------------------------------------------ operations */

typedef struct
{
  JsonObject *op; /* the PatchOp operation */
  Outcome outcome;
} Step;

static JsonObject *
new_op (const char *op, const char *path)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "op", op);
  if (path != NULL)
    json_object_set_string_member (object, "path", path);
  return object;
}

/* A filter on @multi that matches something in @model if @hit and a value exists. */
static char *
filter_value (Fixture *fixture, JsonObject *model, const Multi *multi, gboolean hit,
              const char **key)
{
  JsonArray *values = get_array (model, multi->name);

  if (hit && values != NULL && json_array_get_length (values) > 0)
    {
      JsonObject *value = json_array_get_object_element (
        values, pick (fixture, json_array_get_length (values)));

      if (multi->types != NULL && chance (fixture, 0.5))
        {
          *key = "type";
          return g_strdup (json_object_get_string_member (value, "type"));
        }
      *key = multi->key;
      return g_strdup (json_object_get_string_member (value, multi->key));
    }
  *key = multi->key;
  return g_strdup_printf ("nothing%u", ++fixture->counter);
}

/* One random operation, applied to @model; the outcome says whether it may be. */
static Step
random_step (Fixture *fixture, JsonObject *model)
{
  Step step = { NULL, OK };
  guint kind = pick (fixture, 24);
  const Multi *multi = &multis[pick (fixture, G_N_ELEMENTS (multis))];
  guint s = pick (fixture, G_N_ELEMENTS (simples));

  /* Kinds 12–14 must fail: keep them to about one operation in eight. */
  if (kind >= 15)
    kind = pick (fixture, 12);
  switch (kind)
    {
    case 0: /* add or replace a simple attribute by path */
    case 1:
      {
        g_autofree char *value = new_string (fixture, "Value");

        step.op = new_op (kind == 0 ? "add" : "replace", simples[s].path);
        json_object_set_string_member (step.op, "value", value);
        model_set (model, simples[s].parent, simples[s].member, value);
        break;
      }
    case 2: /* remove a simple attribute, set or not */
      step.op = new_op ("remove", simples[s].path);
      model_unset (model, simples[s].parent, simples[s].member);
      break;
    case 3: /* add values to a multi-valued attribute, sometimes one it already has */
      {
        g_autoptr(JsonArray) values = new_values (fixture, multi, FALSE);
        JsonArray *current = get_array (model, multi->name);

        if (current != NULL && chance (fixture, 0.3))
          {
            guint index = pick (fixture, json_array_get_length (current));
            JsonObject *old = json_array_get_object_element (current, index);

            /* A value it has already (one that never was primary: see the top). */
            if (!json_object_has_member (old, "primary"))
              json_array_add_element (values,
                                      deep_copy (json_array_get_element (current, index)));
          }
        if (json_array_get_length (values) == 0)
          return random_step (fixture, model);
        step.op = new_op ("add", multi->name);
        json_object_set_array_member (step.op, "value", json_array_ref (values));
        step.outcome = model_add_values (model, multi->name, values);
        break;
      }
    case 4: /* replace a multi-valued attribute, sometimes with two primaries */
      {
        gboolean two = multi->types != NULL && chance (fixture, 0.15);
        g_autoptr(JsonArray) values = new_values (fixture, multi, two);

        if (json_array_get_length (values) == 0)
          return random_step (fixture, model);
        step.op = new_op ("replace", multi->name);
        json_object_set_array_member (step.op, "value", json_array_ref (values));
        step.outcome = model_replace_values (model, multi->name, values);
        break;
      }
    case 5: /* remove a multi-valued attribute */
      step.op = new_op ("remove", multi->name);
      json_object_remove_member (model, multi->name);
      break;
    case 6: /* remove the values a filter selects; none selected is noTarget */
      {
        const char *key = NULL;
        g_autofree char *wanted = filter_value (fixture, model, multi, chance (fixture, 0.8),
                                                &key);
        g_autofree char *path = g_strdup_printf ("%s[%s eq \"%s\"]", multi->name, key, wanted);
        g_autoptr(GPtrArray) matches = model_match (model, multi->name, key, wanted);
        JsonArray *values = get_array (model, multi->name);

        step.op = new_op ("remove", path);
        if (matches->len == 0)
          {
            step.outcome = NO_TARGET;
            break;
          }
        for (guint i = json_array_get_length (values); i > 0; i--)
          if (g_ptr_array_find (matches, json_array_get_object_element (values, i - 1), NULL))
            json_array_remove_element (values, i - 1);
        drop_if_empty (model, multi->name);
        break;
      }
    case 7: /* replace a sub-attribute of the values a filter selects */
    case 8:
      {
        const char *key = NULL;
        g_autofree char *wanted = NULL;
        g_autofree char *path = NULL;
        g_autoptr(GPtrArray) matches = NULL;
        g_autofree char *value = NULL;
        const char *sub;

        if (multi->types == NULL)
          multi = &multis[pick (fixture, 4)];
        wanted = filter_value (fixture, model, multi, chance (fixture, 0.8), &key);
        matches = model_match (model, multi->name, key, wanted);
        /* The key sub-attribute gets a fresh value, or the value becomes primary. */
        if (kind == 7)
          {
            g_autoptr(JsonObject) fresh = new_value (fixture, multi, FALSE, NULL);

            sub = multi->key;
            value = g_strdup (json_object_get_string_member (fresh, multi->key));
          }
        else
          sub = "primary";
        path = g_strdup_printf ("%s[%s eq \"%s\"].%s", multi->name, key, wanted, sub);
        step.op = new_op ("replace", path);
        if (value != NULL)
          json_object_set_string_member (step.op, "value", value);
        else
          json_object_set_boolean_member (step.op, "value", TRUE);
        if (matches->len == 0)
          {
            step.outcome = NO_TARGET;
            break;
          }
        if (value == NULL && matches->len > 1)
          {
            /* Two values made primary at once. */
            step.outcome = INVALID_VALUE;
            break;
          }
        for (guint i = 0; i < matches->len; i++)
          {
            JsonObject *match = g_ptr_array_index (matches, i);

            if (value != NULL)
              json_object_set_string_member (match, sub, value);
            else
              {
                json_object_set_boolean_member (match, "primary", TRUE);
                clear_other_primaries (get_array (model, multi->name), match);
              }
          }
        break;
      }
    case 9: /* add or replace without a path */
    case 10:
      {
        g_autoptr(JsonObject) value = json_object_new ();
        g_autoptr(JsonArray) values = new_values (fixture, multi, FALSE);
        g_autofree char *display = new_string (fixture, "Shown");
        g_autofree char *given = new_string (fixture, "Given");
        g_autofree char *number = new_string (fixture, "E");
        JsonObject *name = json_object_new ();
        JsonObject *enterprise = json_object_new ();

        json_object_set_string_member (value, "displayName", display);
        json_object_set_string_member (name, "givenName", given);
        json_object_set_object_member (value, "name", name);
        json_object_set_string_member (enterprise, "employeeNumber", number);
        json_object_set_object_member (value, ENTERPRISE, enterprise);
        if (json_array_get_length (values) > 0)
          json_object_set_array_member (value, multi->name, json_array_ref (values));
        step.op = new_op (kind == 9 ? "add" : "replace", NULL);
        json_object_set_object_member (step.op, "value", json_object_ref (value));
        model_set (model, NULL, "displayName", display);
        /* Complex attributes: the sub-attributes named change, the others stay. */
        model_set (model, "name", "givenName", given);
        model_set (model, ENTERPRISE, "employeeNumber", number);
        if (json_array_get_length (values) > 0)
          step.outcome = kind == 9 ? model_add_values (model, multi->name, values)
                                   : model_replace_values (model, multi->name, values);
        break;
      }
    case 11: /* replace a complex attribute by path: a merge */
      {
        g_autofree char *family = new_string (fixture, "Family");
        JsonObject *value = json_object_new ();

        json_object_set_string_member (value, "familyName", family);
        step.op = new_op ("replace", "name");
        json_object_set_object_member (step.op, "value", value);
        model_set (model, "name", "familyName", family);
        break;
      }
    case 12: /* must fail: remove without a path */
      step.op = new_op ("remove", NULL);
      step.outcome = NO_TARGET;
      break;
    case 13: /* must fail: a read-only attribute */
      {
        JsonArray *groups = json_array_new ();
        JsonObject *group = json_object_new ();

        json_object_set_string_member (group, "value", "00000000-0000-0000-0000-000000000000");
        json_array_add_object_element (groups, group);
        step.op = new_op (chance (fixture, 0.5) ? "replace" : "add", "groups");
        json_object_set_array_member (step.op, "value", groups);
        step.outcome = MUTABILITY;
        break;
      }
    default: /* must fail: no such attribute */
      step.op = new_op (chance (fixture, 0.5) ? "replace" : "remove", "shoeSize");
      if (g_str_equal (json_object_get_string_member (step.op, "op"), "replace"))
        json_object_set_string_member (step.op, "value", "44");
      step.outcome = INVALID_PATH;
      break;
    }
  return step;
}

/* ------------------------------------------------------------------ comparing */

static const char *const compared[] = { "displayName", "nickName", "title", "name", "emails",
                                        "phoneNumbers", "ims", "addresses", "roles",
                                        "entitlements", NULL };

/* The attributes the model covers, as comparable JSON: "primary": false dropped, the
 * computed display of roles and entitlements dropped, empty containers dropped. */
static JsonObject *
comparable (JsonObject *resource)
{
  JsonObject *result = json_object_new ();
  JsonObject *ext = get_container (resource, ENTERPRISE, FALSE);

  for (guint i = 0; compared[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (resource, compared[i]);
      JsonNode *copy;

      if (node == NULL)
        continue;
      copy = deep_copy (node);
      if (JSON_NODE_HOLDS_ARRAY (copy))
        {
          JsonArray *values = json_node_get_array (copy);

          for (guint j = 0; j < json_array_get_length (values); j++)
            {
              JsonObject *value = json_array_get_object_element (values, j);

              if (json_object_has_member (value, "primary") && !is_primary (value))
                json_object_remove_member (value, "primary");
              if (g_str_equal (compared[i], "roles") || g_str_equal (compared[i], "entitlements"))
                json_object_remove_member (value, "display");
            }
        }
      json_object_set_member (result, compared[i], copy);
      drop_if_empty (result, compared[i]);
    }
  if (ext != NULL)
    {
      JsonObject *kept = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (simples); i++)
        if (g_strcmp0 (simples[i].parent, ENTERPRISE) == 0
            && json_object_has_member (ext, simples[i].member))
          json_object_set_member (kept, simples[i].member,
                                  deep_copy (json_object_get_member (ext,
                                                                          simples[i].member)));
      json_object_set_object_member (result, ENTERPRISE, kept);
      drop_if_empty (result, ENTERPRISE);
    }
  return result;
}

static JsonNode *
get_user (Fixture *fixture, const char *path)
{
  return test_call (fixture->server, fixture->token, "GET", path, NULL, NULL, 200, NULL);
}

static void
assert_matches (Fixture *fixture, JsonObject *model, JsonNode *user, const char *what,
                const char *patch)
{
  g_autoptr(JsonObject) expected = comparable (model);
  g_autoptr(JsonObject) got = comparable (json_node_get_object (user));
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), expected);
  g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), got);

  if (!json_node_equal (a, b))
    {
      g_autofree char *x = to_text (a);
      g_autofree char *y = to_text (b);

      g_error ("seed %u: after %s\n  PATCH %s\n  the model has  %s\n  the server has %s",
               fixture->seed, what, patch, x, y);
    }
}

/* ------------------------------------------------------------------ the test */

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const char *seed = g_getenv ("ROSTER_PATCH_SEED");

  fixture->seed = seed != NULL ? (guint32) g_ascii_strtoull (seed, NULL, 10)
                               : g_random_int ();
  g_test_message ("PATCH property seed: %u (replay with ROSTER_PATCH_SEED=%u)", fixture->seed,
                  fixture->seed);
  g_printerr ("PATCH property seed: %u\n", fixture->seed);
  fixture->rand = g_rand_new_with_seed (fixture->seed);
  fixture->server = roster_test_server_start (NULL);
  fixture->token = roster_test_server_setup_admin (fixture->server, ADMIN_NAME, ADMIN_PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->roles); i++)
    {
      g_autofree char *body = g_strdup_printf ("{'name': 'Role %u'}", i);

      fixture->roles[i] = test_create (fixture->server, fixture->token, "/scim/v2/Roles", body);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->server, roster_test_server_stop);
  g_clear_pointer (&fixture->token, g_free);
  g_clear_pointer (&fixture->rand, g_rand_free);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->roles); i++)
    g_clear_pointer (&fixture->roles[i], g_free);
}

static void
test_random_patches (Fixture *fixture, gconstpointer data)
{
  const char *rounds_env = g_getenv ("ROSTER_PATCH_ROUNDS");
  guint rounds = rounds_env != NULL ? (guint) g_ascii_strtoull (rounds_env, NULL, 10)
                                    : DEFAULT_ROUNDS;
  guint failures = 0, successes = 0;

  for (guint u = 0; u < N_USERS; u++)
    {
      g_autofree char *user_name = g_strdup_printf ("property%u", u);
      g_autofree char *body = g_strdup_printf ("{'userName': '%s'}", user_name);
      g_autofree char *id = test_create (fixture->server, fixture->token, "/scim/v2/Users", body);
      g_autofree char *path = g_strconcat ("/scim/v2/Users/", id, NULL);
      g_autoptr(JsonObject) model = json_object_new ();
      g_autoptr(JsonNode) current = get_user (fixture, path);

      for (guint r = 0; r < rounds; r++)
        {
          g_autoptr(JsonObject) next = NULL;
          g_autoptr(JsonObject) patch = json_object_new ();
          g_autoptr(JsonArray) schemas = json_array_new ();
          g_autoptr(JsonArray) operations = json_array_new ();
          g_autoptr(JsonNode) before = g_steal_pointer (&current);
          g_autoptr(JsonNode) after = NULL;
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *patch_text = NULL;
          g_autofree char *response = NULL;
          Outcome outcome = OK;
          guint n_ops = 1 + pick (fixture, 3), status = 0;

          /* The model's copy for this PATCH: all or nothing. */
          node = json_node_init_object (json_node_alloc (), model);
          {
            g_autoptr(JsonNode) copy = deep_copy (node);

            next = json_object_ref (json_node_get_object (copy));
          }
          for (guint i = 0; i < n_ops; i++)
            {
              Step step = random_step (fixture, next);

              json_array_add_object_element (operations, step.op);
              if (outcome.status == 200)
                outcome = step.outcome;
            }
          json_array_add_string_element (schemas, PATCH_OP);
          json_object_set_array_member (patch, "schemas", json_array_ref (schemas));
          json_object_set_array_member (patch, "Operations", json_array_ref (operations));
          patch_text = object_text (patch);

          response = roster_test_server_request_full (fixture->server, "PATCH", path,
                                                      fixture->token, "application/scim+json",
                                                      patch_text, (gsize) -1, &status, NULL);
          if (status != outcome.status)
            g_error ("seed %u: user %u round %u: PATCH %s answered %u, the model says %u: %s",
                     fixture->seed, u, r, patch_text, status, outcome.status, response);
          after = get_user (fixture, path);
          current = json_node_ref (after);
          if (outcome.status != 200)
            {
              JsonObject *meta_before, *meta_after;

              test_assert_scim_error (response, outcome.status, outcome.code, outcome.scim_type);
              /* Nothing changed, not even the version. */
              meta_before = json_object_get_object_member (json_node_get_object (before), "meta");
              meta_after = json_object_get_object_member (json_node_get_object (after), "meta");
              g_assert_cmpstr (json_object_get_string_member (meta_before, "version"), ==,
                               json_object_get_string_member (meta_after, "version"));
              assert_matches (fixture, model, after, "a refused PATCH", patch_text);
              failures++;
              continue;
            }
          assert_matches (fixture, next, after, "a PATCH", patch_text);
          g_clear_pointer (&model, json_object_unref);
          model = g_steal_pointer (&next);
          successes++;
        }
    }
  g_test_message ("%u PATCH requests applied, %u refused as the model said", successes,
                  failures);
  /* The generator makes both kinds: a run that made only one tested too little. */
  g_assert_cmpuint (successes, >, 0);
  g_assert_cmpuint (failures, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rosterd/patch/property", Fixture, NULL, fixture_set_up, test_random_patches,
              fixture_tear_down);
  return g_test_run ();
}
