using SmallPay.Domain.CreditNotes;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.CreditNotes;

/// <summary>A credit note's e-mail request, as invoices and quotes make theirs (the shared recipients rules and daily limit).</summary>
internal static class CreditNoteDeliveries
{
    /// <summary>The request <paramref name="requestId"/> to <paramref name="to"/>/<paramref name="cc"/>, and the day's quota it takes.</summary>
    public static async Task<(DeliveryRequest Request, SendingQuota Quota)> PrepareAsync(CreditNote note, DeliveryInput input, string requestId,
        BusinessSettings business, IMailPolicyStore mailPolicy, SendingPolicy policy, ApiRequest request, CancellationToken ct)
    {
        var (to, cc) = InvoiceDeliveries.Recipients(input, note.Customer.Email);
        await SendInvoice.RefuseSuppressedAsync(mailPolicy, request.Tenant, input, to, cc, ct);
        var standing = await mailPolicy.StandingAsync(request.Tenant, request.Today, ct);
        var quota = new SendingQuota(request.Tenant, request.Today, to.Count + cc.Count, policy.DailyLimit(standing));
        var document = note.AsDocument();
        var requested = InvoiceDeliveries.Request(document, input, requestId, business.BusinessName, request.ReceivedAt,
            Documents.Rendering.InvoiceEmailComposer.DefaultSubject(document, business));
        return (requested.DeliveryRequests.First(r => r.RequestId == requestId) with { InvoiceVersion = note.Version }, quota);
    }
}

/// <summary>
/// POST /credit-notes/{creditNoteId}/send: an e-mail request for the credit note, answered 202, through the one documents
/// pipeline (its own <c>delivery#crn_…#dlv_…</c> item reaches the worker, which mails the credit note's PDF). The request
/// and the day's sending quota are one transaction; the same Idempotency-Key writes nothing again.
/// </summary>
public sealed class SendCreditNote(ICreditNoteStore notes, ISettingsStore settings, IMailPolicyStore mailPolicy, SendingPolicy policy,
    bool emailConfigured = true) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured) throw SendInvoice.EmailNotConfigured();
        var input = (request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.SendInvoiceInput) : new SendInvoiceInput()).ToDeliveryInput();
        InvoiceDeliveries.Validate(input);
        var note = await CreditNoteAccess.LoadAsync(notes, request, ct);
        var requestId = request.NewId("dlv");
        if (note.DeliveryRequests.Any(r => r.RequestId == requestId)) return Accepted(note, request); // this request again
        var business = await settings.GetAsync(request.Tenant, ct);
        try
        {
            var (delivery, quota) = await CreditNoteDeliveries.PrepareAsync(note, input, requestId, business, mailPolicy, policy, request, ct);
            await notes.AddDeliveryAsync(note, delivery, quota, ct);
            return Accepted(note with { DeliveryRequests = [.. note.DeliveryRequests, delivery] }, request);
        }
        catch (SendingLimitException limit)
        {
            throw SendingProblems.LimitReached(limit, request.ReceivedAt);
        }
    }

    private static ApiResponse Accepted(CreditNote note, ApiRequest request) =>
        ApiResponse.Accepted(CreditNoteView.From(note, request.ReceivedAt), ApiViewJsonContext.Default.CreditNoteView, $"/credit-notes/{note.Id}", note.Version);
}

/// <summary>
/// GET /credit-notes/{creditNoteId}/pdf: a short-lived presigned link to the PDF of the credit note's current version (the
/// worker renders it when the credit note is issued, and again when a refund changes what it says is owed); 409 until then.
/// </summary>
public sealed class GetCreditNotePdf(ICreditNoteStore notes, IDocumentStorage documents, TimeSpan linkLifetime) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var note = await CreditNoteAccess.LoadAsync(notes, request, ct);
        if (!note.HasCurrentDocument || note.Document is not { } document)
            throw Problems.DocumentNotReady($"The PDF of credit note {note.Number} (version {note.Version}) is being rendered. Try again in a few seconds.");
        var expiresAt = request.ReceivedAt + linkLifetime;
        var url = await documents.PresignGetAsync(document.Key, expiresAt, ct);
        return ApiResponse.Ok(new DocumentLinkView(url.AbsoluteUri, expiresAt, document.Version), ApiViewJsonContext.Default.DocumentLinkView);
    }
}
