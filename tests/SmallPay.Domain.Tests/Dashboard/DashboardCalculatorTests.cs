using SmallPay.Domain.Dashboard;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Tests.Builders;

namespace SmallPay.Domain.Tests.Dashboard;

public class DashboardCalculatorTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private static readonly DateOnly LongAgo = new(2025, 3, 1);

    private static InvoiceBuilder Invoice(decimal total, string currency = "EUR", int dueInDays = 10) =>
        new InvoiceBuilder().InCurrency(currency).IssuedOn(LongAgo).DueOn(Today.AddDays(dueInDays)).Totalling(total);

    private static CurrencySummary Only(DashboardSummary summary, string currency) =>
        Assert.Single(summary.Currencies, c => c.Currency == currency);

    [Fact]
    public void No_invoices_gives_zero_counts_and_no_currencies()
    {
        var summary = DashboardCalculator.Compute([], Today);

        Assert.Equal(Today, summary.AsOf);
        Assert.Empty(summary.Currencies);
        Assert.Equal(["Draft", "Open", "Overdue", "Paid", "PartiallyPaid", "Void"], summary.CountsByStatus.Keys.Order(StringComparer.Ordinal));
        Assert.All(summary.CountsByStatus.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Counts_by_status_include_drafts_void_and_overdue_on_top_of_their_status()
    {
        Invoice[] invoices =
        [
            Invoice(10m).Draft(),
            Invoice(10m, dueInDays: -40).Draft(),
            Invoice(10m).Open(),
            Invoice(10m, dueInDays: -1).Open(),
            Invoice(10m, dueInDays: -5).WithPayments((4m, Today)),
            Invoice(10m).Paid(Today),
            Invoice(10m, dueInDays: -60).Void(),
        ];

        var counts = DashboardCalculator.Compute(invoices, Today).CountsByStatus;

        Assert.Equal(2, counts["Draft"]);
        Assert.Equal(2, counts["Open"]);
        Assert.Equal(1, counts["PartiallyPaid"]);
        Assert.Equal(1, counts["Paid"]);
        Assert.Equal(1, counts["Void"]);
        Assert.Equal(2, counts["Overdue"]);
    }

    [Fact]
    public void Received_outstanding_and_overdue_per_currency()
    {
        Invoice[] invoices =
        [
            Invoice(100m).Open(),                                             // outstanding, not due
            Invoice(200m, dueInDays: -3).Open(),                              // outstanding, overdue
            Invoice(300m, dueInDays: -3).WithPayments((50m, Today.AddDays(-1))), // 50 received, 250 outstanding and overdue
            Invoice(400m, dueInDays: -3).Paid(Today.AddDays(-2)),             // 400 received
        ];

        var eur = Only(DashboardCalculator.Compute(invoices, Today), "EUR");

        Assert.Equal(450m, eur.Received);
        Assert.Equal(550m, eur.Outstanding);
        Assert.Equal(450m, eur.Overdue);
        Assert.Equal(3, eur.OpenCount);
        Assert.Equal(2, eur.OverdueCount);
    }

    [Fact]
    public void Drafts_and_void_invoices_carry_no_money()
    {
        Invoice[] invoices =
        [
            Invoice(100m).Open(),
            Invoice(999m, dueInDays: -30).Draft(),
            Invoice(888m, dueInDays: -30).Void(),
            Invoice(777m, "GBP", dueInDays: -30).Draft(),
            Invoice(666m, "CHF", dueInDays: -30).Void(),
        ];

        var summary = DashboardCalculator.Compute(invoices, Today);

        var eur = Assert.Single(summary.Currencies);
        Assert.Equal("EUR", eur.Currency);
        Assert.Equal(100m, eur.Outstanding);
        Assert.Equal(0m, eur.Overdue);
        Assert.Equal(1, eur.OpenCount);
    }

    [Fact]
    public void Two_currencies_are_summarized_apart_and_never_summed()
    {
        Invoice[] invoices =
        [
            Invoice(70m, "USD", dueInDays: -1).Open(),
            Invoice(100m, "EUR").Open(),
            Invoice(30m, "USD").WithPayments((5m, Today)),
            Invoice(5000m, "JPY").Paid(Today),
        ];

        var summary = DashboardCalculator.Compute(invoices, Today);

        Assert.Equal(["EUR", "JPY", "USD"], summary.Currencies.Select(c => c.Currency));
        var (eur, jpy, usd) = (summary.Currencies[0], summary.Currencies[1], summary.Currencies[2]);
        Assert.Equal((0m, 100m, 0m), (eur.Received, eur.Outstanding, eur.Overdue));
        Assert.Equal((5000m, 0m, 0m), (jpy.Received, jpy.Outstanding, jpy.Overdue));
        Assert.Equal((5m, 95m, 70m), (usd.Received, usd.Outstanding, usd.Overdue));
        Assert.Equal(5m, usd.ReceivedByMonth[^1].Amount);
        Assert.Equal(0m, eur.ReceivedByMonth.Sum(m => m.Amount));
    }

    [Fact]
    public void Received_by_month_covers_the_twelve_months_ending_this_month()
    {
        var months = Only(DashboardCalculator.Compute([Invoice(10m).Paid(Today)], Today), "EUR").ReceivedByMonth;

        Assert.Equal(
            ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"],
            months.Select(m => m.Month));
    }

    [Fact]
    public void Month_keys_cross_the_year_boundary_in_january()
    {
        var january = new DateOnly(2026, 1, 31);
        var months = Only(DashboardCalculator.Compute([Invoice(10m).Paid(new DateOnly(2026, 1, 2))], january), "EUR").ReceivedByMonth;

        Assert.Equal("2025-02", months[0].Month);
        Assert.Equal("2025-12", months[10].Month);
        Assert.Equal("2026-01", months[11].Month);
        Assert.Equal(10m, months[11].Amount);
    }

    [Fact]
    public void Payments_land_in_their_month_and_payments_before_the_window_count_only_as_received()
    {
        var invoice = Invoice(1000m).WithPayments(
            (1m, new DateOnly(2025, 3, 31)),  // the day before the window
            (2m, new DateOnly(2025, 4, 1)),   // first day of the window
            (4m, new DateOnly(2025, 11, 10)),
            (8m, new DateOnly(2025, 11, 30)),
            (16m, new DateOnly(2026, 3, 1)),
            (32m, Today));

        var eur = Only(DashboardCalculator.Compute([invoice], Today), "EUR");
        var byMonth = eur.ReceivedByMonth.ToDictionary(m => m.Month, m => m.Amount);

        Assert.Equal(63m, eur.Received);
        Assert.Equal(62m, eur.ReceivedByMonth.Sum(m => m.Amount));
        Assert.Equal(2m, byMonth["2025-04"]);
        Assert.Equal(12m, byMonth["2025-11"]);
        Assert.Equal(48m, byMonth["2026-03"]);
        Assert.Equal(0m, byMonth["2025-12"]);
    }

    [Fact]
    public void Aging_buckets_split_at_1_31_61_and_91_days_late()
    {
        // Each amount is a distinct power of two, so every bucket's sum says exactly which invoices it holds.
        var lateness = new (int DaysLate, decimal Amount)[]
        {
            (-1, 1m), (0, 2m), (1, 4m), (30, 8m), (31, 16m), (60, 32m), (61, 64m), (90, 128m), (91, 256m),
        };
        var invoices = lateness.Select(x => Invoice(x.Amount, dueInDays: -x.DaysLate).Open());

        var eur = Only(DashboardCalculator.Compute(invoices, Today), "EUR");

        Assert.Equal(new AgingBuckets(Current: 1m + 2m, Days1To30: 4m + 8m, Days31To60: 16m + 32m, Days61To90: 64m + 128m, Over90: 256m), eur.Aging);
        Assert.Equal(511m, eur.Outstanding);
        Assert.Equal(508m, eur.Overdue);
        Assert.Equal(7, eur.OverdueCount);
        Assert.Equal(9, eur.OpenCount);
    }

    [Fact]
    public void Aging_uses_the_balance_left_not_the_invoice_total()
    {
        var partly = Invoice(100m, dueInDays: -45).WithPayments((30m, Today));

        var eur = Only(DashboardCalculator.Compute([partly], Today), "EUR");

        Assert.Equal(70m, eur.Aging.Days31To60);
        Assert.Equal(70m, eur.Overdue);
    }

    [Fact]
    public void Open_invoice_with_nothing_to_pay_is_not_outstanding()
    {
        var free = Invoice(0m, dueInDays: -10).Open();

        var eur = Only(DashboardCalculator.Compute([free], Today), "EUR");

        Assert.Equal(0, eur.OpenCount);
        Assert.Equal(0m, eur.Outstanding);
        Assert.Equal(new AgingBuckets(0m, 0m, 0m, 0m, 0m), eur.Aging);
    }

    [Fact]
    public void Top_customers_are_the_five_who_paid_most_ties_by_name()
    {
        var paidBy = new (string Id, string Name, decimal Paid)[]
        {
            ("cus_A", "Alpha", 100m), ("cus_B", "Bravo", 500m), ("cus_C", "Charlie", 300m), ("cus_D", "Delta", 300m),
            ("cus_E", "Echo", 50m), ("cus_F", "Foxtrot", 700m), ("cus_G", "Golf", 10m),
        };
        var invoices = paidBy.Select(c => Invoice(1000m).ForCustomer(c.Id, c.Name).WithPayments((c.Paid, Today))).ToList();
        invoices.Add(Invoice(1000m).ForCustomer("cus_E", "Echo").WithPayments((400m, Today.AddDays(-3)))); // Echo: 450 over two invoices

        var top = Only(DashboardCalculator.Compute(invoices, Today), "EUR").TopCustomers;

        Assert.Equal(
            [new("cus_F", "Foxtrot", 700m), new("cus_B", "Bravo", 500m), new("cus_E", "Echo", 450m), new("cus_C", "Charlie", 300m), new CustomerRevenue("cus_D", "Delta", 300m)],
            top);
    }

    [Fact]
    public void Top_customers_count_payments_only_in_their_own_currency()
    {
        Invoice[] invoices =
        [
            Invoice(100m, "EUR").ForCustomer("cus_A", "Alpha").Paid(Today),
            Invoice(9000m, "JPY").ForCustomer("cus_A", "Alpha").Paid(Today),
            Invoice(100m, "EUR").ForCustomer("cus_B", "Bravo").Open(),
        ];

        var summary = DashboardCalculator.Compute(invoices, Today);

        Assert.Equal([new CustomerRevenue("cus_A", "Alpha", 100m)], Only(summary, "EUR").TopCustomers);
        Assert.Equal([new CustomerRevenue("cus_A", "Alpha", 9000m)], Only(summary, "JPY").TopCustomers);
    }
}
