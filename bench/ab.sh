#!/usr/bin/env bash
# Usage: CUTOVER_LAB=NAME bench/ab.sh [-n RUNS] [--limit PATTERN] JAR_A JAR_B [-- APPLY_ARGS...]
# Two builds of cutover, alternated A B A B ... on a running lab (lab/lab.sh up), each apply of the
# shipped playbook rolled back before the next. Per run: wall and controller CPU (bench/lib/measure.py),
# host-side CPU (bench/lib/hostcpu.py), and from the journal the slowest host, the median host and
# the median ban window (ban-old start to unban done). Prints min / median / max per jar.
# For a change's before/after numbers: build A from the commit before (git worktree + mvn package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(dirname "$here")
runs=5 limit=all
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { sed -n '2p' "$0" | sed 's/^# //' >&2; exit 2; }
jar_a=$1 jar_b=$2; shift 2
[ "${1:-}" != -- ] || shift
inv=$("$repo/lab/lab.sh" inventory)
work=$(mktemp -d /tmp/cutover-ab.XXXXXX)
trap 'rm -rf "$work"' EXIT
for i in $(seq "$runs"); do
  for side in A B; do
    jar=$jar_a; [ $side = B ] && jar=$jar_b
    hb=$(python3 "$here/lib/hostcpu.py" "$repo/lab/run/${CUTOVER_LAB:-lab}")
    CUTOVER_JAR=$jar python3 "$here/lib/measure.py" "$work/m.json" -- "$repo/bin/cutover" apply -i "$inv" \
      "$repo/playbooks/local-caching-bind.yml" --limit "$limit" --yes --serial 100% --runs-dir "$work/runs-$side" "$@" \
      >"$work/out" 2>&1 || { echo "run $i $side failed:" >&2; tail -5 "$work/out" >&2; }
    ha=$(python3 "$here/lib/hostcpu.py" "$repo/lab/run/${CUTOVER_LAB:-lab}")
    id=$(ls -t "$work/runs-$side" | head -1)
    python3 - "$work/m.json" "$work/runs-$side/$id/journal.jsonl" "$hb" "$ha" "$side" >>"$work/rows" <<'PY'
import json, sys, datetime, statistics
m = json.load(open(sys.argv[1]))
hosts, ban, t = [], [], {}
for line in open(sys.argv[2]):
    e = json.loads(line)
    ts = datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()
    if e["type"] == "host-end": hosts.append(e["ms"])
    if e["type"] == "step-start" and e.get("name") == "ban-old": t[e["host"]] = ts
    if e["type"] == "step-done" and e.get("name") == "unban" and e["host"] in t: ban.append((ts - t[e["host"]]) * 1000)
print(json.dumps({"side": sys.argv[5], "wall": m["wall_s"], "cpu": m["cpu_s"], "host_cpu": float(sys.argv[4]) - float(sys.argv[3]),
                  "slowest": max(hosts) / 1000, "median_host": statistics.median(hosts) / 1000,
                  "ban_ms": statistics.median(ban) if ban else None, "hosts": len(hosts)}))
PY
    CUTOVER_JAR=$jar "$repo/bin/cutover" rollback --runs-dir "$work/runs-$side" "$id" >/dev/null 2>&1 || echo "rollback $side $id failed" >&2
  done
done
python3 - "$work/rows" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = [("wall", "wall s"), ("cpu", "controller CPU s"), ("host_cpu", "host CPU s"), ("slowest", "slowest host s"),
        ("median_host", "median host s"), ("ban_ms", "ban window ms")]
print("| jar | " + " | ".join(k[1] for k in keys) + " |")
print("|---|" + "---|" * len(keys))
for side in "AB":
    rs = [r for r in rows if r["side"] == side]
    def f(k):
        v = sorted(r[k] for r in rs if r[k] is not None)
        return "%.2f / %.2f / %.2f" % (v[0], statistics.median(v), v[-1]) if k != "ban_ms" else "%.0f / %.0f / %.0f" % (v[0], statistics.median(v), v[-1])
    print(f"| {side} ({len(rs)} runs, {rs[0]['hosts']} hosts) | " + " | ".join(f(k) for k, _ in keys) + " |")
PY
