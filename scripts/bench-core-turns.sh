#!/usr/bin/env bash
# Two or more builds of the Rust core's bench client taking turns on one sandbox, for a
# before/after of one change to the core: each round runs `BIN core URL N LABEL` for every BIN
# given (the sandbox reset before each), and prints each one's wall and client CPU seconds; the
# last lines are the medians, and the median of the per-round ratios of each build to the first.
# Nothing is asserted: figures depend on the machine.
#
#   scripts/bench-core-turns.sh ROUNDS N BIN_BEFORE BIN_AFTER [BIN...]
#
# BIN: a `cinetpay-bench` binary (e.g. a copy of target/release/cinetpay-bench built at each
# commit). The sandbox is target/release/cinetpay-sandbox (CINETPAY_BENCH_SERVER to change it).
set -euo pipefail
[[ $# -ge 4 ]] || { awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 2; }
rounds="$1" n="$2"
shift 2
cd "$(dirname "$0")/.."
server="${CINETPAY_BENCH_SERVER:-target/release/cinetpay-sandbox}"
port="${CINETPAY_BENCH_PORT:-18127}"
"$server" --addr "127.0.0.1:$port" --balance 1000000000000000 > /dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
for round in $(seq "$rounds"); do
    line="round $round:"
    for bin in "$@"; do
        curl -s -X POST -d '{}' "http://127.0.0.1:$port/_sandbox/reset" > /dev/null
        line+=" $("$bin" core "http://127.0.0.1:$port/v1" "$n" "turns-$round-$RANDOM" 50 4 | tail -1 |
            python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print("%.3f/%.3f" % (d["wall_s"], d["cpu_s"]))')"
    done
    echo "$line"
done | tee /dev/stderr | python3 -c '
import statistics, sys
rows = [[tuple(map(float, cell.split("/"))) for cell in line.split(":", 1)[1].split()] for line in sys.stdin]
for i in range(len(rows[0])):
    wall = statistics.median(r[i][0] for r in rows)
    cpu = statistics.median(r[i][1] for r in rows)
    ratio = statistics.median(r[i][1] / r[0][1] for r in rows)
    print(f"build {i + 1}: median wall {wall:.3f} s, CPU {cpu:.3f} s; CPU / build 1, median of rounds: {ratio:.3f}")
'
