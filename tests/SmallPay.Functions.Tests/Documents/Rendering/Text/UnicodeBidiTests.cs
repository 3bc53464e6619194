using System.Globalization;
using SmallPay.Functions.Documents.Rendering.Text;

namespace SmallPay.Functions.Tests.Documents.Rendering.Text;

/// <summary>The bidi algorithm against Unicode's conformance file, and its generated tables against the UCD.</summary>
public sealed class UnicodeBidiTests
{
    private static string SourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln")))
                return Path.Combine(directory.FullName, "functions", "SmallPay.Functions", "Documents", "Rendering", "Text");
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// UnicodeBidiData.Tables.cs is the generator's output for Debian's unicode-data (apt-get install unicode-data).
    /// Rewrite it with <c>SMALLPAY_WRITE_GENERATED=1 dotnet test --filter FullyQualifiedName~UnicodeBidiTests</c>.
    /// </summary>
    [Fact]
    public void The_tables_are_the_generators_output_for_the_unicode_character_database()
    {
        var generated = UnicodeBidiDataGenerator.Generate();
        var path = Path.Combine(SourceDirectory(), "UnicodeBidiData.Tables.cs");
        if (Environment.GetEnvironmentVariable("SMALLPAY_WRITE_GENERATED") == "1")
            File.WriteAllText(path, generated);
        Assert.True(generated == File.ReadAllText(path), "UnicodeBidiData.Tables.cs is not the generator's output: rewrite it (see this test's summary).");
    }

    /// <summary>
    /// Every one of the ~91,000 cases of BidiCharacterTest.txt: paragraph direction (LTR, RTL, auto), the resolved
    /// paragraph level, every character's level (x: removed by X9) and the visual order of the line.
    /// </summary>
    [Fact]
    public void Passes_every_case_of_BidiCharacterTest()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var line in File.ReadLines(Path.Combine(UnicodeBidiDataGenerator.UcdDirectory, "BidiCharacterTest.txt")))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            cases++;
            var fields = line.Split(';');
            var text = fields[0].Split(' ').Select(h => int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            int? direction = fields[1] == "2" ? null : int.Parse(fields[1], CultureInfo.InvariantCulture);
            var expectedParagraph = int.Parse(fields[2], CultureInfo.InvariantCulture);
            var expectedLevels = fields[3].Split(' ');
            var expectedOrder = fields[4].Length == 0 ? [] : fields[4].Split(' ').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

            var levels = UnicodeBidi.Resolve(text, direction, out var paragraph, 0, out var removed);
            var ok = paragraph == expectedParagraph;
            for (var i = 0; ok && i < text.Length; i++)
                ok = expectedLevels[i] == "x" ? removed[i] : !removed[i] && expectedLevels[i] == levels[i].ToString(CultureInfo.InvariantCulture);
            if (ok)
            {
                var order = UnicodeBidi.VisualOrder(levels).Where(i => !removed[i]).ToArray();
                ok = order.SequenceEqual(expectedOrder);
            }
            if (!ok && failures.Count < 20)
                failures.Add($"{line}\n   got level {paragraph}; {string.Join(' ', levels.Select((l, i) => removed[i] ? "x" : l.ToString(CultureInfo.InvariantCulture)))}; {string.Join(' ', UnicodeBidi.VisualOrder(levels).Where(i => !removed[i]))}");
            else if (!ok) failures.Add("");
        }
        Assert.True(cases > 90_000, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases fail, e.g.:\n{string.Join("\n", failures.Take(20))}");
    }

    [Fact]
    public void Orders_an_arabic_name_with_a_number_right_to_left_with_the_digits_left_to_right()
    {
        const string text = "شركة 123";
        var levels = UnicodeBidi.Levels(text, null, out var paragraph);
        Assert.Equal(1, paragraph);
        var visual = new string(UnicodeBidi.VisualOrder(levels).Select(i => text[i]).ToArray());
        Assert.Equal("123 ةكرش", visual);
    }
}
