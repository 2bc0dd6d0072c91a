#!/bin/sh
# Usage: remote-helper/build.sh [OUT]
# Builds the one file that is pushed to hosts, cutover-helper, from its parts: src/NN-name.sh
# concatenated in the order of their numbers, nothing added or removed (the helper is SHA-checked
# and streamed to `sh -s`, so it stays one file; the parts are for reading, testing and review).
# OUT defaults to remote-helper/target/cutover-helper; Maven builds its own copy into
# controller/target for the jar. The file is written next to OUT and renamed, so a reader never
# sees half a helper, and suites that build at the same time each rename a whole one. Prints OUT.
set -eu
# C collation: the numbers alone decide the order of the parts, whatever the caller's locale.
LC_ALL=C
export LC_ALL
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
out=${1:-$here/target/cutover-helper}
mkdir -p -- "$(dirname -- "$out")"
tmp=$(mktemp -- "$out.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat -- "$here"/src/[0-9][0-9]-*.sh >"$tmp"
chmod 0755 -- "$tmp"
mv -f -- "$tmp" "$out"
trap - EXIT
printf '%s\n' "$out"
