using SmallPay.Domain.Documents;

namespace SmallPay.Functions.Documents;

/// <summary>The body of POST /invoices/{id}/send; every field is optional (an empty body sends to the customer).</summary>
public sealed class SendInvoiceInput
{
    public List<string?>? To { get; set; }
    public List<string?>? Cc { get; set; }
    public string? Subject { get; set; }
    public string? Message { get; set; }

    public DeliveryInput ToDeliveryInput() => new(To, Cc, Subject, Message);
}

/// <summary>
/// One delivery request on an invoice and where it stands, per recipient too (the message text stays on the invoice item).
/// </summary>
public sealed record DeliveryView(
    string RequestId, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, DateTimeOffset RequestedAt,
    DeliveryStatus Status, DateTimeOffset? SentAt, string? FailureReason, IReadOnlyList<DeliveryRecipientView> Recipients)
{
    /// <summary>The invoice itself, or a reminder of it.</summary>
    public DeliveryKind Kind { get; init; }

    /// <summary>For a reminder of the plan: when it fell ("7 days after the due date"); null for one sent by hand.</summary>
    public string? ReminderLabel { get; init; }

    public static DeliveryView From(Delivery d) => new(d.RequestId, d.To, d.Cc, d.Subject, d.RequestedAt, d.Status, d.SentAt, d.FailureReason,
        d.Recipients.Select(r => new DeliveryRecipientView(r.Address, r.Status, r.Reason, r.At)).ToList())
    {
        Kind = d.Kind, ReminderLabel = d.ReminderLabel,
    };
}

/// <summary>One recipient of a delivery: Delivered (at <see cref="DeliveredAt"/>), Refused (why), or Pending (with the temporary refusal, if any).</summary>
public sealed record DeliveryRecipientView(string Address, RecipientStatus Status, string? Reason, DateTimeOffset? DeliveredAt);

/// <summary>The stored PDF: which invoice version it shows. GET /invoices/{id}/pdf hands out a link once it is the current version.</summary>
public sealed record DocumentView(long Version, DateTimeOffset RenderedAt, long SizeBytes)
{
    public static DocumentView? From(StoredDocument? document) =>
        document is null ? null : new DocumentView(document.Version, document.RenderedAt, document.SizeBytes);
}

/// <summary>The answer of GET /invoices/{id}/pdf: a presigned link to the current PDF, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record DocumentLinkView(string Url, DateTimeOffset ExpiresAt, long DocumentVersion);
