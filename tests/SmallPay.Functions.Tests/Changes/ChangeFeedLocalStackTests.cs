using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local;

namespace SmallPay.Functions.Tests.Changes;

/// <summary>
/// The change feed on the local stack: the HTTP API writes to DynamoDB Local, RecordChanges reads both tables' streams
/// through the local DynamoDB event sources, the activity routes list the history, and DomainEventsQueue receives the
/// events through the local host's SQS endpoint (AWSSDK.SQS's SendMessageBatch), which EventsPipe puts on the bus.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class ChangeFeedLocalStackTests(LocalStackFixture stack)
{
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: not after {seconds} s; last: {value}");
            await Task.Delay(150);
        }
    }

    private static async Task<List<string>> KindsAsync(ApiClient api, string path) =>
        (await api.GetAsync(path)).Expect(200).Body["items"]!.AsArray().Select(i => i!["kind"]!.GetValue<string>()).ToList();

    // What SmallPayEventBus carried (its archive): DomainEventsQueue itself is drained by EventsPipe as soon as a message
    // arrives, so the bus is where every event published through the queue can be counted. Replays are not archived.
    private List<JsonNode> EventsOf(string business) =>
        stack.Pipeline.EventBuses["SmallPayEventBus"].Archived.Select(e => JsonNode.Parse(e.Json)!)
            .Where(m => m["detail"]?["business"]?.GetValue<string>() == business).ToList();

    [Fact]
    public async Task The_life_of_an_invoice_and_a_customer_through_the_API_becomes_their_history_and_one_message_per_domain_event()
    {
        await using var pipeline = await stack.RunPipelineAsync();
        var user = await stack.CreateUserAsync();
        var api = new ApiClient(stack.CreateHttpClient(), user.IdToken);

        var customer = (await api.PostAsync("/customers", ApiData.Customer("Feed GmbH", $"feed+{Guid.NewGuid():N}@example.com"))).Expect(201);
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201);
        var id = invoice.Id;
        var edited = (await api.PutAsync($"/invoices/{id}", ApiData.Invoice(customer.Id, notes: "Payable within 14 days."), invoice.ETag)).Expect(200);
        (await api.PostAsync($"/invoices/{id}/finalize", null, new Dictionary<string, string> { ["If-Match"] = edited.ETag! })).Expect(200);
        (await api.PostAsync($"/invoices/{id}/send")).Expect(202);
        // The documents pipeline mails it (maildev accepts): the recipient's outcome comes back through the stream too.
        await EventuallyAsync(() => KindsAsync(api, $"/invoices/{id}/activity"), k => k.Contains("delivered"), "delivered");
        var total = (await api.GetAsync($"/invoices/{id}")).Expect(200).Money("totals.total");
        (await api.PostAsync($"/invoices/{id}/payments", new { amount = total })).Expect(201);
        var read = (await api.GetAsync($"/customers/{customer.Id}")).Expect(200);
        (await api.PutAsync($"/customers/{customer.Id}", new { name = "Feed GmbH & Co. KG", email = customer.Body["email"]!.GetValue<string>() }, read.ETag)).Expect(200);

        string[] expected = ["paid", "paymentRecorded", "delivered", "sent", "finalized", "edited", "created"];
        var kinds = await EventuallyAsync(() => KindsAsync(api, $"/invoices/{id}/activity"), k => k.Count >= expected.Length && k.Contains("paid"), "the invoice's history");
        Assert.Equal(expected.Order(), kinds.Order());
        var page = (await api.GetAsync($"/invoices/{id}/activity")).Expect(200).Body["items"]!.AsArray();
        var times = page.Select(i => DateTimeOffset.Parse(i!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times); // newest first
        Assert.Equal(["delivered", "sent", "finalized", "edited", "created"], kinds.Skip(2)); // paid and its payment share a moment
        Assert.Equal(user.Sub, page.Single(i => i!["kind"]!.GetValue<string>() == "finalized")!["actor"]!.GetValue<string>());
        Assert.Contains(page.Single(i => i!["kind"]!.GetValue<string>() == "edited")!["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "notes");

        // Paging: one at a time with the cursor, the same entries in the same order.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var next = (await api.GetAsync($"/invoices/{id}/activity?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).Expect(200).Body;
            paged.AddRange(next["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = next["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(page.Select(i => i!["id"]!.GetValue<string>()), paged);

        var customerKinds = await EventuallyAsync(() => KindsAsync(api, $"/customers/{customer.Id}/activity"), k => k.Count == 2, "the customer's history");
        Assert.Equal(["edited", "created"], customerKinds);

        string[] types = ["CustomerCreated", "InvoiceFinalized", "InvoiceSent", "InvoiceDelivered", "PaymentRecorded", "InvoicePaid", "CustomerUpdated"];
        var events = await EventuallyAsync(() => Task.FromResult(EventsOf(user.Sub)), e => e.Count >= types.Length, "the domain events");
        await Task.Delay(1000); // nothing more comes: exactly one message per domain event
        events = EventsOf(user.Sub);
        Assert.Equal(types.Order(), events.Select(e => e["detail-type"]!.GetValue<string>()).Order());
        Assert.All(events, e => Assert.Equal(e["detail-type"]!.GetValue<string>(), e["detail"]!["type"]!.GetValue<string>()));
        Assert.Equal(events.Count, events.Select(e => e["detail"]!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(id, events.Single(e => e["detail-type"]!.GetValue<string>() == "InvoicePaid")["detail"]!["entityId"]!.GetValue<string>());
        Assert.Empty(stack.Pipeline.Queue("RecordChangesFailureQueue").Peek());
        Assert.Contains(stack.Pipeline.DeadLetterQueues, queue => queue.Name == "RecordChangesFailureQueue"); // `dlq` lists it
        Assert.Equal(2, stack.Pipeline.StreamSources.Count(source => source.FunctionLogicalId == "RecordChangesFunction" && source.IsRunning));

        // Another tenant sees neither history.
        var intruder = await TestApi.ForNewUserAsync(stack);
        (await intruder.GetAsync($"/invoices/{id}/activity")).Expect(404);
        (await intruder.GetAsync($"/customers/{customer.Id}/activity")).Expect(404);
        (await intruder.GetAsync("/invoices/inv_00000000000000000000000000/activity")).Expect(404);
        (await api.GetAsync($"/invoices/{id}/activity?cursor=bm90LWEtY3Vyc29y")).Expect(400);
    }

    [Fact]
    public async Task A_credit_note_issued_through_the_API_is_credited_on_its_invoice_and_CreditNoteIssued()
    {
        await using var pipeline = await stack.RunPipelineAsync();
        var user = await stack.CreateUserAsync();
        var api = new ApiClient(stack.CreateHttpClient(), user.IdToken);
        var customer = (await api.PostAsync("/customers", ApiData.Customer("Credit GmbH", $"credit+{Guid.NewGuid():N}@example.com"))).Expect(201);
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);

        var note = (await api.PostAsync($"/invoices/{id}/credit-notes", new { amount = "100.00", reason = "Two hours billed twice" },
            new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() })).Expect(201);

        var kinds = await EventuallyAsync(() => KindsAsync(api, $"/invoices/{id}/activity"), k => k.Contains("credited"), "credited");
        Assert.Equal(["credited", "finalized", "created"], kinds);
        var events = await EventuallyAsync(() => Task.FromResult(EventsOf(user.Sub)), e => e.Any(x => x["detail-type"]!.GetValue<string>() == "CreditNoteIssued"), "CreditNoteIssued");
        var issued = events.Single(x => x["detail-type"]!.GetValue<string>() == "CreditNoteIssued")["detail"]!;
        Assert.Equal(note.Id, issued["entityId"]!.GetValue<string>());
        Assert.Equal(id, issued["data"]!["invoiceId"]!.GetValue<string>());
        Assert.Equal(100m, issued["data"]!["total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_local_host_serves_SendMessage_and_SendMessageBatch_to_the_templates_queues_for_AWSSDK_SQS()
    {
        var variables = stack.Host.FunctionVariables("RecordChanges");
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials(LocalResourceNames.AccessKeyId, LocalResourceNames.SecretAccessKey),
            new AmazonSQSConfig { ServiceURL = variables["AWS_ENDPOINT_URL_SQS"], AuthenticationRegion = LocalResourceNames.Region });
        // The dead-letter queue of DomainEventsQueue: no consumer or pipe reads it, so what this test sends (some of it not
        // an event) stays put and never reaches the bus.
        var queueUrl = variables["DOMAIN_EVENTS_QUEUE_URL"].Replace("DomainEventsQueue", "DomainEventsDeadLetterQueue");
        var queue = stack.Pipeline.Queue("DomainEventsDeadLetterQueue");
        var marker = Guid.NewGuid().ToString("N");

        var one = await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = $"{{\"one\":\"{marker}\"}}" });
        var batch = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries =
            [
                new() { Id = "a", MessageBody = $"{{\"a\":\"{marker}\"}}" },
                new() { Id = "b", MessageBody = "bell \u0007" }, // a character SQS does not allow: refused alone
                new() { Id = "c", MessageBody = $"{{\"c\":\"Müller {marker}\"}}" },
            ],
        });

        Assert.Contains(queue.Peek(), m => m.MessageId == one.MessageId && m.Body.Contains(marker));
        Assert.Equal(["a", "c"], batch.Successful.Select(s => s.Id).Order());
        Assert.Equal("b", Assert.Single(batch.Failed).Id);
        Assert.Equal(3, queue.Peek().Count(m => m.Body.Contains(marker)));
        Assert.Contains(queue.Peek(), m => m.Body == $"{{\"c\":\"Müller {marker}\"}}");
        Assert.Equal("InvalidMessageContents", batch.Failed[0].Code);
        await Assert.ThrowsAsync<BatchRequestTooLongException>(() => sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = queueUrl, Entries = [new() { Id = "big", MessageBody = new string('x', 200_000) }, new() { Id = "big2", MessageBody = new string('y', 100_000) }],
        }));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() =>
            sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl.Replace("DomainEventsDeadLetterQueue", "NoSuchQueue"), MessageBody = "{}" }));
    }
}
