# shellcheck shell=bash
# What every test/*.bats shares (`load common`): each test in its own temp root and state dir, JSON
# parsed with python3. HELPER is the helper as built from src/ (test/run.sh builds it once and
# passes it; run alone, a .bats file builds it); HELPER_SH picks the shell (dash, "busybox sh",
# bash), and test/run.sh runs every file under all three. Firewall and capture tests run inside a
# private network namespace (unshare -n): nothing here touches the machine's own rules or
# resolv.conf.

bats_require_minimum_version 1.5.0

: "${HELPER:=$("$BATS_TEST_DIRNAME/../build.sh")}"
: "${HELPER_SH:=dash}"

setup() {
  ROOT="$BATS_TEST_TMPDIR/root"
  STATE="$BATS_TEST_TMPDIR/state"
  mkdir -p "$ROOT/etc/bind" "$STATE"
  touch "$ROOT/.cutover-test-root"
  printf 'nameserver 10.9.9.1\nnameserver 10.9.9.2\nsearch example.test\noptions timeout:1\n' >"$ROOT/etc/resolv.conf"
  printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Test Linux 12"\n' >"$ROOT/etc/os-release"
  export CUTOVER_ROOT="$ROOT"
  CANARY="$BATS_TEST_TMPDIR/canary"
}

# h ARGS...: run the helper under $HELPER_SH with the test state dir
h() { $HELPER_SH "$HELPER" --state-dir "$STATE" "$@"; }

# quoted_options: an options file only a byte-exact read returns (quotes, a backslash, a trailing blank line)
quoted_options() { printf 'a "quoted"\\ line\n\n' >"$ROOT/etc/bind/named.conf.options"; }
# files_read_back: $output's data.files are quoted_options' file byte for byte, then /etc/bind/absent as absent
files_read_back() {
  one_json
  [ "$(j 'd["data"]["files"][0]["content"] == open("'"$ROOT"'/etc/bind/named.conf.options").read()')" = true ]
  [ "$(j 'd["data"]["files"][1]["exists"]')" = false ]
}

# j EXPR: evaluate a python expression on the JSON in $output (as d)
j() {
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=eval(sys.argv[2]); print(json.dumps(r) if not isinstance(r,str) else r)' "$output" "$1"
}
# one_json: stdout is exactly one JSON object with ok/changed/data
one_json() {
  python3 -c 'import json,sys; s=sys.argv[1].strip(); assert "\n" not in s, "more than one line"; d=json.loads(s); assert set(d) >= {"ok","changed","data"}, d' "$output"
}

# fw tests run in a private network namespace: each its own ruleset
fw_in_netns() {
  unshare -n sh -c "$1" sh "$HELPER_SH" "$HELPER" "$STATE"
}
