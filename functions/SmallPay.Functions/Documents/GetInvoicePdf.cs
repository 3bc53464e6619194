using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// GET /invoices/{id}/pdf: a short-lived presigned link to the PDF of the invoice's current version. The owner only
/// (another tenant's invoice is a 404 like any unknown one); 409 while that version's PDF is not stored yet.
/// </summary>
public sealed class GetInvoicePdf(IInvoiceStore invoices, IDocumentStorage documents, TimeSpan linkLifetime) : IApiHandler
{
    public static readonly TimeSpan DefaultLinkLifetime = TimeSpan.FromMinutes(5);

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var invoice = await InvoiceAccess.LoadAsync(invoices, request, ct);
        if (invoice.Status == InvoiceStatus.Draft)
            throw Problems.DocumentNotReady($"Invoice {invoice.Id} is a draft: drafts have no PDF. Finalize or send it, then its PDF is rendered.");
        if (!invoice.HasCurrentDocument || invoice.Document is not { } document)
            throw Problems.DocumentNotReady($"The PDF of invoice {invoice.Number} (version {invoice.Version}) is being rendered. Try again in a few seconds.");

        var expiresAt = request.ReceivedAt + linkLifetime;
        var url = await documents.PresignGetAsync(document.Key, expiresAt, ct);
        return ApiResponse.Ok(new DocumentLinkView(url.AbsoluteUri, expiresAt, document.Version), ApiViewJsonContext.Default.DocumentLinkView);
    }
}
