#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet run --project local/SmallPay.Local -c Release -- "$@"
