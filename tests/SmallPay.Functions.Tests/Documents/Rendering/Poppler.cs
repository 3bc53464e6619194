using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SmallPay.Functions.Tests.Documents.Rendering;

/// <summary>Reads rendered PDFs with a real PDF reader: poppler's pdftotext, pdfinfo and pdffonts (Debian poppler-utils).</summary>
public static partial class Poppler
{
    /// <summary>The text of every page, laid out as on paper (<c>pdftotext -layout</c>); index 0 is page 1.</summary>
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        var text = Run("pdftotext", pdf, "-layout", "-enc", "UTF-8");
        // pdftotext ends every page with a form feed.
        return text.Split('\f')[..^1];
    }

    public static string Text(byte[] pdf) => string.Join("\n", Pages(pdf));

    /// <summary>The text in content order with whitespace collapsed (<c>pdftotext -raw</c>): wrapped lines join up again.</summary>
    public static string FlowText(byte[] pdf) => Whitespace().Replace(Run("pdftotext", pdf, "-raw", "-enc", "UTF-8"), " ");

    /// <summary>
    /// The text in reading order (<c>pdftotext</c> without -raw or -layout: poppler finds the lines and, in right-to-left
    /// ones, reads the words from the right), whitespace collapsed and without the directional marks (U+202A–U+202E,
    /// U+200E, U+200F) poppler puts around right-to-left words: what a search or a copy of each line gets.
    /// </summary>
    public static string ReadingText(byte[] pdf) =>
        Whitespace().Replace(BidiMarks().Replace(Run("pdftotext", pdf, "-enc", "UTF-8"), ""), " ");

    /// <summary>Every word of page 1 with its box (<c>pdftotext -bbox</c>), in points from the top left.</summary>
    public static IReadOnlyList<PdfWord> Words(byte[] pdf) =>
        WordBox().Matches(Run("pdftotext", pdf, "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8"))
            .Select(m => new PdfWord(System.Net.WebUtility.HtmlDecode(m.Groups[5].Value),
                double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    public static PdfInfo Info(byte[] pdf)
    {
        var fields = Run("pdfinfo", pdf).Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());
        return new PdfInfo(int.Parse(fields["Pages"], System.Globalization.CultureInfo.InvariantCulture), fields["Page size"], fields.GetValueOrDefault("Producer") ?? "");
    }

    /// <summary>The document's XMP metadata stream, as <c>pdfinfo -meta</c> prints it ("" when it has none).</summary>
    public static string Metadata(byte[] pdf) => Run("pdfinfo", pdf, "-meta");

    /// <summary>Every font <c>pdffonts</c> lists: name, type, and whether it is embedded, a subset, and has a ToUnicode map.</summary>
    public static IReadOnlyList<PdfFont> Fonts(byte[] pdf)
    {
        // A table of fixed-width columns (name, type, encoding, emb, sub, uni, object ID) under a line of dashes that
        // gives each column's extent; the name and the type may hold spaces.
        var lines = Run("pdffonts", pdf).Split('\n');
        var columns = new List<(int Start, int Length)>();
        for (var at = 0; at < lines[1].Length;)
        {
            var end = lines[1].IndexOf(' ', at);
            if (end < 0) end = lines[1].Length;
            columns.Add((at, end - at));
            at = end + 1;
        }
        string Field(string line, int column) => line.Substring(columns[column].Start, Math.Min(columns[column].Length, line.Length - columns[column].Start)).Trim();
        return lines.Skip(2).Where(line => line.Length > columns[5].Start)
            .Select(line => new PdfFont(Field(line, 0), Field(line, 3) == "yes", Field(line, 4) == "yes", Field(line, 5) == "yes"))
            .ToList();
    }

    /// <summary>Page 1 as a PNG at <paramref name="dpi"/> (<c>pdftoppm -png -singlefile</c>).</summary>
    public static byte[] FirstPagePng(byte[] pdf, int dpi)
    {
        var output = Path.Combine(Path.GetTempPath(), $"smallpay-page-{Guid.NewGuid():N}");
        Run("pdftoppm", pdf, "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-png", "-singlefile", "-f", "1", "-l", "1", output);
        try { return File.ReadAllBytes(output + ".png"); }
        finally { File.Delete(output + ".png"); }
    }

    private static string Run(string tool, byte[] pdf, params string[] options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"smallpay-render-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            var trailing = tool == "pdftoppm" ? options[^1] : null; // pdftoppm: the output prefix follows the PDF
            foreach (var option in trailing is null ? options : options[..^1]) start.ArgumentList.Add(option);
            start.ArgumentList.Add(path);
            if (trailing is not null) start.ArgumentList.Add(trailing);
            if (tool == "pdftotext") start.ArgumentList.Add("-");
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {stderr.Result}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed: apt-get install poppler-utils", e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("[\u200E\u200F\u202A-\u202E]")]
    private static partial Regex BidiMarks();

    [GeneratedRegex("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>")]
    private static partial Regex WordBox();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

public sealed record PdfWord(string Text, double XMin, double YMin, double XMax);

public sealed record PdfInfo(int Pages, string PageSize, string Producer);

public sealed record PdfFont(string Name, bool Embedded, bool Subset, bool Unicode);
