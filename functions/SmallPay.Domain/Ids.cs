using System.Security.Cryptography;

namespace SmallPay.Domain;

/// <summary>Identifiers: a prefix plus a time-ordered, random 26-character Crockford base32 string (ULID layout).</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(string prefix, DateTimeOffset? now = null)
    {
        Span<byte> bytes = stackalloc byte[16];
        var millis = (ulong)(now ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--) { bytes[i] = (byte)millis; millis >>= 8; }
        RandomNumberGenerator.Fill(bytes[6..]);

        Span<char> chars = stackalloc char[26];
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        for (var i = 25; i >= 0; i--) { chars[i] = Alphabet[(int)(value & 31)]; value >>= 5; }
        return string.Concat(prefix, "_", chars);
    }

    /// <summary>
    /// The same id for the same seed, in the same shape as <see cref="New"/>: a create repeated under one idempotency key
    /// names the item its first attempt may already have written, so it finds it instead of writing a second.
    /// </summary>
    public static string FromSeed(string prefix, string seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed), hash);
        Span<char> chars = stackalloc char[26];
        var value = new System.Numerics.BigInteger(hash[..16], isUnsigned: true, isBigEndian: true);
        for (var i = 25; i >= 0; i--) { chars[i] = Alphabet[(int)(value & 31)]; value >>= 5; }
        return string.Concat(prefix, "_", chars);
    }

    /// <summary>Cheap shape check so malformed ids are rejected before any storage call.</summary>
    public static bool IsWellFormed(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 27 && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Alphabet) < 0;
}
