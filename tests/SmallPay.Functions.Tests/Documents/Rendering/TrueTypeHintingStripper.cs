using System.Buffers.Binary;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>
/// Removes a TrueType font's hinting (and the layout tables PDFsharp never reads) before PDFsharp sees it.
/// A build-time tool, not part of the functions: its output for Debian's DejaVu TTFs is committed in
/// functions/SmallPay.Functions/Documents/Fonts/Unhinted, and <see cref="TrueTypeHintingStripperTests"/> checks that the
/// committed fonts are still its output (and rewrites them on request).
/// </summary>
/// <remarks>
/// Hinting is bytecode that snaps outlines to a screen's pixel grid at small sizes. A PDF viewer scales glyphs freely
/// and most ignore it, yet PDFsharp copies the font's cvt, fpgm and prep tables whole into every embedded subset, and
/// each glyph keeps its instructions: in DejaVu Sans that is a third of a subset's bytes. This class rewrites the
/// font without them:
/// <list type="bullet">
/// <item>drops the hinting tables (cvt, fpgm, prep, hdmx, LTSH, VDMX, gasp) and those PDFsharp does not use
/// (kern, GPOS, GSUB, GDEF, MATH, FFTM: it does no shaping or kerning);</item>
/// <item>rewrites glyf and loca with every glyph's instructions removed (simple glyphs get instructionLength 0,
/// composite glyphs lose the WE_HAVE_INSTRUCTIONS flag and the bytes after their last component); outlines, glyph
/// order and glyph count stay as they were;</item>
/// <item>turns post into version 3 (no glyph names: a PDF addresses glyphs by index), sets maxp's hinting limits to
/// zero and clears head's "instructions may alter advance width" flag, then recomputes the checksums.</item>
/// </list>
/// Metrics (hmtx, hhea, OS/2), cmap and name are left alone, so PDFsharp measures text exactly as before.
/// Input that is not a TrueType-outline font is returned unchanged.
/// </remarks>
internal static class TrueTypeHintingStripper
{
    private static readonly HashSet<string> Dropped =
        ["cvt ", "fpgm", "prep", "hdmx", "LTSH", "VDMX", "gasp", "kern", "GPOS", "GSUB", "GDEF", "MATH", "FFTM", "DSIG"];

    // Composite glyph component flags (OpenType spec, 'glyf' table).
    private const ushort ArgsAreWords = 0x0001, HaveScale = 0x0008, MoreComponents = 0x0020,
        HaveXyScale = 0x0040, HaveTwoByTwo = 0x0080, HaveInstructions = 0x0100;

    public static byte[] Strip(ReadOnlySpan<byte> font)
    {
        if (font.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(font) is not (0x00010000 or 0x74727565 /* 'true' */))
            return font.ToArray();

        var tables = ReadDirectory(font);
        if (!tables.ContainsKey("glyf") || !tables.ContainsKey("loca") || !tables.ContainsKey("head") || !tables.ContainsKey("maxp"))
            return font.ToArray();

        var head = Slice(font, tables["head"]).ToArray();
        var maxp = Slice(font, tables["maxp"]).ToArray();
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(head.AsSpan(50)) == 1;
        var glyphCount = BinaryPrimitives.ReadUInt16BigEndian(maxp.AsSpan(4));
        var (glyf, loca) = StripGlyphs(Slice(font, tables["glyf"]), Slice(font, tables["loca"]), glyphCount, ref longLoca);

        // head: the loca format may have changed; "instructions may alter advance width" (flag bit 4) no longer holds.
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), (short)(longLoca ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(16), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(16)) & ~0x0010));
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0); // checkSumAdjustment, set last

        // maxp version 1.0 (TrueType): zones 1 (no twilight zone), then twilight points, storage, function defs,
        // instruction defs, stack elements and size of instructions all 0.
        if (maxp.Length >= 32 && BinaryPrimitives.ReadUInt32BigEndian(maxp) == 0x00010000)
        {
            BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(14), 1);
            maxp.AsSpan(16, 12).Clear();
        }

        var output = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (tag, entry) in tables)
        {
            if (Dropped.Contains(tag))
                continue;
            output[tag] = tag switch
            {
                "glyf" => glyf,
                "loca" => loca,
                "head" => head,
                "maxp" => maxp,
                "post" when entry.Length >= 32 => PostVersion3(Slice(font, entry)),
                _ => Slice(font, entry).ToArray(),
            };
        }
        return Write(BinaryPrimitives.ReadUInt32BigEndian(font), output);
    }

    /// <summary>Tag → (offset, length) of every table.</summary>
    private static Dictionary<string, (int Offset, int Length)> ReadDirectory(ReadOnlySpan<byte> font)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        var tables = new Dictionary<string, (int, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var record = font.Slice(12 + 16 * i, 16);
            var tag = System.Text.Encoding.ASCII.GetString(record[..4]);
            tables[tag] = ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }
        return tables;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> font, (int Offset, int Length) table) => font.Slice(table.Offset, table.Length);

    /// <summary>New glyf and loca tables: every glyph copied without its instructions, each padded to 4 bytes.</summary>
    private static (byte[] Glyf, byte[] Loca) StripGlyphs(ReadOnlySpan<byte> glyf, ReadOnlySpan<byte> loca, int glyphCount, ref bool longLoca)
    {
        var sourceLongLoca = longLoca;
        int Offset(ReadOnlySpan<byte> table, int index) => sourceLongLoca
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(table[(4 * index)..])
            : 2 * BinaryPrimitives.ReadUInt16BigEndian(table[(2 * index)..]);

        var newGlyf = new byte[glyf.Length + 4 * glyphCount]; // never grows beyond this (padding at most)
        var offsets = new int[glyphCount + 1];
        var at = 0;
        for (var i = 0; i < glyphCount; i++)
        {
            offsets[i] = at;
            var start = Offset(loca, i);
            var end = Offset(loca, i + 1);
            if (end <= start)
                continue; // empty glyph (space): no outline
            at += CopyWithoutInstructions(glyf[start..end], newGlyf.AsSpan(at));
            at = (at + 3) & ~3;
        }
        offsets[glyphCount] = at;

        // The short format stores offset ÷ 2 in 16 bits; keep it only while everything fits.
        longLoca = longLoca || at > 0x1FFFE;
        var newLoca = new byte[(glyphCount + 1) * (longLoca ? 4 : 2)];
        for (var i = 0; i <= glyphCount; i++)
        {
            if (longLoca) BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * i), (uint)offsets[i]);
            else BinaryPrimitives.WriteUInt16BigEndian(newLoca.AsSpan(2 * i), (ushort)(offsets[i] / 2));
        }
        return (newGlyf[..at], newLoca);
    }

    /// <summary>Copies one glyph into <paramref name="to"/> without its instructions; returns the bytes written.</summary>
    private static int CopyWithoutInstructions(ReadOnlySpan<byte> glyph, Span<byte> to)
    {
        var contours = BinaryPrimitives.ReadInt16BigEndian(glyph);
        if (contours >= 0)
        {
            // Simple glyph: header (10 bytes), endPtsOfContours[contours], instructionLength, instructions, then
            // the flags and coordinates, which are copied as they are.
            var lengthAt = 10 + 2 * contours;
            var instructions = BinaryPrimitives.ReadUInt16BigEndian(glyph[lengthAt..]);
            glyph[..lengthAt].CopyTo(to);
            BinaryPrimitives.WriteUInt16BigEndian(to[lengthAt..], 0);
            var rest = glyph[(lengthAt + 2 + instructions)..];
            rest.CopyTo(to[(lengthAt + 2)..]);
            return lengthAt + 2 + rest.Length;
        }

        // Composite glyph: a list of components (flags, glyph index, offsets, optional transform); the last one may
        // announce instructions, which follow the list.
        var position = 10;
        while (true)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[position..]);
            BinaryPrimitives.WriteUInt16BigEndian(to[position..], (ushort)(flags & ~HaveInstructions));
            var size = 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2)
                + ((flags & HaveScale) != 0 ? 2 : (flags & HaveXyScale) != 0 ? 4 : (flags & HaveTwoByTwo) != 0 ? 8 : 0);
            glyph.Slice(position + 2, size - 2).CopyTo(to[(position + 2)..]);
            position += size;
            if ((flags & MoreComponents) == 0)
                break;
        }
        glyph[..10].CopyTo(to);
        return position;
    }

    /// <summary>post version 3: the 32-byte header (italic angle, underline, fixed pitch) without glyph names.</summary>
    private static byte[] PostVersion3(ReadOnlySpan<byte> post)
    {
        var header = post[..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(header, 0x00030000);
        return header;
    }

    /// <summary>An sfnt file of <paramref name="tables"/> (sorted by tag), each 4-byte aligned, with fresh checksums.</summary>
    private static byte[] Write(uint version, SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var directorySize = 12 + 16 * count;
        var size = directorySize + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var font = new byte[size];
        var span = font.AsSpan();

        var entrySelector = (ushort)Math.Floor(Math.Log2(count));
        var searchRange = (ushort)(16 * (1 << entrySelector));
        BinaryPrimitives.WriteUInt32BigEndian(span, version);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(16 * count - searchRange));

        var offset = directorySize;
        var record = 12;
        var headOffset = -1;
        foreach (var (tag, data) in tables)
        {
            data.CopyTo(span[offset..]);
            System.Text.Encoding.ASCII.GetBytes(tag, span[record..]);
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 4)..], Checksum(span.Slice(offset, (data.Length + 3) & ~3)));
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 8)..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 12)..], (uint)data.Length);
            if (tag == "head") headOffset = offset;
            offset += (data.Length + 3) & ~3;
            record += 16;
        }
        if (headOffset >= 0)
            BinaryPrimitives.WriteUInt32BigEndian(span[(headOffset + 8)..], 0xB1B0AFBA - Checksum(span));
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 4 <= data.Length; i += 4)
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        return sum;
    }
}
