using SmallPay.Testing;
using System.Diagnostics;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;

namespace SmallPay.Bench.Warm;

/// <summary>Handler time per call of one scenario, and the calls that did not answer as they should.</summary>
public sealed record WarmResult(string Name, Summary? Time, int Failures, string? FirstFailure);

/// <summary>
/// Warm handler time in this process: <see cref="ILambdaHandler.HandleAsync"/> with the event's bytes, as the runtime loop
/// calls it (event parsing, the handler, the response's serialization and the log line), each call on its own target.
/// </summary>
public static class InProcessBenchmark
{
    /// <summary>The extra row: GetDashboard over an in-memory store that keeps a running summary, as the DynamoDB store does.</summary>
    public const string DashboardOverSummary = "GetDashboard · over a running summary (as DynamoDbInvoiceStore reads it)";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<WarmResult> MeasureAsync(Scenario scenario, ScenarioContext context, ILambdaHandler handler, int warmup, int iterations, CancellationToken ct)
    {
        var samples = new List<double>(iterations);
        var failures = 0;
        string? first = null;
        for (var i = 0; i < warmup + iterations; i++)
        {
            var eventJson = await scenario.PrepareAsync(context, i, ct);
            var started = Stopwatch.GetTimestamp();
            var response = await handler.HandleAsync(eventJson, LambdaInvocation.Local(Timeout), ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (ApiScenarios.Failure(scenario, response) is { } failure)
            {
                failures++;
                first ??= failure;
            }
            if (i >= warmup) samples.Add(elapsed);
        }
        return new WarmResult(scenario.Name, Summary.Of(samples), failures, first);
    }

    /// <summary>Every scenario over the in-memory stores (the worker has no in-memory wiring: its work is PDF, S3 and SMTP).</summary>
    public static async Task<List<WarmResult>> RunFakesAsync(BenchCounts counts, EventTemplates events, CancellationToken ct)
    {
        var services = new InMemoryFunctionServices();
        var stores = services.Stores;
        var benchStores = new BenchStores(stores.Invoices, stores.Customers, stores.Settings, async (id, document, ct) => await stores.WorkerInvoices.RecordDocumentAsync(id, document, ct));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var reader = await TenantSeeder.SeedReaderAsync(benchStores, "00000000-0000-4000-8000-00000000bead", counts.ReaderInvoices, today, ct);
        var writer = await TenantSeeder.SeedWriterAsync(benchStores, "00000000-0000-4000-8000-00000000f00d", ct);
        var context = new ScenarioContext(benchStores, reader, writer, events);
        var results = new List<WarmResult>();
        foreach (var scenario in ApiScenarios.All)
        {
            // The worker's work is PDF, S3 and SMTP: measured on the local stack, not here.
            if (scenario.Function == "DocumentWorker")
            {
                results.Add(new WarmResult(scenario.Name, null, 0, null));
                continue;
            }
            results.Add(await MeasureAsync(scenario, context, services.Function(scenario.Function), counts.FakeWarmup, counts.FakeIterations, ct));
        }

        // GetDashboard again, its store keeping the running summary the DynamoDB store keeps (the plain in-memory store sums
        // every invoice of the tenant on each read): the same data, seeded through the wrapper so its writes build the summary.
        var summarized = new InMemoryFunctionServices();
        var wrapper = new SummarizedInvoiceStore(summarized.Stores.Invoices);
        var summaryStores = new BenchStores(wrapper, summarized.Stores.Customers, summarized.Stores.Settings,
            async (id, document, ct) => await summarized.Stores.WorkerInvoices.RecordDocumentAsync(id, document, ct));
        var summaryReader = await TenantSeeder.SeedReaderAsync(summaryStores, "00000000-0000-4000-8000-00000000bead", counts.ReaderInvoices, today, ct);
        var summaryWriter = await TenantSeeder.SeedWriterAsync(summaryStores, "00000000-0000-4000-8000-00000000f00d", ct);
        var dashboard = ApiScenarios.All.First(s => s.Name == "GetDashboard");
        results.Add(await MeasureAsync(dashboard with { Name = DashboardOverSummary }, new ScenarioContext(summaryStores, summaryReader, summaryWriter, events),
            FunctionCatalog.Create("GetDashboard", new WithInvoiceStore(summarized, wrapper)), counts.FakeWarmup, counts.FakeIterations, ct));
        return results;
    }

    /// <summary>The in-memory services with another invoice store.</summary>
    private sealed class WithInvoiceStore(InMemoryFunctionServices inner, IInvoiceStore invoices) : IFunctionServices
    {
        public FunctionEnvironment Environment => inner.Environment;
        public TextWriter LogOutput => inner.LogOutput;
        public IInvoiceStore Invoices => invoices;
        public ICustomerStore Customers => inner.Customers;
        public ISettingsStore Settings => inner.Settings;
        public SmallPay.Functions.Hosting.Idempotency.IIdempotencyStore Idempotency => inner.Idempotency;
        public IWorkerInvoiceStore WorkerInvoices => inner.WorkerInvoices;
        public SmallPay.Functions.Documents.IDocumentStorage Documents => inner.Documents;
    }

    public static void Report(BenchRun run, string id, string title, string method, IEnumerable<WarmResult> results, bool withGoals, string? missingNote)
    {
        var section = run.Add(id, title, method);
        section.KeyHeader = "function";
        foreach (var result in results)
        {
            var goal = withGoals && result.Name is not "DocumentWorker" and not ApiScenarios.WorkerWithoutMail and not DashboardOverSummary ? "p50 ≤ 1 ms, p99 ≤ 5 ms" : null;
            if (result.Time is not { } t)
            {
                section.Add(result.Name, missingNote ?? "not measured", null, goal);
                continue;
            }
            section.Add(result.Name, $"p50 {Summary.Ms(t.Median)} ms · p99 {Summary.Ms(t.P99)} ms (max {Summary.Ms(t.Max)}, n={t.Count})", t.Median, goal);
            if (result.Failures > 0)
                section.Note($"{result.Name}: {result.Failures} call(s) did not answer 2xx, e.g. {result.FirstFailure}");
        }
    }
}
