using System.Security.Cryptography;
using System.Text;

namespace SmallPay.Local.Pipeline;

/// <summary>
/// An SQS standard queue in memory, with the semantics a consumer depends on: a received message is invisible for
/// the visibility timeout and comes back unless deleted with its latest receipt handle; every receive counts
/// (<c>ApproximateReceiveCount</c>); with a redrive policy, a message received <c>maxReceiveCount</c> times is moved to
/// the dead-letter queue instead of being received again (SQS moves it on the next receive); messages older than
/// the retention period are dropped. A dead-letter queue can be redriven to its source queues. SendMessage refuses what
/// SQS refuses, with SQS's error: a body over the queue's MaximumMessageSize (262,144 bytes unless the template sets
/// another), an empty body, or characters outside the ones SQS allows.
/// </summary>
public sealed class LocalQueue
{
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(5);

    private readonly object _sync = new();
    private readonly List<Message> _messages = [];
    private readonly List<LocalQueue> _sources = [];
    private readonly TimeProvider _clock;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>SQS's default MaximumMessageSize (256 KiB): a queue created without the attribute refuses larger messages.</summary>
    public const int DefaultMaximumMessageSize = 262_144;

    public LocalQueue(string name, TimeSpan visibilityTimeout, TimeSpan? retention = null, TimeProvider? clock = null,
        int maximumMessageSize = DefaultMaximumMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumMessageSize, 1);
        Name = name;
        VisibilityTimeout = visibilityTimeout;
        Retention = retention ?? TimeSpan.FromDays(4);
        MaximumMessageSize = maximumMessageSize;
        _clock = clock ?? TimeProvider.System;
    }

    public string Name { get; }

    public string Arn => LocalResourceNames.QueueArn(Name);

    public TimeSpan VisibilityTimeout { get; }

    /// <summary>SQS's MessageRetentionPeriod (default 4 days).</summary>
    public TimeSpan Retention { get; }

    /// <summary>SQS's MaximumMessageSize in bytes (the body's UTF-8; the local queues carry no message attributes).</summary>
    public int MaximumMessageSize { get; }

    public LocalQueue? DeadLetterQueue { get; private set; }

    public int MaxReceiveCount { get; private set; }

    /// <summary>The queues whose redrive policy names this one (where <see cref="Redrive"/> sends messages back).</summary>
    public IReadOnlyList<LocalQueue> Sources
    {
        get
        {
            lock (_sync) return [.. _sources];
        }
    }

    /// <summary>Messages moved to the dead-letter queue, for logging.</summary>
    public event Action<LocalQueue, QueueMessageInfo>? MovedToDeadLetterQueue;

    public void SetRedrivePolicy(LocalQueue deadLetterQueue, int maxReceiveCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReceiveCount, 1);
        DeadLetterQueue = deadLetterQueue;
        MaxReceiveCount = maxReceiveCount;
        lock (deadLetterQueue._sync) deadLetterQueue._sources.Add(this);
    }

    /// <summary>SendMessage: the new message's id. Throws <see cref="SqsRequestException"/> for what SQS refuses.</summary>
    public string Send(string body, string senderId = "AIDALOCALSENDER")
    {
        Check(body);
        var message = new Message(Guid.NewGuid().ToString(), body, Md5Hex(body), _clock.GetUtcNow(), senderId);
        Add(message);
        return message.Id;
    }

    /// <summary>ReceiveMessage: up to <paramref name="maxMessages"/> visible messages, oldest first, now invisible.</summary>
    public IReadOnlyList<ReceivedMessage> Receive(int maxMessages, TimeSpan? visibilityTimeout = null)
    {
        var received = new List<ReceivedMessage>();
        var movedToDeadLetter = new List<Message>();
        lock (_sync)
        {
            var now = _clock.GetUtcNow();
            _messages.RemoveAll(message => now - message.SentAt > Retention);
            for (var i = 0; i < _messages.Count && received.Count < maxMessages; i++)
            {
                var message = _messages[i];
                if (message.VisibleAt > now) continue;
                if (DeadLetterQueue is not null && message.ReceiveCount >= MaxReceiveCount)
                {
                    _messages.RemoveAt(i--);
                    movedToDeadLetter.Add(message);
                    continue;
                }
                message.ReceiveCount++;
                message.FirstReceivedAt ??= now;
                message.ReceiptHandle = $"{message.Id}#{Guid.NewGuid():N}";
                message.VisibleAt = now + (visibilityTimeout ?? VisibilityTimeout);
                received.Add(new ReceivedMessage(message.Id, message.ReceiptHandle, message.Body, message.Md5OfBody, message.ReceiveCount,
                    message.SentAt, message.FirstReceivedAt.Value, message.SenderId));
            }
        }

        foreach (var message in movedToDeadLetter)
        {
            // SQS keeps the message id, body, receive count and original enqueue time.
            message.ReceiptHandle = null;
            message.VisibleAt = DateTimeOffset.MinValue;
            message.DeadLetterQueueSourceArn = Arn;
            DeadLetterQueue!.Add(message);
            MovedToDeadLetterQueue?.Invoke(this, message.Info(_clock.GetUtcNow()));
        }
        return received;
    }

    /// <summary>DeleteMessage: only the latest receipt handle of a message deletes it (an older one is a no-op, as in SQS).</summary>
    public bool Delete(string receiptHandle)
    {
        lock (_sync)
        {
            var index = _messages.FindIndex(message => message.ReceiptHandle == receiptHandle);
            if (index < 0) return false;
            _messages.RemoveAt(index);
            return true;
        }
    }

    /// <summary>ChangeMessageVisibility of a message in flight (0 makes it visible at once).</summary>
    public bool ChangeVisibility(string receiptHandle, TimeSpan visibilityTimeout)
    {
        lock (_sync)
        {
            var message = _messages.Find(m => m.ReceiptHandle == receiptHandle);
            if (message is null || message.VisibleAt <= _clock.GetUtcNow()) return false;
            message.VisibleAt = _clock.GetUtcNow() + visibilityTimeout;
        }
        Signal();
        return true;
    }

    /// <summary>Every message with its state, oldest first (for the DLQ listing and tests; changes nothing).</summary>
    public IReadOnlyList<QueueMessageInfo> Peek()
    {
        lock (_sync)
        {
            var now = _clock.GetUtcNow();
            return _messages.Where(message => now - message.SentAt <= Retention).Select(message => message.Info(now)).ToList();
        }
    }

    /// <summary>ApproximateNumberOfMessages (visible) and ApproximateNumberOfMessagesNotVisible (in flight).</summary>
    public (int Visible, int InFlight) Counts()
    {
        var messages = Peek();
        var inFlight = messages.Count(message => message.InFlight);
        return (messages.Count - inFlight, inFlight);
    }

    /// <summary>
    /// A dead-letter queue's redrive (StartMessageMoveTask): every message not in flight goes back to the source queue,
    /// same id and body, receive count reset. Returns how many moved.
    /// </summary>
    public int Redrive(LocalQueue? destination = null)
    {
        var sources = Sources;
        destination ??= sources.Count == 1 ? sources[0]
            : throw new InvalidOperationException(sources.Count == 0
                ? $"{Name} is no queue's dead-letter queue"
                : $"{Name} is the dead-letter queue of {string.Join(", ", sources.Select(s => s.Name))}: say which to redrive to");

        List<Message> moving;
        lock (_sync)
        {
            var now = _clock.GetUtcNow();
            moving = _messages.Where(message => message.VisibleAt <= now).ToList();
            _messages.RemoveAll(moving.Contains);
        }
        foreach (var message in moving)
        {
            message.ReceiveCount = 0;
            message.FirstReceivedAt = null;
            message.ReceiptHandle = null;
            message.DeadLetterQueueSourceArn = null;
            message.VisibleAt = DateTimeOffset.MinValue;
            destination.Add(message);
        }
        return moving.Count;
    }

    /// <summary>
    /// Completes when a message may have become receivable: one was added or made visible, the earliest in-flight
    /// message's timeout ran out, or <paramref name="atMost"/> passed.
    /// </summary>
    public Task WaitForMessagesAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        Task changed;
        TimeSpan wait;
        lock (_sync)
        {
            changed = _changed.Task;
            var now = _clock.GetUtcNow();
            if (_messages.Any(message => message.VisibleAt <= now)) return Task.CompletedTask;
            var next = _messages.Count == 0 ? (DateTimeOffset?)null : _messages.Min(message => message.VisibleAt);
            // Timers may fire a little early for the clock: wake just after the message is visible, not just before.
            wait = next is { } at && at - now + TimerSlack < atMost ? at - now + TimerSlack : atMost;
        }
        return Task.WhenAny(changed, Task.Delay(wait, _clock, cancellationToken));
    }

    // SQS's checks on SendMessage, with its error codes and messages.
    private void Check(string body)
    {
        if (body.Length == 0)
            throw new SqsRequestException("MissingParameter", "The request must contain the parameter MessageBody.");
        var size = Encoding.UTF8.GetByteCount(body);
        if (size > MaximumMessageSize)
            throw new SqsRequestException("InvalidParameterValue",
                $"One or more parameters are invalid. Reason: Message must be shorter than {MaximumMessageSize} bytes.");
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is '\t' or '\n' or '\r' || (c >= '\u0020' && c <= '\uD7FF') || (c >= '\uE000' && c <= '\uFFFD')) continue;
            if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                i++; // a pair: #x10000 to #x10FFFF
                continue;
            }
            throw new SqsRequestException("InvalidMessageContents",
                $"Invalid binary character '#x{(int)c:X}' was found in the message body, the set of allowed characters is "
                + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }
    }

    private void Add(Message message)
    {
        lock (_sync) _messages.Add(message);
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_sync)
        {
            previous = _changed;
            _changed = NewSignal();
        }
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string Md5Hex(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    private sealed class Message(string id, string body, string md5OfBody, DateTimeOffset sentAt, string senderId)
    {
        public string Id { get; } = id;
        public string Body { get; } = body;
        public string Md5OfBody { get; } = md5OfBody;
        public DateTimeOffset SentAt { get; } = sentAt;
        public string SenderId { get; } = senderId;
        public int ReceiveCount { get; set; }
        public DateTimeOffset? FirstReceivedAt { get; set; }
        public DateTimeOffset VisibleAt { get; set; } = DateTimeOffset.MinValue;
        public string? ReceiptHandle { get; set; }
        public string? DeadLetterQueueSourceArn { get; set; }

        public QueueMessageInfo Info(DateTimeOffset now) =>
            new(Id, Body, ReceiveCount, SentAt, FirstReceivedAt, VisibleAt > now, DeadLetterQueueSourceArn);
    }
}

/// <summary>A request SQS refuses (HTTP 400): <see cref="ErrorCode"/> and the message are SQS's own.</summary>
public sealed class SqsRequestException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>A message as ReceiveMessage returns it (what an SQS event record is made of).</summary>
public sealed record ReceivedMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    string Md5OfBody,
    int ApproximateReceiveCount,
    DateTimeOffset SentTimestamp,
    DateTimeOffset ApproximateFirstReceiveTimestamp,
    string SenderId);

/// <summary>A message's state, for listings.</summary>
public sealed record QueueMessageInfo(
    string MessageId,
    string Body,
    int ApproximateReceiveCount,
    DateTimeOffset SentTimestamp,
    DateTimeOffset? ApproximateFirstReceiveTimestamp,
    bool InFlight,
    string? DeadLetterQueueSourceArn);
