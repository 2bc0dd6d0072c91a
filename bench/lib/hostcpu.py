#!/usr/bin/env python3
"""hostcpu.py LAB_STATE_DIR: CPU seconds (user+sys) used so far by the SSH sessions of the lab's
app and light hosts: the cutime+cstime of each host's listening sshd (the child of the host's
PID 1), i.e. every finished SSH session with everything it ran (helper calls, Ansible's python
modules). Daemons a session leaves running (named, tcpdump) are not in it. The difference
before/after a controller run is the host-side cost of that run."""
import glob, os, sys

tick = os.sysconf("SC_CLK_TCK")
total = 0
for f in glob.glob(os.path.join(sys.argv[1], "pids", "*.init")):
    name = os.path.basename(f)
    if not (name.startswith("light") or name.startswith("app")):
        continue
    try:
        pid = open(f).read().split()[0]
        kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except (OSError, IndexError):
        continue
    for c in kids:
        try:
            stat = open(f"/proc/{c}/stat").read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        if comm == "sshd":
            fields = stat[stat.rindex(")") + 2:].split()
            total += int(fields[13]) + int(fields[14])  # cutime, cstime (fields 16, 17 of stat)
print(f"{total / tick:.2f}")
