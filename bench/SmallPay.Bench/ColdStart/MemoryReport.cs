using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;

namespace SmallPay.Bench.ColdStart;

/// <summary>Peak resident memory per function, and the MemorySize it suggests.</summary>
public static class MemoryReport
{
    /// <summary>Lambda sizes considered, smallest first.</summary>
    private static readonly int[] Sizes = [128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

    /// <summary>A peak may use at most this share of MemorySize: the rest is room for larger invoices, GC timing, the runtime's own growth.</summary>
    public const double Headroom = 0.75;

    /// <summary>The issue's peak RSS goals for the native executable, MiB.</summary>
    public const double ApiGoalMiB = 48, WorkerGoalMiB = 96;

    public static int Recommend(double peakMiB) => Sizes.FirstOrDefault(size => peakMiB <= size * Headroom, Sizes[^1]);

    public static void Report(BenchRun run, ColdStartResults results, IEnumerable<string> functions, Func<string, int> templateMemory)
    {
        var section = run.Add("memory", "Peak memory per function",
            $"VmHWM (peak resident set) of each cold-started process (the cold-start section's: {(results.Native ? "the native executable" : "the JIT build")}), " +
            $"read from /proc after its first call and {results.WarmPerProcess} warm call(s), just before it is stopped; the largest over the " +
            "function's processes, with their median. Rows \"JIT build\": the framework-dependent build of the same source in the same rounds. " +
            "Measured without a memory limit: under Lambda's the GC collects sooner, so these are upper bounds. Recommended MemorySize: the " +
            $"smallest of {string.Join(", ", Sizes)} MB whose {Headroom:P0} holds the peak (memory alone: MemorySize also sets the CPU share, " +
            "see the cold-start rows \"as at MemorySize N\").");
        section.KeyHeader = "function";
        foreach (var function in functions)
        {
            var goal = !results.Native ? null : function == "DocumentWorker" ? $"≤ {WorkerGoalMiB:0} MiB" : $"≤ {ApiGoalMiB:0} MiB";
            var peaks = results.PeakRssMiB.GetValueOrDefault(function);
            if (Summary.Of(peaks ?? []) is not { } summary)
            {
                section.Add(function, "not measured in this mode", null, goal);
                continue;
            }
            section.Add(function,
                $"peak {summary.Max:0} MiB (median {summary.Median:0}, n={summary.Count}) · template {templateMemory(function)} MB · recommend {Recommend(summary.Max)} MB",
                summary.Max, goal);
        }
        foreach (var function in ColdStartResults.JitFunctions)
        {
            var subject = ColdStartResults.JitSubject(function);
            if (Summary.Of(results.PeakRssMiB.GetValueOrDefault(subject) ?? []) is not { } jit) continue;
            var native = Summary.Of(results.PeakRssMiB.GetValueOrDefault(function) ?? [])?.Max;
            section.Add(subject, $"peak {jit.Max:0} MiB (median {jit.Median:0}, n={jit.Count})" + (native is > 0 ? $" · native ÷ JIT = {Summary.Ratio(native.Value / jit.Max)}" : ""), jit.Max);
        }
    }

    /// <summary>The warm calls each cold-started process served, through the Runtime API with emulator I/O.</summary>
    public static void ReportWarm(BenchRun run, ColdStartResults results, IEnumerable<string> functions)
    {
        if (results.WarmMs.Count == 0) return;
        var section = run.Add("warm-executable", "Warm invocations of the function executable",
            $"The {results.WarmPerProcess} calls each cold-started process of the cold-start section served after its first " +
            $"({(results.Native ? "the native executable" : "the JIT build")}), timed from the harness: the local Runtime API hands the event over, " +
            "the function calls DynamoDB Local / moto / maildev, posts its response. Each call on a fresh target. The process is young (its " +
            "2nd to 11th call): for a native executable that is already its steady state, for the JIT build it is not. Rows \"as at " +
            "MemorySize N\": with the CPU share and memory limit Lambda gives that size (see the cold-start section).");
        section.KeyHeader = "function";
        var others = ColdStartResults.JitFunctions.Select(ColdStartResults.JitSubject)
            .Concat(results.Variants.SelectMany(label => ColdStartResults.JitFunctions.Select(f => ColdStartResults.VariantSubject(f, label))))
            .Concat(ColdStartResults.CappedFunctions.SelectMany(c => c.MemoryMb.Select(size => ColdStartResults.CappedSubject(c.Function, size))));
        foreach (var subject in functions.Concat(others))
        {
            if (Summary.Of(results.WarmMs.GetValueOrDefault(subject) ?? []) is not { } warm) continue;
            section.Add(subject, $"p50 {Summary.Ms(warm.Median)} ms · p90 {Summary.Ms(warm.P90)} ms (max {Summary.Ms(warm.Max)}, n={warm.Count})", warm.Median);
        }
    }
}
