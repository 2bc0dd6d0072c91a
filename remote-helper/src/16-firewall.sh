# ------------------------------------------------------------ firewall -----

FW_TABLE=cutover_ban  # nftables: table inet cutover_ban
FW_CHAIN=CUTOVER-BAN  # iptables: chain CUTOVER-BAN in filter, jumped to from OUTPUT

fw_backend() { # fw_backend REQUESTED
  case $1 in
    nft) need nft; echo nft ;;
    iptables) need iptables; echo iptables ;;
    auto) if command -v nft >/dev/null 2>&1; then echo nft; elif command -v iptables >/dev/null 2>&1; then echo iptables; else die 3 "needs nft or iptables"; fi ;;
  esac
}
nft_has_table() { nft list table inet "$FW_TABLE" >/dev/null 2>&1; }
ipt_has_chain() { "$1" -w -S "$FW_CHAIN" >/dev/null 2>&1; }
# fw_banned BACKEND: the addresses currently banned, sorted, space separated
fw_banned() {
  case $1 in
    nft) nft list table inet "$FW_TABLE" 2>/dev/null | grep daddr |
         grep -oE '[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+|[0-9a-fA-F]*:[0-9a-fA-F:]+' | sort -u | tr '\n' ' ' ;;
    iptables) { iptables -w -S "$FW_CHAIN" 2>/dev/null; ip6tables -w -S "$FW_CHAIN" 2>/dev/null; } | grep -oE -- '-d [0-9a-fA-F:.]+' | awk '{ sub(/\/(32|128)$/, "", $2); print $2 }' | sort -u | tr '\n' ' ' ;;
  esac
}

# Usage: cutover-helper fw-ban --run RUN [--backend auto|nft|iptables] [--step STEP] ADDR...
# Reject (ICMP port unreachable for UDP, TCP reset) traffic from this host to
# ADDR... port 53, in the helper's own nftables table (inet cutover_ban) or
# iptables chain (CUTOVER-BAN, jumped to from OUTPUT). Loopback addresses are
# refused. Re-banning the same set is changed:false; a different set replaces it.
cmd_fw_ban() {
  local req=auto be addrs='' v4='' v6='' a had=false rules s created4 created6
  RUN='' STEP=fw-ban
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --backend) need_arg "$@"; case $2 in auto|nft|iptables) req=$2 ;; *) usage "bad backend: $2" ;; esac; shift 2 ;;
      -*) usage "fw-ban: unknown option: $1" ;;
      *) is_ip "$1" || usage "not an IP address: $1"
         case $1 in 127.*|::1|0.*|::) usage "refusing to ban a loopback/unspecified address: $1" ;; esac
         addrs="$addrs $1"; shift ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$addrs" ] || usage "fw-ban --run RUN [--backend auto|nft|iptables] ADDR..."
  be=$(fw_backend "$req") || exit $?
  # shellcheck disable=SC2086 # one address per word
  addrs=$(printf '%s\n' $addrs | sort -u | tr '\n' ' ')
  for a in $addrs; do if is_ipv4 "$a"; then v4="${v4:+$v4, }$a"; else v6="${v6:+$v6, }$a"; fi; done
  d_str backend "$be"
  # shellcheck disable=SC2086
  d_raw addresses "$(json_arr $addrs)"
  created4=0 created6=0
  case $be in
    nft) nft_has_table && had=true ;;
    iptables) ipt_has_chain iptables && had=true
      # iptables-nft creates "table ip filter" on first use and leaves it behind;
      # remember whether it existed so unban can leave the ruleset as it was
      if iptables -V 2>/dev/null | grep -q nf_tables && command -v nft >/dev/null 2>&1; then
        nft list table ip filter >/dev/null 2>&1 || created4=1
        nft list table ip6 filter >/dev/null 2>&1 || created6=1
      fi ;;
  esac
  if [ "$had" = true ] && [ "$(fw_banned "$be")" = "$addrs" ]; then log "already banned: $addrs"; d_bool verified true; ok; fi
  ensure_run_dir "$RUN"
  [ "$had" = true ] || undo_add "$RUN" "$STEP" fw-unban "$be" "$created4" "$created6"
  CHANGED=true
  case $be in
    nft)
      rules=
      [ -n "$v4" ] && rules="$rules
    ip daddr { $v4 } udp dport 53 reject
    ip daddr { $v4 } tcp dport 53 reject with tcp reset"
      [ -n "$v6" ] && rules="$rules
    ip6 daddr { $v6 } udp dport 53 reject
    ip6 daddr { $v6 } tcp dport 53 reject with tcp reset"
      # one transaction: (re)create the table with exactly these rules
      printf 'table inet %s\ndelete table inet %s\ntable inet %s {\n  chain output {\n    type filter hook output priority 0; policy accept;%s\n  }\n}\n' \
        "$FW_TABLE" "$FW_TABLE" "$FW_TABLE" "$rules" | nft -f - >&2 || die 1 "nft refused the ban table"
      ;;
    iptables)
      for s in iptables ip6tables; do
        if [ "$s" = ip6tables ] && [ -z "$v6" ] && ! ipt_has_chain ip6tables; then continue; fi
        command -v "$s" >/dev/null 2>&1 || die 3 "needs $s"
        if ipt_has_chain "$s"; then "$s" -w -F "$FW_CHAIN"; else "$s" -w -N "$FW_CHAIN" || die 1 "$s -N failed"; fi
        "$s" -w -C OUTPUT -j "$FW_CHAIN" 2>/dev/null || "$s" -w -I OUTPUT 1 -j "$FW_CHAIN" || die 1 "$s cannot add the jump"
      done
      for a in $addrs; do
        if is_ipv4 "$a"; then
          iptables -w -A "$FW_CHAIN" -d "$a" -p udp --dport 53 -j REJECT --reject-with icmp-port-unreachable &&
          iptables -w -A "$FW_CHAIN" -d "$a" -p tcp --dport 53 -j REJECT --reject-with tcp-reset || die 1 "iptables refused a rule for $a"
        else
          ip6tables -w -A "$FW_CHAIN" -d "$a" -p udp --dport 53 -j REJECT --reject-with icmp6-port-unreachable &&
          ip6tables -w -A "$FW_CHAIN" -d "$a" -p tcp --dport 53 -j REJECT --reject-with tcp-reset || die 1 "ip6tables refused a rule for $a"
        fi
      done ;;
  esac
  [ "$(fw_banned "$be")" = "$addrs" ] || die 4 "the ban does not list exactly: $addrs (found: $(fw_banned "$be"))"
  d_bool verified true
  ok
}

# ipt_table_empty TOOL: the filter table has no rules and only ACCEPT policies
ipt_table_empty() { ! "$1" -w -S 2>/dev/null | grep -qv '^-P [A-Z]* ACCEPT$'; }

# fw_unban BACKEND [CREATED4 CREATED6]: remove exactly what fw-ban added
# (CREATEDx=1: iptables-nft's filter table did not exist before the ban and is
# removed again if empty); 0 if something was removed
fw_unban() {
  local s removed=1 c4="${2:-0}" c6="${3:-0}"
  case $1 in
    nft) if nft_has_table; then nft delete table inet "$FW_TABLE" >&2 || die 1 "nft cannot delete table $FW_TABLE"; removed=0; fi
         ! nft_has_table || die 4 "table inet $FW_TABLE still exists" ;;
    iptables)
      for s in iptables ip6tables; do
        command -v "$s" >/dev/null 2>&1 || continue
        while "$s" -w -C OUTPUT -j "$FW_CHAIN" 2>/dev/null; do "$s" -w -D OUTPUT -j "$FW_CHAIN" || die 1 "$s -D failed"; removed=0; done
        if ipt_has_chain "$s"; then "$s" -w -F "$FW_CHAIN" && "$s" -w -X "$FW_CHAIN" || die 1 "$s cannot delete $FW_CHAIN"; removed=0; fi
        ! ipt_has_chain "$s" || die 4 "$s chain $FW_CHAIN still exists"
      done
      if [ "$c4" = 1 ] && nft list table ip filter >/dev/null 2>&1 && ipt_table_empty iptables; then nft delete table ip filter >&2; fi
      if [ "$c6" = 1 ] && nft list table ip6 filter >/dev/null 2>&1 && ipt_table_empty ip6tables; then nft delete table ip6 filter >&2; fi ;;
  esac
  return $removed
}

# Usage: cutover-helper fw-unban [--run RUN] [--backend auto|nft|iptables]
# Remove the helper's ban table/chain (and nothing else); verified absent.
cmd_fw_unban() {
  local req=auto be
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --backend) need_arg "$@"; case $2 in auto|nft|iptables) req=$2 ;; *) usage "bad backend: $2" ;; esac; shift 2 ;;
      *) usage "fw-unban: unknown argument: $1" ;;
    esac
  done
  be=$(fw_backend "$req") || exit $?
  d_str backend "$be"
  c4=0 c6=0
  if [ -n "$RUN" ] && [ -f "$(undo_log "$RUN")" ]; then
    # shellcheck disable=SC2046 # two flags
    set -- $(awk -F '\t' -v be="$be" '$3 == "fw-unban" && $4 == be { c4 = $5; c6 = $6 } END { print c4 + 0, c6 + 0 }' "$(undo_log "$RUN")")
    c4=$1 c6=$2
  fi
  fw_unban "$be" "$c4" "$c6" && CHANGED=true
  d_bool verified true
  ok
}

