using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Payments;

/// <summary>POST /invoices/{id}/payments: partial or full; overpayment refused; the status follows the balance.</summary>
public sealed class RecordPayment(IInvoiceStore invoices) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var payment = request.ReadJson(ApiJsonContext.Default.PaymentInput)
            .ToPayment(request.NewId("pay"), request.Today, request.ReceivedAt);
        var paid = await InvoiceAccess.ChangeAsync(invoices, request, i => InvoiceLifecycle.RecordPayment(i, payment, request.Today), ct);
        return ApiResponse.Created(InvoiceView.From(paid, request.Today, request.ReceivedAt), ApiViewJsonContext.Default.InvoiceView,
            $"/invoices/{paid.Id}", ETags.Format(paid.Version));
    }
}
