using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>What an issue attempt ran into.</summary>
public enum IssueOutcome { Issued, AlreadyIssued, InvoiceChanged, CounterMoved, NumberTaken }

public sealed record IssueResult(IssueOutcome Outcome, BusinessSettings? CurrentCounter = null);

public interface ICreditNoteStore
{
    /// <summary>The business's credit note, or null (another business's reads like a missing one).</summary>
    Task<CreditNote?> GetAsync(string business, string creditNoteId, CancellationToken ct);
    /// <summary>A page of the business's credit notes, newest first, optionally only those of one invoice.</summary>
    Task<Page<CreditNote>> ListAsync(string business, string? invoiceId, int limit, string? cursor, CancellationToken ct);
    /// <summary>
    /// One transaction: the credit note (only if new), the invoice credited (only if still <paramref name="current"/>'s
    /// version: so concurrent credit notes can never together credit more than is left), the credit note counter advancing
    /// from <paramref name="sequence"/>, a claim on the number, the dashboard's figures, and the reminder marker gone
    /// when the credit settles the invoice.
    /// </summary>
    /// <remarks><paramref name="delivery"/> (<c>send: true</c>): the e-mail request and the day's sending quota are in the same transaction. Throws <see cref="SendingLimitException"/>.</remarks>
    Task<IssueResult> IssueAsync(Invoice current, Invoice credited, CreditNote note, long sequence, BusinessSettings settingsRead, CancellationToken ct,
        (DeliveryRequest Request, SendingQuota Quota)? delivery = null);
    /// <summary>
    /// One transaction: the e-mail request (its own item, only if new: the same request again writes nothing), a check that
    /// the credit note is the business's, and the day's sending quota. Throws <see cref="SendingLimitException"/>.
    /// </summary>
    Task AddDeliveryAsync(CreditNote note, DeliveryRequest request, SendingQuota quota, CancellationToken ct);
    /// <summary>Moves the credit note counter past a number that is already taken (the owner set the next number back).</summary>
    Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct);
    /// <summary>One transaction: the refund on the credit note and on its invoice (both version-checked), and the dashboard's figures. Throws <see cref="StaleVersionException"/>.</summary>
    Task RefundAsync(CreditNote current, CreditNote refunded, Invoice invoice, Invoice listed, CancellationToken ct);
}

/// <summary>
/// Credit notes in the invoices table as <c>crn_…</c> items (entity <c>CreditNote</c>, <c>business</c>, ranked in
/// <c>credit-notes#{business}</c> by issue time in ms). The shape is a contract: the activity history and domain events
/// read it from the table's stream (docs/ARCHITECTURE.md). Numbers are claimed by <c>credit-note-number#{business}#{number}</c>
/// items; the counter is the settings' <c>creditNoteNextNumber</c>.
/// </summary>
public sealed class DynamoDbCreditNoteStore(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable) : ICreditNoteStore
{
    public const string Entity = "CreditNote";

    private readonly DynamoDbInvoiceStore _invoices = new(dynamo, invoicesTable, customersTable);

    public static string Ranking(string business) => $"credit-notes#{business}";
    public static string NumberClaimId(string business, string number) => $"credit-note-number#{business}#{number}";

    public async Task<CreditNote?> GetAsync(string business, string creditNoteId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(creditNoteId), ConsistentRead = true }, ct)).Item;
        if (item is not { Count: > 0 } || item.GetString("entity") != Entity || item.GetString("business") != business) return null;
        var note = FromItem(item);
        return note.WithDocumentState(await _invoices.WithDeliveriesAsync(note.AsDocument(), ct));
    }

    public async Task AddDeliveryAsync(CreditNote note, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(note.Id, note.Tenant, request), ConditionExpression = "attribute_not_exists(id)" } },
            new()
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = invoicesTable, Key = Key(note.Id),
                    ConditionExpression = "business = :business AND entity = :entity",
                    ExpressionAttributeValues = new() { [":business"] = S(note.Tenant), [":entity"] = S(Entity) },
                },
            },
            quota.Reserve(invoicesTable),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return;
        if (Failed(reasons, 0)) return; // this very request again (its Idempotency-Key): stored already
        if (Failed(reasons, 2)) throw quota.Exceeded(reasons[2].Item);
        throw new NotFoundException($"Credit note {note.Number}");
    }

    public async Task<Page<CreditNote>> ListAsync(string business, string? invoiceId, int limit, string? cursor, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue> { [":ranking"] = S(Ranking(business)) };
        string? filter = null;
        if (invoiceId is not null) { values[":invoice"] = S(invoiceId); filter = "invoiceId = :invoice"; }
        Dictionary<string, AttributeValue>? start = null;
        if (cursor is not null) start = DecodeCursor(cursor, business) ?? throw new InvalidCursorException();
        var notes = new List<CreditNote>();
        // A filter (one invoice's notes: at most 50) reads ahead so a page rarely needs a second round trip.
        for (var trip = 0; trip < Paging.MaxRoundTrips && notes.Count < limit; trip++)
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = invoicesTable, IndexName = "rank",
                KeyConditionExpression = "rankedIn = :ranking", FilterExpression = filter,
                ExpressionAttributeValues = values, ScanIndexForward = false,
                Limit = filter is null ? limit - notes.Count : Paging.FilteredReadAhead, ExclusiveStartKey = start,
            }, ct);
            foreach (var item in response.Items ?? [])
            {
                if (notes.Count == limit) return new Page<CreditNote>(notes, EncodeCursor(start)); // resumes after the last one returned
                notes.Add(FromItem(item));
                start = KeyOf(item);
            }
            if (response.LastEvaluatedKey is not { Count: > 0 }) return new Page<CreditNote>(notes, null);
            start = response.LastEvaluatedKey;
        }
        return new Page<CreditNote>(notes, EncodeCursor(start));
    }

    /// <summary>
    /// A credit note numbered elsewhere, written with its invoice and its number claim but leaving the counter alone (the
    /// sample data's). False: the credit note exists, or the invoice changed.
    /// </summary>
    public async Task<bool> WriteNumberedAsync(Invoice current, Invoice credited, CreditNote note, CancellationToken ct)
    {
        var items = IssueWrites(current, credited, note, counter: null, out var change);
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not null) return false;
        await _invoices.TidyAsync(credited.Tenant, change, ct);
        return true;
    }

    public async Task<IssueResult> IssueAsync(Invoice current, Invoice credited, CreditNote note, long sequence, BusinessSettings settingsRead, CancellationToken ct,
        (DeliveryRequest Request, SendingQuota Quota)? delivery = null)
    {
        var items = IssueWrites(current, credited, note, AdvanceCounter(note.Tenant, sequence, settingsRead), out var change);
        var quotaIndex = -1;
        if (delivery is { } send)
        {
            items.Add(new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(note.Id, note.Tenant, send.Request), ConditionExpression = "attribute_not_exists(id)" } });
            quotaIndex = items.Count;
            items.Add(send.Quota.Reserve(invoicesTable));
        }
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct, retryConflicts: false);
        if (reasons is null)
        {
            await _invoices.TidyAsync(credited.Tenant, change, ct);
            return new IssueResult(IssueOutcome.Issued);
        }
        if (Failed(reasons, 0)) return new IssueResult(IssueOutcome.AlreadyIssued);
        if (delivery is { } refused && Failed(reasons, quotaIndex)) throw refused.Quota.Exceeded(reasons[quotaIndex].Item);
        if (Failed(reasons, 2)) return new IssueResult(IssueOutcome.InvoiceChanged);
        if (Failed(reasons, 3))
            return new IssueResult(IssueOutcome.CounterMoved, reasons[3].Item is { Count: > 0 } item ? ItemMapping.ToSettings(item) : null);
        if (Failed(reasons, 1)) return new IssueResult(IssueOutcome.NumberTaken);
        return new IssueResult(IssueOutcome.CounterMoved); // TransactionConflict: a concurrent issue touched the counter or the invoice
    }

    /// <summary>[0] the credit note (new only), [1] the number claim, [2] the invoice's versioned update, [3] the counter (when given), the dashboard, the reminder marker.</summary>
    private List<TransactWriteItem> IssueWrites(Invoice current, Invoice credited, CreditNote note, TransactWriteItem? counter, out InvoiceTally change)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Put = new Put { TableName = invoicesTable, Item = ToItem(note), ConditionExpression = "attribute_not_exists(id)" } },
            new()
            {
                Put = new Put
                {
                    TableName = invoicesTable,
                    Item = new() { ["id"] = S(NumberClaimId(note.Tenant, note.Number)), ["entity"] = S("CreditNoteNumberClaim"), ["creditNoteId"] = S(note.Id) },
                    ConditionExpression = "attribute_not_exists(id)",
                },
            },
        };
        change = InvoiceTally.Change(current, credited);
        var invoiceWrites = _invoices.ChangeWrites(current, credited, change);
        items.Add(invoiceWrites[0]); // [2]: the invoice
        if (counter is not null) items.Add(counter); // [3]: the counter
        items.AddRange(invoiceWrites.Skip(1));
        if (credited.Status == InvoiceStatus.Paid && current.Status != InvoiceStatus.Paid)
            items.Add(new() { Delete = new Delete { TableName = invoicesTable, Key = Key(DynamoDbReminderStore.ItemId(current.Id)) } });
        return items;
    }

    public async Task SkipTakenNumberAsync(string business, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        try { await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [AdvanceCounter(business, sequence, settingsRead)] }, ct); }
        catch (Exception e) when (e is TransactionCanceledException or TransactionConflictException) { /* moved by someone else: the caller re-reads */ }
    }

    public async Task RefundAsync(CreditNote current, CreditNote refunded, Invoice invoice, Invoice listed, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Update = new Update
                {
                    TableName = invoicesTable, Key = Key(current.Id),
                    UpdateExpression = "SET refunds = :refunds, refunded = :refunded, owed = :owed, version = :next, updatedBy = :by, changedBy = :api",
                    ConditionExpression = "version = :expected AND business = :business AND entity = :entity",
                    ExpressionAttributeValues = new()
                    {
                        [":refunds"] = RefundsList(refunded), [":refunded"] = N(refunded.Refunded), [":owed"] = N(refunded.Owed),
                        [":next"] = N(refunded.Version), [":by"] = S(refunded.UpdatedBy ?? ItemMapping.ChangedByApi), [":api"] = S(ItemMapping.ChangedByApi),
                        [":expected"] = N(current.Version), [":business"] = S(current.Tenant), [":entity"] = S(Entity),
                    },
                },
            },
        };
        var change = InvoiceTally.Change(invoice, listed);
        items.AddRange(_invoices.ChangeWrites(invoice, listed, change));
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not null) throw new StaleVersionException($"Credit note {current.Number}");
        await _invoices.TidyAsync(listed.Tenant, change, ct);
    }

    private TransactWriteItem AdvanceCounter(string business, long sequence, BusinessSettings settingsRead)
    {
        if (settingsRead.Version == 0)
        {
            var created = ItemMapping.ToItem(business, settingsRead with { CreditNoteNextNumber = sequence + 1, Version = 1 });
            return new() { Put = new Put { TableName = invoicesTable, Item = created, ConditionExpression = "attribute_not_exists(id)", ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD } };
        }
        return new()
        {
            Update = new Update
            {
                TableName = invoicesTable, Key = Key(ItemMapping.SettingsId(business)),
                UpdateExpression = "SET creditNoteNextNumber = :next, version = version + :one",
                // Settings saved before credit notes existed have no counter: that is sequence 1.
                ConditionExpression = (sequence == 1 ? "(attribute_not_exists(creditNoteNextNumber) OR creditNoteNextNumber = :current)" : "creditNoteNextNumber = :current") + " AND tenant = :tenant",
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                ExpressionAttributeValues = new() { [":next"] = N(sequence + 1), [":current"] = N(sequence), [":one"] = N(1), [":tenant"] = S(business) },
            },
        };
    }

    internal static Dictionary<string, AttributeValue> ToItem(CreditNote note)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(note.Id),
            ["entity"] = S(Entity),
            ["business"] = S(note.Tenant),
            ["invoiceId"] = S(note.InvoiceId),
            ["invoiceNumber"] = S(note.InvoiceNumber),
            ["number"] = S(note.Number),
            ["currency"] = S(note.Currency),
            ["total"] = N(note.Total),
            ["reason"] = S(note.Reason),
            ["issuedAt"] = Time(note.IssuedAt),
            ["issueDate"] = Date(note.IssueDate),
            ["changedBy"] = S(ItemMapping.ChangedByApi),
            ["updatedBy"] = S(note.UpdatedBy ?? ItemMapping.ChangedByApi),
            ["version"] = N(note.Version),
            ["rankedIn"] = S(Ranking(note.Tenant)),
            ["rank"] = N(note.IssuedAt.ToUnixTimeMilliseconds()),
            ["customerId"] = S(note.CustomerId),
            ["customer"] = M(ItemMapping.ToMap(note.Customer)),
            ["lines"] = L(note.Lines.Select(l =>
            {
                var map = new Dictionary<string, AttributeValue>
                {
                    ["description"] = S(l.Description), ["quantity"] = N(l.Quantity), ["unitPrice"] = N(l.UnitPrice),
                    ["discountPercent"] = N(l.DiscountPercent), ["taxRatePercent"] = N(l.TaxRatePercent),
                };
                if (l.LineIndex is { } index) map["lineIndex"] = N(index);
                return M(map);
            }).ToList()),
            ["discountKind"] = S(note.Discount.Kind.ToString()),
            ["discountValue"] = N(note.Discount.Value),
            ["owed"] = N(note.Owed),
            ["refunded"] = N(note.Refunded),
            ["refunds"] = RefundsList(note),
        };
        return item;
    }

    private static AttributeValue RefundsList(CreditNote note) => L(note.Refunds.Select(r => M(new Dictionary<string, AttributeValue>
    {
        ["id"] = S(r.Id), ["amount"] = N(r.Amount), ["date"] = Date(r.Date), ["method"] = S(r.Method.ToString()), ["recordedAt"] = Time(r.RecordedAt),
    }.WithOptional("note", r.Note))).ToList());

    internal static CreditNote FromItem(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item.RequireString("id"),
        Tenant = item.RequireString("business"),
        InvoiceId = item.RequireString("invoiceId"),
        InvoiceNumber = item.RequireString("invoiceNumber"),
        Number = item.RequireString("number"),
        Currency = item.RequireString("currency"),
        CustomerId = item.RequireString("customerId"),
        Customer = ItemMapping.ToSnapshot(item.GetMap("customer")),
        Reason = item.RequireString("reason"),
        IssuedAt = item.GetTime("issuedAt")!.Value,
        IssueDate = item.GetDate("issueDate")!.Value,
        Lines = item.GetList("lines").Select(l => new CreditNoteLine(
            l.M.GetInt("lineIndex"), l.M.RequireString("description"), l.M.GetDecimal("quantity"), l.M.GetDecimal("unitPrice"),
            l.M.GetDecimal("discountPercent"), l.M.GetDecimal("taxRatePercent"))).ToList(),
        Discount = new InvoiceDiscount(Enum.Parse<DiscountKind>(item.GetString("discountKind") ?? nameof(DiscountKind.Percent)), item.GetDecimal("discountValue")),
        Owed = item.GetDecimal("owed"),
        Refunds = item.GetList("refunds").Select(r => new CreditNoteRefund(
            r.M.RequireString("id"), r.M.GetDecimal("amount"), r.M.GetDate("date")!.Value, Enum.Parse<PaymentMethod>(r.M.RequireString("method")),
            r.M.GetString("note"), r.M.GetTime("recordedAt")!.Value)).ToList(),
        Version = item.GetLong("version"),
        Document = item.GetMap("document") is { } document ? ItemMapping.ToDocument(document) : null,
        UpdatedBy = item.GetString("updatedBy"),
        UpdatedAt = item.GetList("refunds").Count > 0 ? item.GetList("refunds").Max(r => r.M.GetTime("recordedAt")!.Value) : item.GetTime("issuedAt")!.Value,
    };

    private static Dictionary<string, AttributeValue> KeyOf(Dictionary<string, AttributeValue> item) => new()
    {
        ["id"] = item["id"], ["rankedIn"] = item["rankedIn"], ["rank"] = item["rank"],
    };

    private static string? EncodeCursor(Dictionary<string, AttributeValue>? key) =>
        key?.GetString("id") is { } id && key.TryGetValue("rank", out var rank) ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{id}\n{rank.N}")) : null;

    /// <summary>Only a cursor this list issued: a credit note id and a rank; the partition is always the caller's business.</summary>
    private static Dictionary<string, AttributeValue>? DecodeCursor(string cursor, string business)
    {
        if (cursor.Length > 200) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length != 2 || !SmallPay.Domain.Ids.IsWellFormed(parts[0], "crn")
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rank)) return null;
            return new() { ["id"] = S(parts[0]), ["rankedIn"] = S(Ranking(business)), ["rank"] = N(rank) };
        }
        catch (FormatException) { return null; }
    }

    private static bool Failed(List<CancellationReason> reasons, int index) => reasons.ElementAtOrDefault(index)?.Code == "ConditionalCheckFailed";
}
