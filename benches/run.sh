#!/usr/bin/env bash
# Reproduces the benchmark figures (issue 8): creates the Python SDK venv when missing (the
# snapshot benchmark's peer), then runs every benchmark in benches/ and keeps the output.
# Usage (from anywhere):  bash benches/run.sh [cargo bench args...]
#   BENCH_*    sizes and knobs (see benches/snapshot_vs_sdk/main.rs); SKIP_SDK=1 skips the SDK
#   SDK_VENV   the SDK venv (default target/sdk-venv); PYTHON creates it (default python3)
#   BENCH_LOG  where the output is kept (default target/bench-<UTC time>.log)
# The full-size snapshot comparison takes about 20 minutes, most of it the SDK's listing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

venv="${SDK_VENV:-target/sdk-venv}"
case "$venv" in
  /*) ;;
  *) venv="$root/$venv" ;;
esac
if [ "${SKIP_SDK:-0}" != 1 ]; then
  SDK_VENV="$venv" bash tests/sdk_conformance/venv.sh
fi
export SDK_PYTHON="${SDK_PYTHON:-$venv/bin/python}"

log="${BENCH_LOG:-target/bench-$(date -u +%Y%m%dT%H%M%SZ).log}"
mkdir -p "$(dirname "$log")"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); knobs: $(env | grep -E '^(BENCH_|SKIP_SDK)' | sort | tr '\n' ' ')"
} | tee "$log"

set +e
cargo bench --bench '*' --no-fail-fast "$@" 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
set -e
echo "run.sh: output kept in $log" >&2
exit "$status"
