using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmallPay.Local.Auth;

/// <summary>What an HTTP API JWT authorizer is configured with (its <c>JwtConfiguration</c> and identity source).</summary>
public sealed record JwtAuthorizerSettings(string Issuer, IReadOnlyList<string> Audience, string IdentitySourceHeader = "Authorization");

/// <summary>
/// Validates a bearer token the way API Gateway's HTTP API JWT authorizer does: RSA signature against
/// the issuer's JWKS, <c>iss</c>, <c>aud</c> (or <c>client_id</c> when there is no <c>aud</c>), <c>exp</c>,
/// <c>nbf</c>, <c>iat</c>, and the route's scopes. Hand-written because the JwtBearer package is not
/// available here; it only has to understand what Cognito issues.
/// </summary>
public sealed class JwtAuthorizer
{
    /// <summary>Tolerance for clocks that differ a little (token issuer vs this machine).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, HashAlgorithmName> Algorithms = new(StringComparer.Ordinal)
    {
        ["RS256"] = HashAlgorithmName.SHA256,
        ["RS384"] = HashAlgorithmName.SHA384,
        ["RS512"] = HashAlgorithmName.SHA512,
    };

    private readonly JwtAuthorizerSettings _settings;
    private readonly IJsonWebKeySource _keys;
    private readonly TimeProvider _time;

    public JwtAuthorizer(JwtAuthorizerSettings settings, IJsonWebKeySource keys, TimeProvider? time = null)
    {
        _settings = settings;
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    public JwtAuthorizerSettings Settings => _settings;

    /// <param name="identity">The identity source's value: <c>Bearer &lt;jwt&gt;</c> or the bare token.</param>
    /// <param name="requiredScopes">The route's AuthorizationScopes: the token needs at least one of them.</param>
    public async Task<JwtAuthorizationResult> AuthorizeAsync(string? identity, IReadOnlyList<string> requiredScopes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(identity)) return JwtAuthorizationResult.MissingToken();
        var token = identity.Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token["Bearer ".Length..].Trim();

        var parts = token.Split('.');
        if (parts.Length != 3 || !TryReadObject(parts[0], out var header))
            return JwtAuthorizationResult.Invalid(JwtFailure.Malformed, "the token is not a valid JWT");

        // The algorithm is ours to choose, not the token's: only RSA signatures (never "none" or HMAC).
        var alg = header.TryGetProperty("alg", out var algElement) && algElement.ValueKind == JsonValueKind.String ? algElement.GetString()! : "";
        if (!Algorithms.TryGetValue(alg, out var hash))
            return JwtAuthorizationResult.Invalid(JwtFailure.UnsupportedAlgorithm, $"signing method {(alg.Length == 0 ? "none" : alg)} is invalid");
        if (!TryReadObject(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
            return JwtAuthorizationResult.Invalid(JwtFailure.Malformed, "the token is not a valid JWT");
        var kid = header.TryGetProperty("kid", out var kidElement) && kidElement.ValueKind == JsonValueKind.String ? kidElement.GetString()! : "";

        RSAParameters? key;
        try
        {
            key = await _keys.FindAsync(kid, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return JwtAuthorizationResult.Invalid(JwtFailure.KeysUnavailable, "the signing keys could not be fetched: " + error.Message);
        }
        if (key is null) return JwtAuthorizationResult.Invalid(JwtFailure.UnknownKey, $"no signing key with kid \"{kid}\"");

        using (var rsa = RSA.Create())
        {
            rsa.ImportParameters(key.Value);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1))
                return JwtAuthorizationResult.Invalid(JwtFailure.BadSignature, "the token signature is invalid");
        }

        if (StringClaim(payload, "iss") != _settings.Issuer)
            return JwtAuthorizationResult.Invalid(JwtFailure.WrongIssuer, "the token does not have a valid issuer");
        if (!HasValidAudience(payload))
            return JwtAuthorizationResult.Invalid(JwtFailure.WrongAudience, "the token does not have a valid audience");

        var now = _time.GetUtcNow();
        if (TimeClaim(payload, "exp") is not { } expires)
            return JwtAuthorizationResult.Invalid(JwtFailure.Expired, "the token has no exp claim");
        if (expires + ClockSkew <= now)
            return JwtAuthorizationResult.Invalid(JwtFailure.Expired, "the token has expired");
        if (TimeClaim(payload, "nbf") is { } notBefore && notBefore - ClockSkew > now)
            return JwtAuthorizationResult.Invalid(JwtFailure.NotYetValid, "the token is not valid yet");
        if (payload.TryGetProperty("iat", out _) && (TimeClaim(payload, "iat") is not { } issuedAt || issuedAt - ClockSkew > now))
            return JwtAuthorizationResult.Invalid(JwtFailure.NotYetValid, "the token was issued in the future");

        var scopes = ReadScopes(payload);
        if (requiredScopes.Count > 0 && !requiredScopes.Any(required => scopes?.Contains(required, StringComparer.Ordinal) == true))
            return JwtAuthorizationResult.InsufficientScope(requiredScopes);

        return JwtAuthorizationResult.Authorized(RenderClaims(payload), scopes);
    }

    private bool HasValidAudience(JsonElement payload)
    {
        // API Gateway checks aud (ID tokens); only a token without aud is checked on client_id (Cognito access tokens).
        if (payload.TryGetProperty("aud", out var aud))
        {
            var audiences = aud.ValueKind == JsonValueKind.Array
                ? aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)
                : aud.ValueKind == JsonValueKind.String ? [aud.GetString()!] : [];
            return audiences.Any(_settings.Audience.Contains);
        }
        return StringClaim(payload, "client_id") is { } clientId && _settings.Audience.Contains(clientId);
    }

    private static string[]? ReadScopes(JsonElement payload)
    {
        if (StringClaim(payload, "scope") is { } scope) return scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (payload.TryGetProperty("scp", out var scp) && scp.ValueKind == JsonValueKind.Array)
            return scp.EnumerateArray().Select(RenderClaim).ToArray();
        return null;
    }

    /// <summary>Every claim as a string, as API Gateway passes them: arrays as <c>[a b]</c>, numbers as written.</summary>
    internal static Dictionary<string, string> RenderClaims(JsonElement payload) =>
        payload.EnumerateObject().ToDictionary(claim => claim.Name, claim => RenderClaim(claim.Value), StringComparer.Ordinal);

    private static string RenderClaim(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => "[" + string.Join(' ', value.EnumerateArray().Select(RenderClaim)) + "]",
        _ => value.GetRawText(),
    };

    private static string? StringClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? TimeClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static bool TryReadObject(string segment, out JsonElement element)
    {
        element = default;
        if (!TryDecode(segment, out var bytes)) return false;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryDecode(string segment, out byte[] bytes)
    {
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(segment);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

public enum JwtFailure
{
    None,
    MissingToken,
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    KeysUnavailable,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
    InsufficientScope,
}

/// <summary>The authorizer's verdict, with the status and <c>www-authenticate</c> API Gateway answers on failure.</summary>
public sealed record JwtAuthorizationResult(
    JwtFailure Failure,
    int StatusCode,
    string? WwwAuthenticate,
    string? Reason,
    IReadOnlyDictionary<string, string>? Claims,
    IReadOnlyList<string>? Scopes)
{
    public bool IsAuthorized => Failure == JwtFailure.None;

    public static JwtAuthorizationResult Authorized(IReadOnlyDictionary<string, string> claims, IReadOnlyList<string>? scopes) =>
        new(JwtFailure.None, 200, null, null, claims, scopes);

    public static JwtAuthorizationResult MissingToken() =>
        new(JwtFailure.MissingToken, 401, "Bearer", "no token", null, null);

    public static JwtAuthorizationResult Invalid(JwtFailure failure, string description) =>
        new(failure, 401, $"Bearer scope=\"\" error=\"invalid_token\" error_description=\"{description.Replace('"', '\'')}\"", description, null, null);

    public static JwtAuthorizationResult InsufficientScope(IReadOnlyList<string> required) =>
        new(JwtFailure.InsufficientScope, 403,
            $"Bearer scope=\"{string.Join(' ', required)}\" error=\"insufficient_scope\" error_description=\"expected scopes: {string.Join(' ', required)}\"",
            "insufficient scope", null, null);
}
