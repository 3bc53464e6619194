using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SmallPay.Functions.Documents.Rendering.Text;

/// <summary>
/// Writes shaped lines into a page's content stream, in drawing order with PDFsharp's own graphics: the operators go
/// into the XGraphics content (<c>XGraphics.Internals.ContentStringBuilder</c>) inside q/Q, so PDFsharp's idea of the
/// graphics state stays true. Each glyph is placed where HarfBuzz put it: a TJ array corrects every advance from the
/// font's width to the shaped one, and a glyph with an offset (a mark above or below its base) gets its own position.
/// </summary>
internal static class GlyphTextWriter
{
    public static void Draw(XGraphics graphics, PdfPage page, PdfGlyphFonts fonts, ShapedLine line, double x, double baseline, XColor color)
    {
        if (line.Runs.Count == 0) return;
        var content = graphics.Internals.ContentStringBuilder ?? throw new InvalidOperationException("Not a PDF page's graphics.");
        var pageHeight = graphics.PageSize.Height;
        var y = pageHeight - baseline;
        var size = line.Size;

        content.Append(CultureInfo.InvariantCulture, $"q {color.R / 255.0:0.###} {color.G / 255.0:0.###} {color.B / 255.0:0.###} rg\nBT\n");
        var pen = x;
        foreach (var run in line.Runs)
        {
            var font = fonts.For(run.Face);
            font.AddTo(page);
            content.Append(CultureInfo.InvariantCulture, $"{font.ResourceName} {Number(size)} Tf\n");
            var scale = size / run.Face.UnitsPerEm;
            var glyphs = run.Glyphs;
            // Where HarfBuzz puts each glyph: the pen plus the glyph's offset (a mark sits back over its base).
            var at = new (double X, double Y)[glyphs.Length];
            for (var k = 0; k < glyphs.Length; k++)
            {
                at[k] = (pen + glyphs[k].XOffset * scale, y + glyphs[k].YOffset * scale);
                pen += glyphs[k].Advance * scale;
            }

            var clusters = ClusterEnds(run);
            var open = false; // inside a TJ array
            double textX = 0, textY = 0; // where the reader's text position is after the last glyph shown
            for (var i = 0; i < glyphs.Length;)
            {
                // The glyphs of one cluster are adjacent in HarfBuzz's output.
                var end = i + 1;
                while (end < glyphs.Length && glyphs[end].Cluster == glyphs[i].Cluster) end++;
                var text = line.Text[glyphs[i].Cluster..clusters[glyphs[i].Cluster]];
                // Readers lay a glyph's (or a span's) characters out left to right and then read a right-to-left line
                // from the right: there, a cluster's characters are given right to left, so they come back in order.
                if (run.RightToLeft && text.Length > 1) text = Reversed(text);
                var span = end - i > 1;
                var order = end - i == 1 ? [i] : Enumerable.Range(i, end - i).ToList();
                var clusterEnd = at[end - 1].X - glyphs[end - 1].XOffset * scale + glyphs[end - 1].Advance * scale;
                if (span)
                {
                    if (open) { content.Append("] TJ\n"); open = false; }
                    content.Append("/Span <</ActualText <FEFF");
                    foreach (var c in text) content.Append(CultureInfo.InvariantCulture, $"{(int)c:X4}");
                    content.Append(">>> BDC\n");
                    // Readers give a span the extent from its first glyph's origin to its last glyph's origin plus width:
                    // the leftmost glyph goes first, and the last one is written with the width that reaches the
                    // cluster's end (the others with none), so the span covers the cluster exactly.
                    order = [.. order.OrderBy(k => at[k].X).ThenBy(k => glyphs[k].Advance == 0 ? 1 : 0)];
                    clusterEnd = Math.Max(clusterEnd, order.Max(k => at[k].X));
                }
                for (var n = 0; n < order.Count; n++)
                {
                    var k = order[n];
                    var glyph = glyphs[k];
                    // A glyph HarfBuzz gives no advance (a mark on its base) is written with width 0, so readers see it
                    // inside its base rather than reaching into the next character.
                    var width = span
                        ? n == order.Count - 1 ? Math.Round((clusterEnd - at[k].X) * 1000 / size, 3) : 0
                        : glyph.Advance == 0 ? 0 : font.Width(glyph.Glyph);
                    var id = font.Id(glyph.Glyph, k == i ? text : null, width);
                    if (open && Math.Abs(at[k].Y - textY) < 0.0005)
                    {
                        var adjustment = (textX - at[k].X) * 1000 / size;
                        if (Math.Abs(adjustment) > 0.005) content.Append(Number(adjustment));
                    }
                    else
                    {
                        if (open) content.Append("] TJ\n");
                        content.Append(CultureInfo.InvariantCulture, $"1 0 0 1 {Number(at[k].X)} {Number(at[k].Y)} Tm [");
                        open = true;
                    }
                    content.Append(CultureInfo.InvariantCulture, $"<{id:X4}>");
                    textX = at[k].X + width * size / 1000;
                    textY = at[k].Y;
                }
                if (span)
                {
                    if (open) { content.Append("] TJ\n"); open = false; }
                    content.Append("EMC\n");
                }
                i = end;
            }
            if (open) content.Append("] TJ\n");
        }
        content.Append("ET Q\n");
    }

    private static string Reversed(string text)
    {
        var reversed = new StringBuilder(text.Length);
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))
            {
                reversed.Append(text[i - 1]).Append(text[i]);
                i--;
            }
            else reversed.Append(text[i]);
        }
        return reversed.ToString();
    }

    /// <summary>For each cluster start in the run, where its text ends (the next cluster's start in logical order).</summary>
    private static Dictionary<int, int> ClusterEnds(GlyphRun run)
    {
        var starts = run.Glyphs.Select(g => g.Cluster).Distinct().Order().ToList();
        var ends = new Dictionary<int, int>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
            ends[starts[i]] = i + 1 < starts.Count ? starts[i + 1] : run.End;
        return ends;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
