using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

public sealed record InvoiceQuery(
    IReadOnlyCollection<InvoiceStatus>? Statuses,
    bool OverdueOnly,
    string? CustomerId,
    DateOnly? IssuedFrom,
    DateOnly? IssuedTo,
    string? Search,
    int Limit,
    string? Cursor,
    DateOnly Today);

/// <summary>What a finalize attempt ran into.</summary>
public enum FinalizeOutcome { Finalized, InvoiceChanged, CounterMoved, NumberTaken }

/// <summary>The outcome, and when the counter moved, its current state if the store could see it (saves a re-read).</summary>
public sealed record FinalizeResult(FinalizeOutcome Outcome, BusinessSettings? CurrentCounter = null);

public interface IInvoiceStore
{
    Task<Invoice?> GetAsync(string tenant, string id, CancellationToken ct);
    /// <summary>Creates a draft and counts it on its customer. Throws <see cref="CustomerMissingException"/>.</summary>
    Task CreateAsync(Invoice invoice, CancellationToken ct);
    /// <summary>
    /// Writes <paramref name="updated"/> if the stored version is <paramref name="current"/>'s (updated.Version - 1); moves
    /// the customer count if the customer changed, and the tenant's dashboard total by what the change adds.
    /// </summary>
    Task UpdateAsync(Invoice current, Invoice updated, CancellationToken ct);
    /// <summary>
    /// Stores an e-mail request for a finalized invoice (its own item; the invoice itself does not change), within the
    /// sending <paramref name="quota"/>. Throws <see cref="SendingLimitException"/>, <see cref="StaleVersionException"/>
    /// (the invoice is gone, or was voided meanwhile).
    /// </summary>
    Task AddDeliveryAsync(Invoice invoice, DeliveryRequest request, SendingQuota quota, CancellationToken ct);
    Task DeleteAsync(Invoice draft, CancellationToken ct);
    /// <summary>Turns the invoice's automatic reminders off or on (not an edit: no new version). False: no such invoice of this tenant.</summary>
    Task<bool> SetRemindersOffAsync(string tenant, string invoiceId, bool off, CancellationToken ct);
    /// <summary>Atomically: the invoice (version-checked), the tenant's counter advancing from sequence to sequence + 1, and a claim on the number.</summary>
    /// <param name="quota">When the finalized invoice carries a new e-mail request (send a draft): its recipients, counted.</param>
    Task<FinalizeResult> FinalizeAsync(Invoice draft, Invoice finalized, long sequence, BusinessSettings settingsRead, CancellationToken ct, SendingQuota? quota = null);
    /// <summary>Moves the counter past a number that is already taken (the owner set the next number back).</summary>
    Task SkipTakenNumberAsync(string tenant, long sequence, BusinessSettings settingsRead, CancellationToken ct);
    /// <summary>A page of the tenant's invoices, newest issue date first, in at most two round trips to the table.</summary>
    Task<Page<Invoice>> ListAsync(string tenant, InvoiceQuery query, CancellationToken ct);
    IAsyncEnumerable<Invoice> AllAsync(string tenant, CancellationToken ct);

    /// <summary>
    /// Every invoice of the tenant issued from <paramref name="from"/> to <paramref name="to"/> (both included), drafts too,
    /// in no promised order: the CSV export's read. This default pages through <see cref="ListAsync"/>; the DynamoDB store
    /// reads the range with one query of the creator index (paged by DynamoDB's 1 MB, never a scan).
    /// </summary>
    async IAsyncEnumerable<Invoice> IssuedBetweenAsync(string tenant, DateOnly from, DateOnly to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(tenant, new InvoiceQuery(null, false, null, from, to, null, 100, cursor, to), ct);
            foreach (var invoice in page.Items) yield return invoice;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
    /// <summary>The dashboard's figures and the <paramref name="recentCount"/> invoices changed last: the same reads however many invoices.</summary>
    Task<TenantDashboard> DashboardAsync(string tenant, DateOnly today, int recentCount, CancellationToken ct);
}

public sealed class DynamoDbInvoiceStore(IAmazonDynamoDB dynamo, string invoicesTable, string customersTable) : IInvoiceStore
{
    private readonly TenantSummaries _summaries = new(dynamo, invoicesTable);

    public async Task<Invoice?> GetAsync(string tenant, string id, CancellationToken ct)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(id), ConsistentRead = true }, ct);
        var item = response.Item;
        return item is { Count: > 0 } && item.GetString("entity") == ItemMapping.EntityInvoice && item.GetString("creator") == tenant
            ? await WithDeliveriesAsync(ItemMapping.ToInvoice(item), ct)
            : null; // another tenant's invoice reads exactly like a missing one
    }

    public async Task CreateAsync(Invoice invoice, CancellationToken ct)
    {
        var items = CreateWrites(invoice);
        await TransactAsync(items, Describe(invoice), ct, reasons =>
            Failed(reasons, 0) ? new AlreadyExistsException()
            : Failed(reasons, 1) ? new CustomerMissingException() : null);
    }

    /// <summary>
    /// The writes that create a draft, for one transaction: the item (only if new), its count on the customer (who must be
    /// this tenant's), the dashboard's figures. Converting a quote adds the quote's own write to them.
    /// </summary>
    internal List<TransactWriteItem> CreateWrites(Invoice invoice)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Put = new Put { TableName = invoicesTable, Item = ItemMapping.ToItem(invoice), ConditionExpression = "attribute_not_exists(id)" } },
            CountOnCustomer(invoice.Tenant, invoice.Content.CustomerId, +1),
        };
        items.AddRange(_summaries.Writes(invoice.Tenant, InvoiceTally.Of(invoice), invoice.Customer.Name));
        return items;
    }

    public async Task UpdateAsync(Invoice current, Invoice updated, CancellationToken ct)
    {
        var update = VersionedUpdate(updated);
        var previousCustomerId = current.Content.CustomerId;
        var change = InvoiceTally.Change(current, updated);
        var deliveries = NewDeliveries(current, updated);
        if (previousCustomerId == updated.Content.CustomerId && change.IsEmpty && deliveries.Count == 0)
        {
            var applied = await RetrySafeWrites.UpdateAsync(dynamo, new UpdateItemRequest
            {
                TableName = update.TableName, Key = update.Key, UpdateExpression = update.UpdateExpression,
                ConditionExpression = update.ConditionExpression,
                ExpressionAttributeNames = update.ExpressionAttributeNames, ExpressionAttributeValues = update.ExpressionAttributeValues,
            }, ct);
            if (!applied) throw new StaleVersionException(Describe(updated));
            return;
        }
        var items = new List<TransactWriteItem> { new() { Update = update } };
        if (previousCustomerId != updated.Content.CustomerId)
        {
            items.Add(CountOnCustomer(updated.Tenant, updated.Content.CustomerId, +1));
            items.Add(CountOnCustomer(updated.Tenant, previousCustomerId, -1));
        }
        items.AddRange(deliveries);
        items.AddRange(_summaries.Writes(updated.Tenant, change, updated.Customer.Name));
        var customerCheck = previousCustomerId != updated.Content.CustomerId;
        await TransactAsync(items, Describe(updated), ct, reasons => customerCheck && Failed(reasons, 1) ? new CustomerMissingException() : null);
        await _summaries.TidyAsync(updated.Tenant, change, ct);
    }

    /// <summary>
    /// The writes of a versioned change of an invoice that keeps its customer, for a transaction of another store's (a
    /// credit note, a refund): the invoice's update and the dashboard figures the change moves.
    /// </summary>
    internal List<TransactWriteItem> ChangeWrites(Invoice current, Invoice updated, InvoiceTally change)
    {
        var items = new List<TransactWriteItem> { new() { Update = VersionedUpdate(updated) } };
        items.AddRange(_summaries.Writes(updated.Tenant, change, updated.Customer.Name));
        return items;
    }

    internal Task TidyAsync(string tenant, InvoiceTally change, CancellationToken ct) => _summaries.TidyAsync(tenant, change, ct);

    public async Task<bool> SetRemindersOffAsync(string tenant, string invoiceId, bool off, CancellationToken ct)
    {
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = invoicesTable, Key = Key(invoiceId),
                // changedBy "reminders": the documents pipe forwards only the API's changes; this one needs no new PDF.
                UpdateExpression = "SET remindersOff = :off, changedBy = :by",
                ConditionExpression = "creator = :tenant AND entity = :invoice",
                ExpressionAttributeValues = new()
                {
                    [":off"] = new AttributeValue { BOOL = off }, [":by"] = S("reminders"), [":tenant"] = S(tenant), [":invoice"] = S(ItemMapping.EntityInvoice),
                },
            }, ct);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task AddDeliveryAsync(Invoice invoice, DeliveryRequest request, SendingQuota quota, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Put = new Put
                {
                    TableName = invoicesTable, Item = ItemMapping.ToItem(invoice.Id, invoice.Tenant, request),
                    ConditionExpression = "attribute_not_exists(id)",
                },
            },
            // Only for this tenant's invoice, as long as it is not void.
            new()
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = invoicesTable, Key = Key(invoice.Id),
                    ConditionExpression = "creator = :tenant AND #status <> :void",
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = new() { [":tenant"] = S(invoice.Tenant), [":void"] = S(nameof(InvoiceStatus.Void)) },
                },
            },
            quota.Reserve(invoicesTable),
        };
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is not { } reasons) return;
        if (Failed(reasons, 0)) return; // this very request, repeated under its Idempotency-Key: it is stored already
        if (Failed(reasons, 2)) throw quota.Exceeded(reasons[2].Item);
        throw new StaleVersionException(Describe(invoice));
    }

    /// <summary>The e-mail requests <paramref name="updated"/> has that <paramref name="current"/> has not: each becomes its own item.</summary>
    private List<TransactWriteItem> NewDeliveries(Invoice current, Invoice updated) =>
        updated.DeliveryRequests
            .Where(request => current.DeliveryRequests.All(known => known.RequestId != request.RequestId))
            .Select(request => new TransactWriteItem
            {
                Put = new Put
                {
                    TableName = invoicesTable, Item = ItemMapping.ToItem(updated.Id, updated.Tenant, request),
                    ConditionExpression = "attribute_not_exists(id)",
                },
            })
            .ToList();

    /// <summary>The invoice's e-mail requests and their outcomes: the items (newer) after those an older invoice item holds.</summary>
    public async Task<Invoice> WithDeliveriesAsync(Invoice invoice, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = invoicesTable, IndexName = "rank",
                KeyConditionExpression = "rankedIn = :ranking",
                ExpressionAttributeValues = new() { [":ranking"] = S(ItemMapping.DeliveriesRanking(invoice.Id)) },
                ExclusiveStartKey = start,
            }, ct);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return Deliveries.Merge(invoice, items.Select(ItemMapping.ToDelivery));
    }

    public async Task DeleteAsync(Invoice draft, CancellationToken ct)
    {
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Delete = new Delete
                {
                    TableName = invoicesTable, Key = Key(draft.Id),
                    // The tenant's own draft, as reads check it: an Invoice built with another tenant's id deletes nothing.
                    ConditionExpression = "version = :v AND #status = :draft AND creator = :tenant AND entity = :invoice",
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = new()
                    {
                        [":v"] = N(draft.Version), [":draft"] = S(nameof(InvoiceStatus.Draft)),
                        [":tenant"] = S(draft.Tenant), [":invoice"] = S(ItemMapping.EntityInvoice),
                    },
                },
            },
            CountOnCustomer(draft.Tenant, draft.Content.CustomerId, -1),
        };
        items.AddRange(_summaries.Writes(draft.Tenant, InvoiceTally.Change(draft, null), draft.Customer.Name));
        await TransactAsync(items, Describe(draft), ct, _ => null);
    }

    public async Task<FinalizeResult> FinalizeAsync(Invoice draft, Invoice finalized, long sequence, BusinessSettings settingsRead, CancellationToken ct, SendingQuota? quota = null)
    {
        var items = new List<TransactWriteItem>
        {
            new() { Update = VersionedUpdate(finalized) },
            AdvanceCounter(finalized.Tenant, sequence, settingsRead),
            new()
            {
                Put = new Put
                {
                    TableName = invoicesTable,
                    Item = new() { ["id"] = S($"number#{finalized.Tenant}#{finalized.Number}"), ["entity"] = S("NumberClaim"), ["invoiceId"] = S(finalized.Id) },
                    ConditionExpression = "attribute_not_exists(id)",
                },
            },
        };
        // From now on the invoice awaits payment: the reminder schedule looks at it (RunReminders).
        items.Add(DynamoDbReminderStore.Put(invoicesTable, ReminderMarker.For(finalized)));
        items.AddRange(NewDeliveries(draft, finalized));
        var quotaAt = quota is null ? -1 : items.Count;
        if (quota is not null) items.Add(quota.Reserve(invoicesTable));
        items.AddRange(_summaries.Writes(finalized.Tenant, InvoiceTally.Change(draft, finalized), finalized.Customer.Name));
        var reasons = await RetrySafeWrites.TransactAsync(dynamo, items, ct, retryConflicts: false);
        if (reasons is null) return new FinalizeResult(FinalizeOutcome.Finalized);
        if (quota is not null && Failed(reasons, quotaAt)) throw quota.Exceeded(reasons[quotaAt].Item);
        if (Failed(reasons, 0)) return new FinalizeResult(FinalizeOutcome.InvoiceChanged);
        if (Failed(reasons, 1))
        {
            var current = reasons[1].Item is { Count: > 0 } item ? ItemMapping.ToSettings(item) : null;
            return new FinalizeResult(FinalizeOutcome.CounterMoved, current);
        }
        if (Failed(reasons, 2)) return new FinalizeResult(FinalizeOutcome.NumberTaken);
        return new FinalizeResult(FinalizeOutcome.CounterMoved); // TransactionConflict: a concurrent finalize touched the counter
    }

    public async Task SkipTakenNumberAsync(string tenant, long sequence, BusinessSettings settingsRead, CancellationToken ct)
    {
        try { await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [AdvanceCounter(tenant, sequence, settingsRead)] }, ct); }
        catch (Exception e) when (e is TransactionCanceledException or TransactionConflictException) { /* someone else moved it: the caller re-reads */ }
    }

    public async Task<Page<Invoice>> ListAsync(string tenant, InvoiceQuery query, CancellationToken ct)
    {
        var names = new Dictionary<string, string> { ["#creator"] = "creator", ["#sortKey"] = "sortKey" };
        var values = new Dictionary<string, AttributeValue>
        {
            [":tenant"] = S(tenant),
            [":from"] = S(query.IssuedFrom is { } from ? $"{from:yyyy-MM-dd}" : "0000"),
            [":to"] = S(query.IssuedTo is { } to ? $"{to:yyyy-MM-dd}#~" : "9999"),
        };
        var filters = new List<string>();
        if (query.OverdueOnly)
        {
            names["#status"] = "status";
            values[":open"] = S(nameof(InvoiceStatus.Open));
            values[":partial"] = S(nameof(InvoiceStatus.PartiallyPaid));
            values[":today"] = S($"{query.Today:yyyy-MM-dd}");
            values[":zero"] = N(0m);
            filters.Add("#status IN (:open, :partial) AND dueDate < :today AND balanceDue > :zero");
        }
        else if (query.Statuses is { Count: > 0 } statuses)
        {
            names["#status"] = "status";
            var placeholders = statuses.Select((s, i) => { values[$":s{i}"] = S(s.ToString()); return $":s{i}"; });
            filters.Add($"#status IN ({string.Join(", ", placeholders)})");
        }
        if (query.CustomerId is { } customerId) { values[":customer"] = S(customerId); filters.Add("customerId = :customer"); }
        if (query.Search is { } search) { values[":q"] = S(search.ToLowerInvariant()); filters.Add("contains(searchText, :q)"); }

        var request = new QueryRequest
        {
            TableName = invoicesTable,
            IndexName = "creator",
            KeyConditionExpression = "#creator = :tenant AND #sortKey BETWEEN :from AND :to",
            FilterExpression = filters.Count > 0 ? string.Join(" AND ", filters) : null,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ScanIndexForward = false, // newest issue date first
        };
        return await Paging.QueryPageAsync(dynamo, request, tenant, query.Limit, query.Cursor, "inv_", ItemMapping.ToInvoice, ct);
    }

    public Task<TenantDashboard> DashboardAsync(string tenant, DateOnly today, int recentCount, CancellationToken ct) =>
        _summaries.ReadAsync(tenant, today, recentCount, () => AllItemsAsync(tenant, ct), ct);

    public async IAsyncEnumerable<Invoice> AllAsync(string tenant, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in AllItemsAsync(tenant, ct)) yield return ItemMapping.ToInvoice(item);
    }

    public async IAsyncEnumerable<Invoice> IssuedBetweenAsync(string tenant, DateOnly from, DateOnly to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = invoicesTable, IndexName = "creator",
                KeyConditionExpression = "#creator = :tenant AND #sortKey BETWEEN :from AND :to",
                ExpressionAttributeNames = new() { ["#creator"] = "creator", ["#sortKey"] = "sortKey" },
                ExpressionAttributeValues = new() { [":tenant"] = S(tenant), [":from"] = S($"{from:yyyy-MM-dd}"), [":to"] = S($"{to:yyyy-MM-dd}#~") },
                ExclusiveStartKey = start,
            }, ct);
            foreach (var item in response.Items ?? []) yield return ItemMapping.ToInvoice(item);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> AllItemsAsync(string tenant, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = invoicesTable, IndexName = "creator",
                KeyConditionExpression = "#creator = :tenant",
                ExpressionAttributeNames = new() { ["#creator"] = "creator" },
                ExpressionAttributeValues = new() { [":tenant"] = S(tenant) },
                ExclusiveStartKey = start,
            }, ct);
            foreach (var item in response.Items ?? []) yield return item;
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
    }

    /// <summary>
    /// An invoice write after creation: SET every attribute the API owns and REMOVE the optional ones it cleared, if the
    /// stored version is the one the change was based on. Never a whole-item Put, so the worker's <c>document</c> and
    /// <c>deliveryResults</c> survive every API write.
    /// </summary>
    private Update VersionedUpdate(Invoice updated)
    {
        var attributes = ItemMapping.ApiAttributes(updated);
        attributes.Remove("id");
        var names = new Dictionary<string, string> { ["#version"] = "version", ["#creator"] = "creator" };
        var values = new Dictionary<string, AttributeValue> { [":expected"] = N(updated.Version - 1), [":tenant"] = S(updated.Tenant) };
        var sets = new List<string>(attributes.Count);
        var index = 0;
        foreach (var (name, value) in attributes)
        {
            // Placeholders for every name: status, number, name and many more are DynamoDB reserved words.
            names[$"#a{index}"] = name;
            values[$":a{index}"] = value;
            sets.Add($"#a{index} = :a{index}");
            index++;
        }
        var removes = new List<string>();
        foreach (var name in ItemMapping.OptionalApiAttributes.Where(name => !attributes.ContainsKey(name)))
        {
            names[$"#r{removes.Count}"] = name;
            removes.Add($"#r{removes.Count}");
        }
        return new Update
        {
            TableName = invoicesTable,
            Key = Key(updated.Id),
            UpdateExpression = "SET " + string.Join(", ", sets) + (removes.Count > 0 ? " REMOVE " + string.Join(", ", removes) : ""),
            ConditionExpression = "#version = :expected AND #creator = :tenant",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    private TransactWriteItem CountOnCustomer(string tenant, string customerId, int delta) => new()
    {
        Update = new Update
        {
            TableName = customersTable, Key = Key(customerId),
            UpdateExpression = "ADD invoiceCount :delta",
            ConditionExpression = "creator = :tenant AND entity = :customer",
            ExpressionAttributeValues = new() { [":delta"] = N(delta), [":tenant"] = S(tenant), [":customer"] = S(ItemMapping.EntityCustomer) },
        },
    };

    private TransactWriteItem AdvanceCounter(string tenant, long sequence, BusinessSettings settingsRead)
    {
        if (settingsRead.Version == 0)
        {
            // Never saved: create the settings item with its defaults and the advanced counter.
            var created = ItemMapping.ToItem(tenant, settingsRead with { NextNumber = sequence + 1, Version = 1 });
            return new() { Put = new Put { TableName = invoicesTable, Item = created, ConditionExpression = "attribute_not_exists(id)", ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD } };
        }
        return new()
        {
            Update = new Update
            {
                TableName = invoicesTable, Key = Key(ItemMapping.SettingsId(tenant)),
                UpdateExpression = "SET nextNumber = :next, version = version + :one",
                ConditionExpression = "nextNumber = :current AND tenant = :tenant",
                // A lost race returns the counter as it is now: the retry needs no extra read.
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                ExpressionAttributeValues = new() { [":next"] = N(sequence + 1), [":current"] = N(sequence), [":one"] = N(1), [":tenant"] = S(tenant) },
            },
        };
    }

    private async Task TransactAsync(List<TransactWriteItem> items, string what, CancellationToken ct, Func<List<CancellationReason>, Exception?> explain)
    {
        if (await RetrySafeWrites.TransactAsync(dynamo, items, ct) is { } reasons)
            throw explain(reasons) ?? new StaleVersionException(what);
    }

    private static string Describe(Invoice invoice) => $"Invoice {invoice.Number ?? invoice.Id}";

    private static bool Failed(List<CancellationReason> reasons, int index) =>
        reasons.ElementAtOrDefault(index)?.Code == "ConditionalCheckFailed";
}

/// <summary>The cursor was not one this API issued.</summary>
public sealed class InvalidCursorException() : Exception("The cursor is not valid.");
