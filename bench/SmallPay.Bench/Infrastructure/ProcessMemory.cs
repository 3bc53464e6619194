using System.Globalization;

namespace SmallPay.Bench.Infrastructure;

/// <summary>Resident memory of processes, from Linux's /proc.</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM: the peak resident set size of a living process, in MiB (null if it is gone or this is not Linux).</summary>
    public static double? PeakRssMiB(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>
    /// CPU time a living process has used so far, in ms: the sum of its threads' time on a CPU (/proc/pid/task/*/schedstat,
    /// nanoseconds; a thread that already ended is not counted). Null if it is gone or this is not Linux.
    /// </summary>
    public static double? CpuMs(int pid)
    {
        long total = 0;
        var found = false;
        foreach (var task in SafeDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var first = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0];
                total += long.Parse(first, CultureInfo.InvariantCulture);
                found = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // the thread ended while we looked
            }
        }
        return found ? total / 1e6 : null;
    }

    /// <summary>
    /// The most recently started child of this process whose command line contains <paramref name="marker"/>.
    /// FunctionProcess does not hand out its process id, and the harness starts one function process at a time.
    /// </summary>
    public static int? FindChild(string marker)
    {
        var self = Environment.ProcessId;
        int? found = null;
        long newest = -1;
        foreach (var directory in SafeDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // pid (comm) state ppid ... starttime is field 22; comm may hold spaces, so split after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) != self) continue;
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains(marker, StringComparison.Ordinal)) continue;
                var started = long.Parse(fields[19], CultureInfo.InvariantCulture);
                if (started > newest) { newest = started; found = pid; }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended while we looked
            }
        }
        return found;
    }

    private static double? StatusField(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try { return Directory.GetDirectories(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }
}
