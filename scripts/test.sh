#!/usr/bin/env bash
# Runs every SmallPay test. Installs what it needs; safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet test SmallPay.sln -c Release --logger "console;verbosity=minimal" "$@"
