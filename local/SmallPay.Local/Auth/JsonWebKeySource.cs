using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace SmallPay.Local.Auth;

/// <summary>The signing keys of one issuer, by <c>kid</c>.</summary>
public interface IJsonWebKeySource
{
    /// <summary>The RSA public key with this kid, or null when the issuer has none.</summary>
    ValueTask<RSAParameters?> FindAsync(string kid, CancellationToken cancellationToken);
}

/// <summary>
/// An issuer's JWKS fetched over HTTP and cached. A kid that is not in the cache triggers one refetch
/// (keys rotate), at most once per <c>minimumRefetchInterval</c> so a flood of bad tokens cannot
/// hammer the issuer.
/// </summary>
public sealed class HttpJsonWebKeySource : IJsonWebKeySource
{
    private readonly HttpClient _http;
    private readonly Uri _jwksUri;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minimumRefetchInterval;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile IReadOnlyDictionary<string, RSAParameters>? _keys;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public HttpJsonWebKeySource(HttpClient http, Uri jwksUri, TimeProvider? time = null, TimeSpan? minimumRefetchInterval = null)
    {
        _http = http;
        _jwksUri = jwksUri;
        _time = time ?? TimeProvider.System;
        _minimumRefetchInterval = minimumRefetchInterval ?? TimeSpan.FromSeconds(5);
    }

    public Uri JwksUri => _jwksUri;

    public async ValueTask<RSAParameters?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        if (_keys is { } cached && cached.TryGetValue(kid, out var key)) return key;

        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while we waited.
            if (_keys is { } refreshed && refreshed.TryGetValue(kid, out key)) return key;
            if (_keys is not null && _time.GetUtcNow() - _fetchedAt < _minimumRefetchInterval) return null;

            using var response = await _http.GetAsync(_jwksUri, cancellationToken);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            _keys = Parse(json);
            _fetchedAt = _time.GetUtcNow();
            return _keys.TryGetValue(kid, out key) ? key : null;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The RSA signing keys of a JWKS document (<c>{"keys":[{"kty":"RSA","kid","n","e"}]}</c>).</summary>
    public static IReadOnlyDictionary<string, RSAParameters> Parse(ReadOnlySpan<byte> jwks)
    {
        using var document = JsonDocument.Parse(jwks.ToArray());
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("JWKS without a keys array");
        var result = new Dictionary<string, RSAParameters>(StringComparer.Ordinal);
        foreach (var key in keys.EnumerateArray())
        {
            if (Text(key, "kty") != "RSA" || Text(key, "use") is not (null or "sig")) continue;
            if (Text(key, "n") is not { } n || Text(key, "e") is not { } e) continue;
            result[Text(key, "kid") ?? ""] = new RSAParameters { Modulus = Base64Url.DecodeFromChars(n), Exponent = Base64Url.DecodeFromChars(e) };
        }
        return result;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
