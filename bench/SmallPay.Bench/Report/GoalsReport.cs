using System.Globalization;
using SmallPay.Bench.ColdStart;

namespace SmallPay.Bench.Report;

/// <summary>The goals against this run's figures, at a glance.</summary>
public static class GoalsReport
{
    public static void Report(BenchRun run)
    {
        var section = run.Add("goals", "Goals in this run",
            "Counted from the sections above. The baseline and after columns answer issue 5's goals (JIT build); a native run answers " +
            "those of the issue \"Native AOT on the official libraries\" (cold start ≤ 0.4× the Node peer, the worker ≤ 0.8×; peak RSS " +
            "≤ 48 MiB, the worker ≤ 96 MiB; warm p50 ≤ 1 ms; the dashboard flat in the tenant's size; ≤ 2 round trips per page of " +
            "invoices). A goal that a section could not measure in this run says so.");
        section.KeyHeader = "goal";
        var cold = Find(run, "cold-start");
        var node = cold?.Rows.FirstOrDefault(r => r.Key.StartsWith("Node 20 peer", StringComparison.Ordinal))?.Number;
        var api = cold?.Rows.Where(r => r.Goal == "≤ 0.4× Node" && r.Number is not null).ToList() ?? [];
        if (node is > 0 && api.Count > 0)
        {
            var met = api.Count(r => r.Number!.Value / node.Value <= 0.4);
            var worst = api.MaxBy(r => r.Number!.Value)!;
            section.Add("API cold start ≤ 0.4× Node peer", $"{met} of {api.Count} functions (slowest: {worst.Key}, {worst.Number!.Value / node.Value:0.00}×)", met);
        }
        else section.Add("API cold start ≤ 0.4× Node peer", "not measured (needs the native executable: bench/run.sh)");
        if (node is > 0 && cold?.Rows.FirstOrDefault(r => r.Key == "DocumentWorker" && r.Goal is not null)?.Number is { } worker)
            section.Add("worker cold start ≤ 0.8× Node peer", $"{(worker / node.Value <= 0.8 ? "met" : "not met")} ({worker / node.Value:0.00}×)", worker / node.Value);
        else section.Add("worker cold start ≤ 0.8× Node peer", "not measured (needs the native executable: bench/run.sh)");

        var memory = Find(run, "memory")?.Rows.Where(r => r.Number is not null && r.Goal is not null).ToList() ?? [];
        if (memory.Count > 0)
        {
            var apiRows = memory.Where(r => r.Key != "DocumentWorker").ToList();
            var largest = apiRows.MaxBy(r => r.Number!.Value);
            section.Add($"API peak RSS ≤ {MemoryReport.ApiGoalMiB:0} MiB",
                $"{apiRows.Count(r => r.Number <= MemoryReport.ApiGoalMiB)} of {apiRows.Count} (largest: {largest?.Key} {largest?.Number:0} MiB)",
                apiRows.Count(r => r.Number <= MemoryReport.ApiGoalMiB));
            var workerPeak = memory.FirstOrDefault(r => r.Key == "DocumentWorker")?.Number;
            section.Add($"worker peak RSS ≤ {MemoryReport.WorkerGoalMiB:0} MiB",
                workerPeak is { } p ? $"{(p <= MemoryReport.WorkerGoalMiB ? "met" : "not met")} (peak {p:0} MiB)" : "not measured", workerPeak);
        }
        else
        {
            section.Add($"API peak RSS ≤ {MemoryReport.ApiGoalMiB:0} MiB", "not measured (needs the native executable: bench/run.sh)");
            section.Add($"worker peak RSS ≤ {MemoryReport.WorkerGoalMiB:0} MiB", "not measured (needs the native executable: bench/run.sh)");
        }

        var fakes = Find(run, "warm-fakes")?.Rows.Where(r => r.Goal is not null && r.Number is not null).ToList() ?? [];
        if (fakes.Count > 0)
        {
            var worst = fakes.MaxBy(r => r.Number!.Value)!;
            section.Add("warm in-process p50 ≤ 1 ms (without I/O)",
                $"{fakes.Count(r => r.Number <= 1.0)} of {fakes.Count} functions (slowest: {worst.Key}, p50 {worst.Number!.Value.ToString("0.00", CultureInfo.InvariantCulture)} ms)",
                fakes.Count(r => r.Number <= 1.0));
        }
        else section.Add("warm in-process p50 ≤ 1 ms (without I/O)", "not measured");

        var size = Find(run, "tenant-size");
        var ratio = size?.Rows.FirstOrDefault(r => r.Goal == "≈ 1×");
        var requestRows = size?.Rows.Where(r => r.Key.EndsWith("DynamoDB requests per call", StringComparison.Ordinal) && r.Number is not null).ToList() ?? [];
        if (ratio?.Number is { } r && requestRows.Count == 2)
        {
            var flatRequests = requestRows[0].Number == requestRows[1].Number;
            section.Add("GET /dashboard flat in the tenant's invoice count",
                $"{(flatRequests && r <= 1.5 ? "met" : "not met")}: {requestRows[1].Key.Split(':')[0].Replace("GET /dashboard, ", "", StringComparison.Ordinal)} vs " +
                $"{requestRows[0].Key.Split(':')[0].Replace("GET /dashboard, ", "", StringComparison.Ordinal)}: {requestRows[1].Number:0} vs {requestRows[0].Number:0} " +
                $"requests per call, time p50 {r:0.00}×", r);
        }
        else section.Add("GET /dashboard flat in the tenant's invoice count", "not measured");
        var lists = size?.Rows.Where(x => x.Goal == "≤ 2 round trips per page" && x.Number is not null).ToList() ?? [];
        if (lists.Count > 0)
        {
            var worst = lists.MaxBy(x => x.Number!.Value)!;
            section.Add("GET /invoices ≤ 2 DynamoDB round trips per page, any filter",
                $"{(worst.Number <= 2 ? "met" : "not met")}: at most {worst.Number:0} over {lists.Count} filters (the large tenant)", worst.Number);
        }
        else section.Add("GET /invoices ≤ 2 DynamoDB round trips per page, any filter", "not measured");
    }

    private static Section? Find(BenchRun run, string id) => run.Sections.FirstOrDefault(s => s.Id == id);
}
