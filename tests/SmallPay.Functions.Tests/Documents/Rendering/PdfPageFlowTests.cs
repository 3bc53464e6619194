using System.Globalization;
using PdfSharp.Pdf;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

public sealed class PdfPageFlowTests
{
    private static PdfPageFlow Flow(PdfDocument document)
    {
        PdfSharpSetup.EnsureInitialized();
        var flow = new PdfPageFlow(document, InvoicePageSize.A4, _ => { });
        flow.NewPage();
        return flow;
    }

    [Theory]
    [InlineData("Design work (hours) (12)")]
    [InlineData("Müller & Söhne, Łódź: 1,234.50 € – Ελληνικά Кириллица → ✓")]
    [InlineData("Tanaka 株式会社 🎉 (beyond the BMP)")]
    [InlineData("شركة الاختبار 123")]
    [InlineData("x")]
    public void Measures_text_as_shaped(string text)
    {
        using var document = new PdfDocument();
        using var flow = Flow(document);
        foreach (var font in new[] { PdfStyle.Body, PdfStyle.BodyBold, PdfStyle.Title })
        {
            var shaped = flow.Shape(text, font);
            var expected = shaped.Runs.Sum(run => run.Glyphs.Sum(g => g.Advance) * font.Size / run.Face.UnitsPerEm);
            Assert.Equal(expected, flow.Measure(text, font), 9);
            Assert.True(expected > 0);
        }
        Assert.Equal(0, flow.Measure("", PdfStyle.Body));
    }

    [Fact]
    public void Wraps_japanese_between_characters_keeping_closing_punctuation_with_its_character()
    {
        using var document = new PdfDocument();
        using var flow = Flow(document);
        const string text = "株式会社テスト商事は、東京都千代田区丸の内一丁目に本社を置く会社です。請求書をお送りします。";
        var lines = flow.Wrap(text, PdfStyle.Body, 60);

        Assert.True(lines.Count > 3);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, line => Assert.True(flow.Measure(line, PdfStyle.Body) <= 60));
        Assert.All(lines.Skip(1), line => Assert.DoesNotContain(line[0], "、。"));
    }

    [Fact]
    public void Splits_a_long_word_only_between_grapheme_clusters()
    {
        using var document = new PdfDocument();
        using var flow = Flow(document);
        const string word = "परीक्षणपरीक्षणपरीक्षणपरीक्षणपरीक्षणपरीक्षण";
        var lines = flow.Wrap(word, PdfStyle.Body, 40);

        Assert.True(lines.Count > 1);
        Assert.Equal(word, string.Concat(lines));
        var boundaries = new HashSet<int>();
        for (var at = 0; at < word.Length; at += StringInfo.GetNextTextElementLength(word, at)) boundaries.Add(at);
        var offset = 0;
        foreach (var line in lines[..^1])
        {
            offset += line.Length;
            Assert.Contains(offset, boundaries);
        }
    }
}
