using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Local.Auth;

namespace SmallPay.Functions.Tests.Local;

public sealed class JwtAuthorizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestSigningKey _key = TestSigningKey.First;
    private readonly TestSigningKey _otherKey = TestSigningKey.Impostor;
    private readonly TestClock _clock = new(Now);
    private readonly JwtAuthorizer _authorizer;

    public JwtAuthorizerTests() =>
        _authorizer = new JwtAuthorizer(
            new JwtAuthorizerSettings(TestSigningKey.Issuer, [TestSigningKey.ClientId]), new StaticKeySource(_key), _clock);

    private Task<JwtAuthorizationResult> Authorize(string? header, params string[] scopes) =>
        _authorizer.AuthorizeAsync(header, scopes, CancellationToken.None);

    private static JsonObject IdClaims(Action<JsonObject>? change = null)
    {
        var claims = TestSigningKey.IdTokenClaims(Now);
        change?.Invoke(claims);
        return claims;
    }

    [Fact]
    public async Task Valid_id_token_is_authorized_and_every_claim_is_passed_as_a_string()
    {
        var result = await Authorize("Bearer " + _key.Sign(IdClaims()));

        Assert.True(result.IsAuthorized, result.Reason);
        var claims = result.Claims!;
        Assert.Equal("3f1c1d2e-0000-4000-8000-000000000001", claims["sub"]);
        Assert.Equal("owner@example.com", claims["email"]);
        Assert.Equal("true", claims["email_verified"]);
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds().ToString(), claims["exp"]);
        // API Gateway renders arrays as [a b].
        Assert.Equal("[admins billing]", claims["cognito:groups"]);
        Assert.Null(result.Scopes);
    }

    [Fact]
    public async Task Access_token_is_checked_on_client_id_and_its_scopes_are_passed()
    {
        var result = await Authorize("Bearer " + _key.Sign(TestSigningKey.AccessTokenClaims(Now)));

        Assert.True(result.IsAuthorized, result.Reason);
        Assert.Equal(["aws.cognito.signin.user.admin", "invoices/read"], result.Scopes);
    }

    [Theory]
    [InlineData("bearer ")]
    [InlineData("")]
    public async Task Token_without_the_Bearer_prefix_or_in_lower_case_is_accepted(string prefix)
    {
        var result = await Authorize(prefix + _key.Sign(IdClaims()));

        Assert.True(result.IsAuthorized, result.Reason);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Other_rsa_algorithms_are_accepted(string alg)
    {
        var result = await Authorize(_key.Sign(IdClaims(), alg));

        Assert.True(result.IsAuthorized, result.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Missing_token_is_401_with_a_bare_Bearer_challenge(string? header)
    {
        var result = await Authorize(header);

        Assert.Equal((JwtFailure.MissingToken, 401, "Bearer"), (result.Failure, result.StatusCode, result.WwwAuthenticate));
    }

    [Fact]
    public async Task Expired_token_is_401_invalid_token()
    {
        var token = _key.Sign(IdClaims(c => c["exp"] = Now.AddMinutes(-5).ToUnixTimeSeconds()));

        var result = await Authorize(token);

        Assert.Equal((JwtFailure.Expired, 401), (result.Failure, result.StatusCode));
        Assert.StartsWith("Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token has expired\"", result.WwwAuthenticate);
    }

    [Fact]
    public async Task Token_expired_by_less_than_the_clock_skew_is_still_accepted()
    {
        var token = _key.Sign(IdClaims(c => c["exp"] = Now.AddSeconds(-10).ToUnixTimeSeconds()));

        Assert.True((await Authorize(token)).IsAuthorized);
    }

    [Fact]
    public async Task Token_becomes_invalid_when_the_clock_passes_exp()
    {
        var token = _key.Sign(IdClaims());
        Assert.True((await Authorize(token)).IsAuthorized);

        _clock.Now = Now.AddHours(2);

        Assert.Equal(JwtFailure.Expired, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_without_exp_is_refused()
    {
        var token = _key.Sign(IdClaims(c => c.Remove("exp")));

        Assert.Equal(JwtFailure.Expired, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_not_valid_before_a_future_nbf_is_refused()
    {
        var token = _key.Sign(IdClaims(c => c["nbf"] = Now.AddMinutes(10).ToUnixTimeSeconds()));

        Assert.Equal(JwtFailure.NotYetValid, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_issued_in_the_future_is_refused()
    {
        var token = _key.Sign(IdClaims(c => c["iat"] = Now.AddMinutes(10).ToUnixTimeSeconds()));

        Assert.Equal(JwtFailure.NotYetValid, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_for_another_client_is_refused()
    {
        var token = _key.Sign(IdClaims(c => c["aud"] = "some-other-client"));

        var result = await Authorize(token);

        Assert.Equal((JwtFailure.WrongAudience, 401), (result.Failure, result.StatusCode));
    }

    [Fact]
    public async Task Audience_list_in_the_token_is_accepted_when_one_entry_matches()
    {
        var token = _key.Sign(IdClaims(c => c["aud"] = new JsonArray("x", TestSigningKey.ClientId)));

        Assert.True((await Authorize(token)).IsAuthorized);
    }

    [Fact]
    public async Task Access_token_of_another_client_is_refused()
    {
        var claims = TestSigningKey.AccessTokenClaims(Now);
        claims["client_id"] = "some-other-client";

        Assert.Equal(JwtFailure.WrongAudience, (await Authorize(_key.Sign(claims))).Failure);
    }

    [Fact]
    public async Task Aud_is_checked_before_client_id_when_a_token_has_both()
    {
        var token = _key.Sign(IdClaims(c =>
        {
            c["aud"] = "some-other-client";
            c["client_id"] = TestSigningKey.ClientId;
        }));

        Assert.Equal(JwtFailure.WrongAudience, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_without_any_audience_is_refused()
    {
        var token = _key.Sign(IdClaims(c => c.Remove("aud")));

        Assert.Equal(JwtFailure.WrongAudience, (await Authorize(token)).Failure);
    }

    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER")]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST/")]
    [InlineData("https://evil.example.com/us-east-1_TEST")]
    public async Task Token_from_another_issuer_is_refused(string issuer)
    {
        var token = _key.Sign(IdClaims(c => c["iss"] = issuer));

        Assert.Equal(JwtFailure.WrongIssuer, (await Authorize(token)).Failure);
    }

    [Fact]
    public async Task Token_signed_by_another_key_with_the_same_kid_is_refused()
    {
        var token = _otherKey.Sign(IdClaims());

        var result = await Authorize(token);

        Assert.Equal((JwtFailure.BadSignature, 401), (result.Failure, result.StatusCode));
    }

    [Fact]
    public async Task Token_whose_claims_were_changed_after_signing_is_refused()
    {
        var parts = _key.Sign(IdClaims()).Split('.');
        var forged = TestSigningKey.Segment(IdClaims(c => c["sub"] = "someone-else"));

        var result = await Authorize($"{parts[0]}.{forged}.{parts[2]}");

        Assert.Equal(JwtFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Unsigned_token_with_alg_none_is_refused()
    {
        var header = TestSigningKey.Segment(new JsonObject { ["alg"] = "none", ["kid"] = _key.Kid });
        var payload = TestSigningKey.Segment(IdClaims());

        var result = await Authorize($"{header}.{payload}.");

        Assert.Equal((JwtFailure.UnsupportedAlgorithm, 401), (result.Failure, result.StatusCode));
    }

    [Fact]
    public async Task Token_without_alg_is_refused()
    {
        var header = TestSigningKey.Segment(new JsonObject { ["kid"] = _key.Kid });
        var parts = _key.Sign(IdClaims()).Split('.');

        Assert.Equal(JwtFailure.UnsupportedAlgorithm, (await Authorize($"{header}.{parts[1]}.{parts[2]}")).Failure);
    }

    [Fact]
    public async Task Hmac_token_is_refused_even_when_keyed_with_the_public_key()
    {
        // The classic confusion attack: HS256 with the RSA public key as the HMAC secret.
        var header = TestSigningKey.Segment(new JsonObject { ["alg"] = "HS256", ["kid"] = _key.Kid });
        var payload = TestSigningKey.Segment(IdClaims());
        var secret = _key.PublicKey.Modulus!;
        var mac = System.Security.Cryptography.HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{payload}"));

        var result = await Authorize($"{header}.{payload}.{System.Buffers.Text.Base64Url.EncodeToString(mac)}");

        Assert.Equal(JwtFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task Token_with_an_unknown_kid_is_refused()
    {
        Assert.Equal(JwtFailure.UnknownKey, (await Authorize(TestSigningKey.Stranger.Sign(IdClaims()))).Failure);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    [InlineData("e30.e30.")]
    [InlineData("bm90IGpzb24.e30.c2ln")]
    [InlineData("W10.e30.c2ln")]
    public async Task Malformed_tokens_are_401_and_never_throw(string token)
    {
        var result = await Authorize("Bearer " + token);

        Assert.False(result.IsAuthorized);
        Assert.Equal(401, result.StatusCode);
        Assert.Contains("invalid_token", result.WwwAuthenticate);
    }

    [Fact]
    public async Task Payload_that_is_not_a_json_object_is_malformed()
    {
        var header = TestSigningKey.Segment(new JsonObject { ["alg"] = "RS256", ["kid"] = _key.Kid });
        var parts = _key.Sign(IdClaims()).Split('.');

        var result = await Authorize($"{header}.{TestSigningKey.Segment(new JsonArray(1, 2))}.{parts[2]}");

        Assert.Equal(JwtFailure.Malformed, result.Failure);
    }

    [Fact]
    public async Task Route_scopes_need_one_matching_scope_in_the_token_else_403()
    {
        var accessToken = _key.Sign(TestSigningKey.AccessTokenClaims(Now));

        Assert.True((await Authorize(accessToken, "invoices/write", "invoices/read")).IsAuthorized);

        var refused = await Authorize(accessToken, "invoices/write");
        Assert.Equal((JwtFailure.InsufficientScope, 403), (refused.Failure, refused.StatusCode));
        Assert.Contains("insufficient_scope", refused.WwwAuthenticate);

        // An ID token has no scopes at all.
        Assert.Equal(JwtFailure.InsufficientScope, (await Authorize(_key.Sign(IdClaims()), "invoices/read")).Failure);
    }
}
