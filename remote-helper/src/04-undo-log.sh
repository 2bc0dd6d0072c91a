# ----------------------------------------------------------- undo log ------

# One record per line, tab separated: seq step action arg...
# Undone records are marked by a later line: "undone seq time result".
TAB=$(printf '\t')

undo_log() { printf '%s/undo.log' "$(run_dir "$1")"; }
next_seq() {
  local f n=0
  f=$(undo_log "$1")
  [ -f "$f" ] && n=$(awk -F '\t' '$1 ~ /^[0-9]+$/ { n = $1 } END { print n + 0 }' "$f")
  echo $((n + 1))
}
# undo_add RUN STEP ACTION ARG...
undo_add() {
  local run="$1" step="$2" seq line
  shift 2
  seq=$(next_seq "$run")
  line="$seq$TAB$step"
  for a in "$@"; do line="$line$TAB$a"; done
  rm -f "$(undo_reserve "$run")"
  printf '%s\n' "$line" >>"$(undo_log "$run")" || die 1 "cannot write undo log"
  sync "$(undo_log "$run")" 2>/dev/null || true
  reserve_undo_space "$run" || log "the disk is full: the next change will be refused"
  d_num undo_seq "$seq"
}

