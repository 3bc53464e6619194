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
    /// <summary>Retrying stops this long before Lambda's deadline, to answer 503 rather than time out.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(1);

    /// <param name="alsoChange">A change written in the same update as the finalization (SendInvoice adds its delivery request).</param>
    public async Task<Invoice> FinalizeAsync(ApiRequest request, CancellationToken ct, Func<Invoice, Invoice>? alsoChange = null)
    {
        var giveUpAt = request.Deadline - DeadlineMargin;
        var draft = await LoadDraftAsync(request, ct);
        var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, draft.Content.CustomerId, ct);
        var counter = await settings.GetAsync(request.Tenant, ct);
        for (var attempt = 1; ; attempt++)
        {
            var number = InvoiceNumberFormat.Format(counter.NumberPrefix, counter.NextNumber);
            var finalized = InvoiceLifecycle.Finalize(draft, number, customer, request.ReceivedAt);
            finalized = (alsoChange?.Invoke(finalized) ?? finalized) with { Version = draft.Version + 1 };
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
            if (DateTimeOffset.UtcNow > giveUpAt)
                throw new ProblemException(503, "/problems/busy", "Too many invoices are being finalized at once.", "Nothing was changed. Try again in a moment.");
            // Under contention each round lets one finalization through; exponential back-off with full jitter
            // (capped at 1 s) keeps the losers from flooding the table while they wait their turn.
            await Task.Delay(Random.Shared.Next(0, 1 + Math.Min(1000, 10 << Math.Min(attempt, 7))), ct);
            counter = result.CurrentCounter ?? await settings.GetAsync(request.Tenant, ct);
        }
    }

    private async Task<Invoice> LoadDraftAsync(ApiRequest request, CancellationToken ct)
    {
        var draft = await InvoiceAccess.LoadAsync(invoices, request, ct);
        return draft.IsFinalized ? throw new InvoiceStateException($"Invoice {draft.Number} is already finalized.") : draft;
    }
}
