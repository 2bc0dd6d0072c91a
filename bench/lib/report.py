#!/usr/bin/env python3
"""bench/lib/report.py RAW.jsonl OUTDIR META_JSON: tables, latest.json and the plot from one bench run.

Every cutover measurement carries the path of its run's journal; the per-host numbers (host time,
the six-step block and its breakdown) come from the journal's timestamps and step timings.
"""
import datetime, json, os, statistics, subprocess, sys


def ts(s):
    # 2026-11-25T19:13:37.656066221Z -> seconds (nanoseconds cut to microseconds)
    base, frac = s.rstrip("Z").split(".")
    t = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + float("0." + frac)


def journal_stats(path):
    hosts = {}
    for line in open(path):
        e = json.loads(line)
        h = e.get("host")
        if not h:
            continue
        d = hosts.setdefault(h, {"steps": {}})
        t = e["type"]
        if t == "host-start":
            d["start"] = ts(e["ts"])
        elif t == "host-end":
            d["end"] = ts(e["ts"]); d["status"] = e["status"]
        elif t == "guard-armed":
            d["armed"] = ts(e["ts"])
        elif t == "guard-disarmed":
            d["disarmed"] = ts(e["ts"])
        elif t == "step-done":
            d["steps"][e["name"]] = {"ms": e["ms"], "data": e.get("data") or {}}
    out = {}
    for h, d in hosts.items():
        r = {"status": d.get("status")}
        if "start" in d and "end" in d:
            r["host_s"] = d["end"] - d["start"]
        if "armed" in d and "disarmed" in d:
            st = d["steps"]
            r["block_ms"] = (d["disarmed"] - d["armed"]) * 1000
            r["trigger_ms"] = st.get("trigger", {}).get("ms")
            r["capture_ms"] = st.get("capture", {}).get("ms")
            r["capture_ready_ms"] = st.get("capture", {}).get("data", {}).get("ready_ms")
            r["verify_ms"] = st.get("verify", {}).get("ms")
            r["refresh_ms"] = st.get("refresh", {}).get("ms")
        out[h] = r
    return out


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def spread(xs, fmt="{:.2f}"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    if len(xs) == 1:
        return fmt.format(xs[0])
    return (fmt + " ({}–{})").format(statistics.median(xs), fmt.format(min(xs)), fmt.format(max(xs)))


def main():
    raw, out, meta = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    recs = [json.loads(l) for l in open(raw) if l.strip()]
    loads = [float(r["loadavg"]) for r in recs if r.get("loadavg")]
    for r in recs:
        if r.get("tool") == "cutover" and r.get("journal") and os.path.exists(r["journal"]):
            js = journal_stats(r["journal"])
            hs = [v["host_s"] for v in js.values() if "host_s" in v]
            r["hosts_done"] = sum(1 for v in js.values() if v.get("status") in ("CHANGED", "OK"))
            r["hosts_failed"] = len(js) - r["hosts_done"]
            r["slowest_host_s"] = round(max(hs), 3) if hs else None
            r["median_host_s"] = round(statistics.median(hs), 3) if hs else None
            r["overhead"] = round(r["wall_s"] / max(hs), 3) if hs and r["forks"] >= r["hosts"] else None
            r["blocks"] = [dict(host=h, **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in s.items()})
                           for h, s in sorted(js.items()) if "block_ms" in s]
        if r.get("journal"):
            del r["journal"]
    meta["loadavg_min"] = min(loads) if loads else None
    meta["loadavg_max"] = max(loads) if loads else None
    meta["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    os.makedirs(out, exist_ok=True)
    json.dump({"meta": meta, "measurements": recs}, open(os.path.join(out, "latest.json"), "w"), indent=1)
    with open(os.path.join(out, "raw.jsonl"), "w") as f:  # what `run.sh --append` starts from
        f.writelines(json.dumps(r) + "\n" for r in recs)

    md = []
    md.append(f"Measured {meta['date']} on this machine ({meta['cpus']} CPUs, kernel {meta['kernel']}), commit {meta['commit']}, "
              f"{meta['ansible']}; {'--quick' if meta['quick'] else 'full run'}: {meta['runs']} run(s) per point, forks {meta['forks']}. "
              f"Load average (1 min) during the measurements: {meta['loadavg_min']}–{meta['loadavg_max']} "
              f"(the machine is shared; see bench/README.md). Cells: median (min–max) over the runs.\n")

    # 1. compare
    cmp_ = [r for r in recs if r.get("phase") == "compare"]
    sizes = sorted({r["hosts"] for r in cmp_})
    t = ["| hosts | tool | wall s | controller CPU s | peak RSS MB (tree) | largest process RSS MB | SSH connections | host-side CPU s (SSH sessions) | failed runs/hosts |",
         "|---|---|---|---|---|---|---|---|---|"]
    summary = {}
    ratios = ["| hosts | Ansible ÷ cutover wall | Ansible ÷ cutover CPU | Ansible ÷ cutover SSH connections | cutover ÷ floor wall | cutover ÷ floor CPU |",
              "|---|---|---|---|---|---|"]
    for n in sizes:
        m = {}
        for tool in ("cutover", "floor", "ansible"):
            rs = [r for r in cmp_ if r["hosts"] == n and r["tool"] == tool]
            if not rs:
                continue
            m[tool] = (med([r["wall_s"] for r in rs]), med([r["cpu_s"] for r in rs]), med([r["ssh_connections"] for r in rs]))
            fails = sum(1 for r in rs if r["exit"] != 0)
            hf = sum(r.get("hosts_failed", 0) for r in rs)
            t.append(f"| {n} | {tool} | {spread([r['wall_s'] for r in rs])} | {spread([r['cpu_s'] for r in rs])} | "
                     f"{spread([r['rss_mb'] for r in rs], '{:.0f}')} | {spread([r['max_single_rss_mb'] for r in rs], '{:.0f}')} | "
                     f"{spread([r['ssh_connections'] for r in rs], '{:.0f}')} | {spread([r.get('host_cpu_s') for r in rs], '{:.1f}')} | {fails} runs failed" + f" ({hf} hosts" + (": " + ", ".join(sorted({x for r in rs for x in r.get("failures", [])})) if tool == "ansible" and hf else "") + ")" + " |")
        if "cutover" in m and "ansible" in m:
            summary[n] = m
            fl = m.get("floor")
            ratios.append(f"| {n} | {m['ansible'][0] / m['cutover'][0]:.1f}× | {m['ansible'][1] / m['cutover'][1]:.1f}× | "
                          f"{m['ansible'][2] / max(m['cutover'][2], 1):.1f}× | "
                          + (f"{m['cutover'][0] / fl[0]:.2f}× | {m['cutover'][1] / fl[1]:.2f}× |" if fl else "– | – |"))
    compare_md = "\n".join(t) + "\n\n" + "\n".join(ratios) + "\n"

    # 2. scale
    sc = [r for r in recs if r.get("phase") == "scale"]
    t = ["| hosts | forks | wall s | CPU s | peak RSS MB | wall per host ms | slowest host s | overhead (wall ÷ slowest host) | host-side CPU s | failed hosts |",
         "|---|---|---|---|---|---|---|---|---|---|"]
    for n, f in sorted({(r["hosts"], r["forks"]) for r in sc}):
        rs = [r for r in sc if r["hosts"] == n and r["forks"] == f]
        t.append(f"| {n} | {f} | {spread([r['wall_s'] for r in rs])} | {spread([r['cpu_s'] for r in rs])} | "
                 f"{spread([r['rss_mb'] for r in rs], '{:.0f}')} | {spread([r['wall_s'] * 1000 / n for r in rs], '{:.0f}')} | "
                 f"{spread([r.get('slowest_host_s') for r in rs])} | "
                 f"{spread([r.get('overhead') for r in rs]) if f >= n else 'n/a (forks < hosts)'} | "
                 f"{spread([r.get('host_cpu_s') for r in rs], '{:.1f}')} | "
                 f"{sum(r.get('hosts_failed', 0) for r in rs)} |")
    scale_md = "\n".join(t) + "\n"

    # 3. freeze
    fr = [r for r in recs if r.get("tool") == "freeze"]
    t = ["| method | runs | stall min ms | stall median ms | stall max ms | refresh command median ms | failed runs | sessions dropped | errors |",
         "|---|---|---|---|---|---|---|---|---|"]
    for r in fr:
        s = [x for x in r["stall_ms"] if x is not None]
        errs = "; ".join(e.replace("|", "/")[:120] for e in r.get("errors", []))
        t.append(f"| {r['method']} | {len(r['stall_ms'])} | {min(s) if s else '–'} | {statistics.median(s) if s else '–'} | {max(s) if s else '–'} | "
                 f"{med(r['helper_ms'])} | {r['failed_runs']} | {r['dropped']} | {errs or '–'} |")
    freeze_md = "\n".join(t) + "\n"

    # 4. block
    t = ["| hosts | host runs | block total ms | trigger ms | capture start ms (tcpdump warm-up) | verify ms | rest of the block ms | block − trigger ms |",
         "|---|---|---|---|---|---|---|---|"]
    groups = [("app1 (pgbouncer trigger, gdb-cares refresh), alone", lambda r: r.get("phase") == "app")]
    for ph, n, f in sorted({(r["phase"], r["hosts"], r["forks"]) for r in recs
                            if r.get("tool") == "cutover" and r.get("phase") in ("compare", "scale")}, key=lambda x: (x[1], x[2], x[0])):
        groups.append((f"light (getent trigger), {n} at once, forks {f} ({ph} runs)",
                       lambda r, ph=ph, n=n, f=f: r.get("phase") == ph and r["hosts"] == n and r["forks"] == f))
    for label, sel in groups:
        bs = [b for r in recs if r.get("tool") == "cutover" and sel(r) for b in r.get("blocks", [])]
        if not bs:
            continue
        rest = [b["block_ms"] - (b["trigger_ms"] or 0) - (b["capture_ms"] or 0) - (b["verify_ms"] or 0) for b in bs]
        t.append(f"| {label} | {len(bs)} | {spread([b['block_ms'] for b in bs], '{:.0f}')} | {spread([b['trigger_ms'] for b in bs], '{:.0f}')} | "
                 f"{spread([b['capture_ms'] for b in bs], '{:.0f}')} (ready {spread([b['capture_ready_ms'] for b in bs], '{:.0f}')}) | "
                 f"{spread([b['verify_ms'] for b in bs], '{:.0f}')} | {spread(rest, '{:.0f}')} | "
                 f"{spread([b['block_ms'] - (b['trigger_ms'] or 0) for b in bs], '{:.0f}')} |")
    block_md = "\n".join(t) + "\n"

    for name, body, title in (("compare.md", compare_md, "Same work, two controllers (light hosts)"),
                              ("scale.md", scale_md, "Scale: cutover alone"), ("freeze.md", freeze_md, "The freeze"),
                              ("block.md", block_md, "The six-step block per host")):
        open(os.path.join(out, name), "w").write(f"# {title}\n\n{md[0]}\n{body}")

    # plot: wall vs hosts
    pts = {"cutover": {}, "ansible": {}, "floor": {}}
    for r in recs:
        if r.get("phase") in ("compare", "scale") and r["tool"] in pts and r["forks"] == meta["forks"]:
            pts[r["tool"]].setdefault(r["hosts"], []).append(r["wall_s"])
    dat = os.path.join(out, "wall-vs-hosts.dat")
    with open(dat, "w") as f:
        for tool in ("cutover", "ansible", "floor"):
            f.write(f"# {tool}: hosts median min max\n")
            for n in sorted(pts[tool]):
                xs = pts[tool][n]
                f.write(f"{n} {statistics.median(xs):.3f} {min(xs):.3f} {max(xs):.3f}\n")
            f.write("\n\n")
    png = os.path.join(out, "wall-vs-hosts.png")
    gp = f"""set terminal pngcairo size 900,560 font ",11"
set output '{png}'
set title "Wall time of the whole rollout vs light hosts (forks {meta['forks']}, median and range)"
set xlabel "light hosts"; set ylabel "wall time, s"; set key top left; set grid
set xrange [0:*]; set yrange [0:*]
plot '{dat}' index 0 using 1:2:3:4 with yerrorlines lw 2 title 'cutover', \\
     '{dat}' index 1 using 1:2:3:4 with yerrorlines lw 2 title 'Ansible (ansible-core, same helper calls)'""" + (
        f""", \\\n     '{dat}' index 2 using 1:2:3:4 with yerrorlines lw 2 title 'floor (plain parallel SSH, same helper calls)'"""
        if pts["floor"] else "") + "\n"
    try:
        subprocess.run(["gnuplot"], input=gp, text=True, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: gnuplot failed: {e}", file=sys.stderr)

    one = ""
    if summary:
        n = max(summary)
        c, a = summary[n]["cutover"], summary[n]["ansible"]
        one = (f"**{n} hosts: cutover {c[0]:.1f} s, Ansible {a[0]:.1f} s** ({a[0] / c[0]:.1f}× the wall time; "
               f"controller CPU {c[1]:.1f} s vs {a[1]:.1f} s, {a[1] / c[1]:.1f}×)")
        fl = summary[n].get("floor")
        one += (f"; the parallel-SSH floor (same helper calls, no controller logic) {fl[0]:.1f} s, {fl[1]:.1f} s CPU: "
                f"cutover ÷ floor {c[0] / fl[0]:.2f}× wall, {c[1] / fl[1]:.2f}× CPU." if fl else ".")
    readme = [f"# Benchmark results\n", one + "\n", md[0], "Rerun: `sudo bench/run.sh` (see [../README.md](../README.md)). "
              "Raw numbers: [latest.json](latest.json). Plot: [wall-vs-hosts.png](wall-vs-hosts.png).\n",
              "What the numbers mean, targets met and missed: [analysis.md](analysis.md) (written for the committed run; "
              "a rerun rewrites every other file here).\n",
              "![wall time vs hosts](wall-vs-hosts.png)\n",
              "## 1. Same work, two controllers\n", compare_md, "## 2. Scale (cutover alone)\n", scale_md,
              "## 3. The freeze (client-observed pgbouncer stall during the refresh, app1)\n", freeze_md,
              "## 4. The six-step block per host (from the journals)\n", block_md]
    open(os.path.join(out, "README.md"), "w").write("\n".join(readme))
    print(one)


if __name__ == "__main__":
    main()
