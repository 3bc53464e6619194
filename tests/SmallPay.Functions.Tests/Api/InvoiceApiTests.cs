
namespace SmallPay.Functions.Tests.Api;

public sealed class InvoiceApiTests
{
    // The API's rules, checked over the in-memory stores in milliseconds; the emulator-backed suites prove storage and wiring.
    private readonly SmallPay.Testing.InMemoryApi stack = new();

    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task CreateInvoice_computes_every_total_on_the_server_and_ignores_client_totals()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var body = new
        {
            customerId, currency = "EUR", issueDate = "2026-11-02", dueDate = "2026-11-16",
            lines = new[] { ApiData.Line("Design", 3, 19.99m, taxRate: 19), ApiData.Line("Hosting", 1, 10m, discount: 10, taxRate: 7) },
            discount = new { kind = "Percent", value = 10 },
            totals = new { total = 1 }, // a client's totals are not read
        };
        var created = (await api.PostAsync("/invoices", body)).Expect(201);

        Assert.Equal("Draft", created.Body["status"]!.GetValue<string>());
        Assert.Null(created.Body["number"]);
        Assert.Equal("\"1\"", created.ETag);
        Assert.Equal($"/invoices/{created.Id}", created.Headers["location"]);
        // lines 59.97 + 9.00 = 68.97; discount 6.90; 19% on 53.97 → 10.25, 7% on 8.10 → 0.57; total 72.64
        Assert.Equal(68.97m, created.Money("totals.subtotal"));
        Assert.Equal(6.90m, created.Money("totals.discount"));
        Assert.Equal(10.82m, created.Money("totals.tax"));
        Assert.Equal(72.89m, created.Money("totals.total"));
        Assert.Equal(72.89m, created.Money("totals.balanceDue"));
        Assert.Equal("Müller GmbH", created.Navigate("customer.name")!.GetValue<string>());
    }

    [Fact]
    public async Task A_draft_is_finalized_with_a_number_then_paid_partially_then_fully()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, lines: [ApiData.Line("Work", 1, 100, taxRate: 0)], issueDate: Today, dueDate: Today))).Expect(201).Id;

        var finalized = (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);
        Assert.Equal("INV-000001", finalized.Body["number"]!.GetValue<string>());
        Assert.Equal("Open", finalized.Body["status"]!.GetValue<string>());

        var partial = (await api.PostAsync($"/invoices/{id}/payments", new { amount = 40, method = "Card" })).Expect(201);
        Assert.Equal("PartiallyPaid", partial.Body["status"]!.GetValue<string>());
        Assert.Equal(60m, partial.Money("totals.balanceDue"));

        var overpaid = (await api.PostAsync($"/invoices/{id}/payments", new { amount = 60.01 })).Expect(422);
        Assert.Contains("/amount", overpaid.ErrorPointers());

        var paid = (await api.PostAsync($"/invoices/{id}/payments", new { amount = 60 })).Expect(201);
        Assert.Equal("Paid", paid.Body["status"]!.GetValue<string>());
        Assert.Equal(Today, paid.Body["paidDate"]!.GetValue<string>());
        Assert.Equal(0m, paid.Money("totals.balanceDue"));
        Assert.Equal(2, paid.Body["payments"]!.AsArray().Count);

        (await api.PostAsync($"/invoices/{id}/payments", new { amount = 1 })).Expect(409);
        (await api.PostAsync($"/invoices/{id}/void")).Expect(409);
        (await api.DeleteAsync($"/invoices/{id}")).Expect(409);
    }

    [Fact]
    public async Task Numbers_follow_the_tenants_prefix_and_next_number_from_settings()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var settings = (await api.GetAsync("/settings")).Expect(200);
        Assert.Equal("INV-000001", settings.Body["nextInvoiceNumber"]!.GetValue<string>());
        var saved = (await api.PutAsync("/settings", new { businessName = "Łódź Studio", defaultCurrency = "PLN", paymentTermsDays = 30, numberPrefix = "LS-2026-", nextNumber = 42 }, settings.ETag)).Expect(200);
        Assert.Equal("\"1\"", saved.ETag);

        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var draft = (await api.PostAsync("/invoices", new { customerId, lines = new[] { ApiData.Line("Work", 1, 10) } })).Expect(201);
        Assert.Equal("PLN", draft.Body["currency"]!.GetValue<string>());
        Assert.Equal(30, draft.Body["paymentTermsDays"]!.GetValue<int>());

        var finalized = (await api.PostAsync($"/invoices/{draft.Id}/finalize")).Expect(200);
        Assert.Equal("LS-2026-000042", finalized.Body["number"]!.GetValue<string>());
        var after = (await api.GetAsync("/settings")).Expect(200);
        Assert.Equal(43, after.Body["nextNumber"]!.GetValue<long>());

        // The stale form (version 1) can no longer rewind the counter.
        (await api.PutAsync("/settings", new { businessName = "x", nextNumber = 42 }, saved.ETag)).Expect(412);
    }

    [Fact]
    public async Task Updating_a_draft_needs_the_current_version_and_a_stale_write_loses_nothing()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var created = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201);

        (await api.PutAsync($"/invoices/{created.Id}", ApiData.Invoice(customerId, notes: "v2"), etag: null)).Expect(428);
        var updated = (await api.PutAsync($"/invoices/{created.Id}", ApiData.Invoice(customerId, notes: "v2"), created.ETag)).Expect(200);
        Assert.Equal("\"2\"", updated.ETag);

        var stale = (await api.PutAsync($"/invoices/{created.Id}", ApiData.Invoice(customerId, notes: "v3 from a stale tab"), created.ETag)).Expect(412);
        Assert.Equal("application/problem+json", stale.Headers["content-type"]);
        var current = (await api.GetAsync($"/invoices/{created.Id}")).Expect(200);
        Assert.Equal("v2", current.Body["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_finalized_invoice_takes_only_new_notes_and_due_date()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var id = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        var finalized = (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);

        var changedLines = (await api.PutAsync($"/invoices/{id}", ApiData.Invoice(customerId, lines: [ApiData.Line("Other", 1, 1)]), finalized.ETag)).Expect(422);
        Assert.Contains("/lines", changedLines.ErrorPointers());

        var ok = (await api.PutAsync($"/invoices/{id}", ApiData.Invoice(customerId, dueDate: "2026-12-31", notes: "Paid by bank transfer please"), finalized.ETag)).Expect(200);
        Assert.Equal("2026-12-31", ok.Body["dueDate"]!.GetValue<string>());
        Assert.Equal(finalized.Body["number"]!.GetValue<string>(), ok.Body["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drafts_are_deleted_finalized_invoices_are_voided()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var draft = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{draft}/void")).Expect(409);
        (await api.DeleteAsync($"/invoices/{draft}")).Expect(204);
        (await api.GetAsync($"/invoices/{draft}")).Expect(404);

        var open = (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{open}/finalize")).Expect(200);
        var voided = (await api.PostAsync($"/invoices/{open}/void", new { reason = "Issued to the wrong company" })).Expect(200);
        Assert.Equal("Void", voided.Body["status"]!.GetValue<string>());
        Assert.Equal("Issued to the wrong company", voided.Body["voidReason"]!.GetValue<string>());
        (await api.PostAsync($"/invoices/{open}/payments", new { amount = 1 })).Expect(409);
        (await api.DeleteAsync($"/invoices/{open}")).Expect(409);
    }

    [Theory]
    [InlineData("JPY", 3, 333.3333, 10, 1000, 100)]     // 999.9999 → 1000; tax 100
    [InlineData("KWD", 3, 1.2345, 5, 3.704, 0.185)]     // 3.7035 → 3.704; 0.1852 → 0.185
    [InlineData("USD", 3, 0.125, 0, 0.38, 0)]           // 0.375 → 0.38 (half away from zero)
    public async Task Totals_round_to_the_currency_minor_unit(string currency, decimal quantity, decimal unitPrice, decimal taxRate, decimal expectedSubtotal, decimal expectedTax)
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var created = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, currency, [ApiData.Line("Item", quantity, unitPrice, taxRate: taxRate)]))).Expect(201);
        Assert.Equal(expectedSubtotal, created.Money("totals.subtotal"));
        Assert.Equal(expectedTax, created.Money("totals.tax"));
    }

    [Fact]
    public async Task Overdue_is_derived_from_the_due_date_and_the_balance()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var lateDue = DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd");
        var late = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, issueDate: DateTime.UtcNow.AddDays(-40).ToString("yyyy-MM-dd"), dueDate: lateDue))).Expect(201).Id;
        var onTime = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, issueDate: Today, dueDate: DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd")))).Expect(201).Id;
        (await api.PostAsync($"/invoices/{late}/finalize")).Expect(200);
        (await api.PostAsync($"/invoices/{onTime}/finalize")).Expect(200);

        var lateView = (await api.GetAsync($"/invoices/{late}")).Expect(200);
        Assert.True(lateView.Body["overdue"]!.GetValue<bool>());
        Assert.Equal(10, lateView.Body["daysOverdue"]!.GetValue<int>());
        Assert.False((await api.GetAsync($"/invoices/{onTime}")).Expect(200).Body["overdue"]!.GetValue<bool>());

        var overdueList = (await api.GetAsync("/invoices?status=overdue")).Expect(200);
        Assert.Equal([late], overdueList.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListInvoices_filters_searches_and_pages_without_gaps_or_repeats()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var acme = (await api.PostAsync("/customers", ApiData.Customer("Acme Corp"))).Expect(201).Id;
        var zeta = (await api.PostAsync("/customers", ApiData.Customer("Zeta Ltd"))).Expect(201).Id;
        var ids = new List<string>();
        for (var day = 1; day <= 5; day++)
            ids.Add((await api.PostAsync("/invoices", ApiData.Invoice(day % 2 == 0 ? zeta : acme, issueDate: $"2026-10-0{day}", dueDate: "2026-12-31"))).Expect(201).Id);
        (await api.PostAsync($"/invoices/{ids[4]}/finalize")).Expect(200);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await api.GetAsync($"/invoices?limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).Expect(200);
            seen.AddRange(page.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page.Body["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(ids.AsEnumerable().Reverse(), seen); // newest issue date first, each exactly once

        Assert.Equal(2, (await api.GetAsync($"/invoices?customerId={zeta}")).Expect(200).Body["items"]!.AsArray().Count);
        Assert.Equal(3, (await api.GetAsync("/invoices?from=2026-10-02&to=2026-10-04")).Expect(200).Body["items"]!.AsArray().Count);
        Assert.Equal(4, (await api.GetAsync("/invoices?status=draft")).Expect(200).Body["items"]!.AsArray().Count);
        Assert.Single((await api.GetAsync("/invoices?status=open")).Expect(200).Body["items"]!.AsArray());
        Assert.Equal(2, (await api.GetAsync("/invoices?q=zeta")).Expect(200).Body["items"]!.AsArray().Count);
        var byNumber = (await api.GetAsync("/invoices?q=inv-000001")).Expect(200).Body["items"]!.AsArray();
        Assert.Equal(ids[4], Assert.Single(byNumber)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_idempotent_replay_returns_the_first_response_and_creates_nothing_new()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer())).Expect(201).Id;
        var body = ApiData.Invoice(customerId);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var first = (await api.PostAsync("/invoices", body, key)).Expect(201);
        var replay = (await api.PostAsync("/invoices", body, key)).Expect(201);
        Assert.Equal(first.Id, replay.Id);
        Assert.Equal("true", replay.Headers["idempotent-replayed"]);
        var reused = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, notes: "different"), key)).Expect(422);
        Assert.Equal("/problems/idempotency-key-reused", reused.Body["type"]!.GetValue<string>());

        Assert.Single((await api.GetAsync("/invoices")).Expect(200).Body["items"]!.AsArray());
    }
}
