using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SmallPay.Functions.Hosting;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>Lambda's SQS poller, locally: batches, deletes, retries, whole-batch failures, timeouts, the DLQ.</summary>
public sealed class QueueConsumerTests
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMilliseconds(150);

    private static (LocalQueue Queue, LocalQueue DeadLetters) Queues(int maxReceiveCount = 3)
    {
        var deadLetters = new LocalQueue("DLQ", Visibility);
        var queue = new LocalQueue("Q", Visibility);
        queue.SetRedrivePolicy(deadLetters, maxReceiveCount);
        return (queue, deadLetters);
    }

    private static QueueConsumer Consumer(LocalQueue queue, ILambdaHandler handler, int batchSize = 10, bool reportFailures = true,
        TimeSpan? timeout = null, PipeFilter? filter = null, int concurrency = 1) =>
        new(new SqsEventSource("WorkerFunction", queue.Name, batchSize, TimeSpan.Zero, reportFailures, concurrency, filter),
            queue, handler, timeout ?? TimeSpan.FromSeconds(5), NullLogger.Instance);

    [Fact]
    public async Task A_successful_batch_is_deleted()
    {
        var (queue, _) = Queues();
        var handler = new RecordingHandler(_ => null);
        await using var consumer = Consumer(queue, handler);
        queue.Send("a");
        queue.Send("b");

        consumer.Start();
        await Until(() => handler.Bodies.Count == 2 && queue.Counts() == (0, 0));
        await Task.Delay(Visibility * 2);

        Assert.Equal(new[] { "a", "b" }, handler.Bodies.Order());
        Assert.Equal((0, 0), queue.Counts());
    }

    [Fact]
    public async Task The_event_carries_the_records_Lambda_would_send()
    {
        var (queue, _) = Queues();
        var handler = new RecordingHandler(_ => null);
        await using var consumer = Consumer(queue, handler);
        var id = queue.Send("""{"eventName":"INSERT"}""");

        consumer.Start();
        await Until(() => !handler.Events.IsEmpty);

        var record = handler.Events.First()["Records"]![0]!;
        Assert.Equal(id, record["messageId"]!.GetValue<string>());
        Assert.Equal("""{"eventName":"INSERT"}""", record["body"]!.GetValue<string>());
        Assert.Equal("1", record["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>());
        Assert.Equal(queue.Arn, record["eventSourceARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batches_hold_at_most_the_batch_size()
    {
        var (queue, _) = Queues();
        for (var i = 0; i < 7; i++) queue.Send($"m{i}");
        var handler = new RecordingHandler(_ => null);
        await using var consumer = Consumer(queue, handler, batchSize: 3);

        consumer.Start();
        await Until(() => handler.Bodies.Count == 7);

        Assert.All(handler.Events, e => Assert.InRange(e["Records"]!.AsArray().Count, 1, 3));
        Assert.True(handler.Events.Count >= 3);
    }

    [Fact]
    public async Task A_reported_item_failure_comes_back_after_the_visibility_timeout_and_the_rest_is_done()
    {
        var (queue, _) = Queues();
        var failOnce = new ConcurrentDictionary<string, int>();
        var handler = new RecordingHandler(e =>
        {
            var failures = e["Records"]!.AsArray()
                .Where(r => r!["body"]!.GetValue<string>() == "flaky" && failOnce.AddOrUpdate("flaky", 1, (_, n) => n + 1) == 1)
                .Select(r => (JsonNode)new JsonObject { ["itemIdentifier"] = r!["messageId"]!.GetValue<string>() });
            return new JsonObject { ["batchItemFailures"] = new JsonArray(failures.ToArray()) }.ToJsonString();
        });
        await using var consumer = Consumer(queue, handler);
        queue.Send("fine");
        queue.Send("flaky");

        consumer.Start();
        await Until(() => queue.Counts() == (0, 0) && handler.Bodies.Count(b => b == "flaky") == 2);

        Assert.Single(handler.Bodies, "fine");
        var retried = handler.Records.Last(r => r["body"]!.GetValue<string>() == "flaky");
        Assert.Equal("2", retried["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_function_error_fails_the_whole_batch_and_after_max_receives_the_messages_are_dead_letters()
    {
        var (queue, deadLetters) = Queues(maxReceiveCount: 3);
        var handler = new RecordingHandler(_ => throw new InvalidOperationException("SMTP is down"));
        await using var consumer = Consumer(queue, handler);
        var ids = new[] { queue.Send("a"), queue.Send("b") };

        consumer.Start();
        await Until(() => deadLetters.Peek().Count == 2, TimeSpan.FromSeconds(10));

        Assert.Equal(6, handler.Bodies.Count);
        Assert.Equal(ids.Order(), deadLetters.Peek().Select(m => m.MessageId).Order());
        Assert.All(deadLetters.Peek(), m => Assert.Equal(3, m.ApproximateReceiveCount));
        Assert.Equal((0, 0), queue.Counts());
        Assert.Equal(3, consumer.Stats.Failed);
    }

    [Fact]
    public async Task A_function_that_outlives_its_timeout_fails_the_batch()
    {
        var (queue, deadLetters) = Queues(maxReceiveCount: 2);
        var handler = new RecordingHandler(_ => null, delay: TimeSpan.FromSeconds(2));
        await using var consumer = Consumer(queue, handler, timeout: TimeSpan.FromMilliseconds(100));
        queue.Send("slow");

        consumer.Start();
        await Until(() => deadLetters.Peek().Count == 1, TimeSpan.FromSeconds(10));

        Assert.Equal(2, handler.Bodies.Count);
    }

    [Fact]
    public async Task An_invalid_batch_response_fails_the_whole_batch()
    {
        var (queue, _) = Queues();
        var calls = 0;
        var handler = new RecordingHandler(_ => Interlocked.Increment(ref calls) == 1
            ? """{"batchItemFailures":[{"itemIdentifier":""}]}"""
            : null);
        await using var consumer = Consumer(queue, handler);
        queue.Send("a");
        queue.Send("b");

        consumer.Start();
        await Until(() => queue.Counts() == (0, 0) && handler.Bodies.Count == 4);

        Assert.Equal(2, handler.Bodies.Count(b => b == "a"));
    }

    [Fact]
    public async Task Messages_the_event_filter_drops_are_deleted_without_an_invocation()
    {
        var (queue, _) = Queues();
        var handler = new RecordingHandler(_ => null);
        await using var consumer = Consumer(queue, handler, filter: PipeFilter.FromPatterns("""{"body": {"kind": ["render"]}}"""));
        queue.Send("""{"kind":"render"}""");
        queue.Send("""{"kind":"noise"}""");
        queue.Send("not json");

        consumer.Start();
        await Until(() => queue.Counts() == (0, 0));
        await Task.Delay(Visibility * 2);

        Assert.Equal(new[] { """{"kind":"render"}""" }, handler.Bodies);
    }

    [Fact]
    public async Task Concurrent_pollers_never_hand_one_message_to_two_invocations_within_its_visibility()
    {
        var queue = new LocalQueue("Q", TimeSpan.FromSeconds(30));
        var handler = new RecordingHandler(_ => null, delay: TimeSpan.FromMilliseconds(20));
        await using var consumer = Consumer(queue, handler, batchSize: 2, concurrency: 4);
        for (var i = 0; i < 40; i++) queue.Send($"m{i}");

        consumer.Start();
        await Until(() => handler.Bodies.Count >= 40 && queue.Counts() == (0, 0));

        Assert.Equal(40, handler.Bodies.Distinct().Count());
        Assert.Equal(40, handler.Bodies.Count);
    }

    private static async Task Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(5))) throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(10);
        }
    }

    /// <summary>Answers with <c>respond(event)</c> (a batch response, or null for none) and keeps what it got.</summary>
    private sealed class RecordingHandler(Func<JsonObject, string?> respond, TimeSpan? delay = null) : ILambdaHandler
    {
        public ConcurrentQueue<JsonObject> Events { get; } = new();

        public IEnumerable<JsonObject> Records => Events.SelectMany(e => e["Records"]!.AsArray().Select(r => r!.AsObject()));

        public List<string> Bodies => Records.Select(r => r["body"]!.GetValue<string>()).ToList();

        public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
        {
            var json = JsonNode.Parse(eventJson.Span)!.AsObject();
            Events.Enqueue(json);
            if (delay is { } wait) await Task.Delay(wait, CancellationToken.None);
            return Encoding.UTF8.GetBytes(respond(json) ?? "");
        }
    }
}
