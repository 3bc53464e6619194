using SmallPay.Domain;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// POST /invoices/{id}/send: records a delivery request (a draft is finalized first, in the same write) and answers 202.
/// Nothing is rendered or mailed here: the write reaches the document worker through the table's stream.
/// </summary>
public sealed class SendInvoice(IInvoiceStore invoices, ISettingsStore settings, InvoiceNumberAllocator allocator, bool emailConfigured = true) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        if (!emailConfigured)
            throw new ProblemException(409, "/problems/email-not-configured", "E-mail is not set up.",
                "This SmallPay has no sender address for e-mails yet (the SmtpSender parameter of its stack). Nothing was changed; download the PDF instead, or ask the operator to set it.");
        var input = (request.Raw.Body is { Length: > 0 } ? request.ReadJson(ApiJsonContext.Default.SendInvoiceInput) : new SendInvoiceInput()).ToDeliveryInput();
        InvoiceDeliveries.Validate(input); // bad input is refused before a draft gets its number
        var current = await InvoiceAccess.LoadAsync(invoices, request, ct);
        var business = await settings.GetAsync(request.Tenant, ct);
        var requestId = request.NewId("dlv");
        // The default subject in the invoice's language (its customer's, else the business's), like the e-mail itself.
        Invoice Deliver(Invoice invoice) => InvoiceDeliveries.Request(invoice, input, requestId, business.BusinessName, request.ReceivedAt,
            Rendering.InvoiceEmailComposer.DefaultSubject(invoice, business));

        var sent = current.IsFinalized
            ? await InvoiceAccess.ChangeAsync(invoices, request, Deliver, ct)
            : await FinalizeAndDeliverAsync(request, Deliver, ct);
        return ApiResponse.Accepted(InvoiceView.From(sent, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
            $"/invoices/{sent.Id}", sent.Version);
    }

    private async Task<Invoice> FinalizeAndDeliverAsync(ApiRequest request, Func<Invoice, Invoice> deliver, CancellationToken ct)
    {
        try
        {
            return await allocator.FinalizeAsync(InvoiceAccess.FinalizeCommand(request), ct, deliver);
        }
        catch (InvoiceStateException) when (request.IfMatchVersion() is null)
        {
            // Finalized by someone else a moment ago: it can still be sent, now without finalizing.
            return await InvoiceAccess.ChangeAsync(invoices, request, deliver, ct);
        }
    }
}
