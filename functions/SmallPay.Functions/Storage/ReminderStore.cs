using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>
/// An invoice that awaits payment, as the reminder schedule sees it: look at it again at <see cref="CheckAt"/>; every
/// reminder up to <see cref="HandledThrough"/> (inclusive) is sent or skipped. <see cref="Parked"/>: its business's plan
/// is off, so the schedule does not look at it until the plan is saved on again (which moves it back).
/// </summary>
public sealed record ReminderMarker(string Business, string InvoiceId, DateTimeOffset CheckAt, DateOnly HandledThrough, bool Parked = false)
{
    /// <summary>
    /// The marker a finalized invoice starts with: reminders after its finalization day, looked at first when the earliest
    /// reminder a plan could give falls (<see cref="ReminderPlan.MaxDaysBefore"/> days before the due date).
    /// </summary>
    public static ReminderMarker For(Invoice finalized)
    {
        var finalizedOn = DateOnly.FromDateTime((finalized.FinalizedAt ?? finalized.UpdatedAt).UtcDateTime);
        var earliest = finalized.DueDate.AddDays(-ReminderPlan.MaxDaysBefore);
        return new ReminderMarker(finalized.Tenant, finalized.Id,
            ReminderSchedule.SendAt(earliest > finalizedOn ? earliest : finalizedOn.AddDays(1)), finalizedOn);
    }
}

/// <summary>What writing a reminder ran into.</summary>
public enum RemindOutcome { Requested, Lost }

public interface IReminderStore
{
    /// <summary>Markers to look at by <paramref name="now"/>, earliest first: one query of the "rank" index, never a scan.</summary>
    Task<Page<ReminderMarker>> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct);
    /// <summary>The invoice's marker (null: it awaits no reminder: a draft, closed, or finalized before reminders existed).</summary>
    Task<ReminderMarker?> GetAsync(string business, string invoiceId, CancellationToken ct);
    /// <summary>
    /// All or nothing: the reminder request (its own delivery item, never written twice), its recipients counted against
    /// the daily limit, and the marker moved from <paramref name="read"/> to <paramref name="next"/> (null: removed), if the
    /// marker is still as read and the invoice still this business's and not void. Throws <see cref="SendingLimitException"/>.
    /// </summary>
    Task<RemindOutcome> RemindAsync(ReminderMarker read, Invoice invoice, DeliveryRequest request, SendingQuota quota, ReminderMarker? next, CancellationToken ct);
    /// <summary>Moves the marker (null: removes it) if it is still as read; false when another run moved it first.</summary>
    Task<bool> MoveAsync(ReminderMarker read, ReminderMarker? next, CancellationToken ct);
    /// <summary>The business's parked markers back on the schedule, to be looked at from <paramref name="now"/> (its plan is on). How many.</summary>
    Task<int> UnparkAsync(string business, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Markers in the invoices table: <c>reminder#{invoiceId}</c> (entity <c>ReminderMarker</c>, <c>business</c>,
/// <c>invoiceId</c>, <c>handledThrough</c>), ranked in <c>reminders-due</c> by the epoch second of the next look, or in
/// <c>reminders-parked#{business}</c> while the business's plan is off. Finalizing an invoice writes its marker in the
/// same transaction (InvoiceStore); RunReminders moves it, parks it, and removes it once the invoice is paid or void or
/// its plan has nothing left for it; saving a plan that is on brings the parked ones back (UpdateSettings).
/// </summary>
public sealed class DynamoDbReminderStore(IAmazonDynamoDB dynamo, string invoicesTable) : IReminderStore
{
    public const string Entity = "ReminderMarker";
    public const string DueRanking = "reminders-due";

    public static string ItemId(string invoiceId) => $"reminder#{invoiceId}";

    /// <summary>Where a business whose plan is off keeps its markers: out of the schedule's query, cheap to find again.</summary>
    public static string ParkedRanking(string business) => $"reminders-parked#{business}";

    private static string RankingOf(ReminderMarker marker) => marker.Parked ? ParkedRanking(marker.Business) : DueRanking;

    public static Dictionary<string, AttributeValue> ToItem(ReminderMarker marker) => new()
    {
        ["id"] = S(ItemId(marker.InvoiceId)),
        ["entity"] = S(Entity),
        ["business"] = S(marker.Business),
        ["invoiceId"] = S(marker.InvoiceId),
        ["handledThrough"] = Date(marker.HandledThrough),
        ["rankedIn"] = S(RankingOf(marker)),
        ["rank"] = N(marker.CheckAt.ToUnixTimeSeconds()),
    };

    public static TransactWriteItem Put(string table, ReminderMarker marker) => new() { Put = new Put { TableName = table, Item = ToItem(marker) } };

    public async Task<Page<ReminderMarker>> DueAsync(DateTimeOffset now, int limit, string? cursor, CancellationToken ct)
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
        return new Page<ReminderMarker>((response.Items ?? []).Select(FromItem).ToList(),
            response.LastEvaluatedKey is { Count: > 0 } last ? EncodeCursor(last) : null);
    }

    public async Task<ReminderMarker?> GetAsync(string business, string invoiceId, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(ItemId(invoiceId)), ConsistentRead = true }, ct);
        return response.Item is { Count: > 0 } item && item.GetString("entity") == Entity && item.GetString("business") == business ? FromItem(item) : null;
    }

    public async Task<RemindOutcome> RemindAsync(ReminderMarker read, Invoice invoice, DeliveryRequest request, SendingQuota quota, ReminderMarker? next, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            // The reminder first: the retry-safe transaction tells its own earlier attempt by the token on this item.
            new()
            {
                Put = new Put
                {
                    TableName = invoicesTable, Item = ItemMapping.ToItem(invoice.Id, invoice.Tenant, request),
                    ConditionExpression = "attribute_not_exists(id)",
                },
            },
            Move(read, next),
            new()
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = invoicesTable, Key = Key(invoice.Id),
                    ConditionExpression = "creator = :tenant AND #status IN (:open, :partial)",
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = new()
                    {
                        [":tenant"] = S(invoice.Tenant), [":open"] = S(nameof(InvoiceStatus.Open)), [":partial"] = S(nameof(InvoiceStatus.PartiallyPaid)),
                    },
                },
            },
            quota.Reserve(invoicesTable),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return RemindOutcome.Requested;
        if (reasons.ElementAtOrDefault(3)?.Code == "ConditionalCheckFailed") throw quota.Exceeded(reasons[3].Item);
        return RemindOutcome.Lost; // another run moved the marker, the reminder exists, or the invoice was paid or voided meanwhile
    }

    public async Task<bool> MoveAsync(ReminderMarker read, ReminderMarker? next, CancellationToken ct) =>
        await RetrySafeWrites.TransactAsync(dynamo, [Move(read, next)], ct) is null;

    public async Task<int> UnparkAsync(string business, DateTimeOffset now, CancellationToken ct)
    {
        var moved = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = invoicesTable, IndexName = "rank",
                KeyConditionExpression = "rankedIn = :parked",
                ExpressionAttributeValues = new() { [":parked"] = S(ParkedRanking(business)) },
                ExclusiveStartKey = start,
            }, ct);
            foreach (var marker in (page.Items ?? []).Select(FromItem))
                if (await MoveAsync(marker, marker with { Parked = false, CheckAt = now }, ct)) moved++;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return moved;
    }

    // Conditional on the marker being as read (its next look and what it handled): two runs never act on one look twice.
    private TransactWriteItem Move(ReminderMarker read, ReminderMarker? next)
    {
        const string AsRead = "#rank = :rank AND handledThrough = :handled AND rankedIn = :ranking";
        var names = new Dictionary<string, string> { ["#rank"] = "rank" };
        var values = new Dictionary<string, AttributeValue>
        {
            [":rank"] = N(read.CheckAt.ToUnixTimeSeconds()), [":handled"] = Date(read.HandledThrough), [":ranking"] = S(RankingOf(read)),
        };
        if (next is null)
            return new() { Delete = new Delete { TableName = invoicesTable, Key = Key(ItemId(read.InvoiceId)), ConditionExpression = AsRead, ExpressionAttributeNames = names, ExpressionAttributeValues = values } };
        values[":next"] = N(next.CheckAt.ToUnixTimeSeconds());
        values[":through"] = Date(next.HandledThrough);
        values[":to"] = S(RankingOf(next));
        return new()
        {
            Update = new Update
            {
                TableName = invoicesTable, Key = Key(ItemId(read.InvoiceId)),
                UpdateExpression = "SET #rank = :next, handledThrough = :through, rankedIn = :to",
                ConditionExpression = AsRead, ExpressionAttributeNames = names, ExpressionAttributeValues = values,
            },
        };
    }

    private static ReminderMarker FromItem(Dictionary<string, AttributeValue> item) => new(
        item.RequireString("business"), item.RequireString("invoiceId"),
        DateTimeOffset.FromUnixTimeSeconds(item.GetLong("rank")), item.GetDate("handledThrough") ?? DateOnly.MinValue,
        item.GetString("rankedIn") != DueRanking);

    private static string EncodeCursor(Dictionary<string, AttributeValue> key) =>
        string.Join('|', key["id"].S, key["rankedIn"].S, key["rank"].N);

    private static Dictionary<string, AttributeValue> DecodeCursor(string cursor)
    {
        var parts = cursor.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) throw new InvalidCursorException();
        return new() { ["id"] = S(parts[0]), ["rankedIn"] = S(parts[1]), ["rank"] = new AttributeValue { N = parts[2] } };
    }
}
