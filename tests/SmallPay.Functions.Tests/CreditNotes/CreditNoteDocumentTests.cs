using System.Text.Json;
using MimeKit;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Functions.Tests.Documents.Rendering;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.CreditNotes;

/// <summary>
/// A credit note's PDF and e-mail over the in-memory API and the real document worker (PDFsharp renderer, MimeKit
/// composer): POST /credit-notes/{id}/send and <c>send: true</c> on issuing make one e-mail request per Idempotency-Key
/// within the daily sending limit; the worker renders the PDF titled "Credit note" in the document's language and mails it;
/// GET /credit-notes/{id}/pdf links it once stored. Another business's credit note reads as 404.
/// </summary>
public sealed class CreditNoteDocumentTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly InMemoryApi _api;

    public CreditNoteDocumentTests() => _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));

    private ApiClient Owner(string business) => new(_api.CreateClient(), InMemoryApi.TokenPrefix + business);

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    /// <summary>A business named "Business {business}" with a finalized invoice INV-000001 of 100 EUR + 19% to a customer with an address.</summary>
    private static async Task<(string InvoiceId, string CustomerEmail)> InvoiceAsync(ApiClient owner, string business, string? language = null)
    {
        (await owner.PutAsync("/settings", new { businessName = $"Business {business}", email = $"{business}@example.com", defaultCurrency = "EUR", paymentTermsDays = 14 },
            (await owner.GetAsync("/settings")).Expect(200).ETag)).Expect(200);
        var email = $"billing+{business}@customer.example";
        var customerId = (await owner.PostAsync("/customers", new
        {
            name = "Müller GmbH", email, language,
            address = new { line1 = "Hauptstraße 5", city = "Berlin", postalCode = "10115", country = "DE" },
        })).Expect(201).Id;
        var invoiceId = (await owner.PostAsync("/invoices", ApiData.Invoice(customerId, "EUR", [ApiData.Line("Brochure printing", 10, 10, taxRate: 19)],
            issueDate: "2026-11-02", dueDate: "2026-11-16"))).Expect(201).Id;
        (await owner.PostAsync($"/invoices/{invoiceId}/finalize")).Expect(200);
        return (invoiceId, email);
    }

    private SqsBatchFunction Worker(CapturingMail mail) =>
        new(new DocumentWorker(_api.Services.WorkerInvoices, _api.Services.Settings, _api.Services.Documents,
            new PdfSharpDocumentRenderer(new InvoicePdfRenderer()), new DeliveryEmailComposer(new InvoiceEmailComposer("invoices@smallpay.test")), mail, _clock),
            new JsonLog("DocumentWorker", TextWriter.Null), _clock);

    private static async Task RunAsync(SqsBatchFunction worker, params string[] bodies)
    {
        var output = await worker.HandleAsync(WorkerData.Batch(bodies.Select((b, i) => ($"m{i}", b)).ToArray()),
            new LambdaInvocation("r1", Start.AddSeconds(30), null, null), CancellationToken.None);
        Assert.Empty(JsonSerializer.Deserialize(output, SqsJsonContext.Default.SqsBatchResponse)!.BatchItemFailures);
    }

    private static string Issued(string id) => $$"""{"eventName":"INSERT","entity":"CreditNote","id":"{{id}}","version":"1"}""";

    private static string Delivery(string id, string requestId) => $$"""{"eventName":"INSERT","entity":"Delivery","id":"delivery#{{id}}#{{requestId}}","version":""}""";

    [Fact]
    public async Task Issued_with_send_true_the_worker_renders_the_credit_note_and_mails_it_once_with_its_PDF()
    {
        var owner = Owner("biz-a");
        var (invoiceId, email) = await InvoiceAsync(owner, "biz-a");
        var body = new { lines = new[] { new { lineIndex = 0, quantity = 4 } }, reason = "Four brochures misprinted", send = true };
        var note = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", body, Key("issue-1"))).Expect(201);
        (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", body, Key("issue-1"))).Expect(201); // the same request again
        var id = note.Id;
        var delivery = Assert.Single(note.Body["deliveries"]!.AsArray());
        Assert.Equal([email], delivery!["to"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("Credit note CN-000001 from Business biz-a", delivery["subject"]!.GetValue<string>());
        Assert.Single((await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray());
        var notReady = (await owner.GetAsync($"/credit-notes/{id}/pdf")).Expect(409);
        Assert.Equal("/problems/document-not-ready", notReady.Body["type"]!.GetValue<string>());

        var mail = new CapturingMail();
        var worker = Worker(mail);
        var requestId = delivery["requestId"]!.GetValue<string>();
        // The issue's record and the e-mail request's, each delivered twice (at-least-once): one PDF object, one e-mail.
        await RunAsync(worker, Issued(id), Delivery(id, requestId), Issued(id), Delivery(id, requestId));

        var message = Assert.Single(mail.Messages);
        Assert.Equal("Credit note CN-000001 from Business biz-a", message.Subject);
        Assert.Equal([email], message.To);
        Assert.Contains("Please find attached credit note CN-000001 from Business biz-a.", message.Text, StringComparison.Ordinal);
        Assert.Equal("CreditNote-CN-000001.pdf", message.Attachment);
        var (key, pdf) = Assert.Single(_api.Services.DocumentObjects.Objects, o => o.Key.Contains(id, StringComparison.Ordinal));
        Assert.Equal($"credit-notes/biz-a/{id}/v1.pdf", key);
        Assert.Equal(pdf, message.Pdf);
        var text = Poppler.FlowText(pdf);
        Assert.Contains("CREDIT NOTE", text, StringComparison.Ordinal);
        Assert.Contains("CN-000001", text, StringComparison.Ordinal);
        Assert.Contains("Credited invoice INV-000001", text, StringComparison.Ordinal);
        Assert.Contains("Credit note for invoice INV-000001.", text, StringComparison.Ordinal);
        Assert.Contains("Reason: Four brochures misprinted.", text, StringComparison.Ordinal);
        Assert.Contains("Brochure printing", text, StringComparison.Ordinal);
        Assert.Contains("Subtotal 40.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("Total 47.60 EUR", text, StringComparison.Ordinal);
        Assert.Contains("The credit is deducted from what invoice INV-000001 asks to be paid.", text, StringComparison.Ordinal); // unpaid: nothing owed back
        Assert.DoesNotContain("Balance due", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OVERDUE", text, StringComparison.Ordinal);

        var sent = (await owner.GetAsync($"/credit-notes/{id}")).Expect(200);
        Assert.Equal("Sent", sent.Body["deliveries"]![0]!["status"]!.GetValue<string>());
        var link = (await owner.GetAsync($"/credit-notes/{id}/pdf")).Expect(200);
        Assert.Contains($"credit-notes/biz-a/{id}/v1.pdf", link.Body["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, link.Body["documentVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_credit_beyond_the_balance_says_what_is_owed_and_a_refund_renders_it_again()
    {
        var owner = Owner("biz-a");
        var (invoiceId, _) = await InvoiceAsync(owner, "biz-a");
        (await owner.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 119, date = "2026-11-10", method = "BankTransfer" })).Expect(201);
        var id = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "23.80", reason = "Goodwill" })).Expect(201).Id;
        var worker = Worker(new CapturingMail());
        await RunAsync(worker, Issued(id));
        var first = Poppler.FlowText(_api.Services.DocumentObjects.Objects[$"credit-notes/biz-a/{id}/v1.pdf"]);
        Assert.Contains("Owed to you 23.80 EUR", first, StringComparison.Ordinal);
        Assert.Contains("23.80 EUR is owed to you and will be refunded.", first, StringComparison.Ordinal);

        (await owner.PostAsync($"/credit-notes/{id}/refunds", new { amount = "23.80" }, Key("refund-1"))).Expect(201);
        (await owner.GetAsync($"/credit-notes/{id}/pdf")).Expect(409); // version 2 is not rendered yet
        await RunAsync(worker, $$"""{"eventName":"MODIFY","entity":"CreditNote","id":"{{id}}","version":"2"}""");
        var second = Poppler.FlowText(_api.Services.DocumentObjects.Objects[$"credit-notes/biz-a/{id}/v2.pdf"]);
        Assert.Contains("What this credit note owed you has been refunded.", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Owed to you", second, StringComparison.Ordinal);
        Assert.Equal(2, (await owner.GetAsync($"/credit-notes/{id}/pdf")).Expect(200).Body["documentVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task In_Japanese_the_PDF_and_the_e_mail_say_credit_note_in_Japanese()
    {
        var owner = Owner("biz-ja");
        var (invoiceId, _) = await InvoiceAsync(owner, "biz-ja", language: "ja");
        var note = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "11.90", reason = "割引", send = true }, Key("ja-1"))).Expect(201);
        var mail = new CapturingMail();
        await RunAsync(Worker(mail), Issued(note.Id), Delivery(note.Id, note.Body["deliveries"]![0]!["requestId"]!.GetValue<string>()));

        var message = Assert.Single(mail.Messages);
        Assert.Equal("Business biz-ja からのクレジットノート CN-000001", message.Subject);
        var text = Poppler.ReadingText(message.Pdf);
        Assert.Contains("クレジットノート", text, StringComparison.Ordinal);
        Assert.Contains("CN-000001", text, StringComparison.Ordinal);
        Assert.Contains("請求書 INV-000001 に対するクレジットノートです。", text, StringComparison.Ordinal);
        Assert.Contains("理由：割引。", text, StringComparison.Ordinal);
        Assert.Contains("11.90 EUR", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Credit note", text, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("SMALLPAY_WRITE_SAMPLES") == "1")
            File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "credit-note-ja.pdf"), message.Pdf);
    }

    [Fact]
    public async Task Send_is_idempotent_per_key_takes_extra_recipients_and_another_business_gets_404()
    {
        var owner = Owner("biz-a");
        var (invoiceId, email) = await InvoiceAsync(owner, "biz-a");
        var id = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "10.00", reason = "Goodwill" })).Expect(201).Id;
        var body = new { cc = new[] { "accounts@customer.example" }, message = "Our apologies." };

        var first = (await owner.PostAsync($"/credit-notes/{id}/send", body, Key("send-1"))).Expect(202);
        var again = (await owner.PostAsync($"/credit-notes/{id}/send", body, Key("send-1"))).Expect(202);
        Assert.Equal(first.Body["deliveries"]!.ToJsonString(), again.Body["deliveries"]!.ToJsonString());
        var stored = Assert.Single((await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray());
        Assert.Equal([email], stored!["to"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["accounts@customer.example"], stored["cc"]!.AsArray().Select(a => a!.GetValue<string>()));
        (await owner.PostAsync($"/credit-notes/{id}/send", null, Key("send-2"))).Expect(202);
        Assert.Equal(2, (await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray().Count);

        var stranger = Owner("biz-b");
        (await stranger.PostAsync($"/credit-notes/{id}/send", null, Key("send-3"))).Expect(404);
        (await stranger.GetAsync($"/credit-notes/{id}/pdf")).Expect(404);
        (await owner.PostAsync("/credit-notes/crn_nope/send", null, Key("send-4"))).Expect(404);
        Assert.Equal(2, (await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray().Count);
        Assert.Contains("/to/0", (await owner.PostAsync($"/credit-notes/{id}/send", new { to = new[] { "not an address" } }, Key("send-5"))).Expect(422).ErrorPointers());
    }

    [Fact]
    public async Task Without_a_sender_address_sending_and_send_true_are_409_and_nothing_is_issued()
    {
        var api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock, variables: new Dictionary<string, string>()));
        var owner = new ApiClient(api.CreateClient(), InMemoryApi.TokenPrefix + "biz-a");
        var (invoiceId, _) = await InvoiceAsync(owner, "biz-a");

        var refused = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "10.00", reason = "Goodwill", send = true }, Key("i-1"))).Expect(409);
        Assert.Equal("/problems/email-not-configured", refused.Body["type"]!.GetValue<string>());
        Assert.Empty((await owner.GetAsync("/credit-notes")).Expect(200).Body["items"]!.AsArray());
        var id = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "10.00", reason = "Goodwill" }, Key("i-2"))).Expect(201).Id;
        var notSent = (await owner.PostAsync($"/credit-notes/{id}/send", null, Key("s-1"))).Expect(409);
        Assert.Equal("/problems/email-not-configured", notSent.Body["type"]!.GetValue<string>());
        Assert.Empty((await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray());
    }

    [Fact]
    public async Task The_daily_sending_limit_refuses_a_send_and_an_issue_with_send_true_storing_nothing()
    {
        var api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock, variables: new Dictionary<string, string>
        {
            ["SMTP_SENDER"] = "invoices@smallpay.test", ["SENDING_LIMIT_NEW"] = "2", ["SENDING_LIMIT"] = "2",
        }));
        var owner = new ApiClient(api.CreateClient(), InMemoryApi.TokenPrefix + "biz-a");
        var (invoiceId, _) = await InvoiceAsync(owner, "biz-a");
        var id = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "10.00", reason = "Goodwill", send = true }, Key("i-1"))).Expect(201).Id;

        var tooMany = (await owner.PostAsync($"/credit-notes/{id}/send", new { to = new[] { "a@customer.example", "b@customer.example" } }, Key("s-1"))).Expect(429);
        Assert.Equal("/problems/sending-limit", tooMany.Body["type"]!.GetValue<string>());
        Assert.NotNull(tooMany.Headers.GetValueOrDefault("retry-after"));
        (await owner.PostAsync($"/credit-notes/{id}/send", null, Key("s-2"))).Expect(202); // exactly up to the limit (1 + 1)
        Assert.Equal(2, (await owner.GetAsync($"/credit-notes/{id}")).Expect(200).Body["deliveries"]!.AsArray().Count);

        var issueRefused = (await owner.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "5.00", reason = "More goodwill", send = true }, Key("i-2"))).Expect(429);
        Assert.Equal("/problems/sending-limit", issueRefused.Body["type"]!.GetValue<string>());
        Assert.Single((await owner.GetAsync("/credit-notes")).Expect(200).Body["items"]!.AsArray()); // not issued either
        Assert.Equal(10m, (await owner.GetAsync($"/invoices/{invoiceId}")).Expect(200).Money("creditedTotal"));
    }
}

/// <summary>Keeps what the tests read of each e-mail (the worker disposes the message after sending).</summary>
internal sealed class CapturingMail : IMailSender
{
    public List<(string Subject, string[] To, string Text, string? Attachment, byte[] Pdf)> Messages { get; } = [];

    public Task<IReadOnlyList<RecipientReply>> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        var attachment = message.Attachments.OfType<MimePart>().SingleOrDefault();
        using var pdf = new MemoryStream();
        attachment?.Content?.DecodeTo(pdf);
        Messages.Add((message.Subject ?? "", recipients.Select(r => r.Address).ToArray(), message.TextBody ?? "", attachment?.FileName, pdf.ToArray()));
        return Task.FromResult<IReadOnlyList<RecipientReply>>(recipients.Select(r => new RecipientReply(r, SmallPay.Domain.Documents.RecipientStatus.Delivered, null)).ToList());
    }
}
