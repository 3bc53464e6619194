#!/usr/bin/env bash
# Publishes functions/SmallPay.Functions as one Native AOT executable for Lambda's provided.al2023 runtime:
#   scripts/publish-functions.sh [linux-x64|linux-arm64]      (default: linux-x64, or $LAMBDA_RID)
# Output: artifacts/functions/<rid>/bootstrap, libHarfBuzzSharp.so (text shaping) and fonts/ (the invoice fonts and their
# licences). Every function of template.yaml runs this one
# binary; SMALLPAY_FUNCTION picks the handler. Skips the publish when nothing under functions/ (or the build props)
# changed since the last one, so sam build's nineteen make targets, `make invoke` and the tests share one publish.
# Safe to run concurrently (sam build --parallel): one publish at a time, under a lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-${LAMBDA_RID:-linux-x64}}"
case "$rid" in linux-x64|linux-arm64) ;; *) echo "publish-functions: unsupported runtime identifier '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;; esac

out="$root/artifacts/functions/$rid"
stamp="$out/.published"
mkdir -p "$root/artifacts/functions"
exec 9>"$root/artifacts/functions/.lock-$rid"
flock 9

# Up to date: the binary exists and no source, project or props file is newer than the last publish.
if [ -x "$out/bootstrap" ] && [ -f "$stamp" ] && [ -z "$(find "$root/functions" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/nuget.config" \
      -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
  exit 0
fi

args=()
if [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  # Cross-compiling on x86_64: Debian's aarch64 gcc links what the native AOT compiler produced for arm64. The wrapper
  # drops the clang-only --target= argument the SDK passes to its linker.
  if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
    echo "publish-functions: installing the arm64 cross toolchain (gcc-aarch64-linux-gnu)" >&2
    apt-get update -qq && apt-get install -y -qq gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross >/dev/null
  fi
  wrapper="$root/artifacts/functions/aarch64-linux-gnu-cc"
  printf '#!/bin/sh\nfor a; do shift; case "$a" in --target=*) ;; *) set -- "$@" "$a" ;; esac; done\nexec aarch64-linux-gnu-gcc "$@"\n' > "$wrapper"
  chmod +x "$wrapper"
  args+=(-p:CppCompilerAndLinker="$wrapper" -p:ObjCopyName=aarch64-linux-gnu-objcopy -p:SysRoot=/usr/aarch64-linux-gnu)
fi

started=$(date +%s)
rm -rf "$out.tmp"
dotnet publish "$root/functions/SmallPay.Functions/SmallPay.Functions.csproj" -c Release -r "$rid" --self-contained \
  --artifacts-path "$root/artifacts/build/$rid" -o "$out.tmp" -nologo -v quiet "${args[@]}" >&2
# What Lambda runs must be the native executable (an ELF file that can be executed), never a half-written one.
if [ ! -x "$out.tmp/SmallPay.Functions" ] || [ "$(head -c 4 "$out.tmp/SmallPay.Functions" | od -An -c | tr -d ' \n')" != '177ELF' ]; then
  echo "publish-functions: dotnet publish did not produce a native executable in $out.tmp" >&2
  exit 1
fi
mv "$out.tmp/SmallPay.Functions" "$out.tmp/bootstrap"
rm -f "$out.tmp"/*.dbg "$out.tmp"/*.pdb
rm -rf "$out" && mv "$out.tmp" "$out"
touch "$stamp"
echo "publish-functions: $rid native executable in $(( $(date +%s) - started )) s: $(du -h "$out/bootstrap" | cut -f1) artifacts/functions/$rid/bootstrap" >&2
