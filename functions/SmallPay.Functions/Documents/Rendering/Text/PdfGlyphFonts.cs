using System.Globalization;
using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>
/// The fonts of one PDF document, embedded as Type0 fonts (Identity-H) over CIDFontType2 subsets, written with PDFsharp's
/// object model. PDFsharp draws text from characters, one glyph each, so it cannot draw what HarfBuzz shaped (joined
/// Arabic letters, conjuncts, reordered vowel signs, ligatures); these fonts take glyph ids instead.
/// </summary>
/// <remarks>
/// Text must stay text: a PDF reader turns a glyph back into characters through the font's ToUnicode map, which gives
/// one string per character id. So a character id here stands for a pair (glyph, text): the same glyph drawn for two
/// different texts gets two ids (CIDToGIDMap maps both to the glyph), and a ligature's id maps to all the characters it
/// stands for, in logical order. A cluster drawn with several glyphs (a Devanagari vowel sign drawn before its consonant,
/// a split vowel) is wrapped in an ActualText span holding its characters; the ids of its glyphs map to nothing.
/// </remarks>
internal sealed class PdfGlyphFonts(PdfDocument document)
{
    private readonly Dictionary<FontFace, EmbeddedFont> _fonts = [];

    public EmbeddedFont For(FontFace face)
    {
        if (!_fonts.TryGetValue(face, out var font))
            _fonts[face] = font = new EmbeddedFont(document, face, $"/SPF{_fonts.Count + 1}");
        return font;
    }

    /// <summary>Writes every font's subset, widths and maps; call once, after the last glyph is drawn and before saving.</summary>
    public void Finish()
    {
        foreach (var font in _fonts.Values)
            font.Finish();
    }
}

internal sealed class EmbeddedFont
{
    private readonly PdfDocument _document;
    private readonly Dictionary<(uint Glyph, string? Text, double Width), int> _ids = [];
    private readonly List<(uint Glyph, string? Text, double Width)> _byId = [(0, null, 0)];
    private readonly PdfDictionary _type0;
    private readonly PdfDictionary _cidFont;
    private readonly PdfDictionary _descriptor;

    public EmbeddedFont(PdfDocument document, FontFace face, string resourceName)
    {
        _document = document;
        Face = face;
        ResourceName = resourceName;
        _type0 = Indirect();
        _cidFont = Indirect();
        _descriptor = Indirect();
    }

    public FontFace Face { get; }
    public string ResourceName { get; }

    /// <summary>The character id of <paramref name="glyph"/> standing for <paramref name="text"/> (null: for nothing);
    /// written with <paramref name="width"/> (1/1000 em) in the /W array.</summary>
    public int Id(uint glyph, string? text, double width)
    {
        if (!_ids.TryGetValue((glyph, text, width), out var id))
        {
            id = _byId.Count;
            if (id > 0xFFFF) throw new InvalidOperationException("More than 65,535 distinct glyphs in one font of one document.");
            _ids[(glyph, text, width)] = id;
            _byId.Add((glyph, text, width));
        }
        return id;
    }

    /// <summary>
    /// The font's advance of <paramref name="glyph"/> in the /W array's units (1/1000 em), to three decimals: exact enough
    /// that an unkerned glyph needs no TJ correction (DejaVu's 2048 units per em make most widths fractional).
    /// </summary>
    public double Width(uint glyph) => Math.Round(Face.Advance(glyph) * 1000.0 / Face.UnitsPerEm, 3);

    /// <summary>Makes the font a resource of <paramref name="page"/> under <see cref="ResourceName"/>.</summary>
    public void AddTo(PdfPage page)
    {
        var resources = page.Resources;
        var fonts = resources.Elements.GetDictionary(PdfResources.Keys.Font);
        if (fonts is null)
        {
            fonts = new PdfDictionary(_document);
            resources.Elements[PdfResources.Keys.Font] = fonts;
        }
        if (!fonts.Elements.ContainsKey(ResourceName))
            fonts.Elements[ResourceName] = _type0.Reference;
    }

    public void Finish()
    {
        var face = Face;
        var glyphs = _byId.Select(entry => entry.Glyph).ToList();
        var tag = SubsetTag();
        var name = new PdfName($"/{tag}+{face.Name}");
        double Scale(int units) => Math.Round(units * 1000.0 / face.UnitsPerEm);

        var (subset, newIds) = TrueTypeSubsetter.Subset(face, glyphs);
        var program = Stream(subset);
        program.Elements["/Length1"] = new PdfInteger(program.Stream.Length);

        var box = face.BoundingBox;
        _descriptor.Elements["/Type"] = new PdfName("/FontDescriptor");
        _descriptor.Elements["/FontName"] = name;
        _descriptor.Elements["/Flags"] = new PdfInteger(4);
        _descriptor.Elements["/FontBBox"] = new PdfArray(_document, new PdfReal(Scale(box.XMin)), new PdfReal(Scale(box.YMin)), new PdfReal(Scale(box.XMax)), new PdfReal(Scale(box.YMax)));
        _descriptor.Elements["/ItalicAngle"] = new PdfInteger(0);
        _descriptor.Elements["/Ascent"] = new PdfReal(Scale(face.Ascender));
        _descriptor.Elements["/Descent"] = new PdfReal(Scale(face.Descender));
        _descriptor.Elements["/CapHeight"] = new PdfReal(Scale(face.CapHeight));
        _descriptor.Elements["/StemV"] = new PdfInteger(80);
        _descriptor.Elements["/FontFile2"] = program.Reference;

        // Character id → the glyph's id in the subset, two bytes each.
        var map = new byte[2 * _byId.Count];
        for (var id = 0; id < _byId.Count; id++)
        {
            var glyph = newIds[_byId[id].Glyph];
            map[2 * id] = (byte)(glyph >> 8);
            map[2 * id + 1] = (byte)glyph;
        }

        var widths = new PdfArray(_document);
        foreach (var (_, _, width) in _byId.Skip(1))
            widths.Elements.Add(width == Math.Floor(width) ? new PdfInteger((int)width) : new PdfReal(width));
        var cidSystemInfo = new PdfDictionary(_document);
        cidSystemInfo.Elements["/Registry"] = new PdfString("Adobe");
        cidSystemInfo.Elements["/Ordering"] = new PdfString("Identity");
        cidSystemInfo.Elements["/Supplement"] = new PdfInteger(0);

        _cidFont.Elements["/Type"] = new PdfName("/Font");
        _cidFont.Elements["/Subtype"] = new PdfName("/CIDFontType2");
        _cidFont.Elements["/BaseFont"] = name;
        _cidFont.Elements["/CIDSystemInfo"] = cidSystemInfo;
        _cidFont.Elements["/FontDescriptor"] = _descriptor.Reference;
        _cidFont.Elements["/DW"] = new PdfInteger(1000);
        _cidFont.Elements["/W"] = new PdfArray(_document, new PdfInteger(1), widths);
        _cidFont.Elements["/CIDToGIDMap"] = Stream(map).Reference;

        _type0.Elements["/Type"] = new PdfName("/Font");
        _type0.Elements["/Subtype"] = new PdfName("/Type0");
        _type0.Elements["/BaseFont"] = name;
        _type0.Elements["/Encoding"] = new PdfName("/Identity-H");
        _type0.Elements["/DescendantFonts"] = new PdfArray(_document, _cidFont.Reference!);
        _type0.Elements["/ToUnicode"] = Stream(Encoding.ASCII.GetBytes(ToUnicode())).Reference;
    }

    private string ToUnicode()
    {
        var cmap = new StringBuilder();
        cmap.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
            .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
            .Append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
            .Append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        var mapped = Enumerable.Range(1, _byId.Count - 1).Where(id => !string.IsNullOrEmpty(_byId[id].Text)).ToList();
        for (var block = 0; block < mapped.Count; block += 100)
        {
            var items = mapped.Skip(block).Take(100).ToList();
            cmap.Append(CultureInfo.InvariantCulture, $"{items.Count} beginbfchar\n");
            foreach (var id in items)
            {
                cmap.Append(CultureInfo.InvariantCulture, $"<{id:X4}> <");
                foreach (var c in _byId[id].Text!) cmap.Append(CultureInfo.InvariantCulture, $"{(int)c:X4}");
                cmap.Append(">\n");
            }
            cmap.Append("endbfchar\n");
        }
        cmap.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        return cmap.ToString();
    }

    /// <summary>Six capital letters naming this subset (PDF 9.6.4), the same for the same glyphs.</summary>
    private string SubsetTag()
    {
        var hash = 2166136261u;
        foreach (var c in Face.Name) hash = (hash ^ c) * 16777619;
        foreach (var (glyph, _, _) in _byId) hash = (hash ^ glyph) * 16777619;
        var tag = new char[6];
        for (var i = 0; i < 6; i++)
        {
            tag[i] = (char)('A' + hash % 26);
            hash /= 26;
        }
        return new string(tag);
    }

    private PdfDictionary Indirect()
    {
        var dictionary = new PdfDictionary(_document);
        _document.Internals.AddObject(dictionary);
        return dictionary;
    }

    private PdfDictionary Stream(byte[] data)
    {
        var dictionary = Indirect();
        dictionary.CreateStream(data);
        return dictionary;
    }
}
