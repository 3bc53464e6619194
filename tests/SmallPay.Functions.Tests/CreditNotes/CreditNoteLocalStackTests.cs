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
