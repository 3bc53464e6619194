using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain;
using SmallPay.Domain.Changes;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>The history of invoices and customers, written by the change feed (RecordChanges) and read by the activity routes.</summary>
public interface IActivityStore
{
    /// <summary>Writes the entries; writing one again (a redelivered change: the same id) leaves one item with the same content.</summary>
    Task RecordAsync(IReadOnlyList<ActivityEntry> entries, CancellationToken ct);

    /// <summary>One entity's history of one tenant, newest first. Throws <see cref="InvalidCursorException"/>.</summary>
    Task<Page<ActivityEntry>> ListAsync(string business, string entityId, int limit, string? cursor, CancellationToken ct);
}

/// <summary>
/// Entries live in the invoices table as <c>activity#{act_…}</c> (entity <c>Activity</c>), ranked in the "rank" index under
/// <c>activity#{business}#{entityId}</c> by their time in milliseconds: one entity's page is one query, whatever the tenant's size.
/// </summary>
public sealed class DynamoDbActivityStore(IAmazonDynamoDB dynamo, string table) : IActivityStore
{
    public const string Entity = "Activity";

    public static string Ranking(string business, string entityId) => $"activity#{business}#{entityId}";

    public async Task RecordAsync(IReadOnlyList<ActivityEntry> entries, CancellationToken ct)
    {
        foreach (var entry in entries)
            await dynamo.PutItemAsync(new PutItemRequest { TableName = table, Item = ToItem(entry) }, ct);
    }

    public async Task<Page<ActivityEntry>> ListAsync(string business, string entityId, int limit, string? cursor, CancellationToken ct)
    {
        var ranking = Ranking(business, entityId);
        var request = new QueryRequest
        {
            TableName = table, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(ranking) },
            ScanIndexForward = false,
            Limit = limit,
        };
        if (cursor is not null) request.ExclusiveStartKey = DecodeCursor(cursor, ranking) ?? throw new InvalidCursorException();
        QueryResponse response;
        try
        {
            response = await dynamo.QueryAsync(request, ct);
        }
        catch (AmazonDynamoDBException e) when (cursor is not null && e.ErrorCode == "ValidationException")
        {
            throw new InvalidCursorException();
        }
        var items = (response.Items ?? []).Select(FromItem).ToList();
        var next = response.LastEvaluatedKey is { Count: > 0 } last && last.GetString("id") is { } id && last.GetLong("rank", -1) is >= 0 and var rank
            ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{id["activity#".Length..]}\n{rank.ToString(CultureInfo.InvariantCulture)}"))
            : null;
        return new Page<ActivityEntry>(items, next);
    }

    // The cursor holds an entry's id and rank only; the partition is always the caller's own entity.
    private static Dictionary<string, AttributeValue>? DecodeCursor(string cursor, string ranking)
    {
        if (cursor.Length > 256) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length != 2 || !Ids.IsWellFormed(parts[0], "act")
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rank)) return null;
            return new() { ["id"] = S($"activity#{parts[0]}"), ["rankedIn"] = S(ranking), ["rank"] = N(rank) };
        }
        catch (FormatException) { return null; }
    }

    internal static Dictionary<string, AttributeValue> ToItem(ActivityEntry entry)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S($"activity#{entry.Id}"),
            ["entity"] = S(Entity),
            ["business"] = S(entry.Business),
            ["entityId"] = S(entry.EntityId),
            ["entityType"] = S(entry.EntityType),
            ["kind"] = S(entry.Kind),
            ["at"] = Time(entry.At),
            ["details"] = M(entry.Details.ToDictionary(p => p.Key, p => S(p.Value))),
            ["rankedIn"] = S(Ranking(entry.Business, entry.EntityId)),
            ["rank"] = N(entry.At.ToUnixTimeMilliseconds()),
        };
        item.PutIfPresent("actor", entry.Actor);
        if (entry.Changes.Count > 0)
            item["changes"] = L(entry.Changes.Select(c => M(new Dictionary<string, AttributeValue> { ["field"] = S(c.Field) }
                .WithOptional("before", c.Before).WithOptional("after", c.After))).ToList());
        return item;
    }

    internal static ActivityEntry FromItem(Dictionary<string, AttributeValue> item) => new(
        item.RequireString("id")["activity#".Length..],
        item.RequireString("business"),
        item.GetString("entityType") ?? "",
        item.RequireString("entityId"),
        item.GetString("kind") ?? "",
        item.GetTime("at") ?? DateTimeOffset.FromUnixTimeMilliseconds(item.GetLong("rank")),
        item.GetString("actor"),
        (item.GetMap("details") ?? []).Where(p => p.Value.S is not null).ToDictionary(p => p.Key, p => p.Value.S!, StringComparer.Ordinal),
        item.GetList("changes").Select(c => c.M ?? []).Select(c => new FieldChange(c.GetString("field") ?? "", c.GetString("before"), c.GetString("after"))).ToList());
}
