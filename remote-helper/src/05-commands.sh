# ------------------------------------------------------------- commands ----

# Usage: cutover-helper version
# Print the helper's version and the SHA-256 of this file (null when streamed).
cmd_version() {
  [ $# -eq 0 ] || usage "version takes no arguments"
  local sum=''
  if [ -f "$SELF" ] && [ -r "$SELF" ]; then
    case $SELF in */cutover-helper) sum=$(sha256_of "$SELF") ;; esac
  fi
  d_str version "$VERSION"
  d_strn sha256 "$sum"
  ok
}

# Usage: cutover-helper help [SUBCOMMAND]
# List subcommands, or show one subcommand's usage (needs the helper as a file).
cmd_help() {
  [ -f "$SELF" ] || die 3 "help needs the helper as a file (it was streamed)"
  local text
  text=$(awk -v want="${1:-}" '
    /^# Usage: cutover-helper / { u = $0; sub(/^# Usage: /, "", u); split(u, w, " ")
      if (want == "" || w[2] == want) { print u; show = (want != "") ; next } }
    show && /^# / { sub(/^# /, "  "); print; next }
    { show = 0 }' "$SELF")
  [ -n "$text" ] || usage "no such subcommand: ${1:-}"
  printf '%s\n' "$text" >&2
  d_str usage "$text"
  ok
}


