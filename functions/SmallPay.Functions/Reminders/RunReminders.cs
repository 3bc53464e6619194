using System.Text.Json;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Documents.Rendering;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Hosting.Logging;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Reminders;

/// <summary>What one RunReminders invocation did.</summary>
/// <param name="Looked">Markers looked at. <paramref name="Requested"/>: reminders handed to the document pipeline.</param>
/// <param name="Skipped">Reminders not sent: fallen together with a later one, or the customer had no usable address.</param>
/// <param name="Closed">Invoices paid, voided or without a reminder left: their markers removed.</param>
/// <param name="Off">Invoices whose business, customer or invoice has reminders off: looked at again a day later.</param>
/// <param name="Limited">Reminders held back by the daily sending limit: tried again at the next run.</param>
public sealed record ReminderRunReport(int Looked, int Requested, int Skipped, int Closed, int Off, int Limited, int Lost, int Failed, int Pages, bool More);

/// <summary>
/// The scheduled function (no route) of payment reminders: in AWS an EventBridge Scheduler schedule invokes it every hour;
/// locally the local host runs it with the template's schedules. It reads the invoices due for a look from the
/// "rank" index (a Query, earliest first, pages of <see cref="PageSize"/>, at most <see cref="MaxPages"/> pages or until
/// 5 s before the deadline; the rest wait for the next invocation) and decides each one with the business's plan
/// (<see cref="ReminderSchedule"/>).
/// <para><b>Once per reminder.</b> A reminder's request id is derived from (invoice, reminder key), and it is written in
/// one transaction with the marker's move, conditional on the marker as read and on the invoice awaiting payment: a
/// second invocation, a concurrent one or a retry either finds the marker moved or loses the transaction. The request
/// then goes through the document pipeline like a send (current PDF, delivery history, per-recipient outcomes), counted
/// against the daily sending limit in the same transaction.</para>
/// </summary>
public sealed class RunReminders(IReminderStore reminders, IInvoiceStore invoices, ICustomerStore customers, ISettingsStore settings,
    IMailPolicyStore mailPolicy, SendingPolicy policy, bool emailConfigured, TimeProvider clock, JsonLog log) : ILambdaHandler
{
    public const int PageSize = 50;
    public const int MaxPages = 40;

    /// <summary>How long an invoice or customer with reminders off waits for its next look (turning them on takes effect within it).</summary>
    public static readonly TimeSpan OffRecheck = TimeSpan.FromDays(1);

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> eventJson, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var report = await RunAsync(invocation.Deadline, invocation.RequestId, cancellationToken);
        log.Info("reminder run", invocation.RequestId, ("looked", report.Looked), ("requested", report.Requested), ("skipped", report.Skipped),
            ("closed", report.Closed), ("off", report.Off), ("limited", report.Limited), ("lost", report.Lost), ("failed", report.Failed),
            ("pages", report.Pages), ("more", report.More));
        return JsonSerializer.SerializeToUtf8Bytes(report, ApiViewJsonContext.Default.ReminderRunReport);
    }

    private enum Outcome { Requested, Closed, Off, Moved, Limited, Lost }

    public async Task<ReminderRunReport> RunAsync(DateTimeOffset deadline, string? requestId, CancellationToken ct)
    {
        int looked = 0, requested = 0, skipped = 0, closed = 0, off = 0, limited = 0, lost = 0, failed = 0, pages = 0;
        var more = false;
        if (!emailConfigured)
        {
            log.Warn("reminders not sent: e-mail is not set up (SMTP_SENDER)", requestId);
            return new ReminderRunReport(0, 0, 0, 0, 0, 0, 0, 0, 0, false);
        }
        var run = new RunCache(settings, customers);
        string? cursor = null;
        do
        {
            // The deadline is Lambda's (wall-clock time); the clock is the business's "now", which the local host can move.
            if (pages == MaxPages || DateTimeOffset.UtcNow > deadline - TimeSpan.FromSeconds(5)) { more = true; break; }
            var page = await reminders.DueAsync(clock.GetUtcNow(), PageSize, cursor, ct);
            pages++;
            foreach (var marker in page.Items)
            {
                looked++;
                try
                {
                    var (outcome, skippedHere) = await LookAsync(marker, run, ct);
                    skipped += skippedHere;
                    switch (outcome)
                    {
                        case Outcome.Requested: requested++; break;
                        case Outcome.Closed: closed++; break;
                        case Outcome.Off: off++; break;
                        case Outcome.Limited: limited++; break;
                        case Outcome.Lost: lost++; break;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++; // the marker stays as it was: the next invocation looks again
                    log.Error("reminder failed", e, requestId, ("business", marker.Business), ("invoiceId", marker.InvoiceId));
                }
            }
            cursor = page.NextCursor;
        } while (cursor is not null);
        return new ReminderRunReport(looked, requested, skipped, closed, off, limited, lost, failed, pages, more);
    }

    private async Task<(Outcome, int Skipped)> LookAsync(ReminderMarker marker, RunCache run, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var invoice = await invoices.GetAsync(marker.Business, marker.InvoiceId, ct);
        if (invoice is null || !InvoiceReminders.Awaits(invoice))
            return (await reminders.MoveAsync(marker, null, ct) ? Outcome.Closed : Outcome.Lost, 0);

        var business = await run.SettingsAsync(invoice.Tenant, ct);
        var customer = await run.CustomerAsync(invoice.Tenant, invoice.Content.CustomerId, ct);
        var plan = business.Reminders;
        if (!plan.Enabled || invoice.RemindersOff || customer?.Details.RemindersOff == true)
        {
            // Reminders that fall while they are off are skipped, not sent late: the look moves past them. With the
            // business's plan off the marker is parked (no daily look at every open invoice of every business without a
            // plan) until the plan is saved on; an invoice or customer turned off is looked at again a day later.
            var passed = ReminderSchedule.Decide(plan, invoice.DueDate, marker.HandledThrough, now);
            var handled = passed.Send is null ? marker.HandledThrough : passed.HandledThrough;
            var later = marker with { CheckAt = now + OffRecheck, HandledThrough = handled, Parked = !plan.Enabled };
            return (await reminders.MoveAsync(marker, later, ct) ? Outcome.Off : Outcome.Lost, passed.Send is null ? 0 : passed.Skipped.Count + 1);
        }

        var decision = ReminderSchedule.Decide(plan, invoice.DueDate, marker.HandledThrough, now);
        var next = decision.NextAt is { } at ? marker with { CheckAt = at, HandledThrough = decision.HandledThrough } : null;
        if (decision.Send is not { } reminder)
            return (await reminders.MoveAsync(marker, next, ct) ? (next is null ? Outcome.Closed : Outcome.Moved) : Outcome.Lost, 0);

        // To the customer's address as it is now (they may have changed it since the invoice), else as printed on it.
        var to = (customer?.Details.Email ?? invoice.Customer.Email)?.Trim();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Invoice requested;
        try
        {
            if (string.IsNullOrEmpty(to) || (await mailPolicy.SuppressedAsync(invoice.Tenant, [to], ct)).Count > 0)
                throw new DomainValidationException("No address", []);
            var input = ReminderWords.For(reminder.Step, invoice, business, today, to);
            requested = InvoiceReminders.Request(invoice, input, Ids.FromSeed("rem", $"{invoice.Id}#{reminder.Key}"), now,
                InvoiceEmailComposer.DefaultSubject(invoice, business), reminder);
        }
        catch (Exception e) when (e is DomainValidationException or InvoiceStateException)
        {
            // Nobody to send it to (no address, a suppressed or malformed one, the invoice's e-mail history is full): skipped.
            return (await reminders.MoveAsync(marker, next, ct) ? Outcome.Moved : Outcome.Lost, decision.Skipped.Count + 1);
        }
        if (ReferenceEquals(requested, invoice)) // sent already (a run that stopped before moving the marker cannot: one transaction)
            return (await reminders.MoveAsync(marker, next, ct) ? Outcome.Moved : Outcome.Lost, 0);

        var standing = await mailPolicy.StandingAsync(invoice.Tenant, today, ct);
        try
        {
            var outcome = await reminders.RemindAsync(marker, invoice, requested.DeliveryRequests[^1] with { InvoiceVersion = invoice.Version },
                new SendingQuota(invoice.Tenant, today, 1, policy.DailyLimit(standing)), next, ct);
            return (outcome == RemindOutcome.Requested ? Outcome.Requested : Outcome.Lost, outcome == RemindOutcome.Requested ? decision.Skipped.Count : 0);
        }
        catch (SendingLimitException)
        {
            return (Outcome.Limited, 0); // the marker stays: the next run tries again (a new day resets the limit)
        }
    }

    /// <summary>What one invocation reads once per business and customer.</summary>
    private sealed class RunCache(ISettingsStore settings, ICustomerStore customers)
    {
        private readonly Dictionary<string, BusinessSettings> _settings = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), Customer?> _customers = [];

        public async Task<BusinessSettings> SettingsAsync(string business, CancellationToken ct) =>
            _settings.TryGetValue(business, out var s) ? s : _settings[business] = await settings.GetAsync(business, ct);

        public async Task<Customer?> CustomerAsync(string business, string customerId, CancellationToken ct) =>
            _customers.TryGetValue((business, customerId), out var c) ? c : _customers[(business, customerId)] = await customers.GetAsync(business, customerId, ct);
    }
}
