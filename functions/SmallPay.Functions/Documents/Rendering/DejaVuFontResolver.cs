using PdfSharp.Fonts;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// Resolves every font family to DejaVu Sans (Latin, Greek, Cyrillic and more), regular or bold, from the copies embedded
/// in this assembly (Documents/Fonts, from Debian's fonts-dejavu-core 2.37; license in LICENSE-DejaVu.txt there).
/// Italic requests get the upright face: the invoice uses none, and a slanted fallback is not worth another 700 KB.
/// The embedded copies are unhinted (Documents/Fonts/Unhinted, made from the originals beside them by the build-time tool
/// TrueTypeHintingStripper in tests/SmallPay.Functions.Tests, whose tests check the committed copies are its output):
/// hinting is a third of every embedded subset, and no PDF viewer needs it. The font bytes are
/// read once per process; PDFsharp embeds only the glyphs a document uses.
/// </summary>
internal sealed class DejaVuFontResolver : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";
    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    public static readonly DejaVuFontResolver Instance = new();

    private readonly Lazy<byte[]> _regular = new(() => Load(RegularFace));
    private readonly Lazy<byte[]> _bold = new(() => Load(BoldFace));

    private DejaVuFontResolver() { }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => _regular.Value,
        BoldFace => _bold.Value,
        _ => null,
    };

    private static byte[] Load(string face)
    {
        var name = $"SmallPay.Fonts.{face}.ttf";
        using var stream = typeof(DejaVuFontResolver).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from the assembly.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
