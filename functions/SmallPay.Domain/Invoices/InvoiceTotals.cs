using SmallPay.Domain.Money;

namespace SmallPay.Domain.Invoices;

/// <summary>Tax collected at one rate: the taxable base after discounts, and the tax on it.</summary>
public sealed record TaxAmount(decimal RatePercent, decimal Taxable, decimal Tax);

public sealed record InvoiceTotals(
    IReadOnlyList<decimal> LineAmounts,
    decimal Subtotal,
    decimal Discount,
    IReadOnlyList<TaxAmount> Taxes,
    decimal Tax,
    decimal Total,
    decimal AmountPaid,
    decimal BalanceDue);

/// <summary>
/// The one calculation of invoice figures, used by the API, the PDF and (mirrored in TypeScript) the SPA.
/// Rules: each line amount = qty × unit price less its discount, rounded to the currency; the invoice discount
/// comes off the subtotal before tax, shared among tax rates (ascending) in proportion to their bases by cumulative
/// rounding; tax is rounded once per rate.
/// </summary>
public static class InvoiceCalculator
{
    public static InvoiceTotals Calculate(Currency currency, IReadOnlyList<InvoiceLine> lines, InvoiceDiscount discount, decimal amountPaid = 0m, decimal credited = 0m)
    {
        var lineAmounts = new decimal[lines.Count];
        var subtotal = 0m;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            lineAmounts[i] = currency.Round(line.Quantity * line.UnitPrice * (100m - line.DiscountPercent) / 100m);
            subtotal += lineAmounts[i];
        }

        var discountTotal = discount.Kind == DiscountKind.Percent
            ? currency.Round(subtotal * discount.Value / 100m)
            : Math.Min(currency.Round(discount.Value), subtotal);

        var taxes = TaxesByRate(currency, lines, lineAmounts, subtotal, discountTotal);
        var tax = taxes.Sum(t => t.Tax);
        var total = subtotal - discountTotal + tax;
        return new InvoiceTotals(lineAmounts, subtotal, discountTotal, taxes, tax, total, amountPaid,
            credited == 0m ? total - amountPaid : currency.Round(Math.Max(0m, total - amountPaid - credited)));
    }

    private static List<TaxAmount> TaxesByRate(Currency currency, IReadOnlyList<InvoiceLine> lines, decimal[] lineAmounts, decimal subtotal, decimal discountTotal)
    {
        var bases = new SortedDictionary<decimal, decimal>();
        for (var i = 0; i < lines.Count; i++)
        {
            var rate = lines[i].TaxRatePercent;
            bases[rate] = bases.GetValueOrDefault(rate) + lineAmounts[i];
        }

        // Share the discount among rates by cumulative rounding: each rate gets round(D × bases so far / subtotal) minus
        // what the earlier rates got. Shares are never negative, never exceed their base, and add up to D exactly.
        var result = new List<TaxAmount>(bases.Count);
        var cumulativeBase = 0m;
        var allocated = 0m;
        foreach (var (rate, baseAmount) in bases)
        {
            cumulativeBase += baseAmount;
            // Ratio first: D × base could overflow decimal on very large invoices.
            var allocatedSoFar = subtotal == 0m ? 0m : cumulativeBase == subtotal ? discountTotal : currency.Round(discountTotal * (cumulativeBase / subtotal));
            var share = allocatedSoFar - allocated;
            allocated = allocatedSoFar;
            var taxable = baseAmount - share;
            result.Add(new TaxAmount(rate, taxable, currency.Round(taxable * rate / 100m)));
        }
        return result;
    }
}
