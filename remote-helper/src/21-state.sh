# --------------------------------------------------------------- state -----

# Usage: cutover-helper state RUN
# What RUN did on this host: every undo record (applied, or undone), how many
# are still applied, the guard (armed, fired, disarmed; when it fires) and the
# host lock.
cmd_state() {
  local recs applied
  RUN=
  [ $# -eq 1 ] && is_run_id "$1" || usage "state RUN"
  RUN=$1
  d_str run "$RUN"
  if [ -f "$(undo_log "$RUN")" ]; then
    recs=$(awk -F '\t' '
      function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
      $1 == "undone" { done[$2] = $4; next }
      $1 ~ /^[0-9]+$/ { n++; seq[n] = $1; st[n] = $2; ac[n] = $3; tg[n] = $4 }
      END { for (i = 1; i <= n; i++) printf "%s{\"seq\":%d,\"step\":%s,\"action\":%s,\"target\":%s,\"applied\":%s,\"undo_result\":%s}", (i > 1 ? "," : ""),
              seq[i], js(st[i]), js(ac[i]), js(tg[i]), ((seq[i] in done) ? "false" : "true"), ((seq[i] in done) ? js(done[seq[i]]) : "null") }' "$(undo_log "$RUN")")
    applied=$(pending_records "$RUN" 0 | grep -c .)
  else recs='' applied=0; fi
  d_bool exists "$( [ -d "$(run_dir "$RUN")" ] && echo true || echo false)"
  d_raw records "[$recs]"
  d_num applied "$applied"
  d_raw guard "$(guard_json "$RUN")"
  if lock_read; then d_raw lock "$(lock_json)"; else d_raw lock null; fi
  ok
}

