"""The driver of scripts/bench.sh (run it through that script, which builds what it needs).

Starts the cinetpay-sandbox server on 127.0.0.1 (a big balance, whitelisted: payouts are not
held), runs every client on the same workload against a reset sandbox, checks on the sandbox's
ledger that every payout of every client was accepted exactly once, then measures import/require
times, artifact sizes and the CLI (scripts/bench-cli.sh). Prints a table of ratios, writes
report.json and ratios.png in --out. Exits 1 when a client did not complete its workload; it
asserts nothing about time.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import size_breakdown

ROOT = Path(__file__).resolve().parent.parent
CHUNK, CONCURRENCY = 50, 4
# (name, language, peer): the peer is what the client's ratio "vs peer" is taken against.
CLIENTS = [
    ("raw", "rust", None),
    ("core", "rust", "raw"),
    # Inputs made on demand, results counted: its call MB is the call's own memory (issue 13, item 4).
    ("core-stream", "rust", "core"),
    ("python-binding", "python", "python-httpx"),
    ("python-httpx", "python", None),
    ("node-binding", "node", "node-fetch"),
    ("node-fetch", "node", None),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu(pid):
    """User + system CPU seconds of a running process (every thread)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sandbox:
    def __init__(self, binary, latency_ms):
        self.port = free_port()
        self.admin = f"http://127.0.0.1:{self.port}/_sandbox"
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        args = [binary, "--addr", f"127.0.0.1:{self.port}", "--balance", "1000000000000000"]
        if latency_ms:
            args += ["--latency-ms", str(latency_ms)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(200):
            try:
                self.get("/requests")
                return
            except OSError:
                time.sleep(0.05)
        self.proc.kill()
        raise SystemExit(f"the sandbox did not start: {self.proc.stderr.read().decode()}")

    def get(self, path):
        with urllib.request.urlopen(self.admin + path, timeout=60) as answer:
            return json.load(answer)

    def reset(self):
        request = urllib.request.Request(self.admin + "/reset", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert json.load(answer) == {"ok": True}

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def client_command(name, args):
    if name in ("raw", "core", "core-stream"):
        return [f"{args.bin}/cinetpay-bench", name]
    if name.startswith("python"):
        return [sys.executable, str(ROOT / "bench/python/clients.py"), name.split("-")[1]]
    return ["node", str(ROOT / "bench/node/clients.js"), name.split("-")[1]]


def client_env(args):
    env = dict(os.environ, CINETPAY_NODE_PACKAGE=args.node_package)
    if args.python_path:
        env["PYTHONPATH"] = args.python_path
    return env


def run_client(sandbox, name, n, label, args, failures):
    """One run on a reset sandbox: the client's own figures, the server's CPU, the ledger check."""
    sandbox.reset()
    server_cpu = proc_cpu(sandbox.proc.pid)
    command = client_command(name, args) + [sandbox.base_url, str(n), label, str(CHUNK), str(CONCURRENCY)]
    done = subprocess.run(command, env=client_env(args), capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"{label}: exit {done.returncode}: {done.stderr.strip()[-2000:]}")
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["server_cpu_s"] = proc_cpu(sandbox.proc.pid) - server_cpu
    ledger = [e for e in sandbox.get("/ledger") if e["client_transaction_id"].startswith(label + "-")]
    ids = {e["client_transaction_id"] for e in ledger}
    ok = (
        result["contacts_ok"] == n
        and result["accepted"] == n
        and len(ledger) == n
        and ids == {f"{label}-{i}" for i in range(n)}
        and all(e["accepted_count"] == 1 and e["sending_status"] == "CONFIRM" for e in ledger)
    )
    result["ledger_accepted"] = len(ledger)
    if not ok:
        failures.append(
            f"{label}: contacts {result['contacts_ok']}/{n}, accepted by the client {result['accepted']}/{n}, "
            f"in the ledger {len(ledger)}/{n} (every one accepted once and confirmed: "
            f"{all(e['accepted_count'] == 1 and e['sending_status'] == 'CONFIRM' for e in ledger)})"
        )
    return result


def median_run(runs):
    keys = ("wall_s", "cpu_s", "server_cpu_s", "rss_before_mb", "peak_rss_mb")
    out = dict(runs[0])
    for key in keys:
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    out["runs"] = len(runs)
    return out


def workloads(args, sandbox_bin, latency_ms, n, runs, failures, tag):
    sandbox = Sandbox(sandbox_bin, latency_ms)
    results = {}
    try:
        # Clients take turns run by run, so that load drift on the machine hits them alike.
        collected = {name: [] for name, _, _ in CLIENTS}
        for run in range(runs):
            for name, _, _ in CLIENTS:
                print(f"   {tag} run {run + 1}/{runs}: {name}", file=sys.stderr, flush=True)
                r = run_client(sandbox, name, n, f"{tag}-{name}-{run}", args, failures)
                if r:
                    collected[name].append(r)
        results = {name: median_run(rs) for name, rs in collected.items() if rs}
    finally:
        sandbox.stop()
    return results


def median_time(command, runs, env=None):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_times(args, runs):
    env = client_env(args)
    py = sys.executable
    bare_py = median_time([py, "-c", "pass"], runs, env)
    out = {
        "runs": runs,
        "python_bare_ms": bare_py * 1e3,
        "python_cinetpay_transfer_ms": (median_time([py, "-c", "import cinetpay_transfer"], runs, env) - bare_py) * 1e3,
        "python_httpx_ms": (median_time([py, "-c", "import httpx"], runs, env) - bare_py) * 1e3,
    }
    bare_node = median_time(["node", "-e", ""], runs, env)
    require = f"require({json.dumps(args.node_package)})"
    out["node_bare_ms"] = bare_node * 1e3
    out["node_cinetpay_transfer_ms"] = (median_time(["node", "-e", require], runs, env) - bare_node) * 1e3
    # Measured inside the process (no start-up noise): the import or require alone.
    def inside(command):
        return statistics.median(
            float(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout)
            for _ in range(runs))

    out["python_in_process_ms"] = inside(
        [py, "-c", "import time; t = time.perf_counter(); import cinetpay_transfer; print((time.perf_counter() - t) * 1e3)"])
    out["node_in_process_ms"] = inside(
        ["node", "-e", f"const t = process.hrtime.bigint(); {require}; console.log(Number(process.hrtime.bigint() - t) / 1e6)"])
    # Python's own account of the import (cumulative microseconds of the top-level module).
    done = subprocess.run([py, "-X", "importtime", "-c", "import cinetpay_transfer"], env=env,
                          capture_output=True, text=True, check=True)
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == "cinetpay_transfer":
            out["python_importtime_cumulative_ms"] = int(parts[1]) / 1e3
    return out


def artifact_sizes(args):
    sizes = {}
    if args.wheel:
        sizes["python_wheel"] = {"path": args.wheel, "bytes": os.path.getsize(args.wheel)}
        with zipfile.ZipFile(args.wheel) as wheel:
            for info in wheel.infolist():
                if info.filename.endswith(".so"):
                    sizes["python_wheel_so"] = {"path": info.filename, "bytes": info.file_size}
    elif args.python_path:
        so = Path(args.python_path) / "cinetpay_transfer/_native.abi3.so"
        sizes["python_native_so_debug"] = {"path": str(so), "bytes": so.stat().st_size}
    for addon in sorted(Path(args.node_package, "native").glob("*.node")):
        sizes["node_addon" if args.profile == "release" else "node_addon_debug"] = {
            "path": str(addon), "bytes": addon.stat().st_size}
    mobile = ROOT / "target/release-mobile/libcinetpay_mobile.so"
    if mobile.exists():
        # Built unstripped (as bindings-mobile/test.sh builds it), so that it can be broken down by
        # crate; the size that counts is the stripped one, what ships.
        stripped, by_crate, kept = size_breakdown.breakdown(str(mobile))
        sizes["mobile_so_release_mobile"] = {
            "path": str(mobile), "bytes": stripped,
            "by_crate": dict(by_crate.most_common(12)), "sections": dict(kept.most_common(8))}
    return sizes


def sandbox_scale(args, failures):
    """The sandbox's request cost with many payouts held against an empty one (issue 13: 1,000,000
    held within 1.5x): sandbox/examples/fill_and_measure.rs, its sizes taking turns block by block."""
    held = 10_000 if args.quick else 1_000_000
    rounds = 200 if args.quick else 2_000
    command = [f"{args.bin}/examples/fill_and_measure", "0", str(held), f"--rounds={rounds}"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"sandbox: fill_and_measure exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        return None
    # The table's last line: payouts, fill s, +RSS MB, wall us/req, wall ratio, CPU us/req, CPU ratio.
    last = done.stdout.strip().splitlines()[-1].split()
    return {"held": int(last[0]), "fill_s": float(last[1]), "rss_mb": float(last[2]),
            "wall_us": float(last[3]), "wall_ratio": float(last[4].rstrip("x")),
            "cpu_us": float(last[5]), "cpu_ratio": float(last[6].rstrip("x")), "rounds": rounds,
            "output": done.stdout}


def cli_bench(args, failures):
    env = dict(os.environ, CINETPAY_BENCH_CLI=f"{args.bin}/cinetpay",
               CINETPAY_BENCH_SERVER=f"{args.bin}/cinetpay-sandbox",
               CINETPAY_BENCH_CORE=f"{args.bin}/examples/bench_core_bulk",
               CINETPAY_BENCH_PORT=str(free_port()))
    # Each round runs the core then the CLI back to back, and the ratio is the median of the
    # rounds'. Twice as many rounds as runs per client, plus one: single rounds moved by 10% and
    # more from one minute to the next (1.01x to 1.29x within five rounds on this machine).
    rounds = 2 * args.runs + 1
    done = subprocess.run([str(ROOT / "scripts/bench-cli.sh"), str(args.cli_rows), "0", str(rounds)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"cli: scripts/bench-cli.sh exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        return None
    out = {"rows": args.cli_rows, "rounds": rounds, "output": done.stdout}
    for line in done.stdout.splitlines():
        if line.startswith("cli / core wall:"):
            out["cli_over_core_wall"] = float(line.split(":")[1].strip().rstrip("x"))
        for key, prefix in (("core", "core Client::pay"), ("cli", "cinetpay payout")):
            if line.startswith(prefix):
                # wall s, CPU s, peak RSS MB[, server CPU s]
                figures = [float(x) for x in line[len(prefix):].split()]
                out[key] = {"wall_s": figures[0], "cpu_s": figures[1], "peak_rss_mb": figures[2]}
                if len(figures) > 3:
                    out[key]["server_cpu_s"] = figures[3]
    if "cli_over_core_wall" not in out and "core" in out and "cli" in out:
        out["cli_over_core_wall"] = out["cli"]["wall_s"] / out["core"]["wall_s"]
    return out


def machine():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    lscpu = dict(
        (k.strip(), v.strip()) for k, v in (line.split(":", 1) for line in run(["lscpu"]).splitlines() if ":" in line)
    )
    return {"nproc": run(["nproc"]), "cpu": lscpu.get("Model name", platform.processor()),
            "load_average": os.getloadavg(), "python": platform.python_version(), "node": run(["node", "--version"]),
            "kernel": platform.release()}


def ratios(results):
    """Each client against the raw limit and against its peer (the peer's figure over the client's)."""
    out = {}
    raw = results.get("raw")
    for name, _, peer in CLIENTS:
        r = results.get(name)
        if not r:
            continue
        row = {}
        if raw:
            row["wall_vs_raw"] = r["wall_s"] / raw["wall_s"]
            row["cpu_vs_raw"] = r["cpu_s"] / raw["cpu_s"] if raw["cpu_s"] else None
        if name != "core" and results.get("core") and r is not results["core"]:
            # Issue 13, item 4: a binding sends the whole list in one call at >= 0.9x the core's rate.
            row["rate_vs_core"] = results["core"]["wall_s"] / r["wall_s"]
        if r.get("peak_rss_mb") is not None and r.get("rss_before_mb") is not None:
            row["call_mb"] = r["peak_rss_mb"] - r["rss_before_mb"]
        if peer and results.get(peer):
            p = results[peer]
            row["peer"] = peer
            row["peer_wall_over_this"] = p["wall_s"] / r["wall_s"]
            row["peer_cpu_over_this"] = p["cpu_s"] / r["cpu_s"] if r["cpu_s"] else None
        out[name] = row
    return out


def fmt(x, suffix="x"):
    return "-" if x is None else f"{x:.2f}{suffix}"


def print_table(report):
    n = report["payouts"]
    print(f"\n{n} contacts + {n} payouts, chunks of {CHUNK}, {CONCURRENCY} in flight; "
          f"{report['profile']} builds; median of {report['runs']} run(s) per client")
    if report["profile"] != "release":
        print("QUICK MODE: debug builds (quick mode builds nothing in release): the figures say nothing about speed")
    head = (f"{'client':<16}{'wall s':>8}{'CPU s/10k':>11}{'srv CPU':>9}{'wall/raw':>10}{'CPU/raw':>9}  {'peer':<14}"
            f"{'peer wall/this':>15}{'peer CPU/this':>14}{'rate/core':>10}{'call MB':>9}")
    if report.get("latency"):
        head += f"{'lat wall/min':>14}"
    print(head)
    for name, _, _ in CLIENTS:
        r = report["results"].get(name)
        if not r:
            print(f"{name:<16} FAILED")
            continue
        q = report["ratios"][name]
        line = (f"{name:<16}{r['wall_s']:>8.3f}{r['cpu_s'] * 10000 / n:>11.3f}{r['server_cpu_s']:>9.2f}"
                f"{fmt(q.get('wall_vs_raw')):>10}{fmt(q.get('cpu_vs_raw')):>9}  {q.get('peer', '-'):<14}"
                f"{fmt(q.get('peer_wall_over_this')):>15}{fmt(q.get('peer_cpu_over_this')):>14}"
                f"{fmt(q.get('rate_vs_core')):>10}{fmt(q.get('call_mb'), ''):>9}")
        if report.get("latency"):
            lat = report["latency"]["results"].get(name)
            line += f"{fmt(lat and lat['wall_over_minimum']):>14}"
        print(line)
    print("rate/core: the core's wall over this client's (each binding sends the whole list in one call); "
          "call MB: peak resident memory during the workload minus the resident memory before it "
          "(the bindings' inputs were built before, the Rust clients' inside)")
    if report.get("latency"):
        lat = report["latency"]
        print(f"latency mode: {lat['latency_ms']} ms per request; theoretical minimum = {lat['requests']} requests / "
              f"{CONCURRENCY} x {lat['latency_ms']} ms = {lat['minimum_s']:.2f} s (in whole rounds of {CONCURRENCY}: "
              f"{lat['rounds']} x {lat['latency_ms']} ms = {lat['minimum_rounds_s']:.2f} s; wall / that: "
              + ", ".join(f"{k} {v['wall_over_minimum_rounds']:.2f}x" for k, v in lat["results"].items()) + ")")
    imp = report["imports"] or {}
    if imp:
        print(f"import cinetpay_transfer: {imp['python_in_process_ms']:.1f} ms in process, "
              f"{imp['python_cinetpay_transfer_ms']:.1f} ms over bare python (import httpx: {imp['python_httpx_ms']:.1f} ms; "
              f"-X importtime: {imp.get('python_importtime_cumulative_ms', 0):.1f} ms); require('cinetpay-transfer'): "
              f"{imp['node_in_process_ms']:.1f} ms in process, {imp['node_cinetpay_transfer_ms']:.1f} ms over bare node "
              f"(medians of {imp['runs']})")
    for key, a in report["sizes"].items():
        print(f"size {key}: {a['bytes'] / 1e6:.2f} MB ({a['path']})")
        if a.get("by_crate"):
            print("  by crate: " + ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in a["by_crate"].items())
                  + f" (the rest no symbol covers: bench/size_breakdown.py {a['path']})")
    sandbox = report.get("sandbox")
    if sandbox:
        print(f"sandbox with {sandbox['held']} payouts held: a request costs {sandbox['wall_ratio']:.2f}x (wall), "
              f"{sandbox['cpu_ratio']:.2f}x (CPU) of an empty sandbox's ({sandbox['wall_us']:.0f} us; "
              f"filled in {sandbox['fill_s']:.1f} s, +{sandbox['rss_mb']:.0f} MB)")
    cli = report.get("cli")
    if cli and "cli" in cli:
        print(f"CLI on {cli['rows']} rows: {cli['cli']['wall_s']:.2f} s wall, {cli['cli']['cpu_s']:.2f} s CPU, "
              f"peak RSS {cli['cli']['peak_rss_mb']:.1f} MB; core Client::pay {cli['core']['wall_s']:.2f} s "
              f"(cli/core wall {cli['cli_over_core_wall']:.2f}x, median of {cli['rounds']} round(s))")


def chart(report, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing: no chart", file=sys.stderr)
        return None
    names = [name for name, _, _ in CLIENTS if name in report["ratios"]]
    q = report["ratios"]
    panels = [("against the raw-HTTP limit (lower is better)",
               [("wall", [q[n].get("wall_vs_raw") or 0 for n in names]),
                ("client CPU", [q[n].get("cpu_vs_raw") or 0 for n in names])], names)]
    with_peer = [n for n in names if "peer" in q[n]]
    panels.append(("peer / client (higher: the client wins)",
                   [("wall", [q[n]["peer_wall_over_this"] for n in with_peer]),
                    ("client CPU", [q[n]["peer_cpu_over_this"] or 0 for n in with_peer])], with_peer))
    if report.get("latency"):
        lat = report["latency"]["results"]
        lat_names = [n for n in names if n in lat]
        panels.append((f"latency {report['latency']['latency_ms']} ms: wall / theoretical minimum",
                       [("wall", [lat[n]["wall_over_minimum"] for n in lat_names])], lat_names))
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.8))
    for ax, (title, series, labels) in zip(axes, panels):
        width = 0.8 / len(series)
        for k, (label, values) in enumerate(series):
            xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(labels))]
            bars = ax.bar(xs, values, width, label=label)
            ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7)
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=25, ha="right", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("ratio (x)")
        ax.legend(fontsize=8)
    fig.suptitle(f"cinetpay bench: {report['payouts']} contacts + {report['payouts']} payouts, "
                 f"{report['profile']} builds, {report['machine']['nproc']} CPUs")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return str(path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--profile", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--payouts", type=int, required=True)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--cli-rows", type=int, default=0)
    p.add_argument("--node-package", required=True)
    p.add_argument("--python-path", default="")
    p.add_argument("--wheel", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failures = []
    sandbox_bin = f"{args.bin}/cinetpay-sandbox"
    n = args.payouts

    print(f"== clients ({n} payouts each)", file=sys.stderr, flush=True)
    results = workloads(args, sandbox_bin, 0, n, args.runs, failures, "bench")
    report = {"profile": args.profile, "quick": args.quick, "payouts": n, "chunk": CHUNK,
              "concurrency": CONCURRENCY, "runs": args.runs, "machine": machine(),
              "results": results, "ratios": ratios(results)}

    if args.latency_ms:
        print(f"== latency mode ({args.latency_ms} ms per request)", file=sys.stderr, flush=True)
        lat_results = workloads(args, sandbox_bin, args.latency_ms, n, 1, failures, f"lat{args.latency_ms}")
        requests = 1 + 2 * -(-n // CHUNK)
        minimum = requests / CONCURRENCY * args.latency_ms / 1e3
        # In whole rounds: the login alone, then the contacts and the payouts CONCURRENCY at a time.
        rounds = 1 + 2 * -(-(-(-n // CHUNK)) // CONCURRENCY)
        minimum_rounds = rounds * args.latency_ms / 1e3
        for r in lat_results.values():
            r["wall_over_minimum"] = r["wall_s"] / minimum
            r["wall_over_minimum_rounds"] = r["wall_s"] / minimum_rounds
        report["latency"] = {"latency_ms": args.latency_ms, "requests": requests, "minimum_s": minimum,
                             "rounds": rounds, "minimum_rounds_s": minimum_rounds, "results": lat_results}

    print("== import / require times", file=sys.stderr, flush=True)
    try:
        report["imports"] = import_times(args, 7 if args.quick else 21)
    except (subprocess.CalledProcessError, ValueError) as e:
        failures.append(f"import/require times: {e}")
        report["imports"] = None
    report["sizes"] = artifact_sizes(args)
    print("== the sandbox's request cost with payouts held (fill_and_measure)", file=sys.stderr, flush=True)
    report["sandbox"] = sandbox_scale(args, failures)
    if args.cli_rows:
        print(f"== CLI on {args.cli_rows} rows (scripts/bench-cli.sh)", file=sys.stderr, flush=True)
        report["cli"] = cli_bench(args, failures)
    report["chart"] = chart(report, out / "ratios.png")
    report["failures"] = failures
    (out / "report.json").write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"report: {out / 'report.json'}; chart: {report['chart']}")
    if failures:
        print("\nFAILED: not every client completed its workload with every payout accepted:", file=sys.stderr)
        for f in failures:
            print(f"  {f}", file=sys.stderr)
        sys.exit(1)
    print("every client completed its workload; every payout accepted once (checked on the sandbox ledger)")


if __name__ == "__main__":
    main()
