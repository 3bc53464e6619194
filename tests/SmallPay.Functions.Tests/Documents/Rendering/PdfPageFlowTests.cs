using PdfSharp.Pdf;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Tests.Documents.Rendering;

public sealed class PdfPageFlowTests
{
    [Theory]
    [InlineData("Design work (hours) (12)")]
    [InlineData("Müller & Söhne, Łódź: 1,234.50 € – Ελληνικά Кириллица → ✓")]
    [InlineData("Tanaka 株式会社 🎉 (beyond the BMP)")]
    [InlineData("x")]
    public void Measures_text_as_PDFsharp_does(string text)
    {
        PdfSharpSetup.EnsureInitialized();
        using var document = new PdfDocument();
        using var flow = new PdfPageFlow(document, InvoicePageSize.A4, _ => { });
        flow.NewPage();

        foreach (var font in new[] { PdfStyle.Body, PdfStyle.BodyBold, PdfStyle.Title })
        {
            var expected = flow.G.MeasureString(text, font).Width;
            // Twice: the second time from the cached character widths.
            Assert.Equal(expected, flow.Measure(text, font), 9);
            Assert.Equal(expected, flow.Measure(text, font), 9);
        }
        Assert.Equal(0, flow.Measure("", PdfStyle.Body));
    }
}
