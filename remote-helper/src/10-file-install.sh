# --------------------------------------------------------- file-install -----

set_run() { need_arg "$@"; is_run_id "$2" || usage "bad run id (allowed: A-Za-z0-9._-): $2"; RUN=$2; }
set_step() { need_arg "$@"; is_run_id "$2" || usage "bad step name (allowed: A-Za-z0-9._-): $2"; STEP=$2; }
RUN='' STEP=''

# write_file SRC DST INPLACE: replace DST's content with SRC's. In place keeps
# the inode (bind mounts, symlinks: rename would give EBUSY or break the link);
# otherwise a temp file in the same directory is renamed over DST. Owner and
# mode of an existing DST are kept.
write_file() {
  local src="$1" dst="$2" inplace="$3" tmp mode own
  if [ "$inplace" = true ]; then
    cat "$src" >"$dst" || return 1
  else
    tmp="${dst%/*}/.cutover.$$.tmp"
    cp "$src" "$tmp" || return 1
    if [ -e "$dst" ]; then
      mode=$(stat -c %a "$dst") && own=$(stat -c %u:%g "$dst") &&
        chmod "$mode" "$tmp" && chown "$own" "$tmp" || { rm -f "$tmp"; return 1; }
    fi
    mv -f "$tmp" "$dst" || { rm -f "$tmp"; return 1; }
  fi
}

# install_content RUN STEP TARGET SRCFILE EXPECT_SHA FORCE_INPLACE MODE OWNER [REPLACE_LINK [MKDIR]]
# The shared body of file-install and resolv-install. REPLACE_LINK=true: a symlink at TARGET is
# replaced by a regular file (undo: the same link again) instead of written through; MKDIR=true: a
# missing directory of TARGET is created (undo: removed if empty).
install_content() {
  local run="$1" step="$2" target="$3" src="$4" expect="$5" forceip="$6" mode="$7" owner="$8" relink="${9:-false}" mkd="${10:-false}"
  local host real new_sha old_sha inplace=false backup seq kind
  host=$(hp "$target")
  new_sha=$(sha256_of "$src")
  [ -z "$expect" ] || [ "$expect" = "$new_sha" ] || die 4 "content sha256 $new_sha does not match --sha256 $expect (transfer damaged?)"
  d_str target "$target"
  d_str sha256 "$new_sha"
  if [ ! -d "${host%/*}" ]; then
    [ "$mkd" = true ] && [ -d "${host%/*/*}" ] || die 3 "directory of $target does not exist"
    ensure_run_dir "$run"
    undo_add "$run" "$step" dir-remove "${target%/*}"
    CHANGED=true
    mkdir -m 0755 "${host%/*}" || die 1 "cannot create the directory of $target"
  fi
  real=$host
  if [ -L "$host" ] && [ "$relink" = true ]; then
    kind=symlink
    d_str kind "$kind"
    d_str replaced_link "$(readlink "$host")"
    ensure_run_dir "$run"
    undo_add "$run" "$step" link-restore "$target" "$(readlink "$host")" "$new_sha"
    CHANGED=true
    write_file "$src" "$host" false || die 1 "cannot write $target"
    chmod 0644 "$host" || die 1 "cannot set the mode of $target"
    [ "$(sha256_of "$host")" = "$new_sha" ] && [ ! -L "$host" ] || die 4 "$target is not the written file after writing"
    d_bool verified true
    return 0
  fi
  if [ -L "$host" ]; then
    real=$(readlink -f "$host") || die 3 "cannot resolve symlink $target"
    case $real in "$ROOT"/*) ;; *) die 3 "symlink $target points outside the root: $real" ;; esac
    allowed_target "${real#"$ROOT"}" || die 3 "symlink $target points outside the allowed roots: ${real#"$ROOT"}"
    inplace=true; kind=symlink
  elif is_mountpoint_file "$target"; then inplace=true; kind=bind-mount
  else kind=regular; fi
  [ "$forceip" = true ] && inplace=true
  d_str kind "$kind"
  d_bool in_place "$inplace"
  if [ -e "$real" ] && [ ! -f "$real" ]; then die 3 "$target is not a regular file"; fi
  old_sha=$(sha256_of "$real")
  d_strn previous_sha256 "$old_sha"
  if [ "$old_sha" = "$new_sha" ]; then
    log "$target already has this content"
    return 0
  fi
  ensure_run_dir "$run"
  if [ -e "$real" ]; then
    seq=$(next_seq "$run")
    backup="$(run_dir "$run")/backup/$seq.$(printf '%s' "${target##*/}" | tr -c 'A-Za-z0-9._-' _)"
    cp -p "$real" "$backup" || die 1 "cannot back up $target"
    [ "$(sha256_of "$backup")" = "$old_sha" ] || die 4 "backup of $target does not match the original"
    d_str backup "$backup"
    # the record first: killed or failing half-way, the change is still undone from the log
    undo_add "$run" "$step" file-restore "$target" "$backup" "$new_sha"
    CHANGED=true
    write_file "$src" "$real" "$inplace" || die 1 "cannot write $target"
  else
    undo_add "$run" "$step" file-remove "$target" "$new_sha"
    CHANGED=true
    write_file "$src" "$real" false || die 1 "cannot write $target"
    chmod "${mode:-0644}" "$real" && { [ -z "$owner" ] || chown "$owner" "$real"; } || die 1 "cannot set mode/owner of $target"
  fi
  [ "$(sha256_of "$real")" = "$new_sha" ] || die 4 "$target does not have the written content after writing"
  d_bool verified true
}

# read_content SOURCE: copy the content (file SOURCE, or stdin when empty) to a temp file
read_content() {
  CONTENT_TMP=$(mktemp "${TMPDIR:-/tmp}/cutover-content.XXXXXX") || die 1 "cannot create a temp file"
  remove_on_exit "$CONTENT_TMP"
  if [ -n "$1" ]; then
    [ -f "$1" ] && [ -r "$1" ] || die 3 "source file not readable: $1"
    cat "$1" >"$CONTENT_TMP" || die 1 "cannot read $1"
  else
    cat >"$CONTENT_TMP" || die 1 "cannot read stdin"
  fi
}

# Usage: cutover-helper file-install --run RUN --target PATH [--source FILE] [--sha256 HEX] [--in-place] [--mkdir] [--mode MODE] [--owner USER:GROUP] [--step STEP]
# Install a file with a backup and an undo record. Content comes from stdin,
# or from --source FILE (absolute path on the host). --sha256 makes the helper
# check the content it received. The target must be under /etc, /var/lib/cutover
# or /var/cache/bind. Symlinks and bind mounts are written in place (keeping the
# inode); other files through a temp file and rename. Owner and mode of an
# existing file are kept (--mode/--owner only apply to new files). --mkdir
# creates a missing directory of the target (its parent must exist; the undo
# removes it again if empty). Installing identical content is ok, changed:false.
cmd_file_install() {
  local target='' source='' expect='' inplace=false mode='' owner='' mkd=false
  RUN='' STEP=file-install
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --target) need_arg "$@"; allowed_target "$2" || usage "target must be a plain path under /etc, /var/lib/cutover or /var/cache/bind: $2"; target=$2; shift 2 ;;
      --source) need_arg "$@"; is_path "$2" || usage "bad source path: $2"; source=$2; shift 2 ;;
      --sha256) need_arg "$@"; case $2 in *[!0-9a-f]*) usage "bad sha256: $2" ;; esac; [ ${#2} -eq 64 ] || usage "bad sha256: $2"; expect=$2; shift 2 ;;
      --in-place) inplace=true; shift ;;
      --mkdir) mkd=true; shift ;;
      --mode) need_arg "$@"; case $2 in [0-7][0-7][0-7]|[0-7][0-7][0-7][0-7]) mode=$2 ;; *) usage "bad mode: $2" ;; esac; shift 2 ;;
      --owner) need_arg "$@"; case $2 in *:*) is_name "${2%%:*}" && is_name "${2#*:}" || usage "bad owner: $2" ;; *) usage "owner must be USER:GROUP: $2" ;; esac; owner=$2; shift 2 ;;
      *) usage "file-install: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$target" ] || usage "file-install --run RUN --target PATH [--source FILE] ..."
  read_content "$source"
  install_content "$RUN" "$STEP" "$target" "$CONTENT_TMP" "$expect" "$inplace" "$mode" "$owner" false "$mkd"
  ok
}

# Usage: cutover-helper resolv-install --run RUN [--owner OWNER] [--target PATH] [--source FILE] [--sha256 HEX] [--step STEP]
# Point resolv.conf (default /etc/resolv.conf) at the content's nameservers through the file's
# owner (see "resolv.conf owners" above), so that the owner's next rewrite keeps it. --owner is the
# owner the plan was made for: a host whose owner has changed since is refused (exit 3). Content
# (stdin or --source) is the resolv.conf to write; its nameserver lines must be IP addresses. Where
# the owner writes the file itself (resolvconf), the content gives only the servers it must list.
# data.nameservers: what resolv.conf lists afterwards, checked against the content (exit 4).
cmd_resolv_install() {
  local target=/etc/resolv.conf source='' expect='' want_owner='' mgr k v bad='' want have path t saved
  RUN='' STEP=resolv-install
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --owner) need_arg "$@"; case $2 in none|dhclient|resolvconf|NetworkManager|systemd-resolved) want_owner=$2 ;;
          *) usage "bad owner (none, dhclient, resolvconf, NetworkManager or systemd-resolved): $2" ;; esac; shift 2 ;;
      --target) need_arg "$@"; allowed_target "$2" || usage "bad target: $2"; target=$2; shift 2 ;;
      --source) need_arg "$@"; is_path "$2" || usage "bad source path: $2"; source=$2; shift 2 ;;
      --sha256) need_arg "$@"; case $2 in *[!0-9a-f]*) usage "bad sha256: $2" ;; esac; [ ${#2} -eq 64 ] || usage "bad sha256: $2"; expect=$2; shift 2 ;;
      *) usage "resolv-install: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "resolv-install --run RUN [--owner OWNER] [--target PATH] [--source FILE] ..."
  read_content "$source"
  while read -r k v; do
    [ "$k" = nameserver ] || continue
    is_ip "${v%% *}" || bad="$bad ${v%% *}"
  done <"$CONTENT_TMP"
  [ -z "$bad" ] || die 3 "resolv.conf content has nameserver lines that are not IP addresses:$bad"
  grep -q '^nameserver' "$CONTENT_TMP" || die 3 "resolv.conf content has no nameserver line"
  want=$(resolv_words "$CONTENT_TMP" nameserver)
  scan_procs
  mgr=$(resolv_manager "$(hp "$target")")
  d_str manager "$mgr"
  [ -z "$want_owner" ] || [ "$want_owner" = "$mgr" ] ||
    die 3 "$target is now owned by $mgr, not $want_owner as when the plan was made: plan again"
  case $mgr in none|dhclient) ;; *)
    [ "$(init_system "$(pid1_comm)")" = systemd ] || die 3 "$mgr owns $target, and cutover configures $mgr only under systemd" ;;
  esac
  path=$(owner_file_path "$mgr")
  if [ -n "$path" ]; then
    t=$(mktemp "${TMPDIR:-/tmp}/cutover-owner.XXXXXX") || die 1 "cannot create a temp file"
    remove_on_exit "$t"
    owner_file_content "$mgr" >"$t"
    saved=$DATA; DATA=
    install_content "$RUN" "$STEP" "$path" "$t" "" false 0644 "" false true
    DATA=$saved
    d_str owner_file "$path"
  fi
  case $mgr in
    none|dhclient)
      install_content "$RUN" "$STEP" "$target" "$CONTENT_TMP" "$expect" false "" "" ;;
    NetworkManager)
      ensure_run_dir "$RUN"
      undo_add "$RUN" "$STEP" owner-reload "$mgr"
      owner_reload "$mgr" || die 1 "systemctl reload NetworkManager failed"
      [ "$(nm_dns_mode)" = none ] || die 4 "NetworkManager still has dns=$(nm_dns_mode) after $path (a later conf.d file overrides it?)"
      # a symlink points into /run/NetworkManager: replaced by a file NetworkManager leaves alone
      install_content "$RUN" "$STEP" "$target" "$CONTENT_TMP" "$expect" false "" "" true ;;
    systemd-resolved)
      install_content "$RUN" "$STEP" "$target" "$CONTENT_TMP" "$expect" false "" "" true
      undo_add "$RUN" "$STEP" owner-reload "$mgr"
      owner_reload "$mgr" || die 1 "systemctl reload-or-restart systemd-resolved failed"
      t=0
      until [ "$(resolved_global_dns)" = 127.0.0.1 ]; do
        [ $t -lt 50 ] || die 4 "systemd-resolved's global DNS is '$(resolved_global_dns)', not 127.0.0.1, after $path"
        sleep 0.1; t=$((t + 1))
      done ;;
    resolvconf)
      d_str unit "$NAMED_RESOLVCONF_UNIT"
      resolvconf_truncates || die 3 "TRUNCATE_NAMESERVER_LIST_AFTER_LOOPBACK_ADDRESS is off in /etc/default/resolvconf: resolv.conf would list the old servers after 127.0.0.1"
      [ "$want" = 127.0.0.1 ] || die 3 "under resolvconf cutover can only make resolv.conf list 127.0.0.1 (lo.named), not: $want"
      ensure_run_dir "$RUN"
      undo_add "$RUN" "$STEP" owner-reload "$mgr"
      owner_reload "$mgr" || die 1 "systemctl daemon-reload failed"
      unit_enable_start "$RUN" "$STEP" "$NAMED_RESOLVCONF_UNIT" ;;
  esac
  # the owner may write the file a moment later (resolvconf's update scripts)
  t=0
  while have=$(resolv_words "$(hp "$target")" nameserver); [ "$have" != "$want" ] && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
  # shellcheck disable=SC2086 # a word list
  d_raw nameservers "$(json_arr $have)"
  [ "$have" = "$want" ] || die 4 "$target lists '$have' after the change through $mgr, not '$want'"
  ok
}

