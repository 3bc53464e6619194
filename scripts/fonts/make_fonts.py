#!/usr/bin/python3
"""Builds the fonts the invoice PDF embeds from Debian's font packages (fonts-noto-core, fonts-noto-cjk), with Debian's
fonttools. Deterministic: the same packages give the same bytes (scripts/make-fonts.sh --check compares).

    make_fonts.py OUTPUT_DIR [FACE ...]      (no FACE: every face)

- The Noto TrueType faces (Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai) lose their hinting (a PDF viewer scales
  glyphs freely; hinting is a third of a subset's bytes) and keep their layout tables (GSUB/GPOS/GDEF: HarfBuzz shapes
  with them).
- Noto Sans CJK ships as CFF outlines in an OpenType collection; PDFsharp's world and our embedding write TrueType
  (CIDFontType2, FontFile2), so the Japanese face of the collection is cut down to the characters the supported
  languages need (kana, Hangul syllables, the CJK Unified Ideographs block, compatibility ideographs, CJK punctuation,
  full-width forms) and its cubic outlines are converted to quadratic TrueType outlines (cu2qu, max error 1 unit of
  1000). Its 'locl' alternates stay: shaping with a Chinese or Korean language tag gives those regions' glyph forms.
"""
import sys, os
from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

NOTO = "/usr/share/fonts/truetype/noto"
NOTO_CJK = "/usr/share/fonts/opentype/noto"

# Out file name -> (source, collection index or None)
SIMPLE = {
    f"NotoSans{script}-{weight}.ttf": (f"{NOTO}/NotoSans{script}-{weight}.ttf", None)
    for script in ("Arabic", "Hebrew", "Devanagari", "Bengali", "Tamil", "Thai")
    for weight in ("Regular", "Bold")
}
CJK = {
    "NotoSansCJKjp-Regular.ttf": (f"{NOTO_CJK}/NotoSansCJK-Regular.ttc", 0),
    "NotoSansCJKjp-Bold.ttf": (f"{NOTO_CJK}/NotoSansCJK-Bold.ttc", 0),
}

CJK_RANGES = [
    (0x0020, 0x007E),   # ASCII (the CJK face's own proportional forms are not used for Latin, but digits in a CJK run are)
    (0x2010, 0x2027),   # dashes, quotes, ellipsis
    (0x3000, 0x303F),   # CJK symbols and punctuation
    (0x3040, 0x30FF),   # hiragana, katakana
    (0x3100, 0x312F),   # bopomofo
    (0x3130, 0x318F),   # Hangul compatibility jamo
    (0x31F0, 0x31FF),   # katakana phonetic extensions
    (0x3200, 0x33FF),   # enclosed CJK letters, CJK compatibility (㈱, ㍿)
    (0x4E00, 0x9FFF),   # CJK Unified Ideographs
    (0xAC00, 0xD7A3),   # Hangul syllables
    (0xF900, 0xFAFF),   # CJK compatibility ideographs (﨑)
    (0xFF00, 0xFFEF),   # half-width and full-width forms
]


def options(layout_features):
    o = subset.Options()
    o.hinting = False
    o.layout_features = layout_features
    o.name_IDs = ["*"]
    o.name_languages = ["*"]
    o.notdef_outline = True
    o.glyph_names = False
    o.legacy_kern = False
    o.drop_tables += ["DSIG", "VORG", "vhea", "vmtx", "BASE", "JSTF", "MATH"]
    o.recalc_timestamp = False
    return o


def make_simple(source, out):
    font = TTFont(source, recalcTimestamp=False)
    sub = subset.Subsetter(options(["*"]))
    sub.populate(unicodes=font.getBestCmap().keys())
    sub.subset(font)
    font.save(out, reorderTables=True)


def to_quadratic(font):
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx[name]
        hmtx[name] = (advance, getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    post = font["post"]
    post.formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def make_cjk(source, index, out):
    font = TTCollection(source).fonts[index]
    font.recalcTimestamp = False  # keep the source's head.modified: the same input gives the same bytes
    sub = subset.Subsetter(options(["locl", "ccmp"]))
    unicodes = [u for start, end in CJK_RANGES for u in range(start, end + 1)]
    sub.populate(unicodes=[u for u in unicodes if u in font.getBestCmap()])
    sub.subset(font)
    to_quadratic(font)
    font.save(out, reorderTables=True)
    # Read back and save once more: the recalculated bounding boxes and maxp settle on a fixed point.
    again = TTFont(out, recalcTimestamp=False)
    again.save(out, reorderTables=True)


def main():
    out_dir = sys.argv[1]
    wanted = set(sys.argv[2:])
    os.makedirs(out_dir, exist_ok=True)
    for name, (source, _) in SIMPLE.items():
        if not wanted or name in wanted:
            make_simple(source, os.path.join(out_dir, name))
    for name, (source, index) in CJK.items():
        if not wanted or name in wanted:
            make_cjk(source, index, os.path.join(out_dir, name))


if __name__ == "__main__":
    main()
