using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.CreditNotes;

/// <summary>
/// Credit notes on the local stack, over DynamoDB Local's transactions and conditional writes: eight issued at once are
/// numbered CN-000001 to 8, two racing for the same room never both get it, and a credit on a paid invoice is owed back
/// and refunded with the dashboard's summary item kept net of the refund.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class CreditNoteLocalStackTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Eight_concurrent_issues_are_numbered_CN_000001_to_8_on_DynamoDB() =>
        await CreditNoteScenarios.EightConcurrentIssuesAreNumberedGaplessAsync(await TestApi.ForNewUserAsync(stack));

    [Fact]
    public async Task Two_concurrent_credit_notes_never_exceed_what_is_left_to_credit_on_DynamoDB() =>
        await CreditNoteScenarios.TwoConcurrentIssuesNeverExceedTheCreditableAsync(await TestApi.ForNewUserAsync(stack));

    [Fact]
    public async Task A_credit_on_a_paid_invoice_is_owed_back_then_refunded_on_DynamoDB() =>
        await CreditNoteScenarios.PaidInvoiceCreditIsOwedThenRefundedAsync(await TestApi.ForNewUserAsync(stack));

    /// <summary>The item's shape is a contract: the activity history and domain events read it from the table's stream.</summary>
    [Fact]
    public async Task The_credit_note_item_has_the_shape_the_stream_readers_rely_on()
    {
        var user = await stack.CreateUserAsync();
        var api = new ApiClient(stack.CreateHttpClient(), user.IdToken);
        var invoiceId = await CreditNoteScenarios.FinalizedInvoiceAsync(api, "KWD", 1, 10m, 5m);
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", new { amount = "5.250", reason = "Goodwill" })).Expect(201);

        var item = (await stack.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = stack.FunctionEnvironment.Require("INVOICES_TABLE"), Key = new() { ["id"] = new AttributeValue { S = note.Id } }, ConsistentRead = true,
        })).Item;
        Assert.Matches("^crn_[0-9A-HJKMNP-TV-Z]{26}$", item["id"].S);
        Assert.Equal("CreditNote", item["entity"].S);
        Assert.Equal(user.Sub, item["business"].S);
        Assert.Equal(invoiceId, item["invoiceId"].S);
        Assert.Equal("INV-000001", item["invoiceNumber"].S);
        Assert.Equal("CN-000001", item["number"].S);
        Assert.Equal("KWD", item["currency"].S);
        Assert.Equal(5.250m, decimal.Parse(item["total"].N, CultureInfo.InvariantCulture));
        Assert.Equal("Goodwill", item["reason"].S);
        var issuedAt = DateTimeOffset.Parse(item["issuedAt"].S, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, issuedAt.Offset);
        Assert.Equal("api", item["changedBy"].S);
        Assert.Equal(user.Sub, item["updatedBy"].S);
        Assert.Equal("1", item["version"].N);
        Assert.Equal($"credit-notes#{user.Sub}", item["rankedIn"].S);
        Assert.Equal(issuedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), item["rank"].N);
        var invoice = (await api.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.Equal(5.250m, invoice.Money("creditedTotal"));
        Assert.Equal(note.Id, invoice.Body["credits"]![0]!["creditNoteId"]!.GetValue<string>());
    }
}

/// <summary>A credit note's e-mail end to end on the local stack, with the documents pipeline running.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class CreditNoteMailLocalStackTests(LocalStackFixture stack) : SmallPay.Functions.Tests.Pipeline.PipelineTest(stack)
{
    /// <summary>
    /// Issued with <c>send: true</c> and the request repeated (its Idempotency-Key): through the stream, the pipe, the queue
    /// and the worker, the customer gets one e-mail in maildev with the credit note's PDF, whose text a real PDF reader
    /// finds; the delivery is recorded as sent, and the PDF link names the credit note's own object.
    /// </summary>
    [Fact]
    public async Task Issued_with_send_true_the_credit_note_reaches_maildev_once_with_its_PDF()
    {
        var user = await Stack.CreateUserAsync();
        var api = new ApiClient(Stack.CreateHttpClient(), user.IdToken);
        var customerEmail = $"credit-{Guid.NewGuid():N}@example.com";
        var customerId = (await api.PostAsync("/customers", ApiData.Customer("Credit Client", customerEmail))).Expect(201).Id;
        var invoiceId = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, "EUR", [ApiData.Line("Brochure printing", 10, 10, taxRate: 19)]))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{invoiceId}/finalize")).Expect(200);
        var body = new { lines = new[] { new { lineIndex = 0, quantity = 4 } }, reason = "Four brochures misprinted", send = true };
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var note = (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", body, key)).Expect(201);
        (await api.PostAsync($"/invoices/{invoiceId}/credit-notes", body, key)).Expect(201);

        var mail = Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail, timeout: TimeSpan.FromSeconds(45)));
        Assert.Equal($"Credit note {note.Body["number"]!.GetValue<string>()}", mail.Subject.Split(" from ")[0]);
        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("application/pdf", attachment.ContentType);
        var text = SmallPay.Functions.Tests.Documents.Rendering.Poppler.FlowText(await Stack.MailSink.AttachmentAsync(mail, attachment));
        Assert.Contains("CREDIT NOTE", text, StringComparison.Ordinal);
        Assert.Contains($"Credit note for invoice {note.Body["invoiceNumber"]!.GetValue<string>()}.", text, StringComparison.Ordinal);
        Assert.Contains("Total 47.60 EUR", text, StringComparison.Ordinal);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.GetAsync($"/credit-notes/{note.Id}")).Expect(200).Body["deliveries"]![0]!["status"]!.GetValue<string>() != "Sent")
        {
            Assert.True(DateTime.UtcNow < deadline, "the delivery was not recorded as sent");
            await Task.Delay(250);
        }
        var link = (await api.GetAsync($"/credit-notes/{note.Id}/pdf")).Expect(200);
        Assert.Contains($"credit-notes/", link.Body["url"]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(2000); // a second e-mail (a duplicate message) would have arrived by now
        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
    }
}
