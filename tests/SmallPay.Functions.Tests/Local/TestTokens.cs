using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Local.Auth;

namespace SmallPay.Functions.Tests.Local;

/// <summary>
/// An RSA signing key with a kid, as a Cognito user pool has, and JWTs signed with it. Generating a
/// 2048-bit key takes a good part of a second here, so tests share these few, made on first use.
/// </summary>
public sealed class TestSigningKey
{
    public const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST";
    public const string ClientId = "test-client";

    private static readonly Lazy<TestSigningKey> FirstKey = new(() => new TestSigningKey("key-1"));
    private static readonly Lazy<TestSigningKey> SecondKey = new(() => new TestSigningKey("key-2"));
    private static readonly Lazy<TestSigningKey> ImpostorKey = new(() => new TestSigningKey("key-1"));
    private static readonly Lazy<TestSigningKey> StrangerKey = new(() => new TestSigningKey("key-unknown"));
    private static readonly Lazy<TestSigningKey> MotoLookalikeKey = new(() => new TestSigningKey("dummy"));

    private readonly RSA _rsa = RSA.Create(2048);

    private TestSigningKey(string kid) => Kid = kid;

    public static TestSigningKey First => FirstKey.Value;

    public static TestSigningKey Second => SecondKey.Value;

    /// <summary>Another key that claims <see cref="First"/>'s kid.</summary>
    public static TestSigningKey Impostor => ImpostorKey.Value;

    /// <summary>A kid no key source knows.</summary>
    public static TestSigningKey Stranger => StrangerKey.Value;

    /// <summary>moto's kid ("dummy"), with a key that is not moto's.</summary>
    public static TestSigningKey MotoLookalike => MotoLookalikeKey.Value;

    public string Kid { get; }

    public RSAParameters PublicKey => _rsa.ExportParameters(includePrivateParameters: false);

    /// <summary>This key as a JWKS entry.</summary>
    public JsonObject Jwk() => new()
    {
        ["kty"] = "RSA",
        ["alg"] = "RS256",
        ["use"] = "sig",
        ["kid"] = Kid,
        ["n"] = Base64Url.EncodeToString(PublicKey.Modulus),
        ["e"] = Base64Url.EncodeToString(PublicKey.Exponent),
    };

    /// <summary>Claims of a Cognito ID token for this issuer and client, valid for an hour from <paramref name="now"/>.</summary>
    public static JsonObject IdTokenClaims(DateTimeOffset now) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = "3f1c1d2e-0000-4000-8000-000000000001",
        ["aud"] = ClientId,
        ["token_use"] = "id",
        ["iat"] = now.ToUnixTimeSeconds(),
        ["auth_time"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["email"] = "owner@example.com",
        ["email_verified"] = true,
        ["cognito:groups"] = new JsonArray("admins", "billing"),
    };

    /// <summary>Claims of a Cognito access token: no aud, the client in client_id, scopes in scope.</summary>
    public static JsonObject AccessTokenClaims(DateTimeOffset now) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = "3f1c1d2e-0000-4000-8000-000000000001",
        ["client_id"] = ClientId,
        ["token_use"] = "access",
        ["scope"] = "aws.cognito.signin.user.admin invoices/read",
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public string Sign(JsonObject claims, string alg = "RS256", string? kid = null)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["kid"] = kid ?? Kid, ["alg"] = alg };
        var signingInput = Segment(header) + "." + Segment(claims);
        var hash = alg switch { "RS384" => HashAlgorithmName.SHA384, "RS512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public static string Segment(JsonNode json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}

/// <summary>Keys by kid, in memory.</summary>
public sealed class StaticKeySource(params TestSigningKey[] keys) : IJsonWebKeySource
{
    public ValueTask<RSAParameters?> FindAsync(string kid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(keys.FirstOrDefault(key => key.Kid == kid)?.PublicKey);
}

/// <summary>A clock the test moves.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
