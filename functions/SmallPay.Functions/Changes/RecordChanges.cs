using System.Diagnostics;
using SmallPay.Domain.Changes;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Hosting.Streams;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Changes;

/// <summary>
/// The change feed (docs/ARCHITECTURE.md, "Change feed"): reads the invoices' and customers' streams, writes each
/// change's history entries and sends its domain events to DomainEventsQueue. Exactly-once in effect: the entries and
/// events have ids derived from the change, so a retried record writes the same items again and sends the same ids
/// (consumers deduplicate on them). Entries first, then events: a failure in between retries both, never loses one.
/// </summary>
public sealed class RecordChanges(IActivityStore activity, IDomainEventPublisher events) : IStreamRecordHandler
{
    public async Task HandleAsync(DynamoDbStreamRecord record, SqsRecordContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var change = StreamChanges.From(record);
        var facts = ChangeInterpreter.Interpret(change);
        if (facts.Activity.Count > 0) await activity.RecordAsync(facts.Activity, ct);
        if (facts.Events.Count > 0) await events.PublishAsync(facts.Events, ct);
        context.Log.Info("change", context.RequestId,
            ("sequenceNumber", change.Sequence), ("event", record.EventName), ("entity", change.Entity), ("id", change.ItemId),
            ("activity", string.Join(",", facts.Activity.Select(a => a.Kind))), ("events", string.Join(",", facts.Events.Select(e => e.Type))),
            ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
    }
}
