using Amazon.S3.Model;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Pipeline;

/// <summary>At-least-once delivery, exactly-once effect: duplicates send one e-mail, stale records change nothing.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class ExactlyOnceTests(LocalStackFixture stack) : PipelineTest(stack)
{
    private readonly PipelineDriver _pipeline = new(stack);

    [Fact]
    public async Task The_same_stream_record_delivered_three_times_at_once_sends_one_e_mail()
    {
        var tenant = await _pipeline.NewTenantAsync("Twice Told Tales", prefix: "TT-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();

        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);
        var (original, _) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsDeliveryRequest);
        // Two more copies of the very message the pipe sent: with up to 5 batches at once they race the original.
        var copies = new[] { _pipeline.Queue.Send(original.MessageBody!), _pipeline.Queue.Send(original.MessageBody!) };
        await _pipeline.WaitUntilGoneFromQueueAsync([original.MessageId!, .. copies]);
        var invoice = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
        Assert.Single(invoice["deliveries"]!.AsArray());
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
    }

    [Fact]
    public async Task A_record_delivered_again_after_it_was_handled_sends_nothing_more()
    {
        var tenant = await _pipeline.NewTenantAsync("Once Only", prefix: "OO-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);
        Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail));
        var before = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.Delivered(i, "Sent"));
        var (record, _) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsDeliveryRequest);

        var again = _pipeline.Queue.Send(record.MessageBody!);
        await _pipeline.WaitUntilGoneFromQueueAsync([again]);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
        var after = await PipelineDriver.GetInvoiceAsync(tenant, invoiceId);
        Assert.Equal(before["deliveries"]!.ToJsonString(), after["deliveries"]!.ToJsonString());
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
    }

    [Fact]
    public async Task A_stale_record_of_an_older_version_changes_nothing()
    {
        var tenant = await _pipeline.NewTenantAsync("Stale Bread Bakery", prefix: "SB-");
        var (customerId, customerEmail) = await PipelineDriver.NewCustomerAsync(tenant);
        var invoiceId = (await PipelineDriver.NewDraftAsync(tenant, customerId))["id"]!.GetValue<string>();
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/send", new { })).Expect(202);
        Assert.Single(await Stack.MailSink.WaitForRecipientAsync(customerEmail));
        // The invoice's own record of the send (draft → finalized), passed by the pipe with its version.
        var (sendRecord, sendBody) = await _pipeline.WaitForPassedRecordAsync(invoiceId, PipelineDriver.IsInvoiceRecord);

        // A payment makes a newer version, which the worker renders.
        (await tenant.Api.PostAsync($"/invoices/{invoiceId}/payments", new { amount = 10.00m, date = "2026-11-05", method = "Cash" })).Expect(201);
        var current = await PipelineDriver.WaitForInvoiceAsync(tenant, invoiceId, i => PipelineDriver.DocumentCurrent(i) && PipelineDriver.Delivered(i, "Sent"));
        Assert.True(PipelineDriver.NewImageVersion(sendBody) < current["version"]!.GetValue<int>());
        var objectsBefore = await DocumentsOfAsync(tenant, invoiceId);

        var stale = _pipeline.Queue.Send(sendRecord.MessageBody!);
        await _pipeline.WaitUntilGoneFromQueueAsync([stale]);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var after = await PipelineDriver.GetInvoiceAsync(tenant, invoiceId);
        Assert.Equal(current["document"]!.ToJsonString(), after["document"]!.ToJsonString());
        Assert.Equal(current["deliveries"]!.ToJsonString(), after["deliveries"]!.ToJsonString());
        Assert.Equal(current["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
        // No PDF was written again, neither the old version's nor the current one's.
        Assert.Equal(objectsBefore, await DocumentsOfAsync(tenant, invoiceId));
        Assert.Single(await Stack.MailSink.ToAsync(customerEmail));
        Assert.Empty(_pipeline.DeadLettersOf(invoiceId));
    }

    private async Task<List<string>> DocumentsOfAsync(Tenant tenant, string invoiceId)
    {
        var listing = await Stack.Host.S3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = Stack.Host.Resources.Buckets["DocumentsBucket"],
            Prefix = $"invoices/{tenant.Sub}/{invoiceId}/",
        });
        return (listing.S3Objects ?? []).Select(o => $"{o.Key} {o.ETag} {o.LastModified:O}").Order().ToList();
    }
}
