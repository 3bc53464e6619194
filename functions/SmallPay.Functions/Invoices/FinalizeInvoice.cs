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
        for (var attempt = 1; ; attempt++)
        {
            var draft = await InvoiceAccess.LoadAsync(invoices, request, ct);
            if (draft.IsFinalized) throw new InvoiceStateException($"Invoice {draft.Number} is already finalized.");
            var counter = await settings.GetAsync(request.Tenant, ct);
            var customer = await customers.SnapshotForInvoiceAsync(request.Tenant, draft.Content.CustomerId, ct);
            var number = InvoiceNumberFormat.Format(counter.NumberPrefix, counter.NextNumber);
            var finalized = InvoiceLifecycle.Finalize(draft, number, customer, request.ReceivedAt) with { Version = draft.Version + 1 };

            switch (await invoices.FinalizeAsync(finalized, counter.NextNumber, counter, ct))
            {
                case FinalizeOutcome.Finalized:
                    return finalized;
                case FinalizeOutcome.InvoiceChanged when request.IfMatchVersion() is not null:
                    throw Problems.PreconditionFailed($"Invoice {draft.Id}");
                case FinalizeOutcome.NumberTaken:
                    await invoices.SkipTakenNumberAsync(request.Tenant, counter.NextNumber, counter, ct);
                    continue;
            }
            if (DateTimeOffset.UtcNow - started > Budget)
                throw new ProblemException(503, "/problems/busy", "Too many invoices are being finalized at once.", "Nothing was changed. Try again in a moment.");
            // Jittered back-off spreads competing finalizations apart.
            await Task.Delay(Random.Shared.Next(1, 10 + Math.Min(attempt, 20) * 5), ct);
        }
    }
}
