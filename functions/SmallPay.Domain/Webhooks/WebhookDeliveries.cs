namespace SmallPay.Domain.Webhooks;

public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>One try to deliver an event: when, the HTTP status (null: no answer), how long, what came back (at most 1 KiB) or the error.</summary>
public sealed record WebhookAttempt(DateTimeOffset At, int? StatusCode, int DurationMs, string? Response, string? Error, bool Resend = false)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// When a failed delivery is tried again: 1 min, 5 min, 30 min, 2 h, 5 h and 10 h after the try before, then a last try
/// 24 hours after the first; if that fails too the delivery is Failed. Eight tries at most, so a delivery's attempts
/// stay a short list (resends by hand add to it, capped at <see cref="MaxAttemptsKept"/>).
/// </summary>
public static class WebhookRetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10)];

    /// <summary>How long after the first try the last one is made.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    public const int MaxAttemptsKept = 20;

    /// <summary>When to try next after <paramref name="scheduledTries"/> failed tries (resends not counted); null: no more, the delivery is Failed.</summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset firstAttempt, DateTimeOffset lastAttempt, int scheduledTries)
    {
        var final = firstAttempt + GiveUpAfter;
        if (scheduledTries <= 0) return firstAttempt;
        if (lastAttempt >= final) return null;
        if (scheduledTries > Backoff.Count) return final;
        var next = lastAttempt + Backoff[scheduledTries - 1];
        return next < final ? next : final;
    }

    /// <summary>The attempts with one more, the oldest dropped beyond <see cref="MaxAttemptsKept"/>.</summary>
    public static IReadOnlyList<WebhookAttempt> Append(IReadOnlyList<WebhookAttempt> attempts, WebhookAttempt attempt) =>
        attempts.Append(attempt).TakeLast(MaxAttemptsKept).ToList();
}
