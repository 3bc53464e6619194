using SmallPay.Domain.Invoices;
using SmallPay.Functions.Documents.Localization;

namespace SmallPay.Functions.Documents.Rendering;

public enum InvoiceStampKind { Draft, Paid, Void, Overdue }

/// <summary>
/// The status stamp an invoice document carries, if any: DRAFT, PAID (with the date), VOID, or OVERDUE when an
/// open invoice is past its due date with a balance, in the document's language. Open and partly paid invoices within
/// their terms carry none.
/// </summary>
public sealed record InvoiceStamp(InvoiceStampKind Kind, string Text, string? Detail)
{
    public static InvoiceStamp? For(Invoice invoice, DateOnly today, DocumentLanguage? language = null)
    {
        var l = language ?? DocumentLanguage.English;
        string On(DateOnly date) => l.Text("stamp.on", ("date", l.Date(date)));
        // A quote's page and PDF carry no payment stamp (its words come from the quote's own status).
        // Nor does a credit note's: nothing is due on it.
        if (invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.CreditNote) return null;
        if (invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.Quote) return invoice.Status == InvoiceStatus.Draft ? new(InvoiceStampKind.Draft, l["stamp.draft"], l["stamp.draftDetail"]) : null;
        return invoice.Status switch
        {
            InvoiceStatus.Draft => new(InvoiceStampKind.Draft, l["stamp.draft"], l["stamp.draftDetail"]),
            InvoiceStatus.Paid => new(InvoiceStampKind.Paid, l["stamp.paid"], invoice.PaidDate is { } paid ? On(paid) : null),
            InvoiceStatus.Void => new(InvoiceStampKind.Void, l["stamp.void"], invoice.VoidedAt is { } voided ? On(DateOnly.FromDateTime(voided.UtcDateTime)) : null),
            _ when invoice.IsOverdue(today) => new(InvoiceStampKind.Overdue, l["stamp.overdue"], DaysPastDue(invoice.DaysOverdue(today), l)),
            _ => null,
        };
    }

    private static string DaysPastDue(int days, DocumentLanguage l) =>
        days == 1 ? l["stamp.dayPastDue"] : l.Text("stamp.daysPastDue", ("days", l.Integer(days)));
}
