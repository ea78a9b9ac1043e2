#!/usr/bin/env bash
# Creates the venv with the official Databricks SDK for Python (and this suite's requirements)
# when missing or out of date; used by run.sh and by benches/run.sh.
# Usage (from anywhere):  bash tests/sdk_conformance/venv.sh
#   SDK_VENV  where the venv lives (default target/sdk-venv, relative to the repo root)
#   PYTHON    interpreter used to create the venv (default python3, 3.11 expected)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

venv="${SDK_VENV:-target/sdk-venv}"
export PYTHONDONTWRITEBYTECODE=1
python="${PYTHON:-python3}"
sdk_pin="databricks-sdk==0.162.0"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! "$python" -m venv "$venv"; then
    echo "venv.sh: '$python -m venv' failed; install Python's venv module (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi

# Install only when the pinned set changed (stamp = copy of what was installed last).
stamp="$venv/.sdk-conformance-installed"
wanted="$(printf '%s\n' "$sdk_pin"; cat "$here/requirements.txt")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "venv.sh: installing $sdk_pin and the suite's requirements into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$sdk_pin"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  printf '%s' "$wanted" > "$stamp"
fi
