/* roster-iso-codes.c
 *
 * The user editor offers languages (ISO 639-1) and countries (ISO 3166-1) by name. The names
 * come from iso-codes' JSON files, read asynchronously, and are translated with iso-codes'
 * own gettext domains, as GNOME Settings does. Each list is sorted by its translated name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "roster-error.h"
#include "roster-iso-codes.h"
#include "roster-scim.h"

typedef struct
{
  char *code;
  char *name;
} Entry;

struct _RosterIsoCodes
{
  GObject parent_instance;

  GArray *entries[2]; /* of Entry, by RosterIsoKind */
};

G_DEFINE_FINAL_TYPE (RosterIsoCodes, roster_iso_codes, G_TYPE_OBJECT)

static const struct
{
  const char *file;
  const char *member;
  const char *domain;
} sources[] = {
  [ROSTER_ISO_LANGUAGES] = { "iso_639-2.json", "639-2", "iso_639-2" },
  [ROSTER_ISO_COUNTRIES] = { "iso_3166-1.json", "3166-1", "iso_3166-1" },
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->code);
  g_free (entry->name);
}

static void
roster_iso_codes_finalize (GObject *object)
{
  RosterIsoCodes *self = ROSTER_ISO_CODES (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->entries); i++)
    g_array_unref (self->entries[i]);
  G_OBJECT_CLASS (roster_iso_codes_parent_class)->finalize (object);
}

static void
roster_iso_codes_class_init (RosterIsoCodesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_iso_codes_finalize;
}

static void
roster_iso_codes_init (RosterIsoCodes *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->entries); i++)
    {
      self->entries[i] = g_array_new (FALSE, TRUE, sizeof (Entry));
      g_array_set_clear_func (self->entries[i], entry_clear);
    }
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (((const Entry *) a)->name, ((const Entry *) b)->name);
}

/* Reads one iso-codes file: the entries with a two-letter code. */
static gboolean
parse (RosterIsoCodes *self, RosterIsoKind kind, GBytes *bytes, GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(JsonNode) node = roster_json_parse (data, length, error);
  JsonArray *array;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_PROTOCOL, sources[kind].file);
      return FALSE;
    }
  array = roster_json_get_array (json_node_get_object (node), sources[kind].member, error);
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *code, *name;
      Entry entry;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      code = roster_json_get_string (json_node_get_object (element), "alpha_2", NULL);
      name = roster_json_get_string (json_node_get_object (element), "name", NULL);
      if (code == NULL || name == NULL)
        continue;
      entry.code = g_strdup (code);
      entry.name = g_strdup (g_dgettext (sources[kind].domain, name));
      g_array_append_val (self->entries[kind], entry);
    }
  g_array_sort (self->entries[kind], compare_entries);
  return TRUE;
}

typedef struct
{
  RosterIsoCodes *codes;
  GFile *directory;
  guint next;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->codes);
  g_clear_object (&load->directory);
  g_free (load);
}

static void load_next (GTask *task);

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);

  if (bytes == NULL || !parse (load->codes, load->next, bytes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  load->next++;
  load_next (g_steal_pointer (&task));
}

static void
load_next (GTask *task)
{
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;

  if (load->next == G_N_ELEMENTS (sources))
    {
      g_task_return_pointer (task, g_object_ref (load->codes), g_object_unref);
      g_object_unref (task);
      return;
    }
  file = g_file_get_child (load->directory, sources[load->next].file);
  g_file_load_bytes_async (file, g_task_get_cancellable (task), load_cb, task);
}

/**
 * roster_iso_codes_load_async:
 * @directory: (nullable): where iso-codes' JSON files are, or %NULL for the installed ones
 */
void
roster_iso_codes_load_async (const char *directory, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *load = g_new0 (LoadData, 1);

  g_task_set_source_tag (task, roster_iso_codes_load_async);
  load->codes = g_object_new (ROSTER_TYPE_ISO_CODES, NULL);
  load->directory = g_file_new_for_path (directory != NULL ? directory : ISO_CODES_DIR);
  g_task_set_task_data (task, load, load_data_free);
  load_next (task);
}

RosterIsoCodes *
roster_iso_codes_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
roster_iso_codes_get_n_items (RosterIsoCodes *self, RosterIsoKind kind)
{
  g_return_val_if_fail (ROSTER_IS_ISO_CODES (self), 0);
  return self->entries[kind]->len;
}

const char *
roster_iso_codes_get_code (RosterIsoCodes *self, RosterIsoKind kind, guint position)
{
  g_return_val_if_fail (ROSTER_IS_ISO_CODES (self), NULL);
  g_return_val_if_fail (position < self->entries[kind]->len, NULL);
  return g_array_index (self->entries[kind], Entry, position).code;
}

const char *
roster_iso_codes_get_name (RosterIsoCodes *self, RosterIsoKind kind, guint position)
{
  g_return_val_if_fail (ROSTER_IS_ISO_CODES (self), NULL);
  g_return_val_if_fail (position < self->entries[kind]->len, NULL);
  return g_array_index (self->entries[kind], Entry, position).name;
}

/**
 * roster_iso_codes_lookup:
 * @code: a code such as "de" or "DE" (compared without regard to case)
 *
 * Returns: (nullable): the translated name of @code
 */
const char *
roster_iso_codes_lookup (RosterIsoCodes *self, RosterIsoKind kind, const char *code)
{
  g_return_val_if_fail (ROSTER_IS_ISO_CODES (self), NULL);
  for (guint i = 0; code != NULL && i < self->entries[kind]->len; i++)
    if (g_ascii_strcasecmp (g_array_index (self->entries[kind], Entry, i).code, code) == 0)
      return g_array_index (self->entries[kind], Entry, i).name;
  return NULL;
}
