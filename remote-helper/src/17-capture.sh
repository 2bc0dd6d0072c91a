# ------------------------------------------------------------- capture -----

cap_file() { printf '%s/capture-%s.%s' "$(run_dir "$1")" "$2" "$3"; }

# has_text TEXT FILE: a line of FILE holds TEXT (literally). The shell's own `read`, not grep:
# capture-start asks it every 10 ms while tcpdump starts, and a program started each time was a
# large part of that call's host CPU. Only for the small files of a starting capture.
has_text() {
  local l
  [ -r "$2" ] || return 1
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in *"$1"*) return 0 ;; esac
  done <"$2"
  return 1
}

# Usage: cutover-helper capture-start --run RUN [--name NAME] [--iface IFACE] [--timeout SECONDS] [--step STEP]
# Start tcpdump (port 53, on IFACE, default "any") detached, and return only
# when it demonstrably captures: a probe query to 127.0.0.1 is sent until it
# shows up in the capture (no fixed sleep). Stops by itself after --timeout
# (default 300 s). One capture per NAME (default "dns") and run.
cmd_capture_start() {
  local name=dns iface=any tmo=300 pidf out err pid t0 token n=0 ready=false
  RUN='' STEP=capture-start
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --name) need_arg "$@"; is_name "$2" || usage "bad capture name: $2"; name=$2; shift 2 ;;
      --iface) need_arg "$@"; is_name "$2" && [ ${#2} -le 15 ] || usage "bad interface: $2"; iface=$2; shift 2 ;;
      --timeout) need_arg "$@"; is_uint "$2" || usage "bad timeout: $2"; tmo=$2; shift 2 ;;
      *) usage "capture-start: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "capture-start --run RUN [--name NAME] [--iface IFACE]"
  need tcpdump; need setsid; need timeout
  ensure_run_dir "$RUN"
  pidf=$(cap_file "$RUN" "$name" pid); out=$(cap_file "$RUN" "$name" txt); err=$(cap_file "$RUN" "$name" err)
  d_str name "$name"; d_str iface "$iface"; d_str file "$out"
  if [ -s "$pidf" ]; then
    read -r pid _ <"$pidf"
    if [ -n "$(proc_start "$pid")" ] && proc_cmdline "$pid" | grep -q tcpdump; then d_num pid "$pid"; log "capture $name already running"; ok; fi
  fi
  t0=$(now_ms)
  undo_add "$RUN" "$STEP" capture-stop "$name"
  CHANGED=true
  : >"$out"; : >"$err"
  setsid sh -c 'echo $$ >"$1"; exec timeout "$2" tcpdump -n -l -i "$3" -s 512 "port 53" >"$4" 2>"$5"' sh "$pidf.tmp" "$tmo" "$iface" "$out" "$err" </dev/null &
  while [ ! -s "$pidf.tmp" ] && [ $n -lt 100 ]; do sleep 0.01; n=$((n + 1)); done
  read -r pid <"$pidf.tmp" || die 1 "tcpdump did not start"
  printf '%s %s\n' "$pid" "$(proc_start "$pid")" >"$pidf"; rm -f "$pidf.tmp"
  token="cutover-ready-$$-$t0.invalid"
  n=0
  while [ $n -lt 300 ]; do
    [ -n "$(proc_start "$pid")" ] || { d_str tcpdump_error "$(cat "$err")"; die 1 "tcpdump exited: $(tail -n 1 "$err")"; }
    if has_text 'listening on' "$err"; then
      if command -v dig >/dev/null 2>&1; then
        has_text "$token" "$out" && { ready=true; break; }
        dig +norecurse +time=1 +tries=1 -p 53 @127.0.0.1 "$token" >/dev/null 2>&1 &
        sleep 0.05
        has_text "$token" "$out" && { ready=true; break; }
      else
        # no dig to probe with: "listening on" plus a margin is all we can know
        sleep 0.5; ready=true; break
      fi
    else
      sleep 0.01
    fi
    n=$((n + 1))
  done
  d_num pid "$pid"
  d_num ready_ms $(( $(now_ms) - t0 ))
  [ "$ready" = true ] || die 4 "tcpdump did not capture the readiness probe"
  ok
}

# capture_stop RUN NAME: stop that capture (only the tcpdump we started)
capture_stop() {
  local pidf pid st
  pidf=$(cap_file "$1" "$2" pid)
  [ -s "$pidf" ] || return 1
  read -r pid st <"$pidf"
  if [ -n "$pid" ] && [ "$(proc_start "$pid")" = "$st" ]; then
    kill "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ "$(proc_start "$pid")" = "$st" ] || break; sleep 0.05; done
  fi
  rm -f "$pidf"
  return 0
}

# Usage: cutover-helper capture-verify --run RUN --qname NAME [--name NAME] [--expect ADDR] [--forbid ADDR]... [--stop]
# Report every DNS packet in the capture for query name QNAME; ok when at
# least one query went to ADDR port 53 (default 127.0.0.1) and none to a
# --forbid address. Exit 4 otherwise. --stop ends the capture afterwards.
cmd_capture_verify() {
  local name=dns qname='' expect=127.0.0.1 forbid='' stop=false out pkts to_expect to_forbid n
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --name) need_arg "$@"; is_name "$2" || usage "bad capture name: $2"; name=$2; shift 2 ;;
      --qname) need_arg "$@"; is_dnsname "$2" || usage "bad query name: $2"; qname=${2%.}; shift 2 ;;
      --expect) need_arg "$@"; is_ip "$2" || usage "bad address: $2"; expect=$2; shift 2 ;;
      --forbid) need_arg "$@"; is_ip "$2" || usage "bad address: $2"; forbid="$forbid $2"; shift 2 ;;
      --stop) stop=true; shift ;;
      *) usage "capture-verify: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$qname" ] || usage "capture-verify --run RUN --qname NAME [--expect ADDR] [--forbid ADDR]..."
  out=$(cap_file "$RUN" "$name" txt)
  [ -f "$out" ] || die 3 "no capture named $name in run $RUN (capture-start first)"
  # tcpdump -l writes each packet as it sees it, but a loaded host can take a while to get the
  # line out: wait (at most 2 s) for the expected query instead of a fixed pause. Names match in
  # any case (DNS names are case-insensitive; libevent's evdns sends them in random case, the 0x20 hack).
  n=0
  while [ $n -lt 40 ] && ! grep -F -i " $qname." "$out" 2>/dev/null | grep -qF "> $expect.53:"; do
    sleep 0.05; n=$((n + 1))
  done
  pkts=$(LC_ALL=C awk -v q="$qname." -v forbid="$forbid" -v expect="$expect" '
    function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    BEGIN { q = tolower(q) }
    index(tolower($0), " " q " ") || index(tolower($0), "? " q) {
      for (i = 1; i <= NF; i++) if ($i == ">") break
      if (i > NF) next
      src = $(i - 1); dst = $(i + 1); sub(/:$/, "", dst)
      qtype = ""; for (j = i + 2; j <= NF; j++) if ($j ~ /\?$/) { qtype = $j; sub(/\?$/, "", qtype); break }
      dir = (qtype != "") ? "query" : "answer"
      d = dst; sub(/\.[0-9]+$/, "", d); dport = dst; sub(/.*\./, "", dport)
      if (dir == "query" && dport == "53" && d == expect) ne++
      n2 = split(forbid, fb, " "); for (k = 1; k <= n2; k++) if (dir == "query" && d == fb[k]) nf++
      printf "%s{\"time\":%s,\"src\":%s,\"dst\":%s,\"kind\":%s,\"qtype\":%s}", (n++ ? "," : ""), js($1), js(src), js(dst), js(dir), js(qtype)
    }
    END { printf "\n%d %d %d\n", n, ne, nf }' "$out")
  # shellcheck disable=SC2046 # three numbers
  set -- $(printf '%s\n' "$pkts" | tail -n 1)
  d_str qname "$qname"
  d_raw packets "[$(printf '%s\n' "$pkts" | head -n 1)]"
  d_num packets_total "$1"; d_num queries_to_expected "$2"; d_num queries_to_forbidden "$3"
  to_expect=$2 to_forbid=$3
  if [ "$stop" = true ] && capture_stop "$RUN" "$name"; then CHANGED=true; fi
  [ "$to_forbid" -eq 0 ] || die 4 "$to_forbid queries for $qname went to forbidden servers"
  [ "$to_expect" -gt 0 ] || die 4 "no query for $qname to $expect port 53 was captured"
  ok
}

