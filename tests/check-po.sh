#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Chinese translation is complete: every file with translatable strings is in
# po/POTFILES.in, and po/zh_CN.po, merged with what the sources say today, has no untranslated
# or fuzzy message and passes msgfmt's checks. Fails with the files or messages to fix.
set -u

srcdir=${1:?usage: check-po.sh SOURCE_ROOT}
cd "$srcdir" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

echo "1..4"

# Files that mark strings but are missing from POTFILES.in, and entries that name no file.
missing=$(grep -rlE '\b(N?C?_|g_dngettext|g_dpgettext2) ?\(|translatable="yes"' \
            src ui data --include='*.c' --include='*.ui' --include='*.xml' --include='*.in' \
          | sort | comm -23 - "$(sed '/^#/d;/^$/d' po/POTFILES.in | sort > "$tmp/listed"; echo "$tmp/listed")")
gone=$(while read -r file; do [ -f "$file" ] || echo "$file"; done < "$tmp/listed")
if [ -n "$missing$gone" ]; then
  [ -n "$missing" ] && printf '# not in po/POTFILES.in:\n%s\n' "$missing" | sed '2,$s/^/#   /'
  [ -n "$gone" ] && printf '# in po/POTFILES.in but missing:\n%s\n' "$gone" | sed '2,$s/^/#   /'
  echo "not ok 1 po/POTFILES.in lists every file with translatable strings"
  status=1
else
  echo "ok 1 po/POTFILES.in lists every file with translatable strings"
fi

# The texts of data/*.json are in the catalogue with the JSON's Chinese.
if out=$(python3 build-aux/data-strings.py check 2>&1); then
  echo "ok 2 the bilingual texts of data/ are in po/zh_CN.po"
else
  echo "$out" | sed 's/^/# /'
  echo "not ok 2 the bilingual texts of data/ are in po/zh_CN.po"
  status=1
fi

# Merged with today's sources, as the next minisock-update-po would.
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --package-name=minisock -f po/POTFILES.in -o "$tmp/minisock.pot" || exit 1
msgmerge --quiet -o "$tmp/zh_CN.po" po/zh_CN.po "$tmp/minisock.pot" || exit 1
stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$tmp/zh_CN.po" 2>&1)
check=$?
echo "# $stats"
if [ "$check" -ne 0 ]; then
  echo "not ok 3 msgfmt -c accepts po/zh_CN.po"
  status=1
else
  echo "ok 3 msgfmt -c accepts po/zh_CN.po"
fi

msgattrib --untranslated --no-obsolete --no-wrap -o "$tmp/todo.po" "$tmp/zh_CN.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap -o "$tmp/fuzzy.po" "$tmp/zh_CN.po"
if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
  grep -h '^msgid "[^"]' "$tmp/todo.po" "$tmp/fuzzy.po" | head -40 | sed 's/^/# /'
  echo "not ok 4 every message is translated, none fuzzy (meson compile -C _build minisock-update-po)"
  status=1
else
  echo "ok 4 every message is translated, none fuzzy"
fi

exit "$status"
