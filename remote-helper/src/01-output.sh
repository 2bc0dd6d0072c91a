# ---------------------------------------------------------------- output --

DATA=
CHANGED=false
SUBCMD=

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

# json_str VALUE: VALUE as a JSON string (quotes, backslashes, control
# characters escaped; bytes >= 0x80 passed through, i.e. UTF-8 stays UTF-8).
json_str() {
  case $1 in
    *[!A-Za-z0-9\ ._:/,=+@%\#\(\)\[\]\{\}\<\>\|~\*\&\!\?\'-]*)
      printf '%s' "$1" | LC_ALL=C awk '
        BEGIN { for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
                esc["\""] = "\\\""; esc["\\"] = "\\\\"; esc["\n"] = "\\n"; esc["\t"] = "\\t"; esc["\r"] = "\\r"
                printf "\"" }
        { if (NR > 1) printf "\\n"
          n = length($0); out = ""
          for (i = 1; i <= n; i++) { c = substr($0, i, 1); out = out ((c in esc) ? esc[c] : c) }
          printf "%s", out }
        END { printf "\"" }' ;;
    *) printf '"%s"' "$1" ;;
  esac
}

# d_* KEY VALUE: append a member to the data object being built.
d_raw() { DATA="${DATA:+$DATA,}\"$1\":$2"; }
d_str() { d_raw "$1" "$(json_str "$2")"; }
d_num() { case $2 in ''|*[!0-9.-]*) d_raw "$1" null ;; *) d_raw "$1" "$2" ;; esac; }
d_bool() { if [ "$2" = true ] || [ "$2" = 1 ]; then d_raw "$1" true; else d_raw "$1" false; fi; }
d_strn() { if [ -n "$2" ]; then d_str "$1" "$2"; else d_raw "$1" null; fi; }
# json_arr WORD...: a JSON array of strings
json_arr() {
  local out=''
  for w in "$@"; do out="${out:+$out,}$(json_str "$w")"; done
  printf '[%s]' "$out"
}

emit() { # emit OK_BOOL: print the single result object
  printf '{"ok":%s,"changed":%s,"data":{%s}}\n' "$1" "$CHANGED" "$DATA"
}

# die CODE MESSAGE: the one way out on failure (prints the result object).
die() {
  local code="$1"; shift
  log "${SUBCMD:+$SUBCMD: }$*"
  printf '{"ok":false,"changed":%s,"data":{%s},"error":%s}\n' "$CHANGED" "$DATA" "$(json_str "$*")"
  exit "$code"
}
usage() { die 2 "usage: $*"; }
ok() { emit true; exit 0; }

# remove_on_exit PATH: removed (rm -rf) when the helper exits, however it exits. One EXIT trap
# for all of them: a second `trap ... EXIT` would silently replace the first, and a trap that
# names a function's local variable sees it unset once the function has returned.
EXIT_PATHS=''
remove_on_exit() {
  EXIT_PATHS="$EXIT_PATHS
$1"
}
# shellcheck disable=SC2317 # run by the EXIT trap
remove_exit_paths() {
  [ -n "$EXIT_PATHS" ] || return 0 # most calls: no pipe, no subshell
  printf '%s\n' "$EXIT_PATHS" | while IFS= read -r p; do [ -z "$p" ] || rm -rf -- "$p"; done
}

