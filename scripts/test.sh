#!/usr/bin/env bash
# The test command: installs what the tests need beyond Java and Maven, then runs them all.
# The tests start their own embedded PostgreSQL; PgBouncerIT and LoadBalancerIT also run a real
# PgBouncer and a real HAProxy, Debian packages installed here when missing (as root, or with sudo).
# JavaScriptProvidersIT runs the OpenFeature JavaScript SDKs under Node.js (Debian's, when
# missing), their packages from src/test/js's lockfile (npm ci); the same install lints
# docs/openapi.yaml with Redocly CLI before any test runs. ConsoleIT drives Debian's Chromium
# (installed here when missing) with playwright-core from the same lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

install_if_missing() { # $1: command, $2: Debian package
  if command -v "$1" > /dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; then
    return
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo > /dev/null || { echo "test: '$2' is needed: apt-get install $2 (as root)" >&2; exit 2; }
    sudo=sudo
  fi
  echo "test: installing $2 ..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" > /dev/null
  # The packages may start system services; the tests run their own processes on free ports.
  $sudo service "$2" stop > /dev/null 2>&1 || true
}

install_if_missing pgbouncer pgbouncer
install_if_missing haproxy haproxy
install_if_missing node nodejs
install_if_missing npm npm
# The console's end-to-end tests drive Debian's Chromium (playwright-core, from the lockfile, downloads no browser).
install_if_missing chromium chromium

# Redocly CLI and the OpenFeature SDKs need Node.js 20.19 or later (Debian bookworm's is 18).
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || { echo "test: Node.js 20.19 or later is needed, found $(node --version): install a newer one (nodejs.org)" >&2; exit 2; }
# The lockfile decides every version; node_modules stays out of the repository (.gitignore).
(cd src/test/js && npm ci --engine-strict --no-audit --no-fund --loglevel=error)
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  src/test/js/node_modules/.bin/redocly lint --config src/test/js/redocly.yaml docs/openapi.yaml

mvn -B test "$@"
