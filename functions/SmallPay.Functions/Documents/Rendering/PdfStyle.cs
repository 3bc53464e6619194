using PdfSharp.Drawing;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>A text size and weight; the fonts themselves follow the text (Text/FontCatalog).</summary>
internal sealed record TextStyle(double Size, bool Bold);

/// <summary>The invoice's typography and colours, built once per process (PDFsharp caches the typefaces behind them).</summary>
internal static class PdfStyle
{
    public static readonly TextStyle Body = Font(9, bold: false);
    public static readonly TextStyle BodyBold = Font(9, bold: true);
    public static readonly TextStyle Small = Font(7.5, bold: false);
    public static readonly TextStyle SmallBold = Font(7.5, bold: true);
    public static readonly TextStyle Title = Font(22, bold: true);
    public static readonly TextStyle BusinessName = Font(15, bold: true);
    public static readonly TextStyle CustomerName = Font(10.5, bold: true);
    public static readonly TextStyle Total = Font(10.5, bold: true);
    public static readonly TextStyle Balance = Font(16, bold: true);
    public static readonly TextStyle Stamp = Font(17, bold: true);

    public static readonly XColor InkColor = XColor.FromArgb(0x1F, 0x29, 0x33);
    public static readonly XColor MutedColor = XColor.FromArgb(0x5F, 0x6B, 0x7A);
    public static readonly XColor AccentColor = XColor.FromArgb(0x1F, 0x4E, 0x79);

    public static readonly XBrush Ink = new XSolidBrush(InkColor);
    public static readonly XBrush Muted = new XSolidBrush(MutedColor);
    public static readonly XBrush Accent = new XSolidBrush(AccentColor);
    public static readonly XBrush Panel = new XSolidBrush(XColor.FromArgb(0xF1, 0xF4, 0xF8));
    public static readonly XPen Rule = new(XColor.FromArgb(0xD5, 0xDB, 0xE3), 0.6);
    public static readonly XPen StrongRule = new(InkColor, 0.9);

    public static XColor StampColor(InvoiceStampKind kind) => kind switch
    {
        InvoiceStampKind.Paid => XColor.FromArgb(0x1E, 0x7B, 0x34),
        InvoiceStampKind.Overdue => XColor.FromArgb(0xC0, 0x39, 0x2B),
        _ => XColor.FromArgb(0x7B, 0x87, 0x94),
    };

    /// <summary>Distance between baselines of consecutive lines in <paramref name="font"/>.</summary>
    public static double LineHeight(TextStyle font) => font.Size * 1.3;

    public static TextStyle Font(double size, bool bold) => new(size, bold);
}
