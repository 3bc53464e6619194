using System.Security.Cryptography;
using System.Text;

namespace SmallPay.Functions.Aws;

/// <summary>
/// AWS Signature Version 4: signed headers for a request, or a presigned URL. The SDK's signer only runs inside its
/// whole request pipeline, whose start-up (hundreds of methods to JIT) is what this project's lean clients avoid;
/// the algorithm itself is this short. Checked against AWS's published test vector (AwsSigV4Tests).
/// </summary>
public static class AwsSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The payload hash S3 accepts in presigned URLs.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>
    /// Adds <c>x-amz-date</c>, <c>x-amz-security-token</c> (session credentials) and <c>authorization</c> to
    /// <paramref name="headers"/> (lower-case names; must include host). Every header in it is signed.
    /// </summary>
    public static void Sign(string method, Uri uri, IDictionary<string, string> headers, string payloadSha256Hex,
        string region, string service, AwsCredentials credentials, DateTimeOffset now)
    {
        var amzDate = AmzDate(now);
        headers["x-amz-date"] = amzDate;
        if (credentials.SessionToken is { Length: > 0 } token) headers["x-amz-security-token"] = token;

        var sorted = headers.OrderBy(header => header.Key, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', sorted.Select(header => header.Key));
        var canonicalRequest = string.Join('\n',
            method,
            CanonicalPath(uri),
            CanonicalQuery(uri.Query),
            string.Concat(sorted.Select(header => $"{header.Key}:{header.Value.Trim()}\n")),
            signedHeaders,
            payloadSha256Hex);

        var scope = Scope(amzDate, region, service);
        var signature = Signature(credentials.SecretAccessKey, amzDate, region, service, canonicalRequest);
        headers["authorization"] = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <inheritdoc cref="Sign(string, Uri, IDictionary{string, string}, string, string, string, AwsCredentials, DateTimeOffset)"/>
    public static void Sign(string method, Uri uri, IDictionary<string, string> headers, ReadOnlySpan<byte> payload,
        string region, string service, AwsCredentials credentials, DateTimeOffset now) =>
        Sign(method, uri, headers, PayloadHash(payload), region, service, credentials, now);

    /// <summary>
    /// A presigned GET link (query-string authentication, only <c>host</c> signed): valid for <paramref name="lifetime"/>
    /// from <paramref name="now"/> (1 s to 7 days).
    /// </summary>
    public static Uri PresignGet(Uri uri, string region, string service, AwsCredentials credentials, DateTimeOffset now, TimeSpan lifetime)
    {
        var seconds = (long)Math.Clamp(Math.Ceiling(lifetime.TotalSeconds), 1, 604_800);
        var amzDate = AmzDate(now);
        var query = new List<(string Key, string Value)>
        {
            ("X-Amz-Algorithm", Algorithm),
            ("X-Amz-Credential", $"{credentials.AccessKeyId}/{Scope(amzDate, region, service)}"),
            ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Amz-SignedHeaders", "host"),
        };
        if (credentials.SessionToken is { Length: > 0 } token) query.Add(("X-Amz-Security-Token", token));
        var canonicalQuery = string.Join('&', query.Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

        var canonicalRequest = string.Join('\n', "GET", CanonicalPath(uri), canonicalQuery, $"host:{uri.Authority}\n", "host", UnsignedPayload);
        var signature = Signature(credentials.SecretAccessKey, amzDate, region, service, canonicalRequest);
        return new Uri($"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}?{canonicalQuery}&X-Amz-Signature={signature}");
    }

    public static string PayloadHash(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    private static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Scope(string amzDate, string region, string service) => $"{amzDate[..8]}/{region}/{service}/aws4_request";

    private static string Signature(string secretAccessKey, string amzDate, string region, string service, string canonicalRequest)
    {
        var stringToSign = $"{Algorithm}\n{amzDate}\n{Scope(amzDate, region, service)}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { amzDate[..8], region, service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    // The path as the request sends it (each segment already percent-encoded once, as S3 signs it; the JSON
    // services this project calls always post to "/").
    private static string CanonicalPath(Uri uri) => string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1) return "";
        return string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Key: Encode(Uri.UnescapeDataString(pair[0])), Value: Encode(Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : ""))))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}={pair.Value}"));
    }

    // RFC 3986 unreserved characters stay; everything else is %XX (upper-case hex), as SigV4 requires.
    private static string Encode(string value) => Uri.EscapeDataString(value);
}
