using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Storage;

/// <summary>
/// The dashboard on DynamoDB Local reads a running total kept by the invoice writes; the in-memory store sums every
/// invoice. After the same requests both must show the same dashboard, and the DynamoDB one must cost the same few reads
/// however many invoices there are. Lists cost at most two queries a page, whatever the filter.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class TenantSummaryTests(LocalStackFixture stack)
{
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly InMemoryFunctionServices _memory = new();
    private readonly LostResponseHandler _network = new((_, _) => false); // counts every request, drops none

    private ILambdaHandler Dynamo(string name)
    {
        var environment = stack.EnvironmentFor(name);
        return FunctionCatalog.Create(name, new FunctionServices(environment, new AwsClients(environment, new AwsTransport(() => _network))));
    }

    /// <summary>The same request to the DynamoDB-backed function and the in-memory one; both answers must agree on status.</summary>
    private async Task<ApiAnswer> BothAsync(string function, ApiCall call)
    {
        var dynamo = await Dynamo(function).InvokeAsync(call);
        var memory = await _memory.Function(function).InvokeAsync(call);
        Assert.True(dynamo.Status == memory.Status, $"{function}: DynamoDB {dynamo} but in memory {memory}");
        return dynamo;
    }

    private static ApiCall Route(string tenant, string method, string path, string template, object? body = null) =>
        new(method, path, tenant) { RouteTemplate = template, Body = body };

    private static object Payment(decimal amount, string date) => new { amount, date, method = "bankTransfer" };

    [Fact]
    public async Task The_running_total_shows_exactly_what_summing_every_invoice_shows()
    {
        // Ids come from Idempotency-Keys, so both stores hold the very same customers and invoices.
        var customerA = await BothAsync("CreateCustomer", new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer("Zeta AG", "zeta@example.com") }.IdempotencyKey("a"));
        var customerB = await BothAsync("CreateCustomer", new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer("Alpha Ltd", "alpha@example.com") }.IdempotencyKey("b"));
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var customer = i % 3 == 0 ? customerB.Id : customerA.Id;
            var currency = i % 4 == 3 ? "USD" : "EUR";
            var created = await BothAsync("CreateInvoice", new ApiCall("POST", "/invoices", _tenant)
            {
                Body = ApiData.Invoice(customer, currency, issueDate: $"2026-1{i % 2}-0{i + 1}", dueDate: $"2026-1{i % 2}-2{i}"),
            }.IdempotencyKey($"inv-{i}"));
            ids.Add(created.Id);
        }
        // Drafts stay drafts, one is deleted, the rest are finalized; then payments (partial, full), a void and an edit.
        await BothAsync("DeleteInvoice", Route(_tenant, "DELETE", $"/invoices/{ids[7]}", "/invoices/{invoiceId}"));
        foreach (var id in ids.Take(6))
            await BothAsync("FinalizeInvoice", Route(_tenant, "POST", $"/invoices/{id}/finalize", "/invoices/{invoiceId}/finalize"));
        await BothAsync("RecordPayment", Route(_tenant, "POST", $"/invoices/{ids[0]}/payments", "/invoices/{invoiceId}/payments", Payment(100m, "2026-11-20")).IdempotencyKey("p0"));
        await BothAsync("RecordPayment", Route(_tenant, "POST", $"/invoices/{ids[0]}/payments", "/invoices/{invoiceId}/payments", Payment(50.5m, "2026-10-02")).IdempotencyKey("p1"));
        var second = await _memory.Function("GetInvoice").InvokeAsync(Route(_tenant, "GET", $"/invoices/{ids[1]}", "/invoices/{invoiceId}"));
        await BothAsync("RecordPayment", Route(_tenant, "POST", $"/invoices/{ids[1]}/payments", "/invoices/{invoiceId}/payments",
            Payment(second.Json["totals"]!["balanceDue"]!.GetValue<decimal>(), "2026-11-21")).IdempotencyKey("p2"));
        await BothAsync("RecordPayment", Route(_tenant, "POST", $"/invoices/{ids[3]}/payments", "/invoices/{invoiceId}/payments", Payment(12.34m, "2026-11-22")).IdempotencyKey("p3"));
        await BothAsync("VoidInvoice", Route(_tenant, "POST", $"/invoices/{ids[2]}/void", "/invoices/{invoiceId}/void", new { reason = "wrong" }));

        foreach (var today in new[] { "2026-11-01", "2026-11-25", "2027-03-01" })
        {
            var call = new ApiCall("GET", "/dashboard", _tenant);
            var atDay = new InMemoryFunctionServices(_memory.Stores, new FixedClock(DateTimeOffset.Parse(today + "T12:00:00Z")));
            var memory = await atDay.Function("GetDashboard").InvokeAsync(call);
            var environment = FunctionEnvironment.From(stack.Host.FunctionVariables("GetDashboard"), new FixedClock(DateTimeOffset.Parse(today + "T12:00:00Z")));
            var dynamo = await FunctionCatalog.Create("GetDashboard", new FunctionServices(environment)).InvokeAsync(call);
            Assert.Equal(200, dynamo.Status);
            Assert.True(JsonNode.DeepEquals(memory.Json, dynamo.Json), $"as of {today}:\nDynamoDB  {dynamo.Text}\nin memory {memory.Text}");
        }
    }

    [Fact]
    public async Task A_tenant_whose_invoices_predate_the_summary_gets_it_built_once_on_the_first_dashboard()
    {
        var customer = await Dynamo("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        for (var i = 0; i < 3; i++)
        {
            var invoice = await Dynamo("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) });
            await Dynamo("FinalizeInvoice").InvokeAsync(Route(_tenant, "POST", $"/invoices/{invoice.Id}/finalize", "/invoices/{invoiceId}/finalize"));
            await Dynamo("RecordPayment").InvokeAsync(Route(_tenant, "POST", $"/invoices/{invoice.Id}/payments", "/invoices/{invoiceId}/payments", Payment(10m, "2026-11-20")));
        }
        var expected = await Dynamo("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", _tenant));
        // As an installation upgraded from a version without the summary has it: no summary, no rankings.
        var table = stack.FunctionEnvironment.Require("INVOICES_TABLE");
        await stack.DynamoDb.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue { S = $"summary#{_tenant}" } } });
        await stack.DynamoDb.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue { S = $"revenue#{_tenant}#EUR#{customer.Id}" } } });

        var rebuilt = await Dynamo("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", _tenant));
        var again = await Dynamo("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", _tenant));

        Assert.True(JsonNode.DeepEquals(expected.Json, rebuilt.Json), $"before {expected.Text}\nrebuilt {rebuilt.Text}");
        Assert.True(JsonNode.DeepEquals(expected.Json, again.Json));
        Assert.Equal(30m, rebuilt.Json["currencies"]![0]!["received"]!.GetValue<decimal>());
        Assert.Equal(customer.Id, rebuilt.Json["currencies"]![0]!["topCustomers"]![0]!["customerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dashboard_costs_the_same_reads_for_3_invoices_as_for_60()
    {
        async Task<int> DashboardRequestsAsync(string tenant, int invoices)
        {
            var customer = await Dynamo("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", tenant) { Body = ApiData.Customer() });
            for (var i = 0; i < invoices; i++)
            {
                var invoice = await Dynamo("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", tenant) { Body = ApiData.Invoice(customer.Id) });
                if (i % 2 == 0) await Dynamo("FinalizeInvoice").InvokeAsync(Route(tenant, "POST", $"/invoices/{invoice.Id}/finalize", "/invoices/{invoiceId}/finalize"));
            }
            // The first dashboard of a tenant turns the writes' running figures into a summary, once (one query page).
            Assert.Equal(200, (await Dynamo("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", tenant))).Status);
            var before = _network.Operations.Count;
            Assert.Equal(200, (await Dynamo("GetDashboard").InvokeAsync(new ApiCall("GET", "/dashboard", tenant))).Status);
            return _network.Operations.Count - before;
        }

        var small = await DashboardRequestsAsync(_tenant + "-small", 3);
        var large = await DashboardRequestsAsync(_tenant + "-large", 60);

        Assert.Equal(small, large);
        Assert.Equal(4, large); // the summary, the top customers of its one currency, the recent invoices, the recurring profiles
    }

    [Theory]
    [InlineData("status=paid")]
    [InlineData("status=overdue")]
    [InlineData("q=nothing-matches-this")]
    [InlineData("")]
    public async Task A_page_of_invoices_costs_at_most_two_queries_whatever_the_filter(string filter)
    {
        var customer = await Dynamo("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        for (var i = 0; i < 30; i++)
            await Dynamo("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", _tenant) { Body = ApiData.Invoice(customer.Id) });
        var query = filter.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { [filter.Split('=')[0]] = filter.Split('=')[1] };
        query["limit"] = "10";

        var before = _network.Operations.Count;
        var page = await Dynamo("ListInvoices").InvokeAsync(new ApiCall("GET", "/invoices", _tenant) { Query = query });

        Assert.Equal(200, page.Status);
        Assert.InRange(_network.Operations.Skip(before).Count(o => o == "Query"), 1, 2);
        Assert.Equal(filter.Length == 0 ? 10 : 0, page.Json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Pages_of_a_selective_filter_together_hold_every_match_once()
    {
        var customer = await Dynamo("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", _tenant) { Body = ApiData.Customer() });
        var finalized = new HashSet<string>();
        for (var i = 0; i < 45; i++)
        {
            var invoice = await Dynamo("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", _tenant)
                { Body = ApiData.Invoice(customer.Id, issueDate: $"2026-10-{i % 28 + 1:00}") });
            if (i % 7 != 0) continue;
            await Dynamo("FinalizeInvoice").InvokeAsync(Route(_tenant, "POST", $"/invoices/{invoice.Id}/finalize", "/invoices/{invoiceId}/finalize"));
            finalized.Add(invoice.Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var query = new Dictionary<string, string> { ["status"] = "open", ["limit"] = "2" };
            if (cursor is not null) query["cursor"] = cursor;
            var page = await Dynamo("ListInvoices").InvokeAsync(new ApiCall("GET", "/invoices", _tenant) { Query = query });
            seen.AddRange(page.Json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);

        Assert.Equal(finalized.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
