#!/usr/bin/env bash
# Creates or updates Spoor's Python environment, .venv (git-ignored), from python/requirements.txt:
# the notebooks' libraries (the Trino client, pandas, matplotlib, nbconvert, deltalake). Idempotent: a
# stamp of the requirements' hash makes a second run a no-op. Prints the venv's python on stdout.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${SPOOR_VENV:-$home/.venv}"
requirements="$home/python/requirements.txt"
stamp="$venv/.spoor-requirements"
want=$(sha256sum "$requirements" | cut -c1-16)
if [[ -x "$venv/bin/python" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  echo "$venv/bin/python"
  exit 0
fi
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
[[ -n "$python" ]] || { echo "spoor: no python3 with venv and ensurepip; install python3 and python3-venv" >&2; exit 1; }
echo "spoor: installing the Python environment $venv (python/requirements.txt; about 750 MB, once)…" >&2
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements" >&2
echo "$want" > "$stamp"
echo "$venv/bin/python"
