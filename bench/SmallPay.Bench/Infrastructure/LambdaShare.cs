using System.Globalization;

namespace SmallPay.Bench.Infrastructure;

/// <summary>
/// What Lambda gives a function of one MemorySize, imposed on a local process: CPU in proportion to memory (1,769 MB =
/// one full vCPU, so 128 MB gets 128 ÷ 1,769 = 7.2 % of a core) and a memory limit of MemorySize (no swap). Here that is
/// a cgroup v1 pair per size: the cpu controller's CFS quota (that share of each 100 ms period) and the memory
/// controller's limit, which the .NET GC reads as Lambda's. A process is started inside them through a small shell
/// wrapper that moves itself into both groups and then execs the program, so the whole process, from its first
/// instruction, runs under them. Needs writable /sys/fs/cgroup/cpu and /sys/fs/cgroup/memory (root, cgroup v1);
/// <see cref="TryCreate"/> returns null elsewhere. The groups are removed on dispose.
/// </summary>
public sealed class LambdaShare : IDisposable
{
    /// <summary>MemorySize that buys one full vCPU (AWS Lambda documentation).</summary>
    public const int FullVcpuMb = 1769;

    private const string CpuRoot = "/sys/fs/cgroup/cpu";
    private const string MemoryRoot = "/sys/fs/cgroup/memory";
    private const int PeriodUs = 100_000;

    private readonly string _cpuGroup;
    private readonly string _memoryGroup;
    private readonly string _wrapperDirectory;

    private LambdaShare(int memoryMb, string cpuGroup, string memoryGroup, string wrapperDirectory)
    {
        MemoryMb = memoryMb;
        _cpuGroup = cpuGroup;
        _memoryGroup = memoryGroup;
        _wrapperDirectory = wrapperDirectory;
    }

    public int MemoryMb { get; }

    /// <summary>The share of one core: 128 MB → 0.072.</summary>
    public static double Fraction(int memoryMb) => Math.Min(1.0, (double)memoryMb / FullVcpuMb);

    public static LambdaShare? TryCreate(int memoryMb, string workDirectory, out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(CpuRoot, "cpu.cfs_quota_us")) || !File.Exists(Path.Combine(MemoryRoot, "memory.limit_in_bytes")))
        {
            why = $"no cgroup v1 cpu and memory controllers at {CpuRoot} and {MemoryRoot}";
            return null;
        }
        var name = $"smallpay-bench-{Environment.ProcessId}-{memoryMb}mb";
        var cpu = Path.Combine(CpuRoot, name);
        var memory = Path.Combine(MemoryRoot, name);
        try
        {
            Directory.CreateDirectory(cpu);
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_period_us"), PeriodUs.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_quota_us"), ((int)Math.Round(PeriodUs * Fraction(memoryMb))).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(memory);
            var bytes = (memoryMb * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), bytes);
            if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
                File.WriteAllText(Path.Combine(memory, "memory.memsw.limit_in_bytes"), bytes); // no swap, as in Lambda
            var wrappers = Path.Combine(workDirectory, $"lambda-share-{memoryMb}mb");
            Directory.CreateDirectory(wrappers);
            return new LambdaShare(memoryMb, cpu, memory, wrappers);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot set up cgroups {cpu} and {memory}: {e.Message}";
            foreach (var group in new[] { cpu, memory })
                try { if (Directory.Exists(group)) Directory.Delete(group); }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
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
            File.WriteAllText(wrapper,
                "#!/bin/sh\n" +
                $"echo $$ > '{Path.Combine(_cpuGroup, "cgroup.procs")}' || exit 125\n" +
                $"echo $$ > '{Path.Combine(_memoryGroup, "cgroup.procs")}' || exit 125\n" +
                $"exec '{executable}' \"$@\"\n");
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
        return wrapper;
    }

    /// <summary>How many processes the memory limit killed so far (memory.oom_control's oom_kill).</summary>
    public int OomKills() =>
        ReadKeyValues(Path.Combine(_memoryGroup, "memory.oom_control")).TryGetValue("oom_kill", out var kills) && int.TryParse(kills, out var n) ? n : 0;

    /// <summary>The group's peak memory use so far, MiB (memory.max_usage_in_bytes: page cache included).</summary>
    public double? MaxUsageMiB()
    {
        try { return long.Parse(File.ReadAllText(Path.Combine(_memoryGroup, "memory.max_usage_in_bytes")).Trim(), CultureInfo.InvariantCulture) / 1048576.0; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>How often the CPU quota throttled the group, and how many processes the memory limit killed (for the notes).</summary>
    public string Stats()
    {
        var stat = ReadKeyValues(Path.Combine(_cpuGroup, "cpu.stat"));
        return $"{stat.GetValueOrDefault("nr_throttled")} of {stat.GetValueOrDefault("nr_periods")} CPU periods throttled, {OomKills()} process(es) killed by the memory limit";
    }

    private static Dictionary<string, string> ReadKeyValues(string path)
    {
        try { return File.ReadAllLines(path).Select(l => l.Split(' ')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public void Dispose()
    {
        // Empty by now: every process started in them has been stopped. A straggler keeps a group (the kernel refuses): say so.
        foreach (var group in new[] { _cpuGroup, _memoryGroup })
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    Directory.Delete(group);
                    break;
                }
                catch (IOException) when (attempt < 19)
                {
                    Thread.Sleep(100);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"bench: could not remove {group}: {e.Message}");
                }
            }
    }
}
