#!/bin/sh
# The launcher's class-data sharing archive (bin/cutover): made once per built jar, used after,
# never changing what cutover prints, and never in the way when it is damaged or cannot be made.
# Prints "N passed, N failed"; exit 1 on any failure. Needs the built jar.
set -u
top=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
cache=$(mktemp -d "${TMPDIR:-/tmp}/cutover-launcher.XXXXXX")
trap 'chmod -R u+w "$cache"; rm -rf "$cache"' EXIT INT TERM
pass=0 fail=0
# Usage: check WHAT COMMAND...  -> ok if COMMAND succeeds
check() {
    what=$1
    shift
    if "$@"; then pass=$((pass + 1)); echo "ok - $what"; else fail=$((fail + 1)); echo "not ok - $what"; fi
}
plan() { XDG_CACHE_HOME=$1 "$top/bin/cutover" plan --offline -i "$top/inventory-examples/production-like.yml" \
    "$top/playbooks/local-caching-bind.yml" --limit canary 2>&1; }
archives() { find "$1/cutover" -name 'classes-*.jsa' 2>/dev/null | wc -l; }

without=$(CUTOVER_CDS=0 plan "$cache/none")
check "CUTOVER_CDS=0 makes no archive" [ "$(archives "$cache/none")" = 0 ]
first=$(plan "$cache/a")
check "the first run makes one archive" [ "$(archives "$cache/a")" = 1 ]
check "... and prints what a run without it prints" [ "$first" = "$without" ]
check "a run from the archive prints the same" [ "$(plan "$cache/a")" = "$without" ]
archive=$(find "$cache/a/cutover" -name 'classes-*.jsa')
chmod u+w "$archive" && head -c 65536 /dev/urandom >"$archive"
check "a damaged archive is ignored" [ "$(plan "$cache/a")" = "$without" ]
: >"$cache/file"
check "no cache directory to be had: cutover runs as without" [ "$(plan "$cache/file")" = "$without" ]
# Usage: help_words WIDTH VERB  -> the words of `cutover VERB --help` wrapped at WIDTH columns, one a line
help_words() {
    CUTOVER_JAVA_OPTS="-Dpicocli.usage.width=$1" XDG_CACHE_HOME="$cache/none" CUTOVER_CDS=0 "$top/bin/cutover" "$2" --help 2>&1 |
        tr -s ' \n' '\n\n'
}
for verb in apply plan inventory; do
    check "$verb --help wraps only between words (at 80 columns, the words it has at 200)" \
        [ "$(help_words 80 "$verb")" = "$(help_words 200 "$verb")" ]
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
