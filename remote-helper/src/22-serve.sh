# ----------------------------------------------------------------- serve --

# Usage: cutover-helper serve TOKEN
# Answers a controller's calls, one after another, from this one process: a call served here costs
# the host a fork, where a call of its own costs an SSH channel, a shell, sudo and a parse of this
# file (~25 calls a host; docs/helper-protocol.md "Served calls"). Each call, on stdin:
#   ARGV   one line: the words of the call, shell-quoted as for an exec line (no newline in them)
#   N      one line: how many bytes of stdin the call gets
#   BYTES  exactly N bytes (no NUL byte: they pass through a shell variable), then TOKEN: a call
#          whose stdin was cut short (the controller died writing it) never runs
# Each call runs in a subshell of its own (its exit, traps and globals are its own), with that
# stdin. stdout: "TOKEN pid PID" before the call's output (the controller kills PID when the call
# runs over its time), then a newline and "TOKEN end STATUS" after it; stderr: the call's lines,
# then "TOKEN end". TOKEN, the controller's random word, cannot be mistaken for a call's output.
# EOF on stdin (the controller closed the session, or its link is gone) ends the serve.
cmd_serve() {
  local token="${1:-}" argv n input status
  case $token in ''|*[!A-Za-z0-9]*) usage "serve TOKEN (a word of letters and digits)" ;; esac
  printf '%s ready\n' "$token"
  while IFS= read -r argv; do
    IFS= read -r n && is_uint "$n" || die 2 "serve: the stdin length of a call must follow its words: ${n:-nothing}"
    input=$(head -c "$((n + ${#token}))")
    case $input in *"$token") input=${input%"$token"} ;; *) die 2 "serve: the call's stdin ended early" ;; esac
    (
      EXIT_PATHS='' DATA='' CHANGED=false SUBCMD=''
      eval "set -- $argv"
      if [ "$n" -eq 0 ]; then serve_call "$token" "$@" </dev/null; else printf '%s' "$input" | serve_call "$token" "$@"; fi
    )
    status=$?
    printf '\n%s end %s\n' "$token" "$status"
    printf '%s end\n' "$token" >&2
  done
}

# serve_call TOKEN ARGS...: one call, in the process that runs it (a pipeline's last part is a
# process of its own): its pid first, read with no program started (/proc/self is the reader).
serve_call() {
  local self
  IFS=' ' read -r self _ </proc/self/stat
  printf '%s pid %s\n' "$1" "$self"
  shift
  main "$@"
}
