#!/usr/bin/env bash
# The web app's tests: vitest (totals mirror, formatting, API client), the production build (its gzip sizes are
# printed), then the browser tests — Debian's Chromium driven by playwright-core — against a local stack of their
# own on free ports (so a developer's `make run` on 3000 is left alone). The stack is always stopped.
# Installs what it needs; safe to run twice. Screenshots of every screen go to docs/screenshots/
# (SMALLPAY_SCREENSHOTS=<dir> to put them elsewhere, SMALLPAY_SCREENSHOTS= to skip them).
# SMALLPAY_BROWSER_TESTS="browser-tests/reminders.test.mjs" runs only those browser test files (a developer's shortcut).
# Ends with one line: "frontend: N passed, N failed (...)"; exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
started=$SECONDS

vitest_passed=0 vitest_failed=0 browser_passed=0 browser_failed=0 browser_skipped=0
stage="install"
stack_pid=""
work="$(mktemp -d)"

summary() {
  local status=$1 passed=$((vitest_passed + browser_passed)) failed=$((vitest_failed + browser_failed)) note=""
  # A run that stopped before or between the test suites counts as one failure, named by its stage.
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1 note="; stopped at: $stage"; fi
  echo "frontend: $passed passed, $failed failed (vitest $vitest_passed passed, $vitest_failed failed;" \
    "browser $browser_passed passed, $browser_failed failed, $browser_skipped skipped; $((SECONDS - started)) s$note)"
}

stop_stack() {
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$stack_pid" 2>/dev/null || true
  fi
  stack_pid=""
}

finish() {
  local status=$?
  stop_stack
  # On failure the local stack's log says what the functions did: its end goes to stderr, the whole of it stays in /tmp.
  if [ "$status" -ne 0 ] && [ -s "$work/stack.log" ]; then
    cp "$work/stack.log" /tmp/smallpay-frontend-stack.log
    echo "test-frontend: the local stack's log (last 60 lines; all of it in /tmp/smallpay-frontend-stack.log):" >&2
    tail -n 60 "$work/stack.log" >&2
  fi
  rm -rf "$work"
  summary "$status"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- install
cd frontend
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test-frontend: npm install" >&2
  # npm install, not npm ci: the registry copy here lists only some of rollup's optional platform packages, so
  # npm ci calls the lock file out of sync; npm install follows the same lock file and leaves it unchanged.
  npm install --no-audit --no-fund --loglevel=error
fi

# ---------------------------------------------------------------- unit tests
stage="vitest"
echo "test-frontend: vitest" >&2
set +e
npx --no-install vitest run --reporter=default 2>&1 | tee "$work/vitest.log"
vitest_status=${PIPESTATUS[0]}
set -e
vitest_passed=$(sed -n 's/\x1b\[[0-9;]*m//g; s/^ *Tests .* \([0-9][0-9]*\) passed.*/\1/p' "$work/vitest.log" | tail -1)
vitest_failed=$(sed -n 's/\x1b\[[0-9;]*m//g; s/^ *Tests *\([0-9][0-9]*\) failed.*/\1/p' "$work/vitest.log" | tail -1)
vitest_passed=${vitest_passed:-0} vitest_failed=${vitest_failed:-0}
if [ "$vitest_status" -ne 0 ] && [ "$vitest_failed" -eq 0 ]; then vitest_failed=1; fi
[ "$vitest_status" -eq 0 ] || exit "$vitest_status"

# ---------------------------------------------------------------- production build
stage="build"
echo "test-frontend: type check and production build" >&2
npm run --silent build
cd "$root"

# ---------------------------------------------------------------- browser and local stack
stage="local stack"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-frontend: installing Debian's chromium" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x "$chromium" ]; then
    echo "test-frontend: no Chromium at $chromium (apt-get install chromium, or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi

# The screenshots show names in Arabic, Japanese and Hindi: Chromium needs fonts for those scripts (Debian's Noto).
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-frontend: installing fonts-noto-core and fonts-noto-cjk (scripts in the screenshots)" >&2
    apt-get update -qq && apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null || true
  fi
fi

./scripts/setup.sh
dll=local/SmallPay.Local/bin/Release/net10.0/SmallPay.Local.dll
if [ ! -f "$dll" ] || [ -n "$(find local/SmallPay.Local functions template.yaml Directory.Build.props Directory.Packages.props \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name 'template.yaml' \) -not -path '*/obj/*' -not -path '*/bin/*' \
    -newer "$dll" -print -quit)" ]; then
  echo "test-frontend: building the local stack (Release)" >&2
  dotnet build local/SmallPay.Local/SmallPay.Local.csproj -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi

# Free ports for everything the stack listens on, all different (a developer's `make run` keeps its defaults).
free_ports() {
  node -e '
    const net = require("net"); const n = Number(process.argv[1]); const servers = [];
    const next = () => { if (servers.length === n) { console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close()); return; }
      const s = net.createServer(); s.listen(0, "127.0.0.1", () => { servers.push(s); next(); }); };
    next();' "$1"
}
read -r port aws_port ddb_port smtp_port mail_port <<<"$(free_ports 5)"
serve_args=(--port "$port" --aws-port "$aws_port" --dynamodb-port "$ddb_port")
maildev_url="${SMALLPAY_MAILDEV_URL:-}"
if dotnet "$dll" serve --help 2>&1 | grep -q -- '--mail-web-port'; then
  serve_args+=(--smtp-port "$smtp_port" --mail-web-port "$mail_port")
  maildev_url="${maildev_url:-http://127.0.0.1:$mail_port}"
fi

echo "test-frontend: starting the local stack on port $port (moto $aws_port, DynamoDB Local $ddb_port)" >&2
dotnet "$dll" serve "${serve_args[@]}" >"$work/stack.log" 2>&1 &
stack_pid=$!
url="http://localhost:$port"
for _ in $(seq 1 240); do
  if curl -fsS "$url/config.json" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "test-frontend: the local stack stopped while starting:" >&2
    cat "$work/stack.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$url/config.json" >/dev/null || { echo "test-frontend: no /config.json after 2 minutes" >&2; cat "$work/stack.log" >&2; exit 1; }
# The SPA must be the one just built (the host looks for frontend/dist when it starts).
curl -fsS -H 'Accept: text/html' "$url/" | grep -q '<div id="root">' || { echo "test-frontend: the stack does not serve frontend/dist" >&2; exit 1; }

# The stack's mail sink (maildev), when this version of the stack runs one.
if [ -n "$maildev_url" ] && ! curl -fsS "$maildev_url/api/email" >/dev/null 2>&1; then
  echo "test-frontend: no mail sink answers at $maildev_url; the e-mail itself is not checked" >&2
  maildev_url=""
fi

stage="browser tests"
echo "test-frontend: browser tests against $url${maildev_url:+ (mail: $maildev_url)}" >&2
set +e
(cd frontend && SMALLPAY_URL="$url" SMALLPAY_MAILDEV_URL="$maildev_url" \
  SMALLPAY_SCREENSHOTS="${SMALLPAY_SCREENSHOTS-$root/docs/screenshots}" CHROMIUM_PATH="$chromium" \
  node --test --test-reporter=spec --test-timeout=300000 ${SMALLPAY_BROWSER_TESTS:-browser-tests/}) 2>&1 | tee "$work/browser.log"
browser_status=${PIPESTATUS[0]}
set -e
count() { sed -n "s/\x1b\[[0-9;]*m//g; s/^ℹ $1 \([0-9][0-9]*\)$/\1/p" "$work/browser.log" | tail -1; }
browser_passed=$(count pass) browser_failed=$(count fail) browser_skipped=$(count skipped)
browser_passed=${browser_passed:-0} browser_failed=${browser_failed:-0} browser_skipped=${browser_skipped:-0}
if [ "$browser_status" -ne 0 ]; then
  [ "$browser_failed" -gt 0 ] || browser_failed=1
  echo "test-frontend: the local stack's log:" >&2
  tail -n 40 "$work/stack.log" >&2
  exit "$browser_status"
fi
