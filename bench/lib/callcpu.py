#!/usr/bin/env python3
"""callcpu.py FLOOR_DIR HOST RUNS [RUN_PREFIX]: host-side CPU of each helper call cutover sends.

Runs the floor's script for HOST (bench/lib/floor.py's FLOOR_DIR/HOST.sh) RUNS times, each helper
call wrapped on the host in a tiny Python program that runs the call under `sh -c` and appends the
call's CPU (getrusage RUSAGE_CHILDREN: the call and everything it waited for, microsecond
resolution; not the daemons it leaves running) to a log on the host. Between runs the host is
reverted (`revert RUN`, `unlock`), unmeasured. Also measures, over the same master, an empty
session (`true`: what sshd and root's login shell cost per call, from the cutime of the host's
sshd processes, averaged over 50 calls). Prints one row per call: min/median/max CPU ms over the
runs, then the sum of the medians. The floor's run id in HOST.sh is replaced by RUN_PREFIX-N.
"""
import os, re, shlex, statistics, subprocess, sys

H = "/var/lib/cutover/bin/cutover-helper"
WRAP = "/var/lib/cutover/callcpu-wrap.py"
LOG = "/var/lib/cutover/callcpu.log"
WRAPPER = r'''import os, resource, subprocess, sys
cmd = sys.argv[1]
w = cmd.split()
label = w[2] if w[:2] == ["sh", "%s"] else "facts(streamed)" if "facts" in w else "version" if "version" in w else "push" if w[0] == "mkdir" else w[0]
rc = subprocess.call(["sh", "-c", cmd])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open("%s", "a") as f:
    f.write("%%s %%d %%d\n" %% (label, ru.ru_utime * 1e6, ru.ru_stime * 1e6))
sys.exit(rc)
''' % (H, LOG)


def main():
    floor, host, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    prefix = sys.argv[4] if len(sys.argv) > 4 else "ccpu"
    cfg = os.path.join(floor, "ssh_config")
    script = open(os.path.join(floor, f"{host}.sh")).read()
    old_run = re.search(r"--run '?([A-Za-z0-9._-]+)", script).group(1)
    ssh = ["ssh", "-F", cfg, host]
    subprocess.run(ssh + [f"cat >{WRAP} && : >{LOG}"], input=WRAPPER.encode(), check=True)
    wrapped = script.replace(f's() {{ ssh -F {shlex.quote(cfg)} {host} "$@"; }}',
                             f's() {{ q=$(printf %s "$1" | sed "s/\'/\'\\\\\\\\\'\'/g"); '
                             f'ssh -F {shlex.quote(cfg)} {host} "python3 {WRAP} \'$q\'"; }}')
    assert wrapped != script
    for r in range(runs):
        rid = f"{prefix}-{r}"
        subprocess.run(["sh", "-c", wrapped.replace(old_run, rid)], check=True, stderr=subprocess.DEVNULL)
        subprocess.run(ssh + [f"sh {H} revert {rid} >/dev/null; sh {H} unlock --owner 'ctl=bench-floor run={rid}' >/dev/null 2>&1; true"], check=True)
    log = subprocess.run(ssh + [f"cat {LOG}"], capture_output=True, text=True, check=True).stdout
    per = {}
    order = []
    for line in log.splitlines():
        label, u, s = line.split()
        if label not in per:
            order.append(label)
        per.setdefault(label, []).append((int(u) + int(s)) / 1000)
    # repeated subcommands (file-install ×3, bind-reload ×2) are one row each, in the order sent
    print(f"| call (host {host}, {runs} runs) | calls per run | CPU ms per call min | median | max |")
    print("|---|---|---|---|---|")
    total = 0
    for label in order:
        xs = per[label]
        k = len(xs) // runs
        total += statistics.median(xs) * k
        print(f"| {label} | {k} | {min(xs):.1f} | {statistics.median(xs):.1f} | {max(xs):.1f} |")
    print(f"| **sum of the helper calls** | {sum(len(v) for v in per.values()) // runs} | | {total:.0f} | |")
    # the per-session cost outside the call: sshd's session fork and root's login shell (`bash -c`)
    sess = session_cost(ssh, host)
    print(f"| empty session (`true`) over the master: sshd + bash -c | | | {sess:.1f} | |")


def session_cost(ssh, host, n=50):
    def ticks():
        out = subprocess.run(ssh + ["for p in $(pgrep -x sshd); do cat /proc/$p/stat; done"], capture_output=True, text=True).stdout
        t = 0
        for line in out.splitlines():
            f = line[line.rindex(")") + 2:].split()
            t += sum(int(x) for x in f[11:15])  # utime stime cutime cstime
        return t
    before = ticks()
    for _ in range(n):
        subprocess.run(ssh + ["true"], check=True)
    after = ticks()
    # minus the two measuring sessions' own cat loops, roughly one empty session each
    return (after - before) * 1000 / os.sysconf("SC_CLK_TCK") / (n + 1)


if __name__ == "__main__":
    main()
