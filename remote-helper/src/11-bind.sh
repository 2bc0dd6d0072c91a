# ---------------------------------------------------------------- bind -----

named_conf_default() {
  if [ -f "$(hp /etc/bind/named.conf)" ]; then echo /etc/bind/named.conf; else echo /etc/named.conf; fi
}
# dns_probe SERVER NAME: rcode of a query (NOERROR/NXDOMAIN/SERVFAIL/...), or "timeout"
dns_probe() {
  local out
  out=$(dig +time=1 +tries=2 -p 53 "@$1" "$2" A 2>&1)
  case $out in
    *"status: "*) out=${out#*status: }; printf '%s' "${out%%,*}" ;;
    *) printf 'timeout' ;;
  esac
}

# Usage: cutover-helper bind-check [--conf PATH]
# named-checkconf on the BIND configuration (default: Debian or RHEL layout).
cmd_bind_check() {
  local conf out
  conf=$(named_conf_default)
  while [ $# -gt 0 ]; do
    case $1 in
      --conf) need_arg "$@"; allowed_target "$2" || usage "bad conf path: $2"; conf=$2; shift 2 ;;
      *) usage "bind-check: unknown argument: $1" ;;
    esac
  done
  need named-checkconf
  d_str conf "$conf"
  if [ -n "$ROOT" ]; then out=$(named-checkconf -t "$ROOT" "$conf" 2>&1); else out=$(named-checkconf "$conf" 2>&1); fi
  rc=$?
  d_str output "$out"
  [ $rc -eq 0 ] || die 4 "named-checkconf failed for $conf"
  ok
}

# Usage: cutover-helper bind-start --run RUN [--init systemd|none] [--unit UNIT] [--conf PATH] [--verify-name NAME] [--step STEP]
# Start named unless it runs; verified by a query to 127.0.0.1 (any answer, even NXDOMAIN; not a
# timeout). Under systemd (--init: what facts said; checked against the host) its unit (--unit, or
# found: named.service or bind9.service) is enabled and started, with a drop-in making systemd
# restart it where the unit does not; undo restores the unit's enabled/active state exactly.
# Without a service manager (--init none) named is started by hand; undo stops it. Another init
# system: exit 3.
cmd_bind_start() {
  local conf='' name=. pid user rc init want='' unit='' pid1
  RUN='' STEP=bind-start
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --init) need_arg "$@"; case $2 in systemd|none) want=$2 ;; *) usage "bad --init (systemd or none): $2" ;; esac; shift 2 ;;
      --unit) need_arg "$@"; case $2 in *.service) is_name "$2" || usage "bad unit: $2" ;; *) usage "bad unit (NAME.service): $2" ;; esac; unit=$2; shift 2 ;;
      --conf) need_arg "$@"; allowed_target "$2" || usage "bad conf path: $2"; conf=$2; shift 2 ;;
      --verify-name) need_arg "$@"; is_dnsname "$2" || [ "$2" = . ] || usage "bad name: $2"; name=$2; shift 2 ;;
      *) usage "bind-start: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "bind-start --run RUN [--init systemd|none] [--unit UNIT] [--conf PATH]"
  pid1=$(pid1_comm); init=$(init_system "$pid1")
  d_str init "$init"
  case $init in
    unknown) die 3 "PID 1 is '$pid1': not systemd, and not a shell or container init; cutover drives only systemd (or none), and a named started by hand would not come back at boot" ;;
  esac
  [ -z "$want" ] || [ "$want" = "$init" ] || die 3 "the plan was made for init '$want', but this host runs '$init' (PID 1: $pid1): plan again"
  need named; need dig
  if [ "$init" = systemd ]; then
    [ -z "$conf" ] || usage "--conf is for named started by hand; under systemd the unit names the configuration"
    bind_start_systemd "$RUN" "$STEP" "$unit"
    pid=$NAMED_PID
  else
    scan_procs
    pid=$(pids_of named | head -n 1)
    if [ -z "$pid" ]; then
      [ -n "$conf" ] || conf=$(named_conf_default)
      user=bind; id bind >/dev/null 2>&1 || user=named
      ensure_run_dir "$RUN"
      named -u "$user" -c "$(hp "$conf")" >&2 || die 1 "named failed to start (see its log)"
      wait_named 5; pid=$NAMED_PID
      [ -n "$pid" ] || die 4 "named did not stay up"
      CHANGED=true
      undo_add "$RUN" "$STEP" named-stop "$pid" "$(proc_start "$pid")"
    fi
  fi
  d_num pid "$pid"
  rc=$(dns_probe 127.0.0.1 "$name")
  d_str probe_rcode "$rc"
  case $rc in NOERROR|NXDOMAIN) ;; *) die 4 "named at 127.0.0.1 did not answer a query for $name ($rc)" ;; esac
  ok
}

# Usage: cutover-helper bind-reload --run RUN [--verify-name NAME] [--flush] [--step STEP]
# rndc reload, then verify with a query to 127.0.0.1 for NAME (default: ".")
# that must get an answer through the (new) forwarders; --flush empties named's
# cache first so the answer really comes from them. Records an undo that
# reloads again after a revert restored the configuration.
cmd_bind_reload() {
  local name=. flush=false rc out
  RUN='' STEP=bind-reload
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --verify-name) need_arg "$@"; is_dnsname "$2" || [ "$2" = . ] || usage "bad name: $2"; name=$2; shift 2 ;;
      --flush) flush=true; shift ;;
      *) usage "bind-reload: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "bind-reload --run RUN [--verify-name NAME] [--flush]"
  need rndc; need dig
  ensure_run_dir "$RUN"
  undo_add "$RUN" "$STEP" rndc-reload
  CHANGED=true
  out=$(rndc reload 2>&1) || { d_str output "$out"; die 1 "rndc reload failed"; }
  d_str output "$out"
  [ "$flush" = true ] && { rndc flush >&2 || die 1 "rndc flush failed"; }
  rc=$(dns_probe 127.0.0.1 "$name")
  d_str probe_rcode "$rc"
  d_str probe_name "$name"
  case $rc in NOERROR|NXDOMAIN) ;; *) die 4 "named at 127.0.0.1 did not answer $name after reload ($rc)" ;; esac
  ok
}

