using System.Security.Cryptography;
using System.Text;

namespace SmallPay.Local.Aws;

/// <summary>
/// AWS Signature Version 4 for the few JSON-protocol calls the local tooling makes without an SDK
/// client (Cognito, DynamoDB Streams). moto does not verify signatures, but it reads the region from
/// the credential scope, and a correctly signed request also works against a stricter emulator.
/// AWSSDK.Core's signer needs the SDK's whole request pipeline; the algorithm itself is this short.
/// </summary>
public static class AwsSigV4
{
    /// <summary>Adds <c>x-amz-date</c> and <c>Authorization</c> to <paramref name="headers"/> (lower-case names; must include host).</summary>
    public static void Sign(
        string method,
        Uri uri,
        IDictionary<string, string> headers,
        ReadOnlySpan<byte> payload,
        string region,
        string service,
        string accessKeyId,
        string secretAccessKey,
        DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");
        var date = amzDate[..8];
        headers["x-amz-date"] = amzDate;

        var sorted = headers.OrderBy(header => header.Key, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', sorted.Select(header => header.Key));
        var canonicalRequest = string.Join('\n',
            method,
            string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            string.Concat(sorted.Select(header => $"{header.Key}:{header.Value.Trim()}\n")),
            signedHeaders,
            Hex(SHA256.HashData(payload)));

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { date, region, service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

        headers["authorization"] = $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

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

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
