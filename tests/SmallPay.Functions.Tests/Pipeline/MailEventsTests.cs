using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>
/// Bounces and complaints on the local stack: a refusal by the mail server (the SMTP gate's 550 for a `.invalid`
/// address) and a bounce or complaint injected as SES would publish it (POST /_local/mail-events → MailEventsQueue →
/// MailEventsFunction) both mark the recipient refused on the delivery and put the address on the business's
/// suppression list, so the next send to it is refused at the API.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class MailEventsTests(LocalStackFixture stack) : PipelineTest(stack)
{
    private readonly PipelineDriver _pipeline = new(stack);

    [Fact]
    public async Task A_refused_mailbox_and_a_bounce_reported_later_both_suppress_the_address_for_the_business()
    {
        var tenant = await _pipeline.NewTenantAsync();
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        var unknown = $"nobody-{Guid.NewGuid():N}@customer.invalid";

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { customerEmail, unknown } })).Expect(202);
        var sent = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "PartlySent"));
        var deliveryId = sent["deliveries"]![0]!["requestId"]!.GetValue<string>();

        // The server refused the .invalid mailbox for good: suppressed at once.
        var again = (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { unknown } })).Expect(422);
        Assert.Equal("/problems/suppressed-recipient", again.Body["type"]!.GetValue<string>());

        // Later SES reports that the delivered address bounced after all.
        using var http = Stack.CreateHttpClient();
        using var injected = await http.PostAsJsonAsync("_local/mail-events", new { type = "bounce", recipient = customerEmail, business = tenant.Sub, invoice = invoiceId, delivery = deliveryId });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, injected.StatusCode);
        var bounced = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Failed"));
        var recipients = bounced["deliveries"]![0]!["recipients"]!.AsArray();
        Assert.All(recipients, r => Assert.Equal("Refused", r!["status"]!.GetValue<string>()));
        Assert.Contains("bounced", recipients.Single(r => r!["address"]!.GetValue<string>() == customerEmail)!["reason"]!.GetValue<string>());
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(422); // the customer's address is suppressed now

        // A complaint, without an invoice to mark, still suppresses the address.
        var complainer = $"angry-{Guid.NewGuid():N}@customer.example";
        using var complaint = await http.PostAsJsonAsync("_local/mail-events", new { type = "complaint", recipient = complainer, business = tenant.Sub });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, complaint.StatusCode);
        await WaitUntilAsync(async () => (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { complainer } })).Code == 422);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(200);
        }
    }
}
