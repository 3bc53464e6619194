using SmallPay.Domain.Webhooks;

namespace SmallPay.Functions.Webhooks;

/// <summary>The body of POST /webhooks and PUT /webhooks/{webhookId} (<see cref="Enabled"/>: PUT only; absent = unchanged).</summary>
public sealed class WebhookInput
{
    public string? Url { get; set; }
    public List<string?>? Events { get; set; }
    public string? Description { get; set; }
    public bool? Enabled { get; set; }
}

/// <summary>
/// An endpoint as the API shows it. <see cref="Secret"/> is set only in the answers of POST /webhooks and of a rotation
/// (shown once); every other answer leaves it out. <see cref="PreviousSecretUntil"/>: the rotated-out secret signs too until then.
/// </summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretUntil, long Version, string? Secret = null)
{
    public static WebhookView From(WebhookEndpoint e, DateTimeOffset now, string? shownSecret = null) =>
        new(e.Id, e.Url, e.Events, e.Description, e.Enabled, e.CreatedAt, e.UpdatedAt,
            e.PreviousSecretUntil > now ? e.PreviousSecretUntil : null, e.Version, shownSecret);
}

public sealed record WebhookListView(IReadOnlyList<WebhookView> Items, IReadOnlyList<string> EventTypes);

public sealed record WebhookAttemptView(DateTimeOffset At, int? StatusCode, int DurationMs, string? Response, string? Error, bool Resend)
{
    public static WebhookAttemptView From(WebhookAttempt a) => new(a.At, a.StatusCode, a.DurationMs, a.Response, a.Error, a.Resend);
}

public sealed record WebhookDeliveryView(string Id, string WebhookId, string EventId, string EventType, WebhookDeliveryStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, IReadOnlyList<WebhookAttemptView> Attempts)
{
    public static WebhookDeliveryView From(WebhookDelivery d) =>
        new(d.Id, d.WebhookId, d.EventId, d.EventType, d.Status, d.CreatedAt, d.NextAttemptAt, d.Attempts.Select(WebhookAttemptView.From).ToList());
}

public sealed record WebhookDeliveryListView(IReadOnlyList<WebhookDeliveryView> Items, string? NextCursor);
