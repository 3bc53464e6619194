using System.Text.Json;
using SmallPay.Domain;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Recurring;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Recurring;

/// <summary>
/// The scheduled function (no route): in AWS an EventBridge Scheduler schedule invokes it every hour; locally it runs only
/// when invoked by hand (the local host has no clock loop yet). It reads the due profiles from the due index (a Query, earliest first, pages of
/// <see cref="PageSize"/>, at most <see cref="MaxPages"/> pages or until 5 s before the deadline; the rest wait for the
/// next invocation) and runs each one.
/// <para><b>Exactly once per period.</b> A run creates the period's invoice — its id derived from (profile, period) — and
/// advances the profile in one DynamoDB transaction, conditional on the profile's version and next run and on the invoice
/// not existing. A second invocation, a concurrent one, a retry after a timeout or an edit made meanwhile therefore
/// either finds the profile no longer due or loses the transaction and re-reads (an edit: the run is planned again on
/// the edited profile); no path writes a second invoice for a period.</para>
/// <para><b>Finalize and send</b> then finalizes the draft through the same allocator as FinalizeInvoice (gapless
/// numbers) and records one e-mail request to the customer (its id derived from the invoice's, so a repeat records
/// nothing new), counted against the daily sending limit, which the document pipeline renders and mails. When the
/// customer has no e-mail address, the address is suppressed, e-mail is not set up or the limit is reached, the invoice
/// is finalized without an e-mail. If the function stops between the two steps, the invoice stays a draft.</para>
/// </summary>
public sealed class RunRecurring(IRecurringStore profiles, ICustomerStore customers, ISettingsStore settings,
    InvoiceNumberAllocator allocator, IMailPolicyStore mailPolicy, SendingPolicy policy, bool emailConfigured, TimeProvider clock, JsonLog log) : ILambdaHandler
{
    public const int PageSize = 25;
    public const int MaxPages = 40;
    public const string Actor = "recurring";

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var report = await RunAsync(invocation.Deadline, invocation.RequestId, cancellationToken);
        log.Info("recurring run", invocation.RequestId, ("due", report.Due), ("invoiced", report.Invoiced), ("skipped", report.Skipped),
            ("sent", report.Sent), ("lost", report.Lost), ("failed", report.Failed), ("pages", report.Pages), ("more", report.More));
        return JsonSerializer.SerializeToUtf8Bytes(report, ApiViewJsonContext.Default.RecurringRunReport);
    }

    public async Task<RecurringRunReport> RunAsync(DateTimeOffset deadline, string? requestId, CancellationToken ct)
    {
        int due = 0, invoiced = 0, skipped = 0, sent = 0, lost = 0, failed = 0, pages = 0;
        string? cursor = null;
        var more = false;
        do
        {
            // The deadline is Lambda's (wall-clock time); the clock is the business's "now", which the local host can move.
            if (pages == MaxPages || DateTimeOffset.UtcNow > deadline - TimeSpan.FromSeconds(5)) { more = true; break; }
            var page = await profiles.DueAsync(clock.GetUtcNow(), PageSize, cursor, ct);
            pages++;
            foreach (var item in page.Items)
            {
                due++;
                try
                {
                    var outcome = await RunOneAsync(item, deadline, ct);
                    if (outcome.Invoiced) invoiced++;
                    if (outcome.Sent) sent++;
                    if (outcome.Lost) lost++;
                    skipped += outcome.Skipped;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++; // this profile stays due: the next invocation tries it again
                    log.Error("recurring profile failed", e, requestId, ("business", item.Business), ("profileId", item.ProfileId));
                }
            }
            cursor = page.Cursor;
        } while (cursor is not null);
        return new RecurringRunReport(due, invoiced, skipped, sent, lost, failed, pages, more);
    }

    private sealed record Outcome(bool Invoiced, int Skipped, bool Sent, bool Lost);

    private async Task<Outcome> RunOneAsync(DueProfile due, DateTimeOffset deadline, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var now = clock.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var profile = await profiles.GetAsync(due.Business, due.ProfileId, ct);
            if (profile is null) return new Outcome(false, 0, false, false);
            if (RecurringRules.EndIfExhausted(profile, today, now) is { } ended)
            {
                await profiles.RunAsync(profile, ended, null, ct);
                return new Outcome(false, 0, false, false);
            }
            if (RecurringRules.Plan(profile, today, now) is not { } plan) return new Outcome(false, 0, false, attempt > 1);

            CustomerSnapshot customer;
            try { customer = await customers.SnapshotForInvoiceAsync(profile.Tenant, profile.Content.CustomerId, ct); }
            catch (CustomerMissingException) { await PauseAsync(profile, now, "Its customer no longer exists.", ct); return new Outcome(false, 0, false, false); }

            var draft = InvoiceLifecycle.CreateDraft(RecurringRules.InvoiceIdFor(profile.Id, plan.Period), profile.Tenant,
                RecurringRules.ContentFor(profile, plan.Period), customer, now) with { UpdatedBy = Actor, RecurringProfileId = profile.Id };
            switch (await profiles.RunAsync(profile, plan.Advanced, draft, ct))
            {
                case RunOutcome.Applied:
                    var sent = profile.Action == RecurringAction.FinalizeAndSend && await FinalizeAndSendAsync(draft, now, deadline, ct);
                    return new Outcome(true, plan.Skipped.Count, sent, attempt > 1);
                case RunOutcome.CustomerMissing:
                    await PauseAsync(profile, now, "Its customer no longer exists.", ct);
                    return new Outcome(false, 0, false, false);
                default:
                    continue; // another run or an edit came first: read again and plan on what is stored now
            }
        }
        return new Outcome(false, 0, false, true);
    }

    private async Task PauseAsync(RecurringProfile profile, DateTimeOffset now, string reason, CancellationToken ct)
    {
        try { await profiles.UpdateAsync(profile, RecurringRules.Pause(profile, now, Actor, reason), ct); }
        catch (StaleVersionException) { /* changed meanwhile: the next invocation sees it again */ }
    }

    /// <summary>Finalizes the new draft and, when it can be mailed, records its e-mail in the same write. True when an e-mail was requested.</summary>
    private async Task<bool> FinalizeAndSendAsync(Invoice draft, DateTimeOffset now, DateTimeOffset deadline, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var business = await settings.GetAsync(draft.Tenant, ct);
        // The allocator judges its give-up time on the clock: the time left until Lambda's deadline, from the clock's now.
        var giveUpAt = now + (deadline - DateTimeOffset.UtcNow - InvoiceNumberAllocator.DeadlineMargin);
        var command = new FinalizeCommand(draft.Tenant, draft.Id, null, now, giveUpAt, Actor);
        var to = draft.Customer.Email;
        var mailable = emailConfigured && to is { Length: > 0 } && (await mailPolicy.SuppressedAsync(draft.Tenant, [to], ct)).Count == 0;
        try
        {
            if (mailable)
            {
                var standing = await mailPolicy.StandingAsync(draft.Tenant, today, ct);
                var requestId = Ids.FromSeed("dlv", draft.Id);
                Invoice Deliver(Invoice invoice) => InvoiceDeliveries.Request(invoice, new DeliveryInput(), requestId, business.BusinessName, now,
                    InvoiceEmailComposer.DefaultSubject(invoice, business));
                try
                {
                    await allocator.FinalizeAsync(command with { Quota = new SendingQuota(draft.Tenant, today, 1, policy.DailyLimit(standing)) }, ct, Deliver);
                    return true;
                }
                catch (SendingLimitException)
                {
                    log.Warn("recurring invoice finalized without e-mail: the daily sending limit is reached", null, ("invoiceId", draft.Id));
                }
            }
            await allocator.FinalizeAsync(command, ct);
        }
        catch (InvoiceStateException) { /* finalized already (by someone, or an earlier attempt) */ }
        return false;
    }
}
