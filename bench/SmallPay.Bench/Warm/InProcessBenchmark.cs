using SmallPay.Testing;
using System.Diagnostics;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Functions.Hosting;

namespace SmallPay.Bench.Warm;

/// <summary>Handler time per call of one scenario, and the calls that did not answer as they should.</summary>
public sealed record WarmResult(string Name, Summary? Time, int Failures, string? FirstFailure);

/// <summary>
/// Warm handler time in this process: <see cref="ILambdaHandler.HandleAsync"/> with the event's bytes, as the runtime loop
/// calls it (event parsing, the handler, the response's serialization and the log line), each call on its own target.
/// </summary>
public static class InProcessBenchmark
{
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
        var benchStores = new BenchStores(stores.Invoices, stores.Customers, stores.Settings, async (id, document, ct) => await stores.WorkerInvoices.RecordDocumentAsync(id, document, ct), stores.Teams);
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
        return results;
    }

    public static void Report(BenchRun run, string id, string title, string method, IEnumerable<WarmResult> results, bool withGoals, string? missingNote)
    {
        var section = run.Add(id, title, method);
        section.KeyHeader = "function";
        foreach (var result in results)
        {
            var goal = withGoals && result.Name is not "DocumentWorker" and not ApiScenarios.WorkerWithoutMail ? "p50 ≤ 1 ms, p99 ≤ 5 ms" : null;
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
