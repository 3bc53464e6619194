using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// The document worker's reads and writes on invoice items. The worker trusts the stream, so it loads by id alone (no
/// tenant). Every write sets only the worker's attributes (<c>document</c>, <c>deliveryResults</c>) and
/// <c>changedBy = "worker"</c>, is conditional, and never touches <c>version</c>: its bookkeeping never makes an API
/// write stale, and the Pipe's filter drops it (no loop).
/// </summary>
public interface IWorkerInvoiceStore
{
    /// <summary>
    /// The invoice as it is now (strongly consistent), with its e-mail requests and their outcomes, or null when there is
    /// no such invoice. <paramref name="deliveryItemId"/>: the request a stream record announced, read consistently too
    /// (the index that lists an invoice's requests may not show the newest yet).
    /// </summary>
    Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct, string? deliveryItemId = null);

    /// <summary>Records the stored PDF unless a document of the same or a newer version is recorded already (then false).</summary>
    Task<bool> RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct);

    /// <summary>
    /// Takes a delivery request for this worker: sets its result to <paramref name="claim"/> (Sending, with a lease) if it
    /// has no result yet, or its result is a claim whose lease ended before <paramref name="now"/> and that was made by the
    /// try before this one (<c>attempts</c> = the claim's − 1: the result the worker read, so the recipients it carries on
    /// are current). False: sent, failed, held by another worker, or claimed again since it was read.
    /// </summary>
    Task<bool> ClaimDeliveryAsync(string invoiceId, string requestId, DeliveryResult claim, DateTimeOffset now, CancellationToken ct);

    /// <summary>Records the final outcome (Sent or Failed) of a claimed delivery; false if it was no longer Sending.</summary>
    Task<bool> CompleteDeliveryAsync(string invoiceId, string requestId, DeliveryResult outcome, CancellationToken ct);

    /// <summary>
    /// Gives a claim back after a transient failure (its lease ends now), if it is still this worker's claim, with what
    /// this try settled per recipient when it got that far (<paramref name="recipients"/>; null leaves them as they were).
    /// </summary>
    Task<bool> ReleaseClaimAsync(string invoiceId, string requestId, DateTimeOffset lease, string reason,
        IReadOnlyList<RecipientOutcome>? recipients, CancellationToken ct);

    /// <summary>
    /// The mail service reported <paramref name="addresses"/> of a settled delivery as bounced or complaining: they are
    /// refused (with <paramref name="reason"/>), and the delivery's status follows. False: no such delivery, or not settled.
    /// </summary>
    Task<bool> MarkRefusedAsync(string invoiceId, string requestId, IReadOnlyList<string> addresses, string reason, CancellationToken ct);
}

public sealed class DynamoDbWorkerInvoiceStore(IAmazonDynamoDB dynamo, string invoicesTable) : IWorkerInvoiceStore
{
    private readonly DynamoDbInvoiceStore _invoices = new(dynamo, invoicesTable, "");

    public async Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct, string? deliveryItemId = null)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(invoiceId), ConsistentRead = true }, ct);
        if (response.Item is not { Count: > 0 } item) return null;
        // A quote goes through the pipeline in its invoice shape (kind Quote): its PDF and e-mails are made the same way.
        if (item.GetString("entity") == DynamoDbQuoteStore.Entity) return await WithAnnouncedAsync(await _invoices.WithDeliveriesAsync(DynamoDbQuoteStore.FromItem(item).AsDocument(), ct), invoiceId, deliveryItemId, ct);
        // A credit note too (kind CreditNote): rendered when issued or refunded, mailed when asked.
        if (item.GetString("entity") == DynamoDbCreditNoteStore.Entity) return await WithAnnouncedAsync(await _invoices.WithDeliveriesAsync(DynamoDbCreditNoteStore.FromItem(item).AsDocument(), ct), invoiceId, deliveryItemId, ct);
        if (item.GetString("entity") != ItemMapping.EntityInvoice) return null;
        var invoice = ItemMapping.ToInvoice(item);
        if (invoice.DeliveryRequests.Count > 0) invoice = await MoveEmbeddedDeliveriesAsync(invoice, ct);
        return await WithAnnouncedAsync(await _invoices.WithDeliveriesAsync(invoice, ct), invoiceId, deliveryItemId, ct);
    }

    private async Task<Invoice> WithAnnouncedAsync(Invoice invoice, string invoiceId, string? deliveryItemId, CancellationToken ct)
    {
        if (deliveryItemId is null) return invoice;
        var announced = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(deliveryItemId), ConsistentRead = true }, ct)).Item;
        return announced is { Count: > 0 } && announced.GetString("invoiceId") == invoiceId ? Deliveries.Merge(invoice, [ItemMapping.ToDelivery(announced)]) : invoice;
    }

    public Task<bool> RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct) =>
        UpdateAsync(Key(invoiceId),
            "SET #document = :document, #changedBy = :worker",
            "attribute_exists(id) AND (attribute_not_exists(#document) OR #document.#version < :version)",
            new() { ["#document"] = "document", ["#version"] = "version" },
            new() { [":document"] = M(ItemMapping.ToMap(document)), [":version"] = N(document.Version) },
            ct);

    public Task<bool> ClaimDeliveryAsync(string invoiceId, string requestId, DeliveryResult claim, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync(DeliveryKey(invoiceId, requestId),
            "SET #result = :claim, #changedBy = :worker",
            "attribute_exists(id) AND (attribute_not_exists(#result) OR "
            + "(#result.#status = :sending AND #result.#lease < :now AND #result.#attempts = :read))",
            new() { ["#result"] = "result", ["#status"] = "status", ["#lease"] = "leaseUntil", ["#attempts"] = "attempts" },
            new()
            {
                [":claim"] = M(ItemMapping.ToMap(claim)), [":sending"] = S(nameof(DeliveryStatus.Sending)), [":now"] = N(now.ToUnixTimeMilliseconds()),
                [":read"] = N(claim.Attempts - 1),
            },
            ct);

    public Task<bool> CompleteDeliveryAsync(string invoiceId, string requestId, DeliveryResult outcome, CancellationToken ct) =>
        UpdateAsync(DeliveryKey(invoiceId, requestId),
            "SET #result = :outcome, #changedBy = :worker",
            "#result.#status = :sending",
            new() { ["#result"] = "result", ["#status"] = "status" },
            new() { [":outcome"] = M(ItemMapping.ToMap(outcome)), [":sending"] = S(nameof(DeliveryStatus.Sending)) },
            ct);

    public Task<bool> ReleaseClaimAsync(string invoiceId, string requestId, DateTimeOffset lease, string reason,
        IReadOnlyList<RecipientOutcome>? recipients, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":released"] = N(0), [":reason"] = S(reason.Length > 500 ? reason[..500] : reason),
            [":sending"] = S(nameof(DeliveryStatus.Sending)), [":lease"] = N(lease.ToUnixTimeMilliseconds()),
        };
        var update = "SET #result.#lease = :released, #result.lastError = :reason, #changedBy = :worker";
        if (recipients is not null)
        {
            update += ", #result.recipients = :recipients";
            values[":recipients"] = ItemMapping.ToList(recipients);
        }
        return UpdateAsync(DeliveryKey(invoiceId, requestId), update,
            "#result.#status = :sending AND #result.#lease = :lease",
            new() { ["#result"] = "result", ["#status"] = "status", ["#lease"] = "leaseUntil" },
            values, ct);
    }

    public async Task<bool> MarkRefusedAsync(string invoiceId, string requestId, IReadOnlyList<string> addresses, string reason, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = DeliveryKey(invoiceId, requestId), ConsistentRead = true }, ct)).Item;
            if (item is not { Count: > 0 }) return false;
            var (request, result) = ItemMapping.ToDelivery(item);
            if (result is null || result.Status == DeliveryStatus.Sending) return false;
            var recipients = InvoiceDeliveries.RecipientsOf(request, result)
                .Select(r => addresses.Contains(r.Address, StringComparer.OrdinalIgnoreCase) ? r with { Status = RecipientStatus.Refused, Reason = reason } : r)
                .ToList();
            var updated = InvoiceDeliveries.Conclude(recipients, result.Attempts) ?? result with { Recipients = recipients };
            // Written only over the item as read (its last write's token): a concurrent event reads again.
            var seen = item.GetString(RetrySafeWrites.TokenAttribute);
            var values = new Dictionary<string, AttributeValue> { [":updated"] = M(ItemMapping.ToMap(updated)) };
            if (seen is not null) values[":seen"] = S(seen);
            if (await UpdateAsync(DeliveryKey(invoiceId, requestId),
                    "SET #result = :updated, #changedBy = :worker",
                    seen is null ? "attribute_not_exists(#seen)" : "#seen = :seen",
                    new() { ["#result"] = "result", ["#seen"] = RetrySafeWrites.TokenAttribute },
                    values, ct))
                return true;
        }
        return false;
    }

    /// <summary>
    /// An invoice stored before e-mails had items of their own carries them in <c>deliveryRequests</c> and
    /// <c>deliveryResults</c>: the worker moves each to its item (keeping its outcome), then removes them from the invoice,
    /// so from here on the item is what every write touches. Safe to repeat and to race: each item is put only if absent,
    /// and the removal is the same for everyone.
    /// </summary>
    private async Task<Invoice> MoveEmbeddedDeliveriesAsync(Invoice invoice, CancellationToken ct)
    {
        foreach (var request in invoice.DeliveryRequests)
        {
            var item = ItemMapping.ToItem(invoice.Id, invoice.Tenant, request);
            item["changedBy"] = S(ItemMapping.ChangedByWorker);
            if (invoice.DeliveryResults.TryGetValue(request.RequestId, out var result)) item["result"] = M(ItemMapping.ToMap(result));
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest { TableName = invoicesTable, Item = item, ConditionExpression = "attribute_not_exists(id)" }, ct);
            }
            catch (ConditionalCheckFailedException)
            {
                // moved already (by another worker, or an earlier try of this one)
            }
        }
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = invoicesTable, Key = Key(invoice.Id),
            UpdateExpression = "REMOVE deliveryRequests, deliveryResults SET #changedBy = :worker",
            ConditionExpression = "attribute_exists(id)",
            ExpressionAttributeNames = new() { ["#changedBy"] = "changedBy" },
            ExpressionAttributeValues = new() { [":worker"] = S(ItemMapping.ChangedByWorker) },
        }, ct);
        return invoice with { DeliveryRequests = [], DeliveryResults = new Dictionary<string, DeliveryResult>() };
    }

    private static Dictionary<string, AttributeValue> DeliveryKey(string invoiceId, string requestId) => Key(ItemMapping.DeliveryId(invoiceId, requestId));

    private async Task<bool> UpdateAsync(Dictionary<string, AttributeValue> key, string update, string condition,
        Dictionary<string, string> names, Dictionary<string, AttributeValue> values, CancellationToken ct)
    {
        names["#changedBy"] = "changedBy";
        values[":worker"] = S(ItemMapping.ChangedByWorker);
        // Retry-safe: a claim whose answer was lost is still this worker's claim, not "claimed elsewhere".
        return await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = invoicesTable, Key = key, UpdateExpression = update, ConditionExpression = condition,
            ExpressionAttributeNames = names, ExpressionAttributeValues = values,
        }, ct);
    }
}
