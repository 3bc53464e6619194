using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;

namespace SmallPay.Local.Pipeline;

/// <summary>An <c>SQS</c> event of a function (SAM), i.e. the event source mapping Lambda polls the queue with.</summary>
public sealed record SqsEventSource(
    string FunctionLogicalId,
    string QueueName,
    int BatchSize = 10,
    TimeSpan MaximumBatchingWindow = default,
    bool ReportBatchItemFailures = false,
    int MaximumConcurrency = 2,
    PipeFilter? Filter = null,
    bool Enabled = true);

/// <summary>
/// Lambda's SQS poller for one function, in this process: receives batches of up to BatchSize (waiting up to the
/// batching window to fill one), invokes the handler with an SQS event, deletes what succeeded and leaves the rest
/// to come back after the visibility timeout. A function error or a timeout fails the whole batch; with
/// ReportBatchItemFailures the answer's <c>batchItemFailures</c> say which messages to retry. Messages the event
/// filter drops are deleted without an invocation, as Lambda does. Several batches run at once (MaximumConcurrency).
/// </summary>
public sealed class QueueConsumer : IAsyncDisposable
{
    private readonly LocalQueue _queue;
    private readonly ILambdaHandler _handler;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private CancellationTokenSource? _receiving;
    private CancellationTokenSource? _abandon;
    private Task _running = Task.CompletedTask;
    private int _invocations;
    private int _failedInvocations;

    public QueueConsumer(SqsEventSource source, LocalQueue queue, ILambdaHandler handler, TimeSpan functionTimeout, ILogger logger)
    {
        Source = source;
        _queue = queue;
        _handler = handler;
        _timeout = functionTimeout;
        _logger = logger;
    }

    public SqsEventSource Source { get; }

    public string FunctionArn => $"arn:aws:lambda:{LocalResourceNames.Region}:{LocalResourceNames.AccountId}:function:{Source.FunctionLogicalId}";

    /// <summary>Invocations so far, and how many of them failed as a whole (error, timeout, invalid answer).</summary>
    public (int Invocations, int Failed) Stats => (Volatile.Read(ref _invocations), Volatile.Read(ref _failedInvocations));

    public bool IsRunning
    {
        get
        {
            lock (_sync) return _receiving is not null;
        }
    }

    /// <summary>Starts polling (again); does nothing when running or when the event is disabled.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (!Source.Enabled || _receiving is not null) return;
            _receiving = new CancellationTokenSource();
            _abandon = new CancellationTokenSource();
            var (receiving, abandon) = (_receiving.Token, _abandon.Token);
            _running = Task.WhenAll(Enumerable.Range(0, Math.Max(1, Source.MaximumConcurrency))
                .Select(_ => Task.Run(() => PollAsync(receiving, abandon), CancellationToken.None)));
        }
    }

    /// <summary>
    /// Stops taking batches; the batches being processed finish first (up to the function's timeout, after which they
    /// are abandoned and their messages come back after the visibility timeout).
    /// </summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? receiving, abandon;
        Task running;
        lock (_sync)
        {
            (receiving, abandon, running) = (_receiving, _abandon, _running);
            (_receiving, _abandon) = (null, null);
        }
        if (receiving is null || abandon is null) return;
        await receiving.CancelAsync();
        if (await Task.WhenAny(running, Task.Delay(_timeout + TimeSpan.FromSeconds(1))) != running) await abandon.CancelAsync();
        await running;
        receiving.Dispose();
        abandon.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task PollAsync(CancellationToken receiving, CancellationToken abandon)
    {
        while (!receiving.IsCancellationRequested)
        {
            try
            {
                var batch = await ReceiveBatchAsync(receiving);
                if (batch.Count == 0)
                {
                    await _queue.WaitForMessagesAsync(TimeSpan.FromSeconds(1), receiving);
                    continue;
                }
                await ProcessAsync(batch, abandon);
            }
            catch (OperationCanceledException) when (receiving.IsCancellationRequested || abandon.IsCancellationRequested)
            {
            }
            catch (Exception error)
            {
                // The poller itself must survive anything; the messages come back after their visibility timeout.
                _logger.LogError(error, "{Function}: polling {Queue} failed", Source.FunctionLogicalId, _queue.Name);
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }

    private async Task<List<ReceivedMessage>> ReceiveBatchAsync(CancellationToken stopping)
    {
        var batch = new List<ReceivedMessage>(_queue.Receive(Source.BatchSize));
        if (batch.Count == 0 || batch.Count >= Source.BatchSize || Source.MaximumBatchingWindow <= TimeSpan.Zero) return batch;

        var windowEnds = Stopwatch.GetTimestamp() + (long)(Source.MaximumBatchingWindow.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < Source.BatchSize)
        {
            var left = TimeSpan.FromSeconds((double)(windowEnds - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (left <= TimeSpan.Zero) break;
            await _queue.WaitForMessagesAsync(left, stopping);
            batch.AddRange(_queue.Receive(Source.BatchSize - batch.Count));
        }
        return batch;
    }

    /// <summary>One batch: filter, invoke, then delete what succeeded.</summary>
    internal async Task<BatchResult> ProcessAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken stopping)
    {
        var invoked = new List<ReceivedMessage>(batch.Count);
        foreach (var message in batch)
        {
            if (Source.Filter is { } filter && !filter.Passes(FilterView(message)))
                _queue.Delete(message.ReceiptHandle);
            else
                invoked.Add(message);
        }
        if (invoked.Count == 0) return BatchResult.Success;

        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _invocations);
        var result = await InvokeAsync(invoked, stopping);
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var retried = 0;
        foreach (var message in invoked)
        {
            if (result.Retries(message.MessageId)) retried++;
            else _queue.Delete(message.ReceiptHandle);
        }

        if (result.WholeBatchReason is { } reason)
        {
            Interlocked.Increment(ref _failedInvocations);
            _logger.LogWarning("{Function} ← {Queue}: {Count} message(s) failed as a batch ({Reason}) in {ElapsedMs} ms; they come back after {Visibility} ms",
                Source.FunctionLogicalId, _queue.Name, invoked.Count, reason, elapsed, (long)_queue.VisibilityTimeout.TotalMilliseconds);
        }
        else if (retried > 0)
        {
            _logger.LogWarning("{Function} ← {Queue}: {Count} message(s), {Retried} to retry (batchItemFailures) in {ElapsedMs} ms",
                Source.FunctionLogicalId, _queue.Name, invoked.Count, retried, elapsed);
        }
        else
        {
            _logger.LogInformation("{Function} ← {Queue}: {Count} message(s) done in {ElapsedMs} ms",
                Source.FunctionLogicalId, _queue.Name, invoked.Count, elapsed);
        }
        return result;
    }

    private async Task<BatchResult> InvokeAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken stopping)
    {
        var payload = Encoding.UTF8.GetBytes(SqsEvents.Event(batch, _queue.Arn).ToJsonString());
        var invocation = new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow + _timeout, null, FunctionArn);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);

        Task<byte[]> call;
        try
        {
            call = _handler.HandleAsync(payload, invocation, deadline.Token);
        }
        catch (Exception error)
        {
            return BatchResult.WholeBatch($"function error: {error.GetType().Name}: {error.Message}");
        }

        // Lambda stops a function at its timeout; in-process we stop waiting for it.
        var finished = await Task.WhenAny(call, Task.Delay(_timeout, stopping));
        if (finished != call)
        {
            _ = call.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);
            stopping.ThrowIfCancellationRequested();
            return BatchResult.WholeBatch($"timed out after {_timeout.TotalSeconds:0.###} s");
        }
        try
        {
            var response = await call;
            return SqsEvents.ReadResponse(response, batch.Select(message => message.MessageId).ToList(), Source.ReportBatchItemFailures);
        }
        catch (Exception error)
        {
            return BatchResult.WholeBatch($"function error: {error.GetType().Name}: {error.Message}");
        }
    }

    // What an event source mapping filter sees: the record, with a JSON body as JSON.
    private JsonObject FilterView(ReceivedMessage message)
    {
        var record = SqsEvents.Record(message, _queue.Arn);
        try
        {
            if (JsonNode.Parse(message.Body) is JsonObject body) record["body"] = body;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return record;
    }
}
