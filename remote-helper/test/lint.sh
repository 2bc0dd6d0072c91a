#!/bin/sh
# Usage: test/lint.sh HELPER
# Runs shellcheck on the helper's parts (src/NN-name.sh), on HELPER as built from them, and on the
# scripts that build and test it. Exits 1 on any finding.
#
# Each part alone must parse and hold no error (-S error: a part that leaves a quote or a function
# open would otherwise be blamed on the next). Warnings need the whole helper (CHANGED is set in
# lock and read in output), so they come from the check of the built file, with no disable beyond
# the header's, and each is named by its part and the part's own line (HELPER is the parts put end
# to end, see build.sh). One full run: checking every part in the company of the others costs a
# full run per part (minutes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
helper=${1:?usage: test/lint.sh HELPER}
bad=0
shellcheck -s sh -S error "$here"/../src/[0-9][0-9]-*.sh || bad=1
# "PART LINES" per part, in build order: the map from a line of HELPER back to its part
parts=$(for p in "$here"/../src/[0-9][0-9]-*.sh; do printf 'src/%s %s\n' "${p##*/}" "$(wc -l <"$p")"; done)
out=$(shellcheck -s sh -f gcc "$helper" 2>&1 | awk -F: -v OFS=: -v parts="$parts" '
  BEGIN { n = split(parts, row, "\n"); for (i = 1; i <= n; i++) { split(row[i], f, " "); name[i] = f[1]; len[i] = f[2] } }
  $2 ~ /^[0-9]+$/ { l = $2; for (i = 1; i < n && l > len[i]; i++) l -= len[i]; $1 = name[i]; $2 = l } { print }')
[ -z "$out" ] || { printf '%s\n' "$out"; bad=1; }
shellcheck -s sh "$here/../build.sh" "$here/lint.sh" "$here/run.sh" "$here/lab.sh" "$here/lab/sandbox.sh" || bad=1
[ "$bad" -eq 0 ]
