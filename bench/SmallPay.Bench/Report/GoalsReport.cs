using System.Globalization;

namespace SmallPay.Bench.Report;

/// <summary>Issue 5's goals against this run's figures, at a glance.</summary>
public static class GoalsReport
{
    public static void Report(BenchRun run)
    {
        var section = run.Add("goals", "Goals (issue 5) in this run",
            "Counted from the sections above. A goal that a section could not measure in this run says so.");
        section.KeyHeader = "goal";
        var cold = Find(run, "cold-start");
        var node = cold?.Rows.FirstOrDefault(r => r.Key.StartsWith("Node 20 peer", StringComparison.Ordinal))?.Number;
        var api = cold?.Rows.Where(r => r.Goal == "≤ 1.0× Node" && r.Number is not null).ToList() ?? [];
        if (node is > 0 && api.Count > 0)
        {
            var met = api.Count(r => r.Number!.Value / node.Value <= 1.0);
            var worst = api.MaxBy(r => r.Number!.Value)!;
            section.Add("API cold start ≤ 1.0× Node peer", $"{met} of {api.Count} functions (slowest: {worst.Key}, {worst.Number!.Value / node.Value:0.00}×)", met);
        }
        else section.Add("API cold start ≤ 1.0× Node peer", "not measured");
        if (node is > 0 && cold?.Rows.FirstOrDefault(r => r.Key == "DocumentWorker")?.Number is { } worker)
            section.Add("worker cold start ≤ 2.0× Node peer", $"{(worker / node.Value <= 2.0 ? "met" : "not met")} ({worker / node.Value:0.00}×)", worker / node.Value);
        else section.Add("worker cold start ≤ 2.0× Node peer", "not measured");

        var fakes = Find(run, "warm-fakes")?.Rows.Where(r => r.Goal is not null && r.Number is not null).ToList() ?? [];
        if (fakes.Count > 0)
        {
            var met = fakes.Count(r => r.Number <= 1.0 && P99(r.Value) is <= 5.0);
            section.Add("warm in-process p50 ≤ 1 ms, p99 ≤ 5 ms (without I/O)", $"{met} of {fakes.Count} functions", met);
        }
        else section.Add("warm in-process p50 ≤ 1 ms, p99 ≤ 5 ms (without I/O)", "not measured");

        var pdf = Find(run, "pdf");
        foreach (var (suffix, label) in new[] { ("time ÷ PDFKit DejaVu", "PDF time ≤ 0.2× PDFKit (same font)"), ("time ÷ PDFKit Helvetica", "PDF time ≤ 1.0× PDFKit (Helvetica)"), ("file size ÷ PDFKit DejaVu", "PDF size ≤ 1.0× PDFKit") })
        {
            var limit = suffix.StartsWith("time ÷ PDFKit DejaVu", StringComparison.Ordinal) ? 0.2 : 1.0;
            var rows = pdf?.Rows.Where(r => r.Key.EndsWith(suffix, StringComparison.Ordinal) && r.Number is not null).ToList() ?? [];
            section.Add(label, rows.Count == 0 ? "not measured"
                : string.Join(", ", rows.Select(r => $"{r.Key.Split(',')[0]}: {r.Number:0.00}× {(r.Number <= limit ? "met" : "not met")}")));
        }

        var memory = Find(run, "memory")?.Rows.Where(r => r.Number is not null).ToList() ?? [];
        if (memory.Count > 0)
        {
            var apiRows = memory.Where(r => r.Key != "DocumentWorker").ToList();
            section.Add("API functions fit 128 MB", $"{apiRows.Count(r => r.Number <= 128)} of {apiRows.Count} (largest peak {apiRows.Select(r => r.Number!.Value).DefaultIfEmpty(0).Max():0} MiB)");
            var workerPeak = memory.FirstOrDefault(r => r.Key == "DocumentWorker")?.Number;
            section.Add("worker fits 256 MB with room", workerPeak is { } p ? $"{(p <= 256 * ColdStart.MemoryReport.Headroom ? "met" : "not met")} (peak {p:0} MiB)" : "not measured");
        }
        else section.Add("memory", "not measured");
    }

    private static Section? Find(BenchRun run, string id) => run.Sections.FirstOrDefault(s => s.Id == id);

    // "p50 0.21 ms · p99 0.95 ms (...)" → 0.95
    private static double? P99(string value)
    {
        var at = value.IndexOf("p99 ", StringComparison.Ordinal);
        if (at < 0) return null;
        var text = new string(value[(at + 4)..].TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p99) ? p99 : null;
    }
}
