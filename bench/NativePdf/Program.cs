using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SmallPay.Bench.Shared;
using SmallPay.Functions.Documents.Rendering;

// Renders the PDF benchmark's invoices (10, 60, 300 lines) with SmallPay's renderer, compiled natively as the worker is:
//   SmallPay.Bench.NativePdf <iterations, one per size: 200,60,20> <warm-up renders> [<out dir>]
// Prints one JSON array, as bench/node/pdfkit-invoice.mjs does: [{ lines, firstMs, samplesMs: [...], bytes }]. The
// first entry's firstMs is the first render in this fresh process (PDFsharp's set-up and the fonts included).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: SmallPay.Bench.NativePdf <iterations per size, comma-separated> <warm-up> [<out dir>]");
    return 2;
}
var iterations = args[0].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
var warmup = int.Parse(args[1], CultureInfo.InvariantCulture);
var outDirectory = args.Length > 2 ? args[2] : null;
var today = DateOnly.FromDateTime(DateTime.UtcNow);

using var stdout = Console.OpenStandardOutput();
using var json = new Utf8JsonWriter(stdout);
json.WriteStartArray();
var renderer = new InvoicePdfRenderer();
for (var s = 0; s < BenchInvoices.Sizes.Length; s++)
{
    var invoice = BenchInvoices.Invoice(BenchInvoices.Sizes[s], today);
    var started = Stopwatch.GetTimestamp();
    var pdf = renderer.Render(invoice, BenchInvoices.Business, today);
    var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    for (var i = 0; i < warmup; i++) renderer.Render(invoice, BenchInvoices.Business, today);
    var samples = new double[iterations[Math.Min(s, iterations.Length - 1)]];
    for (var i = 0; i < samples.Length; i++)
    {
        started = Stopwatch.GetTimestamp();
        pdf = renderer.Render(invoice, BenchInvoices.Business, today);
        samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
    if (outDirectory is not null) File.WriteAllBytes(Path.Combine(outDirectory, $"smallpay-native-{BenchInvoices.Sizes[s]}-lines.pdf"), pdf);
    json.WriteStartObject();
    json.WriteNumber("lines", BenchInvoices.Sizes[s]);
    json.WriteNumber("firstMs", first);
    json.WriteStartArray("samplesMs");
    foreach (var sample in samples) json.WriteNumberValue(sample);
    json.WriteEndArray();
    json.WriteNumber("bytes", pdf.Length);
    json.WriteEndObject();
}
json.WriteEndArray();
json.Flush();
return 0;
