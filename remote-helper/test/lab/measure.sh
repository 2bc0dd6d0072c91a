#!/bin/sh
# Usage: remote-helper/test/lab/measure.sh [RUNS]
# Measure every refresh method on a lab host's live pgbouncer (lab instance
# $CUTOVER_LAB, which must be up) with stall.py: per method RUNS refreshes
# (default 25) with idle, in-transaction and busy client sessions open; plus
# the time of `facts` on the host. One JSON object per line on stdout; the
# numbers in docs/resolver-refresh.md come from here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
LAB="$repo/lab/lab.sh"
RUNS=${1:-25}
H=/var/lib/cutover/bin/cutover-helper
inv="$repo/lab/run/${CUTOVER_LAB:-lab}/inventory.yml"
var() { awk -v k="$1:" '$1 == k { sub(/^[^:]*: */, ""); print; exit }' "$inv"; }
old=$(var cutover_old_nameservers | tr -d '[] ')
"$LAB" ssh app1 "mkdir -p /var/lib/cutover/bin && cat >$H && chmod 755 $H" <"$("$repo/remote-helper/build.sh")" || exit 1
pidfile=$(var pgbouncer_pidfile)
common="--pidfile $pidfile --runs $RUNS --db $(var pgbouncer_app_db) --user $(var pgbouncer_probe_user) --password $(var pgbouncer_probe_password)"
# shellcheck disable=SC2086 # $common is a word list
for m in none signal-HUP gdb-res-init gdb-cares pgbouncer-online-restart; do
  "$LAB" exec app1 /usr/bin/python3 "$here/stall.py" --helper "sh $H" --method "$m" --servers "$old" $common
done
# for comparison: a plain gdb attach/detach that loads every symbol file (libc6-dbg), as the seed did (without its sleep 3)
# shellcheck disable=SC2086
"$LAB" exec app1 /usr/bin/python3 "$here/stall.py" --method plain-gdb-attach $common \
  --helper none --command "gdb -nx -batch -p {pid} -ex detach >/dev/null 2>&1"
"$LAB" exec app1 sh -c "for i in \$(seq $RUNS); do s=\$(date +%s%N); $H facts >/dev/null; e=\$(date +%s%N); echo \$(( (e - s) / 1000000 )); done" |
  sort -n | awk '{ a[NR] = $1 } END { printf "{\"facts_ms\":{\"runs\":%d,\"min\":%d,\"median\":%d,\"max\":%d}}\n", NR, a[1], a[int((NR + 1) / 2)], a[NR] }'
