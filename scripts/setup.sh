#!/usr/bin/env bash
# Installs the machine-level tools SmallPay's commands need: the .NET SDK must be there already;
# python3 with moto's server (the local AWS: DynamoDB, Cognito, S3) is installed when missing.
# Idempotent: a machine that has everything is checked in a fraction of a second.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK (dotnet) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "setup: installing python3" >&2
  apt-get update -qq && apt-get install -y -qq python3 python3-pip >/dev/null
fi

# find_spec only locates the modules (importing moto itself takes a second or more).
has_moto_server() {
  python3 -c 'import importlib.util as u, sys; sys.exit(0 if all(u.find_spec(m) for m in ("moto", "flask", "flask_cors", "werkzeug")) else 1)' 2>/dev/null
}
if ! has_moto_server; then
  echo "setup: installing moto's server (pip install \"moto[server]\")" >&2
  python3 -m pip install --quiet "moto[server]" || true
fi
if ! has_moto_server; then
  echo "setup: moto's server is still missing; install it with: python3 -m pip install \"moto[server]\"" >&2
  exit 1
fi
