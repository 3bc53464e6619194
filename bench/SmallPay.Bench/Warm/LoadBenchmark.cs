using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Bench.Infrastructure;
using SmallPay.Bench.Report;
using SmallPay.Bench.Scenarios;

namespace SmallPay.Bench.Warm;

/// <summary>One route driven with one fixed request (a load tool repeats the same request).</summary>
public sealed record LoadTarget(string Function, string Method, string PathAndQuery, string IdToken, string? Body);

public sealed record LoadResult(string Function, double RequestsPerSecond, Summary? Latency, int Requests, int NotOk, string Tool);

/// <summary>
/// End to end through the local host (Kestrel, the JWT authorizer checking a real Cognito ID token, the warm handler,
/// DynamoDB Local) under concurrent load from `hey` (Debian's package), or, where hey is missing, a bounded HttpClient
/// loop. Only routes a fixed request can repeat are driven: reads, and CreateInvoice without an Idempotency-Key.
/// </summary>
public static class LoadBenchmark
{
    public static readonly string[] Routes = ["GetInvoice", "ListInvoices", "GetCustomer", "ListCustomers", "GetDashboard", "GetSettings", "GetInvoicePdf", "CreateInvoice"];

    public static LoadTarget Target(string function, EventTemplates events, BenchTenant reader, string readerToken, BenchTenant writer, string writerToken)
    {
        var isWrite = function == "CreateInvoice";
        var tenant = isWrite ? writer : reader;
        var bytes = events.Build(function, tenant, isWrite ? [(SampleEventIds.CustomerWithInvoices, writer.CustomerId)] : []);
        var json = JsonNode.Parse(bytes)!.AsObject();
        var query = json["rawQueryString"]?.GetValue<string>() ?? "";
        var path = json["rawPath"]!.GetValue<string>() + (query.Length > 0 ? "?" + query : "");
        return new LoadTarget(function, json["requestContext"]!["http"]!["method"]!.GetValue<string>(), path, isWrite ? writerToken : readerToken,
            json["body"]?.GetValue<string>());
    }

    public static async Task<LoadResult> RunAsync(Uri api, LoadTarget target, TimeSpan duration, int concurrency, CancellationToken ct)
    {
        var url = new Uri(api, target.PathAndQuery).ToString();
        if (ChildProcess.Which("hey") is { } hey)
        {
            var arguments = new List<string>
            {
                "-z", $"{(int)Math.Max(1, duration.TotalSeconds)}s", "-c", concurrency.ToString(CultureInfo.InvariantCulture), "-m", target.Method,
                "-H", $"Authorization: Bearer {target.IdToken}", "-o", "csv",
            };
            if (target.Body is not null) arguments.AddRange(["-T", "application/json", "-d", target.Body]);
            arguments.Add(url);
            var outcome = await ChildProcess.RunAsync(hey, arguments, duration + TimeSpan.FromSeconds(60), cancellationToken: ct);
            if (outcome.ExitCode != 0) throw new InvalidOperationException($"hey failed ({outcome.ExitCode}): {outcome.Stderr.Trim()}");
            return ParseHeyCsv(target.Function, outcome.Stdout);
        }
        return await HttpClientLoopAsync(url, target, duration, concurrency, ct);
    }

    public static void Report(BenchRun run, IEnumerable<LoadResult> results, int concurrency, TimeSpan duration, IEnumerable<string> notDriven)
    {
        var section = run.Add("load", "End to end through the local host under concurrent load",
            $"`hey -z {duration.TotalSeconds:0}s -c {concurrency}` (Debian's hey; a bounded HttpClient loop if it is missing) against the local host's " +
            "HTTP API: Kestrel, the JWT authorizer validating a real ID token of the local Cognito (moto), the function's warm handler " +
            "in the host's process, DynamoDB Local. The load tool, the host, the emulators share the machine's cores. " +
            "Throughput = completed requests ÷ duration; latency per request as the tool measured it.");
        section.KeyHeader = "route";
        foreach (var result in results)
        {
            var latency = result.Latency is { } l ? $" · p50 {Summary.Ms(l.Median)} ms · p99 {Summary.Ms(l.P99)} ms" : "";
            section.Add(result.Function, $"{result.RequestsPerSecond:0.0} req/s{latency} (n={result.Requests}{(result.NotOk > 0 ? $", {result.NotOk} not 2xx" : "")})",
                result.RequestsPerSecond);
            if (result.Tool != "hey") section.Note($"{result.Function}: driven by {result.Tool}");
        }
        section.Note("Not driven under load (each call needs a fresh target or a new If-Match, which a repeated fixed request cannot give): " +
            string.Join(", ", notDriven) + ". Their in-process figures are above.");
    }

    private static LoadResult ParseHeyCsv(string function, string csv)
    {
        var latencies = new List<double>();
        var notOk = 0;
        double lastOffset = 0;
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length < 8 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) continue;
            latencies.Add(seconds * 1000);
            if (!int.TryParse(fields[6], out var status) || status is < 200 or >= 300) notOk++;
            if (double.TryParse(fields[7], NumberStyles.Float, CultureInfo.InvariantCulture, out var offset)) lastOffset = Math.Max(lastOffset, offset + seconds);
        }
        return new LoadResult(function, lastOffset > 0 ? latencies.Count / lastOffset : 0, Summary.Of(latencies), latencies.Count, notOk, "hey");
    }

    private static async Task<LoadResult> HttpClientLoopAsync(string url, LoadTarget target, TimeSpan duration, int concurrency, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        var latencies = new List<double>();
        var notOk = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var request = new HttpRequestMessage(new HttpMethod(target.Method), url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.IdToken);
                if (target.Body is not null) request.Content = new StringContent(target.Body, Encoding.UTF8, "application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    if (!response.IsSuccessStatusCode) notOk++;
                }
            }
        }));
        return new LoadResult(target.Function, latencies.Count / watch.Elapsed.TotalSeconds, Summary.Of(latencies), latencies.Count, notOk, "HttpClient loop (hey not installed)");
    }
}
