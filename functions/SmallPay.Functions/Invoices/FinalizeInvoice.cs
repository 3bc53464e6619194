using SmallPay.Functions.Hosting.Http;

namespace SmallPay.Functions.Invoices;

/// <summary>POST /invoices/{id}/finalize: the draft becomes Open with the tenant's next number.</summary>
public sealed class FinalizeInvoice(InvoiceNumberAllocator allocator) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        InvoiceAccess.Ok(await allocator.FinalizeAsync(InvoiceAccess.FinalizeCommand(request), ct), request);
}

