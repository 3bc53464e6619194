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
    /// <summary>The invoice as it is now (strongly consistent), or null when there is no such invoice.</summary>
    Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct);

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
}

public sealed class DynamoDbWorkerInvoiceStore(IAmazonDynamoDB dynamo, string invoicesTable) : IWorkerInvoiceStore
{
    public async Task<Invoice?> LoadAsync(string invoiceId, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(invoiceId), ConsistentRead = true }, ct);
        return response.Item is { Count: > 0 } item && item.GetString("entity") == ItemMapping.EntityInvoice ? ItemMapping.ToInvoice(item) : null;
    }

    public Task<bool> RecordDocumentAsync(string invoiceId, StoredDocument document, CancellationToken ct) =>
        UpdateAsync(invoiceId,
            "SET #document = :document, #changedBy = :worker",
            "attribute_exists(id) AND (attribute_not_exists(#document) OR #document.#version < :version)",
            new() { ["#document"] = "document", ["#version"] = "version" },
            new() { [":document"] = M(ItemMapping.ToMap(document)), [":version"] = N(document.Version) },
            ct);

    public async Task<bool> ClaimDeliveryAsync(string invoiceId, string requestId, DeliveryResult claim, DateTimeOffset now, CancellationToken ct)
    {
        Task<bool> Claim() => UpdateAsync(invoiceId,
            "SET #results.#rid = :claim, #changedBy = :worker",
            "attribute_exists(id) AND (attribute_not_exists(#results.#rid) OR "
            + "(#results.#rid.#status = :sending AND #results.#rid.#lease < :now AND #results.#rid.#attempts = :read))",
            new() { ["#results"] = "deliveryResults", ["#rid"] = requestId, ["#status"] = "status", ["#lease"] = "leaseUntil", ["#attempts"] = "attempts" },
            new()
            {
                [":claim"] = M(ItemMapping.ToMap(claim)), [":sending"] = S(nameof(DeliveryStatus.Sending)), [":now"] = N(now.ToUnixTimeMilliseconds()),
                [":read"] = N(claim.Attempts - 1),
            },
            ct);
        try
        {
            return await Claim();
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException" && e.Message.Contains("document path", StringComparison.OrdinalIgnoreCase))
        {
            // An item written before deliveryResults existed: create the empty map, then claim.
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = invoicesTable, Key = Key(invoiceId),
                UpdateExpression = "SET #results = if_not_exists(#results, :empty), #changedBy = :worker",
                ConditionExpression = "attribute_exists(id)",
                ExpressionAttributeNames = new() { ["#results"] = "deliveryResults", ["#changedBy"] = "changedBy" },
                ExpressionAttributeValues = new() { [":empty"] = M([]), [":worker"] = S(ItemMapping.ChangedByWorker) },
            }, ct);
            return await Claim();
        }
    }

    public Task<bool> CompleteDeliveryAsync(string invoiceId, string requestId, DeliveryResult outcome, CancellationToken ct) =>
        UpdateAsync(invoiceId,
            "SET #results.#rid = :outcome, #changedBy = :worker",
            "#results.#rid.#status = :sending",
            new() { ["#results"] = "deliveryResults", ["#rid"] = requestId, ["#status"] = "status" },
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
        var update = "SET #results.#rid.#lease = :released, #results.#rid.lastError = :reason, #changedBy = :worker";
        if (recipients is not null)
        {
            update += ", #results.#rid.recipients = :recipients";
            values[":recipients"] = ItemMapping.ToList(recipients);
        }
        return UpdateAsync(invoiceId, update,
            "#results.#rid.#status = :sending AND #results.#rid.#lease = :lease",
            new() { ["#results"] = "deliveryResults", ["#rid"] = requestId, ["#status"] = "status", ["#lease"] = "leaseUntil" },
            values, ct);
    }

    private async Task<bool> UpdateAsync(string invoiceId, string update, string condition,
        Dictionary<string, string> names, Dictionary<string, AttributeValue> values, CancellationToken ct)
    {
        names["#changedBy"] = "changedBy";
        values[":worker"] = S(ItemMapping.ChangedByWorker);
        // Retry-safe: a claim whose answer was lost is still this worker's claim, not "claimed elsewhere".
        return await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = invoicesTable, Key = Key(invoiceId), UpdateExpression = update, ConditionExpression = condition,
            ExpressionAttributeNames = names, ExpressionAttributeValues = values,
        }, ct);
    }
}
