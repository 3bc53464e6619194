using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>
/// The local pipe's delivery to its queue, record by record (no stream): what the queue refuses fails the batch as
/// SendMessage fails in AWS, and the pipe's retry policy decides what happens next.
/// </summary>
public sealed class LocalPipeTests
{
    private const string Shard = "shardId-00000001795166441000-8c2a1b3d";
    private readonly ManualClock _clock = new();
    private long _sequence = 1000;

    private LocalQueue Queue(string name) => new(name, TimeSpan.FromSeconds(30), clock: _clock);

    private LocalPipe Pipe(LocalQueue target, LocalPipeSettings settings) =>
        new("ProbePipe", "ProbeTable", target, PipeFilter.PassAll, "LATEST", NullLogger.Instance, settings with { Clock = _clock });

    // A stream record of a tenant's item; a big one carries a note of 300,000 characters (the whole record is sent).
    private JsonObject Record(string id, int noteLength = 10) => new()
    {
        ["eventID"] = Guid.NewGuid().ToString("N"),
        ["eventName"] = "MODIFY",
        ["eventSource"] = "aws:dynamodb",
        ["dynamodb"] = new JsonObject
        {
            ["ApproximateCreationDateTime"] = _clock.GetUtcNow().ToUnixTimeSeconds(),
            ["Keys"] = new JsonObject { ["id"] = new JsonObject { ["S"] = id } },
            ["NewImage"] = new JsonObject
            {
                ["id"] = new JsonObject { ["S"] = id },
                ["note"] = new JsonObject { ["S"] = new string('n', noteLength) },
            },
            ["SequenceNumber"] = (++_sequence).ToString(CultureInfo.InvariantCulture),
            ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
        },
    };

    private static string? IdOf(QueueMessageInfo message) => JsonNode.Parse(message.Body)?["dynamodb"]?["Keys"]?["id"]?["S"]?.GetValue<string>();

    [Fact]
    public async Task Without_a_retry_limit_a_record_the_queue_refuses_holds_up_every_record_behind_it()
    {
        var queue = Queue("Target");
        var pipe = Pipe(queue, new LocalPipeSettings());
        var batch = new[] { Record("tenant-a-big", noteLength: 300_000), Record("tenant-b-small") };

        for (var attempt = 0; attempt < 3; attempt++)
            await Assert.ThrowsAsync<PipeTargetException>(() => pipe.DeliverAsync(Shard, batch, CancellationToken.None));

        // The batch failed as a whole; the small record was accepted by SQS each time (duplicates), never the big one,
        // and the poller reads the same records again and again: in AWS until they leave the stream after 24 hours.
        Assert.DoesNotContain(queue.Peek(), message => IdOf(message) == "tenant-a-big");
        Assert.Equal(3, pipe.FailedAttempts);
        Assert.Contains("Message must be shorter than 262144 bytes", pipe.Recent[^1].Outcome);
    }

    [Fact]
    public async Task With_a_dead_letter_queue_the_refused_record_is_described_there_and_the_rest_goes_through()
    {
        var queue = Queue("Target");
        var deadLetters = Queue("PipeDeadLetters");
        var pipe = Pipe(queue, new LocalPipeSettings { MaximumRetryAttempts = 2, BisectOnFailure = true, DeadLetterQueue = deadLetters });
        var big = Record("tenant-a-big", noteLength: 300_000);
        var before = Record("tenant-c-before");
        var after = Record("tenant-b-after");

        await pipe.DeliverAsync(Shard, [before, big, after], CancellationToken.None);
        await pipe.DeliverAsync(Shard, [Record("tenant-b-later")], CancellationToken.None);

        Assert.Equal(["tenant-b-after", "tenant-b-later", "tenant-c-before"], queue.Peek().Select(IdOf).Distinct().Order());
        Assert.DoesNotContain(queue.Peek(), message => IdOf(message) == "tenant-a-big");
        var deadLetter = JsonNode.Parse(Assert.Single(deadLetters.Peek()).Body)!;
        Assert.Equal("RetryAttemptsExhausted", deadLetter["context"]!["condition"]!.GetValue<string>());
        Assert.Equal(pipe.Arn, deadLetter["context"]!["partnerResourceArn"]!.GetValue<string>());
        var info = deadLetter["DDBStreamBatchInfo"]!;
        Assert.Equal(Shard, info["shardId"]!.GetValue<string>());
        Assert.Equal(1, info["batchSize"]!.GetValue<int>());
        Assert.Equal(big["dynamodb"]!["SequenceNumber"]!.GetValue<string>(), info["startSequenceNumber"]!.GetValue<string>());
        Assert.Equal(big["dynamodb"]!["SequenceNumber"]!.GetValue<string>(), info["endSequenceNumber"]!.GetValue<string>());
        // The batch of three, then its half with the big record, then the big record alone: its try and two retries.
        Assert.Equal(1 + 1 + 3, pipe.FailedAttempts);
        Assert.Equal(1, pipe.RecordsDeadLettered);
        var given = Assert.Single(pipe.Recent, r => r.Keys == "id=tenant-a-big");
        Assert.Null(given.MessageId);
        Assert.Contains("InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.", given.Outcome);
    }

    [Fact]
    public async Task Without_bisecting_the_whole_failed_batch_is_dead_lettered_after_the_retries()
    {
        var queue = Queue("Target");
        var deadLetters = Queue("PipeDeadLetters");
        var pipe = Pipe(queue, new LocalPipeSettings { MaximumRetryAttempts = 1, DeadLetterQueue = deadLetters });

        await pipe.DeliverAsync(Shard, [Record("small"), Record("big", noteLength: 300_000)], CancellationToken.None);

        var info = JsonNode.Parse(Assert.Single(deadLetters.Peek()).Body)!["DDBStreamBatchInfo"]!;
        Assert.Equal(2, info["batchSize"]!.GetValue<int>());
        Assert.Equal(2, pipe.FailedAttempts);
    }

    [Fact]
    public async Task Records_older_than_the_maximum_record_age_are_dead_lettered_without_a_try()
    {
        var queue = Queue("Target");
        var deadLetters = Queue("PipeDeadLetters");
        var pipe = Pipe(queue, new LocalPipeSettings { MaximumRetryAttempts = 3, MaximumRecordAgeInSeconds = 3600, DeadLetterQueue = deadLetters });
        var old = Record("old");
        _clock.Advance(TimeSpan.FromHours(2));

        await pipe.DeliverAsync(Shard, [old], CancellationToken.None);

        Assert.Empty(queue.Peek());
        Assert.Equal("RecordAgeExceeded", JsonNode.Parse(Assert.Single(deadLetters.Peek()).Body)!["context"]!["condition"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_input_template_makes_the_message_and_records_are_sent_in_batches_of_the_batch_size()
    {
        var queue = Queue("Target");
        var pipe = Pipe(queue, new LocalPipeSettings
        {
            BatchSize = 2,
            InputTemplate = PipeInputTemplate.Parse("""{"id": <$.dynamodb.Keys.id.S>, "pipe": <aws.pipes.pipe-name>}"""),
        });

        await pipe.DeliverAsync(Shard, [Record("a", noteLength: 300_000), Record("b"), Record("c")], CancellationToken.None);

        Assert.Equal(["""{"id":"a","pipe":"ProbePipe"}""", """{"id":"b","pipe":"ProbePipe"}""", """{"id":"c","pipe":"ProbePipe"}"""],
            queue.Peek().Select(m => m.Body));
        Assert.Equal(0, pipe.FailedAttempts);
        Assert.All(pipe.Recent, r => Assert.Contains("\"dynamodb\"", r.Record));
    }
}
