#!/bin/bash
# bench/run.sh [--hosts 10,50,100] [--runs 3] [--quick] [--scale 1,10,50,100,200] [--freeze-runs 20]
#              [--only compare,scale,app,freeze] [--append]
#
# Reruns every benchmark of issue 8 on one lab instance (CUTOVER_LAB, default "bench") and writes
# bench/results/: latest.json (one object per measurement), raw.jsonl, *.md tables, wall-vs-hosts.png.
#   1. the same work by cutover, by Ansible (bench/ansible/apply.yml) and by plain parallel SSH (the
#      floor: the same helper calls, no controller logic; bench/lib/floor.py), alternated, on N light hosts
#   2. cutover alone at 1..200 light hosts, forks 50 (plus forks = hosts above 50, for the overhead ratio)
#   3. the freeze: client-observed pgbouncer stall per refresh method (seed's gdb recipe, gdb-cares, -R)
#   4. the six-step block per host, from the journals (light hosts, and the app host with pgbouncer)
# --quick (CI smoke, < 3 min): 10 hosts, 1 run, scale 1,10, freeze 5 runs per method.
# --only: run only these phases; --append: add to the measurements already in bench/results/raw.jsonl
# (e.g. a phase rerun later in the same session) instead of starting afresh.
# Needs root (the lab). Installs what it lacks (gnuplot-nox, ansible-core) with apt-get.
set -euo pipefail
umask 022
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
HOSTS=10,50,100 RUNS=3 SCALE=1,10,50,100,200 FREEZE=20 QUICK=false ONLY=compare,scale,app,freeze APPEND=false
while [ $# -gt 0 ]; do
  case $1 in
    --hosts) HOSTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --freeze-runs) FREEZE=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --append) APPEND=true; shift ;;
    --quick) QUICK=true; HOSTS=10 RUNS=1 SCALE=1,10 FREEZE=5; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in $RUNS $FREEZE ${HOSTS//,/ } ${SCALE//,/ }; do
  case $v in ''|*[!0-9]*) echo "bench/run.sh: not a number: $v" >&2; exit 2 ;; esac
done
phase() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
phase compare || HOSTS=''
phase scale || SCALE=''
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root (the lab builds namespaces)" >&2; exit 4; }

export CUTOVER_LAB=${CUTOVER_LAB:-bench}
OUT=${BENCH_OUT:-$here/results}
WORK=$(mktemp -d /tmp/cutover-bench.XXXXXX)
RUNSDIR=$WORK/runs
PY=/usr/bin/python3
LAB=$repo/lab/lab.sh
log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }

# ---- dependencies ------------------------------------------------------------------------
need_pkgs=()
command -v gnuplot >/dev/null 2>&1 || need_pkgs+=(gnuplot-nox)
command -v ansible-playbook >/dev/null 2>&1 || need_pkgs+=(ansible-core)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need_pkgs[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${need_pkgs[@]}" >/dev/null; }
fi
"$LAB" deps >/dev/null

# ---- the controller jar ------------------------------------------------------------------
# Built from `git archive HEAD` in a temp dir: the committed code, unaffected by others' work in
# progress and by their `mvn clean` removing controller/target/ in the middle of a run.
if [ -z "${CUTOVER_JAR:-}" ]; then
  mkdir -p "$WORK/build" && git -C "$repo" archive HEAD | tar -x -C "$WORK/build"
  mvn -q -B -o -f "$WORK/build/pom.xml" package -DskipTests >"$WORK/build.log" 2>&1 ||
    mvn -q -B -f "$WORK/build/pom.xml" package -DskipTests >>"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log" >&2; exit 1; }
  export CUTOVER_JAR=$WORK/build/controller/target/cutover.jar
else
  cp "$CUTOVER_JAR" "$WORK/cutover.jar" && export CUTOVER_JAR=$WORK/cutover.jar
fi
CUTOVER=$repo/bin/cutover
# the helper as built from its parts, for Ansible's copy task and the stall measurement
HELPER_FILE=$("$repo/remote-helper/build.sh" "$WORK/cutover-helper")
# the launcher's class-data archive for this jar is made now (a ~2 s training run, once), not inside
# the first measurement
"$CUTOVER" --version >/dev/null

# ---- the lab -----------------------------------------------------------------------------
max_light=1
for n in ${HOSTS//,/ } ${SCALE//,/ }; do [ "$n" -gt "$max_light" ] && max_light=$n; done
cleanup() {
  local rc=$?
  log "tearing down lab $CUTOVER_LAB"
  "$LAB" down >/dev/null 2>&1 || true
  if [ "${BENCH_KEEP:-}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
"$LAB" down >/dev/null 2>&1 || true
trap cleanup EXIT
trap 'exit 130' INT TERM
log "lab $CUTOVER_LAB: 1 app host + $max_light light hosts"
INV=$("$LAB" up --hosts 1 --light "$max_light")
HUB="ip netns exec cut${CUTOVER_LAB}-hub"
# SSH connections = TCP SYNs to port 22 crossing the lab's bridge (every host and the controller's
# veth are bridge ports, so every connection the controller opens is counted exactly once).
$HUB nft add table bridge cbench
$HUB nft add chain bridge cbench c22 '{ type filter hook forward priority 0; policy accept; }'
$HUB nft add rule bridge cbench c22 tcp dport 22 tcp flags '&' '(syn|ack)' == syn counter
syns() { $HUB nft list chain bridge cbench c22 | awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") print $(i + 1) }'; }

mkdir -p "$OUT"
RAW=$WORK/raw.jsonl
: >"$RAW"
export ANSIBLE_CONFIG=$here/ansible/ansible.cfg ANSIBLE_NOCOLOR=1
seq_no=0

# measure TOOL HOSTS FORKS EXTRA_JSON -- CMD...: runs CMD under bench/lib/measure.py, appends one line
measure() {
  local tool=$1 hosts=$2 forks=$3 extra=$4; shift 5
  local before after hb ha m=$WORK/m.json rc=0
  seq_no=$((seq_no + 1))
  before=$(syns); hb=$("$PY" "$here/lib/hostcpu.py" "$repo/lab/run/$CUTOVER_LAB")
  "$PY" "$here/lib/measure.py" "$m" -- "$@" >"$WORK/out-$seq_no.log" 2>&1 || rc=$?
  after=$(syns); ha=$("$PY" "$here/lib/hostcpu.py" "$repo/lab/run/$CUTOVER_LAB")
  "$PY" - "$m" "$tool" "$hosts" "$forks" "$((after - before))" "$extra" "$(cat /proc/loadavg)" "$hb" "$ha" >>"$RAW" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m.update({"tool": sys.argv[2], "hosts": int(sys.argv[3]), "forks": int(sys.argv[4]),
          "ssh_connections": int(sys.argv[5]), "loadavg": sys.argv[7].split()[0],
          "host_cpu_s": round(float(sys.argv[9]) - float(sys.argv[8]), 2)})
m.update(json.loads(sys.argv[6]))
print(json.dumps(m))
EOF
  [ $rc = 0 ] || log "$tool on $hosts hosts exited $rc (see the raw log: $(tail -3 "$WORK/out-$seq_no.log" | tr '\n' ' '))"
  return 0
}

last_run() { ls -t "$RUNSDIR" | head -1; }

run_cutover() {  # run_cutover HOSTS FORKS PHASE [LIMIT]
  local n=$1 forks=$2 phase=$3 limit=${4:-"light[0:$(($1 - 1))]"} id
  measure cutover "$n" "$forks" "{\"phase\":\"$phase\"}" -- \
    "$CUTOVER" apply -i "$INV" "$repo/playbooks/local-caching-bind.yml" --limit "$limit" --yes \
      --serial 100% --forks "$forks" --runs-dir "$RUNSDIR" -o json
  id=$(last_run)
  # the journal as the apply left it (rollback appends to it)
  cp "$RUNSDIR/$id/journal.jsonl" "$WORK/journal-$id.jsonl"
  "$PY" - "$RAW" "$WORK/journal-$id.jsonl" "$id" <<'EOF'
import json, sys
raw, journal, rid = sys.argv[1:]
lines = open(raw).read().splitlines()
rec = json.loads(lines[-1])
rec["run_id"] = rid
rec["journal"] = journal
lines[-1] = json.dumps(rec)
open(raw, "w").write("\n".join(lines) + "\n")
EOF
  "$CUTOVER" rollback --runs-dir "$RUNSDIR" -f 50 "$id" >"$WORK/rollback-$id.log" 2>&1 ||
    { log "rollback of $id failed: $(tail -1 "$WORK/rollback-$id.log")"; cp "$WORK/rollback-$id.log" "$OUT/failed-rollback-$id.log"; }
}

run_ansible() {  # run_ansible HOSTS FORKS
  local n=$1 forks=$2 rid
  rid=ans-$(date +%Y%m%d-%H%M%S)-$seq_no
  rm -rf "$WORK/cp" && mkdir -p "$WORK/cp"
  ANSIBLE_SSH_CONTROL_PATH_DIR=$WORK/cp ANSIBLE_FORKS=$forks \
    measure ansible "$n" "$forks" "{\"phase\":\"compare\",\"run_id\":\"$rid\",\"strategy\":\"free\"}" -- \
    ansible-playbook -i "$INV" "$here/ansible/apply.yml" --limit "light[0:$((n - 1))]" -e "run_id=$rid" \
      -e "helper_src=$HELPER_FILE"
  "$PY" - "$RAW" "$WORK/out-$seq_no.log" <<'EOF'
import json, re, sys
raw, log = sys.argv[1:]
text = open(log, errors="replace").read()
recap = text[text.rfind("PLAY RECAP"):]
lines = open(raw).read().splitlines()
rec = json.loads(lines[-1])
rec["hosts_failed"] = len(re.findall(r"(?:failed|unreachable)=[1-9]", recap))
# which helper call failed (the guard firing before guard-disarm is the usual one under load)
rec["failures"] = sorted(set(re.findall(r'FAILED! => .*?cutover-helper", "([a-z-]+)"', text)))
lines[-1] = json.dumps(rec)
open(raw, "w").write("\n".join(lines) + "\n")
EOF
  # (under measure.py too, only so that the reset's ControlPersist masters are ended by PID)
  ANSIBLE_SSH_CONTROL_PATH_DIR=$WORK/cp ANSIBLE_FORKS=$forks "$PY" "$here/lib/measure.py" "$WORK/reset.json" -- \
    ansible-playbook -i "$INV" "$here/ansible/reset.yml" --limit "light[0:$((n - 1))]" -e "run_id=$rid" \
    >"$WORK/reset-$rid.log" 2>&1 || log "ansible reset $rid failed: $(tail -5 "$WORK/reset-$rid.log" | tr '\n' ' ')"
}

# run_floor HOSTS FORKS: the same helper calls by plain parallel SSH, no controller logic
# (bench/lib/floor.py: one sh script per host, one OpenSSH ControlMaster per host, `xargs -P FORKS`).
# The plan that lists the calls is made beforehand and not timed; the revert afterwards neither.
run_floor() {
  local n=$1 forks=$2 rid dir
  rid=flr-$(date +%Y%m%d-%H%M%S)-$seq_no
  dir=$WORK/floor-$rid
  "$CUTOVER" plan -i "$INV" "$repo/playbooks/local-caching-bind.yml" --limit "light[0:$((n - 1))]" -o json >"$WORK/plan-$rid.json"
  "$PY" "$here/lib/floor.py" "$WORK/plan-$rid.json" "$rid" "$dir" "$INV" "$HELPER_FILE" >/dev/null
  measure floor "$n" "$forks" "{\"phase\":\"compare\",\"run_id\":\"$rid\"}" -- \
    sh -c 'xargs -P "$1" -n 1 sh -c '"'"'sh "$0" || { echo "$0: exit $?"; exit 1; }'"'"' <"$2"' floor "$forks" "$dir/hosts"
  "$PY" - "$RAW" "$WORK/out-$seq_no.log" <<'EOF'
import json, re, sys
raw, log = sys.argv[1:]
lines = open(raw).read().splitlines()
rec = json.loads(lines[-1])
rec["hosts_failed"] = len(re.findall(r"\.sh: exit [0-9]+$", open(log, errors="replace").read(), re.M))
lines[-1] = json.dumps(rec)
open(raw, "w").write("\n".join(lines) + "\n")
EOF
  # the reset, like Ansible's: the helper's verified revert of the run, and its lock released
  # (under measure.py only so that the ControlPersist masters are ended by PID)
  sed -n 's/^Host \(light[0-9]*\)$/\1/p' "$dir/ssh_config" | "$PY" "$here/lib/measure.py" "$WORK/reset.json" -- \
    xargs -P "$forks" -I {} ssh -F "$dir/ssh_config" {} \
      "sh /var/lib/cutover/bin/cutover-helper revert $rid >/dev/null; sh /var/lib/cutover/bin/cutover-helper unlock --owner 'ctl=bench-floor run=$rid' >/dev/null 2>&1; true" \
    >"$WORK/reset-$rid.log" 2>&1 || log "floor reset $rid failed: $(tail -5 "$WORK/reset-$rid.log" | tr '\n' ' ')"
}

FORKS=50
log "load before: $(cat /proc/loadavg)"
# Warm-up (not recorded): page cache, the JVM's class data, ssh/ansible's python bytecode.
run_cutover 1 "$FORKS" warmup; phase compare && { run_floor 1 "$FORKS"; run_ansible 1 "$FORKS"; }
: >"$RAW"
if [ "$APPEND" = true ] && [ -s "$OUT/raw.jsonl" ]; then cp "$OUT/raw.jsonl" "$RAW"; fi

# ---- 1. same work, two controllers, alternated ------------------------------------------------
for n in ${HOSTS//,/ }; do
  for r in $(seq "$RUNS"); do
    log "compare: $n hosts, run $r/$RUNS"
    if [ $((r % 2)) = 1 ]; then run_cutover "$n" "$FORKS" compare; run_floor "$n" "$FORKS"; run_ansible "$n" "$FORKS"
    else run_ansible "$n" "$FORKS"; run_floor "$n" "$FORKS"; run_cutover "$n" "$FORKS" compare; fi
  done
done

# ---- 2. scale: cutover alone ------------------------------------------------------------------
for n in ${SCALE//,/ }; do
  for r in $(seq "$RUNS"); do
    log "scale: $n hosts, forks $FORKS, run $r/$RUNS"
    run_cutover "$n" "$FORKS" scale
    if [ "$n" -gt "$FORKS" ]; then
      log "scale: $n hosts, forks $n, run $r/$RUNS"
      run_cutover "$n" "$n" scale
    fi
  done
done

# ---- 4b. the whole playbook on the app host (pgbouncer trigger, gdb-cares refresh) ---------------
phase app && for r in $(seq "$RUNS"); do
  log "app host: run $r/$RUNS"
  run_cutover 1 1 app app1
done

# ---- 3. the freeze ------------------------------------------------------------------------------
if phase freeze; then
H=/var/lib/cutover/bin/cutover-helper
var() { awk -v k="$1:" '$1 == k { sub(/^[^:]*: */, ""); print; exit }' "$INV"; }
old=$(var cutover_old_nameservers | tr -d '[] ')
"$LAB" ssh app1 "mkdir -p /var/lib/cutover/bin && cat >$H && chmod 700 $H" <"$HELPER_FILE"
common=(--pidfile "$(var pgbouncer_pidfile)" --runs "$FREEZE" --db "$(var pgbouncer_app_db)"
        --user "$(var pgbouncer_probe_user)" --password "$(var pgbouncer_probe_password)")
stall=$repo/remote-helper/test/lab/stall.py
SEED="gdb -p {pid} -batch -ex 'shell sleep 3' -ex 'call res_init()' -ex detach -ex quit"
# What the seed's recipe prints here, once, kept with the results.
"$LAB" exec app1 sh -c "p=\$(head -1 $(var pgbouncer_pidfile)); gdb -p \$p -batch -ex 'shell sleep 3' -ex 'call res_init()' -ex detach -ex quit; echo \"exit \$?\"" \
  >"$WORK/seed-gdb-output.txt" 2>&1 || true
freeze() {  # freeze LABEL STALL.PY-ARGS...
  local label=$1; shift
  log "freeze: $label, $FREEZE runs"
  "$LAB" exec app1 "$PY" "$stall" "${common[@]}" "$@" >"$WORK/freeze.json" 2>"$WORK/freeze.err" ||
    { log "stall.py $label failed: $(tail -3 "$WORK/freeze.err")"; return 0; }
  "$PY" - "$WORK/freeze.json" "$label" "$(cat /proc/loadavg)" >>"$RAW" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"tool": "freeze", "method": sys.argv[2], "hosts": 1, "forks": 1,
                  "stall_ms": [r["stall_ms"] for r in d["per_run"]], "helper_ms": [r["helper_ms"] for r in d["per_run"]],
                  "failed_runs": d["failed_runs"], "dropped": d["dropped"], "sessions": d["sessions"],
                  "baseline_query_ms_median": d["baseline_query_ms_median"],
                  "errors": sorted({str(r["error"]) for r in d["per_run"] if r["error"]})[:3],
                  "loadavg": sys.argv[3].split()[0]}))
EOF
}
freeze seed-gdb-sleep3-call-res_init --helper none --method seed --command "$SEED"
if [ "$QUICK" = false ]; then
  # glibc 2.36 exports __res_init, not res_init: the seed's recipe with the symbol that exists here
  freeze seed-gdb-sleep3-call-__res_init --helper none --method seed2 \
    --command "${SEED/call res_init()/call (int)__res_init()}"
fi
# A fresh --run per refresh: the helper skips a gdb refresh it already did in the same run
# ("already refreshed ... not attached again"), so stall.py's fixed --run stall-METHOD would
# measure that skip from the second refresh on. $(date +%s%N) is expanded per run by stall.py's shell.
for m in gdb-cares pgbouncer-online-restart; do
  freeze "$m" --helper none --method "$m" \
    --command "sh $H refresh --run stall-$m-\$(date +%s%N) {pid} $m --servers $old"
done
cp "$WORK/seed-gdb-output.txt" "$OUT/seed-gdb-output.txt"
fi

# ---- results -------------------------------------------------------------------------------------
log "load after: $(cat /proc/loadavg)"
"$PY" "$here/lib/report.py" "$RAW" "$OUT" \
  "{\"quick\": $QUICK, \"runs\": $RUNS, \"hosts\": \"$HOSTS\", \"scale\": \"$SCALE\", \"freeze_runs\": $FREEZE, \"forks\": $FORKS, \"lab\": \"$CUTOVER_LAB\", \"commit\": \"$(git -C "$repo" rev-parse --short HEAD)\", \"jar\": \"$CUTOVER_JAR\", \"cpus\": $(nproc), \"kernel\": \"$(uname -r)\", \"ansible\": \"$(ansible-playbook --version 2>/dev/null | head -1 | tr -d '[]')\"}"
log "results in $OUT (summary: $OUT/README.md)"
