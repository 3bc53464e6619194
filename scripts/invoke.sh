#!/usr/bin/env bash
# Invokes one function locally, as `sam local invoke` does:
#   scripts/invoke.sh CreateInvoiceFunction -e events/create-invoice.json [--env-vars env.json]
#   scripts/invoke.sh CreateInvoice events/create-invoice.json        (make invoke FN=... EVENT=...)
# The response goes to stdout, the function's logs to stderr.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)/local/SmallPay.Local"
if [[ $# -ge 2 && "$2" != -* ]]; then
  set -- "$1" -e "${@:2}"   # a bare second argument is the event file
fi
# The function is the native executable Lambda runs (published once, again only after a change); the local tool runs
# it against a local Runtime API. Build output goes to stderr, so stdout carries nothing but the function's response.
"$(dirname "$0")/publish-functions.sh"
dotnet build "$project" -c Release -nologo -v quiet >&2
# Not `dotnet run`: the Web SDK runs it in the project folder, and relative event paths must stay the caller's.
exec dotnet "$(dotnet msbuild "$project" -p:Configuration=Release -getProperty:TargetPath)" invoke "$@"
