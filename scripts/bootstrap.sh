#!/usr/bin/env bash
# Installs what the project needs on a fresh machine (Node, npm and Go are assumed):
# npm packages when package-lock.json changed, and with --browser Debian's chromium and a CJK font
# (without one, pages and screenshots render Chinese as empty boxes).
# FerretDB is built on first use by src/db/ferretdb.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.lock-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--browser" ] && { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; }; then
  echo "bootstrap: installing Debian's chromium and fonts-noto-cjk"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
