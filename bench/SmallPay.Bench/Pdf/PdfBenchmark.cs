using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Shared;
using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Bench.Pdf;

/// <summary>Time per render of one invoice size by one renderer.</summary>
public sealed record PdfResult(int Lines, string Renderer, Summary? Time, long Bytes, double? FirstMs, string? Failure);

/// <summary>
/// PDF rendering: SmallPay's renderer (PDFsharp, DejaVu Sans embedded as subsets) against PDFKit (Node) with Debian's
/// DejaVu TTFs (SmallPay's copies are the same fonts unhinted) and with its built-in Helvetica, on the same invoices (10, 60
/// and 300 lines), single-threaded.
/// </summary>
public static class PdfBenchmark
{
    public const string SmallPay = "SmallPay (PDFsharp, DejaVu)";
    public const string PdfKitDejaVu = "PDFKit, DejaVu embedded";
    public const string PdfKitHelvetica = "PDFKit, built-in Helvetica";
    public const string SmallPayNative = "SmallPay native (Native AOT executable)";
    public const string SmallPayJapanese = "SmallPay, the same invoice in Japanese (ja, Noto Sans CJK)";
    public static int[] Sizes => BenchInvoices.Sizes;

    public static async Task<List<PdfResult>> RunAsync(RepositoryPaths paths, BenchCounts counts, string workDirectory, string? nativePdf, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var invoices = Sizes.Select(lines => BenchInvoices.Invoice(lines, today)).ToList();
        var results = new List<PdfResult>();

        // SmallPay first: the very first render in this process includes PDFsharp's set-up and the font loading.
        var renderer = new InvoicePdfRenderer();
        for (var s = 0; s < Sizes.Length; s++)
        {
            var started = Stopwatch.GetTimestamp();
            var pdf = renderer.Render(invoices[s], BenchInvoices.Business, today);
            var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            for (var i = 0; i < counts.PdfWarmup; i++) renderer.Render(invoices[s], BenchInvoices.Business, today);
            var samples = new List<double>();
            for (var i = 0; i < counts.PdfIterations[s]; i++)
            {
                started = Stopwatch.GetTimestamp();
                pdf = renderer.Render(invoices[s], BenchInvoices.Business, today);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            await File.WriteAllBytesAsync(Path.Combine(workDirectory, $"smallpay-{Sizes[s]}-lines.pdf"), pdf, ct);
            results.Add(new PdfResult(Sizes[s], SmallPay, Summary.Of(samples), pdf.Length, s == 0 ? first : null, null));
        }

        // The 10-line invoice to a Japanese customer, in Japanese: names, descriptions and labels in CJK (shaping, the CJK
        // font subset), beside the Latin one in the same process.
        {
            var latin = invoices[0];
            var japanese = latin with
            {
                Customer = latin.Customer with { Name = "株式会社テスト商事", Language = "ja" },
                Content = latin.Content with
                {
                    Lines = latin.Content.Lines.Select((line, i) => line with { Description = $"ウェブサイト制作と保守、月次報告書の作成（第{i + 1}段階）" }).ToList(),
                    Notes = "お支払いは請求書番号を添えて銀行振込でお願いいたします。",
                },
            };
            var started = Stopwatch.GetTimestamp();
            var pdf = renderer.Render(japanese, BenchInvoices.Business, today);
            var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            for (var i = 0; i < counts.PdfWarmup; i++) renderer.Render(japanese, BenchInvoices.Business, today);
            var samples = new List<double>();
            for (var i = 0; i < counts.PdfIterations[0]; i++)
            {
                started = Stopwatch.GetTimestamp();
                pdf = renderer.Render(japanese, BenchInvoices.Business, today);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            await File.WriteAllBytesAsync(Path.Combine(workDirectory, "smallpay-10-lines-ja.pdf"), pdf, ct);
            results.Add(new PdfResult(Sizes[0], SmallPayJapanese, Summary.Of(samples), pdf.Length, first, null));
        }

        // The same renderer compiled natively (bench/NativePdf), as the worker runs it: a fresh process, first render included.
        if (nativePdf is not null)
            results.AddRange(await NativeAsync(nativePdf, counts, workDirectory, ct));

        // PDFKit: one Node process per font, rendering the three invoices in turn (its first render of each is its warm-up's start).
        var spec = Path.Combine(workDirectory, "invoices.json");
        await File.WriteAllTextAsync(spec, new JsonObject
        {
            ["invoices"] = new JsonArray(invoices.Select(invoice => (JsonNode)View(invoice, BenchInvoices.Business, today)).ToArray()),
        }.ToJsonString(), ct);
        foreach (var (mode, name) in new[] { ("dejavu", PdfKitDejaVu), ("helvetica", PdfKitHelvetica) })
            results.AddRange(await PdfKitAsync(paths, spec, mode, name, counts.PdfKitIterations, counts.PdfWarmup, workDirectory, ct));
        return results;
    }

    public static void Report(BenchRun run, List<PdfResult> results)
    {
        var section = run.Add("pdf", "PDF rendering",
            "The same invoices (10, 60, 300 lines, some descriptions wrapping; open, partly paid, 5 % discount, two tax rates, notes) " +
            "rendered by SmallPay's InvoicePdfRenderer in this process and by PDFKit in Node 20 (bench/node/pdfkit-invoice.mjs: the same content " +
            "and layout in outline, a header row repeated on every page, Page X of Y), with Debian's DejaVu Sans TTFs embedded (subset; " +
            "SmallPay embeds the same fonts with their hinting stripped, Documents/Fonts/Unhinted) and with the built-in Helvetica " +
            "(nothing embedded). Single-threaded, after warm-up renders; median and p90 per invoice; " +
            "PDFs/s on one core = 1000 ÷ median ms. Ratios are SmallPay ÷ PDFKit. \"SmallPay (PDFsharp, DejaVu)\" renders in the harness's " +
            "own process (JIT, as in the baseline and after columns); \"SmallPay native\" is the same renderer and the same invoices compiled " +
            "with Native AOT as the worker's bootstrap is (bench/NativePdf, its own fresh process, same warm-up and counts), the figure " +
            "the deployed worker sees.");
        section.KeyHeader = "invoice, renderer";
        foreach (var size in Sizes)
        {
            PdfResult? Of(string renderer) => results.FirstOrDefault(r => r.Lines == size && r.Renderer == renderer);
            foreach (var renderer in new[] { SmallPay, SmallPayJapanese, SmallPayNative, PdfKitDejaVu, PdfKitHelvetica })
            {
                var result = Of(renderer);
                if (renderer is SmallPayNative or SmallPayJapanese && result is null) continue;
                if (result?.Time is not { } t)
                {
                    section.Add($"{size} lines, {renderer}", result?.Failure is { } f ? "failed: " + f : "not measured");
                    continue;
                }
                section.Add($"{size} lines, {renderer}",
                    $"{Summary.Ms(t.Median)} ms (p90 {Summary.Ms(t.P90)}, n={t.Count}) · {1000 / t.Median:0} PDFs/s on one core · {result.Bytes / 1024.0:0.0} KiB", t.Median);
            }
            var ours = Of(SmallPay);
            var dejavu = Of(PdfKitDejaVu);
            var helvetica = Of(PdfKitHelvetica);
            if (Of(SmallPayNative) is { Time: { } n } native)
            {
                var versus = new List<string>();
                if (ours?.Time is { } jit) versus.Add($"{Summary.Ratio(n.Median / jit.Median)} the JIT render");
                if (dejavu?.Time is { } dv) versus.Add($"{Summary.Ratio(n.Median / dv.Median)} PDFKit DejaVu");
                if (helvetica?.Time is { } hv) versus.Add($"{Summary.Ratio(n.Median / hv.Median)} PDFKit Helvetica");
                if (dejavu is { Bytes: > 0 }) versus.Add($"size {Summary.Ratio((double)native.Bytes / dejavu.Bytes)} PDFKit DejaVu");
                section.Add($"{size} lines, native time ÷ others", string.Join(" · ", versus), ours?.Time is { } j ? n.Median / j.Median : null);
            }
            if (ours?.Time is { } o && dejavu?.Time is { } d)
                section.Add($"{size} lines, time ÷ PDFKit DejaVu", Summary.Ratio(o.Median / d.Median), o.Median / d.Median, "≤ 0.2×");
            if (ours?.Time is { } o2 && helvetica?.Time is { } h)
                section.Add($"{size} lines, time ÷ PDFKit Helvetica", Summary.Ratio(o2.Median / h.Median), o2.Median / h.Median, "≤ 1.0×");
            if (ours is { Bytes: > 0 } && dejavu is { Bytes: > 0 })
                section.Add($"{size} lines, file size ÷ PDFKit DejaVu", Summary.Ratio((double)ours.Bytes / dejavu.Bytes), (double)ours.Bytes / dejavu.Bytes, "≤ 1.0×");
        }
        var small = results.FirstOrDefault(r => r.Lines == Sizes[0] && r.Renderer == SmallPay)?.Time;
        var large = results.FirstOrDefault(r => r.Lines == Sizes[^1] && r.Renderer == SmallPay)?.Time;
        if (small is not null && large is not null)
        {
            var perLine = (large.Median - small.Median) / (Sizes[^1] - Sizes[0]);
            section.Add("SmallPay: time per extra line (10 → 300 lines)", $"{Summary.Ms(perLine)} ms/line; 300-line ÷ 10-line time = {large.Median / small.Median:0.0}× for 30× the lines",
                perLine, "linear in line count");
        }
        if (results.FirstOrDefault(r => r.Renderer == SmallPay && r.FirstMs is not null)?.FirstMs is { } firstMs)
            section.Note($"SmallPay's first render in the harness's process (PDFsharp set-up, fonts loaded, code JIT-compiled): {Summary.Ms(firstMs)} ms" +
                         (results.FirstOrDefault(r => r.Renderer == SmallPayNative && r.FirstMs is not null)?.FirstMs is { } nativeFirst
                             ? $"; in a fresh native process (set-up and fonts, no JIT): {Summary.Ms(nativeFirst)} ms, what the worker pays on every cold start."
                             : "; the JIT-built worker pays it on every cold start."));
        foreach (var failed in results.Where(r => r.Failure is not null))
            section.Note($"{failed.Renderer}, {failed.Lines} lines: {failed.Failure}");
    }

    /// <summary>The invoice as PDFKit's script draws it: the same texts, formatted by the same InvoiceFormat.</summary>
    public static JsonObject View(Invoice invoice, BusinessSettings business, DateOnly today)
    {
        var currency = invoice.Currency;
        var totals = invoice.Totals;
        var number = InvoiceFormat.Number(invoice);
        var particulars = new JsonArray(
            new JsonArray("Invoice number", number),
            new JsonArray("Issue date", InvoiceFormat.Date(invoice.Content.IssueDate)),
            new JsonArray("Due date", InvoiceFormat.Date(invoice.DueDate)));
        if (InvoiceFormat.PaymentTerms(invoice.Content) is { } terms) particulars.Add(new JsonArray("Payment terms", terms));
        particulars.Add(new JsonArray("Currency", currency.Code));
        var rows = new JsonArray(new JsonObject { ["label"] = "Subtotal", ["value"] = InvoiceFormat.Money(totals.Subtotal, currency) });
        if (totals.Discount != 0m)
            rows.Add(new JsonObject { ["label"] = $"Discount ({InvoiceFormat.Percent(invoice.Content.Discount.Value)})", ["value"] = InvoiceFormat.Money(-totals.Discount, currency) });
        foreach (var tax in totals.Taxes)
            rows.Add(new JsonObject { ["label"] = $"Tax {InvoiceFormat.Percent(tax.RatePercent)} on {InvoiceFormat.Amount(tax.Taxable, currency)}", ["value"] = InvoiceFormat.Money(tax.Tax, currency) });
        var stamp = InvoiceStamp.For(invoice, today);
        return new JsonObject
        {
            ["number"] = number,
            ["business"] = new JsonObject { ["name"] = business.BusinessName, ["lines"] = Lines(business.Address, business.Email, business.Phone, business.TaxId) },
            ["particulars"] = particulars,
            ["customer"] = new JsonObject { ["name"] = invoice.Customer.Name, ["lines"] = Lines(invoice.Customer.Address, invoice.Customer.Email, null, invoice.Customer.TaxId) },
            ["stamp"] = stamp is null ? null : new JsonObject { ["text"] = stamp.Text, ["detail"] = stamp.Detail, ["color"] = "#C0392B" },
            ["balance"] = new JsonObject { ["amount"] = InvoiceFormat.Money(totals.BalanceDue, currency), ["due"] = $"Due {InvoiceFormat.Date(invoice.DueDate)}" },
            ["lines"] = new JsonArray(invoice.Content.Lines.Select((line, i) => (JsonNode)new JsonObject
            {
                ["description"] = line.Description,
                ["quantity"] = InvoiceFormat.Quantity(line.Quantity),
                ["unitPrice"] = InvoiceFormat.UnitPrice(line.UnitPrice, currency),
                ["discount"] = line.DiscountPercent == 0m ? "–" : InvoiceFormat.Percent(line.DiscountPercent),
                ["tax"] = InvoiceFormat.Percent(line.TaxRatePercent),
                ["amount"] = InvoiceFormat.Amount(totals.LineAmounts[i], currency),
            }).ToArray()),
            ["totals"] = rows,
            ["total"] = InvoiceFormat.Money(totals.Total, currency),
            ["paid"] = InvoiceFormat.Money(totals.AmountPaid, currency),
            ["balanceDue"] = InvoiceFormat.Money(totals.BalanceDue, currency),
            ["notes"] = invoice.Content.Notes,
            ["terms"] = $"Please pay {InvoiceFormat.Money(totals.BalanceDue, currency)} by {InvoiceFormat.Date(invoice.DueDate)}, quoting invoice number {number}.",
            ["footer"] = $"{business.BusinessName} · Invoice {number}",
        };
    }

    private static JsonArray Lines(PostalAddress? address, string? email, string? phone, string? taxId)
    {
        var lines = new JsonArray();
        if (address is not null)
        {
            if (!string.IsNullOrWhiteSpace(address.Line1)) lines.Add(address.Line1);
            var city = string.Join(' ', new[] { address.PostalCode, address.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (city.Length > 0) lines.Add(city);
            if (!string.IsNullOrWhiteSpace(address.Country)) lines.Add(address.Country);
        }
        if (!string.IsNullOrWhiteSpace(email)) lines.Add(email);
        if (!string.IsNullOrWhiteSpace(phone)) lines.Add(phone);
        if (!string.IsNullOrWhiteSpace(taxId)) lines.Add($"Tax ID: {taxId}");
        return lines;
    }

    private static async Task<List<PdfResult>> NativeAsync(string executable, BenchCounts counts, string outDirectory, CancellationToken ct)
    {
        try
        {
            var outcome = await ChildProcess.RunAsync(executable,
                [string.Join(',', counts.PdfIterations), counts.PdfWarmup.ToString(CultureInfo.InvariantCulture), outDirectory], TimeSpan.FromMinutes(10),
                cancellationToken: ct);
            if (outcome.ExitCode != 0)
                return Sizes.Select(lines => new PdfResult(lines, SmallPayNative, null, 0, null, outcome.Stderr.Trim().Split('\n').LastOrDefault() ?? $"exit {outcome.ExitCode}")).ToList();
            using var json = JsonDocument.Parse(outcome.Stdout);
            return json.RootElement.EnumerateArray().Select((entry, i) => new PdfResult(
                entry.GetProperty("lines").GetInt32(), SmallPayNative,
                Summary.Of(entry.GetProperty("samplesMs").EnumerateArray().Select(e => e.GetDouble())),
                entry.GetProperty("bytes").GetInt64(), i == 0 ? entry.GetProperty("firstMs").GetDouble() : null, null)).ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or TimeoutException)
        {
            return Sizes.Select(lines => new PdfResult(lines, SmallPayNative, null, 0, null, e.Message)).ToList();
        }
    }

    private static async Task<List<PdfResult>> PdfKitAsync(RepositoryPaths paths, string spec, string mode, string name, IReadOnlyList<int> iterations, int warmup,
        string outDirectory, CancellationToken ct)
    {
        List<PdfResult> Failed(string why) => Sizes.Select(lines => new PdfResult(lines, name, null, 0, null, why)).ToList();
        try
        {
            var outcome = await ChildProcess.RunAsync("node",
                [Path.Combine(paths.NodeScripts, "pdfkit-invoice.mjs"), spec, mode, paths.Fonts, string.Join(',', iterations), warmup.ToString(CultureInfo.InvariantCulture), outDirectory],
                TimeSpan.FromMinutes(10), workingDirectory: paths.NodeScripts, cancellationToken: ct);
            if (outcome.ExitCode != 0) return Failed(outcome.Stderr.Trim().Split('\n').LastOrDefault() ?? $"exit {outcome.ExitCode}");
            using var json = JsonDocument.Parse(outcome.Stdout);
            return json.RootElement.EnumerateArray().Select(entry => new PdfResult(
                entry.GetProperty("lines").GetInt32(), name,
                Summary.Of(entry.GetProperty("samplesMs").EnumerateArray().Select(e => e.GetDouble())),
                entry.GetProperty("bytes").GetInt64(), entry.GetProperty("firstMs").GetDouble(), null)).ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or TimeoutException)
        {
            return Failed(e.Message);
        }
    }
}
