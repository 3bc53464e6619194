using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// An <c>AWS::Pipes::Pipe</c> from a DynamoDB stream to an SQS queue: each stream record that passes the pipe's
/// filter becomes one message whose body is the record as JSON (<c>eventID</c>, <c>eventName</c>, <c>dynamodb</c>
/// with <c>Keys</c>/<c>NewImage</c>/<c>OldImage</c>/<c>SequenceNumber</c>..., <c>eventSourceARN</c>), as a Pipe
/// without an input template sends it. Records the filter drops are gone, as in AWS.
/// </summary>
public sealed class LocalPipe : IAsyncDisposable
{
    private const int RecentCapacity = 500;

    // Non-ASCII text stays as it is (Müller, not M\u00fcller), as AWS writes it.
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ILogger _logger;
    private readonly Queue<PipeRecord> _recent = new();
    private StreamPoller? _poller;
    private long _read;
    private long _passed;

    public LocalPipe(string name, string sourceTable, LocalQueue target, PipeFilter filter, string startingPosition, ILogger logger)
    {
        Name = name;
        SourceTable = sourceTable;
        Target = target;
        Filter = filter;
        StartingPosition = startingPosition;
        _logger = logger;
    }

    public string Name { get; }

    public string SourceTable { get; }

    public LocalQueue Target { get; }

    public PipeFilter Filter { get; }

    public string StartingPosition { get; }

    public string? StreamArn { get; private set; }

    public long RecordsRead => Interlocked.Read(ref _read);

    public long RecordsPassed => Interlocked.Read(ref _passed);

    public long RecordsDropped => RecordsRead - RecordsPassed;

    /// <summary>The last records the pipe read (newest last), passed or dropped, with the message they became.</summary>
    public IReadOnlyList<PipeRecord> Recent
    {
        get
        {
            lock (_recent) return [.. _recent];
        }
    }

    public bool IsRunning => _poller is not null;

    /// <summary>Starts reading the stream at <paramref name="startingPosition"/> (default: the template's); does nothing when running.</summary>
    internal async Task StartAsync(DynamoDbStreamsClient streams, string streamArn, TimeSpan interval, string? startingPosition, CancellationToken cancellationToken)
    {
        if (_poller is not null) return;
        var poller = new StreamPoller(streams, streamArn, startingPosition ?? StartingPosition, (records, _) =>
        {
            Deliver(records);
            return Task.CompletedTask;
        }, interval, _logger);
        await poller.StartAsync(cancellationToken);
        StreamArn = streamArn;
        _poller = poller;
    }

    /// <summary>Stops reading the stream (a later start begins afresh at its starting position).</summary>
    internal async Task StopAsync()
    {
        if (_poller is { } poller)
        {
            _poller = null;
            await poller.DisposeAsync();
        }
    }

    /// <summary>Filters the records and sends those that pass to the target queue, in order.</summary>
    public void Deliver(IEnumerable<JsonObject> records)
    {
        foreach (var record in records)
        {
            Interlocked.Increment(ref _read);
            var body = record.ToJsonString(BodyJson);
            string? messageId = null;
            if (Filter.Passes(record))
            {
                Interlocked.Increment(ref _passed);
                messageId = Target.Send(body, senderId: $"AROALOCALPIPE:{Name}");
            }
            var entry = new PipeRecord(DateTimeOffset.UtcNow, record["eventName"]?.GetValue<string>() ?? "", Keys(record), body, messageId);
            _logger.LogDebug("pipe {Pipe}: {EventName} {Keys} {Outcome}", Name, entry.EventName, entry.Keys,
                messageId is null ? "dropped by the filter" : $"→ {Target.Name} {messageId}");
            lock (_recent)
            {
                _recent.Enqueue(entry);
                while (_recent.Count > RecentCapacity) _recent.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    // "id=inv_123" from the DynamoDB JSON keys.
    private static string Keys(JsonObject record) =>
        string.Join(",", (record["dynamodb"]?["Keys"] as JsonObject ?? []).Select(key =>
            $"{key.Key}={(key.Value as JsonObject)?.FirstOrDefault().Value?.ToString()}"));
}

/// <summary>One stream record the pipe read; <see cref="MessageId"/> is null when the filter dropped it.</summary>
public sealed record PipeRecord(DateTimeOffset ReadAt, string EventName, string Keys, string Body, string? MessageId)
{
    public bool Passed => MessageId is not null;
}
