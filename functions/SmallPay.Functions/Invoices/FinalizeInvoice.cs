using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Invoices;

/// <summary>POST /invoices/{id}/finalize: the draft becomes Open with the tenant's next number.</summary>
public sealed class FinalizeInvoice(InvoiceNumberAllocator allocator) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct) =>
        InvoiceAccess.Ok(await allocator.FinalizeAsync(request, ct), request);
}

/// <summary>
/// Gives a draft the tenant's next invoice number: unique and gapless under concurrency. The number, the advanced
/// counter and the finalized invoice are written in one transaction; losing a race to another finalize simply means
/// re-reading the counter and trying again, so no number is ever skipped or issued twice.
/// </summary>
public sealed class InvoiceNumberAllocator(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings)
{
    /// <summary>Under heavy contention (many finalizations of one tenant at once) each round lets one through.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    public async Task<Invoice> FinalizeAsync(ApiRequest request, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var draft = await LoadDraftAsync(request, ct);
        var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, draft.Content.CustomerId, ct);
        var counter = await settings.GetAsync(request.Tenant, ct);
        for (var attempt = 1; ; attempt++)
        {
            var number = InvoiceNumberFormat.Format(counter.NumberPrefix, counter.NextNumber);
            var finalized = InvoiceLifecycle.Finalize(draft, number, customer, request.ReceivedAt) with { Version = draft.Version + 1 };
            var result = await invoices.FinalizeAsync(finalized, counter.NextNumber, counter, ct);
            switch (result.Outcome)
            {
                case FinalizeOutcome.Finalized:
                    return finalized;
                case FinalizeOutcome.InvoiceChanged when request.IfMatchVersion() is not null:
                    throw Problems.PreconditionFailed($"Invoice {draft.Id}");
                case FinalizeOutcome.InvoiceChanged:
                    draft = await LoadDraftAsync(request, ct); // edited meanwhile: finalize what is there now
                    continue;
                case FinalizeOutcome.NumberTaken:
                    await invoices.SkipTakenNumberAsync(request.Tenant, counter.NextNumber, counter, ct);
                    counter = await settings.GetAsync(request.Tenant, ct);
                    continue;
            }
            if (DateTimeOffset.UtcNow - started > Budget)
                throw new ProblemException(503, "/problems/busy", "Too many invoices are being finalized at once.", "Nothing was changed. Try again in a moment.");
            // Exponential back-off with full jitter thins out the herd of competing finalizations.
            await Task.Delay(Random.Shared.Next(0, 1 + Math.Min(200, 4 << Math.Min(attempt, 6))), ct);
            counter = result.CurrentCounter ?? await settings.GetAsync(request.Tenant, ct);
        }
    }

    private async Task<Invoice> LoadDraftAsync(ApiRequest request, CancellationToken ct)
    {
        var draft = await InvoiceAccess.LoadAsync(invoices, request, ct);
        return draft.IsFinalized ? throw new InvoiceStateException($"Invoice {draft.Number} is already finalized.") : draft;
    }
}
