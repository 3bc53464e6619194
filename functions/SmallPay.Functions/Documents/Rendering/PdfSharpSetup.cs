using PdfSharp.Fonts;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// PDFsharp's process-wide set-up, done once before the first document: the bundled fonts (on Linux PDFsharp finds no
/// system fonts by itself). PDFsharp 6.2 is MIT-licensed and needs no license call.
/// </summary>
public static class PdfSharpSetup
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Registers the font resolver, once per process; later calls do nothing.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (Gate)
        {
            if (_initialized)
                return;
            // Every family name resolves to the bundled DejaVu Sans, so no request can reach for a missing system font.
            GlobalFontSettings.FontResolver = DejaVuFontResolver.Instance;
            Volatile.Write(ref _initialized, true);
        }
    }
}
