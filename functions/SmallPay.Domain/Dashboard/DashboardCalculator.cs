using SmallPay.Domain.Invoices;

namespace SmallPay.Domain.Dashboard;

public sealed record AgingBuckets(decimal Current, decimal Days1To30, decimal Days31To60, decimal Days61To90, decimal Over90);

public sealed record MonthlyAmount(string Month, decimal Amount);

public sealed record CustomerRevenue(string CustomerId, string Name, decimal Revenue);

/// <summary>Money figures for one currency: amounts in different currencies are never added together.</summary>
public sealed record CurrencySummary(
    string Currency,
    decimal Received,
    decimal Outstanding,
    decimal Overdue,
    int OpenCount,
    int OverdueCount,
    AgingBuckets Aging,
    IReadOnlyList<MonthlyAmount> ReceivedByMonth,
    IReadOnlyList<CustomerRevenue> TopCustomers);

public sealed record DashboardSummary(
    DateOnly AsOf,
    IReadOnlyDictionary<string, int> CountsByStatus,
    IReadOnlyList<CurrencySummary> Currencies);

/// <summary>
/// The dashboard's arithmetic over a tenant's <see cref="InvoiceTally"/> (the running total a store keeps, or the sum
/// over every invoice): the same figures either way. Drafts and void invoices carry no money.
/// </summary>
public static class DashboardCalculator
{
    public const int Months = 12;
    public const int TopCustomerCount = 5;

    /// <summary>Over the invoices themselves (the in-memory stores, tests): their tally, and top customers named as invoiced.</summary>
    public static DashboardSummary Compute(IEnumerable<Invoice> invoices, DateOnly today)
    {
        var all = invoices as IReadOnlyCollection<Invoice> ?? invoices.ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var invoice in all) names[invoice.Content.CustomerId] = invoice.Customer.Name;
        var tally = InvoiceTally.Sum(all);
        return Compute(tally, currency => TopCustomers(tally, currency, id => names.GetValueOrDefault(id, id)), today);
    }

    /// <summary>The top customers of a currency from a tally's revenue figures.</summary>
    public static IReadOnlyList<CustomerRevenue> TopCustomers(InvoiceTally tally, string currency, Func<string, string> nameOf) =>
        tally.WithPrefix($"{InvoiceTally.RevenuePrefix}{currency}:")
            .Select(r => new CustomerRevenue(r.Key, nameOf(r.Key), r.Value))
            .OrderByDescending(r => r.Revenue).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(TopCustomerCount)
            .ToList();

    /// <param name="topCustomers">A currency's customers with the most received, best first (at most <see cref="TopCustomerCount"/> are shown).</param>
    public static DashboardSummary Compute(InvoiceTally tally, Func<string, IReadOnlyList<CustomerRevenue>> topCustomers, DateOnly today)
    {
        var counts = Enum.GetValues<InvoiceStatus>().ToDictionary(s => s.ToString(), s => (int)tally[InvoiceTally.CountPrefix + s]);
        var currencies = tally.WithPrefix(InvoiceTally.CurrencyPrefix).Select(c => c.Key).Order(StringComparer.Ordinal)
            .Select(currency => Summarize(currency, tally, topCustomers(currency), today))
            .ToList();
        counts["Overdue"] = currencies.Sum(c => c.OverdueCount);
        return new DashboardSummary(today, counts, currencies);
    }

    private static CurrencySummary Summarize(string currency, InvoiceTally tally, IReadOnlyList<CustomerRevenue> top, DateOnly today)
    {
        decimal outstanding = 0, overdue = 0, current = 0, d30 = 0, d60 = 0, d90 = 0, over90 = 0;
        int openCount = 0, overdueCount = 0;
        var openByDue = tally.WithPrefix($"{InvoiceTally.OpenPrefix}{currency}:").ToDictionary(o => o.Key, o => (int)o.Value, StringComparer.Ordinal);
        foreach (var (dueText, balance) in tally.WithPrefix($"{InvoiceTally.DuePrefix}{currency}:"))
        {
            var due = DateOnly.ParseExact(dueText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var count = openByDue.GetValueOrDefault(dueText);
            openCount += count;
            outstanding += balance;
            var daysLate = Math.Max(0, today.DayNumber - due.DayNumber);
            if (daysLate > 0) { overdue += balance; overdueCount += count; }
            switch (daysLate)
            {
                case 0: current += balance; break;
                case <= 30: d30 += balance; break;
                case <= 60: d60 += balance; break;
                case <= 90: d90 += balance; break;
                default: over90 += balance; break;
            }
        }

        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-(Months - 1));
        var months = Enumerable.Range(0, Months)
            .Select(i => firstMonth.AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .Select(month => new MonthlyAmount(month, tally[$"{InvoiceTally.MonthPrefix}{currency}:{month}"]))
            .ToList();
        return new CurrencySummary(currency, tally[InvoiceTally.ReceivedPrefix + currency], outstanding, overdue, openCount, overdueCount,
            new AgingBuckets(current, d30, d60, d90, over90), months, top.Take(TopCustomerCount).ToList());
    }
}
