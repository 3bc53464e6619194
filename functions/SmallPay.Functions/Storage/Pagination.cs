using System.Buffers.Text;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SmallPay.Functions.Storage;

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Opaque cursors over the creator GSI. The cursor holds only the item's id and sort key; the partition is always
/// the caller's tenant, so a cursor forged or copied from another tenant can never reach outside the caller's data.
/// </summary>
internal static class Cursor
{
    public static string? Encode(Dictionary<string, AttributeValue>? lastKey) =>
        lastKey is null || lastKey.Count == 0 || lastKey.GetString("id") is not { } id || lastKey.GetString("sortKey") is not { } sortKey
            ? null
            : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{id}\n{sortKey}"));

    /// <summary>Null for a malformed cursor.</summary>
    public static Dictionary<string, AttributeValue>? Decode(string cursor, string tenant)
    {
        if (cursor.Length > 1024) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return null;
            return new()
            {
                ["id"] = Attributes.S(parts[0]),
                ["sortKey"] = Attributes.S(parts[1]),
                ["creator"] = Attributes.S(tenant),
            };
        }
        catch (FormatException) { return null; }
    }
}

internal static class Paging
{
    private const int MaxQueryRoundTrips = 10;

    /// <summary>
    /// Fills one page: DynamoDB applies Limit before the filter, so keep asking for the rest until the page is full,
    /// the index is exhausted, or a bounded number of round trips is spent (the cursor then resumes where we stopped).
    /// </summary>
    public static async Task<Page<T>> QueryPageAsync<T>(IAmazonDynamoDB dynamo, QueryRequest request, string tenant, int limit, string? cursor,
        Func<Dictionary<string, AttributeValue>, T> map, CancellationToken ct)
    {
        if (cursor is not null)
            request.ExclusiveStartKey = Cursor.Decode(cursor, tenant) ?? throw new InvalidCursorException();
        var items = new List<T>(limit);
        Dictionary<string, AttributeValue>? lastKey = null;
        for (var trip = 0; trip < MaxQueryRoundTrips && items.Count < limit; trip++)
        {
            request.Limit = limit - items.Count;
            var response = await dynamo.QueryAsync(request, ct);
            foreach (var item in response.Items ?? []) items.Add(map(item));
            lastKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            if (lastKey is null) break;
            request.ExclusiveStartKey = lastKey;
        }
        return new Page<T>(items, Cursor.Encode(lastKey));
    }

}
