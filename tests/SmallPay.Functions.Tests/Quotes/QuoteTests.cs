using System.Net;
using System.Text.Json;
using MimeKit;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Links;
using SmallPay.Domain.Quotes;
using SmallPay.Functions.CustomerPage;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Quotes;

/// <summary>
/// Quotes over the in-memory API: drafts, their own gapless numbers when sent, the e-mail through the documents worker
/// with the quote's PDF and page link, the customer's answer on the page (once, never after expiry or withdrawal, never
/// across businesses), and conversion into one draft invoice however many convert at once.
/// </summary>
public sealed class QuoteTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly InMemoryApi _api;
    private readonly HttpClient _browser;

    public QuoteTests()
    {
        _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));
        _browser = _api.CreateClient(); // the in-memory API follows no redirects: a 303 is seen as such
    }

    private ApiClient Owner(string sub) => new(_api.CreateClient(), InMemoryApi.TokenPrefix + sub);

    private DocumentLinkIssuer Issuer => DocumentLinkIssuer.FromEnvironment(_api.Services.Environment, _api.Services.Links)!;

    private static object QuoteBody(string customerId, string? validUntil = "2026-12-20", object[]? lines = null, string issueDate = "2026-11-20") => new
    {
        customerId, currency = "EUR", issueDate, validUntil, paymentTermsDays = 14,
        lines = lines ?? [ApiData.Line("Brand strategy workshop", 1, 1200), ApiData.Line("Logo design", 1, 2400)],
        notes = "Prices include two rounds of changes.",
    };

    private async Task<(ApiClient Owner, string CustomerId)> BusinessAsync(string business)
    {
        var owner = Owner(business);
        (await owner.PutAsync("/settings", new { businessName = $"Business {business}", email = $"{business}@example.com", defaultCurrency = "EUR", paymentTermsDays = 14 },
            (await owner.GetAsync("/settings")).Expect(200).ETag)).Expect(200);
        var customerId = (await owner.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        return (owner, customerId);
    }

    /// <summary>A sent quote and the page link its e-mail carried.</summary>
    private async Task<(ApiClient Owner, string QuoteId, Uri Link)> SentQuoteAsync(string business, string validUntil = "2026-12-20")
    {
        var (owner, customerId) = await BusinessAsync(business);
        var id = (await owner.PostAsync("/quotes", QuoteBody(customerId, validUntil))).Expect(201).Id;
        (await owner.PostAsync($"/quotes/{id}/send")).Expect(202);
        var quote = (await _api.Services.Quotes.GetAsync(business, id, CancellationToken.None))!;
        var delivery = quote.DeliveryRequests[^1];
        var link = await Issuer.IssueAsync(LinkedDocumentKind.Quote, business, id, delivery.RequestId, delivery.RequestedAt, CancellationToken.None);
        return (owner, id, link);
    }

    private async Task<(int Status, string Html, HttpResponseMessage Response)> AnswerAsync(string path, string action, string? name = null)
    {
        var form = new Dictionary<string, string> { ["action"] = action };
        if (name is not null) form["name"] = name;
        var response = await _browser.PostAsync(path, new FormUrlEncodedContent(form));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private async Task<(int Status, string Html)> OpenAsync(string path)
    {
        var response = await _browser.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // ------------------------------------------------------------------ owner's routes

    [Fact]
    public async Task A_draft_is_created_listed_edited_with_If_Match_and_deleted_and_gets_no_number()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        var created = (await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201);
        Assert.Equal("Draft", created.Body["status"]!.GetValue<string>());
        Assert.Null(created.Body["number"]);
        Assert.Equal(4284.00m, created.Money("totals.total"));
        Assert.Equal("2026-12-20", created.Body["validUntil"]!.GetValue<string>());

        var updated = (await owner.PutAsync($"/quotes/{created.Id}", QuoteBody(customerId, "2027-01-10"), created.ETag)).Expect(200);
        Assert.Equal("2027-01-10", updated.Body["validUntil"]!.GetValue<string>());
        (await owner.PutAsync($"/quotes/{created.Id}", QuoteBody(customerId), created.ETag)).Expect(412);

        var list = (await owner.GetAsync("/quotes")).Expect(200);
        Assert.Equal(created.Id, Assert.Single(list.Body["items"]!.AsArray())!["id"]!.GetValue<string>());

        (await owner.DeleteAsync($"/quotes/{created.Id}")).Expect(204);
        (await owner.GetAsync($"/quotes/{created.Id}")).Expect(404);
    }

    [Theory]
    [InlineData("2026-11-19", "/validUntil")]
    [InlineData("2027-12-01", "/validUntil")]
    public async Task A_valid_until_date_before_the_quote_or_more_than_a_year_after_it_is_a_422(string validUntil, string pointer)
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        var refused = (await owner.PostAsync("/quotes", QuoteBody(customerId, validUntil))).Expect(422);
        Assert.Equal([pointer], refused.ErrorPointers());
    }

    [Fact]
    public async Task Bad_input_gets_problem_json_never_a_5xx()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("POST", "/quotes", new { customerId = "cus_nothing" }),
                     ("POST", "/quotes", new { customerId, lines = new object[] { new { description = "x" } } }),
                     ("POST", "/quotes", new { customerId, currency = "XXX" }),
                     ("GET", "/quotes/not-a-quote", null),
                     ("POST", "/quotes/quo_00000000000000000000000000/send", null),
                     ("POST", "/quotes/quo_00000000000000000000000000/convert", null),
                     ("DELETE", "/quotes/quo_00000000000000000000000000/links", null),
                 })
        {
            var result = await owner.SendAsync(new HttpMethod(method), path, body);
            Assert.InRange(result.Code, 400, 499);
            Assert.Equal("application/problem+json", result.Headers.GetValueOrDefault("content-type")?.Split(';')[0]);
        }
    }

    [Fact]
    public async Task Sending_numbers_quotes_in_their_own_gapless_series_under_concurrency_apart_from_invoices()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add((await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201).Id);

        var sent = await Task.WhenAll(ids.Select(id => owner.PostAsync($"/quotes/{id}/send")));

        Assert.All(sent, r => r.Expect(202));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"QUO-{n:000000}"), sent.Select(r => r.Body["number"]!.GetValue<string>()).Order());
        var settings = (await owner.GetAsync("/settings")).Expect(200);
        Assert.Equal("QUO-000009", settings.Body["nextQuoteNumber"]!.GetValue<string>());
        Assert.Equal("INV-000001", settings.Body["nextInvoiceNumber"]!.GetValue<string>());
        // A sent quote is no longer a draft: not edited, not deleted.
        (await owner.PutAsync($"/quotes/{ids[0]}", QuoteBody(customerId), "\"2\"")).Expect(409);
        (await owner.DeleteAsync($"/quotes/{ids[0]}")).Expect(409);
    }

    [Fact]
    public async Task Sending_counts_against_the_same_daily_limit_as_invoices()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        _api.Services.Stores.MailPolicy.SetOperatorLimit("biz-a", 2);
        var invoice = (await owner.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        (await owner.PostAsync($"/invoices/{invoice}/send")).Expect(202);
        var first = (await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201).Id;
        var second = (await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201).Id;

        (await owner.PostAsync($"/quotes/{first}/send")).Expect(202);
        var refused = (await owner.PostAsync($"/quotes/{second}/send")).Expect(429);

        Assert.Equal("/problems/sending-limit", refused.Body["type"]!.GetValue<string>());
        Assert.Null((await owner.GetAsync($"/quotes/{second}")).Expect(200).Body["number"]); // nothing numbered, nothing sent
    }

    [Fact]
    public async Task The_worker_renders_the_quote_as_a_quote_and_mails_it_with_the_link_to_its_page()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        var id = (await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201).Id;
        (await owner.PostAsync($"/quotes/{id}/send")).Expect(202);
        var requestId = (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body["deliveries"]![0]!["requestId"]!.GetValue<string>();
        var mail = new CapturingMailSender();
        var worker = new SqsBatchFunction(new DocumentWorker(_api.Services.WorkerInvoices, _api.Services.Settings, _api.Services.Documents,
            new PdfSharpDocumentRenderer(new InvoicePdfRenderer()), new DeliveryEmailComposer(new InvoiceEmailComposer("quotes@smallpay.test")), mail, _clock,
            links: Issuer), new JsonLog("DocumentWorker", TextWriter.Null), _clock);

        var body = $$"""{"eventName":"INSERT","entity":"Delivery","id":"delivery#{{id}}#{{requestId}}","version":""}""";
        var output = await worker.HandleAsync(WorkerData.Batch(("m1", body)), new LambdaInvocation("r1", Start.AddSeconds(30), null, null), CancellationToken.None);

        Assert.Empty(JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!.BatchItemFailures);
        var message = Assert.Single(mail.Messages);
        Assert.Equal("Quote QUO-000001 from Business biz-a", message.Subject);
        var text = message.Text;
        Assert.Contains("Please find attached quote QUO-000001 from Business biz-a.", text, StringComparison.Ordinal);
        Assert.Contains("https://app.smallpay.test/d/lnk_", text, StringComparison.Ordinal);
        var pdf = _api.Services.DocumentObjects.Objects.Single(o => o.Key.Contains(id, StringComparison.Ordinal)).Value;
        var pdfText = PdfTools.Squeeze(await PdfTools.TextAsync(pdf));
        Assert.Contains("QUOTE", pdfText, StringComparison.Ordinal);
        Assert.Contains("Valid until", pdfText, StringComparison.Ordinal);
        Assert.Contains("Net 14 days. This quote is valid until 20 Dec 2026.", pdfText, StringComparison.Ordinal);
        Assert.DoesNotContain("Balance due", pdfText, StringComparison.Ordinal);
        var quote = (await owner.GetAsync($"/quotes/{id}")).Expect(200);
        Assert.Equal("Sent", quote.Body["deliveries"]![0]!["status"]!.GetValue<string>());
        Assert.NotNull(quote.Body["document"]);

        // The link in the e-mail opens the quote's page.
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(text, @"https://app\.smallpay\.test/d/\S+").Value);
        var (status, html) = await OpenAsync(link.AbsolutePath);
        Assert.Equal(200, status);
        Assert.Contains("Quote QUO-000001", html, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ the customer's page

    [Fact]
    public async Task The_page_shows_the_quote_and_a_form_and_the_owner_sees_the_view_and_the_acceptance()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");

        var (status, html) = await OpenAsync(link.AbsolutePath);
        Assert.Equal(200, status);
        Assert.Contains("Quote QUO-000001", html, StringComparison.Ordinal);
        Assert.Contains("Valid until: 20 Dec 2026", html, StringComparison.Ordinal);
        Assert.Contains("4,284.00 EUR", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Amount paid", html, StringComparison.Ordinal);

        _clock.Now = Start.AddHours(3);
        var (answered, _, response) = await AnswerAsync(link.AbsolutePath, "accept", "Anna Müller");
        Assert.Equal(303, answered);
        Assert.Equal(link.AbsolutePath, response.Headers.Location!.OriginalString);

        var (_, after) = await OpenAsync(link.AbsolutePath);
        Assert.Contains("Accepted by Anna Müller on 20 Nov 2026.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", after, StringComparison.Ordinal);
        var quote = (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body;
        Assert.Equal("Accepted", quote["status"]!.GetValue<string>());
        Assert.Equal("Anna Müller", quote["acceptedBy"]!.GetValue<string>());
        Assert.Equal(Start.AddHours(3), quote["acceptedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Start, quote["viewedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Accepting_needs_a_name_and_a_decline_is_recorded_with_its_time()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");

        var (status, html, _) = await AnswerAsync(link.AbsolutePath, "accept", "   ");
        Assert.Equal(422, status);
        Assert.Contains("Please type your name to accept the quote.", html, StringComparison.Ordinal);
        Assert.Equal("Sent", (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body["status"]!.GetValue<string>());

        Assert.Equal(303, (await AnswerAsync(link.AbsolutePath, "decline")).Status);
        var quote = (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body;
        Assert.Equal("Declined", quote["status"]!.GetValue<string>());
        Assert.Equal(Start, quote["declinedAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(quote["acceptedAt"]);
        var (refused, page, _) = await AnswerAsync(link.AbsolutePath, "accept", "Changed my mind");
        Assert.Equal(409, refused);
        Assert.Contains("declined already", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_accepts_are_recorded_once_and_the_others_get_a_page_not_a_5xx()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(n => AnswerAsync(link.AbsolutePath, n % 2 == 0 ? "accept" : "decline", $"Person {n}")));

        Assert.Single(answers, a => a.Status == 303);
        Assert.All(answers.Where(a => a.Status != 303), a => Assert.Equal(409, a.Status));
        var quote = (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body;
        var winner = Array.FindIndex(answers, a => a.Status == 303) + 1;
        Assert.Equal(winner % 2 == 0 ? "Accepted" : "Declined", quote["status"]!.GetValue<string>());
        if (winner % 2 == 0) Assert.Equal($"Person {winner}", quote["acceptedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_quote_shows_so_and_cannot_be_accepted()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a", validUntil: "2026-11-25");
        _clock.Now = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

        var (_, html) = await OpenAsync(link.AbsolutePath);
        Assert.Contains("This quote expired on 25 Nov 2026.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        var (status, page, _) = await AnswerAsync(link.AbsolutePath, "accept", "Anna Müller");

        Assert.Equal(410, status);
        Assert.Contains("This quote has expired", page, StringComparison.Ordinal);
        Assert.Equal("Expired", (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body["status"]!.GetValue<string>());
        (await owner.PostAsync($"/quotes/{id}/send")).Expect(409);
    }

    [Fact]
    public async Task A_revoked_link_is_refused_for_viewing_and_answering_and_a_new_send_carries_a_working_one()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");
        _clock.Now = Start.AddMinutes(5);
        var revoked = (await owner.DeleteAsync($"/quotes/{id}/links")).Expect(200);
        Assert.Equal(Start.AddMinutes(5), revoked.Body["linksRevokedAt"]!.GetValue<DateTimeOffset>());

        Assert.Equal(410, (await OpenAsync(link.AbsolutePath)).Status);
        var (status, html, _) = await AnswerAsync(link.AbsolutePath, "accept", "Anna Müller");
        Assert.Equal(410, status);
        Assert.Contains("This link was withdrawn", html, StringComparison.Ordinal);
        Assert.Equal("Sent", (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body["status"]!.GetValue<string>());

        _clock.Now = Start.AddMinutes(10);
        (await owner.PostAsync($"/quotes/{id}/send")).Expect(202);
        var delivery = (await _api.Services.Quotes.GetAsync("biz-a", id, CancellationToken.None))!.DeliveryRequests[^1];
        var fresh = await Issuer.IssueAsync(LinkedDocumentKind.Quote, "biz-a", id, delivery.RequestId, delivery.RequestedAt, CancellationToken.None);
        Assert.Equal(303, (await AnswerAsync(fresh.AbsolutePath, "accept", "Anna Müller")).Status);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("expiry")]
    [InlineData("garbage")]
    public async Task A_tampered_or_expired_link_is_refused_and_records_nothing(string part)
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");
        var parts = link.Segments[^1].Split('.');
        var tampered = part switch
        {
            "signature" => $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}",
            "expiry" => $"{parts[0]}.{long.Parse(parts[1]) + 86_400}.{parts[2]}",
            _ => "nothing.at.all",
        };

        var (status, html, _) = await AnswerAsync($"/d/{tampered}", "accept", "Mallory");
        Assert.Equal(404, status);
        Assert.DoesNotContain("QUO-000001", html, StringComparison.Ordinal);
        Assert.Equal(404, (await OpenAsync($"/d/{tampered}")).Status);

        _clock.Now = Start + Issuer.Lifetime + TimeSpan.FromMinutes(1);
        Assert.Equal(410, (await AnswerAsync(link.AbsolutePath, "accept", "Late")).Status);
        Assert.Equal("Sent", (await _api.Services.Quotes.GetAsync("biz-a", id, CancellationToken.None))!.Status.ToString());
        Assert.Null((await owner.GetAsync($"/quotes/{id}")).Expect(200).Body["acceptedAt"]);
    }

    [Fact]
    public async Task Another_businesss_link_never_shows_or_answers_this_businesss_quote()
    {
        var (ownerA, quoteA, _) = await SentQuoteAsync("biz-a");
        var (_, quoteB, linkB) = await SentQuoteAsync("biz-b");
        // A link of business B, signed by this stack, that names A's quote: whose document it is comes from the link alone.
        var foreign = await Issuer.IssueAsync(LinkedDocumentKind.Quote, "biz-b", quoteA, "dlv_forged_for_the_test_000000", Start, CancellationToken.None);

        var (status, html) = await OpenAsync(foreign.AbsolutePath);
        var (answered, answerPage, _) = await AnswerAsync(foreign.AbsolutePath, "accept", "Mallory");

        Assert.Equal(404, status);
        Assert.Equal(404, answered);
        Assert.DoesNotContain("Business biz-a", html + answerPage, StringComparison.Ordinal);
        Assert.Equal("Sent", (await ownerA.GetAsync($"/quotes/{quoteA}")).Expect(200).Body["status"]!.GetValue<string>());
        // B's own link shows B's quote, and nothing of A's.
        var (_, pageB) = await OpenAsync(linkB.AbsolutePath);
        Assert.Contains("Business biz-b", pageB, StringComparison.Ordinal);
        Assert.DoesNotContain("Business biz-a", pageB, StringComparison.Ordinal);
        // And an invoice link never answers a quote: the form goes to quotes only.
        (await ownerA.GetAsync($"/quotes/{quoteB}")).Expect(404);
    }

    [Fact]
    public async Task Forms_that_are_not_forms_get_pages_not_5xx()
    {
        var (_, _, link) = await SentQuoteAsync("biz-a");
        var json = await _browser.PostAsync(link.AbsolutePath, new StringContent("{\"action\":\"accept\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(415, (int)json.StatusCode);
        Assert.Equal(400, (await AnswerAsync(link.AbsolutePath, "maybe")).Status);
        var big = await _browser.PostAsync(link.AbsolutePath, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "accept", ["name"] = new string('x', 20_000) }));
        Assert.Equal(413, (int)big.StatusCode);
    }

    // ------------------------------------------------------------------ conversion

    [Fact]
    public async Task An_accepted_quote_converts_once_into_a_draft_invoice_linked_both_ways_even_when_converts_race()
    {
        var (owner, id, link) = await SentQuoteAsync("biz-a");
        (await owner.PostAsync($"/quotes/{id}/convert")).Expect(409); // not accepted yet
        Assert.Equal(303, (await AnswerAsync(link.AbsolutePath, "accept", "Anna Müller")).Status);
        _clock.Now = Start.AddDays(2);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => owner.PostAsync($"/quotes/{id}/convert")));

        var made = Assert.Single(results, r => r.Code == 201);
        Assert.All(results.Where(r => r.Code != 201), r => Assert.Equal(409, r.Code));
        var invoiceId = made.Id;
        Assert.Equal(invoiceId, Assert.Single(_api.Services.Stores.Invoices.All).Id);
        var invoice = (await owner.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body;
        Assert.Equal("Draft", invoice["status"]!.GetValue<string>());
        Assert.Equal(id, invoice["quoteId"]!.GetValue<string>());
        Assert.Equal("2026-11-22", invoice["issueDate"]!.GetValue<string>());
        Assert.Equal(4284.00m, invoice["totals"]!["total"]!.GetValue<decimal>());
        Assert.Equal(2, invoice["lines"]!.AsArray().Count);
        var quote = (await owner.GetAsync($"/quotes/{id}")).Expect(200).Body;
        Assert.Equal("Converted", quote["status"]!.GetValue<string>());
        Assert.Equal(invoiceId, quote["invoiceId"]!.GetValue<string>());
        Assert.Equal("Anna Müller", quote["acceptedBy"]!.GetValue<string>());
        Assert.Contains("converted already", (await owner.PostAsync($"/quotes/{id}/convert")).Expect(409).Body["detail"]!.GetValue<string>());
        // The customer's page still shows the acceptance; answering again changes nothing.
        Assert.Equal(409, (await AnswerAsync(link.AbsolutePath, "decline")).Status);
    }

    [Fact]
    public async Task Team_roles_apply_an_accountant_reads_quotes_but_cannot_send_or_convert()
    {
        var (owner, customerId) = await BusinessAsync("biz-a");
        var id = (await owner.PostAsync("/quotes", QuoteBody(customerId))).Expect(201).Id;
        var invitation = (await owner.PostAsync("/team/invitations", new { email = "books@example.com", role = "accountant" })).Expect(201);
        var token = invitation.Body["link"]!.GetValue<string>().Split("token=")[1];
        (await new ApiClient(_api.CreateClient(), InMemoryApi.Token("acct-1", "books@example.com")).PostAsync("/invitations/accept", new { token })).Expect(200);
        var http = _api.CreateClient();
        http.DefaultRequestHeaders.Add("X-SmallPay-Business", "biz-a");
        var member = new ApiClient(http, InMemoryApi.Token("acct-1", "books@example.com"));

        (await member.GetAsync($"/quotes/{id}")).Expect(200);
        Assert.Equal("/problems/forbidden", (await member.PostAsync($"/quotes/{id}/send")).Expect(403).Body["type"]!.GetValue<string>());
        (await member.PostAsync($"/quotes/{id}/convert")).Expect(403);
    }
}

/// <summary>Every message the worker sent, whole.</summary>
internal sealed class CapturingMailSender : IMailSender
{
    public List<(string Subject, string Text)> Messages { get; } = [];

    public Task<IReadOnlyList<RecipientReply>> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        // The worker disposes the message after sending: keep what the test reads.
        Messages.Add((message.Subject ?? "", message.TextBody ?? ""));
        return Task.FromResult<IReadOnlyList<RecipientReply>>(recipients.Select(r => new RecipientReply(r, SmallPay.Domain.Documents.RecipientStatus.Delivered, null)).ToList());
    }
}
