using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Storage;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Hosting.Idempotency;

/// <summary>A stored first response, replayed for every retry with the same key.</summary>
public sealed record StoredResponse(int StatusCode, string? Body, string? ContentType, Dictionary<string, string> Headers);

public abstract record IdempotencyClaim
{
    public sealed record Acquired : IdempotencyClaim;
    public sealed record Replay(StoredResponse Response) : IdempotencyClaim;
    public sealed record DifferentRequest : IdempotencyClaim;
    public sealed record InProgress : IdempotencyClaim;
}

public interface IIdempotencyStore
{
    Task<IdempotencyClaim> ClaimAsync(string recordId, string requestHash, DateTimeOffset now, CancellationToken ct);
    Task CompleteAsync(string recordId, StoredResponse response, CancellationToken ct);
    Task ReleaseAsync(string recordId, CancellationToken ct);
}

/// <summary>
/// Idempotency records in the invoices table (entity Idempotency, TTL on expiresAt), Powertools-style: an in-progress
/// record taken with a conditional put, completed with the response, released when the request failed.
/// </summary>
public sealed class DynamoDbIdempotencyStore(IAmazonDynamoDB dynamo, string table) : IIdempotencyStore
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    /// <summary>An in-progress record older than this belongs to a request that died: it may be taken over.</summary>
    public static readonly TimeSpan InProgressLease = TimeSpan.FromSeconds(30);

    public async Task<IdempotencyClaim> ClaimAsync(string recordId, string requestHash, DateTimeOffset now, CancellationToken ct)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var acquired = await RetrySafeWrites.PutAsync(dynamo, new PutItemRequest
        {
            TableName = table,
            Item = new()
            {
                ["id"] = S(recordId), ["entity"] = S("Idempotency"), ["state"] = S("InProgress"), ["requestHash"] = S(requestHash),
                ["leaseUntil"] = N(nowSeconds + (long)InProgressLease.TotalSeconds),
                ["expiresAt"] = N(nowSeconds + (long)Retention.TotalSeconds),
            },
            ConditionExpression = "attribute_not_exists(id) OR expiresAt < :now OR (#state = :inProgress AND leaseUntil < :now)",
            ExpressionAttributeNames = new() { ["#state"] = "state" },
            ExpressionAttributeValues = new() { [":now"] = N(nowSeconds), [":inProgress"] = S("InProgress") },
        }, ct);
        if (acquired) return new IdempotencyClaim.Acquired();

        var existing = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(recordId), ConsistentRead = true }, ct)).Item;
        if (existing is not { Count: > 0 }) return await ClaimAsync(recordId, requestHash, now, ct); // released meanwhile
        if (existing.GetString("requestHash") != requestHash) return new IdempotencyClaim.DifferentRequest();
        if (existing.GetString("state") != "Completed") return new IdempotencyClaim.InProgress();
        var headers = existing.GetMap("headers")?.ToDictionary(h => h.Key, h => h.Value.S ?? "") ?? [];
        return new IdempotencyClaim.Replay(new StoredResponse((int)existing.GetLong("statusCode"), existing.GetString("body"), existing.GetString("contentType"), headers));
    }

    public Task CompleteAsync(string recordId, StoredResponse response, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":completed"] = S("Completed"),
            [":status"] = N(response.StatusCode),
            [":headers"] = M(response.Headers.ToDictionary(h => h.Key, h => S(h.Value))),
        };
        var sets = "SET #state = :completed, statusCode = :status, headers = :headers";
        if (response.Body is not null) { values[":body"] = S(response.Body); sets += ", body = :body"; }
        if (response.ContentType is not null) { values[":type"] = S(response.ContentType); sets += ", contentType = :type"; }
        return dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(recordId), UpdateExpression = sets,
            ExpressionAttributeNames = new() { ["#state"] = "state" }, ExpressionAttributeValues = values,
        }, ct);
    }

    public Task ReleaseAsync(string recordId, CancellationToken ct) =>
        dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key(recordId) }, ct);

    public static string RecordId(string tenant, string scope, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"idem#{tenant}#{scope}#{key}");
}
