using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

/// <summary>Malformed requests, route by route: each gets a 4xx problem naming the issue, none a 5xx, and stored data is untouched.</summary>
public abstract class BadInputTests
{
    protected abstract Task<ApiClient> NewUserAsync();

    private const string Valid = "VALID";

    public static TheoryData<string, string, string, string?, int, string?> Cases()
    {
        var longText = new string('x', 3000);
        var data = new TheoryData<string, string, string, string?, int, string?>
        {
            // route, method, path ({c} customer, {d} draft, {o} open invoice, {s} current settings ETag), body, expected status, expected pointer
            { "CreateInvoice malformed JSON", "POST", "/invoices", "{\"customerId\": ", 400, null },
            { "CreateInvoice not an object", "POST", "/invoices", "[1,2,3]", 400, null },
            { "CreateInvoice JSON null", "POST", "/invoices", "null", 400, null },
            { "CreateInvoice empty body", "POST", "/invoices", "", 400, null },
            { "CreateInvoice quantity is a string", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":\"two\",\"unitPrice\":1}]}", 400, "/lines/0/quantity" },
            { "CreateInvoice NaN price", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1,\"unitPrice\":NaN}]}", 400, null },
            { "CreateInvoice 30-digit price", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1,\"unitPrice\":123456789012345678901234567890}]}", 400, "/lines/0/unitPrice" },
            { "CreateInvoice 1e400 price", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1,\"unitPrice\":1e400}]}", 400, "/lines/0/unitPrice" },
            { "CreateInvoice price above the limit", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1,\"unitPrice\":1000000000.01}]}", 422, "/lines/0/unitPrice" },
            { "CreateInvoice negative quantity", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":-1,\"unitPrice\":1}]}", 422, "/lines/0/quantity" },
            { "CreateInvoice zero quantity", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":0,\"unitPrice\":1}]}", 422, "/lines/0/quantity" },
            { "CreateInvoice missing price", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1}]}", 422, "/lines/0/unitPrice" },
            { "CreateInvoice null line", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[null]}", 422, "/lines/0" },
            { "CreateInvoice tax over 100%", "POST", "/invoices", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"a\",\"quantity\":1,\"unitPrice\":1,\"taxRatePercent\":101}]}", 422, "/lines/0/taxRatePercent" },
            { "CreateInvoice unknown currency", "POST", "/invoices", "{\"customerId\":\"{c}\",\"currency\":\"XYZ\"}", 422, "/currency" },
            { "CreateInvoice lower-case currency", "POST", "/invoices", "{\"customerId\":\"{c}\",\"currency\":\"eur\"}", 422, "/currency" },
            { "CreateInvoice currency is a number", "POST", "/invoices", "{\"customerId\":\"{c}\",\"currency\":978}", 400, "/currency" },
            { "CreateInvoice date out of range", "POST", "/invoices", "{\"customerId\":\"{c}\",\"issueDate\":\"1899-01-01\"}", 422, "/issueDate" },
            { "CreateInvoice impossible date", "POST", "/invoices", "{\"customerId\":\"{c}\",\"issueDate\":\"2026-02-30\"}", 400, "/issueDate" },
            { "CreateInvoice due before issue", "POST", "/invoices", "{\"customerId\":\"{c}\",\"issueDate\":\"2026-05-10\",\"dueDate\":\"2026-05-01\"}", 422, "/dueDate" },
            { "CreateInvoice overlong notes", "POST", "/invoices", $"{{\"customerId\":\"{{c}}\",\"notes\":\"{longText}\"}}", 422, "/notes" },
            { "CreateInvoice unknown discount kind", "POST", "/invoices", "{\"customerId\":\"{c}\",\"discount\":{\"kind\":\"Bogus\",\"value\":1}}", 400, "/discount/kind" },
            { "CreateInvoice discount kind as its number", "POST", "/invoices", "{\"customerId\":\"{c}\",\"discount\":{\"kind\":1,\"value\":1}}", 400, "/discount/kind" },
            { "CreateInvoice discount kind as a number in a string", "POST", "/invoices", "{\"customerId\":\"{c}\",\"discount\":{\"kind\":\"0\",\"value\":1}}", 400, "/discount/kind" },
            { "UpdateInvoice discount kind out of range", "PUT", "/invoices/{d}|If-Match:\"1\"", "{\"customerId\":\"{c}\",\"discount\":{\"kind\":7,\"value\":1}}", 400, "/discount/kind" },
            { "CreateInvoice missing customer", "POST", "/invoices", "{\"lines\":[]}", 422, "/customerId" },
            { "CreateInvoice unknown customer", "POST", "/invoices", "{\"customerId\":\"cus_01ARZ3NDEKTSV4RRFFQ69G5FAV\"}", 422, "/customerId" },
            { "CreateInvoice garbage customer id", "POST", "/invoices", "{\"customerId\":\"../../etc\"}", 422, "/customerId" },
            { "CreateInvoice payment terms negative", "POST", "/invoices", "{\"customerId\":\"{c}\",\"paymentTermsDays\":-5}", 422, "/paymentTermsDays" },
            { "CreateInvoice payment terms overflow", "POST", "/invoices", "{\"customerId\":\"{c}\",\"paymentTermsDays\":99999999999}", 400, "/paymentTermsDays" },
            { "CreateInvoice deeply nested", "POST", "/invoices", new string('[', 5000) + new string(']', 5000), 400, null },
            { "GetInvoice malformed id", "GET", "/invoices/not-an-id", null, 404, null },
            { "GetInvoice unknown id", "GET", "/invoices/inv_01ARZ3NDEKTSV4RRFFQ69G5FAV", null, 404, null },
            { "ListInvoices limit zero", "GET", "/invoices?limit=0", null, 400, "/query/limit" },
            { "ListInvoices limit huge", "GET", "/invoices?limit=100000000000", null, 400, "/query/limit" },
            { "ListInvoices bad status", "GET", "/invoices?status=lost", null, 400, "/query/status" },
            { "ListInvoices numeric status", "GET", "/invoices?status=1", null, 400, "/query/status" },
            { "ListInvoices bad date", "GET", "/invoices?from=yesterday", null, 400, "/query/from" },
            { "ListInvoices from after to", "GET", "/invoices?from=2026-05-01&to=2026-04-01", null, 400, "/query/from" },
            { "ListInvoices forged cursor", "GET", "/invoices?cursor=%%%garbage", null, 400, "/query/cursor" },
            { "ListInvoices long search", "GET", $"/invoices?q={new string('a', 200)}", null, 400, "/query/q" },
            { "UpdateInvoice without If-Match", "PUT", "/invoices/{d}", Valid, 428, null },
            { "UpdateInvoice garbage If-Match", "PUT", "/invoices/{d}|If-Match:abc", Valid, 400, "/headers/if-match" },
            { "UpdateInvoice stale If-Match", "PUT", "/invoices/{d}|If-Match:\"9\"", Valid, 412, null },
            { "UpdateInvoice finalized lines", "PUT", "/invoices/{o}|If-Match:\"2\"", "{\"customerId\":\"{c}\",\"lines\":[{\"description\":\"new\",\"quantity\":1,\"unitPrice\":5}]}", 422, "/lines" },
            { "DeleteInvoice finalized", "DELETE", "/invoices/{o}", null, 409, null },
            { "FinalizeInvoice twice", "POST", "/invoices/{o}/finalize", null, 409, null },
            { "VoidInvoice draft", "POST", "/invoices/{d}/void", null, 409, null },
            { "VoidInvoice reason too long", "POST", "/invoices/{o}/void", $"{{\"reason\":\"{longText}\"}}", 422, "/reason" },
            { "RecordPayment on a draft", "POST", "/invoices/{d}/payments", "{\"amount\":1}", 409, null },
            { "RecordPayment negative", "POST", "/invoices/{o}/payments", "{\"amount\":-5}", 422, "/amount" },
            { "RecordPayment too many decimals", "POST", "/invoices/{o}/payments", "{\"amount\":1.001}", 422, "/amount" },
            { "RecordPayment overpayment", "POST", "/invoices/{o}/payments", "{\"amount\":1000000}", 422, "/amount" },
            { "RecordPayment missing amount", "POST", "/invoices/{o}/payments", "{}", 422, "/amount" },
            { "RecordPayment future date", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"date\":\"2099-01-01\"}", 422, "/date" },
            { "RecordPayment unknown method", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"method\":\"Barter\"}", 400, "/method" },
            { "RecordPayment method number out of range", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"method\":99}", 400, "/method" },
            { "RecordPayment method as its number", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"method\":1}", 400, "/method" },
            { "RecordPayment method as a number in a string", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"method\":\"1\"}", 400, "/method" },
            { "RecordPayment method names two methods", "POST", "/invoices/{o}/payments", "{\"amount\":1,\"method\":\"Card, Cash\"}", 400, "/method" },
            { "RecordPayment bad idempotency key", "POST", "/invoices/{o}/payments|Idempotency-Key:" + new string('k', 300), "{\"amount\":1}", 400, "/headers/idempotency-key" },
            { "CreateCustomer no name", "POST", "/customers", "{\"email\":\"a@b.example\"}", 422, "/name" },
            { "CreateCustomer bad email", "POST", "/customers", "{\"name\":\"A\",\"email\":\"not an email\"}", 422, "/email" },
            { "CreateCustomer overlong name", "POST", "/customers", $"{{\"name\":\"{longText}\"}}", 422, "/name" },
            { "CreateCustomer address is a string", "POST", "/customers", "{\"name\":\"A\",\"address\":\"Main St\"}", 400, "/address" },
            { "CreateCustomer wrong content type", "POST", "/customers|Content-Type:text/plain", "{\"name\":\"A\"}", 415, null },
            { "UpdateCustomer unknown", "PUT", "/customers/cus_01ARZ3NDEKTSV4RRFFQ69G5FAV|If-Match:\"1\"", "{\"name\":\"A\"}", 404, null },
            { "DeleteCustomer with invoices", "DELETE", "/customers/{c}", null, 409, null },
            { "UpdateSettings bad prefix", "PUT", "/settings|If-Match:{s}", "{\"businessName\":\"A\",\"numberPrefix\":\"INV 2026 <script>\"}", 422, "/numberPrefix" },
            { "UpdateSettings next number zero", "PUT", "/settings|If-Match:{s}", "{\"businessName\":\"A\",\"nextNumber\":0}", 422, "/nextNumber" },
            { "UpdateSettings unknown currency", "PUT", "/settings|If-Match:{s}", "{\"businessName\":\"A\",\"defaultCurrency\":\"BTC\"}", 422, "/defaultCurrency" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_response_and_changes_nothing(string name, string method, string pathAndHeaders, string? body, int expected, string? pointer)
    {
        var api = await NewUserAsync();
        var customer = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var draft = (await api.PostAsync("/invoices", ApiData.Invoice(customer))).Expect(201).Id;
        var open = (await api.PostAsync("/invoices", ApiData.Invoice(customer))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{open}/finalize")).Expect(200);
        var settingsETag = (await api.GetAsync("/settings")).Expect(200).ETag!;
        string Fill(string text) => text.Replace("{c}", customer).Replace("{d}", draft).Replace("{o}", open).Replace("{s}", settingsETag);
        var before = await StateAsync(api);

        var parts = Fill(pathAndHeaders).Split('|');
        var headers = parts.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0], h => h[1]);
        var contentType = headers.Remove("Content-Type", out var type) ? type : "application/json";
        var rawBody = body == Valid ? System.Text.Json.JsonSerializer.Serialize(ApiData.Invoice(customer), TestJson.Options) : body is null ? null : Fill(body);
        var result = await api.SendAsync(new HttpMethod(method), parts[0], headers: headers, rawBody: rawBody, contentType: contentType);

        Assert.True(result.Code == expected, $"{name}: expected {expected}, got {result.Code}: {result.Text}");
        Assert.Equal("application/problem+json", result.Headers["content-type"]);
        Assert.Equal(expected, result.Body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(result.Body["title"]?.GetValue<string>()));
        if (pointer is not null) Assert.Contains(pointer, result.ErrorPointers());
        Assert.Equal(before, await StateAsync(api));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        var api = await NewUserAsync();
        var huge = "{\"name\":\"" + new string('x', 300 * 1024) + "\"}";
        var result = await api.SendAsync(HttpMethod.Post, "/customers", rawBody: huge);
        Assert.Equal(413, result.Code);
        Assert.Empty((await api.GetAsync("/customers")).Expect(200).Body["items"]!.AsArray());
    }

    /// <summary>Everything the tenant can read, as text: any change made by a refused request shows up here.</summary>
    private static async Task<string> StateAsync(ApiClient api) => string.Join("\n",
        (await api.GetAsync("/invoices?limit=100")).Expect(200).Text,
        (await api.GetAsync("/customers?limit=100")).Expect(200).Text,
        (await api.GetAsync("/settings")).Expect(200).Text);
}

/// <summary>Over the in-memory stores: the rules.</summary>
public sealed class BadInputTestsInMemory : BadInputTests
{
    private readonly SmallPay.Testing.InMemoryApi _api = new();
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(_api);
}

/// <summary>On the local stack (Cognito tokens, the JWT authorizer, DynamoDB Local): the same cases end to end.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class BadInputTestsOnLocalStack(LocalStackFixture stack) : BadInputTests
{
    protected override Task<ApiClient> NewUserAsync() => TestApi.ForNewUserAsync(stack);
}
