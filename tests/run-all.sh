#!/usr/bin/env bash
# Every test of the project: Rust unit, integration and doc tests, then the official
# Databricks SDK for Python driven against the fake account server (wire compatibility).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo test --all-targets
cargo test --doc
# The conformance suite runs the fake's binary; `cargo test` above already built it.
cargo build --bin dbx-console
bash tests/sdk_conformance/run.sh
