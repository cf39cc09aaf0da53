#!/usr/bin/env bash
# `cinetpay payout` of an N-row CSV (default 100000) against the release sandbox server, next to
# the core's own bulk time for the same payouts (cli/examples/bench_core_bulk.rs), each against a
# fresh server. Prints wall time, CPU and peak RSS of both, the ratio the goal is about
# (docs/performance.md) and the load average (other work on the machine moves wall times).
# Nothing is asserted: figures depend on the machine.
#
#   scripts/bench-cli.sh [N] [LATENCY_MS]
#
# LATENCY_MS (default 0) is added by the sandbox to every request, as the live service's round trip
# would be: `scripts/bench-cli.sh 10000 150` shows what the CLI costs where requests take time.
#
# CINETPAY_BENCH_CLI / CINETPAY_BENCH_SERVER / CINETPAY_BENCH_CORE use other binaries (e.g. an
# older build, to compare); otherwise they are built in release first.
set -euo pipefail
N="${1:-100000}"
LATENCY_MS="${2:-0}"
cd "$(dirname "$0")/.."
CLI="${CINETPAY_BENCH_CLI:-target/release/cinetpay}"
SERVER="${CINETPAY_BENCH_SERVER:-target/release/cinetpay-sandbox}"
CORE="${CINETPAY_BENCH_CORE:-target/release/examples/bench_core_bulk}"
if [[ -z "${CINETPAY_BENCH_CLI:-}${CINETPAY_BENCH_SERVER:-}${CINETPAY_BENCH_CORE:-}" ]]; then
    cargo build -q --release -p cinetpay-cli --bin cinetpay --example bench_core_bulk
    cargo build -q --release -p cinetpay-sandbox --bin cinetpay-sandbox
fi
PORT="${CINETPAY_BENCH_PORT:-18089}"
work="$(mktemp -d)"
server=""
cleanup() { [[ -n "$server" ]] && kill "$(pgrep -P "$server")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# One payee per row: every row also registers a contact, as on a real payroll.
awk -v n="$N" 'BEGIN { print "phone,prefix,amount,name,surname";
    for (i = 0; i < n; i++) printf "07%08d,225,500,Awa,Kone%d\n", i, i }' > "$work/payouts.csv"

# The server runs under /usr/bin/time too: its CPU says whether it, not the client, is the limit.
start_server() {
    /usr/bin/time -v -o "$work/server.time" "$SERVER" --addr "127.0.0.1:$PORT" \
        --balance 1000000000000 --latency-ms "$LATENCY_MS" > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return
        sleep 0.1
    done
    echo "the sandbox server did not start: $(cat "$work/server.log")" >&2
    exit 1
}
stop_server() {
    kill "$(pgrep -P "$server")"
    wait "$server" 2>/dev/null || true
    server=""
}
# "wall_seconds cpu_seconds max_rss_mb" from a /usr/bin/time -v report.
figures() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0;
                    for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
                /User time/ { cpu += $2 } /System time/ { cpu += $2 }
                /Maximum resident set size/ { rss = $2 / 1024 }
                END { printf "%.2f %.2f %.1f\n", wall, cpu, rss }' "$1"
}

start_server
/usr/bin/time -v "$CORE" "http://127.0.0.1:$PORT/v1" "$work/payouts.csv" 2> "$work/core.time"
read -r core_wall core_cpu core_rss < <(figures "$work/core.time")
stop_server
read -r _ core_server_cpu _ < <(figures "$work/server.time")

start_server
rc=0
CINETPAY_API_KEY=sandbox-api-key CINETPAY_API_PASSWORD=sandbox-password \
    /usr/bin/time -v "$CLI" --base-url "http://127.0.0.1:$PORT/v1" payout "$work/payouts.csv" \
    --journal "$work/run.sqlite" --new-run --no-wait --yes --notify-url http://127.0.0.1:9/notify > "$work/cli.out" 2> "$work/cli.time" || rc=$?
stop_server
read -r _ cli_server_cpu _ < <(figures "$work/server.time")
# --no-wait leaves every payout pending: exit 4 is the expected end.
if [[ "$rc" != 4 ]]; then
    echo "cinetpay payout exited $rc:" >&2; head -20 "$work/cli.out" >&2
    grep -v '^\s' "$work/cli.time" | head -20 >&2
    exit 1
fi
read -r cli_wall cli_cpu cli_rss < <(figures "$work/cli.time")

echo "rows: $N (chunks of 25, 4 in flight, one contact per row; $LATENCY_MS ms added per request)"
printf '%-22s %9s %9s %12s %16s\n' "" "wall s" "CPU s" "peak RSS MB" "server CPU s"
printf '%-22s %9s %9s %12s %16s\n' "core Client::pay" "$core_wall" "$core_cpu" "$core_rss" "$core_server_cpu"
printf '%-22s %9s %9s %12s %16s\n' "cinetpay payout" "$cli_wall" "$cli_cpu" "$cli_rss" "$cli_server_cpu"
awk -v c="$core_wall" -v l="$cli_wall" 'BEGIN { printf "cli / core wall: %.2fx\n", l / c }'
# CPU moves much less than wall when other work shares the machine: the ratio to read then.
awk -v c="$core_cpu" -v l="$cli_cpu" 'BEGIN { printf "cli / core CPU: %.2fx\n", l / c }'
# Other work on the machine moves wall times (the client and the server share its CPUs).
echo "load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
