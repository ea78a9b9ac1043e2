#!/usr/bin/env bash
# Wire-compatibility suite: drive the fake account server with the official Databricks SDK for
# Python. Usage (from anywhere):  bash tests/sdk_conformance/run.sh [pytest args...]
#   DBX_CONSOLE_BIN  the fake's binary (default target/debug/dbx-console, relative to the repo root)
#   SDK_VENV         where the venv lives (default target/sdk-venv, relative to the repo root)
#   PYTHON           interpreter used to create the venv (default python3, 3.11 expected)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

bash "$here/venv.sh"
venv="${SDK_VENV:-target/sdk-venv}"
export PYTHONDONTWRITEBYTECODE=1
export DBX_CONSOLE_BIN="${DBX_CONSOLE_BIN:-target/debug/dbx-console}"

set +e
"$venv/bin/python" -m pytest -p no:cacheprovider "$here" "$@"
status=$?
set -e
exit "$status"
