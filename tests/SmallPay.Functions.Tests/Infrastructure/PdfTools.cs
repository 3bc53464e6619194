using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SmallPay.Functions.Tests.Infrastructure;

/// <summary>A real PDF reader for assertions: poppler's <c>pdftotext</c> and <c>pdfinfo</c> (scripts/setup.sh installs poppler-utils).</summary>
public static partial class PdfTools
{
    /// <summary>The text of every page, in reading order with the layout kept (table rows stay on one line).</summary>
    public static Task<string> TextAsync(byte[] pdf) => RunOnFileAsync(pdf, "pdftotext", "-layout", "-enc", "UTF-8", "{file}", "-");

    public static async Task<int> PageCountAsync(byte[] pdf)
    {
        var info = await RunOnFileAsync(pdf, "pdfinfo", "{file}");
        var match = PagesLine().Match(info);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidDataException($"pdfinfo said: {info}");
    }

    /// <summary>pdfinfo's fields (Title, Producer, Pages, Page size...).</summary>
    public static Task<string> InfoAsync(byte[] pdf) => RunOnFileAsync(pdf, "pdfinfo", "{file}");

    /// <summary>Collapses runs of spaces, so assertions do not depend on column widths.</summary>
    public static string Squeeze(string text) => Spaces().Replace(text, " ");

    private static async Task<string> RunOnFileAsync(byte[] pdf, string tool, params string[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"smallpay-test-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument == "{file}" ? file : argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidDataException($"{tool} failed ({process.ExitCode}): {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex("[ \t]+")]
    private static partial Regex Spaces();
}
