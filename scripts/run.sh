#!/usr/bin/env bash
# make run: the whole SmallPay stack on this machine — moto (Cognito, S3), DynamoDB Local, maildev (the SMTP sink),
# template.yaml's tables, buckets and user pool, the HTTP API with its JWT authorizer, the documents pipeline
# (stream → pipe → queue → worker, with its dead-letter queue), /config.json and the app — with a demo account.
# Ctrl-C stops everything, the emulators included. Options go to `SmallPay.Local serve` (--help lists them):
#   ./scripts/run.sh --port 3001 --no-demo
#   ./scripts/run.sh token            # an ID token of the demo account, for curl
#   ./scripts/run.sh dlq list         # the dead-letter queue of the running stack (dlq redrive sends it back)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

echo "run: building the local stack (Release)..." >&2
if ! build_output=$(dotnet build local/SmallPay.Local/SmallPay.Local.csproj -c Release --nologo -v quiet 2>&1); then
  echo "$build_output" >&2
  exit 1
fi

# The local host serves the web app from frontend/dist: build it when missing or older than its sources.
./frontend/ensure-built.sh

# serve is the default command; `token`, `invoke`, `dlq` and `serve` pass through as they are.
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then set -- serve "$@"; fi
exec dotnet local/SmallPay.Local/bin/Release/net10.0/SmallPay.Local.dll "$@"
