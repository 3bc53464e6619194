using System.Text.Json;
using SmallPay.Domain.Webhooks;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Webhooks;

/// <summary>The domain event a webhook carries: its id, type and business, and the envelope itself (the payload, as it came).</summary>
public sealed record DomainEvent(string Id, string Type, string Business, string Envelope)
{
    /// <summary>
    /// Reads the event from an EventBridge event (<c>detail-type</c>, <c>detail</c> = the envelope), or from the change
    /// feed's own message (<c>{"detail-type", "detail"}</c>); null when it is not one (no id, type or business).
    /// </summary>
    public static DomainEvent? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object) return null;
            var id = Text(detail, "id");
            var type = Text(detail, "type") ?? Text(root, "detail-type");
            var business = Text(detail, "business");
            if (id is not { Length: > 0 and <= 100 } || type is null || !WebhookEventTypes.IsKnown(type) || business is not { Length: > 0 and <= 128 }) return null;
            return new DomainEvent(id, type, business, detail.GetRawText());
        }
        catch (JsonException) { return null; }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Makes and tries deliveries. A delivery is created once per (endpoint, event id) with a conditional put, together with
/// its retry marker claimed by the creator for <see cref="Claim"/>; every later try (RetryWebhooks) first claims the
/// marker with a conditional update. So a duplicate event, a retried batch or two concurrent runs never send one
/// delivery twice at once; a try whose record is lost (a crash) is retried when the claim runs out.
/// </summary>
public sealed class WebhookDispatcher(IWebhookStore store, IWebhookNetwork network, TimeProvider clock)
{
    /// <summary>How long a try holds its delivery: longer than the 10 s request and the bookkeeping, shorter than a retry step.</summary>
    public static readonly TimeSpan Claim = TimeSpan.FromSeconds(60);

    public const string SignatureHeader = "SmallPay-Signature";

    /// <summary>Delivers the event to each of the business's enabled endpoints subscribed to its type. How many deliveries were new.</summary>
    public async Task<int> DispatchAsync(DomainEvent domainEvent, CancellationToken ct)
    {
        var created = 0;
        foreach (var endpoint in (await store.ListAsync(domainEvent.Business, ct)).Where(e => e.Wants(domainEvent.Type)))
        {
            var now = clock.GetUtcNow();
            var delivery = WebhookDelivery.New(endpoint, domainEvent.Id, domainEvent.Type, domainEvent.Envelope, now);
            var claim = now + Claim;
            if (!await store.CreateDeliveryAsync(delivery, claim, ct)) continue; // delivered (or being delivered) already
            created++;
            await TryAsync(endpoint, delivery, claim, ct);
        }
        return created;
    }

    /// <summary>One scheduled try of a delivery held under <paramref name="claim"/>, recorded with the next step of the schedule.</summary>
    public async Task<WebhookDelivery> TryAsync(WebhookEndpoint? endpoint, WebhookDelivery delivery, DateTimeOffset claim, CancellationToken ct)
    {
        var attempt = endpoint is { Enabled: true }
            ? await SendAsync(endpoint, delivery, resend: false, ct)
            : new WebhookAttempt(clock.GetUtcNow(), null, 0, null, endpoint is null ? "the endpoint was deleted" : "the endpoint is disabled");
        var after = endpoint is { Enabled: true }
            ? delivery.AfterScheduledTry(attempt)
            : delivery with { Attempts = WebhookRetrySchedule.Append(delivery.Attempts, attempt), Status = WebhookDeliveryStatus.Failed, NextAttemptAt = null, Version = delivery.Version + 1 };
        // Not with the function's token: a request that went out is recorded even at the deadline.
        await store.RecordAsync(after, claim, CancellationToken.None);
        return after;
    }

    /// <summary>A try made by hand (resend): recorded beside the schedule's; a 2xx settles the delivery as Delivered.</summary>
    public async Task<WebhookDelivery> ResendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken ct)
    {
        var attempt = await SendAsync(endpoint, delivery, resend: true, ct);
        for (var tries = 0; ; tries++)
        {
            var after = delivery.AfterResend(attempt);
            if (await store.RecordResendAsync(after, CancellationToken.None)) return after;
            // The schedule recorded a try meanwhile: add this one to what is there now.
            delivery = await store.GetDeliveryAsync(delivery.Business, delivery.WebhookId, delivery.Id, CancellationToken.None) ?? throw new NotFoundException("The delivery");
            if (tries == 4) throw new BusyException("The delivery changed five times while this resend was recorded; its attempt was made.");
        }
    }

    private async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, bool resend, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var headers = new Dictionary<string, string>
        {
            [SignatureHeader] = WebhookSignature.Header(endpoint.SigningSecrets(now), now, delivery.Payload),
            ["SmallPay-Event-Id"] = delivery.EventId,
            ["SmallPay-Event-Type"] = delivery.EventType,
            ["SmallPay-Delivery-Id"] = delivery.Id,
        };
        var attempt = await network.PostAsync(new WebhookRequest(new Uri(endpoint.Url), delivery.Payload, headers), now, ct);
        return attempt with { Resend = resend };
    }
}
