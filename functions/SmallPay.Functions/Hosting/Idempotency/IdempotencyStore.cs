using System.Globalization;
using System.IO.Compression;
using System.Text;
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
/// The stored response is bounded whatever the request: a small body is kept as text; a larger one gzip-compressed
/// (an invoice of 300 lines in a non-Latin script answers about 0.5 MB of JSON, whose <c>\uXXXX</c> escapes compress
/// about 4:1); and compressed bytes that still would not fit one item are kept in parts of <see cref="PartBytes"/>
/// (<c>{record}#part#{n}</c>, same expiry), so the replay is always the first response, byte for byte.
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
        return new IdempotencyClaim.Replay(new StoredResponse((int)existing.GetLong("statusCode"), await ReadBodyAsync(recordId, existing, ct), existing.GetString("contentType"), headers));
    }

    /// <summary>A body up to this size is stored as text, readable in the table.</summary>
    public const int PlainBodyBytes = 16 * 1024;
    /// <summary>Compressed bytes per item: well under DynamoDB's 400 KB item limit with the record's other attributes.</summary>
    public const int PartBytes = 300 * 1024;

    public async Task CompleteAsync(string recordId, StoredResponse response, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":completed"] = S("Completed"),
            [":status"] = N(response.StatusCode),
            [":headers"] = M(response.Headers.ToDictionary(h => h.Key, h => S(h.Value))),
        };
        var sets = "SET #state = :completed, statusCode = :status, headers = :headers";
        if (response.Body is { } body)
        {
            var utf8 = Encoding.UTF8.GetBytes(body);
            if (utf8.Length <= PlainBodyBytes) { values[":body"] = S(body); sets += ", body = :body"; }
            else
            {
                var compressed = Gzip(utf8);
                if (compressed.Length <= PartBytes) { values[":gzip"] = B(compressed); sets += ", bodyGzip = :gzip"; }
                else { values[":parts"] = N(await WritePartsAsync(recordId, compressed, ct)); sets += ", bodyParts = :parts"; }
            }
        }
        if (response.ContentType is not null) { values[":type"] = S(response.ContentType); sets += ", contentType = :type"; }
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(recordId), UpdateExpression = sets,
            ExpressionAttributeNames = new() { ["#state"] = "state" }, ExpressionAttributeValues = values,
        }, ct);
    }

    private async Task<int> WritePartsAsync(string recordId, byte[] compressed, CancellationToken ct)
    {
        // Housekeeping only (TTL): a claim never reads the parts of an expired record, so the wall clock will do.
        var expiresAt = N(DateTimeOffset.UtcNow.Add(Retention).ToUnixTimeSeconds());
        var count = (compressed.Length + PartBytes - 1) / PartBytes;
        for (var part = 0; part < count; part++)
        {
            var slice = compressed.AsMemory(part * PartBytes, Math.Min(PartBytes, compressed.Length - part * PartBytes)).ToArray();
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new() { ["id"] = S(PartId(recordId, part)), ["entity"] = S("IdempotencyPart"), ["bytes"] = B(slice), ["expiresAt"] = expiresAt },
            }, ct);
        }
        return count;
    }

    private async Task<string?> ReadBodyAsync(string recordId, Dictionary<string, AttributeValue> record, CancellationToken ct)
    {
        if (record.GetString("body") is { } plain) return plain;
        if (record.TryGetValue("bodyGzip", out var gzip) && gzip.B is { } stream) return Gunzip(stream.ToArray());
        if (record.GetLong("bodyParts") is var parts and > 0)
        {
            using var joined = new MemoryStream();
            for (var part = 0; part < parts; part++)
            {
                var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(PartId(recordId, part)), ConsistentRead = true }, ct)).Item;
                if (item is not { Count: > 0 } || item["bytes"].B is not { } bytes) throw new InvalidOperationException($"Idempotency record {recordId} lost part {part}.");
                bytes.Position = 0;
                await bytes.CopyToAsync(joined, ct);
            }
            return Gunzip(joined.ToArray());
        }
        return null;
    }

    private static string PartId(string recordId, int part) => string.Create(CultureInfo.InvariantCulture, $"{recordId}#part#{part}");

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static string Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public Task ReleaseAsync(string recordId, CancellationToken ct) =>
        dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key(recordId) }, ct);

    public static string RecordId(string tenant, string scope, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"idem#{tenant}#{scope}#{key}");
}
