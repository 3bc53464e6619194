using System.Buffers.Binary;
using HarfBuzzSharp;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>
/// One TrueType font file as the renderer uses it: HarfBuzz's face and font over the file (memory-mapped by HarfBuzz,
/// never copied into managed memory), and the tables the PDF embedding reads (head, hhea, maxp, loca, glyf, OS/2). Built
/// once per process on first use and shared by every document and thread (HarfBuzz fonts are safe to share for shaping).
/// </summary>
internal sealed class FontFace
{
    private readonly Blob _blob;
    private readonly Dictionary<string, (int Offset, int Length)> _tables = new(StringComparer.Ordinal);

    public FontFace(string name, string path)
    {
        Name = name;
        _blob = Blob.FromFile(path);
        _blob.MakeImmutable();
        Face = new Face(_blob, 0);
        Face.MakeImmutable();
        UnitsPerEm = Face.UnitsPerEm;
        Font = new Font(Face);
        Font.SetScale(UnitsPerEm, UnitsPerEm);

        var data = Data;
        if (data.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(data) != 0x00010000)
            throw new InvalidDataException($"{path} is not a TrueType (glyf) font.");
        var count = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        for (var i = 0; i < count; i++)
        {
            var record = data.Slice(12 + 16 * i, 16);
            _tables[System.Text.Encoding.ASCII.GetString(record[..4])] =
                ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }
        var head = Table("head");
        LongLoca = BinaryPrimitives.ReadInt16BigEndian(head[50..]) == 1;
        BoundingBox = (BinaryPrimitives.ReadInt16BigEndian(head[36..]), BinaryPrimitives.ReadInt16BigEndian(head[38..]),
            BinaryPrimitives.ReadInt16BigEndian(head[40..]), BinaryPrimitives.ReadInt16BigEndian(head[42..]));
        GlyphCount = BinaryPrimitives.ReadUInt16BigEndian(Table("maxp")[4..]);
        var hhea = Table("hhea");
        Ascender = BinaryPrimitives.ReadInt16BigEndian(hhea[4..]);
        Descender = BinaryPrimitives.ReadInt16BigEndian(hhea[6..]);
        var os2 = _tables.ContainsKey("OS/2") ? Table("OS/2") : default;
        CapHeight = os2.Length >= 90 ? BinaryPrimitives.ReadInt16BigEndian(os2[88..]) : Ascender;
    }

    /// <summary>The PostScript-style name the PDF gives the embedded subset, e.g. NotoSansArabic-Bold.</summary>
    public string Name { get; }
    public Face Face { get; }
    public Font Font { get; }
    public int UnitsPerEm { get; }
    public int GlyphCount { get; }
    public int Ascender { get; }
    public int Descender { get; }
    public int CapHeight { get; }
    public bool LongLoca { get; }
    public (short XMin, short YMin, short XMax, short YMax) BoundingBox { get; }

    /// <summary>The whole file (HarfBuzz's mapping of it; lives as long as the process).</summary>
    public ReadOnlySpan<byte> Data => _blob.AsSpan();

    public bool HasTable(string tag) => _tables.ContainsKey(tag);

    public ReadOnlySpan<byte> Table(string tag)
    {
        var (offset, length) = _tables[tag];
        return Data.Slice(offset, length);
    }

    /// <summary>Whether the font maps <paramref name="codePoint"/> to a glyph of its own.</summary>
    public bool Covers(int codePoint) => Font.TryGetNominalGlyph(codePoint, out var glyph) && glyph != 0;

    /// <summary>The advance of <paramref name="glyph"/> in font units.</summary>
    public int Advance(uint glyph) => Font.GetHorizontalGlyphAdvance(glyph);
}
