using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using static SmallPay.Functions.Storage.Attributes;

namespace SmallPay.Functions.Storage;

/// <summary>A tenant's dashboard figures and the invoices changed last.</summary>
public sealed record TenantDashboard(DashboardSummary Summary, IReadOnlyList<Invoice> Recent);

/// <summary>
/// Each tenant's running <see cref="InvoiceTally"/> in the invoices table, kept by the invoice writes themselves: every
/// write that changes what an invoice adds to the dashboard carries the change as atomic ADDs in its own transaction, so
/// the total is exact and reading the dashboard costs the same for 10 invoices as for 10,000:
/// <list type="bullet">
/// <item><c>summary#{tenant}</c>: one number attribute per tally figure ("count:Open", "due:EUR:2026-11-30", …), except
/// revenue per customer, which lives in</item>
/// <item><c>revenue#{tenant}#{currency}#{customerId}</c>: ranked by amount in the "rank" index (partition <c>rankedIn</c>,
/// numeric sort <c>rank</c>), so the top customers are one query however many customers there are. Invoices are
/// ranked in the same index by their last change (<c>recent#{tenant}</c>): the recent invoices are one query too.</item>
/// </list>
/// A tenant whose invoices were written before the summary existed gets it built once, on the first dashboard read.
/// </summary>
internal sealed class TenantSummaries(IAmazonDynamoDB dynamo, string invoicesTable)
{
    private const string WritesAttribute = "writes";
    private const string BuiltAttribute = "built";

    /// <summary>The writes that add <paramref name="change"/> to the tenant's total (none when nothing changes).</summary>
    public List<TransactWriteItem> Writes(string tenant, InvoiceTally change, string? customerName)
    {
        var writes = new List<TransactWriteItem>();
        if (change.IsEmpty) return writes;

        var names = new Dictionary<string, string> { ["#writes"] = WritesAttribute };
        var values = new Dictionary<string, AttributeValue> { [":one"] = N(1), [":summary"] = S("Summary"), [":tenant"] = S(tenant) };
        var adds = new List<string> { "#writes :one" };
        foreach (var (name, value) in change.Figures)
        {
            if (name.StartsWith(InvoiceTally.RevenuePrefix, StringComparison.Ordinal))
            {
                var (currency, customerId) = SplitRevenue(name);
                writes.Add(new TransactWriteItem
                {
                    Update = new Update
                    {
                        TableName = invoicesTable,
                        Key = Key(ItemMapping.RevenueId(tenant, currency, customerId)),
                        UpdateExpression = "ADD #rank :amount SET entity = :revenue, rankedIn = :ranking, customerId = :customer, currency = :currency, #name = :name",
                        ExpressionAttributeNames = new() { ["#rank"] = "rank", ["#name"] = "name" },
                        ExpressionAttributeValues = new()
                        {
                            [":amount"] = N(value), [":revenue"] = S("Revenue"), [":ranking"] = S(ItemMapping.RevenueRanking(tenant, currency)),
                            [":customer"] = S(customerId), [":currency"] = S(currency), [":name"] = S(customerName ?? customerId),
                        },
                    },
                });
                continue;
            }
            var index = names.Count;
            names[$"#f{index}"] = name;
            values[$":f{index}"] = N(value);
            adds.Add($"#f{index} :f{index}");
        }
        writes.Insert(0, new TransactWriteItem
        {
            Update = new Update
            {
                TableName = invoicesTable,
                Key = Key(ItemMapping.SummaryId(tenant)),
                UpdateExpression = "ADD " + string.Join(", ", adds) + " SET entity = :summary, tenant = :tenant",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            },
        });
        return writes;
    }

    /// <summary>
    /// After a write that lowered open balances: removes the due dates it brought to zero, so the summary holds only the
    /// dates something is still owed for (it stays small). Best effort: a zero left behind is harmless and goes next time.
    /// </summary>
    public async Task TidyAsync(string tenant, InvoiceTally change, CancellationToken ct)
    {
        foreach (var (name, value) in change.Figures)
        {
            if (value >= 0 || !name.StartsWith(InvoiceTally.DuePrefix, StringComparison.Ordinal)) continue;
            var open = InvoiceTally.OpenPrefix + name[InvoiceTally.DuePrefix.Length..];
            try
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = invoicesTable,
                    Key = Key(ItemMapping.SummaryId(tenant)),
                    UpdateExpression = "REMOVE #due, #open",
                    ConditionExpression = "#due = :zero AND #open = :zero",
                    ExpressionAttributeNames = new() { ["#due"] = name, ["#open"] = open },
                    ExpressionAttributeValues = new() { [":zero"] = N(0) },
                }, ct);
            }
            catch (ConditionalCheckFailedException)
            {
                // still owed there (another invoice due the same day)
            }
            catch (Exception e) when (e is AmazonDynamoDBException or HttpRequestException or IOException)
            {
                return; // tidying can wait for the next write
            }
        }
    }

    public async Task<TenantDashboard> ReadAsync(string tenant, DateOnly today, int recentCount, Func<IAsyncEnumerable<Dictionary<string, AttributeValue>>> allInvoices, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(ItemMapping.SummaryId(tenant)), ConsistentRead = true }, ct)).Item;
        var tally = item is { Count: > 0 } && item.ContainsKey(BuiltAttribute)
            ? ToTally(item)
            : await BuildAsync(tenant, item, allInvoices, ct);

        var currencies = tally.WithPrefix(InvoiceTally.CurrencyPrefix).Select(c => c.Key).ToList();
        var top = new Dictionary<string, IReadOnlyList<CustomerRevenue>>(StringComparer.Ordinal);
        foreach (var currency in currencies)
        {
            var ranked = await TopAsync(ItemMapping.RevenueRanking(tenant, currency), DashboardCalculator.TopCustomerCount, ct);
            top[currency] = ranked.Select(r => new CustomerRevenue(r.GetString("customerId") ?? "", r.GetString("name") ?? "", r.GetDecimal("rank"))).ToList();
        }
        var recent = (await TopAsync(ItemMapping.RecentRanking(tenant), recentCount, ct)).Select(ItemMapping.ToInvoice).ToList();
        return new TenantDashboard(DashboardCalculator.Compute(tally, currency => top.GetValueOrDefault(currency) ?? [], today), recent);
    }

    private async Task<List<Dictionary<string, AttributeValue>>> TopAsync(string ranking, int count, CancellationToken ct) =>
        (await dynamo.QueryAsync(new QueryRequest
        {
            TableName = invoicesTable,
            IndexName = "rank",
            KeyConditionExpression = "rankedIn = :ranking",
            ExpressionAttributeValues = new() { [":ranking"] = S(ranking) },
            ScanIndexForward = false,
            Limit = count,
        }, ct)).Items ?? [];

    /// <summary>
    /// The summary of a tenant whose invoices predate it: summed over every invoice once, written only if no invoice write
    /// added to it meanwhile (its write counter is unchanged), else summed again. Their revenue rankings are written too, and
    /// invoices written before the "rank" index existed get their place in it.
    /// </summary>
    private async Task<InvoiceTally> BuildAsync(string tenant, Dictionary<string, AttributeValue>? seen, Func<IAsyncEnumerable<Dictionary<string, AttributeValue>>> allInvoices, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var writesSeen = seen is { Count: > 0 } ? seen.GetLong(WritesAttribute) : (long?)null;
            var items = new List<Dictionary<string, AttributeValue>>();
            await foreach (var item in allInvoices().WithCancellation(ct)) items.Add(item);
            var invoices = items.Select(ItemMapping.ToInvoice).ToList();
            var tally = InvoiceTally.Sum(invoices);

            var summary = new Dictionary<string, AttributeValue>
            {
                ["id"] = S(ItemMapping.SummaryId(tenant)), ["entity"] = S("Summary"), ["tenant"] = S(tenant),
                [BuiltAttribute] = S(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)), [WritesAttribute] = N(writesSeen ?? 0),
            };
            foreach (var (name, value) in tally.Figures)
                if (!name.StartsWith(InvoiceTally.RevenuePrefix, StringComparison.Ordinal)) summary[name] = N(value);
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = invoicesTable, Item = summary,
                    ConditionExpression = writesSeen is null ? "attribute_not_exists(id)" : "#writes = :seen",
                    ExpressionAttributeNames = writesSeen is null ? null : new() { ["#writes"] = WritesAttribute },
                    ExpressionAttributeValues = writesSeen is null ? null : new() { [":seen"] = N(writesSeen.Value) },
                }, ct);
            }
            catch (ConditionalCheckFailedException) when (attempt < 5)
            {
                seen = (await dynamo.GetItemAsync(new GetItemRequest { TableName = invoicesTable, Key = Key(ItemMapping.SummaryId(tenant)), ConsistentRead = true }, ct)).Item;
                if (seen is { Count: > 0 } && seen.ContainsKey(BuiltAttribute)) return ToTally(seen); // built by a concurrent read
                continue;
            }

            var names = invoices.GroupBy(i => i.Content.CustomerId).ToDictionary(g => g.Key, g => g.Last().Customer.Name, StringComparer.Ordinal);
            foreach (var (name, value) in tally.WithPrefix(InvoiceTally.RevenuePrefix))
            {
                var (currency, customerId) = SplitRevenue(InvoiceTally.RevenuePrefix + name);
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = invoicesTable,
                    Item = new()
                    {
                        ["id"] = S(ItemMapping.RevenueId(tenant, currency, customerId)), ["entity"] = S("Revenue"),
                        ["rankedIn"] = S(ItemMapping.RevenueRanking(tenant, currency)), ["rank"] = N(value),
                        ["customerId"] = S(customerId), ["currency"] = S(currency), ["name"] = S(names.GetValueOrDefault(customerId, customerId)),
                    },
                }, ct);
            }
            // Invoices written before the rank index existed get their place in it (newer ones have it).
            foreach (var invoice in items.Where(item => !item.ContainsKey("rankedIn")).Select(ItemMapping.ToInvoice))
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = invoicesTable, Key = Key(invoice.Id),
                    UpdateExpression = "SET rankedIn = if_not_exists(rankedIn, :ranking), #rank = if_not_exists(#rank, :rank)",
                    ConditionExpression = "attribute_exists(id)",
                    ExpressionAttributeNames = new() { ["#rank"] = "rank" },
                    ExpressionAttributeValues = new() { [":ranking"] = S(ItemMapping.RecentRanking(tenant)), [":rank"] = N(invoice.UpdatedAt.ToUnixTimeMilliseconds()) },
                }, ct);
            }
            return tally;
        }
    }

    private static InvoiceTally ToTally(Dictionary<string, AttributeValue> item) =>
        InvoiceTally.From(item.Where(a => a.Key.Contains(':') && a.Value.N is not null)
            .Select(a => KeyValuePair.Create(a.Key, decimal.Parse(a.Value.N, NumberStyles.Float, CultureInfo.InvariantCulture))));

    /// <summary>"revenue:EUR:cus_…" → (EUR, cus_…).</summary>
    private static (string Currency, string CustomerId) SplitRevenue(string name)
    {
        var rest = name[InvoiceTally.RevenuePrefix.Length..];
        var colon = rest.IndexOf(':');
        return (rest[..colon], rest[(colon + 1)..]);
    }
}
