using System.Buffers.Binary;
using System.Text;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

public sealed class PdfStreamCompactorTests
{
    [Fact]
    public void Input_that_is_not_PDFsharp_output_is_written_unchanged()
    {
        var notOurs = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\nstartxref\n999999\n%%EOF\n");
        using var output = new MemoryStream();

        PdfStreamCompactor.Write(notOurs, output);

        Assert.Equal(notOurs, output.ToArray());
    }

    [Fact]
    public void A_subset_keeps_the_metrics_of_its_glyphs_and_loses_the_others()
    {
        // A font of 4 glyphs, 3 of them with long metrics: glyphs 0 (.notdef) and 1 have outlines, 2 and 3 none.
        var font = TinyFont(outlines: [true, true, false, false], longMetrics: 3);
        var hmtx = Table(font, "hmtx");

        TrueTypeSubsetSlimmer.ZeroUnusedMetrics(font);

        var after = font.AsSpan(hmtx.Offset, hmtx.Length);
        Assert.Equal(new byte[] { 0x04, 0xD1, 0x00, 0x0F, 0x04, 0xD2, 0x00, 0x10, 0, 0, 0, 0, 0, 0 }, after.ToArray());
    }

    [Fact]
    public void Data_that_is_not_a_TrueType_font_is_left_alone()
    {
        var data = Encoding.ASCII.GetBytes("OTTO is a CFF font, not ours to touch");
        var copy = data.ToArray();

        TrueTypeSubsetSlimmer.ZeroUnusedMetrics(data);

        Assert.Equal(copy, data);
    }

    /// <summary>head, hhea, hmtx, loca (short) and maxp only: what the slimmer reads.</summary>
    private static byte[] TinyFont(bool[] outlines, int longMetrics)
    {
        var glyphs = outlines.Length;
        var head = new byte[54]; // indexToLocFormat 0 (short)
        var hhea = new byte[36];
        BinaryPrimitives.WriteUInt16BigEndian(hhea.AsSpan(34), (ushort)longMetrics);
        var hmtx = new byte[4 * longMetrics + 2 * (glyphs - longMetrics)];
        for (var g = 0; g < longMetrics; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(hmtx.AsSpan(4 * g), (ushort)(1233 + g));
            BinaryPrimitives.WriteInt16BigEndian(hmtx.AsSpan(4 * g + 2), (short)(15 + g));
        }
        for (var g = longMetrics; g < glyphs; g++)
            BinaryPrimitives.WriteInt16BigEndian(hmtx.AsSpan(4 * longMetrics + 2 * (g - longMetrics)), 99);
        var loca = new byte[2 * (glyphs + 1)];
        var at = 0;
        for (var g = 0; g < glyphs; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(loca.AsSpan(2 * g), (ushort)(at / 2));
            if (outlines[g]) at += 12;
        }
        BinaryPrimitives.WriteUInt16BigEndian(loca.AsSpan(2 * glyphs), (ushort)(at / 2));
        var maxp = new byte[6];
        BinaryPrimitives.WriteUInt32BigEndian(maxp, 0x00005000);
        BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(4), (ushort)glyphs);

        var tables = new[] { ("head", head), ("hhea", hhea), ("hmtx", hmtx), ("loca", loca), ("maxp", maxp) };
        var font = new byte[12 + 16 * tables.Length + tables.Sum(t => (t.Item2.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt32BigEndian(font, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(4), (ushort)tables.Length);
        var offset = 12 + 16 * tables.Length;
        for (var i = 0; i < tables.Length; i++)
        {
            var (tag, data) = tables[i];
            Encoding.ASCII.GetBytes(tag, font.AsSpan(12 + 16 * i));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * i + 8), (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * i + 12), (uint)data.Length);
            data.CopyTo(font, offset);
            offset += (data.Length + 3) & ~3;
        }
        return font;
    }

    private static (int Offset, int Length) Table(byte[] font, string tag)
    {
        for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4)); i++)
            if (Encoding.ASCII.GetString(font, 12 + 16 * i, 4) == tag)
                return ((int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 16 * i + 8)), (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 16 * i + 12)));
        throw new InvalidOperationException(tag);
    }
}
