#!/usr/bin/env bash
# `cinetpay payout` of an N-row CSV (default 100000) against the release sandbox server, next to
# the core's own bulk time for the same payouts (cli/examples/bench_core_bulk.rs), each against a
# fresh server. Prints wall time, CPU and peak RSS of both, the ratio the goal is about
# (docs/performance.md) and the load average (other work on the machine moves wall times).
# Nothing is asserted: figures depend on the machine.
#
#   scripts/bench-cli.sh [N] [LATENCY_MS] [ROUNDS]
#
# LATENCY_MS (default 0) is added by the sandbox to every request, as the live service's round trip
# would be: `scripts/bench-cli.sh 10000 150` shows what the CLI costs where requests take time.
#
# ROUNDS (default 1): on a shared or virtual machine wall times move by 10% or more from one
# minute to the next, so compare within rounds: each round runs the core, then the CLI (then the
# baseline CLI, if given), each against a fresh server, and prints their ratio; the table then
# holds each column's median and the ratio line the median of the rounds' ratios.
#
# CINETPAY_BENCH_CLI / CINETPAY_BENCH_SERVER / CINETPAY_BENCH_CORE use other binaries (e.g. an
# older build, to compare); otherwise they are built in release first. CINETPAY_BENCH_CLI_BASELINE
# adds another CLI build to every round (e.g. the last release, to measure a change against it).
set -euo pipefail
N="${1:-100000}"
LATENCY_MS="${2:-0}"
ROUNDS="${3:-1}"
BASELINE="${CINETPAY_BENCH_CLI_BASELINE:-}"
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

# Runs the core against a fresh server: sets core_wall core_cpu core_rss core_server_cpu.
run_core() {
    start_server
    /usr/bin/time -v "$CORE" "http://127.0.0.1:$PORT/v1" "$work/payouts.csv" 2> "$work/core.time" > /dev/null
    read -r core_wall core_cpu core_rss < <(figures "$work/core.time")
    stop_server
    read -r _ core_server_cpu _ < <(figures "$work/server.time")
}

# Runs CLI binary $1 against a fresh server, in a new journal: sets cli_wall cli_cpu cli_rss
# cli_server_cpu.
run_cli() {
    rm -f "$work"/run.sqlite*
    start_server
    local rc=0
    CINETPAY_API_KEY=sandbox-api-key CINETPAY_API_PASSWORD=sandbox-password \
        /usr/bin/time -v "$1" --base-url "http://127.0.0.1:$PORT/v1" payout "$work/payouts.csv" \
        --journal "$work/run.sqlite" --new-run --no-wait --yes --notify-url http://127.0.0.1:9/notify > "$work/cli.out" 2> "$work/cli.time" || rc=$?
    stop_server
    read -r _ cli_server_cpu _ < <(figures "$work/server.time")
    # --no-wait leaves every payout pending: exit 4 is the expected end.
    if [[ "$rc" != 4 ]]; then
        echo "$1 payout exited $rc:" >&2; head -20 "$work/cli.out" >&2
        grep -v '^\s' "$work/cli.time" | head -20 >&2
        exit 1
    fi
    read -r cli_wall cli_cpu cli_rss < <(figures "$work/cli.time")
}

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -a core_walls core_cpus core_rsss core_servers cli_walls cli_cpus cli_rsss cli_servers base_walls base_cpus base_rsss base_servers wall_ratio cpu_ratio base_ratio
for round in $(seq "$ROUNDS"); do
    run_core
    core_walls+=("$core_wall") core_cpus+=("$core_cpu") core_rsss+=("$core_rss") core_servers+=("$core_server_cpu")
    run_cli "$CLI"
    cli_walls+=("$cli_wall") cli_cpus+=("$cli_cpu") cli_rsss+=("$cli_rss") cli_servers+=("$cli_server_cpu")
    wall_ratio+=("$(ratio "$cli_wall" "$core_wall")") cpu_ratio+=("$(ratio "$cli_cpu" "$core_cpu")")
    line="round $round: core $core_wall s, cli $cli_wall s (${wall_ratio[-1]}x)"
    if [[ -n "$BASELINE" ]]; then
        run_cli "$BASELINE"
        base_walls+=("$cli_wall") base_cpus+=("$cli_cpu") base_rsss+=("$cli_rss") base_servers+=("$cli_server_cpu")
        base_ratio+=("$(ratio "$cli_wall" "$core_wall")")
        line+=", baseline $cli_wall s (${base_ratio[-1]}x)"
    fi
    [[ "$ROUNDS" == 1 ]] || echo "$line"
done

echo "rows: $N (chunks of 25, 4 in flight, one contact per row; $LATENCY_MS ms added per request)"
[[ "$ROUNDS" == 1 ]] || echo "medians of $ROUNDS rounds"
printf '%-22s %9s %9s %12s %16s\n' "" "wall s" "CPU s" "peak RSS MB" "server CPU s"
printf '%-22s %9s %9s %12s %16s\n' "core Client::pay" "$(median "${core_walls[@]}")" "$(median "${core_cpus[@]}")" "$(median "${core_rsss[@]}")" "$(median "${core_servers[@]}")"
printf '%-22s %9s %9s %12s %16s\n' "cinetpay payout" "$(median "${cli_walls[@]}")" "$(median "${cli_cpus[@]}")" "$(median "${cli_rsss[@]}")" "$(median "${cli_servers[@]}")"
[[ -z "$BASELINE" ]] || printf '%-22s %9s %9s %12s %16s\n' "baseline payout" "$(median "${base_walls[@]}")" "$(median "${base_cpus[@]}")" "$(median "${base_rsss[@]}")" "$(median "${base_servers[@]}")"
echo "cli / core wall: $(median "${wall_ratio[@]}")x"
[[ -z "$BASELINE" ]] || echo "baseline / core wall: $(median "${base_ratio[@]}")x"
# CPU moves much less than wall when other work shares the machine: the ratio to read then.
echo "cli / core CPU: $(median "${cpu_ratio[@]}")x"
# Other work on the machine moves wall times (the client and the server share its CPUs).
echo "load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
