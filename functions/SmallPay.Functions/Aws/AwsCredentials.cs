using System.Net.Http.Headers;
using System.Text.Json;

namespace SmallPay.Functions.Aws;

/// <summary>One set of AWS credentials (a session token with the temporary ones Lambda gives a function's role).</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>When the source should be asked again (null: never; environment variables are read on every call anyway).</summary>
    public DateTimeOffset? Expiration { get; init; }
}

/// <summary>
/// Where a function's credentials come from, as Lambda provides them: the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
/// AWS_SESSION_TOKEN variables, or (SnapStart, containers) the credentials endpoint named by
/// AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN. Read per request, never captured at
/// start-up, so a SnapStart restore picks up fresh ones.
/// </summary>
public sealed class AwsCredentialsSource(Func<string, string?> environment, HttpClient http)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AwsCredentials? _fromEndpoint;

    /// <summary>Completes at once with the environment's credentials (no async state machine on a cold start's path).</summary>
    public ValueTask<AwsCredentials> GetAsync(CancellationToken ct)
    {
        var key = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret))
            return new(new AwsCredentials(key, secret, environment("AWS_SESSION_TOKEN") is { Length: > 0 } token ? token : null));

        if (environment("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not { Length: > 0 } endpoint)
            throw new InvalidOperationException(
                "No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them for the function's role).");
        return _fromEndpoint is { } cached && !NeedsRefresh(cached) ? new(cached) : new(FromEndpointAsync(new Uri(endpoint), ct));
    }

    private async Task<AwsCredentials> FromEndpointAsync(Uri endpoint, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            if (_fromEndpoint is { } fresh && !NeedsRefresh(fresh)) return fresh;
            return _fromEndpoint = await FetchAsync(endpoint, environment("AWS_CONTAINER_AUTHORIZATION_TOKEN"), ct);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static bool NeedsRefresh(AwsCredentials credentials) =>
        credentials.Expiration is { } expiration && expiration - RefreshMargin <= DateTimeOffset.UtcNow;

    private async Task<AwsCredentials> FetchAsync(Uri endpoint, string? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        if (!string.IsNullOrEmpty(authorization)) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
        var root = json.RootElement;
        return new AwsCredentials(
            root.GetProperty("AccessKeyId").GetString()!,
            root.GetProperty("SecretAccessKey").GetString()!,
            root.TryGetProperty("Token", out var token) ? token.GetString() : null)
        {
            Expiration = root.TryGetProperty("Expiration", out var expiration) && expiration.TryGetDateTimeOffset(out var at) ? at : null,
        };
    }
}
