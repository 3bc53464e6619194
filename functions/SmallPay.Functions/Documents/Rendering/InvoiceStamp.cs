using SmallPay.Domain.Invoices;

namespace SmallPay.Functions.Documents.Rendering;

public enum InvoiceStampKind { Draft, Paid, Void, Overdue }

/// <summary>
/// The status stamp an invoice document carries, if any: DRAFT, PAID (with the date), VOID, or OVERDUE when an
/// open invoice is past its due date with a balance. Open and partly paid invoices within their terms carry none.
/// </summary>
public sealed record InvoiceStamp(InvoiceStampKind Kind, string Text, string? Detail)
{
    public static InvoiceStamp? For(Invoice invoice, DateOnly today) => invoice.Status switch
    {
        InvoiceStatus.Draft => new(InvoiceStampKind.Draft, "DRAFT", "Not yet issued"),
        InvoiceStatus.Paid => new(InvoiceStampKind.Paid, "PAID", invoice.PaidDate is { } paid ? $"on {InvoiceFormat.Date(paid)}" : null),
        InvoiceStatus.Void => new(InvoiceStampKind.Void, "VOID", invoice.VoidedAt is { } voided ? $"on {InvoiceFormat.Date(DateOnly.FromDateTime(voided.UtcDateTime))}" : null),
        _ when invoice.IsOverdue(today) => new(InvoiceStampKind.Overdue, "OVERDUE", DaysPastDue(invoice.DaysOverdue(today))),
        _ => null,
    };

    private static string DaysPastDue(int days) => days == 1 ? "1 day past due" : $"{days} days past due";
}
