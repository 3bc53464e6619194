using PdfSharp;
using PdfSharp.Fonts;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// PDFsharp's process-wide set-up, done once before the first document: the license (from 6.5 on every document
/// throws without one) and the bundled fonts (on Linux PDFsharp finds no system fonts by itself).
/// </summary>
public static class PdfSharpSetup
{
    /// <summary>
    /// A commercial PDFsharp license key (the base64 string empira issues). Unset: the AGPL license, under which
    /// SmallPay itself is published; PDFsharp then writes "(AGPL license)" into every PDF's producer field.
    /// </summary>
    public const string LicenseKeyVariable = "PDFSHARP_LICENSE_KEY";

    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Which license this process loaded; null until <see cref="EnsureInitialized"/> ran.</summary>
    public static PdfLicenseKind? License { get; private set; }

    /// <summary>
    /// Loads the license and registers the font resolver, once per process; later calls do nothing.
    /// <paramref name="configuration"/> looks up <see cref="LicenseKeyVariable"/> (default: the process environment).
    /// A key that is set but PDFsharp refuses stops the process here rather than silently falling back to the AGPL.
    /// </summary>
    public static void EnsureInitialized(Func<string, string?>? configuration = null)
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (Gate)
        {
            if (_initialized)
                return;

            var key = (configuration ?? Environment.GetEnvironmentVariable)(LicenseKeyVariable)?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                PdfSharpLicense.SetAgplLicense();
                License = PdfLicenseKind.Agpl;
            }
            else
            {
                try
                {
                    PdfSharpLicense.LoadLicense(key);
                }
                catch (Exception e)
                {
                    // The key itself never goes into the message: it is a secret.
                    throw new InvalidOperationException($"PDFsharp refused the commercial license key in {LicenseKeyVariable}: {e.Message}", e);
                }
                License = PdfLicenseKind.Commercial;
            }

            // Every family name resolves to the bundled DejaVu Sans, so no request can reach for a missing system font.
            GlobalFontSettings.FontResolver = DejaVuFontResolver.Instance;
            Volatile.Write(ref _initialized, true);
        }
    }
}

public enum PdfLicenseKind { Agpl, Commercial }
