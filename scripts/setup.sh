#!/usr/bin/env bash
# Installs the machine-level tools SmallPay's commands need: the .NET SDK must be there already;
# python3 with moto's server (the local AWS: Cognito, S3), DynamoDB Local (Java), maildev (the local SMTP sink,
# npm, into local/node_modules) and poppler-utils (pdftotext, for the PDF tests) are installed when missing.
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

# DynamoDB Local (AWS's own DynamoDB engine, Java) serves DynamoDB and its Streams locally. It ships inside the npm
# package amplify-dynamodb-simulator; `npm pack` fetches just that tarball (no dependencies). Never committed:
# its license forbids redistribution.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ddb_version="2.9.30"
ddb_dir="$root/.local-state/dynamodb-local"
if ! command -v java >/dev/null 2>&1; then
  echo "setup: installing a Java runtime for DynamoDB Local" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -f "$ddb_dir/DynamoDBLocal.jar" ] || [ "$(cat "$ddb_dir/.version" 2>/dev/null)" != "$ddb_version" ]; then
  echo "setup: installing DynamoDB Local (npm amplify-dynamodb-simulator@$ddb_version)" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "amplify-dynamodb-simulator@$ddb_version" >/dev/null && tar xzf ./*.tgz package/emulator)
  rm -rf "$ddb_dir" && mkdir -p "$(dirname "$ddb_dir")"
  mv "$tmp/package/emulator" "$ddb_dir" && echo "$ddb_version" > "$ddb_dir/.version"
  rm -rf "$tmp"
fi

# maildev (npm) is the SMTP sink of the local stack: local/package.json pins it, with an override for a mailparser
# version the registry copy lacks. `npm ci` again only when the lock file changed since the last install.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing Node.js and npm for the local SMTP sink (maildev)" >&2
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -f "$root/local/node_modules/maildev/dist/bin/maildev.js" ] \
   || [ "$root/local/package-lock.json" -nt "$root/local/node_modules/.package-lock.json" ]; then
  echo "setup: installing maildev (npm ci --prefix local)" >&2
  npm ci --prefix "$root/local" --no-audit --no-fund --loglevel=error >/dev/null
fi

# The pipeline tests read the rendered invoices with a real PDF reader (poppler's pdftotext and pdfinfo).
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  echo "setup: installing poppler-utils (pdftotext, pdfinfo)" >&2
  apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
fi

# The bidi tests run the Unicode Character Database's own test vectors (BidiCharacterTest.txt) and check the tables
# generated from it: Debian's unicode-data puts them in /usr/share/unicode.
if [ ! -f /usr/share/unicode/BidiCharacterTest.txt ]; then
  echo "setup: installing unicode-data (the bidi algorithm's test vectors)" >&2
  apt-get update -qq && apt-get install -y -qq unicode-data >/dev/null
fi
