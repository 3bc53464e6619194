using System.Buffers.Text;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SmallPay.Functions.Storage;

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Opaque cursors over the creator GSI. The cursor holds only the item's id and sort key; the partition is always
/// the caller's tenant, so a cursor forged or copied from another tenant can never reach outside the caller's data.
/// A cursor must have the shape the list issues (an id of its entity, a sort key that ends with "#{id}"): one of another
/// list, or made up, is refused before DynamoDB sees it; one DynamoDB refuses anyway (a sort key outside the query's
/// from/to range) is refused as well (<see cref="Paging"/>).
/// </summary>
internal static class Cursor
{
    public static string? Encode(Dictionary<string, AttributeValue>? lastKey) =>
        lastKey is null || lastKey.Count == 0 || lastKey.GetString("id") is not { } id || lastKey.GetString("sortKey") is not { } sortKey
            ? null
            : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{id}\n{sortKey}"));

    /// <summary>Null for a malformed cursor, or one that is not of this list (<paramref name="idPrefix"/>: "inv_", "cus_").</summary>
    public static Dictionary<string, AttributeValue>? Decode(string cursor, string tenant, string idPrefix)
    {
        if (cursor.Length > 1024) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return null;
            var (id, sortKey) = (parts[0], parts[1]);
            if (!id.StartsWith(idPrefix, StringComparison.Ordinal) || !sortKey.EndsWith("#" + id, StringComparison.Ordinal)) return null;
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
    /// <summary>At most this many queries fill one page: a page costs two round trips at worst, whatever the filter.</summary>
    public const int MaxRoundTrips = 2;

    /// <summary>
    /// With a filter, each query reads this many index entries (DynamoDB applies Limit before the filter), so a selective
    /// filter still fills most pages in one or two round trips; without one, exactly the page is read.
    /// </summary>
    public const int FilteredReadAhead = 200;

    /// <summary>
    /// Fills one page in at most <see cref="MaxRoundTrips"/> queries. The cursor resumes after the last item returned (or
    /// where reading stopped, if the page came out short: a selective filter over a large index), so no item is skipped
    /// and none is shown twice; a short page with a cursor means "there may be more".
    /// </summary>
    /// <param name="idPrefix">The listed entity's id prefix ("inv_", "cus_"): a cursor of another list is refused.</param>
    public static async Task<Page<T>> QueryPageAsync<T>(IAmazonDynamoDB dynamo, QueryRequest request, string tenant, int limit, string? cursor,
        string idPrefix, Func<Dictionary<string, AttributeValue>, T> map, CancellationToken ct)
    {
        if (cursor is not null)
            request.ExclusiveStartKey = Cursor.Decode(cursor, tenant, idPrefix) ?? throw new InvalidCursorException();
        var filtered = request.FilterExpression is not null;
        var items = new List<T>(limit);
        Dictionary<string, AttributeValue>? lastReturned = null;
        Dictionary<string, AttributeValue>? resumeAt = null;
        for (var trip = 0; trip < MaxRoundTrips && items.Count < limit; trip++)
        {
            request.Limit = filtered ? Math.Max(limit, FilteredReadAhead) : limit - items.Count;
            QueryResponse response;
            try
            {
                response = await dynamo.QueryAsync(request, ct);
            }
            catch (AmazonDynamoDBException e) when (trip == 0 && cursor is not null && e.ErrorCode == "ValidationException")
            {
                // The client's start key is what DynamoDB refuses ("The provided starting key is outside query
                // boundaries based on provided conditions", an invalid key): the cursor is bad, not the server.
                throw new InvalidCursorException();
            }
            var found = response.Items ?? [];
            var taken = 0;
            foreach (var item in found)
            {
                if (items.Count == limit) break;
                items.Add(map(item));
                lastReturned = item;
                taken++;
            }
            if (taken < found.Count)
            {
                resumeAt = lastReturned; // the page filled up inside this response: go on after its last item
                break;
            }
            resumeAt = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            if (resumeAt is null) break;
            request.ExclusiveStartKey = resumeAt;
        }
        return new Page<T>(items, Cursor.Encode(resumeAt));
    }
}
