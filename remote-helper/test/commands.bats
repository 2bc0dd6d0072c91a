#!/usr/bin/env bats
# src/05-commands.sh: version, file-read, help.

load common

@test "version prints the version and the sha256 of the helper file" {
  run -0 --separate-stderr h version
  one_json
  [ "$(j 'd["data"]["sha256"]')" = "$(sha256sum "$HELPER" | cut -d' ' -f1)" ]
  [ "$(j 'd["ok"]')" = true ]
}

@test "version reports a null sha256 when the helper is streamed to sh -s" {
  run -0 --separate-stderr sh -c "$HELPER_SH -s -- version <'$HELPER'"
  one_json
  [ "$(j 'd["data"]["sha256"]')" = null ]
}

@test "file-read returns files byte for byte, trailing newlines included, and absent ones as absent" {
  quoted_options
  run -0 --separate-stderr sh -c "$HELPER_SH -s -- file-read /etc/bind/named.conf.options /etc/bind/absent <'$HELPER'"
  files_read_back
  [ ! -e "$STATE/runs" ]
}

@test "file-read refuses paths outside the allowed roots" {
  run -2 --separate-stderr h file-read /root/.ssh/id_rsa
  one_json
  run -2 --separate-stderr h file-read '/etc/$(touch '"$CANARY"')'
  [ ! -e "$CANARY" ]
}

@test "help prints the usage of every subcommand; the trigger is trigger, no longer run" {
  run -0 --separate-stderr h help
  one_json
  usage=$(j 'd["data"]["usage"]')
  for c in version facts lock unlock file-install resolv-install bind-check bind-start bind-reload refresh fw-ban fw-unban \
           capture-start capture-verify trigger guard-arm guard-disarm guard-boot revert state; do
    grep -q "^cutover-helper $c\b" <<<"$usage" || { echo "no usage for $c in: $usage"; return 1; }
  done
  run -2 --separate-stderr h run --run r1
  [[ "$stderr" == *"unknown subcommand: run"* ]]
}
