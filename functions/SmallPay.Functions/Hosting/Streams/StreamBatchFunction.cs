using System.Diagnostics;
using System.Text.Json;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Hosting.Streams;

/// <summary>The work for one stream record. Returning marks it done; throwing stops the batch there (it is retried from that record).</summary>
public interface IStreamRecordHandler
{
    Task HandleAsync(DynamoDbStreamRecord record, SqsRecordContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The adapter of a DynamoDB stream consumer (a Lambda event source mapping with <c>ReportBatchItemFailures</c>): the
/// records are handled one after another, in the stream's order; at the first one that throws (or that there is no
/// time left to start) the batch stops and that record's SequenceNumber is reported, so Lambda retries from it and no
/// change is ever handled before an earlier one of the same shard. With BisectBatchOnFunctionError a record that keeps
/// failing ends up alone and, after MaximumRetryAttempts, in the on-failure destination.
/// </summary>
public sealed class StreamBatchFunction(IStreamRecordHandler handler, JsonLog log, TimeProvider? clock = null) : ILambdaHandler
{
    /// <summary>A record is only started with at least this much time left (a few DynamoDB writes and one SQS batch).</summary>
    public static readonly TimeSpan MinimumTimePerRecord = TimeSpan.FromSeconds(3);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = JsonSerializer.Deserialize(eventJson.Span, StreamJsonContext.Default.DynamoDbEvent)
                    ?? throw new InvalidOperationException("The event is not a DynamoDB stream event.");
        var context = new SqsRecordContext(invocation.RequestId, log);
        var response = new StreamBatchResponse();
        var done = 0;
        foreach (var record in batch.Records)
        {
            var sequence = record.Dynamodb?.SequenceNumber ?? "";
            if (cancellationToken.IsCancellationRequested || invocation.Deadline - _clock.GetUtcNow() < MinimumTimePerRecord)
            {
                log.Warn("batch stopped: too little time left", invocation.RequestId, ("sequenceNumber", sequence));
                response.BatchItemFailures.Add(new SqsBatchItemFailure { ItemIdentifier = sequence });
                break;
            }
            try
            {
                await handler.HandleAsync(record, context, cancellationToken);
                done++;
            }
            catch (Exception e)
            {
                response.BatchItemFailures.Add(new SqsBatchItemFailure { ItemIdentifier = sequence });
                if (e is RetryableRecordException or OperationCanceledException)
                    log.Warn($"record failed, the batch is retried from it: {e.Message}", invocation.RequestId, ("sequenceNumber", sequence), ("errorType", e.GetType().Name));
                else
                    log.Error("record failed, the batch is retried from it", e, invocation.RequestId, ("sequenceNumber", sequence));
                break; // the records after it wait: they are retried after it, in order
            }
        }
        log.Info("batch", invocation.RequestId, ("records", batch.Records.Count), ("done", done), ("failures", response.BatchItemFailures.Count),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
        return JsonSerializer.SerializeToUtf8Bytes(response, StreamJsonContext.Default.StreamBatchResponse);
    }
}
