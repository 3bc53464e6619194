using System.Diagnostics;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Reminders;
using SmallPay.Domain.Settings;
using SmallPay.Functions.Documents.Mail;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// The SQS consumer of the documents pipeline (docs/ARCHITECTURE.md, "Exactly-once effect"). Per record: read the invoice
/// as it is now; a record older than that is stale and skipped (a newer record carries everything still to do); render
/// the current version to S3 and record the document (only over an older one); then claim, send and settle each pending
/// delivery request. At-least-once delivery of records, made exactly-once in effect by the conditional writes.
/// </summary>
public sealed class DocumentWorker(
    IWorkerInvoiceStore invoices,
    ISettingsStore settings,
    IDocumentStorage storage,
    IInvoiceDocumentRenderer renderer,
    IInvoiceEmailComposer composer,
    IMailSender mail,
    TimeProvider clock,
    InvitationMailer? invitations = null,
    IMailPolicyStore? mailPolicy = null,
    string? sesConfigurationSet = null,
    EmailCodeMailer? emailCodes = null,
    CustomerPage.DocumentLinkIssuer? links = null,
    TimeProvider? leaseClock = null) : ISqsRecordHandler
{
    /// <summary>
    /// What claims are timed with: wall-clock time (a claim guards against another worker for as long as a send can take),
    /// while <c>clock</c> is the business's "now" (the document's dates), which the local host can move days ahead while
    /// a send is in flight. The same clock unless told otherwise (tests move one clock for both).
    /// </summary>
    private readonly TimeProvider _leases = leaseClock ?? clock;

    /// <summary>
    /// How long a claim keeps other workers off a delivery: longer than one send can take (the function's 30 s timeout),
    /// shorter than the queue's visibility timeout (180 s), so the retry of a crashed worker's message can take it over.
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(90);

    public async Task HandleAsync(SqsMessage message, SqsRecordContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var change = InvoiceChange.Parse(message.Body);
        void Log(string outcome, params (string Key, object? Value)[] fields) =>
            context.Log.Info(outcome, context.RequestId,
                [("messageId", message.MessageId), ("invoiceId", change.InvoiceId), ("recordVersion", change.Version),
                 ("receiveCount", message.ReceiveCount), .. fields, ("ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3))]);

        if (change.Entity == "Invitation" && invitations is not null) { Log("invitation: " + await invitations.HandleAsync(change.InvoiceId, ct)); return; }
        if (change.Entity == DynamoDbEmailVerificationStore.Entity && emailCodes is not null) { Log("e-mail code: " + await emailCodes.HandleAsync(change.InvoiceId, ct)); return; }
        // A new e-mail request (its own item, delivery#{invoiceId}#{requestId}) or a change of a finalized invoice.
        var isDelivery = change.Entity == ItemMapping.EntityDelivery;
        if (!change.IsInvoice && !change.IsCreditNote && !isDelivery) { Log("skipped: not an invoice", ("entity", change.Entity)); return; }
        var invoiceId = isDelivery ? change.InvoiceId.Split('#')[1] : change.InvoiceId;
        var invoice = await invoices.LoadAsync(invoiceId, ct, isDelivery ? change.InvoiceId : null);
        if (invoice is null) { Log("skipped: the invoice no longer exists"); return; }
        if (!isDelivery && invoice.Version > change.Version) { Log("skipped: stale record", ("currentVersion", invoice.Version)); return; }
        if (!isDelivery && invoice.Version < change.Version)
            throw new RetryableRecordException($"Read version {invoice.Version} of {invoice.Id}, older than the record's {change.Version}.");
        if (invoice.Status == InvoiceStatus.Draft) { Log("skipped: drafts have no document"); return; }

        var business = await settings.GetAsync(invoice.Tenant, ct);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        byte[]? pdf = null;
        var rendered = false;
        if (!invoice.HasCurrentDocument)
        {
            pdf = renderer.Render(invoice, business, today);
            var key = DocumentKeys.For(invoice);
            try { await storage.PutPdfAsync(key, pdf, $"{invoice.Number ?? invoice.Id}.pdf", ct); }
            catch (Exception e) when (e is not OperationCanceledException) { throw new RetryableRecordException($"Storing {key} failed: {e.Message}", e); }
            rendered = await invoices.RecordDocumentAsync(invoice.Id, new StoredDocument(key, invoice.Version, now, pdf.Length), ct);
        }

        var outcomes = new List<string>();
        foreach (var request in InvoiceDeliveries.Pending(invoice, _leases.GetUtcNow()))
        {
            pdf ??= renderer.Render(invoice, business, today);
            outcomes.Add($"{request.RequestId}:{await DeliverAsync(invoice, business, request, pdf, context, ct)}");
        }
        Log("processed", ("version", invoice.Version), ("rendered", rendered ? "yes" : "no"), ("deliveries", string.Join(",", outcomes)));
    }

    private async Task<string> DeliverAsync(Invoice invoice, BusinessSettings business, DeliveryRequest request, byte[] pdf,
        SqsRecordContext context, CancellationToken ct)
    {
        var previous = invoice.DeliveryResults.GetValueOrDefault(request.RequestId);
        // The customer's page of this e-mail: made before the claim, so a failure here leaves nothing claimed.
        // A credit note has no customer page: its e-mail carries the PDF alone.
        var pageLink = links is null || invoice.Status == InvoiceStatus.Void || invoice.Kind == SmallPay.Domain.Links.LinkedDocumentKind.CreditNote || IsSettled(previous) ? null
            : await links.IssueAsync(invoice.Kind, invoice.Tenant, invoice.Id, request.RequestId, request.RequestedAt, ct);
        var attempts = (previous?.Attempts ?? 0) + 1;
        var lease = _leases.GetUtcNow() + ClaimLease;
        // The claim keeps what earlier tries recorded per recipient; it is only taken over the result read above (same
        // attempts), so a try that recorded recipients meanwhile is never overwritten.
        var claim = new DeliveryResult(DeliveryStatus.Sending, lease, Attempts: attempts, Recipients: previous?.Recipients);
        if (!await invoices.ClaimDeliveryAsync(invoice.Id, request.RequestId, claim, _leases.GetUtcNow(), ct))
            return "claimed-elsewhere";

        if (request.Kind == DeliveryKind.Reminder && !InvoiceReminders.Awaits(invoice))
        {
            // Paid (or voided) between the reminder's request and now: a reminder of nothing owed must not go out.
            var why = invoice.Status == InvoiceStatus.Void ? "The invoice was voided before the reminder went out." : "The invoice was paid before the reminder went out.";
            await CompleteAsync(invoice, request, new DeliveryResult(DeliveryStatus.Cancelled, FailureReason: why, Attempts: attempts), context);
            return "cancelled";
        }
        if (invoice.Status == InvoiceStatus.Void)
        {
            await CompleteAsync(invoice, request, new DeliveryResult(DeliveryStatus.Failed, FailureReason: "The invoice was voided before it was sent.", Attempts: attempts), context);
            return "failed-void";
        }

        var recipients = InvoiceDeliveries.RecipientsOf(request, previous);
        IReadOnlyList<RecipientOutcome> tried;
        try
        {
            tried = await SendAsync(invoice, business, request, pdf, InvoiceDeliveries.StillToSend(recipients), ct, pageLink);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = SmtpFailures.Classify(e);
            if (failure.Permanent)
            {
                // Nobody got this try's message; recipients delivered by an earlier try keep their outcome.
                var settled = InvoiceDeliveries.RefuseRemaining(recipients, failure.Reason, attempts);
                await CompleteAsync(invoice, request, settled, context);
                context.Log.Warn("delivery failed for good", context.RequestId,
                    ("invoiceId", invoice.Id), ("requestId", request.RequestId), ("reason", failure.Reason));
                return settled.Status == DeliveryStatus.Failed ? "failed" : "partly-sent";
            }
            if (failure.Configuration)
                context.Log.Warn("mail server configuration error: fix the SMTP settings, then redrive the dead letters", context.RequestId,
                    ("invoiceId", invoice.Id), ("requestId", request.RequestId), ("reason", failure.Reason));
            // Give the claim back so the retry (this message again, after the visibility timeout) can take it at once.
            await invoices.ReleaseClaimAsync(invoice.Id, request.RequestId, lease, failure.Reason, null, CancellationToken.None);
            throw new RetryableRecordException($"Delivery {request.RequestId} of {invoice.Id} failed for now: {failure.Reason}", e);
        }
        catch (OperationCanceledException)
        {
            await invoices.ReleaseClaimAsync(invoice.Id, request.RequestId, lease, "cancelled at the function's deadline", null, CancellationToken.None);
            throw;
        }

        await SuppressRefusedMailboxesAsync(invoice.Tenant, tried, ct);
        var outcomes = InvoiceDeliveries.Merge(recipients, tried);
        if (InvoiceDeliveries.Conclude(outcomes, attempts) is { } final)
        {
            await CompleteAsync(invoice, request, final, context);
            if (final.Status != DeliveryStatus.Sent)
                context.Log.Warn("recipients refused for good", context.RequestId,
                    ("invoiceId", invoice.Id), ("requestId", request.RequestId), ("status", final.Status.ToString()), ("reason", final.FailureReason));
            return final.Status switch { DeliveryStatus.Sent => "sent", DeliveryStatus.Failed => "failed", _ => "partly-sent" };
        }

        // Some recipients were refused for now (4xx). What this try settled is recorded with the released claim, so the
        // retry sends only to the rest: nobody gets the invoice twice.
        var deferred = string.Join("; ", outcomes.Where(r => !r.IsSettled).Select(r => $"{r.Address} ({r.Reason})"));
        await invoices.ReleaseClaimAsync(invoice.Id, request.RequestId, lease, $"Refused for now: {deferred}", outcomes, CancellationToken.None);
        throw new RetryableRecordException($"Delivery {request.RequestId} of {invoice.Id}: refused for now: {deferred}");
    }

    /// <summary>
    /// One try: the request's e-mail to the recipients still pending (the envelope; the headers name everyone), and
    /// what the mail server answered for each of them.
    /// </summary>
    private async Task<IReadOnlyList<RecipientOutcome>> SendAsync(Invoice invoice, BusinessSettings business, DeliveryRequest request,
        byte[] pdf, IReadOnlyList<string> pending, CancellationToken ct, Uri? pageLink = null)
    {
        if (pending.Count == 0) return []; // settled by an earlier try that could not record the end
        using var email = composer.Compose(invoice, business, request, pdf, pageLink);
        if (sesConfigurationSet is not null)
        {
            // SES publishes this message's bounces and complaints (MailEventHandler), tagged with where it came from.
            email.Message.Headers.Add("X-SES-CONFIGURATION-SET", sesConfigurationSet);
            email.Message.Headers.Add("X-SES-MESSAGE-TAGS", $"business={SesTag(invoice.Tenant)}, invoice={SesTag(invoice.Id)}, delivery={SesTag(request.RequestId)}");
        }
        var envelope = email.Recipients.Where(r => pending.Contains(r.Address, StringComparer.OrdinalIgnoreCase)).ToList();
        var replies = await mail.SendAsync(email.Message, email.Sender, envelope.Select(r => r.Mailbox).ToList(), ct);
        var at = clock.GetUtcNow();
        return envelope.Zip(replies, (r, reply) =>
            new RecipientOutcome(r.Address, reply.Status, reply.Reason, reply.Status == RecipientStatus.Delivered ? at : null)).ToList();
    }

    /// <summary>
    /// A mailbox the server refused for good (550 mailbox unavailable, 551, 553 name not allowed) goes on the business's
    /// suppression list, as a bounce does: sending there again is refused at the API. Refusals that are not about the
    /// address (a server without SMTPUTF8, a message too large) are not.
    /// </summary>
    private async Task SuppressRefusedMailboxesAsync(string business, IReadOnlyList<RecipientOutcome> tried, CancellationToken ct)
    {
        if (mailPolicy is null) return;
        foreach (var refused in tried.Where(r => r.Status == RecipientStatus.Refused && r.Reason is { } reason
                                                 && (reason.StartsWith("550", StringComparison.Ordinal) || reason.StartsWith("551", StringComparison.Ordinal) || reason.StartsWith("553", StringComparison.Ordinal))))
            await mailPolicy.SuppressAsync(business, refused.Address, refused.Reason!, clock.GetUtcNow(), CancellationToken.None);
    }

    private static bool IsSettled(DeliveryResult? result) => result?.Status is DeliveryStatus.Sent or DeliveryStatus.PartlySent or DeliveryStatus.Failed;

    /// <summary>SES tag values allow letters, digits, '_', '-', '.', '@' (ids and subs are made of those).</summary>
    private static string SesTag(string value) => new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@' ? c : '_').ToArray());

    /// <summary>Settles a claimed delivery. The mail is out (or refused for good): this must not be skipped by a cancellation.</summary>
    private async Task CompleteAsync(Invoice invoice, DeliveryRequest request, DeliveryResult outcome, SqsRecordContext context)
    {
        if (!await invoices.CompleteDeliveryAsync(invoice.Id, request.RequestId, outcome, CancellationToken.None))
            context.Log.Warn("delivery was settled by another worker meanwhile", context.RequestId,
                ("invoiceId", invoice.Id), ("requestId", request.RequestId), ("outcome", outcome.Status.ToString()));
    }
}
