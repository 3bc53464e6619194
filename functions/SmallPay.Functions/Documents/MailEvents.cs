using System.Text.Json;
using System.Text.Json.Serialization;
using SmallPay.Domain.Documents;
using SmallPay.Functions.Hosting.Sqs;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Documents;

/// <summary>
/// What the mail service tells SmallPay after the SMTP session: Amazon SES publishes bounces and complaints of the
/// configuration set the worker's messages name, through SNS, into MailEventsQueue. A permanent bounce or a complaint
/// marks the recipient refused on the delivery (its status follows) and puts the address on the business's suppression
/// list, so nobody in that business mails it again by mistake. The message's tags name the business, invoice and
/// delivery (the worker sets them). Locally, `POST /_local/mail-events` injects the same events.
/// </summary>
public sealed class MailEventHandler(IWorkerInvoiceStore invoices, IMailPolicyStore policy, TimeProvider clock) : ISqsRecordHandler
{
    public async Task HandleAsync(SqsMessage message, SqsRecordContext context, CancellationToken ct)
    {
        SesEvent? mailEvent;
        try
        {
            mailEvent = JsonSerializer.Deserialize(message.Body, MailEventJsonContext.Default.SesEvent);
        }
        catch (JsonException e)
        {
            throw new MalformedRecordException($"The message is not an SES event: {e.Message}", e);
        }
        var kind = mailEvent?.EventType ?? mailEvent?.NotificationType;
        var business = mailEvent?.Mail?.Tags?.GetValueOrDefault("business")?.FirstOrDefault();
        (IReadOnlyList<string> Addresses, string Reason)? refusal = kind switch
        {
            "Bounce" when mailEvent!.Bounce?.BounceType == "Permanent" => (
                mailEvent.Bounce.BouncedRecipients?.Select(r => r.EmailAddress ?? "").Where(a => a.Length > 0).ToList() ?? [],
                $"bounced: {mailEvent.Bounce.BouncedRecipients?.FirstOrDefault()?.DiagnosticCode ?? mailEvent.Bounce.BounceSubType ?? "permanent"}"),
            "Complaint" => (
                mailEvent!.Complaint?.ComplainedRecipients?.Select(r => r.EmailAddress ?? "").Where(a => a.Length > 0).ToList() ?? [],
                $"complained: the recipient reported the e-mail as unwanted ({mailEvent.Complaint?.ComplaintFeedbackType ?? "complaint"})"),
            _ => null,
        };
        if (refusal is not { } found || business is null)
        {
            context.Log.Info("mail event ignored", context.RequestId, ("type", kind), ("bounceType", mailEvent?.Bounce?.BounceType));
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var address in found.Addresses) await policy.SuppressAsync(business, address, found.Reason, now, ct);
        var tags = mailEvent!.Mail!.Tags!;
        var invoice = tags.GetValueOrDefault("invoice")?.FirstOrDefault();
        var delivery = tags.GetValueOrDefault("delivery")?.FirstOrDefault();
        var marked = invoice is not null && delivery is not null && await invoices.MarkRefusedAsync(invoice, delivery, found.Addresses, found.Reason, ct);
        context.Log.Warn("recipients suppressed", context.RequestId, ("type", kind), ("business", business), ("invoiceId", invoice),
            ("requestId", delivery), ("recipients", found.Addresses.Count), ("deliveryUpdated", marked ? "yes" : "no"));
    }
}

/// <summary>An SES event (configuration-set event publishing, or the older notification shape), the fields SmallPay reads.</summary>
public sealed class SesEvent
{
    public string? EventType { get; set; }
    public string? NotificationType { get; set; }
    public SesBounce? Bounce { get; set; }
    public SesComplaint? Complaint { get; set; }
    public SesMail? Mail { get; set; }
}

public sealed class SesBounce
{
    public string? BounceType { get; set; }
    public string? BounceSubType { get; set; }
    public List<SesRecipient>? BouncedRecipients { get; set; }
}

public sealed class SesComplaint
{
    public string? ComplaintFeedbackType { get; set; }
    public List<SesRecipient>? ComplainedRecipients { get; set; }
}

public sealed class SesRecipient
{
    public string? EmailAddress { get; set; }
    public string? DiagnosticCode { get; set; }
}

public sealed class SesMail
{
    public string? MessageId { get; set; }
    public Dictionary<string, List<string>>? Tags { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SesEvent))]
public sealed partial class MailEventJsonContext : JsonSerializerContext;
