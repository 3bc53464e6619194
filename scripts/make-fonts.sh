#!/usr/bin/env bash
# Builds the Noto fonts the invoice PDF embeds (functions/SmallPay.Functions/Documents/Fonts/Noto) from Debian's font
# packages with Debian's fonttools: scripts/fonts/make_fonts.py says how (no hinting; Noto Sans CJK cut to the supported
# languages' characters and converted from CFF to TrueType outlines). Deterministic: the same packages give the same bytes.
#   scripts/make-fonts.sh            rewrite the committed fonts
#   scripts/make-fonts.sh --check    rebuild into a temporary folder and compare (exit 1 when they differ); ~3 minutes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fonts="$root/functions/SmallPay.Functions/Documents/Fonts/Noto"

if [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
   || ! /usr/bin/python3 -c 'import fontTools' 2>/dev/null; then
  echo "make-fonts: installing fonts-noto-core, fonts-noto-cjk and fonttools" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk fonttools >/dev/null
fi

if [ "${1:-}" = --check ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  /usr/bin/python3 "$root/scripts/fonts/make_fonts.py" "$out"
  status=0
  for built in "$out"/*.ttf; do
    name="$(basename "$built")"
    if ! cmp -s "$built" "$fonts/$name"; then
      echo "make-fonts: $name differs from the committed one (run scripts/make-fonts.sh to rewrite it)" >&2
      status=1
    fi
  done
  [ "$status" = 0 ] && echo "make-fonts: the committed fonts are the build's output ($(ls "$out"/*.ttf | wc -l) faces)"
  exit $status
fi
/usr/bin/python3 "$root/scripts/fonts/make_fonts.py" "$fonts"
ls -l "$fonts"/*.ttf >&2
