using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>The SQS semantics of the local queue, on a clock the test moves.</summary>
public sealed class LocalQueueTests
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();

    private LocalQueue Queue(string name = "Q") => new(name, Visibility, clock: _clock);

    private (LocalQueue Queue, LocalQueue DeadLetters) QueueWithDeadLetters(int maxReceiveCount)
    {
        var deadLetters = new LocalQueue("DLQ", Visibility, TimeSpan.FromDays(14), _clock);
        var queue = Queue();
        queue.SetRedrivePolicy(deadLetters, maxReceiveCount);
        return (queue, deadLetters);
    }

    [Fact]
    public void A_received_message_is_invisible_until_its_visibility_timeout_runs_out()
    {
        var queue = Queue();
        var id = queue.Send("hello");

        var first = Assert.Single(queue.Receive(10));
        Assert.Empty(queue.Receive(10));
        _clock.Advance(Visibility - TimeSpan.FromMilliseconds(1));
        Assert.Empty(queue.Receive(10));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = Assert.Single(queue.Receive(10));

        Assert.Equal(id, first.MessageId);
        Assert.Equal("hello", second.Body);
        Assert.Equal(1, first.ApproximateReceiveCount);
        Assert.Equal(2, second.ApproximateReceiveCount);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
        Assert.Equal(first.ApproximateFirstReceiveTimestamp, second.ApproximateFirstReceiveTimestamp);
        Assert.Equal(LocalQueue.Md5Hex("hello"), first.Md5OfBody);
    }

    [Fact]
    public void Receive_returns_at_most_the_batch_size_oldest_first()
    {
        var queue = Queue();
        var ids = Enumerable.Range(0, 5).Select(i => queue.Send($"m{i}")).ToList();

        var batch = queue.Receive(3);
        var rest = queue.Receive(3);

        Assert.Equal(ids[..3], batch.Select(m => m.MessageId));
        Assert.Equal(ids[3..], rest.Select(m => m.MessageId));
    }

    [Fact]
    public void Only_the_latest_receipt_handle_deletes()
    {
        var queue = Queue();
        queue.Send("m");
        var stale = Assert.Single(queue.Receive(1));
        _clock.Advance(Visibility);
        var latest = Assert.Single(queue.Receive(1));

        Assert.False(queue.Delete(stale.ReceiptHandle));
        Assert.Equal((0, 1), queue.Counts());
        Assert.True(queue.Delete(latest.ReceiptHandle));
        Assert.Equal((0, 0), queue.Counts());
        _clock.Advance(Visibility);
        Assert.Empty(queue.Receive(1));
    }

    [Fact]
    public void Visibility_zero_returns_a_message_at_once()
    {
        var queue = Queue();
        queue.Send("m");
        var received = Assert.Single(queue.Receive(1));

        Assert.True(queue.ChangeVisibility(received.ReceiptHandle, TimeSpan.Zero));

        Assert.Single(queue.Receive(1));
    }

    [Fact]
    public void After_max_receives_the_next_receive_moves_the_message_to_the_dead_letter_queue()
    {
        var (queue, deadLetters) = QueueWithDeadLetters(maxReceiveCount: 5);
        var id = queue.Send("poison");
        var moved = new List<QueueMessageInfo>();
        queue.MovedToDeadLetterQueue += (_, message) => moved.Add(message);

        for (var receive = 1; receive <= 5; receive++)
        {
            var message = Assert.Single(queue.Receive(10));
            Assert.Equal(receive, message.ApproximateReceiveCount);
            _clock.Advance(Visibility);
        }
        Assert.Empty(queue.Receive(10));

        var dead = Assert.Single(deadLetters.Peek());
        Assert.Equal(id, dead.MessageId);
        Assert.Equal("poison", dead.Body);
        Assert.Equal(5, dead.ApproximateReceiveCount);
        Assert.Equal(queue.Arn, dead.DeadLetterQueueSourceArn);
        Assert.False(dead.InFlight);
        Assert.Equal(id, Assert.Single(moved).MessageId);
        Assert.Equal((0, 0), queue.Counts());
    }

    [Fact]
    public void A_message_deleted_before_its_last_receive_runs_out_never_reaches_the_dead_letter_queue()
    {
        var (queue, deadLetters) = QueueWithDeadLetters(maxReceiveCount: 2);
        queue.Send("m");
        Assert.Single(queue.Receive(1));
        _clock.Advance(Visibility);
        var last = Assert.Single(queue.Receive(1));

        queue.Delete(last.ReceiptHandle);
        _clock.Advance(Visibility);
        queue.Receive(1);

        Assert.Empty(deadLetters.Peek());
    }

    [Fact]
    public void Redrive_sends_dead_letters_back_with_their_ids_and_a_fresh_receive_count()
    {
        var (queue, deadLetters) = QueueWithDeadLetters(maxReceiveCount: 1);
        var ids = new[] { queue.Send("a"), queue.Send("b") };
        queue.Receive(10);
        _clock.Advance(Visibility);
        queue.Receive(10);
        Assert.Equal(2, deadLetters.Peek().Count);

        var moved = deadLetters.Redrive();

        Assert.Equal(2, moved);
        Assert.Empty(deadLetters.Peek());
        var again = queue.Receive(10);
        Assert.Equal(ids, again.Select(m => m.MessageId));
        Assert.All(again, message => Assert.Equal(1, message.ApproximateReceiveCount));
    }

    [Fact]
    public void Only_a_dead_letter_queue_can_be_redriven()
    {
        var (queue, _) = QueueWithDeadLetters(maxReceiveCount: 3);

        var error = Assert.Throws<InvalidOperationException>(() => queue.Redrive());

        Assert.Contains("no queue's dead-letter queue", error.Message);
    }

    [Fact]
    public void Messages_older_than_the_retention_period_are_gone()
    {
        var queue = new LocalQueue("Q", Visibility, TimeSpan.FromMinutes(1), _clock);
        queue.Send("old");
        _clock.Advance(TimeSpan.FromSeconds(30));
        queue.Send("new");
        _clock.Advance(TimeSpan.FromSeconds(31));

        var left = Assert.Single(queue.Receive(10));

        Assert.Equal("new", left.Body);
    }

    [Fact]
    public void A_message_over_256_KiB_is_refused_as_SQS_refuses_it_and_one_of_exactly_256_KiB_is_taken()
    {
        var queue = Queue();
        // UTF-8 bytes count, not characters: 131,073 two-byte characters are 262,146 bytes.
        var tooLarge = new string('ü', 131_073);
        var exactly = new string('x', LocalQueue.DefaultMaximumMessageSize);

        var error = Assert.Throws<SqsRequestException>(() => queue.Send(tooLarge));
        var id = queue.Send(exactly);

        Assert.Equal("InvalidParameterValue", error.ErrorCode);
        Assert.Equal("One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.", error.Message);
        Assert.Equal(id, Assert.Single(queue.Peek()).MessageId);
    }

    [Fact]
    public void The_queues_MaximumMessageSize_is_the_limit()
    {
        var queue = new LocalQueue("Q", Visibility, clock: _clock, maximumMessageSize: 1024);

        queue.Send(new string('x', 1024));
        var error = Assert.Throws<SqsRequestException>(() => queue.Send(new string('x', 1025)));

        Assert.Contains("shorter than 1024 bytes", error.Message);
        Assert.Single(queue.Peek());
    }

    [Theory]
    [InlineData(@"\u0001", "#x1")]
    [InlineData(@"a\u0000b", "#x0")]
    [InlineData(@"\uFFFE", "#xFFFE")]
    [InlineData(@"lone \uD800 surrogate", "#xD800")]
    public void Characters_SQS_does_not_allow_are_refused(string body, string reported)
    {
        var queue = Queue();

        var error = Assert.Throws<SqsRequestException>(() => queue.Send(System.Text.RegularExpressions.Regex.Unescape(body)));

        Assert.Equal("InvalidMessageContents", error.ErrorCode);
        Assert.Contains($"'{reported}'", error.Message);
        Assert.Empty(queue.Peek());
    }

    [Fact]
    public void Tabs_line_breaks_and_characters_beyond_the_basic_plane_are_allowed_and_an_empty_body_is_not()
    {
        var queue = Queue();

        queue.Send("tab\tline\r\nemoji 🧾 ünïcödé");
        var error = Assert.Throws<SqsRequestException>(() => queue.Send(""));

        Assert.Single(queue.Peek());
        Assert.Equal("MissingParameter", error.ErrorCode);
    }

    [Fact]
    public async Task Waiting_ends_when_a_message_is_sent()
    {
        var queue = new LocalQueue("Q", Visibility);
        var waiting = queue.WaitForMessagesAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.Send("m");

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_ends_when_an_in_flight_message_becomes_visible_again()
    {
        var queue = new LocalQueue("Q", TimeSpan.FromMilliseconds(100));
        queue.Send("m");
        queue.Receive(1);
        var started = DateTime.UtcNow;

        await queue.WaitForMessagesAsync(TimeSpan.FromSeconds(30), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        Assert.Single(queue.Receive(1));
    }
}

/// <summary>A clock that only moves when told.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
