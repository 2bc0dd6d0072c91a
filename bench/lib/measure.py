#!/usr/bin/env python3
"""Run one controller command and measure what the controller costs.

  measure.py OUT.json -- CMD ARG...

This process becomes a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so every process the
command starts stays in its tree even when it daemonizes (OpenSSH ControlPersist masters do).
When the command exits, the daemons left behind (ControlPersist masters) are ended by PID and
reaped, so their CPU is counted too. Writes one JSON object:
  wall_s   the command's wall time
  cpu_s    user+sys of every process of the tree (getrusage RUSAGE_CHILDREN after all are reaped)
  rss_mb   peak of the summed RSS of the tree, sampled every 0.2 s (/proc/PID/task/TID/children)
  max_single_rss_mb  the largest single process (ru_maxrss), what /usr/bin/time -v reports
  exit     the command's exit status
"""
import ctypes, json, os, resource, signal, subprocess, sys, threading, time

PR_SET_CHILD_SUBREAPER = 36


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(root):
    seen, todo = [], [root]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children(p)
    return seen


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


def main():
    out_path, cmd = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
    me = os.getpid()
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            total = sum(rss_kb(p) for p in tree(me) if p != me)
            peak[0] = max(peak[0], total)
            done.wait(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    t.start()
    rc = proc.wait()
    wall = time.monotonic() - t0
    done.set()
    t.join()
    # Daemons the command left behind (ssh ControlPersist masters): end them by PID, reap them.
    left = children(me)
    for p in left:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.05)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = {"wall_s": round(wall, 3), "cpu_s": round(ru.ru_utime + ru.ru_stime, 3), "user_s": round(ru.ru_utime, 3),
           "sys_s": round(ru.ru_stime, 3), "rss_mb": round(peak[0] / 1024, 1),
           "max_single_rss_mb": round(ru.ru_maxrss / 1024, 1), "exit": rc, "daemons_left": len(left)}
    with open(out_path, "w") as f:
        json.dump(res, f)
    sys.exit(rc)


if __name__ == "__main__":
    main()
