using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// Per-business counters of the expensive requests (create, finalize, send) in fixed one-minute windows, so one busy or
/// abusive business cannot use up the API's shared throttle (or the document pipeline) for every other.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request of <paramref name="business"/> in the minute of <paramref name="now"/>; false (and nothing counted) when that minute already has <paramref name="limit"/>.</summary>
    Task<bool> TryTakeAsync(string business, int limit, DateTimeOffset now, CancellationToken ct);
}

/// <summary>No limit (a function without TENANT_REQUESTS_PER_MINUTE, and the in-memory services unless a test sets one).</summary>
public sealed class UnlimitedRateLimitStore : IRateLimitStore
{
    public static readonly UnlimitedRateLimitStore Instance = new();

    public Task<bool> TryTakeAsync(string business, int limit, DateTimeOffset now, CancellationToken ct) => Task.FromResult(true);
}

/// <summary>
/// One item per business and minute in the invoices table, <c>rate#{business}#{yyyyMMddHHmm}</c>, counted by a single
/// conditional UpdateItem: concurrent requests can never overrun the limit, and a refused one counts nothing. The item
/// expires (TTL) an hour later.
/// </summary>
public sealed class DynamoDbRateLimitStore(IAmazonDynamoDB dynamo, string table) : IRateLimitStore
{
    public async Task<bool> TryTakeAsync(string business, int limit, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(CounterId(business, now)),
                UpdateExpression = "ADD #count :one SET #business = :business, expiresAt = :expires",
                ConditionExpression = "attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames = new() { ["#count"] = "count", ["#business"] = "business" },
                ExpressionAttributeValues = new()
                {
                    [":one"] = N(1),
                    [":limit"] = N(limit),
                    [":business"] = S(business),
                    [":expires"] = N(now.AddHours(1).ToUnixTimeSeconds()),
                },
            }, ct);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public static string CounterId(string business, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"rate#{business}#{now.UtcDateTime:yyyyMMddHHmm}");
}
