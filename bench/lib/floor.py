#!/usr/bin/env python3
"""floor.py PLAN.json RUN_ID OUTDIR INVENTORY HELPER: the parallel-SSH floor's per-host scripts.

From `cutover plan -o json` (the calls each host's steps send, with the rendered files) this writes
OUTDIR/HOST.sh, one plain sh script per host that sends the same helper calls cutover's engine
sends, in its order (the helper pushed first where its sha256 differs), each as its own `ssh HOST 'sh cutover-helper …'` over one OpenSSH
ControlMaster per host (OUTDIR/ssh_config): `version`, `lock`, `facts` (the helper streamed to
`sh -s`, as cutover does), every planned call (files on stdin), `guard-arm --to-last` before the
block, `guard-disarm` after it, `unlock`. No controller logic: no journal, no plan, no proof, no
rollback (a failing call only ends that host's script with its exit status; bench/run.sh reverts
and unlocks every host afterwards with the helper's `revert RUN`). HELPER is the local copy of the
helper (streamed for `facts`). Also writes OUTDIR/hosts (one script path a
line, for `xargs -P FORKS -n 1 sh`). Prints the number of hosts.
"""
import hashlib, json, os, re, shlex, sys

H = "/var/lib/cutover/bin/cutover-helper"
RENDERED = re.compile(r" < the rendered (\S+) \(\d+ bytes\)$")


def inventory_hosts(path):
    """host -> address and the lab's key, known_hosts, from the inventory lab/lab.sh wrote."""
    text = open(path).read()
    key = re.search(r"ansible_ssh_private_key_file: (\S+)", text).group(1)
    known = re.search(r"cutover_known_hosts: (\S+)", text).group(1)
    addrs = dict(re.findall(r"^\s+([a-z0-9-]+):\n\s+ansible_host: (\S+)", text, re.M))
    return addrs, key, known


def main():
    plan_path, run_id, out, inv, helper = sys.argv[1:6]
    plan = json.load(open(plan_path))
    addrs, key, known = inventory_hosts(inv)
    sha = hashlib.sha256(open(helper, "rb").read()).hexdigest()
    os.makedirs(out, exist_ok=True)
    cfg = os.path.join(out, "ssh_config")
    with open(cfg, "w") as f:
        for host in (h["host"] for h in plan["hosts"]):
            f.write(f"Host {host}\n  HostName {addrs[host]}\n")
        f.write(f"Host *\n  User root\n  IdentityFile {key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {known}\n"
                f"  StrictHostKeyChecking yes\n  BatchMode yes\n  ControlMaster auto\n  ControlPersist 60s\n"
                f"  ControlPath {out}/cm-%h\n")
    qname = f"cutover-probe-{run_id}.invalid"
    owner = f"ctl=bench-floor run={run_id}"
    scripts = []
    for hp in plan["hosts"]:
        host = hp["host"]
        guard = hp.get("guard") or {}
        paths = sorted({f["path"] for s in hp["steps"] for f in s["files"]})
        lines = ["#!/bin/sh", f"# the floor on {host}: cutover's helper calls, one ssh each over one master",
                 "set -e", f"s() {{ ssh -F {shlex.quote(cfg)} {host} \"$@\"; }}",
                 # cutover's install(): `version`, and the helper pushed when its sha256 differs
                 f"s {shlex.quote(f'if [ -f {H} ]; then sh {H} version; fi')} </dev/null | grep -q {sha} ||",
                 f"  s {shlex.quote(f'mkdir -p {os.path.dirname(H)} && cat >{H} && chmod 0700 {H}')} <{shlex.quote(helper)}",
                 f"s {shlex.quote(f'sh {H} lock --owner ' + shlex.quote(owner))} </dev/null >/dev/null",
                 f"s {shlex.quote(' '.join(['sh -s -- facts --proc named'] + [f'--file {p}' for p in paths]))} <{shlex.quote(helper)} >/dev/null"]
        for s in hp["steps"]:
            if s["number"] == guard.get("armed_before_step"):
                lines += [f"s \"sh {H} guard-arm --run {run_id} --to-last {guard['deadline_ms'] // 1000}\" </dev/null >/dev/null"]
            for c in s["commands"]:
                c = c.replace("<run id>", run_id).replace("<the name the trigger looked up>", qname)
                stdin = "/dev/null"
                m = RENDERED.search(c)
                if m:
                    c = c[:m.start()]
                    content = next(f["content"] for f in s["files"] if f["path"] == m.group(1))
                    stdin = os.path.join(out, f"{host}.{s['number']}.in")
                    open(stdin, "w").write(content)
                assert c.startswith("cutover-helper "), c
                lines.append(f"s {shlex.quote('sh ' + H + c[len('cutover-helper'):])} <{stdin} >/dev/null")
            if s["number"] == guard.get("disarmed_after_step"):
                lines.append(f"s {shlex.quote(f'sh {H} guard-disarm --run {run_id}')} </dev/null >/dev/null")
        lines.append(f"s {shlex.quote(f'sh {H} unlock --owner ' + shlex.quote(owner))} </dev/null >/dev/null")
        path = os.path.join(out, f"{host}.sh")
        open(path, "w").write("\n".join(lines) + "\n")
        scripts.append(path)
    open(os.path.join(out, "hosts"), "w").write("\n".join(scripts) + "\n")
    print(len(scripts))


if __name__ == "__main__":
    main()
