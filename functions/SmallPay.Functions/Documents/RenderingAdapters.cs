using System.Net.Mail;
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

/// <summary>The invoice e-mail composer behind the worker's port: a delivery request's recipients, subject and message.</summary>
public sealed class DeliveryEmailComposer(InvoiceEmailComposer composer) : IInvoiceEmailComposer
{
    public MailMessage Compose(Invoice invoice, BusinessSettings business, DeliveryRequest delivery, byte[] pdf) =>
        composer.Compose(invoice, business, pdf, delivery.To, delivery.Cc, delivery.Subject, delivery.Message);
}
