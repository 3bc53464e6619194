using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>
/// Failures on the way: the SMTP server down (transient: SQS retries, then the dead-letter queue, then a redrive once it
/// is back) and a recipient the server refuses (permanent: a failed delivery on the invoice, no retries).
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class FaultInjectionTests(LocalStackFixture stack, ITestOutputHelper output) : PipelineTest(stack)
{
    private readonly PipelineDriver _pipeline = new(stack);

    [Fact]
    public async Task With_the_SMTP_server_down_sends_are_retried_then_dead_lettered_and_a_redrive_delivers_each_once()
    {
        var tenant = await _pipeline.NewTenantAsync("Outage Outfitters", prefix: "OU-");
        var invoices = new List<(string Id, string Email)>();
        for (var i = 0; i < 2; i++)
        {
            var (customerId, email) = await PipelineDriver.NewCustomerAsync(tenant, $"Waiting Customer {i}");
            invoices.Add(((await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>(), email));
        }

        var watch = Stopwatch.StartNew();
        await Stack.Mail.StopSmtpAsync();
        try
        {
            foreach (var (id, _) in invoices) (await tenant.Api.PostAsync($"/invoices/{id}/send", new { })).Expect(202);

            foreach (var (id, email) in invoices)
            {
                // The very message the pipe sent for the send (the new e-mail request); the invoice's own change, whose
                // worker run also tries the pending e-mail, may be there too.
                var (sent, _) = await _pipeline.WaitForPassedRecordAsync(id, PipelineDriver.IsDeliveryRequest);
                var deadLetter = await WaitForDeadLetterAsync(id, sent.MessageBody);
                Assert.Equal(5, deadLetter.ApproximateReceiveCount);
                Assert.Equal(_pipeline.Queue.Arn, deadLetter.DeadLetterQueueSourceArn);
                // Still to do, not given up: the worker released its claim each time.
                var invoice = await PipelineDriver.GetInvoiceAsync(tenant, id);
                Assert.Equal("Pending", invoice["deliveries"]![0]!["status"]!.GetValue<string>());
                // The PDF needs no mail server: it is there already.
                Assert.True(PipelineDriver.DocumentCurrent(invoice));
                Assert.Empty(await Stack.MailSink.ToAsync(email));
            }
            output.WriteLine($"both records in the dead-letter queue after 5 receives, {watch.Elapsed.TotalSeconds:0.0} s after the SMTP port closed " +
                             $"(visibility timeout {LocalStackFixture.QueueVisibilityTimeout.TotalMilliseconds:0} ms)");
        }
        finally
        {
            Stack.Mail.StartSmtp();
        }

        using var http = new HttpClient { BaseAddress = Stack.ApiBaseUrl };
        using var redrive = await http.PostAsync($"_local/queues/{PipelineDriver.DeadLetterQueueName}/redrive", content: null);
        var moved = JsonNode.Parse(await redrive.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.True(moved["moved"]!.GetValue<int>() >= invoices.Count);
        Assert.Equal(PipelineDriver.QueueName, moved["movedTo"]!.GetValue<string>());

        foreach (var (id, email) in invoices)
        {
            Assert.Single(await Stack.MailSink.WaitForRecipientAsync(email));
            await PipelineDriver.WaitForInvoiceAsync(tenant, id, i => PipelineDriver.Delivered(i, "Sent"));
            Assert.Empty(_pipeline.DeadLettersOf(id));
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var (_, email) in invoices) Assert.Single(await Stack.MailSink.ToAsync(email));
    }

    [Fact]
    public async Task A_recipient_the_mail_server_refuses_is_a_failed_delivery_with_the_reason_and_is_not_retried()
    {
        var tenant = await _pipeline.NewTenantAsync("Bounce Back Ltd", prefix: "BB-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        // The local SMTP sink refuses the reserved .invalid domain with 550, as a real server refuses an unknown mailbox.
        var nobody = $"nobody-{Guid.NewGuid():N}@customer.invalid";

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { to = new[] { nobody } })).Expect(202);

        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Failed"));
        var delivery = invoice["deliveries"]![0]!;
        var reason = delivery["failureReason"]!.GetValue<string>();
        output.WriteLine($"failureReason: {reason}");
        Assert.Contains(nobody, reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(delivery["sentAt"]);
        var (record, _) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsDeliveryRequest);
        await _pipeline.WaitUntilGoneFromQueueAsync([record.MessageId!]);
        // Handled for good: not back in the queue after a visibility timeout, not in the dead-letter queue.
        await Task.Delay(LocalStackFixture.QueueVisibilityTimeout * 2);
        Assert.DoesNotContain(_pipeline.Queue.Peek(), message => message.MessageId == record.MessageId);
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
        Assert.Empty(await Stack.MailSink.ToAsync(nobody));
        Assert.Empty(await Stack.MailSink.ToAsync(customerEmail));
    }

    private async Task<SmallPay.Local.Pipeline.QueueMessageInfo> WaitForDeadLetterAsync(string invoiceId, string? body = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_pipeline.DeadLettersOf(invoiceId).FirstOrDefault(letter => body is null || letter.Body == body) is { } found) return found;
            if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"no dead letter about {invoiceId}");
            await Task.Delay(50);
        }
    }
}
