#!/usr/bin/env bash
# Makes sure the browser of spoor.js's end-to-end test is here: Debian's chromium (Playwright's own
# browser download does not work on the build machines). Installs it with apt-get when missing and
# allowed (root); otherwise says how. Idempotent; prints the browser's path.
set -euo pipefail
browser="${SPOOR_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$browser" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "spoor: installing chromium (Debian package) for the browser test…" >&2
    apt-get install -y -q --no-install-recommends chromium >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends chromium >&2; }
  else
    echo "spoor: $browser is missing; install Debian's chromium (apt-get install chromium) or set SPOOR_CHROMIUM" >&2
    exit 1
  fi
fi
echo "$browser"
