using System.Globalization;
using SmallPay.Bench.Infrastructure;

namespace SmallPay.Bench.Report;

/// <summary>What the native build costs: scripts/publish-functions.sh's time after a source change, and what it produces.</summary>
public static class BuildReport
{
    public static void Report(BenchRun run, BenchOptions options)
    {
        var native = options.FunctionsDll is { } f && ColdStart.ColdStartBenchmark.IsNative(f) ? f : null;
        if (native is null && options.PublishSeconds is null) return;
        var section = run.Add("build", "Native AOT build",
            "bench/run.sh touches functions/SmallPay.Functions/Program.cs (its modification time only) and times " +
            "scripts/publish-functions.sh: what a developer waits for after an edit (the project compiles again, then the ILC " +
            "compiles and links the whole program; restore and the unchanged SmallPay.Domain are incremental). Sizes are the files' " +
            "lengths: the bootstrap sam build zips for every function, the JIT build's publish folder for comparison.");
        section.KeyHeader = "figure";
        if (options.PublishSeconds is { } seconds)
            section.Add("scripts/publish-functions.sh after a source change",
                $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s" +
                (options.PublishCpuSeconds is { } cpu ? $" ({cpu.ToString("0", CultureInfo.InvariantCulture)} s of CPU, user + system)" : "") +
                $", the run starting at load average {run.Machine.LoadAtStart}", seconds);
        if (native is not null && File.Exists(native))
        {
            var bytes = new FileInfo(native).Length;
            section.Add($"bootstrap ({Path.GetFileName(Path.GetDirectoryName(native))}), the one executable of every function", MiB(bytes), bytes / 1048576.0);
            var folder = Directory.GetFiles(Path.GetDirectoryName(native)!, "*", SearchOption.AllDirectories).Where(p => !Path.GetFileName(p).StartsWith('.')).ToList();
            section.Add("what sam build packages per function (bootstrap + licences)", $"{MiB(folder.Sum(p => new FileInfo(p).Length))} in {folder.Count} files");
        }
        if (options.JitFunctionsDll is { } jit && Path.GetDirectoryName(jit) is { } jitFolder && Directory.Exists(jitFolder))
        {
            var files = Directory.GetFiles(jitFolder, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
            section.Add("JIT build: framework-dependent publish folder (without .pdb)", $"{MiB(files.Sum(p => new FileInfo(p).Length))} in {files.Count} files (+ the .NET runtime Lambda provides)");
        }
        foreach (var (label, executable) in options.Variants)
            if (File.Exists(executable))
                section.Add($"the same executable published with {label}", MiB(new FileInfo(executable).Length));
        if (options.AotFloors is { } floors)
            foreach (var name in new[] { "Hello", "SdkPutItem" })
                if (Path.Combine(floors, "aot-" + name, "SmallPay.Bench.Floor." + name) is var path && File.Exists(path))
                    section.Add($"Native AOT floor {name}", MiB(new FileInfo(path).Length));
    }

    private static string MiB(long bytes) => $"{(bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB";
}
