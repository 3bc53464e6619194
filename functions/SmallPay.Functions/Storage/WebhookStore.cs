using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Webhooks;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>A business has <see cref="WebhookRules.MaxEndpoints"/> endpoints already.</summary>
public sealed class WebhookLimitException() : Exception($"A business may have at most {WebhookRules.MaxEndpoints} webhook endpoints.");

/// <summary>A delivery the schedule tries next (its retry marker), as read from the "rank" index.</summary>
public sealed record WebhookRetry(string Business, string WebhookId, string DeliveryId, DateTimeOffset DueAt);

public interface IWebhookStore
{
    /// <summary>The business's endpoints, oldest first: one query of the "rank" index (at most ten).</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string business, CancellationToken ct);
    Task<WebhookEndpoint?> GetAsync(string business, string webhookId, CancellationToken ct);
    /// <summary>Puts a new endpoint and counts it; throws <see cref="WebhookLimitException"/>, <see cref="AlreadyExistsException"/>.</summary>
    Task CreateAsync(WebhookEndpoint endpoint, CancellationToken ct);
    /// <summary>Replaces the endpoint if its version is still <paramref name="expectedVersion"/> (else <see cref="StaleVersionException"/>); the new one carries version + 1.</summary>
    Task UpdateAsync(WebhookEndpoint changed, long expectedVersion, CancellationToken ct);
    /// <summary>Removes the endpoint (its deliveries stay until their retries end; nothing more is sent). False: no such endpoint.</summary>
    Task<bool> DeleteAsync(string business, string webhookId, CancellationToken ct);

    /// <summary>
    /// Puts the delivery (only if no delivery of this endpoint and event exists: false then) with its retry marker
    /// claimed by the caller until <paramref name="claimedUntil"/>, in one transaction.
    /// </summary>
    Task<bool> CreateDeliveryAsync(WebhookDelivery delivery, DateTimeOffset claimedUntil, CancellationToken ct);
    Task<WebhookDelivery?> GetDeliveryAsync(string business, string webhookId, string deliveryId, CancellationToken ct);
    /// <summary>The endpoint's deliveries, newest first, in pages (one query of the "rank" index).</summary>
    Task<Page<WebhookDelivery>> DeliveriesAsync(string business, string webhookId, int limit, string? cursor, CancellationToken ct);
    /// <summary>Retry markers due by <paramref name="now"/>, earliest first: a query of the "rank" index with <c>rank &lt;= now</c>, never a scan.</summary>
    Task<IReadOnlyList<WebhookRetry>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct);
    /// <summary>Claims a due marker until <paramref name="claimedUntil"/> if it is still as read; false when another run took it.</summary>
    Task<bool> ClaimAsync(WebhookRetry due, DateTimeOffset claimedUntil, CancellationToken ct);
    /// <summary>
    /// Writes the delivery after a try made under a claim (conditional on the version it was read with and on the claim
    /// still being <paramref name="claimedUntil"/>): the marker moves to the next try, or goes once it is settled.
    /// </summary>
    Task<bool> RecordAsync(WebhookDelivery after, DateTimeOffset claimedUntil, CancellationToken ct);
    /// <summary>Writes the delivery after a resend (conditional on its version only); a delivered one loses its marker.</summary>
    Task<bool> RecordResendAsync(WebhookDelivery after, CancellationToken ct);
}

/// <summary>
/// Webhook items in the invoices table:
/// <list type="bullet">
/// <item><c>webhook#{webhookId}</c> (entity <c>Webhook</c>): the endpoint with its secret(s), ranked in <c>webhooks#{business}</c> by creation.</item>
/// <item><c>webhookcount#{business}</c> (entity <c>WebhookCount</c>): how many endpoints the business has (the limit of ten, under concurrency).</item>
/// <item><c>webhookdelivery#{deliveryId}</c> (entity <c>WebhookDelivery</c>): one event for one endpoint (its id derived from both), with
/// the payload and the attempts (at most 20), ranked in <c>webhook-log#{webhookId}</c> by creation (the delivery log).</item>
/// <item><c>webhookretry#{deliveryId}</c> (entity <c>WebhookRetry</c>): a delivery not yet settled, ranked in <c>webhook-retries</c> by the
/// epoch second of its next try (or of the end of the claim of whoever is trying it).</item>
/// </list>
/// </summary>
public sealed class DynamoDbWebhookStore(IAmazonDynamoDB dynamo, string table) : IWebhookStore
{
    public const string RetryRanking = "webhook-retries";

    public static string EndpointItemId(string webhookId) => $"webhook#{webhookId}";
    public static string CountItemId(string business) => $"webhookcount#{business}";
    public static string DeliveryItemId(string deliveryId) => $"webhookdelivery#{deliveryId}";
    public static string RetryItemId(string deliveryId) => $"webhookretry#{deliveryId}";
    public static string EndpointRanking(string business) => $"webhooks#{business}";
    public static string LogRanking(string webhookId) => $"webhook-log#{webhookId}";

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string business, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(EndpointRanking(business)) },
        }, ct);
        return (response.Items ?? []).Where(i => i.GetString("business") == business).Select(EndpointFrom).ToList();
    }

    public async Task<WebhookEndpoint?> GetAsync(string business, string webhookId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(EndpointItemId(webhookId)), ConsistentRead = true }, ct)).Item;
        return item is { Count: > 0 } && item.GetString("entity") == "Webhook" && item.GetString("business") == business ? EndpointFrom(item) : null;
    }

    public async Task CreateAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var reasons = await RetrySafeWrites.TransactAsync(dynamo,
        [
            new() { Put = new Put { TableName = table, Item = EndpointItem(endpoint), ConditionExpression = "attribute_not_exists(id)" } },
            new()
            {
                Update = new Update
                {
                    TableName = table, Key = Key(CountItemId(endpoint.Business)),
                    UpdateExpression = "SET #count = if_not_exists(#count, :zero) + :one, entity = :entity, business = :business",
                    ConditionExpression = "attribute_not_exists(#count) OR #count < :max",
                    ExpressionAttributeNames = new() { ["#count"] = "count" },
                    ExpressionAttributeValues = new()
                    {
                        [":zero"] = N(0), [":one"] = N(1), [":max"] = N(WebhookRules.MaxEndpoints),
                        [":entity"] = S("WebhookCount"), [":business"] = S(endpoint.Business),
                    },
                },
            },
        ], ct);
        if (reasons is null) return;
        if (reasons.ElementAtOrDefault(1)?.Code == "ConditionalCheckFailed") throw new WebhookLimitException();
        throw new AlreadyExistsException();
    }

    public async Task UpdateAsync(WebhookEndpoint changed, long expectedVersion, CancellationToken ct)
    {
        var item = EndpointItem(changed with { Version = expectedVersion + 1 });
        var applied = await RetrySafeWrites.PutAsync(dynamo, new PutItemRequest
        {
            TableName = table, Item = item,
            ConditionExpression = "business = :business AND version = :expected",
            ExpressionAttributeValues = new() { [":business"] = S(changed.Business), [":expected"] = N(expectedVersion) },
        }, ct);
        if (!applied) throw new StaleVersionException("The webhook endpoint");
    }

    public async Task<bool> DeleteAsync(string business, string webhookId, CancellationToken ct) =>
        await RetrySafeWrites.TransactAsync(dynamo,
        [
            new()
            {
                Delete = new Delete
                {
                    TableName = table, Key = Key(EndpointItemId(webhookId)), ConditionExpression = "business = :business AND entity = :entity",
                    ExpressionAttributeValues = new() { [":business"] = S(business), [":entity"] = S("Webhook") },
                },
            },
            new()
            {
                Update = new Update
                {
                    TableName = table, Key = Key(CountItemId(business)), UpdateExpression = "SET #count = #count - :one",
                    ConditionExpression = "#count > :zero",
                    ExpressionAttributeNames = new() { ["#count"] = "count" },
                    ExpressionAttributeValues = new() { [":one"] = N(1), [":zero"] = N(0) },
                },
            },
        ], ct) is null;

    public async Task<bool> CreateDeliveryAsync(WebhookDelivery delivery, DateTimeOffset claimedUntil, CancellationToken ct) =>
        await RetrySafeWrites.TransactAsync(dynamo,
        [
            new() { Put = new Put { TableName = table, Item = DeliveryItem(delivery), ConditionExpression = "attribute_not_exists(id)" } },
            new() { Put = new Put { TableName = table, Item = RetryItem(delivery, claimedUntil), ConditionExpression = "attribute_not_exists(id)" } },
        ], ct) is null;

    public async Task<WebhookDelivery?> GetDeliveryAsync(string business, string webhookId, string deliveryId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(DeliveryItemId(deliveryId)), ConsistentRead = true }, ct)).Item;
        return item is { Count: > 0 } && item.GetString("business") == business && item.GetString("webhookId") == webhookId ? DeliveryFrom(item) : null;
    }

    public async Task<Page<WebhookDelivery>> DeliveriesAsync(string business, string webhookId, int limit, string? cursor, CancellationToken ct)
    {
        var ranking = LogRanking(webhookId);
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(ranking) },
            ScanIndexForward = false, Limit = limit,
            ExclusiveStartKey = cursor is null ? null : DecodeCursor(cursor, ranking),
        }, ct);
        return new Page<WebhookDelivery>((response.Items ?? []).Where(i => i.GetString("business") == business).Select(DeliveryFrom).ToList(),
            response.LastEvaluatedKey is { Count: > 0 } last ? EncodeCursor(last) : null);
    }

    public async Task<IReadOnlyList<WebhookRetry>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :due AND #rank <= :now",
            ExpressionAttributeNames = new() { ["#rank"] = "rank" },
            ExpressionAttributeValues = new() { [":due"] = S(RetryRanking), [":now"] = N(now.ToUnixTimeSeconds()) },
            Limit = limit,
        }, ct);
        return (response.Items ?? []).Select(i => new WebhookRetry(i.RequireString("business"), i.RequireString("webhookId"), i.RequireString("deliveryId"),
            DateTimeOffset.FromUnixTimeSeconds(i.GetLong("rank")))).ToList();
    }

    public async Task<bool> ClaimAsync(WebhookRetry due, DateTimeOffset claimedUntil, CancellationToken ct) =>
        await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = table, Key = Key(RetryItemId(due.DeliveryId)),
            UpdateExpression = "SET #rank = :until",
            ConditionExpression = "#rank = :read",
            ExpressionAttributeNames = new() { ["#rank"] = "rank" },
            ExpressionAttributeValues = new() { [":until"] = N(claimedUntil.ToUnixTimeSeconds()), [":read"] = N(due.DueAt.ToUnixTimeSeconds()) },
        }, ct);

    public async Task<bool> RecordAsync(WebhookDelivery after, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue> { [":claim"] = N(claimedUntil.ToUnixTimeSeconds()) };
        var names = new Dictionary<string, string> { ["#rank"] = "rank" };
        TransactWriteItem marker = after.NextAttemptAt is { } next
            ? new()
            {
                Update = new Update
                {
                    TableName = table, Key = Key(RetryItemId(after.Id)), UpdateExpression = "SET #rank = :next", ConditionExpression = "#rank = :claim",
                    ExpressionAttributeNames = names, ExpressionAttributeValues = new(values) { [":next"] = N(next.ToUnixTimeSeconds()) },
                },
            }
            : new()
            {
                Delete = new Delete
                {
                    TableName = table, Key = Key(RetryItemId(after.Id)), ConditionExpression = "#rank = :claim",
                    ExpressionAttributeNames = names, ExpressionAttributeValues = values,
                },
            };
        return await RetrySafeWrites.TransactAsync(dynamo, [VersionedPut(after), marker], ct) is null;
    }

    public async Task<bool> RecordResendAsync(WebhookDelivery after, CancellationToken ct)
    {
        var items = new List<TransactWriteItem> { VersionedPut(after) };
        if (after.Status != WebhookDeliveryStatus.Pending)
            items.Add(new() { Delete = new Delete { TableName = table, Key = Key(RetryItemId(after.Id)) } });
        return await RetrySafeWrites.TransactAsync(dynamo, items, ct) is null;
    }

    private TransactWriteItem VersionedPut(WebhookDelivery after) => new()
    {
        Put = new Put
        {
            TableName = table, Item = DeliveryItem(after), ConditionExpression = "version = :read",
            ExpressionAttributeValues = new() { [":read"] = N(after.Version - 1) },
        },
    };

    private static Dictionary<string, AttributeValue> EndpointItem(WebhookEndpoint e)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(EndpointItemId(e.Id)), ["entity"] = S("Webhook"), ["business"] = S(e.Business), ["webhookId"] = S(e.Id),
            ["url"] = S(e.Url), ["events"] = L(e.Events.Select(S).ToList()), ["enabled"] = new AttributeValue { BOOL = e.Enabled },
            ["secret"] = S(e.Secret), ["createdAt"] = Time(e.CreatedAt), ["updatedAt"] = Time(e.UpdatedAt), ["version"] = N(e.Version),
            ["createdBy"] = S(e.CreatedBy),
            ["rankedIn"] = S(EndpointRanking(e.Business)), ["rank"] = N(e.CreatedAt.ToUnixTimeMilliseconds()),
        };
        item.PutIfPresent("description", e.Description);
        item.PutIfPresent("previousSecret", e.PreviousSecret);
        if (e.PreviousSecretUntil is { } until) item["previousSecretUntil"] = Time(until);
        return item;
    }

    private static WebhookEndpoint EndpointFrom(Dictionary<string, AttributeValue> i) => new(
        i.RequireString("business"), i.RequireString("webhookId"), i.RequireString("url"), i.GetList("events").Select(v => v.S).ToList(),
        i.GetString("description"), i.GetBool("enabled"), i.RequireString("secret"), i.GetString("previousSecret"), i.GetTime("previousSecretUntil"),
        i.GetTime("createdAt") ?? DateTimeOffset.MinValue, i.GetTime("updatedAt") ?? DateTimeOffset.MinValue, i.GetLong("version"), i.GetString("createdBy") ?? "");

    private static Dictionary<string, AttributeValue> DeliveryItem(WebhookDelivery d)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(DeliveryItemId(d.Id)), ["entity"] = S("WebhookDelivery"), ["business"] = S(d.Business), ["webhookId"] = S(d.WebhookId),
            ["deliveryId"] = S(d.Id), ["eventId"] = S(d.EventId), ["eventType"] = S(d.EventType), ["payload"] = S(d.Payload),
            ["status"] = S(d.Status.ToString()), ["createdAt"] = Time(d.CreatedAt), ["scheduledTries"] = N(d.ScheduledTries), ["version"] = N(d.Version),
            ["attempts"] = L(d.Attempts.Select(AttemptItem).ToList()),
            ["rankedIn"] = S(LogRanking(d.WebhookId)), ["rank"] = N(d.CreatedAt.ToUnixTimeMilliseconds()),
        };
        if (d.NextAttemptAt is { } next) item["nextAttemptAt"] = Time(next);
        return item;
    }

    private static AttributeValue AttemptItem(WebhookAttempt a)
    {
        var map = new Dictionary<string, AttributeValue> { ["at"] = Time(a.At), ["durationMs"] = N(a.DurationMs), ["resend"] = new AttributeValue { BOOL = a.Resend } };
        if (a.StatusCode is { } status) map["statusCode"] = N(status);
        map.PutIfPresent("response", a.Response);
        map.PutIfPresent("error", a.Error);
        return M(map);
    }

    private static WebhookDelivery DeliveryFrom(Dictionary<string, AttributeValue> i) => new(
        i.RequireString("business"), i.RequireString("webhookId"), i.RequireString("deliveryId"), i.RequireString("eventId"), i.RequireString("eventType"),
        i.RequireString("payload"), Enum.Parse<WebhookDeliveryStatus>(i.RequireString("status")), i.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        i.GetList("attempts").Select(a => a.M).Select(a => new WebhookAttempt(a.GetTime("at") ?? DateTimeOffset.MinValue, a.GetInt("statusCode"),
            a.GetInt("durationMs") ?? 0, a.GetString("response"), a.GetString("error"), a.GetBool("resend"))).ToList(),
        i.GetInt("scheduledTries") ?? 0, i.GetTime("nextAttemptAt"), i.GetLong("version"));

    private static Dictionary<string, AttributeValue> RetryItem(WebhookDelivery d, DateTimeOffset at) => new()
    {
        ["id"] = S(RetryItemId(d.Id)), ["entity"] = S("WebhookRetry"), ["business"] = S(d.Business), ["webhookId"] = S(d.WebhookId),
        ["deliveryId"] = S(d.Id), ["rankedIn"] = S(RetryRanking), ["rank"] = N(at.ToUnixTimeSeconds()),
    };

    private static string EncodeCursor(Dictionary<string, AttributeValue> key) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Join('|', key["id"].S, key["rank"].N)));

    private static Dictionary<string, AttributeValue> DecodeCursor(string cursor, string ranking)
    {
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            if (parts.Length != 2 || !parts[0].StartsWith("webhookdelivery#", StringComparison.Ordinal)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw new InvalidCursorException();
            return new() { ["id"] = S(parts[0]), ["rankedIn"] = S(ranking), ["rank"] = new AttributeValue { N = parts[1] } };
        }
        catch (FormatException) { throw new InvalidCursorException(); }
    }
}
