using System.Net;
using System.Text.Json;
using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Webhooks;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Webhooks;

/// <summary>
/// Webhooks over the in-memory API and stores: registration and its refusals, tenants kept apart, the secret shown once,
/// deliveries from domain events (DeliverWebhooks), retries on a clock the test moves (RetryWebhooks), exactly one
/// delivery per endpoint and event, and resending by hand.
/// </summary>
public sealed class WebhookTests
{
    private const string Url = "https://hooks.erp.example.test/smallpay";
    private readonly ManualTime _clock = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApi _api;
    private readonly string _business = Guid.NewGuid().ToString();
    private readonly ApiClient _owner;

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public WebhookTests()
    {
        _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));
        _api.Services.Network.Dns["hooks.erp.example.test"] = [IPAddress.Parse("93.184.215.14")];
        _api.Services.Network.Dns["other.example.test"] = [IPAddress.Parse("93.184.215.15")];
        _api.Services.Network.Dns["internal.example.test"] = [IPAddress.Parse("93.184.215.16"), IPAddress.Parse("10.0.0.7")];
        _api.Services.Network.Dns["metadata.example.test"] = [IPAddress.Parse("169.254.169.254")];
        _api.Services.Network.Dns["mapped.example.test"] = [IPAddress.Parse("::ffff:127.0.0.1")];
        _owner = Client(_business);
    }

    private ApiClient Client(string business) => new(_api.CreateClient(), InMemoryApi.Token(business));

    private async Task<ApiResult> RegisterAsync(string url = Url, string[]? events = null, ApiClient? as_ = null) =>
        await (as_ ?? _owner).PostAsync("/webhooks", new { url, events = events ?? ["InvoiceFinalized", "InvoicePaid"], description = "ERP" });

    private static string Envelope(string id, string type, string business) => JsonSerializer.Serialize(new
    {
        id, type, schemaVersion = 1, business, entityId = "inv_01JEXAMPLE0000000000000000", time = "2026-12-05T10:00:00.000Z", actor = (string?)null,
        data = new { number = "INV-0007" },
    });

    /// <summary>The EventBridge event WebhookEventsRule puts in WebhooksQueue, as one SQS record.</summary>
    private static byte[] Batch(params (string Id, string Type, string Business)[] events) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        Records = events.Select((e, i) => new
        {
            messageId = $"m{i}", receiptHandle = $"r{i}", eventSource = "aws:sqs", attributes = new { ApproximateReceiveCount = "1" },
            body = $$"""{"version":"0","id":"{{Guid.NewGuid()}}","detail-type":"{{e.Type}}","source":"smallpay","account":"000000000000","time":"2026-12-05T10:00:00Z","region":"eu-central-1","resources":[],"detail":{{Envelope(e.Id, e.Type, e.Business)}}}""",
        }).ToArray(),
    });

    private async Task<string> DeliverAsync(params (string Id, string Type, string Business)[] events)
    {
        var output = await _api.Services.Function("DeliverWebhooks").HandleAsync(Batch(events), LambdaInvocation.Local(TimeSpan.FromSeconds(60)), CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output);
    }

    private async Task<WebhookRetryReport> RetryAsync()
    {
        var output = await _api.Services.Function("RetryWebhooks").HandleAsync("{}"u8.ToArray(), LambdaInvocation.Local(TimeSpan.FromSeconds(60)), CancellationToken.None);
        return JsonSerializer.Deserialize<WebhookRetryReport>(output, SmallPay.Functions.Tests.Api.TestJson.Options)!;
    }

    private IReadOnlyList<(WebhookRequest Request, DateTimeOffset At)> Received => _api.Services.Network.Received;

    // ------------------------------------------------------------------ registration

    [Fact]
    public async Task Registering_answers_the_secret_once_and_no_read_ever_shows_it()
    {
        var created = (await RegisterAsync()).Expect(201);
        var secret = created.Body["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal("\"1\"", created.ETag);

        var list = (await _owner.GetAsync("/webhooks")).Expect(200);
        var one = (await _owner.GetAsync($"/webhooks/{created.Id}")).Expect(200);
        var updated = (await _owner.PutAsync($"/webhooks/{created.Id}", new { url = Url, events = new[] { "InvoicePaid" }, enabled = false }, one.ETag)).Expect(200);
        var deliveries = (await _owner.GetAsync($"/webhooks/{created.Id}/deliveries")).Expect(200);

        foreach (var answer in new[] { list, one, updated, deliveries })
        {
            Assert.DoesNotContain(secret, answer.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", answer.Text, StringComparison.Ordinal);
        }
        Assert.Equal(Url, list.Body["items"]![0]!["url"]!.GetValue<string>());
        Assert.Equal(10, list.Body["eventTypes"]!.AsArray().Count);
        Assert.False(updated.Body["enabled"]!.GetValue<bool>());
        Assert.Equal("\"2\"", updated.ETag);
        (await _owner.PutAsync($"/webhooks/{created.Id}", new { url = Url, events = new[] { "InvoicePaid" } }, one.ETag)).Expect(412);
    }

    [Theory]
    [InlineData("http://hooks.erp.example.test/x")]                   // not https
    [InlineData("https://user:secret@hooks.erp.example.test/x")]      // user-info
    [InlineData("https://localhost/x")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]         // literal link-local (instance metadata)
    [InlineData("https://[::ffff:127.0.0.1]/x")]                      // literal IPv4-mapped loopback
    [InlineData("https://[::1]/x")]
    [InlineData("https://192.168.0.10/x")]
    [InlineData("https://metadata.example.test/x")]                   // resolves to 169.254.169.254
    [InlineData("https://mapped.example.test/x")]                     // resolves to ::ffff:127.0.0.1
    [InlineData("https://internal.example.test/x")]                   // one of its addresses is private
    public async Task Urls_that_could_reach_inside_are_refused_with_a_422_on_url(string url)
    {
        var refused = (await RegisterAsync(url)).Expect(422);
        Assert.Equal(["/url"], refused.ErrorPointers());
        Assert.Empty(_api.Services.Stores.Webhooks.Endpoints);
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_yet_is_accepted_and_checked_again_at_each_delivery()
    {
        (await RegisterAsync("https://nowhere.example.test/x")).Expect(201);

        await DeliverAsync(("evt_N", "InvoicePaid", _business));

        Assert.Empty(Received);
        Assert.StartsWith("refused", Assert.Single(Assert.Single(_api.Services.Stores.Webhooks.Deliveries).Attempts).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_business_has_at_most_ten_endpoints()
    {
        for (var i = 0; i < 10; i++) (await RegisterAsync($"{Url}/{i}")).Expect(201);
        var refused = (await RegisterAsync($"{Url}/10")).Expect(409);
        Assert.Contains("at most 10", refused.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_endpoints_and_deliveries_read_as_404()
    {
        var created = (await RegisterAsync()).Expect(201);
        await DeliverAsync(("evt_A", "InvoicePaid", _business));
        var delivery = (await _owner.GetAsync($"/webhooks/{created.Id}/deliveries")).Expect(200).Body["items"]![0]!["id"]!.GetValue<string>();
        var stranger = Client(Guid.NewGuid().ToString());

        (await stranger.GetAsync($"/webhooks/{created.Id}")).Expect(404);
        (await stranger.GetAsync($"/webhooks/{created.Id}/deliveries")).Expect(404);
        (await stranger.PostAsync($"/webhooks/{created.Id}/deliveries/{delivery}/resend")).Expect(404);
        (await stranger.PostAsync($"/webhooks/{created.Id}/secret")).Expect(404);
        (await stranger.PutAsync($"/webhooks/{created.Id}", new { url = Url, events = new[] { "InvoicePaid" } }, "\"1\"")).Expect(404);
        (await stranger.DeleteAsync($"/webhooks/{created.Id}")).Expect(404);
        Assert.Empty((await stranger.GetAsync("/webhooks")).Expect(200).Body["items"]!.AsArray());
        (await _owner.GetAsync($"/webhooks/{created.Id}")).Expect(200);
    }

    // ------------------------------------------------------------------ deliveries

    [Fact]
    public async Task An_event_is_delivered_signed_with_its_headers_and_the_receiver_can_verify_it()
    {
        var secret = (await RegisterAsync()).Expect(201).Body["secret"]!.GetValue<string>();

        await DeliverAsync(("evt_01JEXAMPLE0000000000000001", "InvoicePaid", _business));

        var (request, at) = Assert.Single(Received);
        Assert.Equal(Url, request.Url.ToString());
        Assert.Equal("evt_01JEXAMPLE0000000000000001", request.Headers["SmallPay-Event-Id"]);
        Assert.Equal("InvoicePaid", request.Headers["SmallPay-Event-Type"]);
        Assert.StartsWith("wdl_", request.Headers["SmallPay-Delivery-Id"], StringComparison.Ordinal);
        Assert.Equal(Envelope("evt_01JEXAMPLE0000000000000001", "InvoicePaid", _business), request.Body); // the envelope, as it came
        // What a receiver does with the header and the raw body:
        Assert.True(WebhookSignature.Verify(request.Headers["SmallPay-Signature"], secret, request.Body, at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(request.Headers["SmallPay-Signature"], "whsec_wrong", request.Body, at, TimeSpan.FromMinutes(5)));
        var delivery = Assert.Single(_api.Services.Stores.Webhooks.Deliveries);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Empty(_api.Services.Stores.Webhooks.Retries);
    }

    [Fact]
    public async Task An_endpoint_subscribed_to_other_types_or_disabled_or_of_another_business_gets_nothing()
    {
        (await RegisterAsync(events: ["CustomerCreated"])).Expect(201);
        var disabled = (await RegisterAsync("https://other.example.test/in", ["InvoicePaid"])).Expect(201);
        (await _owner.PutAsync($"/webhooks/{disabled.Id}", new { url = "https://other.example.test/in", events = new[] { "InvoicePaid" }, enabled = false }, "\"1\"")).Expect(200);
        var otherBusiness = Guid.NewGuid().ToString();
        (await RegisterAsync("https://other.example.test/theirs", ["InvoicePaid"], Client(otherBusiness))).Expect(201);

        await DeliverAsync(("evt_X1", "InvoicePaid", _business), ("evt_X2", "InvoiceFinalized", _business));

        Assert.Empty(Received);
        Assert.Empty(_api.Services.Stores.Webhooks.Deliveries);
    }

    [Fact]
    public async Task A_duplicate_event_and_a_retried_batch_make_exactly_one_delivery_per_endpoint()
    {
        (await RegisterAsync()).Expect(201);
        (await RegisterAsync("https://other.example.test/in", ["InvoicePaid"])).Expect(201);

        await DeliverAsync(("evt_D", "InvoicePaid", _business), ("evt_D", "InvoicePaid", _business)); // the change feed sent it twice
        await DeliverAsync(("evt_D", "InvoicePaid", _business));                                      // the batch came again
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => DeliverAsync(("evt_D", "InvoicePaid", _business)))); // concurrently

        Assert.Equal(2, Received.Count);
        Assert.Equal(2, Received.Select(r => r.Request.Url.Host).Distinct().Count());
        Assert.Equal(2, _api.Services.Stores.Webhooks.Deliveries.Count);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_on_the_clock_until_it_answers_2xx()
    {
        var webhook = (await RegisterAsync()).Expect(201);
        _api.Services.Network.Script(Url, fail: 3, status: 503);
        var start = _clock.Now;

        await DeliverAsync(("evt_R", "InvoicePaid", _business));
        for (var minute = 0; minute < 60; minute++)
        {
            _clock.Now = _clock.Now.AddMinutes(1);
            await RetryAsync();
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(36)], Received.Select(r => r.At - start).ToList());
        var log = (await _owner.GetAsync($"/webhooks/{webhook.Id}/deliveries")).Expect(200).Body["items"]![0]!;
        Assert.Equal("Delivered", log["status"]!.GetValue<string>());
        Assert.Equal([503, 503, 503, 200], log["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()).ToList());
        Assert.Equal("unavailable", log["attempts"]![0]!["response"]!.GetValue<string>());
        Assert.Empty(_api.Services.Stores.Webhooks.Retries);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_2xx_is_tried_eight_times_and_the_delivery_is_Failed_a_day_after_the_first()
    {
        var webhook = (await RegisterAsync()).Expect(201);
        _api.Services.Network.Script(Url, fail: 1000, status: 500);
        var start = _clock.Now;

        await DeliverAsync(("evt_F", "InvoiceFinalized", _business));
        while (_clock.Now < start.AddHours(26))
        {
            _clock.Now = _clock.Now.AddMinutes(5);
            await RetryAsync();
        }

        Assert.Equal(8, Received.Count);
        Assert.InRange(Received[^1].At - start, TimeSpan.FromHours(24), TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(5)));
        var log = (await _owner.GetAsync($"/webhooks/{webhook.Id}/deliveries")).Expect(200).Body["items"]![0]!;
        Assert.Equal("Failed", log["status"]!.GetValue<string>());
        Assert.Null(log["nextAttemptAt"]);
        Assert.Equal(8, log["attempts"]!.AsArray().Count);
        Assert.Empty(_api.Services.Stores.Webhooks.Retries);
    }

    [Fact]
    public async Task Concurrent_retry_runs_send_each_due_retry_once()
    {
        (await RegisterAsync()).Expect(201);
        (await RegisterAsync("https://other.example.test/in", ["InvoicePaid"])).Expect(201);
        _api.Services.Network.Script(Url, fail: 2, status: 502);
        _api.Services.Network.Script("https://other.example.test/in", fail: 2, status: 502);
        await DeliverAsync(("evt_C1", "InvoicePaid", _business), ("evt_C2", "InvoicePaid", _business));
        Assert.Equal(4, Received.Count);

        _clock.Now = _clock.Now.AddMinutes(2);
        var reports = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(RetryAsync)));

        Assert.Equal(8, Received.Count); // each of the four deliveries tried once more, whatever the runs raced for
        Assert.Equal(4, reports.Sum(r => r.Tried));
        Assert.All(_api.Services.Stores.Webhooks.Deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task Resend_tries_now_and_answers_the_outcome()
    {
        var webhook = (await RegisterAsync()).Expect(201);
        _api.Services.Network.Script(Url, fail: 1, status: 500);
        await DeliverAsync(("evt_S", "InvoicePaid", _business));
        var id = (await _owner.GetAsync($"/webhooks/{webhook.Id}/deliveries")).Expect(200).Body["items"]![0]!["id"]!.GetValue<string>();

        var resent = (await _owner.PostAsync($"/webhooks/{webhook.Id}/deliveries/{id}/resend")).Expect(200);

        Assert.Equal("Delivered", resent.Body["status"]!.GetValue<string>());
        var attempts = resent.Body["attempts"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1]!["resend"]!.GetValue<bool>());
        Assert.Equal(200, attempts[1]!["statusCode"]!.GetValue<int>());
        Assert.Equal(2, Received.Count);
        Assert.Equal(Received[0].Request.Headers["SmallPay-Delivery-Id"], Received[1].Request.Headers["SmallPay-Delivery-Id"]);
        // The schedule has nothing left to do for it.
        _clock.Now = _clock.Now.AddMinutes(5);
        Assert.Equal(0, (await RetryAsync()).Tried);
        Assert.Equal(2, Received.Count);
        (await _owner.PostAsync($"/webhooks/{webhook.Id}/deliveries/wdl_00000000000000000000000000/resend")).Expect(404);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_for_a_day_then_only_the_new_one()
    {
        var webhook = (await RegisterAsync()).Expect(201);
        var old = webhook.Body["secret"]!.GetValue<string>();
        var rotated = (await _owner.PostAsync($"/webhooks/{webhook.Id}/secret")).Expect(200);
        var fresh = rotated.Body["secret"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);
        Assert.DoesNotContain(fresh, (await _owner.GetAsync($"/webhooks/{webhook.Id}")).Expect(200).Text, StringComparison.Ordinal);

        await DeliverAsync(("evt_K1", "InvoicePaid", _business));
        _clock.Now = _clock.Now.AddHours(25);
        await DeliverAsync(("evt_K2", "InvoicePaid", _business));

        var (during, duringAt) = Received[0];
        var (after, afterAt) = Received[1];
        Assert.Equal(3, during.Headers["SmallPay-Signature"].Split(',').Length);
        Assert.True(WebhookSignature.Verify(during.Headers["SmallPay-Signature"], old, during.Body, duringAt, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(during.Headers["SmallPay-Signature"], fresh, during.Body, duringAt, TimeSpan.FromMinutes(5)));
        Assert.Equal(2, after.Headers["SmallPay-Signature"].Split(',').Length);
        Assert.False(WebhookSignature.Verify(after.Headers["SmallPay-Signature"], old, after.Body, afterAt, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(after.Headers["SmallPay-Signature"], fresh, after.Body, afterAt, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_host_that_resolves_inside_at_delivery_time_is_not_called()
    {
        (await RegisterAsync()).Expect(201);
        _api.Services.Network.Dns["hooks.erp.example.test"] = [IPAddress.Parse("127.0.0.1")]; // DNS rebinding after registration

        await DeliverAsync(("evt_B", "InvoicePaid", _business));

        Assert.Empty(Received);
        var delivery = Assert.Single(_api.Services.Stores.Webhooks.Deliveries);
        Assert.StartsWith("refused", delivery.Attempts.Single().Error, StringComparison.Ordinal);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
    }

    [Fact]
    public async Task Deleting_an_endpoint_stops_its_retries()
    {
        var webhook = (await RegisterAsync()).Expect(201);
        _api.Services.Network.Script(Url, fail: 5, status: 500);
        await DeliverAsync(("evt_Del", "InvoicePaid", _business));
        (await _owner.DeleteAsync($"/webhooks/{webhook.Id}")).Expect(204);
        (await _owner.GetAsync($"/webhooks/{webhook.Id}")).Expect(404);

        _clock.Now = _clock.Now.AddMinutes(2);
        await RetryAsync();

        Assert.Single(Received);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(_api.Services.Stores.Webhooks.Deliveries).Status);
    }
}
