namespace SmallPay.Domain.Documents;

/// <summary>
/// "E-mail this invoice": appended by the API (SendInvoice), carried out once by the document worker.
/// <see cref="InvoiceVersion"/> is the invoice version the request was written with.
/// </summary>
public sealed record DeliveryRequest(
    string RequestId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string? Message,
    DateTimeOffset RequestedAt,
    long InvoiceVersion);

/// <summary>Where a delivery request stands, as the owner sees it.</summary>
public enum DeliveryStatus { Pending, Sending, Sent, Failed }

/// <summary>
/// The worker's bookkeeping for one delivery request (stored as <c>deliveryResults[requestId]</c>; absent = never tried).
/// A <see cref="DeliveryStatus.Sending"/> result is a claim: it holds until <see cref="LeaseUntil"/>; a claim whose lease
/// has run out (a worker crashed, or released it after a transient failure) may be taken again.
/// </summary>
public sealed record DeliveryResult(
    DeliveryStatus Status,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? SentAt = null,
    IReadOnlyList<string>? To = null,
    string? FailureReason = null,
    int Attempts = 0)
{
    public bool IsClaimHeldAt(DateTimeOffset now) => Status == DeliveryStatus.Sending && LeaseUntil > now;
}

/// <summary>The PDF rendered for one invoice version and stored under <see cref="Key"/> (written by the worker).</summary>
public sealed record StoredDocument(string Key, long Version, DateTimeOffset RenderedAt, long SizeBytes);

/// <summary>A delivery request with its outcome: what the API shows.</summary>
public sealed record Delivery(
    string RequestId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    DateTimeOffset RequestedAt,
    DeliveryStatus Status,
    DateTimeOffset? SentAt,
    string? FailureReason);
