using System.Diagnostics;

namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>
/// With SMALLPAY_STARTUP_TRACE=1, prints where a cold start spends its time to stderr once the first response is
/// posted: each stage's time since process start and the process's memory then. Off (the default) it costs one
/// environment read. Used to profile start-up (docs/BENCHMARKS.md).
/// </summary>
public static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("SMALLPAY_STARTUP_TRACE") == "1";
    private static readonly List<string> Lines = [];
    private static bool _printed;

    public static void Mark(string stage)
    {
        if (!Enabled || _printed) return;
        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        Lines.Add($"{sinceStart.TotalMilliseconds,8:F1} ms  rss {process.WorkingSet64 / 1048576.0,6:F1} MiB  {stage}");
    }

    public static void Print()
    {
        if (!Enabled || _printed) return;
        _printed = true;
        Console.Error.WriteLine("startup trace:\n" + string.Join('\n', Lines));
    }
}
