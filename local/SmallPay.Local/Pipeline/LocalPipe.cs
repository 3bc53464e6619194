using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Local.Aws;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// How a pipe from a DynamoDB stream treats its records (the template's <c>DynamoDBStreamParameters</c> and
/// <c>TargetParameters.InputTemplate</c>). -1 is "no limit", as in AWS.
/// </summary>
public sealed record LocalPipeSettings
{
    public int BatchSize { get; init; } = 10;

    /// <summary>Retries of a failed batch before its records go to the dead-letter queue (-1: until they expire).</summary>
    public int MaximumRetryAttempts { get; init; } = -1;

    /// <summary>Records older than this are not sent any more but dead-lettered (-1: never).</summary>
    public int MaximumRecordAgeInSeconds { get; init; } = -1;

    /// <summary>AUTOMATIC_BISECT: a failed batch is halved and each half tried on its own, down to single records.</summary>
    public bool BisectOnFailure { get; init; }

    /// <summary>DeadLetterConfig.Arn: where the failed batches are described.</summary>
    public LocalQueue? DeadLetterQueue { get; init; }

    /// <summary>Null: the target gets each record as it is.</summary>
    public PipeInputTemplate? InputTemplate { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// An <c>AWS::Pipes::Pipe</c> from a DynamoDB stream to an SQS queue: each stream record that passes the pipe's filter
/// becomes one message whose body is the record as JSON (<c>eventID</c>, <c>eventName</c>, <c>dynamodb</c> with
/// <c>Keys</c>/<c>NewImage</c>/<c>OldImage</c>/<c>SequenceNumber</c>..., <c>eventSourceARN</c>) or, with an input
/// template, what the template makes of it. Records the filter drops are gone, as in AWS.
/// <para>
/// The records are sent in batches of BatchSize. A batch fails when the queue refuses one of its messages (SendMessage's
/// error: a body over the queue's MaximumMessageSize, characters SQS does not allow); the messages it accepted stay sent.
/// A failed batch is tried again; with AUTOMATIC_BISECT it is first halved, down to single records (halving counts as no
/// retry), so one bad record never holds the others back. After MaximumRetryAttempts retries (or once its oldest record is
/// older than MaximumRecordAgeInSeconds) the batch is given up: the dead-letter queue gets a message that says where the
/// batch is in the stream (<c>DDBStreamBatchInfo</c>, as Pipes writes it: the records themselves are not in it), and the
/// pipe goes on with the next records. Without a retry limit a failed batch is retried until it succeeds (in AWS: until
/// the records leave the stream after 24 hours), and the shard waits: nothing after it is delivered.
/// </para>
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
    private long _deadLettered;
    private long _failedAttempts;

    public LocalPipe(string name, string sourceTable, LocalQueue target, PipeFilter filter, string startingPosition, ILogger logger,
        LocalPipeSettings? settings = null)
    {
        Name = name;
        SourceTable = sourceTable;
        Target = target;
        Filter = filter;
        StartingPosition = startingPosition;
        Settings = settings ?? new LocalPipeSettings();
        _logger = logger;
    }

    public string Name { get; }

    public string Arn => $"arn:aws:pipes:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:pipe/{Name}";

    public string SourceTable { get; }

    public LocalQueue Target { get; }

    public PipeFilter Filter { get; }

    public string StartingPosition { get; }

    public LocalPipeSettings Settings { get; }

    public LocalQueue? DeadLetterQueue => Settings.DeadLetterQueue;

    public string? StreamArn { get; private set; }

    public long RecordsRead => Interlocked.Read(ref _read);

    public long RecordsPassed => Interlocked.Read(ref _passed);

    public long RecordsDropped => RecordsRead - RecordsPassed;

    /// <summary>Records given up on (described in the dead-letter queue, or discarded without one).</summary>
    public long RecordsDeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Attempts to send a batch that the target refused (each retry counts).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>The last records the pipe read (newest last), passed or dropped, with what became of them.</summary>
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
        StreamArn = streamArn;
        var poller = new StreamPoller(streams, streamArn, startingPosition ?? StartingPosition, DeliverAsync, interval, _logger);
        await poller.StartAsync(cancellationToken);
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

    /// <summary>
    /// One GetRecords answer of a shard: filters the records and sends those that pass to the target queue, in order,
    /// BatchSize at a time. Throws when a batch failed and is to be retried with the stream (no retry limit): the poller
    /// reads the same records again.
    /// </summary>
    public Task DeliverAsync(string shardId, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        foreach (var chunk in records.Chunk(Math.Max(1, Settings.BatchSize)))
        {
            var batch = new List<Outgoing>(chunk.Length);
            foreach (var record in chunk)
            {
                Interlocked.Increment(ref _read);
                var text = record.ToJsonString(BodyJson);
                if (!Filter.Passes(record))
                {
                    Remember(new PipeRecord(Settings.Clock.GetUtcNow(), EventName(record), Keys(record), text, null, null, "dropped by the filter"));
                    continue;
                }
                Interlocked.Increment(ref _passed);
                var body = Settings.InputTemplate?.Apply(record, Context()) ?? text;
                batch.Add(new Outgoing(record, text, body));
            }
            if (batch.Count > 0) Send(shardId, batch, retried: 0);
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private PipeTemplateContext Context() => new(Name, Arn, StreamArn ?? "", Target.Arn, Settings.Clock.GetUtcNow());

    // One target invocation for the batch, then its retries (halves first, with AUTOMATIC_BISECT).
    private void Send(string shardId, List<Outgoing> batch, int retried)
    {
        while (true)
        {
            if (Settings.MaximumRecordAgeInSeconds >= 0
                && Settings.Clock.GetUtcNow() - CreatedAt(batch[0].Record) > TimeSpan.FromSeconds(Settings.MaximumRecordAgeInSeconds))
            {
                GiveUp(shardId, batch, "RecordAgeExceeded", "older than MaximumRecordAgeInSeconds");
                return;
            }

            string? error = null;
            foreach (var outgoing in batch)
            {
                try
                {
                    outgoing.MessageId = Target.Send(outgoing.Body, senderId: $"AROALOCALPIPE:{Name}");
                }
                catch (SqsRequestException refused)
                {
                    // The SendMessage error, as the pipe's logs show it in AWS.
                    error ??= $"{refused.ErrorCode}: {refused.Message}";
                }
            }
            if (error is null)
            {
                foreach (var outgoing in batch)
                    Remember(new PipeRecord(Settings.Clock.GetUtcNow(), EventName(outgoing.Record), Keys(outgoing.Record), outgoing.RecordText,
                        outgoing.Body, outgoing.MessageId, $"→ {Target.Name} {outgoing.MessageId}"));
                return;
            }

            Interlocked.Increment(ref _failedAttempts);
            _logger.LogWarning("pipe {Pipe}: {Target} refused a batch of {Count} record(s) ({Keys}): {Error}",
                Name, Target.Name, batch.Count, string.Join(" ", batch.Select(o => Keys(o.Record))), error);
            if (Settings.BisectOnFailure && batch.Count > 1)
            {
                var half = batch.Count / 2;
                Send(shardId, batch[..half], retried);
                Send(shardId, batch[half..], retried);
                return;
            }
            if (Settings.MaximumRetryAttempts < 0)
            {
                foreach (var outgoing in batch)
                    Remember(new PipeRecord(Settings.Clock.GetUtcNow(), EventName(outgoing.Record), Keys(outgoing.Record), outgoing.RecordText,
                        outgoing.Body, null, $"failed ({error}); retried with the stream, the shard waits"));
                throw new PipeTargetException($"pipe {Name}: {Target.Name} refused a batch ({error}); no MaximumRetryAttempts: retrying, the shard waits");
            }
            if (retried >= Settings.MaximumRetryAttempts)
            {
                GiveUp(shardId, batch, "RetryAttemptsExhausted", error);
                return;
            }
            retried++;
        }
    }

    // The batch leaves the pipe: described in the dead-letter queue (or dropped without one), never sent.
    private void GiveUp(string shardId, List<Outgoing> batch, string condition, string reason)
    {
        Interlocked.Add(ref _deadLettered, batch.Count);
        string outcome;
        if (DeadLetterQueue is { } deadLetterQueue)
        {
            var id = deadLetterQueue.Send(DeadLetterBody(shardId, batch, condition).ToJsonString(BodyJson), senderId: $"AROALOCALPIPE:{Name}");
            outcome = $"{condition}: described in {deadLetterQueue.Name} {id} ({reason})";
            _logger.LogWarning("pipe {Pipe}: {Count} record(s) ({Keys}) given up ({Condition}: {Reason}); described in {DeadLetterQueue}",
                Name, batch.Count, string.Join(" ", batch.Select(o => Keys(o.Record))), condition, reason, deadLetterQueue.Name);
        }
        else
        {
            outcome = $"{condition}: discarded, the pipe has no dead-letter queue ({reason})";
            _logger.LogError("pipe {Pipe}: {Count} record(s) ({Keys}) discarded ({Condition}: {Reason}): the pipe has no DeadLetterConfig",
                Name, batch.Count, string.Join(" ", batch.Select(o => Keys(o.Record))), condition, reason);
        }
        foreach (var outgoing in batch)
            Remember(new PipeRecord(Settings.Clock.GetUtcNow(), EventName(outgoing.Record), Keys(outgoing.Record), outgoing.RecordText,
                outgoing.Body, null, outcome));
    }

    /// <summary>What Pipes puts in a stream source's dead-letter queue: the batch's place in the stream, not its records.</summary>
    private JsonObject DeadLetterBody(string shardId, List<Outgoing> batch, string condition)
    {
        string Arrival(JsonObject record) => CreatedAt(record).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["context"] = new JsonObject { ["partnerResourceArn"] = Arn, ["condition"] = condition },
            ["version"] = "1.0",
            ["timestamp"] = Settings.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["DDBStreamBatchInfo"] = new JsonObject
            {
                ["shardId"] = shardId,
                ["startSequenceNumber"] = Sequence(batch[0].Record),
                ["endSequenceNumber"] = Sequence(batch[^1].Record),
                ["approximateArrivalOfFirstRecord"] = Arrival(batch[0].Record),
                ["approximateArrivalOfLastRecord"] = Arrival(batch[^1].Record),
                ["batchSize"] = batch.Count,
                ["streamArn"] = StreamArn,
            },
        };
    }

    private void Remember(PipeRecord entry)
    {
        _logger.LogDebug("pipe {Pipe}: {EventName} {Keys} {Outcome}", Name, entry.EventName, entry.Keys, entry.Outcome);
        lock (_recent)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > RecentCapacity) _recent.Dequeue();
        }
    }

    private static string EventName(JsonObject record) => record["eventName"]?.GetValue<string>() ?? "";

    private static string? Sequence(JsonObject record) => record["dynamodb"]?["SequenceNumber"]?.GetValue<string>();

    // ApproximateCreationDateTime: seconds since the epoch (a number); records without one count as new.
    private DateTimeOffset CreatedAt(JsonObject record) =>
        record["dynamodb"]?["ApproximateCreationDateTime"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : Settings.Clock.GetUtcNow();

    // "id=inv_123" from the DynamoDB JSON keys.
    private static string Keys(JsonObject record) =>
        string.Join(",", (record["dynamodb"]?["Keys"] as JsonObject ?? []).Select(key =>
            $"{key.Key}={(key.Value as JsonObject)?.FirstOrDefault().Value?.ToString()}"));

    private sealed class Outgoing(JsonObject record, string recordText, string body)
    {
        public JsonObject Record { get; } = record;
        public string RecordText { get; } = recordText;
        public string Body { get; } = body;
        public string? MessageId { get; set; }
    }
}

/// <summary>
/// One stream record the pipe read: <see cref="Record"/> as read from the stream, <see cref="MessageBody"/> what the
/// target was sent (the record itself, or the input template's output), <see cref="MessageId"/> the message it became
/// (null when the filter dropped it or the pipe gave it up), <see cref="Outcome"/> in words.
/// </summary>
public sealed record PipeRecord(DateTimeOffset ReadAt, string EventName, string Keys, string Record, string? MessageBody, string? MessageId, string Outcome)
{
    public bool Passed => MessageId is not null;
}

/// <summary>The target refused a batch and the pipe retries it with the stream (no MaximumRetryAttempts).</summary>
public sealed class PipeTargetException(string message) : Exception(message);
