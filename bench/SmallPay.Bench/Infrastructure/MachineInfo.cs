using System.Globalization;
using System.Runtime.InteropServices;

namespace SmallPay.Bench.Infrastructure;

/// <summary>What the figures were measured on, and how busy the machine was.</summary>
public sealed record MachineInfo(
    DateTimeOffset StartedAt,
    string Commit,
    int Cores,
    string Cpu,
    double MemoryGiB,
    string LoadAtStart,
    string? LoadAtEnd,
    string Os,
    string DotNet,
    string? Node,
    string Mode)
{
    public static async Task<MachineInfo> CaptureAsync(string repositoryRoot, string mode)
    {
        var commit = await GitAsync(repositoryRoot, "rev-parse", "--short=12", "HEAD") ?? "unknown";
        var dirty = await GitAsync(repositoryRoot, "status", "--porcelain", "--untracked-files=no");
        if (!string.IsNullOrWhiteSpace(dirty)) commit += " (with uncommitted changes)";
        string? node = null;
        try
        {
            node = (await ChildProcess.RunAsync("node", ["--version"], TimeSpan.FromSeconds(20))).Stdout.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        return new MachineInfo(DateTimeOffset.UtcNow, commit, Environment.ProcessorCount, ReadCpuModel(), ReadMemoryGiB(), LoadAverage(),
            null, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, node, mode);
    }

    /// <summary>/proc/loadavg's 1, 5 and 15 minute averages: "13.37 13.37 11.89".</summary>
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    public static double? OneMinuteLoad(string load) =>
        double.TryParse(load.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string ReadCpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException) { return RuntimeInformation.ProcessArchitecture.ToString(); }
    }

    private static double ReadMemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return 0; }
    }

    private static async Task<string?> GitAsync(string root, params string[] arguments)
    {
        try
        {
            var outcome = await ChildProcess.RunAsync("git", ["-C", root, .. arguments], TimeSpan.FromSeconds(30));
            return outcome.ExitCode == 0 ? outcome.Stdout.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
