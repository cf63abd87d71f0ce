/* roster-mail-catalog.c: one language's translations, for the mail and pages of one user
 *
 * Mail and the activation page speak the language of the user they are for
 * (preferredLanguage), not rosterd's. gettext follows the process locale (or a thread's,
 * with uselocale, but only for locales the system has generated), so rosterd reads the
 * same compiled catalogue itself: LOCALE_DIR/LANG/LC_MESSAGES/roster.mo, the GNU .mo
 * format (magic, count, two tables of length/offset pairs). A catalog is immutable once
 * loaded, so any thread may use it. "de-CH" falls back to "de"; an unknown language is
 * English (msgids are English).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <string.h>

#include "roster-mail-catalog.h"

#define MO_MAGIC 0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

struct _RosterMailCatalog
{
  char *language; /* "en" when nothing was loaded */
  GHashTable *strings; /* msgid → msgstr, both owned by the table */
};

static guint32
read_u32 (const guint8 *data, gsize offset, gboolean swapped)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* Fills @strings from a .mo file; returns FALSE if it is not one. */
static gboolean
parse_mo (const guint8 *data, gsize size, GHashTable *strings)
{
  guint32 magic, count, originals, translations;
  gboolean swapped;

  if (size < 20)
    return FALSE;
  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return FALSE;
  swapped = magic == MO_MAGIC_SWAPPED;
  count = read_u32 (data, 8, swapped);
  originals = read_u32 (data, 12, swapped);
  translations = read_u32 (data, 16, swapped);
  if ((guint64) originals + (guint64) count * 8 > size
      || (guint64) translations + (guint64) count * 8 > size)
    return FALSE;
  for (guint32 i = 0; i < count; i++)
    {
      guint32 id_length = read_u32 (data, originals + i * 8, swapped);
      guint32 id_offset = read_u32 (data, originals + i * 8 + 4, swapped);
      guint32 str_length = read_u32 (data, translations + i * 8, swapped);
      guint32 str_offset = read_u32 (data, translations + i * 8 + 4, swapped);

      if ((guint64) id_offset + id_length >= size || (guint64) str_offset + str_length >= size)
        return FALSE;
      /* The header (empty msgid) and plural forms are not needed for mail. */
      if (id_length == 0 || str_length == 0 || memchr (data + id_offset, '\0', id_length))
        continue;
      g_hash_table_insert (strings, g_strndup ((const char *) data + id_offset, id_length),
                           g_strndup ((const char *) data + str_offset, str_length));
    }
  return TRUE;
}

static gboolean
load (RosterMailCatalog *self, const char *locale_dir, const char *language)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (locale_dir == NULL || *language == '\0' || strchr (language, '/') != NULL
      || strchr (language, '.') != NULL)
    return FALSE;
  path = g_build_filename (locale_dir, language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  if (!parse_mo ((const guint8 *) contents, length, self->strings))
    {
      g_warning ("%s is not a message catalogue", path);
      g_hash_table_remove_all (self->strings);
      return FALSE;
    }
  self->language = g_strdup (language);
  return TRUE;
}

/**
 * roster_mail_catalog_new:
 * @locale_dir: (nullable): where the compiled catalogues are
 * @language: (nullable): a language tag as SCIM's preferredLanguage holds it ("de",
 *   "de-DE", "de_DE")
 *
 * Returns: (transfer full): the catalog; English when there is no catalogue for @language
 */
RosterMailCatalog *
roster_mail_catalog_new (const char *locale_dir, const char *language)
{
  RosterMailCatalog *self = g_new0 (RosterMailCatalog, 1);
  g_autofree char *tag = g_strdup (language != NULL ? language : "");

  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_strstrip (tag);
  g_strdelimit (tag, "-", '_');
  /* Language in lower case, region in upper case: "de_CH", then "de". */
  for (char *p = tag; *p != '\0' && *p != '_'; p++)
    *p = g_ascii_tolower (*p);
  for (char *p = strchr (tag, '_'); p != NULL && *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  if (!load (self, locale_dir, tag))
    {
      char *underscore = strchr (tag, '_');

      if (underscore != NULL)
        *underscore = '\0';
      if (!load (self, locale_dir, tag))
        self->language = g_strdup ("en");
    }
  return self;
}

/**
 * roster_mail_catalog_get_language:
 *
 * Returns: the language actually used ("en" if no catalogue was found), for lang=""
 */
const char *
roster_mail_catalog_get_language (RosterMailCatalog *self)
{
  return self->language;
}

const char *
roster_mail_catalog_gettext (RosterMailCatalog *self, const char *msgid)
{
  const char *translated = g_hash_table_lookup (self->strings, msgid);

  return translated != NULL ? translated : msgid;
}

void
roster_mail_catalog_free (RosterMailCatalog *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->strings);
  g_free (self->language);
  g_free (self);
}
