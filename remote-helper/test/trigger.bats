#!/usr/bin/env bats
# src/18-trigger.sh: trigger, against a stand-in psql that plays pgbouncer's admin console.

load common

# fake_pgbouncer: a psql first in PATH that answers the admin console's SHOW commands for the
# database probe (a pool, nothing cached, dns_nxdomain_ttl and server_login_retry 15) and logs
# every SET with the time in ms to $BATS_TEST_TMPDIR/sets
fake_pgbouncer() {
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/psql" <<'PSQL'
#!/bin/sh
echo "session" >>"$FAKE_PGB_LOG.sessions"
while [ $# -gt 0 ]; do
  [ "$1" = -c ] || { shift; continue; }
  case $2 in
    '\echo '*) echo "${2#\\echo }" ;;
    'SHOW DATABASES') echo 'probe|xaxa-probe.invalid|5432|probe' ;;
    'SHOW DNS_HOSTS') ;;
    'SHOW POOLS') echo 'probe|app|0|0' ;;
    'SHOW CONFIG') printf 'dns_nxdomain_ttl|15|yes\nserver_login_retry|15|yes\n' ;;
    SET*) echo "$(($(date +%s%N) / 1000000)) $2" >>"$FAKE_PGB_LOG"; echo "SET ${2#SET }" ;;
  esac
  shift 2
done
PSQL
  chmod +x "$BATS_TEST_TMPDIR/bin/psql"
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH" FAKE_PGB_LOG="$BATS_TEST_TMPDIR/sets"
}

@test "trigger --wait-cached restores server_login_retry once, then dns_nxdomain_ttl a second later" {
  fake_pgbouncer
  run -0 --separate-stderr h trigger --run r1 --port 1 --db probe --user app --admin-user pgbadmin --wait-cached
  one_json
  [ "$(j 'd["data"]["waited_s"]')" = 1 ]
  # each setting set to 0 once and put back once: no admin round trip twice
  [ "$(cut -d' ' -f2- "$FAKE_PGB_LOG")" = "SET dns_nxdomain_ttl = 0
SET server_login_retry = 0
SET server_login_retry = 15
SET dns_nxdomain_ttl = 15" ]
  # the pool's tries stop first: the TTL comes back at least 1 s after the retry
  retry_ms=$(awk '$0 ~ /server_login_retry = 15/ { print $1 }' "$FAKE_PGB_LOG")
  ttl_ms=$(awk '$0 ~ /dns_nxdomain_ttl = 15/ { print $1 }' "$FAKE_PGB_LOG")
  [ $((ttl_ms - retry_ms)) -ge 1000 ]
}

@test "trigger --fresh reads the admin console in one session and sets and restores both settings in one each" {
  fake_pgbouncer
  # no capture, so psql (this stand-in) runs once as the client: four sessions in all
  run -0 --separate-stderr h trigger --run r1 --port 1 --db probe --user app --admin-user pgbadmin --fresh
  one_json
  [ "$(j 'd["data"]["qname"]')" = xaxa-probe.invalid ]
  [ "$(j 'd["data"]["nxdomain_ttl_restored"]')" = 15 ]
  [ "$(j 'd["data"]["server_login_retry_restored"]')" = 15 ]
  [ "$(cut -d' ' -f2- "$FAKE_PGB_LOG")" = "SET dns_nxdomain_ttl = 0
SET server_login_retry = 0
SET server_login_retry = 15
SET dns_nxdomain_ttl = 15" ]
  [ "$(wc -l <"$FAKE_PGB_LOG.sessions")" -eq 4 ]
}
