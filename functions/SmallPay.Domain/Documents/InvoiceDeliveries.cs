using SmallPay.Domain.Customers;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Documents;

/// <summary>What the owner asks for when sending an invoice; everything is optional.</summary>
public sealed record DeliveryInput(IReadOnlyList<string?>? To = null, IReadOnlyList<string?>? Cc = null, string? Subject = null, string? Message = null);

/// <summary>The rules of e-mailing an invoice: who may receive it, what the mail says, and which requests are still to do.</summary>
public static class InvoiceDeliveries
{
    public const int MaxRecipients = 10;
    public const int MaxSubjectLength = 200;
    public const int MaxMessageLength = 5000;
    /// <summary>Keeps the invoice item far below DynamoDB's 400 KB (each request may carry a 5000-character message).</summary>
    public const int MaxRequestsPerInvoice = 50;

    /// <summary>
    /// Checks the input on its own (lengths, addresses) so a bad request is refused before anything is written, e.g.
    /// before a draft is finalized. Recipients that depend on the invoice (the customer's e-mail) are checked by <see cref="Request"/>.
    /// </summary>
    public static void Validate(DeliveryInput input)
    {
        var errors = new ValidationErrors();
        CheckAddresses(errors, "to", input.To);
        CheckAddresses(errors, "cc", input.Cc);
        if (input.Subject is { } subject)
        {
            InvoiceRules.CheckText(errors, "subject", PlainText.CleanRequired(subject), MaxSubjectLength);
            // A line break in a header would let a subject smuggle in headers of its own.
            if (subject.AsSpan().IndexOfAny('\r', '\n') >= 0) errors.Add("subject", "must be a single line");
        }
        InvoiceRules.CheckText(errors, "message", PlainText.Clean(input.Message), MaxMessageLength);
        errors.ThrowIfAny("The delivery has invalid fields.");
    }

    /// <summary>
    /// Appends a delivery request to a finalized, non-void invoice. Recipients default to the customer's e-mail as
    /// printed on the invoice; the subject defaults to the invoice number and the business's name.
    /// </summary>
    /// <param name="defaultSubject">The subject when the input names none, in the invoice's language (the documents'
    /// words live with the functions); null: <see cref="DefaultSubject"/>, in English.</param>
    public static Invoice Request(Invoice invoice, DeliveryInput input, string requestId, string? businessName, DateTimeOffset now, string? defaultSubject = null)
    {
        // The same request again (repeated under one Idempotency-Key): it is recorded already, once.
        if (invoice.DeliveryRequests.Any(r => r.RequestId == requestId)) return invoice;
        switch (invoice.Status)
        {
            case InvoiceStatus.Draft: throw new InvoiceStateException("Finalize the invoice before sending it.");
            case InvoiceStatus.Void: throw new InvoiceStateException($"Invoice {invoice.Number} is void and cannot be sent.");
        }
        if (invoice.DeliveryRequests.Count >= MaxRequestsPerInvoice)
            throw new InvoiceStateException($"Invoice {invoice.Number} has been sent {MaxRequestsPerInvoice} times already; no more deliveries are accepted.");
        Validate(input);

        var (to, cc) = Recipients(input, invoice.Customer.Email);
        // Subject and message without bidirectional controls (PlainText): the e-mail shows what the owner saw.
        var subject = PlainText.Clean(input.Subject)
            ?? (PlainText.Clean(defaultSubject) is { } localized
                ? (localized.Length <= MaxSubjectLength ? localized : localized[..MaxSubjectLength])
                : DefaultSubject(invoice.Number, businessName));
        var message = PlainText.Clean(input.Message);

        var request = new DeliveryRequest(requestId, to, cc, subject, message, now, invoice.Version + 1);
        return invoice with { DeliveryRequests = [.. invoice.DeliveryRequests, request], UpdatedAt = now };
    }

    /// <summary>Who an e-mail goes to: the addresses named (without repeats), or the customer's; Cc never repeats a To.</summary>
    public static (IReadOnlyList<string> To, IReadOnlyList<string> Cc) Recipients(DeliveryInput input, string? customerEmail)
    {
        var to = Clean(input.To);
        if (to.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(customerEmail))
                throw new DomainValidationException("Nobody to send the invoice to.",
                    [new FieldError("to", "the customer has no e-mail address: name at least one recipient")]);
            to = [customerEmail.Trim()];
        }
        var cc = Clean(input.Cc).Where(address => !to.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();
        return (to, cc);
    }

    public static string DefaultSubject(string? number, string? businessName)
    {
        var subject = PlainText.Clean(businessName) is { } name ? $"Invoice {number} from {name}" : $"Invoice {number}";
        return subject.Length <= MaxSubjectLength ? subject : subject[..MaxSubjectLength];
    }

    /// <summary>Still to do: never tried, or claimed by a worker whose lease ran out (it crashed or gave the claim back).</summary>
    public static bool IsPending(Invoice invoice, DeliveryRequest request, DateTimeOffset now) =>
        !invoice.DeliveryResults.TryGetValue(request.RequestId, out var result)
        || (result.Status == DeliveryStatus.Sending && !result.IsClaimHeldAt(now));

    public static IReadOnlyList<DeliveryRequest> Pending(Invoice invoice, DateTimeOffset now) =>
        invoice.DeliveryRequests.Where(request => IsPending(invoice, request, now)).ToList();

    /// <summary>Every delivery request with where it stands at <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<Delivery> Deliveries(Invoice invoice, DateTimeOffset now) =>
        invoice.DeliveryRequests.Select(request =>
        {
            var result = invoice.DeliveryResults.GetValueOrDefault(request.RequestId);
            var status = result switch
            {
                null => DeliveryStatus.Pending,
                { Status: DeliveryStatus.Sending } when !result.IsClaimHeldAt(now) => DeliveryStatus.Pending,
                _ => result.Status,
            };
            // A failure recorded without recipients happened before any was tried (or before outcomes were kept per recipient).
            var recipients = result is { Status: DeliveryStatus.Failed or DeliveryStatus.Cancelled, Recipients: null } ? [] : RecipientsOf(request, result);
            return new Delivery(request.RequestId, request.To, request.Cc, request.Subject, request.RequestedAt, status,
                result?.SentAt, status is DeliveryStatus.Failed or DeliveryStatus.PartlySent or DeliveryStatus.Cancelled ? result?.FailureReason : null,
                recipients, request.Kind, request.ReminderLabel);
        }).ToList();

    /// <summary>
    /// Each recipient of <paramref name="request"/> (To, then Cc) with its outcome so far: as recorded in
    /// <paramref name="result"/>, else pending. A Sent result from before per-recipient outcomes went to everyone.
    /// </summary>
    public static IReadOnlyList<RecipientOutcome> RecipientsOf(DeliveryRequest request, DeliveryResult? result)
    {
        var known = new Dictionary<string, RecipientOutcome>(StringComparer.OrdinalIgnoreCase);
        foreach (var outcome in result?.Recipients ?? []) known.TryAdd(outcome.Address, outcome);
        return request.Recipients.Select(address =>
            known.TryGetValue(address, out var outcome) ? outcome with { Address = address }
            : result is { Status: DeliveryStatus.Sent, Recipients: null } ? new RecipientOutcome(address, RecipientStatus.Delivered, At: result.SentAt)
            : new RecipientOutcome(address, RecipientStatus.Pending)).ToList();
    }

    /// <summary>The recipients a (re)try sends to: those not yet delivered nor refused for good.</summary>
    public static IReadOnlyList<string> StillToSend(IReadOnlyList<RecipientOutcome> recipients) =>
        recipients.Where(r => !r.IsSettled).Select(r => r.Address).ToList();

    /// <summary>
    /// What is known after one more try: a settled recipient (delivered, refused for good) never changes; a pending one
    /// takes the try's outcome for it, or stays as it was when the try did not get to it.
    /// </summary>
    public static IReadOnlyList<RecipientOutcome> Merge(IReadOnlyList<RecipientOutcome> before, IReadOnlyList<RecipientOutcome> attempt)
    {
        var tried = new Dictionary<string, RecipientOutcome>(StringComparer.OrdinalIgnoreCase);
        foreach (var outcome in attempt) tried.TryAdd(outcome.Address, outcome);
        return before.Select(r => !r.IsSettled && tried.TryGetValue(r.Address, out var now) ? now with { Address = r.Address } : r).ToList();
    }

    /// <summary>
    /// The final result once every recipient is settled — Sent when all got it, Failed when none did, PartlySent
    /// otherwise, the refusals as the failure reason —, or null while some recipient is still pending.
    /// </summary>
    public static DeliveryResult? Conclude(IReadOnlyList<RecipientOutcome> recipients, int attempts)
    {
        if (recipients.Count == 0 || recipients.Any(r => !r.IsSettled)) return null;
        var delivered = recipients.Where(r => r.Status == RecipientStatus.Delivered).ToList();
        var refused = recipients.Where(r => r.Status == RecipientStatus.Refused).ToList();
        var status = refused.Count == 0 ? DeliveryStatus.Sent : delivered.Count == 0 ? DeliveryStatus.Failed : DeliveryStatus.PartlySent;
        var reason = refused.Count == 0 ? null : "Refused: " + string.Join("; ", refused.Select(r => $"{r.Address} ({r.Reason})"));
        return new DeliveryResult(status,
            SentAt: delivered.Count == 0 ? null : delivered.Max(r => r.At),
            To: delivered.Count == 0 ? null : delivered.Select(r => r.Address).ToList(),
            FailureReason: reason, Attempts: attempts, Recipients: recipients);
    }

    /// <summary>
    /// The message itself can never go (a malformed address, a message the server calls too large): the recipients not
    /// yet settled are refused with <paramref name="reason"/>. When nobody got it in an earlier try either, the result is
    /// a plain Failed with the reason and no per-recipient outcomes (no recipient was asked).
    /// </summary>
    public static DeliveryResult RefuseRemaining(IReadOnlyList<RecipientOutcome> recipients, string reason, int attempts) =>
        recipients.Any(r => r.Status == RecipientStatus.Delivered)
            ? Conclude(recipients.Select(r => r.IsSettled ? r : r with { Status = RecipientStatus.Refused, Reason = reason }).ToList(), attempts)!
            : new DeliveryResult(DeliveryStatus.Failed, FailureReason: reason, Attempts: attempts);

    private static void CheckAddresses(ValidationErrors errors, string path, IReadOnlyList<string?>? addresses)
    {
        if (addresses is null) return;
        if (addresses.Count > MaxRecipients) errors.Add(path, $"at most {MaxRecipients} addresses");
        for (var i = 0; i < addresses.Count && i < MaxRecipients; i++)
        {
            if (string.IsNullOrWhiteSpace(addresses[i])) errors.Add($"{path}/{i}", "must be an e-mail address");
            else CustomerRules.CheckEmail(errors, $"{path}/{i}", addresses[i]!.Trim());
        }
    }

    /// <summary>Trimmed, without repeats (e-mail addresses compare case-insensitively in practice).</summary>
    private static List<string> Clean(IReadOnlyList<string?>? addresses) =>
        (addresses ?? []).OfType<string>().Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
