#!/usr/bin/env bash
# Creates or updates one of Spoor's Python environments (git-ignored) and prints its python on stdout:
#   python/venv.sh [notebooks]  .venv          python/requirements.txt: the Trino client, pandas,
#                                              matplotlib, nbconvert, deltalake (the notebooks)
#   python/venv.sh airflow      .venv-airflow  python/airflow-requirements.txt, constrained by
#                                              python/airflow-constraints.txt (Airflow and its providers)
# Two environments because Airflow pins some 140 packages through its constraints file, which the
# notebooks' libraries need not follow. Idempotent: a stamp of the files' hash makes a second run a
# no-op; concurrent runs wait for each other. SPOOR_VENV / SPOOR_AIRFLOW_VENV move an environment.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-notebooks}" in
  notebooks)
    venv="${SPOOR_VENV:-$home/.venv}"
    files=("$home/python/requirements.txt")
    install=(-r "$home/python/requirements.txt")
    size="about 750 MB" ;;
  airflow)
    venv="${SPOOR_AIRFLOW_VENV:-$home/.venv-airflow}"
    files=("$home/python/airflow-requirements.txt" "$home/python/airflow-constraints.txt")
    install=(-r "$home/python/airflow-requirements.txt" -c "$home/python/airflow-constraints.txt")
    size="about 670 MB" ;;
  *) echo "spoor: python/venv.sh takes notebooks or airflow, not '$1'" >&2; exit 2 ;;
esac
stamp="$venv/.spoor-requirements"
want=$(cat "${files[@]}" | sha256sum | cut -c1-16)
ready() { [[ -x "$venv/bin/python" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; }
if ready; then
  echo "$venv/bin/python"
  exit 0
fi
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if ! ready; then
  python=""
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  [[ -n "$python" ]] || { echo "spoor: no python3 with venv and ensurepip; install python3 and python3-venv" >&2; exit 1; }
  echo "spoor: installing the Python environment $venv (${files[*]#$home/}; $size, once)…" >&2
  [[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --disable-pip-version-check -q "${install[@]}" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
