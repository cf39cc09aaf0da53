#!/usr/bin/env bash
# Runs every test suite of the project, the way CI does. Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/check-translations.sh  # French pages: every English heading has its counterpart (issue 16)
echo "== rustfmt"
cargo fmt --all --check
echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== rustdoc (broken or private links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p cinetpay-transfer -p cinetpay-sandbox
echo "== rust tests (core, sandbox, cli, conformance)"
cargo test --workspace --locked -- --skip never_twice_under_generated_fault_sequences
echo "== never twice, proven: generated fault sequences against a model of the service with a ledger"
cargo test -p cinetpay-transfer --test never_twice_model --locked -- --nocapture --exact never_twice_under_generated_fault_sequences
echo "== python binding (sdist; the release wheel pip builds from it, checked and size-budgeted; fresh venv, pytest against the installed package, mypy)"
./bindings-python/test.sh --from-sdist
echo "== node binding (release addon; both tarballs packed, guarded, size-budgeted, publint/attw; installed in a fresh project, node --test)"
./bindings-node/test.sh --release
echo "== kotlin binding (release-mobile library, size-budgeted; the jar installed; JUnit in a consumer project against the sandbox) and swift generation check"
./bindings-mobile/test.sh
echo "== install checks (licences, one address, README Install section, cargo install --path cli, actionlint)"
./scripts/install-check.sh
echo "== benchmark, quick mode (issue 13; debug builds): every client completes its workload, every payout accepted on the ledger; no time asserted"
./scripts/bench.sh --quick
