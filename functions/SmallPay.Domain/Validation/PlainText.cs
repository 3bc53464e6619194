namespace SmallPay.Domain.Validation;

/// <summary>
/// Text a person typed, made safe to show: the bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069) are removed. They are invisible, and they reorder what follows them — "Invoice\u202Efdp.exe" shows as
/// "Invoiceexe.pdf" — so a name, subject or line could display differently on the invoice, in the e-mail and in the app
/// than what was stored. (The right-to-left and left-to-right marks U+200E/U+200F stay: they change no order of text
/// around them and Arabic or Hebrew names can need them.)
/// </summary>
public static class PlainText
{
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>The text without bidirectional controls (the same instance when it has none).</summary>
    public static string WithoutBidiControls(string text)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E');
        var isolate = text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069');
        if (first < 0 && isolate < 0) return text;
        return string.Create(text.Length - text.Count(IsBidiControl), text, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
                if (!IsBidiControl(c)) span[i++] = c;
        });
    }

    /// <summary>Without bidirectional controls and trimmed; null when nothing is left.</summary>
    public static string? Clean(string? text) =>
        text is null ? null : WithoutBidiControls(text).Trim() is { Length: > 0 } clean ? clean : null;

    /// <summary>Without bidirectional controls and trimmed; "" when nothing is left (required fields).</summary>
    public static string CleanRequired(string? text) => Clean(text) ?? "";
}
