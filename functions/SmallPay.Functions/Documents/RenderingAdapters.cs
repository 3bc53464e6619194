using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Rendering;

namespace SmallPay.Functions.Documents;

/// <summary>The PDFsharp renderer behind the worker's port.</summary>
public sealed class PdfSharpDocumentRenderer(InvoicePdfRenderer renderer) : IInvoiceDocumentRenderer
{
    public byte[] Render(Invoice invoice, BusinessSettings business, DateOnly today) => renderer.Render(invoice, business, today);
}

/// <summary>
/// The invoice e-mail composer behind the worker's port: a delivery request's recipients, subject and message; the
/// request id makes the Message-Id, so every try of one request sends the same message.
/// </summary>
public sealed class DeliveryEmailComposer(InvoiceEmailComposer composer) : IInvoiceEmailComposer
{
    public InvoiceEmail Compose(Invoice invoice, BusinessSettings business, DeliveryRequest delivery, byte[] pdf, Uri? pageLink = null)
    {
        var message = composer.Compose(invoice, business, pdf, delivery.To, delivery.Cc, delivery.Subject, delivery.Message, delivery.RequestId, pageLink,
            reminder: delivery.Kind == DeliveryKind.Reminder);
        // Compose parsed every address already (or threw): these parse.
        var recipients = delivery.Recipients.Where(address => !string.IsNullOrWhiteSpace(address)).Select(address => (address, InvoiceEmailComposer.TryParse(address.Trim())!)).ToList();
        return new InvoiceEmail(message, composer.Sender, recipients);
    }
}
