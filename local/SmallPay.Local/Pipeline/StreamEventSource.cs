using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Pipeline;

/// <summary>A function's <c>Type: DynamoDB</c> event, as template.yaml declares it.</summary>
public sealed record StreamEventSourceSettings
{
    public int BatchSize { get; init; } = 100;

    public bool BisectOnError { get; init; }

    /// <summary>Retries of a failed batch before it is given up (-1: until its records expire).</summary>
    public int MaximumRetryAttempts { get; init; } = -1;

    /// <summary>Records older than this are given up without another try (-1: never).</summary>
    public int MaximumRecordAgeInSeconds { get; init; } = -1;

    public bool ReportBatchItemFailures { get; init; }

    /// <summary>DestinationConfig.OnFailure: where a given-up batch is described.</summary>
    public LocalQueue? OnFailure { get; init; }

    /// <summary>How long to wait before retrying a failed batch (Lambda backs off too).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// A Lambda event source mapping on a DynamoDB stream, in this process: reads the table's stream (StreamPoller: every
/// shard in order), drops what the FilterCriteria does not pass, and invokes the warm handler with
/// <c>{"Records": [...]}</c>, BatchSize records at a time, in order. A batch fails on a function error, a timeout or, with
/// ReportBatchItemFailures, the <c>batchItemFailures</c> it names: the records before the first named one count as done
/// and the batch is retried from it (an identifier that names no record of the batch fails all of it). With
/// BisectBatchOnFunctionError a failed batch is halved first, down to single records. After MaximumRetryAttempts retries
/// (or when its first record is older than MaximumRecordAgeInSeconds) the batch is given up: the OnFailure queue gets
/// Lambda's description of it (<c>DDBStreamBatchInfo</c>: shard and sequence numbers, not the records) and the shard
/// goes on.
/// </summary>
public sealed class StreamEventSource : IAsyncDisposable
{
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ILambdaHandler _handler;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private StreamPoller? _poller;
    private long _read;
    private long _passed;
    private long _invocations;
    private long _failedInvocations;
    private long _givenUp;

    public StreamEventSource(string functionLogicalId, string eventName, string sourceTable, string startingPosition, PipeFilter filter,
        ILambdaHandler handler, TimeSpan functionTimeout, ILogger logger, StreamEventSourceSettings? settings = null)
    {
        FunctionLogicalId = functionLogicalId;
        EventName = eventName;
        SourceTable = sourceTable;
        StartingPosition = startingPosition;
        Filter = filter;
        Settings = settings ?? new StreamEventSourceSettings();
        _handler = handler;
        _timeout = functionTimeout;
        _logger = logger;
    }

    public string FunctionLogicalId { get; }

    public string EventName { get; }

    public string SourceTable { get; }

    public string StartingPosition { get; }

    public PipeFilter Filter { get; }

    public StreamEventSourceSettings Settings { get; }

    public string? StreamArn { get; private set; }

    public string FunctionArn => $"arn:aws:lambda:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:function:{FunctionLogicalId}";

    public long RecordsRead => Interlocked.Read(ref _read);

    public long RecordsPassed => Interlocked.Read(ref _passed);

    public long Invocations => Interlocked.Read(ref _invocations);

    public long FailedInvocations => Interlocked.Read(ref _failedInvocations);

    public long RecordsGivenUp => Interlocked.Read(ref _givenUp);

    public bool IsRunning => _poller is not null;

    internal async Task StartAsync(DynamoDbStreamsClient streams, string streamArn, TimeSpan interval, string? startingPosition, CancellationToken cancellationToken)
    {
        if (_poller is not null) return;
        StreamArn = streamArn;
        var poller = new StreamPoller(streams, streamArn, startingPosition ?? StartingPosition, DeliverAsync, interval, _logger);
        await poller.StartAsync(cancellationToken);
        _poller = poller;
    }

    internal async Task StopAsync()
    {
        if (_poller is { } poller)
        {
            _poller = null;
            await poller.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>One GetRecords answer of a shard: filtered, then invoked BatchSize records at a time, in order.</summary>
    public async Task DeliverAsync(string shardId, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _read, records.Count);
        var passed = records.Where(record => Filter.Passes(record)).ToList();
        Interlocked.Add(ref _passed, passed.Count);
        foreach (var batch in passed.Chunk(Math.Max(1, Settings.BatchSize)))
            await ProcessAsync(shardId, [.. batch], retried: 0, cancellationToken);
    }

    // One invocation for the batch, then its retries (from the first failed record; halves first with bisecting).
    private async Task ProcessAsync(string shardId, List<JsonObject> batch, int retried, CancellationToken cancellationToken)
    {
        while (batch.Count > 0)
        {
            if (Settings.MaximumRecordAgeInSeconds >= 0
                && Settings.Clock.GetUtcNow() - CreatedAt(batch[0]) > TimeSpan.FromSeconds(Settings.MaximumRecordAgeInSeconds))
            {
                GiveUp(shardId, batch, "RecordAgeExceeded", retried + 1);
                return;
            }
            var (failedFrom, reason) = await InvokeAsync(batch, cancellationToken);
            if (failedFrom is null) return;
            Interlocked.Increment(ref _failedInvocations);
            batch = batch[failedFrom.Value..];
            _logger.LogWarning("{Function} ({Event}): batch failed from {Sequence} ({Count} record(s) to retry): {Reason}",
                FunctionLogicalId, EventName, Sequence(batch[0]), batch.Count, reason);
            if (Settings.BisectOnError && batch.Count > 1)
            {
                var half = batch.Count / 2;
                await ProcessAsync(shardId, batch[..half], retried, cancellationToken);
                await ProcessAsync(shardId, batch[half..], retried, cancellationToken);
                return;
            }
            if (Settings.MaximumRetryAttempts >= 0 && retried >= Settings.MaximumRetryAttempts)
            {
                GiveUp(shardId, batch, "RetryAttemptsExhausted", retried + 1);
                return;
            }
            retried++;
            await Task.Delay(Settings.RetryDelay, cancellationToken);
        }
    }

    /// <summary>Null when the whole batch succeeded; else the index of the first record to retry, and why.</summary>
    private async Task<(int? FailedFrom, string? Reason)> InvokeAsync(List<JsonObject> batch, CancellationToken stopping)
    {
        Interlocked.Increment(ref _invocations);
        var payload = Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = new JsonArray(batch.Select(r => r.DeepClone()).ToArray()) }.ToJsonString(BodyJson));
        var invocation = new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow + _timeout, null, FunctionArn);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        byte[] response;
        try
        {
            var call = _handler.HandleAsync(payload, invocation, deadline.Token);
            var finished = await Task.WhenAny(call, Task.Delay(_timeout, stopping));
            if (finished != call)
            {
                _ = call.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);
                stopping.ThrowIfCancellationRequested();
                return (0, $"timed out after {_timeout.TotalSeconds:0.###} s");
            }
            response = await call;
        }
        catch (Exception error) when (!stopping.IsCancellationRequested)
        {
            return (0, $"function error: {error.GetType().Name}: {error.Message}");
        }
        if (!Settings.ReportBatchItemFailures) return (null, null);
        try
        {
            var failures = JsonNode.Parse(response)?["batchItemFailures"] as JsonArray;
            if (failures is null || failures.Count == 0) return (null, null);
            var sequences = batch.Select(Sequence).ToList();
            var indexes = failures.Select(f => f?["itemIdentifier"]?.GetValue<string>()).Select(id => id is null ? -1 : sequences.IndexOf(id)).ToList();
            // An identifier that is empty or names no record of the batch: Lambda treats the whole batch as failed.
            return indexes.Any(i => i < 0) ? (0, "batchItemFailures names a record that is not in the batch") : (indexes.Min(), $"batchItemFailures: {failures.Count}");
        }
        catch (JsonException)
        {
            return (null, null); // not a batch response: counts as success, as in Lambda
        }
    }

    private void GiveUp(string shardId, List<JsonObject> batch, string condition, int invokeCount)
    {
        Interlocked.Add(ref _givenUp, batch.Count);
        string Arrival(JsonObject record) => CreatedAt(record).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var description = new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = Guid.NewGuid().ToString(), ["functionArn"] = FunctionArn, ["condition"] = condition, ["approximateInvokeCount"] = invokeCount,
            },
            ["responseContext"] = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST", ["functionError"] = "Unhandled" },
            ["version"] = "1.0",
            ["timestamp"] = Settings.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["DDBStreamBatchInfo"] = new JsonObject
            {
                ["shardId"] = shardId,
                ["startSequenceNumber"] = Sequence(batch[0]),
                ["endSequenceNumber"] = Sequence(batch[^1]),
                ["approximateArrivalOfFirstRecord"] = Arrival(batch[0]),
                ["approximateArrivalOfLastRecord"] = Arrival(batch[^1]),
                ["batchSize"] = batch.Count,
                ["streamArn"] = StreamArn,
            },
        };
        if (Settings.OnFailure is { } queue)
        {
            queue.Send(description.ToJsonString(BodyJson), senderId: $"AROALOCALLAMBDA:{FunctionLogicalId}");
            _logger.LogWarning("{Function} ({Event}): {Count} record(s) from {Sequence} given up ({Condition}); described in {Queue}",
                FunctionLogicalId, EventName, batch.Count, Sequence(batch[0]), condition, queue.Name);
        }
        else
        {
            _logger.LogError("{Function} ({Event}): {Count} record(s) from {Sequence} discarded ({Condition}): no DestinationConfig.OnFailure",
                FunctionLogicalId, EventName, batch.Count, Sequence(batch[0]), condition);
        }
    }

    private static string Sequence(JsonObject record) => record["dynamodb"]?["SequenceNumber"]?.GetValue<string>() ?? "";

    private DateTimeOffset CreatedAt(JsonObject record) =>
        record["dynamodb"]?["ApproximateCreationDateTime"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : Settings.Clock.GetUtcNow();
}
