using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Quotes;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>The customer's answer on the quote's page.</summary>
public sealed record QuoteAnswer(bool Accept, string? Name, DateTimeOffset At);

public interface IQuoteStore
{
    /// <summary>The business's quote with its e-mails, or null (another business's reads like a missing one).</summary>
    Task<Quote?> GetAsync(string business, string quoteId, CancellationToken ct);
    Task CreateAsync(Quote quote, CancellationToken ct);
    /// <summary>Writes a draft's edit if the stored version is <paramref name="current"/>'s and it is still a draft; else <see cref="StaleVersionException"/>.</summary>
    Task UpdateAsync(Quote current, Quote updated, CancellationToken ct);
    Task DeleteAsync(Quote draft, CancellationToken ct);
    /// <summary>The business's quotes, newest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<Quote>> ListAsync(string business, int limit, CancellationToken ct);
    /// <summary>
    /// Atomically: the sent quote (version-checked), the business's quote counter advancing from <paramref name="sequence"/>,
    /// a claim on the number, its first e-mail request and its recipients counted against the sending limit.
    /// </summary>
    Task<FinalizeResult> SendAsync(Quote draft, Quote sent, long sequence, BusinessSettings settingsRead, DeliveryRequest delivery, SendingQuota quota, CancellationToken ct);
    /// <summary>Moves the quote counter past a number that is already taken (the owner set the next number back).</summary>
    Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct);
    /// <summary>An e-mail request for a quote sent before (its own item), within the quota; <see cref="StaleVersionException"/> when it is no longer sent.</summary>
    Task AddDeliveryAsync(Quote quote, DeliveryRequest request, SendingQuota quota, CancellationToken ct);
    /// <summary>
    /// Records the customer's accept or decline, once: only while the quote is sent, not past its last day
    /// (<paramref name="today"/>), and its links were not revoked after <paramref name="linkCreatedAt"/>. False: nothing written.
    /// </summary>
    Task<bool> AnswerAsync(string business, string quoteId, QuoteAnswer answer, DateOnly today, DateTimeOffset linkCreatedAt, CancellationToken ct);
    /// <summary>
    /// One transaction: the quote becomes <paramref name="converted"/> if it is still accepted and not converted, and the
    /// draft <paramref name="invoice"/> is created. False: converted (or changed) meanwhile, nothing written.
    /// Throws <see cref="CustomerMissingException"/>.
    /// </summary>
    Task<bool> ConvertAsync(Quote accepted, Quote converted, Invoice invoice, CancellationToken ct);
}

/// <summary>
/// Quotes in the invoices table as <c>quo_…</c> items (entity <c>Quote</c>, <c>business</c>; ranked in
/// <c>quotes#{business}</c> by creation). The API owns <c>quote</c> (the content as JSON), <c>version</c>, <c>status</c>,
/// <c>validUntil</c>, <c>number</c>, <c>invoiceId</c> and <c>convertedAt</c>, and writes them with UpdateItem SETs, so
/// what the page (<c>acceptedAt</c>, <c>acceptedBy</c>, <c>declinedAt</c>, <c>viewedAt</c>, <c>linksRevokedAt</c>) and
/// the worker (<c>document</c>) write survives every API write. The Pipe's filter passes no Quote item: a quote's PDF and
/// e-mail are made when its e-mail request (a <c>delivery#quo_…#dlv_…</c> item) arrives.
/// </summary>
public sealed class DynamoDbQuoteStore(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable) : IQuoteStore
{
    public const string Entity = "Quote";
    public const string ChangedByPage = DynamoDbDocumentLinkStore.ChangedByPage;

    private readonly DynamoDbInvoiceStore _invoices = new(dynamo, invoicesTable, customersTable);

    public static string Ranking(string business) => $"quotes#{business}";
    public static string NumberClaimId(string business, string number) => $"quote-number#{business}#{number}";

    public async Task<Quote?> GetAsync(string business, string quoteId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(quoteId), ConsistentRead = true }, ct)).Item;
        if (item is not { Count: > 0 } || item.GetString("entity") != Entity || item.GetString("business") != business) return null;
        var quote = FromItem(item);
        return quote.WithDocumentState(await _invoices.WithDeliveriesAsync(quote.AsDocument(), ct));
    }

    public async Task CreateAsync(Quote quote, CancellationToken ct)
    {
        if (!await RetrySafeWrites.PutAsync(dynamo, new PutItemRequest { TableName = invoicesTable, Item = ToItem(quote), ConditionExpression = "attribute_not_exists(id)" }, ct))
            throw new AlreadyExistsException();
    }

    public async Task UpdateAsync(Quote current, Quote updated, CancellationToken ct)
    {
        var update = VersionedUpdate(current, updated, requireDraft: true);
        if (!await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
            {
                TableName = update.TableName, Key = update.Key, UpdateExpression = update.UpdateExpression, ConditionExpression = update.ConditionExpression,
                ExpressionAttributeNames = update.ExpressionAttributeNames, ExpressionAttributeValues = update.ExpressionAttributeValues,
            }, ct))
            throw new StaleVersionException($"Quote {updated.Number ?? updated.Id}");
    }

    public async Task DeleteAsync(Quote draft, CancellationToken ct)
    {
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = invoicesTable, Key = Key(draft.Id),
                ConditionExpression = "version = :v AND #status = :draft AND business = :business AND entity = :quote",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = new()
                {
                    [":v"] = N(draft.Version), [":draft"] = S(nameof(QuoteStatus.Draft)), [":business"] = S(draft.Tenant), [":quote"] = S(Entity),
                },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StaleVersionException($"Quote {draft.Id}");
        }
    }

    public async Task<IReadOnlyList<Quote>> ListAsync(string business, int limit, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = invoicesTable, IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(Ranking(business)) },
            ScanIndexForward = false, Limit = limit,
        }, ct);
        return (response.Items ?? []).Where(i => i.GetString("business") == business && i.GetString("entity") == Entity).Select(FromItem).ToList();
    }

    public async Task<FinalizeResult> SendAsync(Quote draft, Quote sent, long sequence, BusinessSettings settingsRead, DeliveryRequest delivery, SendingQuota quota, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Update = VersionedUpdate(draft, sent, requireDraft: true) },
            AdvanceCounter(sent.Tenant, sequence, settingsRead),
            new()
            {
                Put = new Put
                {
                    TableName = invoicesTable,
                    Item = new() { ["id"] = S(NumberClaimId(sent.Tenant, sent.Number!)), ["entity"] = S("QuoteNumberClaim"), ["quoteId"] = S(sent.Id) },
                    ConditionExpression = "attribute_not_exists(id)",
                },
            },
            new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(sent.Id, sent.Tenant, delivery), ConditionExpression = "attribute_not_exists(id)" } },
            quota.Reserve(invoicesTable),
        };
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct, retryConflicts: false);
        if (reasons is null) return new FinalizeResult(FinalizeOutcome.Finalized);
        if (Failed(reasons, 4)) throw quota.Exceeded(reasons[4].Item);
        if (Failed(reasons, 0)) return new FinalizeResult(FinalizeOutcome.InvoiceChanged);
        if (Failed(reasons, 1))
            return new FinalizeResult(FinalizeOutcome.CounterMoved, reasons[1].Item is { Count: > 0 } item ? ItemMapping.ToSettings(item) : null);
        if (Failed(reasons, 2)) return new FinalizeResult(FinalizeOutcome.NumberTaken);
        return new FinalizeResult(FinalizeOutcome.CounterMoved);
    }

    public async Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        try { await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [AdvanceCounter(business, sequence, settingsRead)] }, ct); }
        catch (Exception e) when (e is TransactionCanceledException or TransactionConflictException) { /* moved by someone else: the caller re-reads */ }
    }

    public async Task AddDeliveryAsync(Quote quote, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(quote.Id, quote.Tenant, request), ConditionExpression = "attribute_not_exists(id)" } },
            new()
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = invoicesTable, Key = Key(quote.Id),
                    ConditionExpression = "business = :business AND entity = :quote AND #status = :sent",
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = new() { [":business"] = S(quote.Tenant), [":quote"] = S(Entity), [":sent"] = S(nameof(QuoteStatus.Sent)) },
                },
            },
            quota.Reserve(invoicesTable),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return;
        if (Failed(reasons, 0)) return; // this very request again (its Idempotency-Key): stored already
        if (Failed(reasons, 2)) throw quota.Exceeded(reasons[2].Item);
        throw new StaleVersionException($"Quote {quote.Number ?? quote.Id}");
    }

    public Task<bool> AnswerAsync(string business, string quoteId, QuoteAnswer answer, DateOnly today, DateTimeOffset linkCreatedAt, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":answered"] = S(answer.Accept ? nameof(QuoteStatus.Accepted) : nameof(QuoteStatus.Declined)),
            [":at"] = Time(answer.At), [":page"] = S(ChangedByPage), [":business"] = S(business), [":quote"] = S(Entity),
            [":sent"] = S(nameof(QuoteStatus.Sent)), [":today"] = Date(today), [":linkMade"] = Time(linkCreatedAt),
        };
        var set = answer.Accept ? "SET #status = :answered, acceptedAt = :at, acceptedBy = :name, changedBy = :page" : "SET #status = :answered, declinedAt = :at, changedBy = :page";
        if (answer.Accept) values[":name"] = S(answer.Name ?? "");
        // Once: only over a sent quote still valid today whose links were not withdrawn after this one was made.
        return RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
        {
            TableName = invoicesTable, Key = Key(quoteId),
            UpdateExpression = set,
            ConditionExpression = "entity = :quote AND business = :business AND #status = :sent AND validUntil >= :today"
                                  + " AND (attribute_not_exists(linksRevokedAt) OR linksRevokedAt < :linkMade)",
            ExpressionAttributeNames = new() { ["#status"] = "status" },
            ExpressionAttributeValues = values,
        }, ct);
    }

    public async Task<bool> ConvertAsync(Quote accepted, Quote converted, Invoice invoice, CancellationToken ct)
    {
        var update = VersionedUpdate(accepted, converted, requireDraft: false);
        update.ConditionExpression = "entity = :quote AND business = :business AND #status = :accepted AND attribute_not_exists(invoiceId)";
        update.ExpressionAttributeNames["#status"] = "status";
        update.ExpressionAttributeValues.Remove(":expected");
        update.ExpressionAttributeValues[":quote"] = S(Entity);
        update.ExpressionAttributeValues[":accepted"] = S(nameof(QuoteStatus.Accepted));
        // The version moves on from the stored one (the page's answer does not move it).
        update.UpdateExpression = update.UpdateExpression.Replace("#version = :next", "#version = #version + :one", StringComparison.Ordinal);
        update.ExpressionAttributeValues.Remove(":next");
        update.ExpressionAttributeValues[":one"] = N(1);
        var items = new List<TransactWriteItem> { new() { Update = update } };
        items.AddRange(_invoices.CreateWrites(invoice));
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct);
        if (reasons is null) return true;
        if (Failed(reasons, 2) && !Failed(reasons, 0)) throw new CustomerMissingException();
        return false;
    }

    /// <summary>The API's attributes of <paramref name="updated"/>, SET over the stored ones if the version is <paramref name="current"/>'s.</summary>
    private Update VersionedUpdate(Quote current, Quote updated, bool requireDraft)
    {
        var names = new Dictionary<string, string> { ["#version"] = "version", ["#status"] = "status", ["#quote"] = "quote" };
        var values = new Dictionary<string, AttributeValue>
        {
            [":expected"] = N(current.Version), [":next"] = N(updated.Version), [":business"] = S(current.Tenant),
            [":status"] = S(updated.Status.ToString()), [":body"] = S(Body(updated)), [":validUntil"] = Date(updated.ValidUntil), [":api"] = S(ItemMapping.ChangedByApi),
        };
        var set = "SET #quote = :body, #version = :next, #status = :status, validUntil = :validUntil, changedBy = :api";
        if (updated.Number is { } number) { set += ", #number = :number"; names["#number"] = "number"; values[":number"] = S(number); }
        if (updated.InvoiceId is { } invoiceId) { set += ", invoiceId = :invoiceId, convertedAt = :convertedAt"; values[":invoiceId"] = S(invoiceId); values[":convertedAt"] = Time(updated.ConvertedAt ?? updated.UpdatedAt); }
        var condition = "#version = :expected AND business = :business";
        if (requireDraft) { condition += " AND #status = :draft"; values[":draft"] = S(nameof(QuoteStatus.Draft)); }
        return new Update
        {
            TableName = invoicesTable, Key = Key(updated.Id), UpdateExpression = set, ConditionExpression = condition,
            ExpressionAttributeNames = names, ExpressionAttributeValues = values,
        };
    }

    private TransactWriteItem AdvanceCounter(string business, long sequence, BusinessSettings settingsRead)
    {
        if (settingsRead.Version == 0)
        {
            var created = ItemMapping.ToItem(business, settingsRead with { QuoteNextNumber = sequence + 1, Version = 1 });
            return new() { Put = new Put { TableName = invoicesTable, Item = created, ConditionExpression = "attribute_not_exists(id)", ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD } };
        }
        return new()
        {
            Update = new Update
            {
                TableName = invoicesTable, Key = Key(ItemMapping.SettingsId(business)),
                UpdateExpression = "SET quoteNextNumber = :next, version = version + :one",
                // Settings saved before quotes existed have no counter: that is sequence 1.
                ConditionExpression = (sequence == 1 ? "(attribute_not_exists(quoteNextNumber) OR quoteNextNumber = :current)" : "quoteNextNumber = :current") + " AND tenant = :tenant",
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                ExpressionAttributeValues = new() { [":next"] = N(sequence + 1), [":current"] = N(sequence), [":one"] = N(1), [":tenant"] = S(business) },
            },
        };
    }

    private static Dictionary<string, AttributeValue> ToItem(Quote quote)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(quote.Id),
            ["entity"] = S(Entity),
            ["business"] = S(quote.Tenant),
            ["quote"] = S(Body(quote)),
            ["version"] = N(quote.Version),
            ["status"] = S(quote.Status.ToString()),
            ["validUntil"] = Date(quote.ValidUntil),
            ["rankedIn"] = S(Ranking(quote.Tenant)),
            ["rank"] = N(quote.CreatedAt.ToUnixTimeMilliseconds()),
            ["changedBy"] = S(ItemMapping.ChangedByApi),
        };
        item.PutIfPresent("number", quote.Number);
        return item;
    }

    private static string Body(Quote quote) => JsonSerializer.Serialize(
        new QuoteBody(quote.Content, quote.Customer, quote.CreatedAt, quote.UpdatedAt, quote.UpdatedBy, quote.SentAt), QuoteJsonContext.Default.QuoteBody);

    internal static Quote FromItem(Dictionary<string, AttributeValue> item)
    {
        var body = JsonSerializer.Deserialize(item.RequireString("quote"), QuoteJsonContext.Default.QuoteBody)
                   ?? throw new InvalidDataException($"Quote {item.GetString("id")} has no body.");
        return new Quote
        {
            Id = item.RequireString("id"),
            Tenant = item.RequireString("business"),
            Number = item.GetString("number"),
            Status = Enum.Parse<QuoteStatus>(item.RequireString("status")),
            Content = body.Content,
            Customer = body.Customer,
            ValidUntil = item.GetDate("validUntil")!.Value,
            Version = item.GetLong("version"),
            CreatedAt = body.CreatedAt,
            UpdatedAt = body.UpdatedAt,
            UpdatedBy = body.UpdatedBy,
            SentAt = body.SentAt,
            AcceptedAt = item.GetTime("acceptedAt"),
            AcceptedBy = item.GetString("acceptedBy"),
            DeclinedAt = item.GetTime("declinedAt"),
            InvoiceId = item.GetString("invoiceId"),
            ConvertedAt = item.GetTime("convertedAt"),
            ViewedAt = item.GetTime("viewedAt"),
            LinksRevokedAt = item.GetTime("linksRevokedAt"),
            Document = item.GetMap("document") is { } document ? ItemMapping.ToDocument(document) : null,
        };
    }

    private static bool Failed(List<CancellationReason> reasons, int index) => reasons.ElementAtOrDefault(index)?.Code == "ConditionalCheckFailed";
}

/// <summary>What the API owns of a quote beyond its indexed attributes, stored as JSON in <c>quote</c>.</summary>
public sealed record QuoteBody(InvoiceContent Content, CustomerSnapshot Customer, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? UpdatedBy, DateTimeOffset? SentAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QuoteBody))]
internal sealed partial class QuoteJsonContext : JsonSerializerContext;
