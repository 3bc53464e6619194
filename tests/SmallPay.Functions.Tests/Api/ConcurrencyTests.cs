using SmallPay.Functions.Tests.Infrastructure;

namespace SmallPay.Functions.Tests.Api;

[Collection(LocalStackCollection.Name)]
public sealed class ConcurrencyTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Fifty_parallel_finalizations_get_fifty_unique_consecutive_numbers()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var drafts = new List<string>();
        for (var i = 0; i < 50; i++) drafts.Add((await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id);

        // A finalization that waited too long for its turn on the number counter answers 503 /problems/busy (nothing
        // changed, Retry-After): a client tries again. Every draft ends with exactly one number, none skipped.
        async Task<ApiResult> FinalizeAsync(string id)
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = await api.PostAsync($"/invoices/{id}/finalize");
                if (result.Code != 503 || attempt == 10) return result;
                Assert.Equal("/problems/busy", result.Body["type"]!.GetValue<string>());
                await Task.Delay(Random.Shared.Next(50, 250));
            }
        }
        var results = await Task.WhenAll(drafts.Select(FinalizeAsync));

        Assert.All(results, r => r.Expect(200));
        var numbers = results.Select(r => r.Body["number"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"INV-{n:000000}"), numbers);
        Assert.Equal(51, (await api.GetAsync("/settings")).Expect(200).Body["nextNumber"]!.GetValue<long>());
    }

    [Fact]
    public async Task Two_concurrent_updates_of_one_version_one_wins_and_the_other_gets_412()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var created = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201);

        var results = await Task.WhenAll(
            api.PutAsync($"/invoices/{created.Id}", ApiData.Invoice(customerId, notes: "first tab"), created.ETag),
            api.PutAsync($"/invoices/{created.Id}", ApiData.Invoice(customerId, notes: "second tab"), created.ETag));

        Assert.Equal([200, 412], results.Select(r => r.Code).Order());
        var winner = results.Single(r => r.Code == 200).Body["notes"]!.GetValue<string>();
        Assert.Equal(winner, (await api.GetAsync($"/invoices/{created.Id}")).Expect(200).Body["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_payments_without_If_Match_are_all_applied_and_never_overpay()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, lines: [ApiData.Line("Work", 1, 100, taxRate: 0)]))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.PostAsync($"/invoices/{id}/payments", new { amount = 30 })));

        Assert.Equal(3, results.Count(r => r.Code == 201)); // 3 × 30 fit into 100; the fourth would overpay
        Assert.Equal(1, results.Count(r => r.Code == 422));
        var invoice = (await api.GetAsync($"/invoices/{id}")).Expect(200);
        Assert.Equal(90m, invoice.Money("totals.amountPaid"));
        Assert.Equal(3, invoice.Body["payments"]!.AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_replays_of_one_idempotent_request_create_one_customer()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var body = ApiData.Customer("Once Only");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.PostAsync("/customers", body, key)));

        Assert.All(results, r => Assert.True(r.Code is 201 or 409, r.Text)); // 409: "still in progress, retry"
        Assert.Single((await api.GetAsync("/customers")).Expect(200).Body["items"]!.AsArray());
        var replay = (await api.PostAsync("/customers", body, key)).Expect(201);
        Assert.Equal(results.First(r => r.Code == 201).Id, replay.Id);
    }
}
