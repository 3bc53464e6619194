using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SmallPay.Domain.Validation;

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

    public PdfPageFlow(PdfDocument document, InvoicePageSize size, Action<PdfPageFlow> continuationHeader)
    {
        _document = document;
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
        _pages.Add(G);
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
    public void Finish(Action<XGraphics, int, int> footer)
    {
        for (var i = 0; i < _pages.Count; i++)
            footer(_pages[i], i + 1, _pages.Count);
        Dispose();
    }

    public void Dispose()
    {
        foreach (var page in _pages)
            page.Dispose();
        _pages.Clear();
    }

    // ---- text primitives ----

    /// <summary>
    /// The width of <paramref name="text"/> in <paramref name="font"/>, as PDFsharp measures it: the sum of each
    /// character's advance (PDFsharp neither kerns nor shapes). Per-character widths are cached per font, so wrapping a
    /// description, which measures ever longer candidates, costs additions instead of a PDFsharp measurement each.
    /// </summary>
    public double Measure(string text, XFont font)
    {
        if (text.Length == 0)
            return 0;
        var widths = CharacterWidths.GetValue(font, _ => new FontWidths());
        var width = 0.0;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
                return G.MeasureString(text, font).Width; // a code point beyond the BMP: PDFsharp pairs the halves
            width += widths.Of(c, font, G);
        }
        return width;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<XFont, FontWidths> CharacterWidths = new();

    /// <summary>
    /// One font's character advances, measured by PDFsharp once each, in pages of 256 characters made on first use
    /// (plain arrays: no generic collection to compile on a cold start). Safe to share between threads: a race at worst
    /// measures a character twice.
    /// </summary>
    private sealed class FontWidths
    {
        private readonly double[]?[] _pages = new double[]?[256];

        public double Of(char c, XFont font, XGraphics g)
        {
            var page = Volatile.Read(ref _pages[c >> 8]);
            if (page is null)
            {
                var fresh = new double[256];
                Array.Fill(fresh, double.NaN);
                page = Interlocked.CompareExchange(ref _pages[c >> 8], fresh, null) ?? fresh;
            }
            var known = Volatile.Read(ref page[c & 0xFF]);
            if (!double.IsNaN(known))
                return known;
            var measured = g.MeasureString(c.ToString(), font).Width;
            Volatile.Write(ref page[c & 0xFF], measured);
            return measured;
        }
    }

    /// <summary>Draws one line with its top at <paramref name="top"/>.</summary>
    public void Text(string text, XFont font, XBrush brush, double x, double top) =>
        G.DrawString(Printable(text), font, brush, x, top, XStringFormats.TopLeft);

    /// <summary>Draws one line ending at <paramref name="right"/> (placed by <see cref="Measure"/>: PDFsharp's own
    /// right alignment would measure the text once more).</summary>
    public void TextRight(string text, XFont font, XBrush brush, double right, double top)
    {
        text = Printable(text);
        G.DrawString(text, font, brush, right - Measure(text, font), top, XStringFormats.TopLeft);
    }

    /// <summary>Right-aligned, in a smaller size when it would be wider than <paramref name="maxWidth"/> (huge amounts).</summary>
    public void TextRightFitted(string text, XFont font, XBrush brush, double right, double top, double maxWidth)
    {
        var fitted = Fitted(text, font, maxWidth);
        // Same baseline as the full-size text (DejaVu's ascent is 0.93 em).
        TextRight(text, fitted, brush, right, top + (font.Size - fitted.Size) * 0.93);
    }

    public XFont Fitted(string text, XFont font, double maxWidth)
    {
        var width = Measure(text, font);
        return width <= maxWidth ? font : PdfStyle.Font(Math.Floor(font.Size * maxWidth / width * 10) / 10, font.Bold);
    }

    /// <summary>One line, cut with an ellipsis when wider than <paramref name="maxWidth"/>.</summary>
    public string Truncate(string text, XFont font, double maxWidth)
    {
        text = Printable(text);
        if (Measure(text, font) <= maxWidth)
            return text;
        var length = text.Length;
        while (length > 0 && Measure(string.Concat(text.AsSpan(0, length).TrimEnd(), "…"), font) > maxWidth)
            length--;
        return string.Concat(text.AsSpan(0, length).TrimEnd(), "…");
    }

    /// <summary>
    /// Greedy word wrap to <paramref name="width"/>; honours line breaks in the text and splits words longer than a
    /// line (URLs, IBANs) between characters.
    /// </summary>
    public List<string> Wrap(string? text, XFont font, double width)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(text))
            return lines;

        foreach (var paragraph in Printable(text.ReplaceLineEndings("\n")).Split('\n'))
        {
            // A plain string, not a StringBuilder: clearing a builder that has grown past one chunk reallocates it,
            // which made wrapping the most allocating step of a long invoice.
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : string.Concat(line, " ", word);
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

    private int LongestPrefixThatFits(string word, XFont font, double width)
    {
        int low = 1, high = word.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Measure(word[..middle], font) <= width) low = middle;
            else high = middle - 1;
        }
        // Never split a surrogate pair.
        return char.IsHighSurrogate(word[low - 1]) && low > 1 ? low - 1 : low;
    }
}
