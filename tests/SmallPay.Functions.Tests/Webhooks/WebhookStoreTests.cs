using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Storage;
using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Webhooks;

/// <summary>
/// <see cref="DynamoDbWebhookStore"/> on DynamoDB Local under concurrency: one delivery per (endpoint, event) however
/// many writers race, one claim per due retry, the limit of ten endpoints, the due query, and tenants kept apart.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class WebhookStoreTests(LocalStackFixture stack)
{
    private readonly DynamoDbWebhookStore _store = new(stack.DynamoDb, stack.FunctionEnvironment.Require("INVOICES_TABLE"));
    private readonly string _business = $"biz-{Guid.NewGuid():N}";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private WebhookEndpoint Endpoint(int n = 0) => new(_business, SmallPay.Domain.Ids.New("whk"), $"https://hooks.example.test/{n}", ["InvoicePaid"], null, true,
        "whsec_test", null, null, Now.AddSeconds(n), Now.AddSeconds(n), 1, _business);

    [Fact]
    public async Task Racing_writers_of_one_event_make_one_delivery_and_racing_runs_claim_a_due_retry_once()
    {
        var endpoint = Endpoint();
        await _store.CreateAsync(endpoint, CancellationToken.None);
        var delivery = WebhookDelivery.New(endpoint, $"evt_{Guid.NewGuid():N}", "InvoicePaid", "{}", Now);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _store.CreateDeliveryAsync(delivery, Now.AddSeconds(60), CancellationToken.None)));
        Assert.Equal(1, created.Count(c => c));

        // The first try failed: the marker moves to the next try (1 minute later), conditional on the creator's claim.
        var failed = delivery.AfterScheduledTry(new WebhookAttempt(Now, 503, 10, "busy", null));
        Assert.True(await _store.RecordAsync(failed, Now.AddSeconds(60), CancellationToken.None));
        Assert.False(await _store.RecordAsync(failed, Now.AddSeconds(60), CancellationToken.None)); // recorded already: the version moved on

        var due = (await _store.DueAsync(Now.AddMinutes(2), 1000, CancellationToken.None)).Single(r => r.DeliveryId == delivery.Id);
        Assert.Equal(Now.AddMinutes(1), due.DueAt);
        Assert.DoesNotContain(await _store.DueAsync(Now.AddSeconds(59), 1000, CancellationToken.None), r => r.DeliveryId == delivery.Id);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _store.ClaimAsync(due, Now.AddMinutes(3), CancellationToken.None)));
        Assert.Equal(1, claims.Count(c => c));

        var delivered = failed.AfterScheduledTry(new WebhookAttempt(Now.AddMinutes(2), 200, 5, "ok", null));
        // A run whose claim was taken over (its lease ran out) cannot record over the new holder's.
        Assert.False(await _store.RecordAsync(delivered, Now.AddMinutes(2).AddSeconds(30), CancellationToken.None));
        Assert.True(await _store.RecordAsync(delivered, Now.AddMinutes(3), CancellationToken.None));
        var read = await _store.GetDeliveryAsync(_business, endpoint.Id, delivery.Id, CancellationToken.None);
        Assert.Equal(WebhookDeliveryStatus.Delivered, read!.Status);
        Assert.Equal([503, 200], read.Attempts.Select(a => a.StatusCode!.Value));
        Assert.DoesNotContain(await _store.DueAsync(Now.AddDays(2), 1000, CancellationToken.None), r => r.DeliveryId == delivery.Id);
        Assert.Null(await _store.GetDeliveryAsync("another-business", endpoint.Id, delivery.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Ten_endpoints_at_most_even_when_created_at_once_and_a_delete_frees_a_place()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 14).Select(async n =>
        {
            try
            {
                await _store.CreateAsync(Endpoint(n), CancellationToken.None);
                return true;
            }
            catch (WebhookLimitException)
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(r => r));
        var endpoints = await _store.ListAsync(_business, CancellationToken.None);
        Assert.Equal(10, endpoints.Count);
        Assert.Empty(await _store.ListAsync("another-business", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("another-business", endpoints[0].Id, CancellationToken.None));
        Assert.True(await _store.DeleteAsync(_business, endpoints[0].Id, CancellationToken.None));
        await _store.CreateAsync(Endpoint(99), CancellationToken.None);
        await Assert.ThrowsAsync<WebhookLimitException>(() => _store.CreateAsync(Endpoint(100), CancellationToken.None));
    }
}
