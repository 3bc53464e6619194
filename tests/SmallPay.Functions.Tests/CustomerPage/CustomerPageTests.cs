using System.Net;
using System.Text.Json;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Links;
using SmallPay.Functions.CustomerPage;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.CustomerPage;

/// <summary>
/// The customer's page of a sent invoice over the in-memory API: what it shows, which links it refuses (tampered,
/// expired, revoked, another business's), the first view recorded once, the PDF, the per-client limit.
/// </summary>
public sealed class CustomerPageTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly InMemoryApi _api;
    private readonly HttpClient _browser;

    public CustomerPageTests() : this(null) { }

    private CustomerPageTests(IReadOnlyDictionary<string, string>? variables)
    {
        _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock, variables: variables));
        _browser = _api.CreateClient();
    }

    private ApiClient Owner(string sub) => new(_api.CreateClient(), InMemoryApi.TokenPrefix + sub);

    private DocumentLinkIssuer Issuer => DocumentLinkIssuer.FromEnvironment(_api.Services.Environment, _api.Services.Links)!;

    /// <summary>A sent invoice of <paramref name="business"/> with its PDF stored, and the page link its e-mail carried.</summary>
    private async Task<(ApiClient Owner, string InvoiceId, Uri Link)> SentInvoiceAsync(string business, string lineText = "Brand workshop")
    {
        var owner = Owner(business);
        (await owner.PutAsync("/settings", new { businessName = $"Business {business}", email = $"{business}@example.com", defaultCurrency = "EUR", paymentTermsDays = 14, numberPrefix = "INV-", nextNumber = 1 },
            (await owner.GetAsync("/settings")).Expect(200).ETag)).Expect(200);
        var customerId = (await owner.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var id = (await owner.PostAsync("/invoices", ApiData.Invoice(customerId, lines: [ApiData.Line(lineText, 2, 450, taxRate: 19)], issueDate: "2026-11-20", dueDate: "2026-12-04"))).Expect(201).Id;
        var sent = (await owner.PostAsync($"/invoices/{id}/send")).Expect(202);
        var invoice = (await _api.Services.Invoices.GetAsync(business, id, CancellationToken.None))!;
        await _api.Services.WorkerInvoices.RecordDocumentAsync(id, new StoredDocument($"invoices/{business}/{id}/v{invoice.Version}.pdf", invoice.Version, _clock.Now, 100), CancellationToken.None);
        var delivery = invoice.DeliveryRequests[^1];
        var link = await Issuer.IssueAsync(LinkedDocumentKind.Invoice, business, id, delivery.RequestId, delivery.RequestedAt, CancellationToken.None);
        Assert.Equal(202, sent.Code);
        return (owner, id, link);
    }

    private async Task<(int Status, string Html, HttpResponseMessage Response)> OpenAsync(Uri link, string? path = null)
    {
        var response = await _browser.GetAsync(path ?? link.AbsolutePath);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task The_page_shows_the_invoice_as_its_PDF_does_without_sign_in_and_without_scripts()
    {
        var (_, _, link) = await SentInvoiceAsync("biz-a");
        Assert.StartsWith("https://app.smallpay.test/d/lnk_", link.AbsoluteUri, StringComparison.Ordinal);

        var (status, html, response) = await OpenAsync(link);

        Assert.Equal(200, status);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("Invoice INV-000001", html, StringComparison.Ordinal);
        Assert.Contains("Brand workshop", html, StringComparison.Ordinal);
        Assert.Contains("1,071.00 EUR", html, StringComparison.Ordinal); // 2 × 450 + 19 % tax: total and balance
        Assert.Contains("Please pay 1,071.00 EUR by 4 Dec 2026, quoting invoice number INV-000001.", html, StringComparison.Ordinal);
        Assert.Contains("Business biz-a", html, StringComparison.Ordinal);
        Assert.Contains("/pdf\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("content-security-policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("referrer-policy").Single());
    }

    [Fact]
    public async Task The_first_view_is_recorded_once_however_many_open_it_at_once()
    {
        var (owner, id, link) = await SentInvoiceAsync("biz-a");
        Assert.Null((await owner.GetAsync($"/invoices/{id}")).Expect(200).Body["viewedAt"]);

        _clock.Now = Start.AddHours(2);
        var views = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OpenAsync(link)));
        Assert.All(views, view => Assert.Equal(200, view.Status));
        _clock.Now = Start.AddHours(5);
        Assert.Equal(200, (await OpenAsync(link)).Status);

        var invoice = (await owner.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal(Start.AddHours(2), invoice.Body["viewedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Start.AddHours(2), Assert.Single(_api.Services.Stores.Links.All).ViewedAt);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("expiry")]
    [InlineData("link id")]
    [InlineData("garbage")]
    [InlineData("empty signature")]
    public async Task A_tampered_link_is_refused_with_a_page_never_a_5xx(string part)
    {
        var (owner, id, link) = await SentInvoiceAsync("biz-a");
        var token = link.Segments[^1];
        var parts = token.Split('.');
        var tampered = part switch
        {
            "signature" => $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}",
            "expiry" => $"{parts[0]}.{long.Parse(parts[1]) + 86_400}.{parts[2]}",
            "link id" => $"{SmallPay.Domain.Ids.New("lnk")}.{parts[1]}.{parts[2]}",
            "empty signature" => $"{parts[0]}.{parts[1]}.",
            _ => "%3Cscript%3E..",
        };

        foreach (var path in new[] { $"/d/{tampered}", $"/d/{tampered}/pdf" })
        {
            var (status, html, _) = await OpenAsync(link, path);
            Assert.Equal(404, status);
            Assert.Contains("This link does not work", html, StringComparison.Ordinal);
            Assert.DoesNotContain("INV-000001", html, StringComparison.Ordinal);
        }
        Assert.Null((await owner.GetAsync($"/invoices/{id}")).Expect(200).Body["viewedAt"]);
    }

    [Fact]
    public async Task A_link_past_its_end_is_refused_as_expired()
    {
        var (_, _, link) = await SentInvoiceAsync("biz-a");
        _clock.Now = Start + Issuer.Lifetime + TimeSpan.FromMinutes(1);

        var (status, html, _) = await OpenAsync(link);

        Assert.Equal(410, status);
        Assert.Contains("This link has expired", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Brand workshop", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_link_is_refused_and_the_next_send_carries_a_working_one()
    {
        var (owner, id, link) = await SentInvoiceAsync("biz-a");
        _clock.Now = Start.AddMinutes(10);

        var revoked = (await owner.DeleteAsync($"/invoices/{id}/links")).Expect(200);
        Assert.Equal(Start.AddMinutes(10), revoked.Body["linksRevokedAt"]!.GetValue<DateTimeOffset>());

        foreach (var path in new[] { link.AbsolutePath, link.AbsolutePath + "/pdf" })
        {
            var (status, html, _) = await OpenAsync(link, path);
            Assert.Equal(410, status);
            Assert.Contains("This link was withdrawn", html, StringComparison.Ordinal);
        }

        _clock.Now = Start.AddMinutes(20);
        (await owner.PostAsync($"/invoices/{id}/send")).Expect(202);
        var delivery = (await _api.Services.Invoices.GetAsync("biz-a", id, CancellationToken.None))!.DeliveryRequests[^1];
        var next = await Issuer.IssueAsync(LinkedDocumentKind.Invoice, "biz-a", id, delivery.RequestId, delivery.RequestedAt, CancellationToken.None);
        Assert.NotEqual(link, next);
        Assert.Equal(200, (await OpenAsync(next)).Status);
        Assert.Equal(410, (await OpenAsync(link)).Status);
    }

    [Fact]
    public async Task Only_the_owner_of_the_invoice_can_revoke_its_links()
    {
        var (_, id, link) = await SentInvoiceAsync("biz-a");

        (await Owner("biz-b").DeleteAsync($"/invoices/{id}/links")).Expect(404);
        (await Owner("biz-b").DeleteAsync("/invoices/inv_nope/links")).Expect(404);

        Assert.Equal(200, (await OpenAsync(link)).Status);
    }

    [Fact]
    public async Task Another_businesss_link_never_shows_this_businesss_invoice()
    {
        var (_, idA, linkA) = await SentInvoiceAsync("biz-a", lineText: "Secret A work");
        var (_, idB, linkB) = await SentInvoiceAsync("biz-b", lineText: "Work for B");

        // B's link shows B's invoice and nothing of A's.
        var (statusB, htmlB, _) = await OpenAsync(linkB);
        Assert.Equal(200, statusB);
        Assert.Contains("Work for B", htmlB, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret A work", htmlB, StringComparison.Ordinal);
        Assert.DoesNotContain("Business biz-a", htmlB, StringComparison.Ordinal);

        // A link of business B's that names A's invoice (signed with the stack's key) still reads it as B's: not found.
        var forged = await Issuer.IssueAsync(LinkedDocumentKind.Invoice, "biz-b", idA, "dlv_forged", _clock.Now, CancellationToken.None);
        foreach (var path in new[] { forged.AbsolutePath, forged.AbsolutePath + "/pdf" })
        {
            var (status, html, _) = await OpenAsync(forged, path);
            Assert.Equal(404, status);
            Assert.DoesNotContain("Secret A work", html, StringComparison.Ordinal);
        }
        // Nor does viewing it record anything on A's invoice.
        Assert.Null((await _api.Services.Invoices.GetAsync("biz-a", idA, CancellationToken.None))!.ViewedAt);
        Assert.NotEqual(idA, idB);
        Assert.Equal(200, (await OpenAsync(linkA)).Status);
    }

    [Fact]
    public async Task The_PDF_is_a_redirect_to_a_short_lived_link_of_the_current_version()
    {
        var (owner, id, link) = await SentInvoiceAsync("biz-a");

        var (status, _, response) = await OpenAsync(link, link.AbsolutePath + "/pdf");
        Assert.Equal(302, status);
        Assert.StartsWith($"https://documents.invalid/invoices/biz-a/{id}/v", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        // A payment makes a new version: until it is rendered, the page says so instead of showing the old PDF.
        (await owner.PostAsync($"/invoices/{id}/payments", new { amount = 100, method = "Card" })).Expect(201);
        var (pending, html, pendingResponse) = await OpenAsync(link, link.AbsolutePath + "/pdf");
        Assert.Equal(409, pending);
        Assert.Contains("being prepared", html, StringComparison.Ordinal);
        Assert.Equal("30", pendingResponse.Headers.GetValues("retry-after").Single());
    }

    [Fact]
    public async Task The_worker_puts_the_signed_link_into_the_invoice_email_the_same_on_every_try()
    {
        var (_, id, link) = await SentInvoiceAsync("biz-a");
        var composer = new SimpleComposer();
        var worker = new SqsBatchFunction(new DocumentWorker(_api.Services.WorkerInvoices, _api.Services.Settings, _api.Services.Documents, new CountingRenderer(),
            composer, new RecordingMailSender(), _clock, links: Issuer), new JsonLog("DocumentWorker", TextWriter.Null), _clock);
        var body = JsonSerializer.Serialize(new { eventName = "MODIFY", entity = "Invoice", id, version = "2" });
        var batch = JsonSerializer.SerializeToUtf8Bytes(new { Records = new[] { new { messageId = "m1", receiptHandle = "r1", body, attributes = new { ApproximateReceiveCount = "1" }, eventSource = "aws:sqs" } } });

        await worker.HandleAsync(batch, new SmallPay.Functions.Hosting.LambdaInvocation("req", _clock.Now.AddSeconds(30), null, null), CancellationToken.None);

        Assert.Equal(link, Assert.Single(composer.PageLinks));
        Assert.Equal(200, (await OpenAsync(link)).Status);
    }

    [Fact]
    public async Task Each_client_has_its_own_limit_per_minute_on_the_customers_pages()
    {
        var limited = new CustomerPageTests(new Dictionary<string, string>(InMemoryFunctionServices.DefaultVariables) { ["PUBLIC_REQUESTS_PER_MINUTE"] = "3" });
        var (_, _, link) = await limited.SentInvoiceAsync("biz-a");

        async Task<HttpResponseMessage> From(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, link.AbsolutePath);
            request.Headers.Add("x-test-source-ip", ip);
            return await limited._browser.SendAsync(request);
        }

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await From("198.51.100.7")).StatusCode);
        var refused = await From("198.51.100.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("retry-after").Single()) is > 0 and <= 60);
        Assert.Contains("opened too often", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await From("203.0.113.9")).StatusCode);
        limited._clock.Now = limited._clock.Now.AddMinutes(1);
        Assert.Equal(HttpStatusCode.OK, (await From("198.51.100.7")).StatusCode);
    }
}
