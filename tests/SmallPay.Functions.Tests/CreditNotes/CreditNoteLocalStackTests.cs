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
}
