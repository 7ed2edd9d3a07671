#!/usr/bin/env bash
# Installs the Debian packages the notebooks need (Debian's python3, not a pyenv/PyPI one: PyPI is not
# reachable from the machines Spoor is built on). Idempotent: does nothing when all are installed.
# Needs root (or sudo) the first time; prints the apt-get command to run otherwise.
set -euo pipefail

PACKAGES=(jupyter-nbconvert python3-nbformat python3-ipykernel python3-pandas python3-matplotlib python3-jpype)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "notebooks: installing Debian packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "notebooks: need root to install packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A stale package index is the usual reason an install fails on a fresh machine: refresh it once.
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
  || { "${SUDO[@]}" apt-get update -q >&2 && "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
