#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary DESTDIR and runs the installed programs from there: the
# command line runs a scenario, the window opens on the test's display with the installed
# schema, and every file a desktop reads is where it looks for it.
set -u

fail () {
  echo "FAIL: $*"
  exit 1
}

dest=$(mktemp -d)
app=
cleanup () {
  [ -n "$app" ] && kill "$app" 2>/dev/null
  rm -rf "$dest"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

meson install -C "$MESON_BUILD_ROOT" --destdir "$dest" --no-rebuild --quiet >"$dest.log" 2>&1 \
  || { cat "$dest.log"; rm -f "$dest.log"; fail "meson install failed"; }
rm -f "$dest.log"

root="$dest$MINISOCK_PREFIX"
bindir="$root/$MINISOCK_BINDIR"
datadir="$root/$MINISOCK_DATADIR"
id=io.github.minisock.Minisock

for file in \
  "$bindir/minisock" \
  "$bindir/minisock-cli" \
  "$datadir/applications/$id.desktop" \
  "$datadir/metainfo/$id.metainfo.xml" \
  "$datadir/glib-2.0/schemas/$id.gschema.xml" \
  "$datadir/icons/hicolor/scalable/apps/$id.svg" \
  "$datadir/icons/hicolor/symbolic/apps/$id-symbolic.svg" \
  "$root/$MINISOCK_LOCALEDIR_REL/zh_CN/LC_MESSAGES/minisock.mo"
do
  [ -s "$file" ] || fail "not installed: ${file#"$dest"}"
done
echo "ok 1 every file is installed"

# The scenarios and dialects travel inside the binary: the installed CLI needs no source tree.
out=$("$bindir/minisock-cli" dialects 2>&1) || fail "minisock-cli dialects: $out"
echo "$out" | grep -q '^wx' || fail "minisock-cli dialects does not list wx: $out"
scenario="$MINISOCK_SOURCE_ROOT/data/scenarios/echo.json"
out=$("$bindir/minisock-cli" run "$scenario" 2>&1) || fail "minisock-cli run: $out"
echo "$out" | grep -qE ' message .*SocketTask.onMessage' || fail "the installed CLI's timeline has no message: $out"
echo "ok 2 the installed minisock-cli runs a scenario against its playground"

# The window, with the schema compiled where the installed app's desktop would have it.
glib-compile-schemas --strict "$datadir/glib-2.0/schemas" || fail "the installed schema does not compile"
GSETTINGS_SCHEMA_DIR="$datadir/glib-2.0/schemas" "$bindir/minisock" >"$dest/app.log" 2>&1 &
app=$!
found=
tries=0
while [ "$tries" -lt 200 ]; do
  kill -0 "$app" 2>/dev/null || { cat "$dest/app.log"; fail "the installed minisock exited"; }
  if xdotool search --onlyvisible --pid "$app" --name '^Minisock' >/dev/null 2>&1; then
    found=1
    break
  fi
  tries=$((tries + 1))
  sleep 0.1
done
[ -n "$found" ] || { cat "$dest/app.log"; fail "the installed minisock showed no window in 20 s"; }
echo "ok 3 the installed minisock opens its window"
echo "1..3"
