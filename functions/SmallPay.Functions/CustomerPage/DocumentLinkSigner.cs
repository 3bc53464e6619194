using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SmallPay.Domain;

namespace SmallPay.Functions.CustomerPage;

/// <summary>
/// The token of a customer's link: <c>{linkId}.{validUntil epoch s}.{HMAC-SHA256 over both, base64url}</c>, keyed with
/// the stack's own secret (DOCUMENT_LINK_SECRET: a generated Secrets Manager secret in AWS). Without the secret nobody
/// can make a token for a link id, move its end, or point it at another link: any change fails the comparison.
/// </summary>
public sealed class DocumentLinkSigner
{
    public const string SecretVariable = "DOCUMENT_LINK_SECRET";
    private const int MinimumSecretLength = 32;

    private readonly byte[] _key;

    public DocumentLinkSigner(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumSecretLength)
            throw new ArgumentException($"The link secret must have at least {MinimumSecretLength} characters.", nameof(secret));
        _key = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>The signer of DOCUMENT_LINK_SECRET, or null when the stack has none (the functions then refuse to start).</summary>
    public static DocumentLinkSigner? FromEnvironment(Hosting.FunctionEnvironment environment) =>
        environment.Get(SecretVariable) is { Length: >= MinimumSecretLength } secret ? new DocumentLinkSigner(secret) : null;

    public string Sign(string linkId, DateTimeOffset validUntil)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{linkId}.{validUntil.ToUnixTimeSeconds()}");
        return payload + "." + Signature(payload);
    }

    /// <summary>The link id and end the token was signed with, or false for anything this stack did not sign.</summary>
    public bool TryVerify(string? token, out string linkId, out DateTimeOffset validUntil)
    {
        linkId = "";
        validUntil = default;
        if (token is null || token.Length > 200) return false;
        var parts = token.Split('.');
        if (parts.Length != 3 || !Ids.IsWellFormed(parts[0], "lnk")) return false;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799) return false;
        var expected = Encoding.ASCII.GetBytes(Signature(parts[0] + "." + parts[1]));
        var given = Encoding.ASCII.GetBytes(parts[2]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return false;
        linkId = parts[0];
        validUntil = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private string Signature(string payload) =>
        Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
