using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Local.Aws;

namespace SmallPay.Functions.Tests.Local;

/// <summary>
/// What the local Cognito (moto, started with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP) checks of two-step sign-in, as the
/// app's settings and sign-in page use it. moto's secret is one fixed value for every user, so this proves the flow and
/// the code check, not that secrets are per user.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class LocalCognitoTotpTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Moto_checks_authenticator_codes_when_turning_on_and_when_signing_in()
    {
        var user = await stack.CreateUserAsync();
        var cognito = stack.Host.Cognito;

        var secret = (await cognito.CallAsync("AssociateSoftwareToken", new JsonObject { ["AccessToken"] = user.AccessToken }, default))["SecretCode"]!
            .GetValue<string>();
        var wrong = await Assert.ThrowsAsync<AwsServiceException>(() => cognito.CallAsync("VerifySoftwareToken",
            new JsonObject { ["AccessToken"] = user.AccessToken, ["UserCode"] = WrongCode(secret) }, default));
        Assert.Equal("CodeMismatchException", wrong.ErrorCode);
        var verified = await cognito.CallAsync("VerifySoftwareToken",
            new JsonObject { ["AccessToken"] = user.AccessToken, ["UserCode"] = await CurrentCode(secret) }, default);
        Assert.Equal("SUCCESS", verified["Status"]!.GetValue<string>());
        await cognito.CallAsync("SetUserMFAPreference", new JsonObject
        {
            ["AccessToken"] = user.AccessToken,
            ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = true, ["PreferredMfa"] = true },
        }, default);

        var challenge = await InitiateAuth(user);
        Assert.Equal("SOFTWARE_TOKEN_MFA", challenge["ChallengeName"]!.GetValue<string>());
        Assert.Null(challenge["AuthenticationResult"]);
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => Respond(challenge, user, WrongCode(secret)));
        Assert.Equal("CodeMismatchException", refused.ErrorCode);
        // moto keeps the session after a wrong code (real Cognito may not: the app starts over when it is refused).
        var signedIn = await Respond(challenge, user, await CurrentCode(secret));
        Assert.NotNull(signedIn["AuthenticationResult"]?["IdToken"]);

        // Turned off: the password alone signs in again.
        await cognito.CallAsync("SetUserMFAPreference", new JsonObject
        {
            ["AccessToken"] = user.AccessToken,
            ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = false, ["PreferredMfa"] = false },
        }, default);
        Assert.NotNull((await InitiateAuth(user))["AuthenticationResult"]?["IdToken"]);
    }

    [Fact]
    public void Totp_of_RFC_6238_test_vectors()
    {
        // RFC 6238 appendix B, SHA-1 (secret "12345678901234567890"), the last six of the eight digits.
        var key = "12345678901234567890"u8.ToArray();
        Assert.Equal("287082", Totp(key, 59));
        Assert.Equal("081804", Totp(key, 1111111109));
        Assert.Equal("050471", Totp(key, 1111111111));
        Assert.Equal("005924", Totp(key, 1234567890));
        Assert.Equal("279037", Totp(key, 2000000000));
    }

    private Task<JsonObject> InitiateAuth(TestUser user) => stack.Host.Cognito.CallAsync("InitiateAuth", new JsonObject
    {
        ["ClientId"] = stack.UserPoolClientId,
        ["AuthFlow"] = "USER_PASSWORD_AUTH",
        ["AuthParameters"] = new JsonObject { ["USERNAME"] = user.Email, ["PASSWORD"] = user.Password },
    }, default);

    private Task<JsonObject> Respond(JsonObject challenge, TestUser user, string code) => stack.Host.Cognito.CallAsync("RespondToAuthChallenge", new JsonObject
    {
        ["ClientId"] = stack.UserPoolClientId,
        ["ChallengeName"] = "SOFTWARE_TOKEN_MFA",
        ["Session"] = challenge["Session"]!.GetValue<string>(),
        ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = user.Email, ["SOFTWARE_TOKEN_MFA_CODE"] = code },
    }, default);

    /// <summary>The code of the current 30 s step, with at least 3 s of it left (moto accepts the current step only).</summary>
    private static async Task<string> CurrentCode(string secret)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (now % 30 > 26) await Task.Delay(TimeSpan.FromSeconds(30 - now % 30 + 0.2));
        return Totp(Base32(secret), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    /// <summary>A code that is none of the codes of this, the previous or the next step.</summary>
    private static string WrongCode(string secret)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var near = new[] { -30, 0, 30, 60 }.Select(offset => Totp(Base32(secret), now + offset)).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(code => !near.Contains(code));
    }

    private static string Totp(byte[] key, long unixSeconds)
    {
        var counter = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, unixSeconds / 30);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
                value &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
