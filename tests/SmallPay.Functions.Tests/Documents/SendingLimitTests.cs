using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Documents;

/// <summary>
/// What a business may e-mail per day, over the in-memory API: a new business few recipients, one that has been paid
/// more, the operator's own limit above both; invitations count too; addresses that bounced or complained are refused.
/// </summary>
public sealed class SendingLimitTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly Clock _clock = new(new DateTimeOffset(2026, 11, 20, 22, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApi _api;

    public SendingLimitTests() => _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock, variables: new Dictionary<string, string>
    {
        ["SMTP_SENDER"] = "invoices@smallpay.test",
        ["SENDING_LIMIT_NEW"] = "5",
        ["SENDING_LIMIT"] = "12",
    }));

    private (ApiClient Api, string Business) NewBusiness()
    {
        var business = Guid.NewGuid().ToString();
        return (new ApiClient(_api.CreateClient(), InMemoryApi.Token(business)), business);
    }

    private static async Task<string> OpenInvoiceAsync(ApiClient api)
    {
        var customer = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201);
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        (await api.PostAsync($"/invoices/{invoice.Id}/finalize")).Expect(200);
        return invoice.Id;
    }

    private static object To(int count, string tag = "r") => new { to = Enumerable.Range(0, count).Select(i => $"{tag}{i}@customer.example").ToArray() };

    [Fact]
    public async Task A_new_business_may_email_its_daily_recipients_and_no_more_and_is_told_when_it_resets()
    {
        var (api, _) = NewBusiness();
        var invoice = await OpenInvoiceAsync(api);

        (await api.PostAsync($"/invoices/{invoice}/send", To(3))).Expect(202);
        var refused = (await api.PostAsync($"/invoices/{invoice}/send", To(3, "s"))).Expect(429);
        (await api.PostAsync($"/invoices/{invoice}/send", To(2, "t"))).Expect(202); // exactly up to the limit

        Assert.Equal("/problems/sending-limit", refused.Body["type"]!.GetValue<string>());
        Assert.Contains("5 recipients a day", refused.Body["detail"]!.GetValue<string>());
        Assert.Equal("7200", refused.Headers["retry-after"]); // 22:00 → midnight UTC
        Assert.Equal(2, (await api.GetAsync($"/invoices/{invoice}")).Expect(200).Body["deliveries"]!.AsArray().Count); // the refused one stored nothing
        (await api.PostAsync($"/invoices/{invoice}/send", To(1, "u"))).Expect(429);

        _clock.Now += TimeSpan.FromHours(2); // the next day
        (await api.PostAsync($"/invoices/{invoice}/send", To(1, "v"))).Expect(202);
    }

    [Fact]
    public async Task A_business_that_has_been_paid_gets_the_larger_limit_and_the_operator_can_set_its_own()
    {
        var (api, business) = NewBusiness();
        var invoice = await OpenInvoiceAsync(api);
        var due = (await api.GetAsync($"/invoices/{invoice}")).Expect(200).Body["totals"]!["balanceDue"]!.GetValue<decimal>();
        (await api.PostAsync($"/invoices/{invoice}/payments", new { amount = due, date = "2026-11-20", method = "BankTransfer" })).Expect(201);

        (await api.PostAsync($"/invoices/{invoice}/send", To(10))).Expect(202);
        (await api.PostAsync($"/invoices/{invoice}/send", To(3, "s"))).Expect(429);

        _api.Services.Stores.MailPolicy.SetOperatorLimit(business, 100);
        (await api.PostAsync($"/invoices/{invoice}/send", To(10, "t"))).Expect(202);
        var settings = (await api.GetAsync("/settings")).Expect(200).Body["sending"]!;
        Assert.Equal((100, 20, true), (settings["dailyLimit"]!.GetValue<int>(), settings["usedToday"]!.GetValue<int>(), settings["established"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Invitations_count_against_the_same_limit()
    {
        var (api, _) = NewBusiness();
        var invoice = await OpenInvoiceAsync(api);
        (await api.PostAsync($"/invoices/{invoice}/send", To(4))).Expect(202);

        (await api.PostAsync("/team/invitations", new { email = "one@example.com", role = "member" })).Expect(201);
        var refused = (await api.PostAsync("/team/invitations", new { email = "two@example.com", role = "member" })).Expect(429);

        Assert.Equal("/problems/sending-limit", refused.Body["type"]!.GetValue<string>());
        Assert.Single((await api.GetAsync("/team")).Expect(200).Body["invitations"]!.AsArray());
    }

    [Fact]
    public async Task An_address_that_bounced_or_complained_is_refused_with_a_pointer_to_it()
    {
        var (api, business) = NewBusiness();
        var invoice = await OpenInvoiceAsync(api);
        await _api.Services.Stores.MailPolicy.SuppressAsync(business, "Gone@Customer.example", "550 5.1.1 mailbox unknown", _clock.Now, CancellationToken.None);

        var refused = (await api.PostAsync($"/invoices/{invoice}/send", new { to = new[] { "ok@customer.example" }, cc = new[] { "gone@customer.example" } })).Expect(422);

        Assert.Equal("/problems/suppressed-recipient", refused.Body["type"]!.GetValue<string>());
        Assert.Equal(["/cc/0"], refused.ErrorPointers());
        Assert.Empty((await api.GetAsync($"/invoices/{invoice}")).Expect(200).Body["deliveries"]!.AsArray());
        var (other, _) = NewBusiness(); // another business's list is its own
        var theirs = await OpenInvoiceAsync(other);
        (await other.PostAsync($"/invoices/{theirs}/send", new { to = new[] { "gone@customer.example" } })).Expect(202);
    }
}

/// <summary>The limit on DynamoDB Local: concurrent sends can never pass it, because the count is part of each send's own write.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class SendingLimitConcurrencyTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Twenty_sends_at_once_against_a_limit_of_seven_let_exactly_seven_through()
    {
        var business = $"tenant-{Guid.NewGuid():N}";
        ILambdaHandler Function(string name)
        {
            var variables = stack.Host.FunctionVariables(name);
            variables["SENDING_LIMIT_NEW"] = "7";
            return FunctionCatalog.Create(name, FunctionEnvironment.From(variables));
        }
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", business) { Body = ApiData.Customer() });
        var invoice = await Function("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", business) { Body = ApiData.Invoice(customer.Id) });
        (await Function("FinalizeInvoice").InvokeAsync(new ApiCall("POST", $"/invoices/{invoice.Id}/finalize", business) { RouteTemplate = "/invoices/{invoiceId}/finalize" })).ToString();

        var send = Function("SendInvoice");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => send.InvokeAsync(
            new ApiCall("POST", $"/invoices/{invoice.Id}/send", business) { RouteTemplate = "/invoices/{invoiceId}/send", Body = new { to = new[] { $"p{i}@customer.example" } } })));

        Assert.Equal(7, answers.Count(a => a.Status == 202));
        Assert.Equal(13, answers.Count(a => a.Status == 429));
        var stored = await Function("GetInvoice").InvokeAsync(new ApiCall("GET", $"/invoices/{invoice.Id}", business) { RouteTemplate = "/invoices/{invoiceId}" });
        Assert.Equal(7, stored.Json["deliveries"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(3, 4)] // the day's first send, to more recipients than the whole limit
    [InlineData(0, 1)] // an operator's limit of 0 stops a business altogether
    public async Task The_days_first_send_over_the_limit_is_refused_although_no_counter_exists_yet(int limit, int recipients)
    {
        var business = $"tenant-{Guid.NewGuid():N}";
        ILambdaHandler Function(string name)
        {
            var variables = stack.Host.FunctionVariables(name);
            variables["SENDING_LIMIT_NEW"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return FunctionCatalog.Create(name, FunctionEnvironment.From(variables));
        }
        var customer = await Function("CreateCustomer").InvokeAsync(new ApiCall("POST", "/customers", business) { Body = ApiData.Customer() });
        var invoice = await Function("CreateInvoice").InvokeAsync(new ApiCall("POST", "/invoices", business) { Body = ApiData.Invoice(customer.Id) });

        // A draft, so the send would also finalize it: refused, it stays a draft and gets no number.
        var refused = await Function("SendInvoice").InvokeAsync(new ApiCall("POST", $"/invoices/{invoice.Id}/send", business)
        {
            RouteTemplate = "/invoices/{invoiceId}/send",
            Body = new { to = Enumerable.Range(0, recipients).Select(i => $"p{i}@customer.example").ToArray() },
        });

        Assert.Equal(429, refused.Status);
        Assert.Equal("/problems/sending-limit", refused.ProblemType);
        var stored = await Function("GetInvoice").InvokeAsync(new ApiCall("GET", $"/invoices/{invoice.Id}", business) { RouteTemplate = "/invoices/{invoiceId}" });
        Assert.Equal("Draft", stored.Json["status"]!.GetValue<string>());
        Assert.Empty(stored.Json["deliveries"]!.AsArray());
    }
}
