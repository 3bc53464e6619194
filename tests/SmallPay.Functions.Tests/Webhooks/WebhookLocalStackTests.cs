using System.Text.Json;
using System.Text.Json.Nodes;
using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Pipeline;

namespace SmallPay.Functions.Tests.Webhooks;

/// <summary>
/// Webhooks end to end on the local stack, from template.yaml: a domain event put on DomainEventsQueue goes through
/// EventsPipe → SmallPayEventBus (archived) → WebhookEventsRule → WebhooksQueue → DeliverWebhooks over DynamoDB Local and
/// the real HTTP client, to the host's test receiver, signed; the archive replays it without a second delivery. And the
/// whole way from the API: writes → the tables' streams → RecordChanges → DomainEventsQueue → … → the receiver.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class WebhookLocalStackTests(LocalStackFixture stack) : PipelineTest(stack)
{
    private static string Message(string eventId, string type, string business) =>
        JsonSerializer.Serialize(new JsonObject
        {
            ["detail-type"] = type,
            ["detail"] = new JsonObject
            {
                ["id"] = eventId, ["type"] = type, ["schemaVersion"] = 1, ["business"] = business, ["entityId"] = "inv_01JEXAMPLE0000000000000000",
                ["time"] = "2026-12-05T10:00:00.000Z", ["actor"] = null, ["data"] = new JsonObject { ["number"] = "INV-000042" },
            },
        });

    private async Task<JsonArray> ReceivedAsync(HttpClient http, string name, int atLeast, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var requests = JsonNode.Parse(await http.GetStringAsync($"/_local/webhook-receiver/{name}"))!["requests"]!.AsArray();
            if (requests.Count >= atLeast || DateTimeOffset.UtcNow > until) return requests;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_message_on_DomainEventsQueue_reaches_the_test_receiver_through_the_pipe_bus_rule_and_queue_signed()
    {
        var owner = await Stack.CreateUserAsync();
        var api = new ApiClient(Stack.CreateHttpClient(), owner.IdToken);
        using var http = Stack.CreateHttpClient();
        var name = $"erp-{Guid.NewGuid():N}";
        var origin = Stack.EnvironmentFor("CreateWebhook").Get("WEBHOOK_TEST_RECEIVER_ORIGIN")!;
        var url = $"{origin}/_local/webhook-receiver/{name}";
        var created = (await api.PostAsync("/webhooks", new { url, events = new[] { "InvoicePaid" } })).Expect(201);
        var secret = created.Body["secret"]!.GetValue<string>();
        // The exception is this host's receiver only: another loopback URL is refused.
        (await api.PostAsync("/webhooks", new { url = $"{origin}/settings", events = new[] { "InvoicePaid" } })).Expect(422);

        var eventId = $"evt_{Guid.NewGuid():N}";
        Stack.Pipeline.Queue("DomainEventsQueue").Send(Message(eventId, "InvoicePaid", owner.Sub));
        Stack.Pipeline.Queue("DomainEventsQueue").Send(Message($"evt_{Guid.NewGuid():N}", "CustomerCreated", owner.Sub)); // not subscribed

        var received = await ReceivedAsync(http, name, 1, TimeSpan.FromSeconds(20));
        var request = Assert.Single(received)!;
        var headers = request["headers"]!;
        var body = request["body"]!.GetValue<string>();
        Assert.Equal(eventId, headers["SmallPay-Event-Id"]!.GetValue<string>());
        Assert.Equal("InvoicePaid", headers["SmallPay-Event-Type"]!.GetValue<string>());
        Assert.StartsWith("application/json", headers["Content-Type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("SmallPay-Webhooks/", headers["User-Agent"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(eventId, JsonNode.Parse(body)!["id"]!.GetValue<string>());
        Assert.True(WebhookSignature.Verify(headers["SmallPay-Signature"]!.GetValue<string>(), secret, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        // The bus carried both events (newest first in the archive) with EventBridge's shape.
        var events = JsonNode.Parse(await http.GetStringAsync("/_local/events"))!["events"]!.AsArray();
        var carried = events.First(e => e!["detail"]!["id"]!.GetValue<string>() == eventId)!;
        Assert.Equal("smallpay", carried["source"]!.GetValue<string>());
        Assert.Equal("InvoicePaid", carried["detail-type"]!.GetValue<string>());
        Assert.Equal(owner.Sub, carried["detail"]!["business"]!.GetValue<string>());
        foreach (var field in new[] { "version", "id", "account", "time", "region", "resources" }) Assert.NotNull(carried[field]);

        // A replay puts the archived events back on the bus; the delivery exists already, so the receiver gets nothing new.
        var replay = await http.PostAsync("/_local/events/replay", new StringContent("""{"name":"test-replay"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["replayed"]!.GetValue<int>() >= 2);
        await Task.Delay(1500);
        Assert.Single(await ReceivedAsync(http, name, 2, TimeSpan.FromSeconds(2)));
        var log = (await api.GetAsync($"/webhooks/{created.Id}/deliveries")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal("Delivered", Assert.Single(log)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_that_fails_is_retried_on_the_local_clock_until_it_answers()
    {
        var owner = await Stack.CreateUserAsync();
        var api = new ApiClient(Stack.CreateHttpClient(), owner.IdToken);
        using var http = Stack.CreateHttpClient();
        var name = $"flaky-{Guid.NewGuid():N}";
        var url = $"{Stack.EnvironmentFor("CreateWebhook").Get("WEBHOOK_TEST_RECEIVER_ORIGIN")}/_local/webhook-receiver/{name}";
        var created = (await api.PostAsync("/webhooks", new { url, events = new[] { "InvoiceFinalized" } })).Expect(201);
        await http.PostAsync($"/_local/webhook-receiver/{name}/script", new StringContent("""{"fail":2,"status":503}""", System.Text.Encoding.UTF8, "application/json"));

        Stack.Pipeline.Queue("DomainEventsQueue").Send(Message($"evt_{Guid.NewGuid():N}", "InvoiceFinalized", owner.Sub));
        Assert.Single(await ReceivedAsync(http, name, 1, TimeSpan.FromSeconds(20)));

        // The local clock walks the backoff (1 min, then 5 min); each step runs the schedules (RetryWebhooks) once.
        var step = await http.PostAsync("/_local/clock", new StringContent("""{"advance":"PT10M","step":"PT1M"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(step.IsSuccessStatusCode, await step.Content.ReadAsStringAsync());
        try
        {
            var received = await ReceivedAsync(http, name, 3, TimeSpan.FromSeconds(10));
            Assert.Equal([503, 503, 200], received.Select(r => r!["answered"]!.GetValue<int>()).ToList());
            var delivery = (await api.GetAsync($"/webhooks/{created.Id}/deliveries")).Expect(200).Body["items"]![0]!;
            Assert.Equal("Delivered", delivery["status"]!.GetValue<string>());
            Assert.Equal(3, delivery["attempts"]!.AsArray().Count);
        }
        finally
        {
            await http.PostAsync("/_local/clock", new StringContent("""{"reset":true}""", System.Text.Encoding.UTF8, "application/json"));
        }
    }

    [Fact]
    public async Task Changes_made_through_the_API_reach_a_subscribed_endpoint_once_per_event_signed_and_valid_against_their_schemas()
    {
        var owner = await Stack.CreateUserAsync();
        var api = new ApiClient(Stack.CreateHttpClient(), owner.IdToken);
        using var http = Stack.CreateHttpClient();
        var name = $"books-{Guid.NewGuid():N}";
        var url = $"{Stack.EnvironmentFor("CreateWebhook").Get("WEBHOOK_TEST_RECEIVER_ORIGIN")}/_local/webhook-receiver/{name}";
        string[] subscribed = ["CustomerCreated", "InvoiceFinalized", "PaymentRecorded", "InvoicePaid", "CreditNoteIssued"];
        var secret = (await api.PostAsync("/webhooks", new { url, events = subscribed })).Expect(201).Body["secret"]!.GetValue<string>();

        var customer = (await api.PostAsync("/customers", ApiData.Customer("Webhook GmbH", $"hook+{Guid.NewGuid():N}@example.com"))).Expect(201);
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customer.Id))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);
        var total = (await api.GetAsync($"/invoices/{id}")).Expect(200).Money("totals.total");
        (await api.PostAsync($"/invoices/{id}/payments", new { amount = total })).Expect(201);
        (await api.PostAsync($"/invoices/{id}/credit-notes", new { amount = "10.00", reason = "Discount agreed after payment" },
            new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() })).Expect(201);

        var received = await ReceivedAsync(http, name, subscribed.Length, TimeSpan.FromSeconds(40));
        await Task.Delay(1500); // and nothing more arrives: one delivery per event (not InvoiceSent, not subscribed)
        received = await ReceivedAsync(http, name, subscribed.Length + 1, TimeSpan.FromMilliseconds(200));
        Assert.Equal(subscribed.Order(), received.Select(r => r!["headers"]!["SmallPay-Event-Type"]!.GetValue<string>()).Order());
        Assert.Equal(subscribed.Length, received.Select(r => r!["headers"]!["SmallPay-Event-Id"]!.GetValue<string>()).Distinct().Count());
        foreach (var request in received)
        {
            var body = request!["body"]!.GetValue<string>();
            var type = request["headers"]!["SmallPay-Event-Type"]!.GetValue<string>();
            Assert.True(WebhookSignature.Verify(request["headers"]!["SmallPay-Signature"]!.GetValue<string>(), secret, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), type);
            var envelope = JsonNode.Parse(body)!;
            Assert.Equal(owner.Sub, envelope["business"]!.GetValue<string>());
            Assert.Equal(request["headers"]!["SmallPay-Event-Id"]!.GetValue<string>(), envelope["id"]!.GetValue<string>());
            Assert.True(Changes.RecordChangesTests.Validate(type, body).IsValid, $"{type} does not match schemas/events/{type}.v1.json: {body}");
        }
        var paid = JsonNode.Parse(received.Single(r => r!["headers"]!["SmallPay-Event-Type"]!.GetValue<string>() == "InvoicePaid")!["body"]!.GetValue<string>())!;
        Assert.Equal(id, paid["entityId"]!.GetValue<string>());
    }
}
