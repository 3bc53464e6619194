using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;

namespace SmallPay.Functions.Documents.Rendering;

public enum InvoicePageSize { A4, Letter }

/// <summary>
/// Renders an invoice as a PDF (PDFsharp, DejaVu Sans embedded as subsets). Every figure comes from
/// <see cref="Invoice.Totals"/>, the calculation the API uses; nothing is recomputed here. Stateless and cheap to share.
/// </summary>
public sealed class InvoicePdfRenderer
{
    public InvoicePdfRenderer() => PdfSharpSetup.EnsureInitialized();

    /// <summary>The invoice as PDF bytes.</summary>
    /// <param name="today">The tenant's "today": decides the OVERDUE stamp.</param>
    public byte[] Render(Invoice invoice, BusinessSettings business, DateOnly today, InvoicePageSize pageSize = InvoicePageSize.A4)
    {
        using var output = new MemoryStream(32 * 1024);
        Render(invoice, business, today, output, pageSize);
        return output.ToArray();
    }

    /// <summary>Writes the invoice PDF to <paramref name="output"/> (left open).</summary>
    public void Render(Invoice invoice, BusinessSettings business, DateOnly today, Stream output, InvoicePageSize pageSize = InvoicePageSize.A4)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(business);
        ArgumentNullException.ThrowIfNull(output);
        new InvoiceDocument(invoice, business, today, pageSize).WriteTo(output);
    }
}
