namespace SmallPay.Domain.Documents;

/// <summary>What an e-mail of an invoice is: the invoice itself, or a reminder of it.</summary>
public enum DeliveryKind { Invoice, Reminder }

/// <summary>
/// "E-mail this invoice": appended by the API (SendInvoice, SendReminder) or the reminder schedule (RunReminders), carried
/// out once by the document worker. <see cref="InvoiceVersion"/> is the invoice version the request was written with.
/// <see cref="ReminderKey"/>: the plan's reminder this is (<see cref="Reminders.ReminderOccurrence.Key"/>), null for a
/// reminder sent by hand; <see cref="ReminderLabel"/> says when it fell ("7 days after the due date").
/// </summary>
public sealed record DeliveryRequest(
    string RequestId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string? Message,
    DateTimeOffset RequestedAt,
    long InvoiceVersion,
    DeliveryKind Kind = DeliveryKind.Invoice,
    string? ReminderKey = null,
    string? ReminderLabel = null)
{
    /// <summary>Everyone the e-mail goes to, To first, then Cc (the API keeps them free of repeats).</summary>
    public IReadOnlyList<string> Recipients => [.. To, .. Cc];
}

/// <summary>
/// Where a delivery request stands, as the owner sees it. <see cref="PartlySent"/>: done, but the mail server refused
/// some recipients for good while it accepted the others (each recipient's outcome says which). <see cref="Cancelled"/>:
/// not sent because it no longer made sense (a reminder of an invoice paid before it went out).
/// </summary>
public enum DeliveryStatus { Pending, Sending, Sent, Failed, PartlySent, Cancelled }

/// <summary>
/// Where one recipient of a delivery stands. <see cref="Pending"/>: not accepted yet — never tried, or refused for now
/// (a 4xx answer, kept as the reason) and tried again; <see cref="Delivered"/>: the mail server took the e-mail for
/// this address, which is never sent to again; <see cref="Refused"/>: refused for good (a 5xx answer, or an address no
/// server here can take), never tried again.
/// </summary>
public enum RecipientStatus { Pending, Delivered, Refused }

/// <param name="At">When the mail server accepted the e-mail for this address (Delivered).</param>
/// <param name="Reason">Why it was refused (Refused), or why it is still pending after a try (the temporary refusal).</param>
public sealed record RecipientOutcome(string Address, RecipientStatus Status, string? Reason = null, DateTimeOffset? At = null)
{
    public bool IsSettled => Status != RecipientStatus.Pending;
}

/// <summary>
/// The worker's bookkeeping for one delivery request (stored as <c>deliveryResults[requestId]</c>; absent = never tried).
/// A <see cref="DeliveryStatus.Sending"/> result is a claim: it holds until <see cref="LeaseUntil"/>; a claim whose lease
/// has run out (a worker crashed, or released it after a transient failure) may be taken again. <see cref="Recipients"/>
/// carries each recipient's outcome so far, also across a released claim: a retry sends only to the pending ones.
/// Results written before per-recipient outcomes have none (<see cref="Recipients"/> null).
/// </summary>
public sealed record DeliveryResult(
    DeliveryStatus Status,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? SentAt = null,
    IReadOnlyList<string>? To = null,
    string? FailureReason = null,
    int Attempts = 0,
    IReadOnlyList<RecipientOutcome>? Recipients = null)
{
    public bool IsClaimHeldAt(DateTimeOffset now) => Status == DeliveryStatus.Sending && LeaseUntil > now;
}

/// <summary>The PDF rendered for one invoice version and stored under <see cref="Key"/> (written by the worker).</summary>
public sealed record StoredDocument(string Key, long Version, DateTimeOffset RenderedAt, long SizeBytes);

/// <summary>A delivery request with its outcome: what the API shows.</summary>
/// <param name="Recipients">
/// Each recipient with where it stands (pending, delivered, refused and why). Empty for a delivery that failed before
/// any recipient was tried (voided, a malformed address) or that was recorded before per-recipient outcomes existed
/// and failed: <see cref="FailureReason"/> says why.
/// </param>
public sealed record Delivery(
    string RequestId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    DateTimeOffset RequestedAt,
    DeliveryStatus Status,
    DateTimeOffset? SentAt,
    string? FailureReason,
    IReadOnlyList<RecipientOutcome> Recipients,
    DeliveryKind Kind = DeliveryKind.Invoice,
    string? ReminderLabel = null);
