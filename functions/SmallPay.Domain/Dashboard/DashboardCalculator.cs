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

/// <summary>The dashboard's arithmetic over a tenant's invoices. Drafts and void invoices carry no money.</summary>
public static class DashboardCalculator
{
    public const int Months = 12;
    public const int TopCustomerCount = 5;

    public static DashboardSummary Compute(IEnumerable<Invoice> invoices, DateOnly today)
    {
        var all = invoices as IReadOnlyCollection<Invoice> ?? invoices.ToList();
        var counts = Enum.GetValues<InvoiceStatus>().ToDictionary(s => s.ToString(), _ => 0);
        counts["Overdue"] = 0;
        foreach (var invoice in all)
        {
            counts[invoice.Status.ToString()]++;
            if (invoice.IsOverdue(today)) counts["Overdue"]++;
        }

        var currencies = all
            .Where(i => i.Status is not (InvoiceStatus.Draft or InvoiceStatus.Void))
            .GroupBy(i => i.Content.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summarize(g.Key, g.ToList(), today))
            .ToList();
        return new DashboardSummary(today, counts, currencies);
    }

    private static CurrencySummary Summarize(string currency, List<Invoice> invoices, DateOnly today)
    {
        decimal received = 0, outstanding = 0, overdue = 0, current = 0, d30 = 0, d60 = 0, d90 = 0, over90 = 0;
        int openCount = 0, overdueCount = 0;
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-(Months - 1));
        var byMonth = new decimal[Months];
        var revenue = new Dictionary<string, (string Name, decimal Amount)>(StringComparer.Ordinal);

        foreach (var invoice in invoices)
        {
            foreach (var payment in invoice.Payments)
            {
                received += payment.Amount;
                var monthIndex = (payment.Date.Year - firstMonth.Year) * 12 + payment.Date.Month - firstMonth.Month;
                if (monthIndex is >= 0 and < Months) byMonth[monthIndex] += payment.Amount;
                var key = invoice.Content.CustomerId;
                revenue[key] = (invoice.Customer.Name, revenue.GetValueOrDefault(key).Amount + payment.Amount);
            }

            var balance = invoice.Totals.BalanceDue;
            if (invoice.Status is not (InvoiceStatus.Open or InvoiceStatus.PartiallyPaid) || balance <= 0m) continue;
            openCount++;
            outstanding += balance;
            var daysLate = invoice.DaysOverdue(today);
            if (daysLate > 0) { overdue += balance; overdueCount++; }
            switch (daysLate)
            {
                case 0: current += balance; break;
                case <= 30: d30 += balance; break;
                case <= 60: d60 += balance; break;
                case <= 90: d90 += balance; break;
                default: over90 += balance; break;
            }
        }

        var months = Enumerable.Range(0, Months)
            .Select(i => new MonthlyAmount(firstMonth.AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), byMonth[i]))
            .ToList();
        var top = revenue
            .Select(r => new CustomerRevenue(r.Key, r.Value.Name, r.Value.Amount))
            .OrderByDescending(r => r.Revenue).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(TopCustomerCount)
            .ToList();
        return new CurrencySummary(currency, received, outstanding, overdue, openCount, overdueCount,
            new AgingBuckets(current, d30, d60, d90, over90), months, top);
    }
}
