using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>A profile that is due, as the due index names it.</summary>
public sealed record DueProfile(string Business, string ProfileId, DateOnly NextRun);

/// <summary>One page of due profiles and where the next starts (null: no more).</summary>
public sealed record DuePage(IReadOnlyList<DueProfile> Items, string? Cursor);

/// <summary>What a run's write ran into.</summary>
public enum RunOutcome { Applied, Lost, CustomerMissing }

public interface IRecurringStore
{
    /// <summary>The business's profile, or null (another business's reads like a missing one).</summary>
    Task<RecurringProfile?> GetAsync(string business, string profileId, CancellationToken ct);
    Task CreateAsync(RecurringProfile profile, CancellationToken ct);
    /// <summary>Writes <paramref name="updated"/> if the stored version is <paramref name="current"/>'s; else <see cref="StaleVersionException"/>.</summary>
    Task UpdateAsync(RecurringProfile current, RecurringProfile updated, CancellationToken ct);
    /// <summary>The business's profiles, newest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<RecurringProfile>> ListAsync(string business, int limit, CancellationToken ct);
    /// <summary>Profiles whose next run is at or before <paramref name="now"/>, earliest first: one query of the due index.</summary>
    Task<DuePage> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct);
    /// <summary>
    /// One run, all or nothing: <paramref name="invoice"/> (a new draft; its id is the period's) is created and the profile
    /// advanced to <paramref name="advanced"/>, if the stored profile is still <paramref name="read"/> (its version and next
    /// run) and the invoice does not exist. <see cref="RunOutcome.Lost"/>: another run or an edit came first; nothing written.
    /// </summary>
    Task<RunOutcome> RunAsync(RecurringProfile read, RecurringProfile advanced, Invoice? invoice, CancellationToken ct);
}

/// <summary>
/// Profiles in the invoices table: <c>recurring#{prf_…}</c> (entity <c>RecurringProfile</c>, <c>business</c>, the
/// profile as JSON in <c>profile</c>, <c>version</c>, <c>status</c>, <c>nextRun</c>; ranked in <c>recurring#{business}</c>
/// by creation) and, while the profile is active, its due marker <c>recurring-due#{prf_…}</c> (entity
/// <c>RecurringDue</c>, ranked in <c>recurring-due</c> by the next run's epoch second), which the scheduler queries.
/// Both are written in the same transactions.
/// </summary>
public sealed class DynamoDbRecurringStore(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable) : IRecurringStore
{
    public const string Entity = "RecurringProfile";
    public const string DueEntity = "RecurringDue";
    public const string DueRanking = "recurring-due";

    private readonly TenantSummaries _summaries = new(dynamo, invoicesTable);

    public static string ItemId(string profileId) => $"recurring#{profileId}";
    public static string DueItemId(string profileId) => $"recurring-due#{profileId}";
    public static string Ranking(string business) => $"recurring#{business}";

    /// <summary>A period is due from 00:00 UTC of its date.</summary>
    public static long DueAt(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();

    public async Task<RecurringProfile?> GetAsync(string business, string profileId, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(ItemId(profileId)), ConsistentRead = true }, ct);
        return response.Item is { Count: > 0 } item && item.GetString("entity") == Entity && item.GetString("business") == business ? FromItem(item) : null;
    }

    public async Task CreateAsync(RecurringProfile profile, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Put = new Put { TableName = invoicesTable, Item = ToItem(profile), ConditionExpression = "attribute_not_exists(id)" } },
            DueWrite(profile),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not null) throw new AlreadyExistsException();
    }

    public async Task UpdateAsync(RecurringProfile current, RecurringProfile updated, CancellationToken ct)
    {
        if (await RetrySafeWrites.TransactAsync(dynamo, [VersionedPut(current, updated), DueWrite(updated)], ct) is not null)
            throw new StaleVersionException($"Recurring profile {updated.Name ?? updated.Id}");
    }

    public async Task<IReadOnlyList<RecurringProfile>> ListAsync(string business, int limit, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = invoicesTable, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(Ranking(business)) },
            ScanIndexForward = false, Limit = limit,
        }, ct);
        return (response.Items ?? []).Where(i => i.GetString("business") == business).Select(FromItem).ToList();
    }

    public async Task<DuePage> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = invoicesTable, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :due AND #rank <= :now",
            ExpressionAttributeNames = new() { ["#rank"] = "rank" },
            ExpressionAttributeValues = new() { [":due"] = S(DueRanking), [":now"] = N(now.ToUnixTimeSeconds()) },
            Limit = limit,
            ExclusiveStartKey = cursor is null ? null : DecodeCursor(cursor),
        }, ct);
        var items = (response.Items ?? []).Select(i => new DueProfile(i.RequireString("business"), i.RequireString("profileId"),
            i.GetDate("nextRun") ?? DateOnly.MinValue)).ToList();
        return new DuePage(items, response.LastEvaluatedKey is { Count: > 0 } last ? EncodeCursor(last) : null);
    }

    public async Task<RunOutcome> RunAsync(RecurringProfile read, RecurringProfile advanced, Invoice? invoice, CancellationToken ct)
    {
        // The profile first: the retry-safe transaction tells its own earlier attempt by the token on this item.
        var items = new List<TransactWriteItem> { VersionedPut(read, advanced), DueWrite(advanced) };
        if (invoice is not null)
        {
            items.Add(new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(invoice), ConditionExpression = "attribute_not_exists(id)" } });
            items.Add(new()
            {
                Update = new Update
                {
                    TableName = customersTable, Key = Key(invoice.Content.CustomerId),
                    UpdateExpression = "ADD invoiceCount :one",
                    ConditionExpression = "creator = :tenant AND entity = :customer",
                    ExpressionAttributeValues = new() { [":one"] = N(1), [":tenant"] = S(invoice.Tenant), [":customer"] = S(ItemMapping.EntityCustomer) },
                },
            });
            items.AddRange(_summaries.Writes(invoice.Tenant, InvoiceTally.Of(invoice), invoice.Customer.Name));
        }
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct);
        if (reasons is null) return RunOutcome.Applied;
        return invoice is not null && reasons.ElementAtOrDefault(3)?.Code == "ConditionalCheckFailed" && reasons[0].Code != "ConditionalCheckFailed"
            ? RunOutcome.CustomerMissing
            : RunOutcome.Lost;
    }

    private TransactWriteItem VersionedPut(RecurringProfile current, RecurringProfile updated) => new()
    {
        Put = new Put
        {
            TableName = invoicesTable, Item = ToItem(updated),
            // The version moves with every change (runs, edits, pause); the next run is checked too, as the run's period.
            ConditionExpression = "version = :version AND business = :business AND entity = :entity"
                + (current.NextRun is null ? " AND attribute_not_exists(nextRun)" : " AND nextRun = :nextRun"),
            ExpressionAttributeValues = WithNextRun(new()
            {
                [":version"] = N(current.Version), [":business"] = S(current.Tenant), [":entity"] = S(Entity),
            }, current.NextRun),
        },
    };

    private static Dictionary<string, AttributeValue> WithNextRun(Dictionary<string, AttributeValue> values, DateOnly? nextRun)
    {
        if (nextRun is { } next) values[":nextRun"] = Date(next);
        return values;
    }

    /// <summary>The due marker: present while the profile is active with a next run, else deleted.</summary>
    private TransactWriteItem DueWrite(RecurringProfile profile) =>
        profile is { Status: RecurringStatus.Active, NextRun: { } next }
            ? new()
            {
                Put = new Put
                {
                    TableName = invoicesTable,
                    Item = new()
                    {
                        ["id"] = S(DueItemId(profile.Id)), ["entity"] = S(DueEntity), ["business"] = S(profile.Tenant),
                        ["profileId"] = S(profile.Id), ["nextRun"] = Date(next), ["rankedIn"] = S(DueRanking), ["rank"] = N(DueAt(next)),
                    },
                },
            }
            : new() { Delete = new Delete { TableName = invoicesTable, Key = Key(DueItemId(profile.Id)) } };

    private static Dictionary<string, AttributeValue> ToItem(RecurringProfile profile)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(ItemId(profile.Id)),
            ["entity"] = S(Entity),
            ["business"] = S(profile.Tenant),
            ["profile"] = S(JsonSerializer.Serialize(profile, RecurringJsonContext.Default.RecurringProfile)),
            ["version"] = N(profile.Version),
            ["status"] = S(profile.Status.ToString()),
            ["rankedIn"] = S(Ranking(profile.Tenant)),
            ["rank"] = N(profile.CreatedAt.ToUnixTimeMilliseconds()),
        };
        if (profile.NextRun is { } next) item["nextRun"] = Date(next);
        return item;
    }

    private static RecurringProfile FromItem(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(item.RequireString("profile"), RecurringJsonContext.Default.RecurringProfile)
        ?? throw new InvalidDataException($"Recurring profile {item.GetString("id")} has no body.");

    private static string EncodeCursor(Dictionary<string, AttributeValue> key) =>
        string.Join('|', key["id"].S, key["rankedIn"].S, key["rank"].N);

    private static Dictionary<string, AttributeValue> DecodeCursor(string cursor)
    {
        var parts = cursor.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) throw new InvalidCursorException();
        return new() { ["id"] = S(parts[0]), ["rankedIn"] = S(parts[1]), ["rank"] = new AttributeValue { N = parts[2] } };
    }
}

/// <summary>The stored form of a profile (source-generated; no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecurringProfile))]
internal sealed partial class RecurringJsonContext : JsonSerializerContext;
