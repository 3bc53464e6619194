using System.Diagnostics;
using System.Runtime;
using System.Runtime.Loader;

namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>
/// With SMALLPAY_STARTUP_TRACE=1, prints where a cold start spends its time to stderr once the first response is
/// posted: each stage's time since process start, methods JIT-compiled so far, JIT time and assemblies loaded.
/// Off (the default) it costs one environment read. Used to profile start-up (docs/BENCHMARKS.md).
/// </summary>
public static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("SMALLPAY_STARTUP_TRACE") == "1";
    private static readonly List<string> Lines = [];
    private static bool _printed;

    static StartupTrace()
    {
        if (Enabled && Environment.GetEnvironmentVariable("SMALLPAY_STARTUP_TRACE_LOADS") == "1")
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Mark("load " + e.LoadedAssembly.GetName().Name + " from " +
                string.Join(" < ", new StackTrace().GetFrames().Select(f => f.GetMethod()).Where(m => m?.DeclaringType?.Namespace is { } ns && !ns.StartsWith("System.Runtime.Loader") && !ns.StartsWith("SmallPay.Functions.Hosting.Runtime"))
                    .Take(6).Select(m => m!.DeclaringType!.Name + "." + m.Name)));
    }

    public static void Mark(string stage)
    {
        if (!Enabled || _printed) return;
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Lines.Add($"{sinceStart.TotalMilliseconds,8:F1} ms  jit {JitInfo.GetCompiledMethodCount(),5} methods {JitInfo.GetCompilationTime().TotalMilliseconds,6:F1} ms  " +
                  $"assemblies {AssemblyLoadContext.Default.Assemblies.Count(),3}  {stage}");
    }

    public static void Print()
    {
        if (!Enabled || _printed) return;
        _printed = true;
        Console.Error.WriteLine("startup trace:\n" + string.Join('\n', Lines) + "\nassemblies: " +
            string.Join(", ", AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).Order()));
    }
}
