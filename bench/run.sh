#!/usr/bin/env bash
# `make bench`: every benchmark of docs/BENCHMARKS.md in one run. Installs what it needs (the local stack's tools via
# scripts/setup.sh, Debian's hey, bench/node's packages), builds the harness and the cold-start floors, publishes the
# functions as Lambda runs them (the Native AOT bootstrap, with scripts/publish-functions.sh, timed after a source change)
# and as a framework-dependent JIT build beside it, the Native AOT floors and bench/NativePdf, then runs
# bench/SmallPay.Bench, which prints the table and writes docs/BENCHMARKS.md (+ bench/results/<label>.json). Safe to run twice.
#
#   bench/run.sh                  the full run (several minutes): fills the "baseline" column
#   bench/run.sh --label native   the same, as the "native" column next to the earlier ones
#   bench/run.sh --quick          tiny counts, a few seconds per section, nothing published (cold starts run the harness's
#                                 own JIT build of SmallPay.Functions): checks the harness works; writes no docs
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
  case "$(uname -m)" in
    aarch64 | arm64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
  esac

  # The executable Lambda runs: scripts/publish-functions.sh publishes it once and skips while nothing changed. Touching a
  # source file (its modification time only) makes it publish again, so its time is what a developer waits after an edit.
  echo "bench: publishing the functions' native executable ($rid) after touching a source file (timed)" >&2
  touch functions/SmallPay.Functions/Program.cs
  # Wall time and CPU time (user + system of the publish and the processes it waited for): on a shared machine the wall
  # time follows the load, the CPU time much less.
  TIMEFORMAT='%R %U %S'
  publish_times=$( { time ./scripts/publish-functions.sh "$rid" 2>&3 >&3; } 3>&2 2>&1 )
  read -r publish_seconds publish_user publish_system <<<"$publish_times"
  publish_cpu=$(awk -v u="$publish_user" -v s="$publish_system" 'BEGIN { printf "%.1f", u + s }')
  functions=(--functions "$root/artifacts/functions/$rid/bootstrap" --publish-seconds "$publish_seconds" --publish-cpu-seconds "$publish_cpu")

  # The same source as a framework-dependent JIT build, started as `dotnet SmallPay.Functions.dll` (Lambda's managed
  # runtime): GetInvoice's and DocumentWorker's cold starts beside the native ones. Into bench/.artifacts (its own obj/
  # and bin/: no race with other builds of the tree).
  echo "bench: publishing SmallPay.Functions as a framework-dependent JIT build ($rid)" >&2
  dotnet publish functions/SmallPay.Functions/SmallPay.Functions.csproj -c Release --runtime "$rid" --self-contained false \
    -p:UseAppHost=false -p:PublishAot=false -p:PublishReadyToRun=false --artifacts-path "$root/bench/.artifacts/build-functions-jit" \
    --output "$root/bench/.artifacts/functions-jit" -nologo -v q
  functions+=(--functions-jit "$root/bench/.artifacts/functions-jit/SmallPay.Functions.dll")

  # Native AOT floors (hello, one AWSSDK PutItem) and the PDF renderer compiled as the worker is. Published again only
  # when a file they are built from is newer than their output (not the Program.cs touched above: no part of them).
  aot_publish() { # <project file> <output folder> <executable name> <extra publish property, or ""> <folders its sources are in...>
    local project="$1" out="$2" exe="$3" extra="$4"
    shift 4
    if [ -x "$out/$exe" ] && [ -z "$(find "$@" Directory.Build.props Directory.Packages.props -newer "$out/$exe" -type f \
        -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/SmallPay.Functions/Program.cs' -print -quit)" ]; then
      return 0
    fi
    echo "bench: publishing $exe with Native AOT ($rid)" >&2
    dotnet publish "$project" -c Release -r "$rid" -p:PublishAot=true ${extra:+"$extra"} \
      --artifacts-path "$root/bench/.artifacts/build-$(basename "$out")" -o "$out" -nologo -v q
  }
  aot_publish bench/floors/Hello/Hello.csproj bench/.artifacts/aot-Hello SmallPay.Bench.Floor.Hello "" bench/floors/Hello
  aot_publish bench/floors/SdkPutItem/SdkPutItem.csproj bench/.artifacts/aot-SdkPutItem SmallPay.Bench.Floor.SdkPutItem "" bench/floors/SdkPutItem
  functions+=(--aot-floors "$root/bench/.artifacts")
  aot_publish bench/NativePdf/NativePdf.csproj bench/.artifacts/aot-NativePdf SmallPay.Bench.NativePdf "" \
    bench/NativePdf bench/SmallPay.Bench/Shared functions
  functions+=(--native-pdf "$root/bench/.artifacts/aot-NativePdf/SmallPay.Bench.NativePdf")

  # A variant of the functions' executable: the same source without ILC's data dehydration (IlcDehydrate=false, an
  # undocumented ILC switch, on by default on Linux): its start-up rehydrates no data, for a larger file. GetInvoice and
  # DocumentWorker cold-start from it in the same rounds.
  aot_publish functions/SmallPay.Functions/SmallPay.Functions.csproj bench/.artifacts/aot-nodehydrate SmallPay.Functions \
    -p:IlcDehydrate=false functions
  functions+=(--variant "IlcDehydrate=false=$root/bench/.artifacts/aot-nodehydrate/SmallPay.Functions")
fi

exec dotnet bench/SmallPay.Bench/bin/Release/net10.0/SmallPay.Bench.dll ${functions[@]+"${functions[@]}"} "$@"
