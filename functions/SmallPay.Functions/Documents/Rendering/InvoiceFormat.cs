using SmallPay.Domain.Invoices;
using SmallPay.Domain.Money;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Documents.Rendering;

/// <summary>
/// How figures and dates read on English invoice documents ("1,234.50 EUR", "5 Mar 2026"); other languages format
/// through their <see cref="DocumentLanguage"/>.
/// </summary>
public static class InvoiceFormat
{
    private static DocumentLanguage English => DocumentLanguage.English;

    /// <summary>An amount with the currency code: <c>1,234.50 EUR</c>.</summary>
    public static string Money(decimal amount, Currency currency) => English.Money(amount, currency);

    /// <summary>An amount without the code, for table cells under a heading that names the currency: <c>1,234.50</c>.</summary>
    public static string Amount(decimal amount, Currency currency) => English.Amount(amount, currency);

    /// <summary>A unit price: the currency's digits, more when the price has them (0.0125 EUR stays 0.0125).</summary>
    public static string UnitPrice(decimal price, Currency currency) => English.UnitPrice(price, currency);

    /// <summary>A quantity without trailing zeros: <c>1</c>, <c>2.5</c>, <c>1,000</c>.</summary>
    public static string Quantity(decimal quantity) => English.Quantity(quantity);

    /// <summary>A percentage without trailing zeros: <c>19%</c>, <c>7.5%</c>.</summary>
    public static string Percent(decimal percent) => English.Percent(percent);

    /// <summary>Dates spelled out so no reader mistakes day for month: <c>5 Mar 2026</c>.</summary>
    public static string Date(DateOnly date) => English.Date(date);

    /// <summary>The number printed for an invoice; a draft has none yet.</summary>
    public static string Number(Invoice invoice) => English.Number(invoice);

    /// <summary>How the due date was agreed: <c>Net 14 days</c>, <c>Due on receipt</c>, or null when a date was set directly.</summary>
    public static string? PaymentTerms(InvoiceContent content) => English.PaymentTerms(content);
}
