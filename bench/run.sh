#!/usr/bin/env bash
# `make bench`: every benchmark of docs/BENCHMARKS.md in one run. Installs what it needs (the local stack's tools via
# scripts/setup.sh, Debian's hey, bench/node's packages), builds the harness and the cold-start floors, publishes
# SmallPay.Functions as `sam build` does, then runs bench/SmallPay.Bench, which prints the table and writes
# docs/BENCHMARKS.md (+ bench/results/<label>.json). Safe to run twice.
#
#   bench/run.sh                  the full run (several minutes): fills the "baseline" column
#   bench/run.sh --label after    the same, as the "after" column next to it
#   bench/run.sh --quick          tiny counts, a few seconds per section: checks the harness works; writes no docs
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

quick=false
for argument in "$@"; do
  if [ "$argument" = "--quick" ]; then quick=true; fi
done

./scripts/setup.sh

if ! command -v hey >/dev/null 2>&1; then
  echo "bench: installing hey (the load generator, Debian's package)" >&2
  if ! { apt-get update -qq && apt-get install -y -qq hey >/dev/null; }; then
    echo "bench: hey could not be installed; the load benchmark falls back to an HttpClient loop" >&2
  fi
fi

# The Node peers (PDFKit, @aws-sdk/client-dynamodb v3): `npm ci` again only when the lock file changed.
if [ ! -f bench/node/node_modules/.package-lock.json ] || [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  echo "bench: installing bench/node's packages (npm ci)" >&2
  npm ci --prefix bench/node --no-audit --no-fund --loglevel=error >/dev/null
fi

echo "bench: building the harness and the cold-start floors" >&2
dotnet build bench/SmallPay.Bench/SmallPay.Bench.csproj -c Release -nologo -v q

functions=()
if ! $quick; then
  # As functions/SmallPay.Functions/Makefile publishes it for Lambda (framework-dependent, no apphost), for this
  # machine's architecture, into bench/.artifacts (its own obj/ and bin/: no race with other builds of the tree).
  case "$(uname -m)" in
    aarch64 | arm64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
  esac
  publish() { # <output folder> <PublishReadyToRun>
    dotnet publish functions/SmallPay.Functions/SmallPay.Functions.csproj -c Release --runtime "$rid" --self-contained false \
      -p:UseAppHost=false -p:PublishReadyToRun="$2" --artifacts-path "$root/bench/.artifacts/build-$1" \
      --output "$root/bench/.artifacts/$1" -nologo -v q
  }
  # As the Makefile's default (READY_TO_RUN=true), and without ReadyToRun for comparison (a cold-start variant).
  echo "bench: publishing SmallPay.Functions ($rid) with ReadyToRun, and without" >&2
  publish functions-jit false
  functions=(--functions-jit "$root/bench/.artifacts/functions-jit/SmallPay.Functions.dll")
  if publish functions true; then
    functions+=(--functions "$root/bench/.artifacts/functions/SmallPay.Functions.dll")
  else
    echo "bench: the ReadyToRun publish failed (no ReadyToRun pack for $rid in the NuGet feed?): cold starts are JIT-only" >&2
    functions+=(--functions "$root/bench/.artifacts/functions-jit/SmallPay.Functions.dll")
  fi
fi

# The harness renders PDFs and runs handlers in its own process: give it the runtime settings template.yaml gives
# every function (Globals: DOTNET_TieredPGO, DOTNET_TC_QuickJitForLoops), so warm figures are what Lambda would run.
while read -r name value; do
  export "$name=$value"
done < <(sed -n 's/^ *\(DOTNET_[A-Za-z_]*\): *"\([^"]*\)".*/\1 \2/p' template.yaml)

exec dotnet bench/SmallPay.Bench/bin/Release/net10.0/SmallPay.Bench.dll ${functions[@]+"${functions[@]}"} "$@"
