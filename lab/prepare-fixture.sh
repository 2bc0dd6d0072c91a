#!/bin/sh
# Usage: CUTOVER_LAB=NAME lab/prepare-fixture.sh HOST CASE [PLAYBOOK]
# Captures one running lab host as a planner fixture (controller/src/test/resources/prepare/CASE):
# facts.json (the helper's facts report, as `cutover facts -o json` prints it), vars.json (the
# host's inventory vars, connection and lab-only vars left out), files/ (today's content of every
# file the playbook installs, under its path; a file the host lacks is left out) and case.json
# (the playbook). Then `CUTOVER_UPDATE_FIXTURES=1 mvn -q test -Dtest=PrepareFixturesTest` writes
# its expected.txt, which a reviewer reads in the diff.
set -eu
case ${1:-} in -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
host=${1:?usage: lab/prepare-fixture.sh HOST CASE [PLAYBOOK]}
case=${2:?usage: lab/prepare-fixture.sh HOST CASE [PLAYBOOK]}
playbook=${3:-playbooks/local-caching-bind.yml}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/controller/src/test/resources/prepare/$case
inventory=$("$repo/lab/lab.sh" inventory)
mkdir -p "$out/files"
"$repo/bin/cutover" facts -i "$inventory" -l "$host" -o json |
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["hosts"][0]["facts"], indent=2, sort_keys=True))' >"$out/facts.json"
"$repo/bin/cutover" inventory -i "$inventory" --list -o json | python3 -c '
import json, sys
v = json.load(sys.stdin)["_meta"]["hostvars"][sys.argv[1]]
keep = {k: x for k, x in v.items() if not k.startswith(("ansible_", "lab_")) and k != "cutover_known_hosts"}
print(json.dumps(keep, indent=2, sort_keys=True))' "$host" >"$out/vars.json"
printf '{"host": "%s", "playbook": "%s"}\n' "$host" "$playbook" >"$out/case.json"
"$repo/bin/cutover" plan --offline -i "$inventory" -l "$host" "$repo/$playbook" -o json | python3 -c '
import json, sys
print("\n".join(sorted({f["path"] for h in json.load(sys.stdin)["hosts"] for s in h["steps"] for f in s["files"]})))' |
  while read -r path; do
    if "$repo/lab/lab.sh" ssh "$host" test -f "$path" </dev/null; then
      mkdir -p "$out/files$(dirname "$path")"
      "$repo/lab/lab.sh" ssh "$host" cat "$path" </dev/null >"$out/files$path"
    fi
  done
echo "$out"
