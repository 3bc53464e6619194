using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SmallPay.Bench.Cost;

/// <summary>
/// A pass-through in front of DynamoDB Local that asks every call for its ConsumedCapacity (adding
/// <c>"ReturnConsumedCapacity":"TOTAL"</c> to the request; DynamoDB Local does not check signatures) and adds up the
/// read and write capacity units the answers report: the request units an on-demand table would bill. Responses pass
/// through byte for byte (the SDK checks their CRC32).
/// </summary>
public sealed class CapacityCountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> CountedOperations = new(StringComparer.Ordinal)
    {
        "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
    };

    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly object _lock = new();
    private WebApplication? _app;
    private CapacityTally _tally = new();
    private readonly Dictionary<string, long> _firstSeen = new(StringComparer.Ordinal);

    private CapacityCountingProxy(Uri target) => _target = target;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<CapacityCountingProxy> StartAsync(Uri dynamoDb, CancellationToken ct)
    {
        var proxy = new CapacityCountingProxy(dynamoDb);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(proxy.ForwardAsync);
        await app.StartAsync(ct);
        proxy._app = app;
        proxy.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return proxy;
    }

    /// <summary>When an operation was first forwarded (Stopwatch timestamp), since the proxy started; null if never.</summary>
    public long? FirstSeen(string operation)
    {
        lock (_lock) return _firstSeen.TryGetValue(operation, out var at) ? at : null;
    }

    /// <summary>What was counted since the last call, and a fresh count from now on.</summary>
    public CapacityTally TakeTally()
    {
        lock (_lock)
        {
            var tally = _tally;
            _tally = new CapacityTally();
            return tally;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target[(target.IndexOf('.') + 1)..];
        lock (_lock) _firstSeen.TryAdd(operation, System.Diagnostics.Stopwatch.GetTimestamp());
        if (CountedOperations.Contains(operation) && JsonNode.Parse(body) is JsonObject request)
        {
            request["ReturnConsumedCapacity"] = "INDEXES"; // the total, and what each table and index took of it
            body = Encoding.UTF8.GetBytes(request.ToJsonString());
        }

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        forward.Content = new ByteArrayContent(body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            else forward.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await _upstream.SendAsync(forward, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        Count(operation, answer);

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private void Count(string operation, byte[] answer)
    {
        double units = 0;
        var perIndex = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.TryGetProperty("ConsumedCapacity", out var consumed))
                foreach (var entry in consumed.ValueKind == JsonValueKind.Array ? consumed.EnumerateArray().ToList() : [consumed])
                {
                    if (entry.TryGetProperty("CapacityUnits", out var value) && value.ValueKind == JsonValueKind.Number)
                        units += value.GetDouble(); // table and index units together, as on-demand bills them
                    if (entry.TryGetProperty("GlobalSecondaryIndexes", out var indexes) && indexes.ValueKind == JsonValueKind.Object)
                        foreach (var index in indexes.EnumerateObject())
                            if (index.Value.TryGetProperty("CapacityUnits", out var indexUnits) && indexUnits.ValueKind == JsonValueKind.Number)
                                perIndex[index.Name] = perIndex.GetValueOrDefault(index.Name) + indexUnits.GetDouble();
                }
        }
        catch (JsonException)
        {
        }
        var isRead = operation is "GetItem" or "Query" or "Scan" or "BatchGetItem" or "TransactGetItems";
        lock (_lock) _tally = _tally.Add(operation, isRead ? units : 0, isRead ? 0 : units, isRead ? null : perIndex);
    }
}

/// <summary>DynamoDB calls and the capacity units they consumed.</summary>
public sealed record CapacityTally
{
    public int Requests { get; init; }
    public double ReadUnits { get; init; }
    public double WriteUnits { get; init; }
    public Dictionary<string, int> Operations { get; init; } = new(StringComparer.Ordinal);
    /// <summary>The write units each global secondary index took (part of <see cref="WriteUnits"/>).</summary>
    public Dictionary<string, double> IndexWriteUnits { get; init; } = new(StringComparer.Ordinal);

    public CapacityTally Add(string operation, double read, double write, IReadOnlyDictionary<string, double>? indexWrites = null)
    {
        var operations = new Dictionary<string, int>(Operations, StringComparer.Ordinal);
        operations[operation] = operations.GetValueOrDefault(operation) + 1;
        var indexes = new Dictionary<string, double>(IndexWriteUnits, StringComparer.Ordinal);
        foreach (var (index, units) in indexWrites ?? new Dictionary<string, double>())
            indexes[index] = indexes.GetValueOrDefault(index) + units;
        return this with { Requests = Requests + 1, ReadUnits = ReadUnits + read, WriteUnits = WriteUnits + write, Operations = operations, IndexWriteUnits = indexes };
    }
}
