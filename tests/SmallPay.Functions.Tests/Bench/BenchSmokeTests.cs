using System.Diagnostics;
using System.Text.Json;
using SmallPay.Functions.Hosting;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Bench;

/// <summary>
/// The benchmark harness (bench/SmallPay.Bench, `make bench`) in its quick mode: tiny counts, every section, its own
/// local stack. Benchmarks are not part of the test command; this run is, so the harness cannot rot unnoticed.
/// </summary>
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    private static readonly string[] Sections = ["cold-start", "warm-fakes", "warm-io", "load", "pdf", "pipeline", "scheduled", "memory", "dynamodb-units", "cost", "goals"];

    [Fact]
    public async Task Quick_run_of_the_harness_reports_every_section_with_sane_figures()
    {
        var root = RepositoryRoot();
        var harness = Path.Combine(root, "bench", "SmallPay.Bench", "bin", OwnConfiguration(), "net10.0", "SmallPay.Bench.dll");
        Assert.True(File.Exists(harness), $"{harness} is not built: the solution build builds it (dotnet build SmallPay.sln)");
        var results = Path.Combine(Directory.CreateTempSubdirectory("smallpay-bench-smoke-").FullName, "quick.json");

        var (exitCode, stdout, stderr, elapsed) = await RunAsync(DotnetHost(), [harness, "--quick", "--results", results], TimeSpan.FromMinutes(6));

        output.WriteLine($"quick run: exit {exitCode} after {elapsed.TotalSeconds:0.0} s");
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, $"the quick run failed ({exitCode}):\n{stderr}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(results));
        var sections = json.RootElement.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        foreach (var id in Sections)
        {
            Assert.True(sections.ContainsKey(id), $"section {id} is missing");
            Assert.Contains("== " + sections[id].GetProperty("title").GetString(), stdout);
        }

        // Cold start: the floors and the Node peer ran, and a function starts no faster than a .NET hello world.
        var cold = Rows(sections["cold-start"]);
        var hello = Number(cold, ".NET floor: hello (prints, exits)");
        Assert.InRange(hello, 1, 60_000);
        Assert.InRange(Number(cold, "Node 20 peer: one SDK v3 PutItem"), 1, 60_000);
        Assert.InRange(Number(cold, ".NET floor: one AWSSDK PutItem"), hello, 60_000);
        Assert.InRange(Number(cold, "GetInvoice"), hello, 60_000);
        Assert.InRange(Number(cold, "DocumentWorker"), hello, 60_000);

        // Warm: every function of the catalogue has a scenario that answered, in process, with and without I/O.
        var fakes = Rows(sections["warm-fakes"]);
        var io = Rows(sections["warm-io"]);
        // A function without a scenario yet is named in the run's notes, never silently left out.
        const string missingNote = "Functions in FunctionCatalog without a benchmark scenario yet: ";
        var missing = sections.Values.SelectMany(section => section.GetProperty("notes").EnumerateArray())
            .Select(note => note.GetString()!).Where(note => note.StartsWith(missingNote, StringComparison.Ordinal))
            .SelectMany(note => note[missingNote.Length..].Split(", ")).ToHashSet();
        Assert.Contains("GetInvoice", FunctionCatalog.Names.Except(missing));
        foreach (var function in FunctionCatalog.Names.Except(missing))
        {
            Assert.InRange(Number(io, function), 0.001, 30_000);
            if (function != "DocumentWorker") Assert.InRange(Number(fakes, function), 0.0001, 1_000);
        }
        Assert.DoesNotContain(sections["warm-io"].GetProperty("notes").EnumerateArray(), note => note.GetString()!.Contains("did not answer 2xx"));
        Assert.DoesNotContain(sections["warm-fakes"].GetProperty("notes").EnumerateArray(), note => note.GetString()!.Contains("did not answer 2xx"));

        Assert.All(Rows(sections["load"]).Values, rps => Assert.InRange(rps!.Value, 0.1, 1_000_000));
        var pdf = Rows(sections["pdf"]);
        foreach (var renderer in new[] { "SmallPay (PDFsharp, DejaVu)", "PDFKit, DejaVu embedded", "PDFKit, built-in Helvetica" })
            Assert.InRange(Number(pdf, $"10 lines, {renderer}"), 0.01, 60_000);
        Assert.InRange(Number(Rows(sections["pipeline"]), "invoices sent per second"), 0.01, 10_000);
        // The scheduled functions made every due profile's invoice and looked at every finalized invoice (the figure is seconds).
        var scheduled = Rows(sections["scheduled"]);
        Assert.InRange(Number(scheduled, "RunRecurring: due profiles → drafts"), 0.001, 300);
        Assert.InRange(Number(scheduled, "RunRecurring: due profiles → finalized and sent"), 0.001, 300);
        Assert.InRange(Number(scheduled, "RunReminders: first look at finalized invoices"), 0.001, 300);
        Assert.InRange(Number(Rows(sections["memory"]), "GetInvoice"), 10, 4_096);
        Assert.InRange(Number(Rows(sections["dynamodb-units"]), "GetInvoice"), 0.5, 100);
        Assert.InRange(Number(Rows(sections["cost"]), "Total, warm"), 0.000_001, 100);
        Assert.True(elapsed < TimeSpan.FromMinutes(5), $"the quick run took {elapsed}: keep --quick quick");
    }

    [Fact]
    public async Task Only_pdf_runs_the_PDF_section_alone_without_the_local_stack()
    {
        var harness = Path.Combine(RepositoryRoot(), "bench", "SmallPay.Bench", "bin", OwnConfiguration(), "net10.0", "SmallPay.Bench.dll");
        Assert.True(File.Exists(harness), $"{harness} is not built: the solution build builds it (dotnet build SmallPay.sln)");
        var results = Path.Combine(Directory.CreateTempSubdirectory("smallpay-bench-smoke-").FullName, "pdf.json");

        var (exitCode, stdout, stderr, _) = await RunAsync(DotnetHost(), [harness, "--quick", "--only", "pdf", "--results", results], TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, $"the PDF-only run failed ({exitCode}):\n{stderr}");
        Assert.DoesNotContain("local stack", stderr);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(results));
        var section = Assert.Single(json.RootElement.GetProperty("sections").EnumerateArray());
        Assert.Equal("pdf", section.GetProperty("id").GetString());
        Assert.Contains("== PDF rendering", stdout);
        Assert.InRange(Number(Rows(section), "10 lines, SmallPay (PDFsharp, DejaVu)"), 0.01, 60_000);
    }

    private static Dictionary<string, double?> Rows(JsonElement section) =>
        section.GetProperty("rows").EnumerateArray().ToDictionary(
            row => row.GetProperty("key").GetString()!,
            row => row.TryGetProperty("number", out var number) ? number.GetDouble() : (double?)null);

    private static double Number(Dictionary<string, double?> rows, string key)
    {
        Assert.True(rows.TryGetValue(key, out var number), $"no row {key}; rows: {string.Join(", ", rows.Keys)}");
        Assert.True(number is not null, $"row {key} has no figure");
        return number!.Value;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the quick run did not finish within {limit}:\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SmallPay.sln")))
                return directory.FullName;
        throw new DirectoryNotFoundException($"No SmallPay.sln above {AppContext.BaseDirectory}");
    }

    // tests/SmallPay.Functions.Tests/bin/<Configuration>/net10.0/: the harness was built in the same configuration.
    private static string OwnConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
