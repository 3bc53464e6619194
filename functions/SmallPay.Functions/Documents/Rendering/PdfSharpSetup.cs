using PdfSharp.Fonts;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// PDFsharp's process-wide set-up, done once before the first document. PDFsharp draws no text here (the invoice's text
/// is shaped with HarfBuzz and written as glyph runs, Text/GlyphTextWriter), so its font resolver only has to exist:
/// it refuses every font, and a stray PDFsharp text call fails loudly instead of reaching for a system font.
/// PDFsharp 6.2 is MIT-licensed and needs no license call.
/// </summary>
public static class PdfSharpSetup
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Registers the font resolver, once per process; later calls do nothing.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (Gate)
        {
            if (_initialized)
                return;
            GlobalFontSettings.FontResolver = NoFonts.Instance;
            Volatile.Write(ref _initialized, true);
        }
    }

    private sealed class NoFonts : IFontResolver
    {
        public static readonly NoFonts Instance = new();
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => null;
        public byte[]? GetFont(string faceName) => null;
    }
}
