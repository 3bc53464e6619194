using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>
/// Send → stream → pipe → queue → worker → S3 and SMTP, on the local stack, read back with real tools: maildev's API
/// for the e-mail, poppler's pdftotext/pdfinfo for the PDF, a plain HTTP GET for the presigned link.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class InvoiceDeliveryTests(LocalStackFixture stack, ITestOutputHelper output) : PipelineTest(stack)
{
    private readonly PipelineDriver _pipeline = new(stack);

    [Fact]
    public async Task Sending_an_invoice_stores_its_PDF_and_mails_it_once_with_the_PDF_attached()
    {
        var tenant = await _pipeline.NewTenantAsync("Atelier Sommer", prefix: "AS-");
        // The owner confirms the business address with the code mailed to it: replies then go there.
        await _pipeline.VerifyEmailAsync(tenant);
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant, "Müller GmbH");
        var draft = await PipelineDriver.NewDraftAsync(tenant, customerId);
        var invoiceId = draft["id"]!.GetValue<string>();
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/finalize")).Expect(200);
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 500.00m, date = "2026-11-05", method = "BankTransfer" })).Expect(201);

        var requestedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var sent = (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202).Body;
        var accepted = clock.Elapsed;
        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail, timeout: TimeSpan.FromSeconds(30)));
        var arrived = clock.Elapsed;
        var pipeRead = _pipeline.RecordsOf(invoiceId).Last(r => r.Record.Passed).Record.ReadAt;
        output.WriteLine($"send → 202 in {accepted.TotalMilliseconds:0} ms; the pipe read the record {(pipeRead - requestedAt).TotalMilliseconds:0} ms " +
                         $"after the request; send → e-mail in maildev in {arrived.TotalMilliseconds:0} ms");

        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent") && PipelineDriver.DocumentCurrent(i));
        var number = invoice["number"]!.GetValue<string>();
        var totals = invoice["totals"]!;

        // The e-mail: one, from the business, about this invoice, with the PDF.
        Assert.Equal("Pending", sent["deliveries"]![0]!["status"]!.GetValue<string>());
        Assert.Contains(number, mail.Subject);
        Assert.Equal(invoiceId, mail.Header("X-SmallPay-Invoice-Id"));
        Assert.Matches($"(?im)^Reply-To: .*{Regex.Escape(tenant.Email)}", await Stack.MailSink.SourceAsync(mail));
        Assert.Contains(PipelineDriver.Amount(totals["balanceDue"]), mail.Text);
        Assert.Contains(PipelineDriver.Amount(totals["balanceDue"]), mail.Html);
        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.EndsWith(".pdf", attachment.FileName);
        Assert.Contains(number, attachment.FileName);
        var pdf = await Stack.MailSink.AttachmentAsync(mail, attachment);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);

        // The PDF, read by a real PDF reader: number, customer, every line, the totals and the balance.
        var text = PdfTools.Squeeze(await PdfTools.TextAsync(pdf));
        Assert.Contains(number, text);
        Assert.Contains("Müller GmbH", text);
        Assert.Contains("Atelier Sommer", text);
        foreach (var line in invoice["lines"]!.AsArray())
        {
            Assert.Contains(line!["description"]!.GetValue<string>(), text);
            Assert.Contains(PipelineDriver.Amount(line["amount"]), text);
        }
        Assert.Matches(Row("Subtotal", totals["subtotal"]), text);
        foreach (var tax in totals["taxes"]!.AsArray())
            Assert.Contains(PipelineDriver.Amount(tax!["tax"]) + " EUR", text);
        Assert.Matches(Row("Total", totals["total"]), text);
        Assert.Matches(Row("Amount paid", totals["amountPaid"]), text);
        Assert.Matches(Row("Balance due", totals["balanceDue"]), text);
        Assert.Equal(500.00m, totals["amountPaid"]!.GetValue<decimal>());

        // The same document is in S3 under the invoice's current version, and recorded on the invoice.
        var bucket = Stack.Host.Resources.Buckets["DocumentsBucket"];
        var stored = await Stack.Host.S3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = bucket,
            Prefix = $"invoices/{tenant.Sub}/{invoiceId}/",
        });
        var current = Assert.Single(stored.S3Objects, o => o.Key.EndsWith($"/v{invoice["version"]}.pdf", StringComparison.Ordinal));
        Assert.Equal(invoice["document"]!["sizeBytes"]!.GetValue<long>(), current.Size);
        using var body = (await Stack.Host.S3.GetObjectAsync(bucket, current.Key)).ResponseStream;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        Assert.Equal(text, PdfTools.Squeeze(await PdfTools.TextAsync(copy.ToArray())));

        // Delivered once: nothing more arrives, and the delivery says when it was sent.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
        Assert.NotNull(invoice["deliveries"]![0]!["sentAt"]);
    }

    [Fact]
    public async Task A_60_line_invoice_flows_onto_more_pages_with_every_line()
    {
        var tenant = await _pipeline.NewTenantAsync("Long Lists Ltd", prefix: "LL-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant, "Bulk Buyer AG");
        var lines = Enumerable.Range(1, 60).Select(i => ApiData.Line($"Catalogue item {i:00}", i, 1.25m * i, taxRate: i % 2 == 0 ? 19 : 7)).ToArray();
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId, lines))["id"]!.GetValue<string>();

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail));
        var pdf = await Stack.MailSink.AttachmentAsync(mail, Assert.Single(mail.Attachments));
        var pages = await PdfTools.PageCountAsync(pdf);
        var text = PdfTools.Squeeze(await PdfTools.TextAsync(pdf));
        var invoice = await PipelineDriver.GetInvoiceAsync(tenant, invoiceId);
        output.WriteLine($"60 lines: {pages} pages, {pdf.Length} bytes");

        Assert.True(pages > 1, $"60 lines fit on {pages} page");
        for (var i = 1; i <= 60; i++) Assert.Contains($"Catalogue item {i:00}", text);
        Assert.Matches(Row("Total", invoice["totals"]!["total"]), text);
        Assert.Contains($"Page {pages} of {pages}", text);
    }

    [Fact]
    public async Task Non_Latin_names_survive_in_the_PDF_and_the_e_mail()
    {
        const string business = "Ελληνικά Кириллица Studio";
        const string customer = "Müller Łódź Ελληνικά Кириллица";
        var tenant = await _pipeline.NewTenantAsync(business, prefix: "NL-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant, customer);
        var lines = new[]
        {
            ApiData.Line("Übersetzung — Łódź, Gdańsk", 2, 150, taxRate: 19),
            ApiData.Line("Μετάφραση κειμένου", 1, 80, taxRate: 19),
            ApiData.Line("Перевод документации", 3, 40, taxRate: 7),
        };
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId, lines, notes: "Dziękujemy! Ευχαριστούμε! Спасибо!"))["id"]!.GetValue<string>();

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { message = "Grüße aus Łódź — Ελληνικά, Кириллица" })).Expect(202);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail));
        var text = PdfTools.Squeeze(await PdfTools.TextAsync(await Stack.MailSink.AttachmentAsync(mail, Assert.Single(mail.Attachments))));

        foreach (var expected in new[] { business, customer, "Übersetzung — Łódź, Gdańsk", "Μετάφραση κειμένου", "Перевод документации", "Dziękujemy! Ευχαριστούμε! Спасибо!" })
            Assert.Contains(expected, text);
        Assert.Contains(business, mail.Raw["from"]![0]!["name"]!.GetValue<string>());
        Assert.Contains("Grüße aus Łódź — Ελληνικά, Кириллица", mail.Text);
        Assert.Contains("Grüße aus Łódź — Ελληνικά, Кириллица", mail.Html);
    }

    [Fact]
    public async Task One_of_three_recipients_refused_for_good_the_two_others_get_one_copy_each_shown_per_recipient_and_not_retried()
    {
        var tenant = await _pipeline.NewTenantAsync("Partly Posted GmbH", prefix: "PP-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        var nobody = $"nobody-{Guid.NewGuid():N}@customer.invalid"; // the local gate refuses .invalid with 550
        var copy = $"copy-{Guid.NewGuid():N}@customer.example";

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { customerEmail, nobody }, cc = new[] { copy } })).Expect(202);

        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "PartlySent"));
        var delivery = invoice["deliveries"]![0]!;
        output.WriteLine(delivery.ToJsonString());
        var recipients = delivery["recipients"]!.AsArray().Select(r => (r!["address"]!.GetValue<string>(), r["status"]!.GetValue<string>())).ToList();
        Assert.Equal([(customerEmail, "Delivered"), (nobody, "Refused"), (copy, "Delivered")], recipients);
        Assert.StartsWith("550", delivery["recipients"]![1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(delivery["recipients"]![0]!["deliveredAt"]);
        Assert.Contains(nobody, delivery["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail));
        Assert.Equal([customerEmail, copy], mail.Raw["envelope"]!["to"]!.AsArray().Select(r => r!["address"]!.GetValue<string>()));
        var (record, _) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsDeliveryRequest);
        await _pipeline.WaitUntilGoneFromQueueAsync([record.MessageId!]);
        await Task.Delay(LocalStackFixture.QueueVisibilityTimeout * 2);
        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
        Assert.Single(await Stack.MailSink.ToAsync(copy));
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
    }

    [Fact]
    public async Task An_internationalised_address_is_delivered_through_maildev_which_offers_SMTPUTF8()
    {
        var tenant = await _pipeline.NewTenantAsync("Umlaut Unlimited", prefix: "UU-");
        var (customerId, _) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        var jorg = $"jörg-{Guid.NewGuid():N}@example.de";

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { jorg } })).Expect(202);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(jorg));
        Assert.Equal([jorg], mail.Raw["envelope"]!["to"]!.AsArray().Select(r => r!["address"]!.GetValue<string>()));
        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent"));
        Assert.Equal("Delivered", invoice["deliveries"]![0]!["recipients"]![0]!["status"]!.GetValue<string>());
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
    }

    [Fact]
    public async Task The_PDF_link_works_for_the_owner_and_another_tenant_gets_404()
    {
        var owner = await _pipeline.NewTenantAsync("Owner Works", prefix: "OW-");
        var intruder = await _pipeline.NewTenantAsync("Intruder Ltd", prefix: "IN-");
        var (customerId, _) = await PipelineDriver.NewCustomerAsync(owner);
        var invoiceId = (await PipelineDriver.NewDraftAsync(owner, customerId))["id"]!.GetValue<string>();
        (await owner.Api.PostAsync($"/invoices/{invoiceId}/finalize")).Expect(200);
        var invoice = await PipelineDriver.WaitForInvoiceAsync(owner, invoiceId, PipelineDriver.DocumentCurrent);

        var link = (await owner.Api.GetAsync($"/invoices/{invoiceId}/pdf")).Expect(200).Body;
        var theirs = await intruder.Api.GetAsync($"/invoices/{invoiceId}/pdf");
        using var http = new HttpClient();
        using var download = await http.GetAsync(link["url"]!.GetValue<string>());
        var pdf = await download.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.Equal(invoice["version"]!.GetValue<int>(), link["documentVersion"]!.GetValue<int>());
        Assert.Contains(invoice["number"]!.GetValue<string>(), PdfTools.Squeeze(await PdfTools.TextAsync(pdf)));
        Assert.Equal(HttpStatusCode.NotFound, theirs.Status);
        Assert.DoesNotContain("url", theirs.Text);
    }

    // "Total 1,234.56 EUR": the label and its figure side by side in the layout text.
    private static Regex Row(string label, System.Text.Json.Nodes.JsonNode? amount) =>
        new($@"{Regex.Escape(label)} {Regex.Escape(PipelineDriver.Amount(amount))} EUR");
}
