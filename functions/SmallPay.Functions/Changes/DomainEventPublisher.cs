using Amazon.SQS;
using Amazon.SQS.Model;
using SmallPay.Domain.Changes;
using SmallPay.Functions.Hosting.Sqs;

namespace SmallPay.Functions.Changes;

/// <summary>Where the change feed's domain events go.</summary>
public interface IDomainEventPublisher
{
    /// <summary>Sends every event or throws (then the record is retried and all of them are sent again, with the same ids).</summary>
    Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken ct);
}

/// <summary>
/// One SQS message per event to DomainEventsQueue (env DOMAIN_EVENTS_QUEUE_URL), body
/// <c>{"detail-type": type, "detail": envelope}</c>, ten per SendMessageBatch (SQS's limit).
/// </summary>
public sealed class SqsDomainEventPublisher(IAmazonSQS sqs, string queueUrl) : IDomainEventPublisher
{
    public const string QueueUrlVariable = "DOMAIN_EVENTS_QUEUE_URL";

    public async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken ct)
    {
        foreach (var chunk in events.Chunk(10))
        {
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = chunk.Select((e, i) => new SendMessageBatchRequestEntry
                {
                    Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MessageBody = DomainEventJson.MessageBody(e),
                }).ToList(),
            }, ct);
            if (response.Failed is { Count: > 0 } failed)
                throw new RetryableRecordException(
                    $"DomainEventsQueue refused {failed.Count} of {chunk.Length} event(s): {string.Join("; ", failed.Select(f => $"{f.Code} {f.Message}"))}");
        }
    }
}
