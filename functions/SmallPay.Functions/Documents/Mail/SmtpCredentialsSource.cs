using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmallPay.Functions.Documents.Mail;

/// <summary>The SMTP user name and password, or null when the server takes mail without them.</summary>
public interface ISmtpCredentialsSource
{
    Task<NetworkCredential?> GetAsync(CancellationToken ct);

    /// <summary>The server refused <paramref name="stale"/>: stop handing it out, so the next <see cref="GetAsync"/> reads the secret again (rotation).</summary>
    void Forget(NetworkCredential stale);
}

public sealed class NoSmtpCredentials : ISmtpCredentialsSource
{
    public Task<NetworkCredential?> GetAsync(CancellationToken ct) => Task.FromResult<NetworkCredential?>(null);

    public void Forget(NetworkCredential stale) { }
}

/// <summary>
/// Reads the SMTP secret (<c>{"username","password"}</c>) through the AWS Parameters and Secrets Lambda Extension's local
/// HTTP endpoint (<c>GET http://localhost:2773/secretsmanager/get?secretId=…</c>, authenticated by the function's session
/// token): no SDK, and the extension caches. The credentials are kept for the life of the execution environment; a
/// failed fetch is not kept, so the next delivery asks again, and credentials the server refused are dropped
/// (<see cref="Forget"/>) so a rotated secret is picked up at once. The extension answers during invocations only, hence lazily.
/// </summary>
public sealed class SecretsExtensionCredentials(HttpClient http, string secretName, string? sessionToken, int port = SecretsExtensionCredentials.DefaultPort)
    : ISmtpCredentialsSource
{
    public const int DefaultPort = 2773;
    /// <summary>The extension's own setting for its port.</summary>
    public const string PortVariable = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NetworkCredential? _cached;

    public async Task<NetworkCredential?> GetAsync(CancellationToken ct)
    {
        if (_cached is not null) return _cached;
        await _gate.WaitAsync(ct);
        try
        {
            return _cached ??= await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Forget(NetworkCredential stale) => Interlocked.CompareExchange(ref _cached, null, stale);

    private async Task<NetworkCredential> FetchAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"http://localhost:{port}/secretsmanager/get?secretId={Uri.EscapeDataString(secretName)}");
        request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", sessionToken ?? "");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The secrets extension answered {(int)response.StatusCode} for secret {secretName}.", null, response.StatusCode);
        var envelope = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(ct), SecretJsonContext.Default.SecretValueResponse, ct);
        var secret = envelope?.SecretString is { Length: > 0 } text ? JsonSerializer.Deserialize(text, SecretJsonContext.Default.SmtpSecret) : null;
        return secret is { Username: { Length: > 0 } username, Password: { Length: > 0 } password }
            ? new NetworkCredential(username, password)
            : throw new InvalidDataException($"Secret {secretName} is not JSON with a username and a password.");
    }
}

/// <summary>The extension answers with GetSecretValue's response.</summary>
internal sealed class SecretValueResponse
{
    [JsonPropertyName("SecretString")]
    public string? SecretString { get; set; }
}

internal sealed class SmtpSecret
{
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }
}

[JsonSerializable(typeof(SecretValueResponse))]
[JsonSerializable(typeof(SmtpSecret))]
internal sealed partial class SecretJsonContext : JsonSerializerContext;
