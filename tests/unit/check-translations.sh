#!/bin/sh
# Every message in the sources is translated in po/de.po, none fuzzy (STYLE.md §15: nothing
# untranslated ships). Extracts the messages from po/POTFILES.in with the arguments meson's
# i18n.gettext(preset: 'glib') gives xgettext (mesonbuild/modules/i18n.py, so this sees what
# `meson compile roster-pot` would), merges po/de.po into them the way `roster-update-po` does,
# in a temp dir, and lists every untranslated or fuzzy message as file:line and msgid.
# Needs only gettext. Usage: check-translations.sh [SOURCE_ROOT] [LANG...] (default: LINGUAS).
set -eu
cd "${1:-$(dirname "$0")/../..}"
[ "$#" -gt 0 ] && shift

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The glib preset, in meson's order; meson's gettext script adds -k_ and --package-name.
xgettext --package-name=roster -D . -f po/POTFILES.in -k_ -o "$tmp/roster.pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format --flag=g_print:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format 2> "$tmp/xgettext.log"

status=0
# A warning means a message that cannot be translated as written, e.g. a format macro such as
# G_GINT64_FORMAT inside _(): xgettext cuts the msgid there and no translation ever matches.
if grep . "$tmp/xgettext.log"; then
  echo "xgettext warns about the messages above: they cannot be translated as they are"
  status=1
fi

if [ "$#" -gt 0 ]; then
  langs="$*"
else
  langs=$(sed -e 's/#.*//' po/LINGUAS)
fi

for lang in $langs; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "$po: missing (listed in po/LINGUAS)"
    status=1
    continue
  fi
  msgfmt -c -o /dev/null "$po" || { echo "$po: msgfmt -c fails"; status=1; }
  msgmerge -q -o "$tmp/$lang.po" "$po" "$tmp/roster.pot"

  # One line per problem: "file:line: [untranslated|fuzzy] msgctxt|msgid". Entries without a
  # reference cannot happen after a merge with the template (obsolete ones are left out).
  for kind in untranslated fuzzy; do
    msgattrib --"$( [ "$kind" = fuzzy ] && echo only-fuzzy || echo untranslated )" \
      --no-obsolete --no-wrap -o "$tmp/$lang-$kind.po" "$tmp/$lang.po"
    [ -f "$tmp/$lang-$kind.po" ] || : > "$tmp/$lang-$kind.po" # msgattrib writes nothing if none
    awk -v kind="$kind" -v lang="$lang" '
      function flush() {
        if (have && id != "") printf "%s: %s: %s %s\"%s\"\n", ref, lang, kind, ctx, id
        have = 0; ref = ""; id = ""; ctx = ""; inid = 0
      }
      /^#: / { if (ref == "") ref = $2; next }
      /^msgctxt / { sub(/^msgctxt "/, ""); sub(/"$/, ""); ctx = "[" $0 "] "; inid = 0; next }
      /^msgid / { sub(/^msgid "/, ""); sub(/"$/, ""); id = $0; have = 1; inid = 1; next }
      /^"/ { if (inid) { sub(/^"/, ""); sub(/"$/, ""); id = id $0 }; next }
      /^msg/ { inid = 0; next }
      /^$/ { flush() }
      END { flush() }
    ' "$tmp/$lang-$kind.po" > "$tmp/$lang-$kind.txt"
  done
  # The header entry is "fuzzy" only in a fresh file; it has an empty msgid and is skipped.
  count=$(cat "$tmp/$lang-untranslated.txt" "$tmp/$lang-fuzzy.txt" | wc -l)
  if [ "$count" -gt 0 ]; then
    cat "$tmp/$lang-untranslated.txt" "$tmp/$lang-fuzzy.txt" | LC_ALL=C sort -t: -k1,1 -k2,2n
    echo "$po: $count messages untranslated or fuzzy" \
      "($(wc -l < "$tmp/$lang-untranslated.txt") untranslated," \
      "$(wc -l < "$tmp/$lang-fuzzy.txt") fuzzy); update it with msgmerge and translate them"
    status=1
  else
    echo "$po: $(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)"
  fi
done
exit "$status"
