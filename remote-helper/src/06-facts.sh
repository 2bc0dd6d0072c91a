# --------------------------------------------------------------- facts -----

# kv_file FILE KEY: value of KEY=VALUE (quotes stripped) in an os-release-like file
kv_file() {
  local k v
  [ -r "$1" ] || return 0
  while IFS='=' read -r k v; do
    if [ "$k" = "$2" ]; then v=${v#\"}; v=${v%\"}; printf '%s' "$v"; return 0; fi
  done <"$1"
}

# resolv_words FILE KEYWORD: the words after KEYWORD lines, space separated
resolv_words() {
  local k rest out=''
  [ -r "$1" ] || return 0
  while read -r k rest; do
    [ "$k" = "$2" ] && out="${out:+$out }$rest"
  done <"$1"
  printf '%s' "$out"
}

# search_domains FILE: the search (or domain) list; "." (systemd-resolved's "no search domain") is none
search_domains() {
  local d
  for d in $(resolv_words "$1" search) $(resolv_words "$1" domain); do [ "$d" = . ] || echo "$d"; done
}

# bind_forwarders FILE...: the addresses in the first `forwarders { ... };` of
# BIND's options (comments stripped), one per line; non-addresses are dropped.
bind_forwarders() {
  local f a
  for f in "$@"; do
    [ -r "$f" ] || continue
    for a in $(sed -e 's://.*$::' -e 's:#.*$::' "$f" | tr '\n' ' ' |
      sed -n 's/.*[^a-z-]forwarders[[:space:]]*{\([^}]*\)}.*/\1/p' | tr ';' ' '); do
      is_ip "$a" && echo "$a"
    done
    return 0
  done
}

# resolv_manager PATH: who rewrites this resolv.conf
resolv_manager() {
  local link head
  if [ -L "$1" ]; then
    link=$(readlink "$1")
    case $link in
      */run/systemd/resolve/*|*/lib/systemd/resolv.conf) echo systemd-resolved; return ;;
      */run/resolvconf/*|*/etc/resolvconf/*) echo resolvconf; return ;;
      */run/NetworkManager/*) echo NetworkManager; return ;;
    esac
  fi
  head=$(head -n 5 "$1" 2>/dev/null)
  case $head in
    *NetworkManager*) echo NetworkManager ;;
    *systemd-resolved*) echo systemd-resolved ;;
    *resolvconf*|*"YOUR CHANGES WILL BE OVERWRITTEN"*) echo resolvconf ;;
    *dhclient*) echo dhclient ;;
    *) if dhclient_here; then echo dhclient; else echo none; fi ;;
  esac
}
# dhclient_here: a dhclient of this host runs (scan_procs leaves out containers' processes: a
# container's or another lab host's dhclient rewrites its own resolv.conf, not this one). Never under
# a test root: a test's resolv.conf belongs to no process of the machine, whatever the machine runs.
dhclient_here() {
  [ -z "$ROOT" ] || return 1
  [ -n "$(pids_of dhclient)" ]
}

