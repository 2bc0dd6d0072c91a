# ------------------------------------------------------------- package -----
# Installing BIND where it is missing (apt), and removing exactly what that install added.

POLICY_RC=/usr/sbin/policy-rc.d
policy_rc_content() { printf '#!/bin/sh\n# Written by cutover-helper bind-install: no service starts while packages install.\nexit 101\n'; }

# apt_candidate PKG: "VERSION SOURCE" of apt's candidate, empty when no source has PKG. The caches
# are built in memory (Dir::Cache::*pkgcache empty): facts must write nothing, not even apt's cache.
apt_candidate() {
  apt-cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= policy "$1" 2>/dev/null | awk '
    $1 == "Candidate:" { c = $2 }
    c != "" && c != "(none)" && $1 == c { want = 1; next }
    want && $1 ~ /^[0-9]+$/ && NF >= 2 { $1 = ""; sub(/^ /, ""); s = $0; exit }
    want && $1 !~ /^[0-9]+$/ { want = 0 }
    END { if (c != "" && c != "(none)") print c, s }'
}
# dpkg_states: "package status-abbrev" of every package dpkg knows, sorted
dpkg_states() { dpkg-query -W -f='${binary:Package} ${db:Status-Abbrev}\n' 2>/dev/null | sort; }
# pkg_added BEFORE: packages installed now that were not installed in the BEFORE snapshot
pkg_added() {
  dpkg_states | awk -v before="$1" 'BEGIN { while ((getline l < before) > 0) { split(l, w, " "); was[w[1]] = w[2] } }
    $2 ~ /^.i/ && was[$1] !~ /^.i/ { print $1 }'
}
# pkg_is_installed PKG: dpkg has PKG installed
pkg_is_installed() { case $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) in ?i*) return 0 ;; esac; return 1; }

# Usage: cutover-helper bind-install --run RUN [--package NAME] [--version VERSION] [--step STEP]
# Install BIND (default package bind9) with apt from the host's own sources when named is missing;
# ok, changed:false when it is there. --version pins the candidate the plan showed (exit 3 if the
# candidate changed since). No service starts during the install (policy-rc.d); bind-start
# starts named once cutover's configuration is in. The undo record keeps dpkg's state before the
# install; the undo purges exactly the packages the install added (back to config-files for one
# that had them before), never one installed by anyone else.
cmd_bind_install() {
  local pkg=bind9 version='' cand seq rd before added pol=- out rc t0
  RUN='' STEP=bind-install
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --package) need_arg "$@"; case $2 in [a-z0-9]*) is_name "$2" || usage "bad package name: $2" ;; *) usage "bad package name: $2" ;; esac; pkg=$2; shift 2 ;;
      --version) need_arg "$@"; case $2 in [0-9]*) ;; *) usage "bad version: $2" ;; esac
        case $2 in *[!A-Za-z0-9.+:~-]*) usage "bad version: $2" ;; esac; version=$2; shift 2 ;;
      *) usage "bind-install: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "bind-install --run RUN [--package NAME] [--version VERSION]"
  d_str package "$pkg"
  if command -v named >/dev/null 2>&1; then
    d_bool installed true; d_str bind_version "$(named -v 2>/dev/null)"; d_raw packages '[]'
    log "named is installed: nothing to do"
    ok
  fi
  need apt-get; need apt-cache; need dpkg-query; need dpkg
  cand=$(apt_candidate "$pkg")
  [ -n "$cand" ] || die 3 "BIND is not installed and no package source of this host has $pkg (apt-cache policy $pkg: no candidate); add a source that has it, or install BIND yourself"
  d_str candidate "${cand%% *}"
  d_str source "${cand#* }"
  [ -z "$version" ] || [ "$version" = "${cand%% *}" ] ||
    die 3 "the plan said $pkg $version, but apt's candidate is now ${cand%% *}: plan again"
  t0=$(now_ms)
  ensure_run_dir "$RUN"
  seq=$(next_seq "$RUN"); rd=$(run_dir "$RUN")
  before="$rd/pkg-$seq.before" added="$rd/pkg-$seq.added"
  dpkg_states >"$before" && [ -s "$before" ] || die 1 "cannot read dpkg's package states"
  [ -e "$(hp "$POLICY_RC")" ] || pol=$POLICY_RC
  undo_add "$RUN" "$STEP" pkg-purge "$added" "$before" "$pol"
  CHANGED=true
  if [ "$pol" != - ]; then policy_rc_content >"$(hp "$pol")" && chmod 755 "$(hp "$pol")" || die 1 "cannot write $pol"; fi
  out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "$pkg=${cand%% *}" 2>&1 </dev/null); rc=$?
  [ "$pol" = - ] || rm -f "$(hp "$pol")"
  pkg_added "$before" >"$added.tmp" && mv "$added.tmp" "$added" || die 1 "cannot record the packages installed"
  # shellcheck disable=SC2046 # package names
  d_raw packages "$(json_arr $(cat "$added"))"
  d_num elapsed_ms $(( $(now_ms) - t0 ))
  [ $rc -eq 0 ] || { d_str output "$(printf '%s\n' "$out" | tail -n 15)"; die 1 "apt-get install $pkg failed (exit $rc)"; }
  pkg_is_installed "$pkg" && command -v named >/dev/null 2>&1 || die 4 "$pkg is not installed after apt-get install"
  d_bool installed true; d_str bind_version "$(named -v 2>/dev/null)"
  ok
}

# pkg_purge ADDED BEFORE POLICY (undo): purge the packages ADDED lists (computed again from the
# BEFORE snapshot when the install was cut off before it wrote the list); a package that had
# config files left before goes back to that state (dpkg --remove), not purged; dpkg, not apt, so
# nothing that depends on them is ever removed with them (dpkg refuses instead)
pkg_purge() {
  local added="$1" before="$2" pol="$3" list purge='' remove='' p left=''
  if [ "$pol" != - ] && [ -f "$(hp "$pol")" ] && [ "$(cat "$(hp "$pol")")" = "$(policy_rc_content)" ]; then rm -f "$(hp "$pol")"; fi
  if [ -f "$added" ]; then list=$(cat "$added"); elif [ -f "$before" ]; then list=$(pkg_added "$before"); else echo "no-record"; return 1; fi
  for p in $list; do
    if awk -v p="$p" '$1 == p && $2 ~ /^rc/ { f = 1 } END { exit !f }' "$before" 2>/dev/null; then remove="$remove $p"; else purge="$purge $p"; fi
  done
  [ -n "$purge$remove" ] || { echo nothing-installed; return 0; }
  # shellcheck disable=SC2086 # package names
  { [ -z "$purge" ] || DEBIAN_FRONTEND=noninteractive dpkg --purge $purge >&2; } &&
    { [ -z "$remove" ] || DEBIAN_FRONTEND=noninteractive dpkg --remove $remove >&2; }
  for p in $list; do pkg_is_installed "$p" && left="$left $p"; done
  [ -z "$left" ] || { echo "not-removed:$left"; return 1; }
  # shellcheck disable=SC2086
  echo "purged$(printf ' %s' $purge)${remove:+; config files kept:$remove}"
}

