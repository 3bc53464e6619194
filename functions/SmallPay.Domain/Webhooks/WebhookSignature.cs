using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmallPay.Domain.Webhooks;

/// <summary>
/// The <c>SmallPay-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>,
/// with one <c>v1</c> per secret that signs (two while a rotated secret overlaps the new one).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new signing secret: 32 random bytes, base64url, after <see cref="SecretPrefix"/>.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex HMAC-SHA256 of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static string Hmac(byte[] key, byte[] message) => Convert.ToHexStringLower(HMACSHA256.HashData(key, message));

    /// <summary>The v1 value for one secret (its UTF-8 bytes are the key).</summary>
    public static string V1(string secret, long timestamp, string body) =>
        Hmac(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{body}")));

    public static string Header(IEnumerable<string> secrets, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={t}") + string.Concat(secrets.Select(s => ",v1=" + V1(s, t, body)));
    }

    /// <summary>What a receiver does: some v1 in the header matches the secret, and t is within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string header, string secret, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2) continue;
            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) t = seconds;
            else if (pair[0] == "v1") candidates.Add(pair[1]);
        }
        if (t is not { } stamp || Math.Abs(now.ToUnixTimeSeconds() - stamp) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(V1(secret, stamp, body));
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c), expected));
    }
}
