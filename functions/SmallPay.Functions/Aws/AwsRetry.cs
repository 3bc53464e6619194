namespace SmallPay.Functions.Aws;

/// <summary>The retry rule both AWS clients share: up to <see cref="MaxRetries"/> retries, full jitter over 50 ms · 2^attempt.</summary>
internal static class AwsRetry
{
    public const int MaxRetries = 3;

    // 50, 100, 200 ms at most, spread at random as the SDK's standard retry mode spreads its retries.
    public static Task BackoffAsync(int attempt, CancellationToken ct) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 50 * (1 << attempt)), ct);
}
