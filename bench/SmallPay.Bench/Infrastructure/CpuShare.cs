using System.Globalization;

namespace SmallPay.Bench.Infrastructure;

/// <summary>
/// Lambda's CPU share for a memory size, imposed on a local process: Lambda gives a function CPU in proportion to its
/// MemorySize (1,769 MB = one full vCPU), so a 128 MB function gets 128 ÷ 1,769 = 7.2 % of a core. Here that is a
/// cgroup (v1 cpu controller) per size whose CFS quota is that share of each 100 ms period; a process is started inside
/// it through a two-line shell wrapper that moves itself into the group and then execs the program (so the whole
/// process, from its first instruction, runs under the quota). Needs a writable /sys/fs/cgroup/cpu (root, cgroup v1);
/// <see cref="TryCreate"/> returns null elsewhere. The groups are removed on dispose.
/// </summary>
public sealed class CpuShare : IDisposable
{
    /// <summary>MemorySize that buys one full vCPU (AWS Lambda documentation).</summary>
    public const int FullVcpuMb = 1769;

    private const string Root = "/sys/fs/cgroup/cpu";
    private const int PeriodUs = 100_000;

    private readonly string _group;
    private readonly string _wrapperDirectory;

    private CpuShare(int memoryMb, string group, string wrapperDirectory)
    {
        MemoryMb = memoryMb;
        _group = group;
        _wrapperDirectory = wrapperDirectory;
    }

    public int MemoryMb { get; }

    /// <summary>The share of one core: 128 MB → 0.072.</summary>
    public double Fraction => Math.Min(1.0, (double)MemoryMb / FullVcpuMb);

    public static CpuShare? TryCreate(int memoryMb, string workDirectory, out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(Root, "cpu.cfs_quota_us")))
        {
            why = $"no cgroup v1 cpu controller at {Root}";
            return null;
        }
        var group = Path.Combine(Root, $"smallpay-bench-{Environment.ProcessId}-{memoryMb}mb");
        try
        {
            Directory.CreateDirectory(group);
            var quota = (int)Math.Round(PeriodUs * Math.Min(1.0, (double)memoryMb / FullVcpuMb));
            File.WriteAllText(Path.Combine(group, "cpu.cfs_period_us"), PeriodUs.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(group, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
            var wrappers = Path.Combine(workDirectory, $"cpu-share-{memoryMb}mb");
            Directory.CreateDirectory(wrappers);
            return new CpuShare(memoryMb, group, wrappers);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot set up a cgroup under {Root}: {e.Message}";
            try { Directory.Delete(group); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return null;
        }
    }

    /// <summary>
    /// A script that runs <paramref name="executable"/> inside this share (the harness starts it in the executable's place).
    /// Its name ends like the executable's, so the process is found by the same name.
    /// </summary>
    public string Wrap(string executable)
    {
        var wrapper = Path.Combine(_wrapperDirectory, "capped-" + Path.GetFileName(executable));
        if (!File.Exists(wrapper))
        {
            File.WriteAllText(wrapper, $"#!/bin/sh\necho $$ > '{Path.Combine(_group, "cgroup.procs")}' || exit 125\nexec '{executable}' \"$@\"\n");
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
        return wrapper;
    }

    /// <summary>How often the group was throttled and for how long in all (cpu.stat), for the notes.</summary>
    public string Stats()
    {
        try
        {
            var stat = File.ReadAllLines(Path.Combine(_group, "cpu.stat")).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
            return $"{stat.GetValueOrDefault("nr_throttled")} of {stat.GetValueOrDefault("nr_periods")} periods throttled";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "no cpu.stat"; }
    }

    public void Dispose()
    {
        // Empty by now: every process started in it has been stopped. A straggler keeps it (the kernel refuses): say so.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(_group);
                return;
            }
            catch (IOException) when (attempt < 19)
            {
                Thread.Sleep(100);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"bench: could not remove {_group}: {e.Message}");
            }
        }
    }
}
