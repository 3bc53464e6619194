using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Template;
using SmallPay.Local.Template;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Api;

/// <summary>
/// The per-business limit on the expensive requests (create, finalize, send: TENANT_REQUESTS_PER_MINUTE): counted
/// across those functions, exact under concurrency on DynamoDB Local, a 429 problem with Retry-After beyond it that
/// changed nothing, and no effect on any other business.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class TenantRateLimitTests(LocalStackFixture stack)
{
    // Mid-minute: the whole test runs in one window whatever the wall clock does.
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 4, 10, 15, 42, TimeSpan.Zero));

    private ILambdaHandler Function(string name, int limit)
    {
        var variables = new Dictionary<string, string>(stack.Host.FunctionVariables(name)) { ["TENANT_REQUESTS_PER_MINUTE"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return FunctionCatalog.Create(name, new FunctionServices(FunctionEnvironment.From(variables, _clock)));
    }

    private async Task<string> CustomerOfAsync(string tenant)
    {
        var created = await FunctionCatalog.Create("CreateCustomer", new FunctionServices(stack.EnvironmentFor("CreateCustomer")))
            .InvokeAsync(new ApiCall("POST", "/customers", tenant) { Body = ApiData.Customer() });
        Assert.Equal(201, created.Status);
        return created.Id;
    }

    [Fact]
    public async Task Twenty_concurrent_creates_against_a_limit_of_seven_make_seven_invoices_and_thirteen_429s()
    {
        var tenant = $"tenant-{Guid.NewGuid():N}";
        var customer = await CustomerOfAsync(tenant);
        var create = Function("CreateInvoice", limit: 7);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            create.InvokeAsync(new ApiCall("POST", "/invoices", tenant) { Body = ApiData.Invoice(customer) })));

        Assert.Equal(7, answers.Count(a => a.Status == 201));
        var refused = answers.Where(a => a.Status != 201).ToList();
        Assert.Equal(13, refused.Count);
        Assert.All(refused, answer =>
        {
            Assert.Equal(429, answer.Status);
            Assert.Equal("/problems/rate-limited", answer.ProblemType);
            Assert.Equal("18", answer.Headers["retry-after"]); // 10:15:42 → the next minute
            Assert.Contains("7 requests", answer.Json["detail"]!.GetValue<string>());
        });
        // Nothing was done for the refused ones: seven drafts, and the counter at the limit.
        var list = await FunctionCatalog.Create("ListInvoices", new FunctionServices(stack.EnvironmentFor("ListInvoices")))
            .InvokeAsync(new ApiCall("GET", "/invoices", tenant) { Query = new() { ["limit"] = "100" } });
        Assert.Equal(7, list.Json["items"]!.AsArray().Count);
        var counter = await stack.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = stack.FunctionEnvironment.Require("INVOICES_TABLE"),
            Key = new() { ["id"] = new AttributeValue { S = DynamoDbRateLimitStore.CounterId(tenant, _clock.Now) } },
            ConsistentRead = true,
        });
        Assert.Equal("7", counter.Item["count"].N);
        Assert.True(long.Parse(counter.Item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture) > _clock.Now.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task The_limit_counts_creates_finalizations_and_sends_together_per_business_and_resets_next_minute()
    {
        var tenant = $"tenant-{Guid.NewGuid():N}";
        var other = $"tenant-{Guid.NewGuid():N}";
        var customer = await CustomerOfAsync(tenant);
        var otherCustomer = await CustomerOfAsync(other);

        var draft = await Function("CreateInvoice", 3).InvokeAsync(new ApiCall("POST", "/invoices", tenant) { Body = ApiData.Invoice(customer) });
        var finalized = await Function("FinalizeInvoice", 3).InvokeAsync(new ApiCall("POST", $"/invoices/{draft.Id}/finalize", tenant) { RouteTemplate = "/invoices/{invoiceId}/finalize" });
        var customer2 = await Function("CreateCustomer", 3).InvokeAsync(new ApiCall("POST", "/customers", tenant) { Body = ApiData.Customer("Second Customer GmbH") });
        var fourth = await Function("SendInvoice", 3).InvokeAsync(new ApiCall("POST", $"/invoices/{draft.Id}/send", tenant) { RouteTemplate = "/invoices/{invoiceId}/send", Body = new { } });
        var otherBusiness = await Function("CreateInvoice", 3).InvokeAsync(new ApiCall("POST", "/invoices", other) { Body = ApiData.Invoice(otherCustomer) });

        Assert.Equal((201, 200, 201), (draft.Status, finalized.Status, customer2.Status));
        Assert.Equal(429, fourth.Status);
        Assert.Equal(201, otherBusiness.Status);
        // Nothing was sent: the invoice has no e-mail request.
        var invoice = await FunctionCatalog.Create("GetInvoice", new FunctionServices(stack.EnvironmentFor("GetInvoice")))
            .InvokeAsync(new ApiCall("GET", $"/invoices/{draft.Id}", tenant) { RouteTemplate = "/invoices/{invoiceId}" });
        Assert.Empty(invoice.Json["deliveries"]!.AsArray());

        _clock.Now = _clock.Now.AddSeconds(20); // 10:16:02: a new minute
        var later = await Function("SendInvoice", 3).InvokeAsync(new ApiCall("POST", $"/invoices/{draft.Id}/send", tenant) { RouteTemplate = "/invoices/{invoiceId}/send", Body = new { } });
        Assert.Equal(202, later.Status);
    }

    [Fact]
    public void The_template_limits_exactly_the_expensive_functions_with_its_parameter()
    {
        var limited = TemplateUnderTest.Template.ResourcesOfType("AWS::Serverless::Function")
            .Where(f => f.Properties["Environment"]?["Variables"]?["TENANT_REQUESTS_PER_MINUTE"] is not null)
            .ToDictionary(f => f.LogicalId, f => f.Properties["Environment"]!["Variables"]!["TENANT_REQUESTS_PER_MINUTE"]!["Ref"].AsText());

        Assert.Equal(["CreateCustomerFunction", "CreateInvoiceFunction", "CreateQuoteFunction", "CreateRecurringProfileFunction", "FinalizeInvoiceFunction", "IssueCreditNoteFunction", "SendCreditNoteFunction", "SendInvoiceFunction", "SendQuoteFunction", "SendReminderFunction"], limited.Keys.Order());
        Assert.All(limited.Values, parameter => Assert.Equal("TenantRequestsPerMinute", parameter));
        Assert.Equal(120, TemplateUnderTest.Template.Parameters["TenantRequestsPerMinute"]!["Default"].AsInt());
    }
}
