using System.Globalization;
using SmallPay.Domain.Invoices;

namespace SmallPay.Domain.Dashboard;

/// <summary>
/// What invoices add to their tenant's dashboard, as named figures that only ever add up: one per status count, and per
/// currency the money received (in all, by month and by customer) and the balance still open by due date. The tally of
/// a change is <c>Of(after) − Of(before)</c>, so a store can keep a tenant's running total with atomic additions beside
/// each invoice write, and the dashboard reads one total instead of every invoice. Figures that depend on today (what
/// is overdue, the aging buckets) are derived from the open balances by due date when the dashboard is read.
/// </summary>
public sealed class InvoiceTally
{
    // Names are "kind:…": count:{Status} · currency:{C} · received:{C} · month:{C}:{yyyy-MM} · due:{C}:{yyyy-MM-dd}
    // · open:{C}:{yyyy-MM-dd} · revenue:{C}:{customerId}.
    public const string CountPrefix = "count:";
    public const string CurrencyPrefix = "currency:";
    public const string ReceivedPrefix = "received:";
    public const string MonthPrefix = "month:";
    public const string DuePrefix = "due:";
    public const string OpenPrefix = "open:";
    public const string RevenuePrefix = "revenue:";

    private readonly Dictionary<string, decimal> _figures;

    private InvoiceTally(Dictionary<string, decimal> figures) => _figures = figures;

    public static InvoiceTally Empty => new(new Dictionary<string, decimal>(StringComparer.Ordinal));

    /// <summary>The figures, without zeros.</summary>
    public IReadOnlyDictionary<string, decimal> Figures => _figures;

    public bool IsEmpty => _figures.Count == 0;

    public decimal this[string name] => _figures.GetValueOrDefault(name);

    public static InvoiceTally From(IEnumerable<KeyValuePair<string, decimal>> figures)
    {
        var tally = Empty;
        foreach (var (name, value) in figures) tally.Add(name, value);
        return tally;
    }

    /// <summary>What one invoice, as it is, adds to its tenant's dashboard (nothing for null: an invoice that is not there).</summary>
    public static InvoiceTally Of(Invoice? invoice)
    {
        var tally = Empty;
        if (invoice is null) return tally;
        tally.Add(CountPrefix + invoice.Status, 1);
        if (invoice.Status is InvoiceStatus.Draft or InvoiceStatus.Void) return tally;

        var currency = invoice.Content.Currency;
        tally.Add(CurrencyPrefix + currency, 1);
        foreach (var payment in invoice.Payments)
        {
            tally.Add(ReceivedPrefix + currency, payment.Amount);
            tally.Add($"{MonthPrefix}{currency}:{payment.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture)}", payment.Amount);
            tally.Add($"{RevenuePrefix}{currency}:{invoice.Content.CustomerId}", payment.Amount);
        }
        // Received and revenue are net of refunds (money paid back against credit notes), counted in the refund's month.
        foreach (var refund in invoice.Refunds)
        {
            tally.Add(ReceivedPrefix + currency, -refund.Amount);
            tally.Add($"{MonthPrefix}{currency}:{refund.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture)}", -refund.Amount);
            tally.Add($"{RevenuePrefix}{currency}:{invoice.Content.CustomerId}", -refund.Amount);
        }
        var balance = invoice.Totals.BalanceDue;
        if (invoice.Status is InvoiceStatus.Open or InvoiceStatus.PartiallyPaid && balance > 0m)
        {
            var due = invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            tally.Add($"{DuePrefix}{currency}:{due}", balance);
            tally.Add($"{OpenPrefix}{currency}:{due}", 1);
        }
        return tally;
    }

    /// <summary>What changing <paramref name="before"/> into <paramref name="after"/> adds (null: created or deleted).</summary>
    public static InvoiceTally Change(Invoice? before, Invoice? after) => Of(after).Minus(Of(before));

    public static InvoiceTally Sum(IEnumerable<Invoice> invoices)
    {
        var tally = Empty;
        foreach (var invoice in invoices) tally = tally.Plus(Of(invoice));
        return tally;
    }

    public InvoiceTally Plus(InvoiceTally other) => Combine(other, +1);

    public InvoiceTally Minus(InvoiceTally other) => Combine(other, -1);

    /// <summary>The figures whose name starts with <paramref name="prefix"/>, by the rest of their name.</summary>
    public IEnumerable<(string Key, decimal Value)> WithPrefix(string prefix) =>
        _figures.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(f => (f.Key[prefix.Length..], f.Value));

    private InvoiceTally Combine(InvoiceTally other, int sign)
    {
        var result = new InvoiceTally(new Dictionary<string, decimal>(_figures, StringComparer.Ordinal));
        foreach (var (name, value) in other._figures) result.Add(name, sign * value);
        return result;
    }

    private void Add(string name, decimal value)
    {
        var sum = _figures.GetValueOrDefault(name) + value;
        if (sum == 0m) _figures.Remove(name);
        else _figures[name] = sum;
    }
}
