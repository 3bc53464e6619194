using HarfBuzzSharp;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>
/// The fonts invoices are set in, and which one sets which character: a fallback chain chosen per character run.
/// Latin, Greek and Cyrillic (and everything else DejaVu covers) in DejaVu Sans; Arabic, Hebrew, Devanagari, Bengali,
/// Tamil and Thai in their Noto Sans faces; Chinese, Japanese and Korean in Noto Sans CJK (its Japanese face, with the
/// Chinese and Korean glyph forms its 'locl' feature selects by language). The files live in <c>fonts/</c> beside the
/// executable (Documents/Fonts; scripts/make-fonts.sh builds the Noto ones from Debian's packages) and are opened on first
/// use: a Latin-only invoice never maps the CJK font.
/// </summary>
internal sealed class FontCatalog
{
    public enum Family { Latin, Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai, Cjk }

    private static readonly string[] Files =
    [
        "DejaVuSans", "NotoSansArabic-Regular", "NotoSansHebrew-Regular", "NotoSansDevanagari-Regular", "NotoSansBengali-Regular",
        "NotoSansTamil-Regular", "NotoSansThai-Regular", "NotoSansCJKjp-Regular",
        "DejaVuSans-Bold", "NotoSansArabic-Bold", "NotoSansHebrew-Bold", "NotoSansDevanagari-Bold", "NotoSansBengali-Bold",
        "NotoSansTamil-Bold", "NotoSansThai-Bold", "NotoSansCJKjp-Bold",
    ];

    private const int FamilyCount = 8;

    public static readonly FontCatalog Default = new(Path.Combine(AppContext.BaseDirectory, "fonts"));

    private readonly string _directory;
    private readonly Lazy<FontFace>[] _faces;

    public FontCatalog(string directory)
    {
        _directory = directory;
        _faces = Files.Select(file => new Lazy<FontFace>(() => new FontFace(file, Path.Combine(_directory, file + ".ttf")))).ToArray();
    }

    public FontFace Face(Family family, bool bold) => _faces[(bold ? FamilyCount : 0) + (int)family].Value;

    /// <summary>The family a script belongs to, or null for scripts DejaVu (or a neighbour's font) sets.</summary>
    public static Family? FamilyOf(Script script)
    {
        if (script == Script.Arabic) return Family.Arabic;
        if (script == Script.Hebrew) return Family.Hebrew;
        if (script == Script.Devanagari) return Family.Devanagari;
        if (script == Script.Bengali) return Family.Bengali;
        if (script == Script.Tamil) return Family.Tamil;
        if (script == Script.Thai) return Family.Thai;
        if (script == Script.Han || script == Script.Hiragana || script == Script.Katakana || script == Script.Hangul || script == Script.Bopomofo)
            return Family.Cjk;
        return null;
    }

    /// <summary>
    /// The family that sets <paramref name="codePoint"/>: its script's; else (Latin, digits, punctuation) DejaVu when it
    /// covers it; else the first in the chain that does; else DejaVu, whose missing-glyph box then shows the gap.
    /// </summary>
    public Family FamilyFor(int codePoint, bool bold)
    {
        if (FamilyOf(UnicodeFunctions.Default.GetScript(codePoint)) is { } family && Face(family, bold).Covers(codePoint))
            return family;
        for (var f = 0; f < FamilyCount; f++)
            if (Face((Family)f, bold).Covers(codePoint))
                return (Family)f;
        return Family.Latin;
    }
}
