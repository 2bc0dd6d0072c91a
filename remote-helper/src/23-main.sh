# ---------------------------------------------------------------- main -----

main() {
  while [ $# -gt 0 ]; do
    case $1 in
      --state-dir) need_arg "$@"; STATE_DIR=$2; shift 2 ;;
      --) shift; break ;;
      -*) usage "unknown global option: $1" ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || usage "cutover-helper [--state-dir DIR] SUBCOMMAND ARGS... (see: cutover-helper help)"
  SUBCMD=$1; shift
  trap remove_exit_paths EXIT
  setup_env
  case $SUBCMD in
    version) cmd_version "$@" ;;
    help) cmd_help "$@" ;;
    facts) cmd_facts "$@" ;;
    file-read) cmd_file_read "$@" ;;
    lock) cmd_lock "$@" ;;
    unlock) cmd_unlock "$@" ;;
    file-install) cmd_file_install "$@" ;;
    resolv-install) cmd_resolv_install "$@" ;;
    bind-check) cmd_bind_check "$@" ;;
    bind-start) cmd_bind_start "$@" ;;
    bind-install) cmd_bind_install "$@" ;;
    bind-reload) cmd_bind_reload "$@" ;;
    refresh) cmd_refresh "$@" ;;
    fw-ban) cmd_fw_ban "$@" ;;
    fw-unban) cmd_fw_unban "$@" ;;
    capture-start) cmd_capture_start "$@" ;;
    capture-verify) cmd_capture_verify "$@" ;;
    trigger) cmd_trigger "$@" ;;
    guard-arm) cmd_guard_arm "$@" ;;
    guard-disarm) cmd_guard_disarm "$@" ;;
    guard-renew) cmd_guard_renew "$@" ;;
    guard-wait) cmd_guard_wait "$@" ;;
    guard-boot) cmd_guard_boot "$@" ;;
    revert) cmd_revert "$@" ;;
    state) cmd_state "$@" ;;
    serve) cmd_serve "$@" ;;
    # the message names the word given ($1 is its first argument by now), without the "SUBCMD: " prefix
    *) set -- "$SUBCMD"; SUBCMD=; usage "unknown subcommand: $1" ;;
  esac
}

main "$@"
