using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Documents.Rendering.Text;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// Top-to-bottom flow of content over as many pages as it needs: a cursor (<see cref="Y"/>), page breaks that draw a
/// continuation header, and footers drawn once the page count is known ("Page X of Y"). Also the text primitives
/// (wrapping, right alignment, shrink-to-fit) the invoice layout uses.
/// </summary>
internal sealed class PdfPageFlow : IDisposable
{
    public const double MarginX = 50;
    public const double MarginTop = 48;
    private const double FooterReserve = 58;

    private readonly PdfDocument _document;
    private readonly XSize _pageSize;
    private readonly List<XGraphics> _pages = [];
    private readonly Action<PdfPageFlow> _continuationHeader;

    private readonly PdfGlyphFonts _fonts;
    private readonly string _language;
    private readonly bool _rightToLeft;
    private PdfPage _page = null!;
    private readonly List<PdfPage> _pdfPages = [];

    /// <param name="language">BCP 47 tag of the document's language (glyph forms of Han characters).</param>
    /// <param name="rightToLeft">Lay the page out mirrored: reading starts at the right margin.</param>
    public PdfPageFlow(PdfDocument document, InvoicePageSize size, Action<PdfPageFlow> continuationHeader, string language = "en", bool rightToLeft = false)
    {
        _document = document;
        _fonts = new PdfGlyphFonts(document);
        _language = language;
        _rightToLeft = rightToLeft;
        // Points (1/72 in): ISO A4 210 × 297 mm, US Letter 8.5 × 11 in.
        _pageSize = size == InvoicePageSize.Letter ? new XSize(612, 792) : new XSize(595.28, 841.89);
        _continuationHeader = continuationHeader;
    }

    public XGraphics G { get; private set; } = null!;
    public double Y { get; set; }
    public double Left => MarginX;
    public double Right => _pageSize.Width - MarginX;
    public double Width => Right - Left;
    public double PageHeight => _pageSize.Height;
    /// <summary>Lowest point content may reach; the footer lives below it.</summary>
    public double Bottom => _pageSize.Height - FooterReserve;
    public int PageCount => _pages.Count;

    public double Remaining => Bottom - Y;

    public bool Fits(double height) => Y + height <= Bottom;

    /// <summary>Starts a page; every page after the first opens with the continuation header.</summary>
    public void NewPage()
    {
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(_pageSize.Width);
        page.Height = XUnit.FromPoint(_pageSize.Height);
        G = XGraphics.FromPdfPage(page);
        _page = page;
        _pages.Add(G);
        _pdfPages.Add(page);
        Y = MarginTop;
        if (_pages.Count > 1)
            _continuationHeader(this);
    }

    /// <summary>Breaks the page unless <paramref name="height"/> still fits; true when it broke.</summary>
    public bool BreakUnlessFits(double height)
    {
        if (Fits(height))
            return false;
        NewPage();
        return true;
    }

    /// <summary>Draws each page's footer now that the page count is known, and closes the pages' graphics.</summary>
    public void Finish(Action<int, int> footer)
    {
        for (var i = 0; i < _pages.Count; i++)
        {
            (G, _page) = (_pages[i], _pdfPages[i]);
            footer(i + 1, _pages.Count);
        }
        Dispose();
        _fonts.Finish();
    }

    public void Dispose()
    {
        foreach (var page in _pages)
            page.Dispose();
        _pages.Clear();
    }

    // ---- graphics, mirrored for a right-to-left document ----

    /// <summary>Left edge of a box of <paramref name="width"/> laid out at <paramref name="x"/>: mirrored on a right-to-left page.</summary>
    private double X(double x, double width) => _rightToLeft ? _pageSize.Width - x - width : x;

    public void Line(XPen pen, double x1, double y1, double x2, double y2) =>
        G.DrawLine(pen, X(x1, 0), y1, X(x2, 0), y2);

    public void Rectangle(XBrush brush, double x, double y, double width, double height) =>
        G.DrawRectangle(brush, X(x, width), y, width, height);

    public void RoundedRectangle(XPen pen, double x, double y, double width, double height, double radius) =>
        G.DrawRoundedRectangle(pen, X(x, width), y, width, height, radius, radius);

    // ---- text primitives ----

    /// <summary>
    /// The line shaped (HarfBuzz, bidi, font fallback). Shaped lines are immutable and cached for the process: wrapping
    /// measures what it then draws, and every invoice repeats its labels, the business's details and most figures.
    /// </summary>
    public ShapedLine Shape(string text, TextStyle font)
    {
        text = Printable(text);
        var key = new ShapeKey(text, font.Size, font.Bold, _language, _rightToLeft);
        if (Shaped.TryGetValue(key, out var line))
            return line;
        if (Shaped.Count >= 8192) Shaped.Clear(); // a bound, not an eviction policy: a busy worker re-shapes at worst
        return Shaped[key] = TextShaper.Default.Shape(text, font.Size, font.Bold, _language, _rightToLeft ? 1 : 0);
    }

    private readonly record struct ShapeKey(string Text, double Size, bool Bold, string Language, bool RightToLeft);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ShapeKey, ShapedLine> Shaped = new();

    /// <summary>The width of <paramref name="text"/> in <paramref name="font"/> as shaped.</summary>
    public double Measure(string text, TextStyle font) => text.Length == 0 ? 0 : Shape(text, font).Width;

    /// <summary>Draws one line with its top at <paramref name="top"/>, starting at <paramref name="x"/> in reading order
    /// (its right edge at the mirrored x on a right-to-left page).</summary>
    public void Text(string text, TextStyle font, XBrush brush, double x, double top)
    {
        var line = Shape(text, font);
        Draw(line, X(x, line.Width), top, brush);
    }

    /// <summary>Draws one line ending at <paramref name="right"/> in reading order (starting there on a right-to-left page).</summary>
    public void TextRight(string text, TextStyle font, XBrush brush, double right, double top)
    {
        var line = Shape(text, font);
        Draw(line, X(right - line.Width, line.Width), top, brush);
    }

    private void Draw(ShapedLine line, double left, double top, XBrush brush)
    {
        // Every run shares one baseline, where DejaVu's ascent (0.93 em) puts it below the top.
        var color = brush is XSolidBrush solid ? solid.Color : XColors.Black;
        GlyphTextWriter.Draw(G, _page, _fonts, line, left, top + line.Size * 0.93, color);
    }

    /// <summary>Right-aligned, in a smaller size when it would be wider than <paramref name="maxWidth"/> (huge amounts).</summary>
    public void TextRightFitted(string text, TextStyle font, XBrush brush, double right, double top, double maxWidth)
    {
        var fitted = Fitted(text, font, maxWidth);
        // Same baseline as the full-size text.
        TextRight(text, fitted, brush, right, top + (font.Size - fitted.Size) * 0.93);
    }

    public TextStyle Fitted(string text, TextStyle font, double maxWidth)
    {
        var width = Measure(text, font);
        return width <= maxWidth ? font : PdfStyle.Font(Math.Floor(font.Size * maxWidth / width * 10) / 10, font.Bold);
    }

    /// <summary>One line, cut with an ellipsis when wider than <paramref name="maxWidth"/>.</summary>
    public string Truncate(string text, TextStyle font, double maxWidth)
    {
        text = Printable(text);
        if (Measure(text, font) <= maxWidth)
            return text;
        var boundaries = TextElementBoundaries(text);
        var k = boundaries.Count - 1;
        while (k > 0 && Measure(string.Concat(text.AsSpan(0, boundaries[k]).TrimEnd(), "…"), font) > maxWidth)
            k--;
        return string.Concat(text.AsSpan(0, boundaries[k]).TrimEnd(), "…");
    }

    /// <summary>
    /// Greedy word wrap to <paramref name="width"/>; honours line breaks in the text and splits words longer than a
    /// line (URLs, IBANs) between characters.
    /// </summary>
    public List<string> Wrap(string? text, TextStyle font, double width)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(text))
            return lines;

        foreach (var paragraph in Printable(text.ReplaceLineEndings("\n")).Split('\n'))
        {
            // A plain string, not a StringBuilder: clearing a builder that has grown past one chunk reallocates it,
            // which made wrapping the most allocating step of a long invoice.
            var line = "";
            foreach (var (word, spaced) in Pieces(paragraph))
            {
                var candidate = line.Length == 0 ? word : spaced ? string.Concat(line, " ", word) : string.Concat(line, word);
                if (Measure(candidate, font) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                var rest = word;
                while (Measure(rest, font) > width)
                {
                    var take = LongestPrefixThatFits(rest, font, width);
                    lines.Add(rest[..take]);
                    rest = rest[take..];
                }
                line = rest;
            }
            lines.Add(line);
        }

        // Blank lines at the end say nothing on paper.
        while (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>
    /// Tabs become spaces and other control characters go: the font has no glyph for them. Bidirectional controls go too
    /// (the last guard: the domain keeps them out of what it stores, <see cref="PlainText"/>): PDFsharp lays text out left
    /// to right as given, and a reader extracting the text would reorder it by them.
    /// </summary>
    internal static string Printable(string text)
    {
        if (!text.Any(c => (char.IsControl(c) && c != '\n') || PlainText.IsBidiControl(c)))
            return text;
        var printable = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\t') printable.Append(c == '\t' ? ' ' : c);
            else if (!char.IsControl(c) && !PlainText.IsBidiControl(c)) printable.Append(c);
        }
        return printable.ToString();
    }

    /// <summary>
    /// The longest start of <paramref name="word"/> that fits, cut between user-perceived characters (grapheme clusters:
    /// never inside a base with its marks, a surrogate pair or an Indic conjunct), at least one of them.
    /// </summary>
    private int LongestPrefixThatFits(string word, TextStyle font, double width)
    {
        var boundaries = TextElementBoundaries(word);
        int low = 1, high = boundaries.Count - 2;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Measure(word[..boundaries[middle]], font) <= width) low = middle;
            else high = middle - 1;
        }
        return boundaries[Math.Max(1, Math.Min(low, boundaries.Count - 1))];
    }

    /// <summary>0, the end of each grapheme cluster (.NET's UAX #29 segmentation, no ICU needed).</summary>
    private static List<int> TextElementBoundaries(string text)
    {
        var boundaries = new List<int> { 0 };
        for (var at = 0; at < text.Length;)
        {
            at += System.Globalization.StringInfo.GetNextTextElementLength(text, at);
            boundaries.Add(at);
        }
        return boundaries;
    }

    /// <summary>
    /// The pieces a line may break between: words between spaces, and within Chinese and Japanese text (written without
    /// spaces) each character, except that closing punctuation and small kana stay with the character before them and
    /// opening brackets with the one after (kinsoku). <c>Spaced</c>: a space precedes the piece.
    /// </summary>
    internal static IEnumerable<(string Piece, bool Spaced)> Pieces(string paragraph)
    {
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var start = 0;
            var spaced = true;
            for (var i = 1; i < word.Length; i++)
            {
                if (char.IsLowSurrogate(word[i])) continue;
                if ((IsIdeographic(word[i - 1]) || IsIdeographic(word[i])) && !NoBreakBefore(word[i]) && !NoBreakAfter(word[i - 1]))
                {
                    yield return (word[start..i], spaced);
                    start = i;
                    spaced = false;
                }
            }
            yield return (word[start..], spaced);
        }
    }

    private static bool IsIdeographic(char c) =>
        c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF'
            or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFF60';

    private static bool NoBreakBefore(char c) => "、。，．・：；？！ー」』）〕】〉》”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜…‥,.:;?!)]}%".Contains(c);

    private static bool NoBreakAfter(char c) => "「『（〔【〈《“‘([{".Contains(c);
}
