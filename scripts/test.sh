#!/usr/bin/env bash
# Runs every SmallPay test. Installs what it needs; safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# Build the whole solution first: `dotnet test` alone builds only the test projects and what they reference,
# and the benchmark smoke test runs the harness's own build.
dotnet build SmallPay.sln -c Release --nologo -v quiet
# A test that hangs fails the run after 10 minutes (with a dump) instead of holding CI until its limit.
dotnet test SmallPay.sln -c Release --no-build --logger "console;verbosity=minimal" --blame-hang-timeout 10m "$@"
# The web app: vitest (the totals mirror runs the server's cases), then real Chromium against a local stack.
./scripts/test-frontend.sh
