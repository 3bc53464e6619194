using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;
using SmallPay.Local;

namespace SmallPay.Bench.Pipeline;

public sealed record PipelineResult(int Invoices, int Arrived, double? PerSecond, Summary? Latency, string? Problem);

/// <summary>
/// The documents pipeline end to end: POST /invoices/{id}/send → the invoice's stream record → the pipe's filter → the queue →
/// the DocumentWorker (render, S3, SMTP) → the e-mail in the sink. Runs on a second local host over the same emulators with
/// its pipeline on (the main host runs without one, so the other benchmarks' writes never wake the worker); its pipe starts
/// at LATEST, so it sees only what this benchmark writes.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task<PipelineResult> RunAsync(BenchStack main, BenchTenant writer, string writerToken, int count, CancellationToken ct)
    {
        await using var host = await LocalStackHost.StartAsync(new LocalStackOptions
        {
            StartSchedules = false,
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsEndpoint = main.Host.AwsEndpoint,
            DynamoDbEndpoint = main.Host.DynamoDbEndpoint,
            SmtpPort = 0,
            MailWebPort = 0,
            SeedDemo = false,
            RunPipeline = true,
            MinimumLogLevel = LogLevel.Error,
        }, ct);
        if (host.Pipeline is not { Consumers.Count: > 0 } || host.Mail is null)
            return new PipelineResult(count, 0, null, null, "not measured yet: the local stack has no documents pipeline (queue consumer and mail sink)");

        // The invoices to send. Opening them is itself an API-style write the pipe passes on: wait until the worker has
        // rendered their first PDFs, so the timed sends find an idle pipeline.
        var stores = main.Stores();
        var invoices = new List<string>();
        for (var i = 0; i < count; i++) invoices.Add((await TenantSeeder.NewOpenAsync(stores, writer, withDelivery: false, ct)).Id);
        var settle = Stopwatch.StartNew();
        foreach (var id in invoices)
        {
            while ((await stores.Invoices.GetAsync(writer.Sub, id, ct))?.Document is null)
            {
                if (settle.Elapsed > TimeSpan.FromMinutes(5)) return new PipelineResult(count, 0, null, null, "the worker did not render the invoices' first PDFs within 5 minutes");
                await Task.Delay(100, ct);
            }
        }

        using var http = new HttpClient { BaseAddress = host.ApiBaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writerToken);
        var sentAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var refused = new List<string>();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(invoices.Select(async id =>
        {
            await gate.WaitAsync(ct);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"invoices/{id}/send")
                {
                    Content = new StringContent(new JsonObject { ["subject"] = $"Bench {id}" }.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
                request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
                var started = DateTimeOffset.UtcNow;
                using var response = await http.SendAsync(request, ct);
                lock (sentAt)
                {
                    if (response.IsSuccessStatusCode) sentAt[id] = started;
                    else refused.Add($"{(int)response.StatusCode} {response.ReasonPhrase}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var arrivedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var wait = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(60 + count);
        using var sink = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (arrivedAt.Count < sentAt.Count && wait.Elapsed < limit)
        {
            var polled = DateTimeOffset.UtcNow;
            var mails = JsonNode.Parse(await sink.GetStringAsync(new Uri(host.Mail.ApiUrl, "email"), ct))?.AsArray() ?? [];
            foreach (var mail in mails.OfType<JsonObject>())
            {
                var subject = mail["subject"]?.GetValue<string>() ?? "";
                if (!subject.StartsWith("Bench ", StringComparison.Ordinal)) continue;
                var id = subject["Bench ".Length..];
                if (!sentAt.ContainsKey(id) || arrivedAt.ContainsKey(id)) continue;
                // Seen in this poll (maildev's own "time" comes from the message's Date header: whole seconds).
                arrivedAt[id] = polled;
            }
            if (arrivedAt.Count < sentAt.Count) await Task.Delay(50, ct);
        }

        var latencies = arrivedAt.Select(a => (a.Value - sentAt[a.Key]).TotalMilliseconds).ToList();
        double? perSecond = arrivedAt.Count > 0 ? arrivedAt.Count / Math.Max(0.001, (arrivedAt.Values.Max() - sentAt.Values.Min()).TotalSeconds) : null;
        var problem = refused.Count > 0 ? $"{refused.Count} send(s) refused, e.g. {refused[0]}"
            : arrivedAt.Count < count ? $"{count - arrivedAt.Count} e-mail(s) had not arrived after {limit.TotalSeconds:0} s" : null;
        return new PipelineResult(count, arrivedAt.Count, perSecond, Summary.Of(latencies), problem);
    }

    public static void Report(BenchRun run, PipelineResult result)
    {
        var section = run.Add("pipeline", "Documents pipeline: send → e-mail",
            $"{result.Invoices} open invoices sent at once (8 requests in flight) through a local host whose pipeline runs: " +
            "`POST /invoices/{id}/send` → DynamoDB Local's stream → the pipe's filter (template.yaml) → the local queue → " +
            "the DocumentWorker's warm handler (render the PDF, PutObject to moto's S3, SMTP to maildev, record the outcome). " +
            "Latency = when the e-mail was first seen in maildev's API (polled every 50 ms) − the send request's start; throughput = e-mails ÷ (last arrival − first send). " +
            "The local pipe polls its stream every 150 ms and the queue consumers run at the template's concurrency.");
        section.KeyHeader = "figure";
        if (result.PerSecond is null)
        {
            section.Add("invoices sent per second", result.Problem ?? "not measured yet");
            section.Add("send → e-mail arrival", "not measured yet");
            return;
        }
        section.Add("invoices sent per second", $"{result.PerSecond:0.0} /s ({result.Arrived} of {result.Invoices} e-mails)", result.PerSecond);
        if (result.Latency is { } l)
            section.Add("send → e-mail arrival", $"p50 {Summary.Ms(l.Median)} ms · p99 {Summary.Ms(l.P99)} ms (min {Summary.Ms(l.Min)}, max {Summary.Ms(l.Max)})", l.Median);
        if (result.Problem is not null) section.Note(result.Problem);
    }
}
