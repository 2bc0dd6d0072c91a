# ------------------------------------------------------------ validation --

is_uint() { case $1 in ''|*[!0-9]*) return 1 ;; esac; [ "${#1}" -le 10 ]; }
is_run_id() {
  case $1 in ''|-*|*[!A-Za-z0-9._-]*|.|..) return 1 ;; esac; [ "${#1}" -le 64 ]
}
is_ipv4() {
  case $1 in *[!0-9.]*|.*|*.|*..*) return 1 ;; esac
  local IFS=. n=0
  # shellcheck disable=SC2086
  set -- $1
  [ $# -eq 4 ] || return 1
  for o in "$@"; do is_uint "$o" && [ "${#o}" -le 3 ] && [ "$o" -le 255 ] || return 1; n=$((n + 1)); done
}
is_ipv6() {
  case $1 in *[!0-9A-Fa-f:]*|'') return 1 ;; *:*) ;; *) return 1 ;; esac
  [ "${#1}" -le 39 ]
}
is_ip() { is_ipv4 "$1" || is_ipv6 "$1"; }
is_name() { # process names, users, db names
  case $1 in ''|-*|*[!A-Za-z0-9._-]*) return 1 ;; esac; [ "${#1}" -le 64 ]
}
is_dnsname() {
  case $1 in ''|-*|.*|*..*|*[!A-Za-z0-9._-]*) return 1 ;; esac; [ "${#1}" -le 253 ]
}
# is_path P: absolute, tame characters, no . or .. components
is_path() {
  case $1 in
    /*) ;; *) return 1 ;; esac
  case $1 in
    *[!A-Za-z0-9._/@+-]*|*//*|*/./*|*/../*|*/.|*/..) return 1 ;; esac
  [ "${#1}" -le 1024 ]
}
# allowed_target P: a host path the helper may change
allowed_target() {
  is_path "$1" || return 1
  case $1 in
    /etc/?*|/var/lib/cutover/?*|/var/cache/bind/?*) return 0 ;; esac
  return 1
}
need() { command -v "$1" >/dev/null 2>&1 || die 3 "needs $1 (not found in PATH)"; }

# need_arg OPTION VALUE: an option value must exist and must not look like an option
need_arg() { [ "$#" -ge 2 ] && [ -n "$2" ] || usage "$1 needs a value"; case $2 in -*) usage "$1 needs a value, got an option: $2" ;; esac; }
# is_name_url URL: an http(s) URL with {name} where a DNS name goes (trigger --url, refresh --find-url)
is_name_url() {
  printf '%s' "$1" | grep -qE '^https?://[][A-Za-z0-9._~:/?#@!$&()*+,;=%{}-]+$' && case $1 in *"{name}"*) true ;; *) false ;; esac
}
