using SmallPay.Domain;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Invoices;

/// <summary>Finalize this tenant's draft; <see cref="ExpectedVersion"/> is the client's If-Match (null: whatever is stored now).</summary>
/// <param name="Quota">When the finalize also sends the invoice: its recipients, counted against the daily limit in the same write.</param>
public sealed record FinalizeCommand(string Tenant, string InvoiceId, long? ExpectedVersion, DateTimeOffset Now, DateTimeOffset GiveUpAt, string? Actor = null,
    SendingQuota? Quota = null);

/// <summary>
/// Gives a draft the tenant's next invoice number: unique and gapless under concurrency. The number, the advanced
/// counter and the finalized invoice are written in one transaction; losing a race to another finalize simply means
/// re-reading the counter and trying again, so no number is ever skipped or issued twice. Raises domain and store
/// errors only (<see cref="NotFoundException"/>, <see cref="StaleVersionException"/>, <see cref="InvoiceStateException"/>,
/// <see cref="BusyException"/>); the HTTP adapter turns them into problems.
/// </summary>
public sealed class InvoiceNumberAllocator(IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings, TimeProvider clock)
{
    /// <summary>Retrying stops this long before Lambda's deadline, to answer 503 rather than time out.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(1);

    /// <param name="alsoChange">A change written in the same update as the finalization (SendInvoice adds its delivery request).</param>
    public async Task<Invoice> FinalizeAsync(FinalizeCommand command, CancellationToken ct, Func<Invoice, Invoice>? alsoChange = null)
    {
        var draft = await LoadDraftAsync(command, ct);
        var customer = await customers.SnapshotForInvoiceAsync(command.Tenant, draft.Content.CustomerId, ct);
        var counter = await settings.GetAsync(command.Tenant, ct);
        for (var attempt = 1; ; attempt++)
        {
            var number = InvoiceNumberFormat.Format(counter.NumberPrefix, counter.NextNumber);
            var finalized = InvoiceLifecycle.Finalize(draft, number, customer, command.Now);
            finalized = (alsoChange?.Invoke(finalized) ?? finalized) with { Version = draft.Version + 1, UpdatedBy = command.Actor };
            var result = await invoices.FinalizeAsync(draft, finalized, counter.NextNumber, counter, ct, command.Quota);
            switch (result.Outcome)
            {
                case FinalizeOutcome.Finalized:
                    return finalized;
                case FinalizeOutcome.InvoiceChanged when command.ExpectedVersion is not null:
                    throw new StaleVersionException($"Invoice {draft.Id}");
                case FinalizeOutcome.InvoiceChanged:
                    draft = await LoadDraftAsync(command, ct); // edited meanwhile: finalize what is there now
                    continue;
                case FinalizeOutcome.NumberTaken:
                    await invoices.SkipTakenNumberAsync(command.Tenant, counter.NextNumber, counter, ct);
                    counter = await settings.GetAsync(command.Tenant, ct);
                    continue;
            }
            if (clock.GetUtcNow() > command.GiveUpAt)
                throw new BusyException("Too many invoices are being finalized at once. Nothing was changed. Try again in a moment.");
            // Under contention each round lets one finalization through; exponential back-off with full jitter
            // (capped at 1 s) keeps the losers from flooding the table while they wait their turn.
            await Task.Delay(Random.Shared.Next(0, 1 + Math.Min(1000, 10 << Math.Min(attempt, 7))), ct);
            counter = result.CurrentCounter ?? await settings.GetAsync(command.Tenant, ct);
        }
    }

    private async Task<Invoice> LoadDraftAsync(FinalizeCommand command, CancellationToken ct)
    {
        var draft = Ids.IsWellFormed(command.InvoiceId, "inv") ? await invoices.GetAsync(command.Tenant, command.InvoiceId, ct) : null;
        if (draft is null) throw new NotFoundException($"Invoice {command.InvoiceId}");
        if (command.ExpectedVersion is { } expected && expected != draft.Version) throw new StaleVersionException($"Invoice {draft.Number ?? draft.Id}");
        return draft.IsFinalized ? throw new InvoiceStateException($"Invoice {draft.Number} is already finalized.") : draft;
    }
}
