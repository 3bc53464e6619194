using System.Buffers.Binary;
using System.Text;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>The hinting stripper on the DejaVu fonts the renderer ships.</summary>
public sealed class TrueTypeHintingStripperTests
{
    public static TheoryData<string> Faces => new() { "DejaVuSans", "DejaVuSans-Bold" };

    private static string FontsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln")))
                return Path.Combine(directory.FullName, "functions", "SmallPay.Functions", "Documents", "Fonts");
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Debian's TTF, hinted, as committed in Documents/Fonts.</summary>
    private static byte[] Original(string face) => File.ReadAllBytes(Path.Combine(FontsDirectory(), face + ".ttf"));

    /// <summary>The font the renderer reads: fonts/ beside the executable (here, the test's output folder).</summary>
    private static byte[] Embedded(string face) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fonts", face + ".ttf"));

    /// <summary>
    /// The renderer ships Documents/Fonts/Unhinted (as fonts/ beside the executable), made once from the originals so that no cold start pays for it.
    /// After changing the stripper or the originals, rewrite them with
    /// <c>SMALLPAY_WRITE_UNHINTED_FONTS=1 dotnet test --filter FullyQualifiedName~TrueTypeHintingStripperTests</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Faces))]
    public void The_embedded_font_is_the_stripped_original(string face)
    {
        var stripped = TrueTypeHintingStripper.Strip(Original(face));
        if (Environment.GetEnvironmentVariable("SMALLPAY_WRITE_UNHINTED_FONTS") == "1")
            File.WriteAllBytes(Path.Combine(FontsDirectory(), "Unhinted", face + ".ttf"), stripped);

        Assert.True(stripped.AsSpan().SequenceEqual(Embedded(face)),
            $"Documents/Fonts/Unhinted/{face}.ttf is not TrueTypeHintingStripper's output for Documents/Fonts/{face}.ttf: rewrite it (see this test's summary).");
    }

    [Fact]
    public void The_stripper_is_a_build_time_tool_the_functions_do_not_ship()
    {
        Assert.DoesNotContain(typeof(InvoicePdfRenderer).Assembly.GetTypes(), type => type.Name == nameof(TrueTypeHintingStripper));
    }

    [Theory]
    [MemberData(nameof(Faces))]
    public void Drops_the_hinting_tables_and_keeps_the_ones_PDFsharp_reads(string face)
    {
        var original = Original(face);
        var stripped = TrueTypeHintingStripper.Strip(original);

        var tags = Tables(stripped).Keys.ToHashSet();
        Assert.Subset(Tables(original).Keys.ToHashSet(), tags);
        foreach (var gone in new[] { "cvt ", "fpgm", "prep", "GPOS", "GSUB", "kern" })
            Assert.DoesNotContain(gone, tags);
        foreach (var kept in new[] { "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "OS/2", "post" })
            Assert.Contains(kept, tags);
        Assert.True(stripped.Length < original.Length * 0.8, $"{stripped.Length} bytes of {original.Length}");
    }

    [Theory]
    [MemberData(nameof(Faces))]
    public void Keeps_every_glyph_its_outline_and_its_metrics_and_removes_every_instruction(string face)
    {
        var original = Original(face);
        var stripped = TrueTypeHintingStripper.Strip(original);

        Assert.Equal(GlyphCount(original), GlyphCount(stripped));
        Assert.Equal(Table(original, "hmtx").ToArray(), Table(stripped, "hmtx").ToArray());
        Assert.Equal(Table(original, "cmap").ToArray(), Table(stripped, "cmap").ToArray());
        var simple = 0;
        var composite = 0;
        for (var i = 0; i < GlyphCount(original); i++)
        {
            var before = Glyph(original, i);
            var after = Glyph(stripped, i);
            Assert.Equal(before.IsEmpty, after.IsEmpty);
            if (before.IsEmpty) continue;
            // Header: contour count and bounding box.
            Assert.Equal(before[..10].ToArray(), after[..10].ToArray());
            var contours = BinaryPrimitives.ReadInt16BigEndian(before);
            if (contours < 0)
            {
                composite++;
                Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(after[10..]) & 0x0100);
                continue;
            }
            simple++;
            var lengthAt = 10 + 2 * contours;
            Assert.Equal(before[..lengthAt].ToArray(), after[..lengthAt].ToArray());
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(after[lengthAt..]));
            // Flags and coordinates follow unchanged (the stripped copy may carry up to 3 bytes of padding).
            var points = before[(lengthAt + 2 + BinaryPrimitives.ReadUInt16BigEndian(before[lengthAt..]))..];
            Assert.True(after[(lengthAt + 2)..].StartsWith(points.TrimEnd((byte)0)));
        }
        Assert.True(simple > 3000 && composite > 100, $"{simple} simple, {composite} composite glyphs");
    }

    [Fact]
    public void Checksums_are_valid_and_a_second_pass_changes_nothing()
    {
        var once = TrueTypeHintingStripper.Strip(Original("DejaVuSans"));

        Assert.Equal(0xB1B0AFBAu, Checksum(once));
        Assert.Equal(once, TrueTypeHintingStripper.Strip(once));
    }

    [Fact]
    public void Anything_but_a_TrueType_font_comes_back_unchanged()
    {
        var notAFont = Encoding.ASCII.GetBytes("OTTO and some bytes that are no font");
        Assert.Equal(notAFont, TrueTypeHintingStripper.Strip(notAFont));
    }

    private static Dictionary<string, (int Offset, int Length)> Tables(byte[] font)
    {
        var tables = new Dictionary<string, (int, int)>();
        for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4)); i++)
        {
            var record = font.AsSpan(12 + 16 * i);
            tables[Encoding.ASCII.GetString(record[..4])] = ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }
        return tables;
    }

    private static ReadOnlySpan<byte> Table(byte[] font, string tag)
    {
        var (offset, length) = Tables(font)[tag];
        return font.AsSpan(offset, length);
    }

    private static int GlyphCount(byte[] font) => BinaryPrimitives.ReadUInt16BigEndian(Table(font, "maxp")[4..]);

    private static ReadOnlySpan<byte> Glyph(byte[] font, int index)
    {
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(Table(font, "head")[50..]) == 1;
        var loca = Table(font, "loca");
        var start = longLoca ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * index)..]) : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * index)..]);
        var end = longLoca ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * index + 4)..]) : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * index + 2)..]);
        return Table(font, "glyf")[start..end];
    }

    private static uint Checksum(byte[] data)
    {
        uint sum = 0;
        for (var i = 0; i + 4 <= data.Length; i += 4)
            sum += BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i));
        return sum;
    }
}
