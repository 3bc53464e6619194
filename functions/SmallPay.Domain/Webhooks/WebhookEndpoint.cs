namespace SmallPay.Domain.Webhooks;

/// <summary>
/// A business's webhook endpoint. <see cref="Secret"/> signs every delivery; after a rotation the previous secret signs
/// beside it until <see cref="PreviousSecretUntil"/> (24 hours), so a receiver can switch over without missing one.
/// </summary>
public sealed record WebhookEndpoint(
    string Business, string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretUntil,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, string CreatedBy)
{
    public const string IdPrefix = "whk";

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public bool Wants(string eventType) => Enabled && Events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>The secrets that sign at <paramref name="now"/>: the current one, and the previous one while it overlaps.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretUntil > now ? [Secret, previous] : [Secret];

    public WebhookEndpoint Rotated(string newSecret, DateTimeOffset now) =>
        this with { PreviousSecret = Secret, PreviousSecretUntil = now + RotationOverlap, Secret = newSecret, UpdatedAt = now };
}

/// <summary>
/// One event for one endpoint: made once per (endpoint, event id) — its id is derived from both — and tried until it is
/// Delivered or, a day after the first try, Failed (<see cref="WebhookRetrySchedule"/>).
/// </summary>
/// <param name="ScheduledTries">Tries made by the schedule (resends by hand not counted): where in the backoff it is.</param>
/// <param name="NextAttemptAt">When the schedule tries again (null once Delivered or Failed).</param>
public sealed record WebhookDelivery(
    string Business, string WebhookId, string Id, string EventId, string EventType, string Payload,
    WebhookDeliveryStatus Status, DateTimeOffset CreatedAt, IReadOnlyList<WebhookAttempt> Attempts,
    int ScheduledTries, DateTimeOffset? NextAttemptAt, long Version)
{
    public const string IdPrefix = "wdl";

    public static string IdOf(string webhookId, string eventId) => Ids.FromSeed(IdPrefix, $"{webhookId}#{eventId}");

    public static WebhookDelivery New(WebhookEndpoint endpoint, string eventId, string eventType, string payload, DateTimeOffset now) =>
        new(endpoint.Business, endpoint.Id, IdOf(endpoint.Id, eventId), eventId, eventType, payload, WebhookDeliveryStatus.Pending, now, [], 0, now, 0);

    /// <summary>The delivery after a try made by the schedule: Delivered on a 2xx, else the next try, or Failed when none is left.</summary>
    public WebhookDelivery AfterScheduledTry(WebhookAttempt attempt)
    {
        var attempts = WebhookRetrySchedule.Append(Attempts, attempt);
        var tries = ScheduledTries + 1;
        if (attempt.Succeeded) return this with { Attempts = attempts, ScheduledTries = tries, Status = WebhookDeliveryStatus.Delivered, NextAttemptAt = null, Version = Version + 1 };
        var first = Attempts.FirstOrDefault(a => !a.Resend)?.At ?? attempt.At;
        var next = WebhookRetrySchedule.NextAttempt(first, attempt.At, tries);
        return this with
        {
            Attempts = attempts, ScheduledTries = tries, NextAttemptAt = next, Version = Version + 1,
            Status = next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending,
        };
    }

    /// <summary>The delivery after a resend by hand: Delivered on a 2xx; otherwise its status and schedule stay as they were.</summary>
    public WebhookDelivery AfterResend(WebhookAttempt attempt) => attempt.Succeeded
        ? this with { Attempts = WebhookRetrySchedule.Append(Attempts, attempt), Status = WebhookDeliveryStatus.Delivered, NextAttemptAt = null, Version = Version + 1 }
        : this with { Attempts = WebhookRetrySchedule.Append(Attempts, attempt), Version = Version + 1 };
}
