using MimeKit;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;

namespace SmallPay.Functions.Documents;

/// <summary>Turns an invoice into its PDF (Documents/Rendering/InvoicePdfRenderer).</summary>
public interface IInvoiceDocumentRenderer
{
    byte[] Render(Invoice invoice, BusinessSettings business, DateOnly today);
}

/// <summary>Writes the e-mail for one delivery request with the PDF attached (Documents/Rendering/InvoiceEmailComposer).</summary>
public interface IInvoiceEmailComposer
{
    /// <exception cref="FormatException">An address can never be delivered to (a permanent failure).</exception>
    /// <param name="pageLink">The customer's own page of this e-mail's invoice (its signed link), when the stack has them.</param>
    InvoiceEmail Compose(Invoice invoice, BusinessSettings business, DeliveryRequest delivery, byte[] pdf, Uri? pageLink = null);
}

/// <summary>
/// The e-mail of one delivery request: the message (its headers name every recipient), the envelope sender, and each of
/// the request's recipients (<see cref="DeliveryRequest.Recipients"/>, as stored) with the mailbox it was parsed to, in
/// the same order: a try sends to those still pending.
/// </summary>
public sealed class InvoiceEmail(MimeMessage message, MailboxAddress sender, IReadOnlyList<(string Address, MailboxAddress Mailbox)> recipients) : IDisposable
{
    public MimeMessage Message { get; } = message;
    public MailboxAddress Sender { get; } = sender;
    public IReadOnlyList<(string Address, MailboxAddress Mailbox)> Recipients { get; } = recipients;

    public void Dispose() => Message.Dispose();
}

/// <summary>Where the PDFs live (the documents bucket): private objects, reachable only through short-lived presigned links.</summary>
public interface IDocumentStorage
{
    /// <summary>Stores (or overwrites: the key is deterministic) the PDF, encrypted at rest.</summary>
    Task PutPdfAsync(string key, byte[] pdf, string fileName, CancellationToken ct);

    /// <summary>A GET link to the object that works until <paramref name="expiresAt"/>, for whoever holds it.</summary>
    Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>Stores a CSV export (private, encrypted at rest), downloaded as <paramref name="fileName"/> through a presigned GET.</summary>
    Task PutExportAsync(string key, byte[] csv, string fileName, CancellationToken ct) =>
        throw new NotSupportedException("This document storage keeps no exports.");
}

public static class DocumentKeys
{
    /// <summary>
    /// <c>invoices/{tenant}/{invoiceId}/v{version}.pdf</c> (a quote's too), <c>credit-notes/{tenant}/{creditNoteId}/v{version}.pdf</c>:
    /// one object per version, so rendering again only overwrites.
    /// </summary>
    public static string For(Invoice invoice) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.CreditNote ? "credit-notes" : "invoices")}/{invoice.Tenant}/{invoice.Id}/v{invoice.Version}.pdf");
}
