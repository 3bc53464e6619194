
namespace SmallPay.Functions.Tests.Api;

public sealed class DashboardApiTests
{
    // The API's rules, checked over the in-memory stores in milliseconds; the emulator-backed suites prove storage and wiring.
    private readonly SmallPay.Testing.InMemoryApi stack = new();

    [Fact]
    public async Task Dashboard_reports_received_outstanding_overdue_and_counts_per_currency()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var today = DateTime.UtcNow;
        var customerId = (await api.PostAsync("/customers", ApiData.Customer("Top Customer"))).Expect(201).Id;

        async Task<string> Issue(string currency, decimal amount, int dueInDays)
        {
            var id = (await api.PostAsync("/invoices", ApiData.Invoice(customerId, currency, [ApiData.Line("Work", 1, amount, taxRate: 0)],
                issueDate: today.AddDays(-45).ToString("yyyy-MM-dd"), dueDate: today.AddDays(dueInDays).ToString("yyyy-MM-dd")))).Expect(201).Id;
            (await api.PostAsync($"/invoices/{id}/finalize")).Expect(200);
            return id;
        }

        var paid = await Issue("EUR", 100, 10);
        (await api.PostAsync($"/invoices/{paid}/payments", new { amount = 100 })).Expect(201);
        var partial = await Issue("EUR", 200, -45); // 45 days late: the 31–60 bucket
        (await api.PostAsync($"/invoices/{partial}/payments", new { amount = 50 })).Expect(201);
        await Issue("EUR", 300, 5);
        await Issue("USD", 70, -3);
        (await api.PostAsync("/invoices", ApiData.Invoice(customerId))).Expect(201); // a draft carries no money

        var dashboard = (await api.GetAsync("/dashboard")).Expect(200);
        var eur = dashboard.Body["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EUR")!;
        Assert.Equal(150m, eur["received"]!.GetValue<decimal>());
        Assert.Equal(450m, eur["outstanding"]!.GetValue<decimal>());
        Assert.Equal(150m, eur["overdue"]!.GetValue<decimal>());
        Assert.Equal(300m, eur["aging"]!["current"]!.GetValue<decimal>());
        Assert.Equal(150m, eur["aging"]!["days31To60"]!.GetValue<decimal>());
        Assert.Equal(150m, eur["receivedByMonth"]!.AsArray()[^1]!["amount"]!.GetValue<decimal>());
        Assert.Equal(12, eur["receivedByMonth"]!.AsArray().Count);
        Assert.Equal("Top Customer", eur["topCustomers"]![0]!["name"]!.GetValue<string>());
        var usd = dashboard.Body["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "USD")!;
        Assert.Equal(70m, usd["overdue"]!.GetValue<decimal>());

        var counts = dashboard.Body["countsByStatus"]!;
        Assert.Equal(1, counts["Draft"]!.GetValue<int>());
        Assert.Equal(2, counts["Open"]!.GetValue<int>());
        Assert.Equal(1, counts["PartiallyPaid"]!.GetValue<int>());
        Assert.Equal(1, counts["Paid"]!.GetValue<int>());
        Assert.Equal(2, counts["Overdue"]!.GetValue<int>());
        Assert.Equal(5, dashboard.Body["recentInvoices"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_new_tenant_gets_an_empty_dashboard()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var dashboard = (await api.GetAsync("/dashboard")).Expect(200);
        Assert.Empty(dashboard.Body["currencies"]!.AsArray());
        Assert.Empty(dashboard.Body["recentInvoices"]!.AsArray());
        Assert.Equal(0, dashboard.Body["countsByStatus"]!["Open"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dashboard_shows_what_active_recurring_profiles_bill_in_the_next_30_days_per_currency()
    {
        var api = await TestApi.ForNewUserAsync(stack);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var customerId = (await api.PostAsync("/customers", ApiData.Customer("Retainer Client"))).Expect(201).Id;

        async Task<string> Profile(string currency, object schedule) => (await api.PostAsync("/recurring", new
        {
            name = $"{currency} retainer",
            invoice = new { customerId, currency, paymentTermsDays = 14, lines = new[] { ApiData.Line("Retainer", 1, 500, taxRate: 19) } },
            schedule,
        })).Expect(201).Id;

        // Weekly from today: today and 7, 14, 21, 28 days on, five invoices of 595.
        await Profile("EUR", new { unit = "Week", interval = 1, startDate = today.ToString("yyyy-MM-dd") });
        // Monthly, ending after two invoices: only the first date falls in the window.
        await Profile("EUR", new { unit = "Month", interval = 1, startDate = today.AddDays(3).ToString("yyyy-MM-dd"), end = new { kind = "AfterCount", count = 2 } });
        // Paused: nothing.
        var paused = await Profile("USD", new { unit = "Week", interval = 1, startDate = today.ToString("yyyy-MM-dd") });
        (await api.PostAsync($"/recurring/{paused}/pause")).Expect(200);

        var recurring = (await api.GetAsync("/dashboard")).Expect(200).Body["recurring"]!;
        Assert.Equal(today.ToString("yyyy-MM-dd"), recurring["from"]!.GetValue<string>());
        Assert.Equal(today.AddDays(29).ToString("yyyy-MM-dd"), recurring["until"]!.GetValue<string>());
        var eur = Assert.Single(recurring["currencies"]!.AsArray())!;
        Assert.Equal("EUR", eur["currency"]!.GetValue<string>());
        Assert.Equal(3570m, eur["amount"]!.GetValue<decimal>());
        Assert.Equal(6, eur["invoices"]!.GetValue<int>());
        Assert.Equal(2, eur["profiles"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_business_recurring_profiles_are_not_in_the_dashboard()
    {
        var owner = await TestApi.ForNewUserAsync(stack);
        var customerId = (await owner.PostAsync("/customers", ApiData.Customer("Retainer Client"))).Expect(201).Id;
        (await owner.PostAsync("/recurring", new
        {
            invoice = new { customerId, currency = "EUR", lines = new[] { ApiData.Line("Retainer", 1, 100, taxRate: 0) } },
            schedule = new { unit = "Week" },
        })).Expect(201);

        var stranger = await TestApi.ForNewUserAsync(stack);
        Assert.Empty((await stranger.GetAsync("/dashboard")).Expect(200).Body["recurring"]!["currencies"]!.AsArray());
        // Weekly from today: five invoices of 100 in the 30 days.
        Assert.Equal(500m, (await owner.GetAsync("/dashboard")).Expect(200).Body["recurring"]!["currencies"]![0]!["amount"]!.GetValue<decimal>());
    }
}
