using System.Buffers.Binary;
using System.Text;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>
/// The font program a PDF embeds for a CIDFontType2 (FontFile2): only the glyphs a document uses, renumbered 0..n-1 in
/// the order of their original ids (.notdef stays 0; composite glyphs' components are renumbered with them), so a subset
/// of a 40,000-glyph CJK font carries loca and hmtx entries for its few dozen glyphs rather than for every id below the
/// highest one used. The PDF maps its character ids to the new glyph ids with CIDToGIDMap. Tables: head, hhea, maxp,
/// hmtx, loca (long), glyf, post (version 3, no names), OS/2 and, where the font has them, cvt, fpgm and prep — what a
/// PDF reader needs to draw glyphs by id (no cmap: characters reach the glyphs through the PDF's own maps).
/// </summary>
internal static class TrueTypeSubsetter
{
    private const ushort ArgsAreWords = 0x0001, HaveScale = 0x0008, MoreComponents = 0x0020, HaveXyScale = 0x0040, HaveTwoByTwo = 0x0080;

    /// <summary>The subset, and each kept glyph's new id.</summary>
    public static (byte[] Font, Dictionary<uint, ushort> NewIds) Subset(FontFace face, IEnumerable<uint> glyphs)
    {
        var loca = face.Table("loca");
        var glyf = face.Table("glyf");
        var used = new SortedSet<uint> { 0 };
        var pending = new Stack<uint>(glyphs);
        while (pending.Count > 0)
        {
            var glyph = pending.Pop();
            if (glyph >= face.GlyphCount || !used.Add(glyph) && glyph != 0) continue;
            var data = GlyphData(glyf, loca, glyph, face.LongLoca);
            if (data.Length >= 10 && BinaryPrimitives.ReadInt16BigEndian(data) < 0)
                foreach (var (component, _) in Components(data))
                    if (!used.Contains(component)) pending.Push(component);
        }

        var newIds = new Dictionary<uint, ushort>(used.Count);
        foreach (var glyph in used) newIds[glyph] = (ushort)newIds.Count;
        var count = used.Count;

        var newLoca = new byte[4 * (count + 1)];
        using var newGlyf = new MemoryStream();
        var hhea = face.Table("hhea").ToArray();
        var metrics = BinaryPrimitives.ReadUInt16BigEndian(hhea.AsSpan(34));
        var hmtx = face.Table("hmtx");
        var newHmtx = new byte[4 * count];
        foreach (var (glyph, id) in newIds)
        {
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * id), (uint)newGlyf.Length);
            var data = GlyphData(glyf, loca, glyph, face.LongLoca).ToArray();
            if (data.Length >= 10 && BinaryPrimitives.ReadInt16BigEndian(data) < 0)
                foreach (var (component, at) in Components(data))
                    BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), newIds[component]);
            newGlyf.Write(data);
            while (newGlyf.Length % 4 != 0) newGlyf.WriteByte(0);

            var g = (int)glyph;
            var advance = BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * Math.Min(g, metrics - 1))..]);
            var bearing = g < metrics
                ? BinaryPrimitives.ReadInt16BigEndian(hmtx[(4 * g + 2)..])
                : BinaryPrimitives.ReadInt16BigEndian(hmtx[(4 * metrics + 2 * (g - metrics))..]);
            BinaryPrimitives.WriteUInt16BigEndian(newHmtx.AsSpan(4 * id), advance);
            BinaryPrimitives.WriteInt16BigEndian(newHmtx.AsSpan(4 * id + 2), bearing);
        }
        BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * count), (uint)newGlyf.Length);
        BinaryPrimitives.WriteUInt16BigEndian(hhea.AsSpan(34), (ushort)count);

        var maxp = face.Table("maxp").ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(4), (ushort)count);
        var head = face.Table("head").ToArray();
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), 1);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0);
        var post = face.Table("post")[..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(post, 0x00030000);

        var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["glyf"] = newGlyf.ToArray(), ["head"] = head, ["hhea"] = hhea, ["hmtx"] = newHmtx, ["loca"] = newLoca, ["maxp"] = maxp, ["post"] = post,
        };
        foreach (var tag in (string[])["OS/2", "cvt ", "fpgm", "prep"])
            if (face.HasTable(tag)) tables[tag] = face.Table(tag).ToArray();
        return (Write(tables), newIds);
    }

    private static ReadOnlySpan<byte> GlyphData(ReadOnlySpan<byte> glyf, ReadOnlySpan<byte> loca, uint glyph, bool longLoca)
    {
        var start = LocaOffset(loca, glyph, longLoca);
        var end = LocaOffset(loca, glyph + 1, longLoca);
        return end > start && end <= glyf.Length ? glyf[start..end] : [];
    }

    private static int LocaOffset(ReadOnlySpan<byte> loca, uint i, bool longLoca) => longLoca
        ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(int)(4 * i)..])
        : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(int)(2 * i)..]);

    /// <summary>A composite glyph's components: each one's glyph id and where that id is in the glyph's data.</summary>
    private static List<(uint Glyph, int At)> Components(ReadOnlySpan<byte> glyph)
    {
        var components = new List<(uint, int)>();
        var at = 10;
        while (at + 4 <= glyph.Length)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            components.Add((BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]), at + 2));
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            if ((flags & HaveScale) != 0) at += 2;
            else if ((flags & HaveXyScale) != 0) at += 4;
            else if ((flags & HaveTwoByTwo) != 0) at += 8;
            if ((flags & MoreComponents) == 0) break;
        }
        return components;
    }

    private static byte[] Write(SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var entrySelector = (int)Math.Floor(Math.Log2(count));
        var searchRange = 16 * (1 << entrySelector);
        var output = new MemoryStream();
        var header = new byte[12 + 16 * count];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)(16 * count - searchRange));
        output.Write(header);
        var i = 0;
        var headAt = 0;
        foreach (var (tag, data) in tables)
        {
            var record = header.AsSpan(12 + 16 * i++);
            Encoding.ASCII.GetBytes(tag, record);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(data));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)output.Length);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            if (tag == "head") headAt = (int)output.Length;
            output.Write(data);
            while (output.Length % 4 != 0) output.WriteByte(0);
        }
        var font = output.ToArray();
        header.CopyTo(font, 0);
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headAt + 8), 0xB1B0AFBA - Checksum(font));
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4) sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        if (i < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[i..].CopyTo(last);
            sum += BinaryPrimitives.ReadUInt32BigEndian(last);
        }
        return sum;
    }
}
