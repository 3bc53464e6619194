using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SmallPay.Local.Pipeline;

/// <summary>One event as the bus carried it (its EventBridge JSON), kept by the local archive.</summary>
public sealed record ArchivedEvent(string Id, DateTimeOffset Time, string Json);

/// <summary>A rule of the bus: its EventPattern and the queues it targets.</summary>
public sealed record LocalEventRule(string Name, EventPattern Pattern, IReadOnlyList<LocalQueue> Targets);

/// <summary>
/// template.yaml's <c>AWS::Events::EventBus</c> in this process: an event put on it gets EventBridge's shape (version,
/// id, detail-type, source, account, time, region, resources, detail), is kept by the bus's archive
/// (<c>AWS::Events::Archive</c>, its EventPattern and RetentionDays) and goes to the target queue of every rule
/// (<c>AWS::Events::Rule</c>) whose EventPattern matches. A replay puts archived events back on the bus with
/// <c>replay-name</c>, as EventBridge's StartReplay does (replayed events are not archived again).
/// </summary>
public sealed class LocalEventBus(string name, IReadOnlyList<LocalEventRule> rules, EventPattern? archivePattern, TimeSpan? archiveRetention,
    ILogger logger, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<ArchivedEvent> _archive = [];
    private readonly Lock _sync = new();

    public string Name { get; } = name;
    public IReadOnlyList<LocalEventRule> Rules { get; } = rules;
    public bool HasArchive => archivePattern is not null;

    /// <summary>What the archive holds, newest first.</summary>
    public IReadOnlyList<ArchivedEvent> Archived
    {
        get
        {
            lock (_sync)
            {
                Expire();
                return _archive.AsEnumerable().Reverse().ToList();
            }
        }
    }

    /// <summary>PutEvents of one entry: the event's JSON as rules and archive saw it.</summary>
    public string Put(string source, string detailType, JsonNode? detail, string? replayName = null, DateTimeOffset? time = null)
    {
        var at = time ?? _clock.GetUtcNow();
        var node = new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = detailType,
            ["source"] = source,
            ["account"] = LocalResourceNames.AccountId,
            ["time"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = LocalResourceNames.Region,
            ["resources"] = new JsonArray(),
            ["detail"] = detail?.DeepClone() ?? new JsonObject(),
        };
        if (replayName is not null) node["replay-name"] = replayName;
        var json = node.ToJsonString();
        if (replayName is null && archivePattern?.Matches(node) == true)
            lock (_sync) _archive.Add(new ArchivedEvent(node["id"]!.GetValue<string>(), at, json));
        foreach (var rule in Rules.Where(rule => rule.Pattern.Matches(node)))
            foreach (var target in rule.Targets)
                target.Send(json, "AIDAEVENTBRIDGELOCAL");
        logger.LogDebug("event bus {Bus}: {DetailType} from {Source}{Replay}", Name, detailType, source, replayName is null ? "" : $" (replay {replayName})");
        return json;
    }

    /// <summary>StartReplay: the archived events whose time is in [from, to) back on the bus, oldest first. How many.</summary>
    public int Replay(string replayName, DateTimeOffset from, DateTimeOffset to)
    {
        List<ArchivedEvent> chosen;
        lock (_sync)
        {
            Expire();
            chosen = _archive.Where(e => e.Time >= from && e.Time < to).ToList();
        }
        foreach (var archived in chosen)
        {
            var node = JsonNode.Parse(archived.Json)!;
            Put(node["source"]!.GetValue<string>(), node["detail-type"]!.GetValue<string>(), node["detail"], replayName, archived.Time);
        }
        return chosen.Count;
    }

    private void Expire()
    {
        if (archiveRetention is { } retention) _archive.RemoveAll(e => _clock.GetUtcNow() - e.Time > retention);
    }
}

/// <summary>
/// An <c>AWS::Pipes::Pipe</c> from an SQS queue to an event bus: each message becomes one event with the target's
/// <c>EventBridgeEventBusParameters</c> (Source, DetailType: a literal or a <c>$.body.…</c> path) and the pipe's
/// InputTemplate as the detail; the message is deleted once the event is on the bus. A message whose body is not JSON
/// or misses what the parameters name stays in the queue (its redrive policy then moves it to the dead-letter queue).
/// </summary>
public sealed class LocalQueueToBusPipe(string name, LocalQueue source, LocalEventBus bus, string sourceParameter, string detailTypeParameter,
    PipeInputTemplate? inputTemplate, int batchSize, ILogger logger) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public string Name { get; } = name;
    public LocalQueue Source { get; } = source;
    public LocalEventBus Bus { get; } = bus;
    public int Forwarded => _forwarded;
    private int _forwarded;

    public void Start()
    {
        if (_loop is not null) return;
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await Source.WaitForMessagesAsync(TimeSpan.FromSeconds(1), token);
                    foreach (var message in Source.Receive(batchSize)) Forward(message);
                }
                catch (OperationCanceledException) { break; }
                catch (Exception error)
                {
                    logger.LogError(error, "pipe {Pipe} failed", Name);
                }
            }
        });
    }

    /// <summary>One message to the bus (also used by tests): true when it was put on the bus and deleted.</summary>
    public bool Forward(ReceivedMessage message)
    {
        JsonNode? body;
        try { body = JsonNode.Parse(message.Body); }
        catch (JsonException) { body = JsonValue.Create(message.Body); }
        var node = new JsonObject
        {
            ["messageId"] = message.MessageId, ["receiptHandle"] = message.ReceiptHandle, ["body"] = body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = message.ApproximateReceiveCount.ToString(CultureInfo.InvariantCulture) },
            ["eventSource"] = "aws:sqs", ["eventSourceARN"] = Source.Arn,
        };
        var sourceValue = Value(sourceParameter, node);
        var detailType = Value(detailTypeParameter, node);
        var context = new PipeTemplateContext(Name, $"arn:aws:pipes:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:pipe/{Name}", Source.Arn, Bus.Name, DateTimeOffset.UtcNow);
        JsonNode? detail;
        try { detail = inputTemplate is null ? node : JsonNode.Parse(inputTemplate.Apply(node, context)); }
        catch (JsonException) { detail = null; }
        if (string.IsNullOrEmpty(sourceValue) || string.IsNullOrEmpty(detailType) || detail is not JsonObject)
        {
            logger.LogWarning("pipe {Pipe}: message {MessageId} gives no event (source, detail-type or a JSON object detail missing); left in {Queue}",
                Name, message.MessageId, Source.Name);
            return false;
        }
        Bus.Put(sourceValue, detailType, detail);
        Source.Delete(message.ReceiptHandle);
        Interlocked.Increment(ref _forwarded);
        return true;
    }

    // "$.body.detail-type" → that value of the message; anything else is the literal.
    private static string? Value(string parameter, JsonNode node)
    {
        if (!parameter.StartsWith("$.", StringComparison.Ordinal)) return parameter;
        JsonNode? current = node;
        foreach (var part in parameter[2..].Split('.'))
            current = current is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        return current is JsonValue v && v.TryGetValue<string>(out var text) ? text : current?.ToJsonString();
    }

    public async Task StopAsync()
    {
        if (_stop is null || _loop is null) return;
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
