namespace SmallPay.Domain.Changes;

/// <summary>What an entry of an invoice's or a customer's history says happened (the API's <c>kind</c>).</summary>
public static class ActivityKinds
{
    public const string Created = "created";
    public const string Edited = "edited";
    public const string Finalized = "finalized";
    public const string Sent = "sent";
    public const string ReminderSent = "reminderSent";
    public const string Delivered = "delivered";
    public const string DeliveryFailed = "deliveryFailed";
    public const string PaymentRecorded = "paymentRecorded";
    public const string Paid = "paid";
    public const string Credited = "credited";
    public const string Voided = "voided";
    public const string Viewed = "viewed";
    public const string Deleted = "deleted";
}

/// <summary>The domain events the change feed publishes (docs/ARCHITECTURE.md, "Change feed"; schemas/events/{Type}.v1.json).</summary>
public static class DomainEventTypes
{
    public const string InvoiceFinalized = nameof(InvoiceFinalized);
    public const string InvoiceSent = nameof(InvoiceSent);
    public const string InvoiceDelivered = nameof(InvoiceDelivered);
    public const string InvoiceDeliveryFailed = nameof(InvoiceDeliveryFailed);
    public const string PaymentRecorded = nameof(PaymentRecorded);
    public const string InvoicePaid = nameof(InvoicePaid);
    public const string InvoiceVoided = nameof(InvoiceVoided);
    public const string CreditNoteIssued = nameof(CreditNoteIssued);
    public const string CustomerCreated = nameof(CustomerCreated);
    public const string CustomerUpdated = nameof(CustomerUpdated);

    public static readonly IReadOnlyList<string> All =
    [
        InvoiceFinalized, InvoiceSent, InvoiceDelivered, InvoiceDeliveryFailed, PaymentRecorded, InvoicePaid, InvoiceVoided,
        CreditNoteIssued, CustomerCreated, CustomerUpdated,
    ];
}

/// <summary>One edited field: its value before and after (short text; null when it had none).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// One entry of an invoice's or a customer's history. <paramref name="Id"/> is derived from the change (a redelivered
/// stream record writes the same entry again, never a second one).
/// </summary>
public sealed record ActivityEntry(
    string Id, string Business, string EntityType, string EntityId, string Kind, DateTimeOffset At, string? Actor,
    IReadOnlyDictionary<string, string> Details, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// One field of a domain event's <c>data</c>: a string, a decimal, a long, a bool, a list of strings, a list of
/// <see cref="FieldChange"/>s, or null.
/// </summary>
public sealed record EventField(string Name, object? Value);

/// <summary>A domain event. <paramref name="Id"/> (<c>evt_…</c>) is derived from the change: the same change always has the same id.</summary>
public sealed record DomainEvent(
    string Id, string Type, int SchemaVersion, string Business, string EntityId, DateTimeOffset Time, string? Actor, IReadOnlyList<EventField> Data)
{
    public object? this[string name] => Data.FirstOrDefault(f => f.Name == name)?.Value;
}

/// <summary>What one change means: its history entries and its domain events.</summary>
public sealed record ChangeFacts(IReadOnlyList<ActivityEntry> Activity, IReadOnlyList<DomainEvent> Events)
{
    public static readonly ChangeFacts None = new([], []);
}
