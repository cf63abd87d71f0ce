#!/bin/sh
# Every source file with translatable strings is in po/POTFILES.in, the list is sorted, and
# every listed file exists. (STYLE.md §15.)
set -eu
cd "${1:-$(dirname "$0")/../..}"

listed=$(mktemp) && found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$listed"

status=0
if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi
while read -r file; do
  [ -f "$file" ] || { echo "po/POTFILES.in lists a missing file: $file"; status=1; }
done < "$listed"

{
  grep -rlE --include='*.c' '(\b(_|N_|C_|NC_)|ngettext ?)\(' src/common src/client src/server src/app 2>/dev/null || true
  grep -l 'translatable="yes"' data/ui/*.ui data/gtk/*.ui 2>/dev/null || true
} | LC_ALL=C sort > "$found"
missing=$(LC_ALL=C comm -13 "$listed" "$found")
if [ -n "$missing" ]; then
  echo "files with translatable strings missing from po/POTFILES.in:"
  echo "$missing"
  status=1
fi
[ "$status" = 0 ] && echo "po/POTFILES.in is complete and sorted"
exit "$status"
