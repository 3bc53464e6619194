using System.Text.Json;
using Microsoft.Extensions.Logging;
using SmallPay.Bench.ColdStart;
using SmallPay.Bench.Cost;
using SmallPay.Bench.Dashboard;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Pdf;
using SmallPay.Bench.Pipeline;
using SmallPay.Bench.Scheduled;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Bench.Warm;
using SmallPay.Functions.Hosting;
using SmallPay.Local;

namespace SmallPay.Bench;

/// <summary>Runs every benchmark in order, then prints the table and writes docs/BENCHMARKS.md.</summary>
public sealed class BenchHarness(BenchOptions options)
{
    private readonly RepositoryPaths _paths = RepositoryPaths.Find();
    private readonly BenchCounts _counts = (options.Quick ? BenchCounts.Quick : BenchCounts.Full) is var counts && options.ColdFunctions is { } cold
        ? counts with { ColdFunctions = cold }
        : options.Quick ? BenchCounts.Quick : BenchCounts.Full;
    private readonly List<string> _failures = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (options.RenderOnly)
        {
            await RenderAsync();
            return 0;
        }
        // The functions' JsonLog writes each request line to Console.Out: formatted as in Lambda, then discarded here.
        // Progress goes to stderr; the table to the real stdout at the end.
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        var work = Directory.CreateTempSubdirectory("smallpay-bench-").FullName;
        var run = new BenchRun { Label = options.Label, Machine = await MachineInfo.CaptureAsync(_paths.Root, _counts.Mode) };
        Progress($"{_counts.Mode} run, load average {run.Machine.LoadAtStart}, work files in {work}");
        try
        {
            await RunAllAsync(run, work, ct);
        }
        finally
        {
            run.Machine = run.Machine with { LoadAtEnd = MachineInfo.LoadAverage() };
            foreach (var failure in _failures) run.Sections.FirstOrDefault()?.Note("harness: " + failure);
            stdout.Write(ReportWriter.Console(run));
            stdout.Flush();
            await SaveAsync(run);
        }
        return _failures.Count == 0 ? 0 : 1;
    }

    private async Task RunAllAsync(BenchRun run, string work, CancellationToken ct)
    {
        await EnsureNodePeersAsync(ct);
        if (options.Only == "pdf")
        {
            Progress("PDF only: SmallPay's renderer and PDFKit");
            PdfBenchmark.Report(run, await Phase("pdf", () => PdfBenchmark.RunAsync(_paths, _counts, work, options.NativePdf, ct)) ?? []);
            return;
        }
        var events = new EventTemplates(_paths);
        var functionsDll = options.FunctionsDll ?? _paths.BuildOutput(Path.Combine("functions", "SmallPay.Functions"), "SmallPay.Functions");

        // --only cold and --only dashboard skip what needs no local stack; the rest of the run follows the cold starts.
        List<PdfResult> pdf = [];
        List<WarmResult> fakes = [];
        if (options.Only is null)
        {
            Progress("PDF: SmallPay's renderer and PDFKit");
            pdf = await Phase("pdf", () => PdfBenchmark.RunAsync(_paths, _counts, work, options.NativePdf, ct)) ?? [];
            Progress("warm, in process, in-memory stores");
            fakes = await Phase("warm-fakes", () => InProcessBenchmark.RunFakesAsync(_counts, events, ct)) ?? [];
        }

        Progress("starting the local stack (DynamoDB Local, moto, maildev)");
        await using var host = await LocalStackHost.StartAsync(new LocalStackOptions
        {
            StartSchedules = false,
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsPort = 0,
            DynamoDbPort = 0,
            SmtpPort = 0,
            MailWebPort = 0,
            SeedDemo = false,
            RunPipeline = false,
            MinimumLogLevel = LogLevel.Error,
        }, ct);
        var stack = new BenchStack(host);
        var (readerSub, _) = await stack.SignInAsync("bench-reader@smallpay.local", ct);
        var (writerSub, _) = await stack.SignInAsync("bench-writer@smallpay.local", ct);
        var stores = stack.Stores();
        Progress($"seeding: {_counts.ReaderInvoices + 7} invoices for the reader tenant");
        var reader = await TenantSeeder.SeedReaderAsync(stores, readerSub, _counts.ReaderInvoices, DateOnly.FromDateTime(DateTime.UtcNow), ct);
        var writer = await TenantSeeder.SeedWriterAsync(stores, writerSub, ct);
        var context = new ScenarioContext(stores, reader, writer, events);
        // The reader tenant's dashboard summary is built by its first read (the seeding wrote its invoices before there was
        // one): built here, so no measured call pays it. The dashboard section measures that one-time build on its own.
        await Phase("prime", () => FunctionCatalog.Create("GetDashboard", stack.EnvironmentOf("GetDashboard"))
            .HandleAsync(events.Build("GetDashboard", reader, []), LambdaInvocation.Local(TimeSpan.FromSeconds(60)), ct));

        if (options.Only == "scheduled")
        {
            Progress($"scheduled runs: {_counts.ScheduledProfiles} due recurring profiles");
            var scheduledOnly = await Phase("scheduled", () => ScheduledRunBenchmark.RunAsync(stack, _counts.ScheduledProfiles, ct));
            if (scheduledOnly is not null) ScheduledRunBenchmark.Report(run, scheduledOnly, _counts.ScheduledProfiles);
            return;
        }

        if (options.Only == "dashboard")
        {
            Progress("dashboard and invoice list against the tenant's size");
            var sized = await Phase("tenant-size", () => new TenantSizeBenchmark(stack, events, _counts, functionsDll, work).RunAsync(ct));
            if (sized is not null) TenantSizeBenchmark.Report(run, sized, _counts);
            return;
        }

        Progress($"cold start: {_counts.ColdRounds} round(s) of fresh processes ({functionsDll})");
        var cold = await Phase("cold-start", () => new ColdStartBenchmark(stack, context, _paths, functionsDll, _counts, options.JitFunctionsDll, options.AotFloors, work, options.Variants).RunAsync(ct))
                   ?? new ColdStartResults { Native = ColdStartBenchmark.IsNative(functionsDll) };

        if (options.Only == "cold")
        {
            var names = ApiScenarios.All.Select(s => s.Name).Where(n => n != ApiScenarios.WorkerWithoutMail).ToList();
            ColdStartBenchmark.Report(cold, run, names);
            MemoryReport.Report(run, cold, names, stack.MemorySizeMb);
            MemoryReport.ReportWarm(run, cold, names);
            return;
        }

        Progress("dashboard and invoice list against the tenant's size");
        var tenantSize = await Phase("tenant-size", () => new TenantSizeBenchmark(stack, events, _counts, functionsDll, work).RunAsync(ct));

        Progress("warm, in process, with emulator I/O");
        var io = await Phase("warm-io", () => WarmWithIoAsync(stack, context, ct)) ?? [];

        Progress("DynamoDB capacity units per call");
        var units = await Phase("dynamodb-units", () => CapacityAsync(stack, context, ct)) ?? [];

        Progress("end to end under load");
        var load = await Phase("load", () => LoadAsync(stack, events, reader, writer, ct)) ?? [];

        Progress("documents pipeline");
        var (_, writerToken) = await stack.SignInAsync("bench-writer@smallpay.local", ct);
        var pipeline = await Phase("pipeline", () => PipelineBenchmark.RunAsync(stack, writer, writerToken, _counts.PipelineInvoices, ct));

        Progress($"scheduled runs: {_counts.ScheduledProfiles} due recurring profiles");
        var scheduled = await Phase("scheduled", () => ScheduledRunBenchmark.RunAsync(stack, _counts.ScheduledProfiles, ct));

        var functions = ApiScenarios.All.Select(s => s.Name).Where(n => n != ApiScenarios.WorkerWithoutMail).ToList();
        BuildReport.Report(run, options);
        ColdStartBenchmark.Report(cold, run, functions);
        var missing = ApiScenarios.Missing();
        if (missing.Count > 0) run.Sections[^1].Note("Functions in FunctionCatalog without a benchmark scenario yet: " + string.Join(", ", missing));
        MemoryReport.Report(run, cold, functions, stack.MemorySizeMb);
        InProcessBenchmark.Report(run, "warm-fakes", "Warm handler time in process, without I/O",
            "The function's handler classes behind the same HttpApiFunction adapter, over in-memory stores with the DynamoDB stores' rules " +
            "(tests/SmallPay.Testing's InMemoryFunctionServices): event bytes in → response bytes out, the INFO log line formatted and " +
            "discarded. Each call on a fresh target; " +
            $"{_counts.FakeWarmup} warm-up calls, then {_counts.FakeIterations}. In the harness's process, so JIT-compiled code after " +
            "tiering up (the native executable runs the same code compiled ahead of time: see the next section for its warm calls).", fakes, withGoals: true,
            missingNote: "n/a: the worker's work is PDF + S3 + SMTP (see PDF and pipeline)");
        MemoryReport.ReportWarm(run, cold, functions);
        InProcessBenchmark.Report(run, "warm-io", "Warm handler time in process, with emulator I/O",
            "The handler as FunctionCatalog builds it from the function's template environment, against DynamoDB Local, moto's S3 and " +
            $"maildev; {_counts.IoWarmup} warm-up calls, then {_counts.IoIterations} ({_counts.WorkerIoIterations} for the worker), each on a fresh " +
            "target made before the timed call. Local emulators on a loaded machine are slower than DynamoDB in a region: read these " +
            "against the section above, which has no I/O.", io, withGoals: false, missingNote: null);
        if (tenantSize is not null) TenantSizeBenchmark.Report(run, tenantSize, _counts);
        LoadBenchmark.Report(run, load, _counts.LoadConcurrency, _counts.LoadDuration,
            functions.Except(LoadBenchmark.Routes).Where(f => f != "DocumentWorker"));
        PdfBenchmark.Report(run, pdf);
        PipelineBenchmark.Report(run, pipeline ?? new PipelineResult(_counts.PipelineInvoices, 0, null, null, "failed (see notes)"));
        if (scheduled is not null) ScheduledRunBenchmark.Report(run, scheduled, _counts.ScheduledProfiles);
        CostModel.ReportUnits(run, units, _counts.CapacityIterations);
        var calls = CostModel.Flow.ToDictionary(f => f.Name, f => new CallCost(
            f.Name,
            io.FirstOrDefault(r => r.Name == f.Name)?.Time?.Median,
            cold.Cold(f.Name == ApiScenarios.WorkerWithoutMail ? "DocumentWorker" : f.Name)?.Median,
            stack.MemorySizeMb(f.Name == ApiScenarios.WorkerWithoutMail ? "DocumentWorker" : f.Name),
            units.TryGetValue(f.Name, out var tally) ? (tally.ReadUnits / _counts.CapacityIterations, tally.WriteUnits / _counts.CapacityIterations) : null));
        CostModel.Report(run, calls, pdf.FirstOrDefault(p => p.Renderer == PdfBenchmark.SmallPay)?.Bytes ?? 40_000, stack.Architecture);
        GoalsReport.Report(run);
    }

    private async Task<List<WarmResult>> WarmWithIoAsync(BenchStack stack, ScenarioContext context, CancellationToken ct)
    {
        var results = new List<WarmResult>();
        foreach (var scenario in ApiScenarios.All)
        {
            var handler = FunctionCatalog.Create(scenario.Function, stack.EnvironmentOf(scenario.Function));
            var iterations = scenario.IsWorker ? _counts.WorkerIoIterations : _counts.IoIterations;
            results.Add(await InProcessBenchmark.MeasureAsync(scenario, context, handler, _counts.IoWarmup, iterations, ct));
            Progress($"  {scenario.Name}: p50 {results[^1].Time?.Median:0.00} ms");
        }
        return results;
    }

    private async Task<Dictionary<string, CapacityTally>> CapacityAsync(BenchStack stack, ScenarioContext context, CancellationToken ct)
    {
        await using var proxy = await CapacityCountingProxy.StartAsync(stack.Host.DynamoDbEndpoint, ct);
        var totals = new Dictionary<string, CapacityTally>(StringComparer.Ordinal);
        foreach (var scenario in ApiScenarios.All)
        {
            // Only the handler talks to DynamoDB through the proxy; the targets are made directly.
            var handler = FunctionCatalog.Create(scenario.Function, stack.EnvironmentOf(scenario.Function, proxy.Endpoint));
            proxy.TakeTally();
            for (var i = 0; i < _counts.CapacityIterations; i++)
            {
                var eventJson = await scenario.PrepareAsync(context, i, ct);
                await handler.HandleAsync(eventJson, LambdaInvocation.Local(TimeSpan.FromSeconds(30)), ct);
            }
            totals[scenario.Name] = proxy.TakeTally();
        }
        return totals;
    }

    private async Task<List<LoadResult>> LoadAsync(BenchStack stack, EventTemplates events, BenchTenant reader, BenchTenant writer, CancellationToken ct)
    {
        // Fresh ID tokens: they live an hour, and the run may have taken a while to get here.
        var (_, readerToken) = await stack.SignInAsync("bench-reader@smallpay.local", ct);
        var (_, writerToken) = await stack.SignInAsync("bench-writer@smallpay.local", ct);
        var results = new List<LoadResult>();
        foreach (var function in LoadBenchmark.Routes.Where(r => _counts.LoadFunctions is null || _counts.LoadFunctions.Contains(r)))
        {
            var target = LoadBenchmark.Target(function, events, reader, readerToken, writer, writerToken);
            results.Add(await LoadBenchmark.RunAsync(stack.Host.ApiBaseUrl, target, _counts.LoadDuration, _counts.LoadConcurrency, ct));
            Progress($"  {function}: {results[^1].RequestsPerSecond:0} req/s");
        }
        return results;
    }

    /// <summary>Runs one benchmark; a failure is recorded and the run goes on with the next.</summary>
    private async Task<T?> Phase<T>(string name, Func<Task<T>> phase) where T : class
    {
        try
        {
            return await phase();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failures.Add($"{name} failed: {e.GetType().Name}: {e.Message}");
            Progress($"{name} FAILED: {e}");
            return null;
        }
    }

    /// <summary>bench/node's packages (PDFKit, the AWS SDK v3), installed with `npm ci` when missing or out of date.</summary>
    private async Task EnsureNodePeersAsync(CancellationToken ct)
    {
        var lockFile = Path.Combine(_paths.NodeScripts, "package-lock.json");
        var installed = Path.Combine(_paths.NodeScripts, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile)) return;
        Progress("installing bench/node's packages (npm ci)");
        var outcome = await ChildProcess.RunAsync("npm", ["ci", "--prefix", _paths.NodeScripts, "--no-audit", "--no-fund", "--loglevel=error"],
            TimeSpan.FromMinutes(5), cancellationToken: ct);
        if (outcome.ExitCode != 0) _failures.Add($"npm ci in bench/node failed: {outcome.Stderr.Trim()}");
    }

    private async Task SaveAsync(BenchRun run)
    {
        var json = JsonSerializer.Serialize(run, BenchJsonContext.Default.BenchRun);
        if (options.ResultsFile is { } file) await File.WriteAllTextAsync(file, json);
        if (!options.WriteDocs) return;
        Directory.CreateDirectory(_paths.Results);
        await File.WriteAllTextAsync(Path.Combine(_paths.Results, run.Label + ".json"), json);
        await RenderAsync();
    }

    /// <summary>docs/BENCHMARKS.md from every run saved in bench/results (baseline first, then by date).</summary>
    private async Task RenderAsync()
    {
        if (!Directory.Exists(_paths.Results))
        {
            Progress("no runs saved in bench/results yet: nothing to render");
            return;
        }
        var runs = Directory.GetFiles(_paths.Results, "*.json")
            .Select(path => JsonSerializer.Deserialize(File.ReadAllText(path), BenchJsonContext.Default.BenchRun)!)
            .OrderBy(r => r.Label == "baseline" ? 0 : 1).ThenBy(r => r.Machine.StartedAt)
            .ToList();
        var findings = File.Exists(_paths.Findings) ? await File.ReadAllTextAsync(_paths.Findings) : null;
        await File.WriteAllTextAsync(_paths.Benchmarks, ReportWriter.Markdown(runs, findings));
        Progress($"wrote {_paths.Benchmarks} from {string.Join(", ", runs.Select(r => $"bench/results/{r.Label}.json"))}");
    }

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    private static void Progress(string message) => Console.Error.WriteLine($"bench [{Clock.Elapsed.TotalSeconds,6:0.0} s]: {message}");
}
