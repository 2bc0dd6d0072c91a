# ------------------------------------------------- resolv.conf owners -----
# cutover points every process at the local BIND through the owner of resolv.conf, so that the
# owner's next rewrite keeps it (docs/production.md says why each owner is done this way):
#   none             resolv.conf is written;
#   dhclient         an enter hook (installed by the controller as a file) makes dhclient-script
#                    write 127.0.0.1 on every lease; resolv.conf is written now;
#   resolvconf       Debian's named-resolvconf.service (shipped with bind9) adds lo.named
#                    "nameserver 127.0.0.1", which resolvconf puts first and truncates after; a
#                    drop-in orders it before network-online.target (resolv.conf is rebuilt at boot);
#   NetworkManager   a conf.d file sets dns=none, NetworkManager is reloaded, resolv.conf written
#                    (a symlink into /run replaced by a file);
#   systemd-resolved a resolved.conf.d drop-in makes 127.0.0.1 its global server (nss-resolve and
#                    stub users reach BIND too), resolved is reloaded, and resolv.conf, a symlink to
#                    the stub file, is replaced by a file naming 127.0.0.1.
# Each change has an undo record; the owner is reloaded again at the end of a revert.

NAMED_RESOLVCONF_UNIT=named-resolvconf.service

# resolved_upstreams: the servers systemd-resolved asks (its non-stub resolv.conf), not loopback
resolved_upstreams() {
  local a
  for a in $(resolv_words "$(hp /run/systemd/resolve/resolv.conf)" nameserver); do
    case $a in 127.*|::1) ;; *) echo "$a" ;; esac
  done
}
# resolved_global_dns: systemd-resolved's global servers (resolvectl's "Global:" line)
resolved_global_dns() {
  resolvectl dns 2>/dev/null | sed -n 's/^Global:[[:space:]]*//p' | head -n 1
}
# nm_dns_mode: NetworkManager's effective [main] dns= (its merged configuration)
nm_dns_mode() {
  NetworkManager --print-config 2>/dev/null | awk '/^\[/ { s = $0; next } s == "[main]" && /^dns=/ { v = substr($0, 5) } END { print v }'
}
# resolvconf_truncates: resolvconf cuts the list after the first loopback server (Debian's default)
resolvconf_truncates() {
  local v
  v=$(kv_file "$(hp /etc/default/resolvconf)" TRUNCATE_NAMESERVER_LIST_AFTER_LOOPBACK_ADDRESS)
  case $v in ''|[Yy]*) return 0 ;; esac
  return 1
}
# owner_state OWNER: what facts report about the owner's own configuration (JSON object)
# shellcheck disable=SC2046 # word lists
owner_state() {
  case $1 in
    systemd-resolved) printf '{"global_dns":%s}' "$(IFS=' '; json_arr $(resolved_global_dns))" ;;
    NetworkManager) printf '{"dns":%s}' "$(json_str "$(nm_dns_mode)")" ;;
    resolvconf)
      printf '{"unit":%s,"truncates_after_loopback":%s}' \
        "$( [ "$(init_system "$(pid1_comm)")" = systemd ] && [ "$(prop "$(unit_show $NAMED_RESOLVCONF_UNIT)" LoadState)" = loaded ] &&
          service_json $NAMED_RESOLVCONF_UNIT || echo null)" \
        "$(resolvconf_truncates && echo true || echo false)" ;;
    *) printf '{}' ;;
  esac
}
# owner_file_path OWNER: the file of the owner's configuration cutover installs (none for a plain
# file)
owner_file_path() {
  case $1 in
    dhclient) echo /etc/dhcp/dhclient-enter-hooks.d/cutover-local-bind ;;
    NetworkManager) echo /etc/NetworkManager/conf.d/99-cutover-local-bind.conf ;;
    systemd-resolved) echo /etc/systemd/resolved.conf.d/cutover-local-bind.conf ;;
    resolvconf) echo "/etc/systemd/system/$NAMED_RESOLVCONF_UNIT.d/cutover-before-network-online.conf" ;;
  esac
}
# owner_file_content OWNER: that file's content (the same on every host: a rerun finds it in place)
owner_file_content() {
  case $1 in
    dhclient) cat <<'HOOK' ;;
# Written by cutover: dhclient-script writes resolv.conf with the local caching BIND (127.0.0.1)
# as the only server on every lease, renewals included; the search domains still come from DHCP.
# Removed by `cutover rollback`.
case ${reason:-} in
  BOUND|RENEW|REBIND|REBOOT) new_domain_name_servers=127.0.0.1 ;;
esac
HOOK
    NetworkManager) cat <<'CONF' ;;
# Written by cutover: NetworkManager leaves /etc/resolv.conf alone, which names the local caching
# BIND (127.0.0.1). Sorted last in conf.d, so it wins over earlier dns= settings. Removed by
# `cutover rollback`.
[main]
dns=none
CONF
    resolvconf) cat <<'CONF' ;;
# Written by cutover: resolvconf rebuilds resolv.conf at every boot, and Debian orders the unit that
# adds 127.0.0.1 only after named; a daemon started at network-online (and reading resolv.conf once)
# would get the old servers. Removed by `cutover rollback`.
[Unit]
Before=network-online.target nss-lookup.target
Wants=nss-lookup.target
CONF
    systemd-resolved) cat <<'CONF' ;;
# Written by cutover: systemd-resolved asks the local caching BIND (127.0.0.1) for every name, so
# programs using nss-resolve, D-Bus or the stub (127.0.0.53) reach it too; /etc/resolv.conf names
# 127.0.0.1 directly. Removed by `cutover rollback`.
[Resolve]
DNS=127.0.0.1
Domains=~.
CONF
  esac
}
# owner_file_json OWNER: {"path","content","current"} for facts and the plan's diff, or null
owner_file_json() {
  local path c cur f
  path=$(owner_file_path "$1")
  [ -n "$path" ] || { printf 'null'; return; }
  c=$(owner_file_content "$1"; echo x); c=$(json_str "$c")
  f=$(hp "$path")
  if [ -f "$f" ]; then cur=$(cat "$f"; echo x); cur=$(json_str "$cur"); cur="${cur%x\"}\""; else cur=null; fi
  printf '{"path":%s,"content":%s,"current":%s}' "$(json_str "$path")" "${c%x\"}\"" "$cur"
}
# owner_reload OWNER: make the owner read its configuration again (and rewrite resolv.conf from it)
owner_reload() {
  case $1 in
    NetworkManager) systemctl reload NetworkManager.service >&2 ;;
    systemd-resolved) systemctl reload-or-restart systemd-resolved.service >&2 ;;
    resolvconf) systemctl daemon-reload >&2 ;;
    *) return 0 ;;
  esac
}

# is_mountpoint_file PATH: PATH is a mount point (e.g. a bind-mounted resolv.conf)
is_mountpoint_file() {
  [ -z "$ROOT" ] || return 1
  awk -v p="$1" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo 2>/dev/null
}

