using System.Globalization;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// How figures and dates read on invoice documents (the PDF and the e-mail alike): invariant culture, thousands
/// separators, amounts with exactly the currency's minor digits and its ISO code ("1,234.50 EUR", "1,235 JPY").
/// </summary>
public static class InvoiceFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>An amount with the currency code: <c>1,234.50 EUR</c>.</summary>
    public static string Money(decimal amount, Currency currency) => $"{Amount(amount, currency)} {currency.Code}";

    /// <summary>An amount without the code, for table cells under a heading that names the currency: <c>1,234.50</c>.</summary>
    public static string Amount(decimal amount, Currency currency) => amount.ToString("N" + currency.MinorDigits, Invariant);

    /// <summary>A unit price: the currency's digits, more when the price has them (0.0125 EUR stays 0.0125).</summary>
    public static string UnitPrice(decimal price, Currency currency) =>
        price.ToString("N" + Math.Max(currency.MinorDigits, Decimals.Scale(price)), Invariant);

    /// <summary>A quantity without trailing zeros: <c>1</c>, <c>2.5</c>, <c>1,000</c>.</summary>
    public static string Quantity(decimal quantity) => quantity.ToString("#,0.####", Invariant);

    /// <summary>A percentage without trailing zeros: <c>19%</c>, <c>7.5%</c>.</summary>
    public static string Percent(decimal percent) => percent.ToString("0.###", Invariant) + "%";

    /// <summary>Dates spelled out so no reader mistakes day for month: <c>5 Mar 2026</c>.</summary>
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);

    /// <summary>The number printed for an invoice; a draft has none yet.</summary>
    public static string Number(Invoice invoice) => invoice.Number ?? "DRAFT";

    /// <summary>How the due date was agreed: <c>Net 14 days</c>, <c>Due on receipt</c>, or null when a date was set directly.</summary>
    public static string? PaymentTerms(InvoiceContent content) => content.DueDate is not null ? null : (content.PaymentTermsDays ?? 0) switch
    {
        0 => "Due on receipt",
        1 => "Net 1 day",
        var days => $"Net {days} days",
    };
}
