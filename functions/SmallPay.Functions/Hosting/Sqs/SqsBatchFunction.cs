using System.Diagnostics;
using System.Text.Json;
using SmallPay.Functions.Hosting.Logging;

namespace SmallPay.Functions.Hosting.Sqs;

/// <summary>The work for one SQS message. Returning acknowledges it (SQS deletes it); throwing asks for a retry.</summary>
public interface ISqsRecordHandler
{
    Task HandleAsync(SqsMessage message, SqsRecordContext context, CancellationToken cancellationToken);
}

/// <summary>What a record handler may want besides the message: the invocation's request id (for logs) and the log.</summary>
public sealed record SqsRecordContext(string RequestId, JsonLog Log);

/// <summary>
/// The adapter every SQS consumer goes through, written once (the event source mapping has
/// <c>FunctionResponseTypes: [ReportBatchItemFailures]</c>): each message is handled on its own, in order; a message
/// whose handler throws is reported in <c>batchItemFailures</c> and retried by SQS, the others are deleted. One bad
/// message never fails the batch. Messages that could not start before the deadline are reported too, untouched.
/// </summary>
public sealed class SqsBatchFunction(ISqsRecordHandler handler, JsonLog log, TimeProvider? clock = null) : ILambdaHandler
{
    /// <summary>A record is only started with at least this much time left (render, S3, SMTP and the bookkeeping).</summary>
    public static readonly TimeSpan MinimumTimePerRecord = TimeSpan.FromSeconds(8);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Not an SQS event at all: nothing can be reported per record, so the invocation fails and the batch is retried.
        var batch = JsonSerializer.Deserialize(eventJson.Span, SqsJsonContext.Default.SqsEvent)
                    ?? throw new InvalidOperationException("The event is not an SQS event.");
        var context = new SqsRecordContext(invocation.RequestId, log);
        var failures = new List<SqsBatchItemFailure>();

        foreach (var message in batch.Records)
        {
            if (cancellationToken.IsCancellationRequested || invocation.Deadline - _clock.GetUtcNow() < MinimumTimePerRecord)
            {
                log.Warn("record deferred: too little time left", invocation.RequestId, ("messageId", message.MessageId));
                failures.Add(new SqsBatchItemFailure { ItemIdentifier = message.MessageId });
                continue;
            }
            var recordStarted = Stopwatch.GetTimestamp();
            try
            {
                await handler.HandleAsync(message, context, cancellationToken);
            }
            catch (Exception e)
            {
                failures.Add(new SqsBatchItemFailure { ItemIdentifier = message.MessageId });
                var fields = new (string, object?)[]
                {
                    ("messageId", message.MessageId), ("receiveCount", message.ReceiveCount),
                    ("ms", Math.Round(Stopwatch.GetElapsedTime(recordStarted).TotalMilliseconds, 3)),
                };
                // Expected failures (SMTP or S3 down, a malformed record) need no stack trace; anything else does.
                if (e is RetryableRecordException or OperationCanceledException)
                    log.Warn($"record failed, will be retried: {e.Message}", invocation.RequestId, [.. fields, ("errorType", e.GetType().Name)]);
                else
                    log.Error("record failed, will be retried", e, invocation.RequestId, fields);
            }
        }

        log.Info("batch", invocation.RequestId, ("records", batch.Records.Count), ("failures", failures.Count),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
        return JsonSerializer.SerializeToUtf8Bytes(new SqsBatchResponse { BatchItemFailures = failures }, SqsJsonContext.Default.SqsBatchResponse);
    }
}

/// <summary>A record failed for a reason that is understood (a dependency is down, the record is unreadable): retry it, log no stack.</summary>
public class RetryableRecordException(string message, Exception? inner = null) : Exception(message, inner);
