"""Two builds of the Python binding and the Rust core taking turns on one sandbox (issue 13, item 4).

For a before/after of a change to the binding: each round runs ``clients.py binding`` with the
package at --before, then at --after, then ``cinetpay-bench core``, each on a reset sandbox (the
release one from --bin), so that the three share the machine's load of that moment. Prints one
JSON line per run (clients.py's figures, the run's name, N and round), then per N the medians:
wall, CPU, peak RSS, the phases' transient memory, and the rate against the core's (core wall
over the binding's wall, per round). For the transient memory, run it with PYTHONMALLOC=malloc
MIMALLOC_PURGE_DELAY=0 (see clients.py); for speed, without.

    python bench/python/turns.py --before DIR --after DIR [--bin target/release] 25000x1 100000x5

DIR: a directory holding the ``cinetpay_transfer`` package (an unpacked wheel).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402  (the sandbox of scripts/bench.sh)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", required=True)
    p.add_argument("--after", required=True)
    p.add_argument("--bin", default=str(ROOT / "target/release"))
    p.add_argument("plan", nargs="+", help="NxROUNDS, e.g. 100000x5")
    args = p.parse_args()
    clients = str(ROOT / "bench/python/clients.py")
    commands = {
        "before": ([sys.executable, clients, "binding"], {"PYTHONPATH": args.before}),
        "after": ([sys.executable, clients, "binding"], {"PYTHONPATH": args.after}),
        "core": ([f"{args.bin}/cinetpay-bench", "core"], {}),
    }
    sandbox = bench.Sandbox(f"{args.bin}/cinetpay-sandbox", 0)
    runs = []
    try:
        for step in args.plan:
            n, rounds = (int(x) for x in step.split("x"))
            for r in range(rounds):
                for name, (command, env) in commands.items():
                    sandbox.reset()
                    label = f"turns-{n}-{r}-{name}"
                    done = subprocess.run(command + [sandbox.base_url, str(n), label, "50", "4"],
                                          env={**os.environ, **env}, capture_output=True, text=True)
                    if done.returncode:
                        sys.exit(f"{label}: exit {done.returncode}: {done.stderr[-2000:]}")
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    if result["accepted"] != n:
                        sys.exit(f"{label}: {result['accepted']} of {n} accepted")
                    result.update(name=name, n=n, round=r, load=os.getloadavg()[0])
                    runs.append(result)
                    print(json.dumps(result), flush=True)
    finally:
        sandbox.stop()
    for n in sorted({r["n"] for r in runs}):
        of = {name: [r for r in runs if r["n"] == n and r["name"] == name] for name in commands}
        for name, mine in of.items():
            line = {"n": n, "name": name, "runs": len(mine)}
            for key in ("wall_s", "cpu_s", "peak_rss_mb"):
                line[key] = statistics.median(r[key] for r in mine)
            for phase in ("contacts", "payouts"):
                figures = [r["phases"][phase]["transient_mb"] for r in mine if r.get("phases")]
                if figures and None not in figures:
                    line[f"{phase}_transient_mb"] = statistics.median(figures)
            if name != "core":
                line["rate_vs_core"] = statistics.median(
                    c["wall_s"] / b["wall_s"] for b, c in zip(mine, of["core"]))
            print(json.dumps(line))


if __name__ == "__main__":
    main()
