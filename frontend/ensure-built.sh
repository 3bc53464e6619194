#!/usr/bin/env bash
# Builds the web app into frontend/dist when it is missing or older than its sources (npm ci first when
# node_modules is missing or older than package-lock.json). Quick and quiet when there is nothing to do, so the
# local run command can call it every time: the local host serves frontend/dist.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "frontend: npm (Node.js 20) is needed to build the web app" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "frontend: installing packages (npm install)" >&2
  # npm install, not npm ci: the registry copy here lists only some of rollup's optional platform packages, so
  # npm ci calls the lock file out of sync; npm install follows the same lock file and leaves it unchanged.
  npm install --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src public index.html package.json vite.config.ts tsconfig.json -newer dist/index.html -print -quit)" ]; then
  echo "frontend: building the web app (frontend/dist)" >&2
  npx --no-install vite build --logLevel error
fi
