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

    public static int Recommend(double peakMiB) => Sizes.FirstOrDefault(size => peakMiB <= size * Headroom, Sizes[^1]);

    public static void Report(BenchRun run, ColdStartResults results, IEnumerable<string> functions, Func<string, int> templateMemory)
    {
        var section = run.Add("memory", "Peak memory per function",
            $"VmHWM (peak resident set) of each cold-started process, read from /proc after its first call and {results.WarmPerProcess} warm " +
            "call(s), just before it is stopped; the largest over the function's processes, with their median. Measured without a memory " +
            "limit: under Lambda's the GC collects sooner, so these are upper bounds. Recommended MemorySize: the smallest of " +
            $"{string.Join(", ", Sizes)} MB whose {Headroom:P0} holds the peak. (MemorySize also sets the CPU share: more memory starts faster.)");
        section.KeyHeader = "function";
        foreach (var function in functions)
        {
            var goal = function == "DocumentWorker" ? "fits 256 MB with room" : "fits 128 MB";
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
    }
}
