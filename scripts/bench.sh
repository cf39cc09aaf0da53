#!/usr/bin/env bash
# One benchmark command (issue 13): against the cinetpay-sandbox server on 127.0.0.1, on one
# machine in one run, the same workload (N contacts + N payouts, chunks of 50, 4 in flight) by
#   the raw-HTTP limit (bench/src/main.rs `raw`: pre-encoded requests, reqwest, no SDK logic),
#   the Rust core, the Python binding and a hand-written httpx client (bench/python/),
#   the Node binding and a hand-written fetch client (bench/node/);
# then the same again with --latency-ms per request (wall against requests / concurrency x latency),
# import/require times, artifact sizes, the sandbox's request cost with 1,000,000 payouts held
# against an empty one (sandbox/examples/fill_and_measure.rs), and the CLI on many rows
# (scripts/bench-cli.sh).
# Prints a table of ratios, writes target/bench/report.json and target/bench/ratios.png.
# Every client must complete its workload with every payout accepted (checked on the sandbox's
# ledger): the script fails otherwise. It asserts nothing about time.
#
#   scripts/bench.sh [--quick] [--latency-ms MS] [--payouts N] [--cli-rows N] [--runs R] [--no-mobile]
#
# Full (default): release builds (cargo --release, maturin --release, napi --release, the mobile
# library in the release-mobile profile for its size unless --no-mobile), 5,000
# payouts, 5 runs per client (medians), 150 ms latency mode, the sandbox with 1,000,000 payouts
# held, CLI on 100,000 rows.
# --quick (CI): no release build at all: the debug builds (cargo's, and the bindings' that
# bindings-python/test.sh and bindings-node/test.sh left), 500 payouts, 1 run, CLI on 2,000 rows,
# the sandbox with 10,000 payouts held.
# Figures from debug builds say nothing about speed; quick mode exists so the benchmark cannot rot.
# --latency-ms 0 skips the latency mode, --cli-rows 0 the CLI. Tools (httpx, matplotlib, maturin) go in target/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/target/bench"
mkdir -p "$out"

quick=0 latency=150 payouts="" cli_rows="" runs="" mobile=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=1 ;;
        --latency-ms) latency="$2"; shift ;;
        --payouts) payouts="$2"; shift ;;
        --cli-rows) cli_rows="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --no-mobile) mobile=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
if [[ $quick == 1 ]]; then
    payouts="${payouts:-500}" cli_rows="${cli_rows:-2000}" runs="${runs:-1}" profile=debug
else
    payouts="${payouts:-5000}" cli_rows="${cli_rows:-100000}" runs="${runs:-5}" profile=release
fi
step() { printf '== %s\n' "$*" >&2; }
PYTHON="${PYTHON:-python3}"

step "python tools (target/bench/venv: bench/python/requirements.txt)"
venv="$out/venv"
[[ -x "$venv/bin/python" ]] || "$PYTHON" -m venv "$venv"
if ! cmp -s bench/python/requirements.txt "$venv/requirements.txt"; then
    "$venv/bin/pip" install -q --disable-pip-version-check -r bench/python/requirements.txt
    cp bench/python/requirements.txt "$venv/requirements.txt"
fi

node_pkg="$out/node-$profile"
rm -rf "$node_pkg"
mkdir -p "$node_pkg"
cp bindings-node/package.json "$node_pkg/"
wheel=""
if [[ $profile == release ]]; then
    step "release builds: sandbox, bench clients, CLI"
    cargo build -q --release --locked -p cinetpay-sandbox -p cinetpay-bench
    cargo build -q --release --locked -p cinetpay-sandbox --example fill_and_measure
    [[ $cli_rows == 0 ]] || cargo build -q --release --locked -p cinetpay-cli --bin cinetpay --example bench_core_bulk
    bin="$root/target/release"
    if [[ $mobile == 1 ]]; then
        step "mobile library (release-mobile profile: lto, one codegen unit; slow the first time)"
        # As bindings-mobile/test.sh builds it: the cdylib alone, unstripped (run.py strips a copy to
        # measure what ships, and breaks the symbols down by crate).
        CARGO_PROFILE_RELEASE_MOBILE_STRIP=false cargo rustc -q --locked -p cinetpay-transfer-mobile \
            --profile release-mobile --lib --crate-type cdylib
    fi

    step "python wheel (maturin build --release)"
    build_venv="$out/venv-build"
    [[ -x "$build_venv/bin/maturin" ]] || {
        "$PYTHON" -m venv "$build_venv"
        "$build_venv/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-build.txt
    }
    rm -rf "$out/wheels"
    args=(build --release --manifest-path bindings-python/Cargo.toml --out "$out/wheels" --interpreter "$build_venv/bin/python")
    PATH="$build_venv/bin:$PATH" "$build_venv/bin/maturin" "${args[@]}" --zig --compatibility manylinux2014 >&2 ||
        PATH="$build_venv/bin:$PATH" "$build_venv/bin/maturin" "${args[@]}" >&2
    wheel="$(ls "$out"/wheels/*.whl)"
    "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
    py_path=""

    step "node addon (napi build --profile release-node, as npm run build:release)"
    [[ -x bindings-node/node_modules/.bin/napi ]] || bindings-node/ci-install.sh
    (cd bindings-node && npx napi build --platform --profile release-node --output-dir "$node_pkg/native" \
        --js index.js --dts index.d.ts -- --locked >&2)
else
    step "debug builds (quick mode: no release build)"
    cargo build -q --locked -p cinetpay-sandbox -p cinetpay-bench
    cargo build -q --locked -p cinetpay-sandbox --example fill_and_measure
    [[ $cli_rows == 0 ]] || cargo build -q --locked -p cinetpay-cli --bin cinetpay --example bench_core_bulk
    bin="$root/target/debug"
    # The Python package from the debug native module bindings-python/test.sh built (maturin's
    # target directory), or a plain cargo debug build of it: the same code as the debug wheel.
    so="target/x86_64-unknown-linux-gnu/debug/libcinetpay_transfer_native.so"
    if [[ ! -f "$so" ]]; then
        cargo build -q --locked -p cinetpay-transfer-python
        so="target/debug/libcinetpay_transfer_native.so"
    fi
    py_path="$out/python-debug"
    rm -rf "$py_path"
    mkdir -p "$py_path"
    cp -r bindings-python/python/cinetpay_transfer "$py_path/"
    cp "$so" "$py_path/cinetpay_transfer/_native.abi3.so"
    # The Node addon bindings-node/test.sh left in bindings-node/native (debug), or a debug build.
    if ! ls bindings-node/native/*.node >/dev/null 2>&1; then
        [[ -x bindings-node/node_modules/.bin/napi ]] || bindings-node/ci-install.sh
        (cd bindings-node && npx napi build --platform --output-dir "$node_pkg/native" --js index.js --dts index.d.ts -- --locked >&2)
    else
        cp -r bindings-node/native "$node_pkg/"
    fi
fi

# The JS layer, compiled from bindings-node/ts against the loader's typings napi just wrote (tsc reads
# them from bindings-node/native/, where `npm run build` puts them; they are the same for every profile).
step "node JS layer (tsc: bindings-node/ts -> $node_pkg/lib)"
[[ -x bindings-node/node_modules/.bin/tsc ]] || bindings-node/ci-install.sh
mkdir -p bindings-node/native
cp "$node_pkg/native/index.js" "$node_pkg/native/index.d.ts" bindings-node/native/
(cd bindings-node && npx tsc -p tsconfig.json --outDir "$node_pkg/lib" >&2)

step "running the benchmark ($profile builds, $payouts payouts, $runs run(s) per client)"
exec "$venv/bin/python" bench/run.py --profile "$profile" --bin "$bin" --payouts "$payouts" --runs "$runs" \
    --latency-ms "$latency" --cli-rows "$cli_rows" --node-package "$node_pkg" --python-path "$py_path" \
    --wheel "$wheel" --out "$out" $([[ $quick == 1 ]] && echo --quick)
