using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SmallPay.Local.Auth;

namespace SmallPay.Functions.Tests.Local;

public sealed class JsonWebKeySourceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri JwksUri = new("http://127.0.0.1:5010/us-east-1_TEST/.well-known/jwks.json");

    private readonly TestSigningKey _first = TestSigningKey.First;
    private readonly TestSigningKey _second = TestSigningKey.Second;
    private readonly JwksServer _server = new();
    private readonly TestClock _clock = new(Now);
    private readonly HttpClient _http;
    private readonly HttpJsonWebKeySource _source;

    public JsonWebKeySourceTests()
    {
        _http = new HttpClient(_server);
        _source = new HttpJsonWebKeySource(_http, JwksUri, _clock, TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        _http.Dispose();
    }

    [Fact]
    public async Task Keys_are_fetched_once_and_then_served_from_the_cache()
    {
        _server.Keys = [_first];

        Assert.NotNull(await _source.FindAsync("key-1", CancellationToken.None));
        Assert.NotNull(await _source.FindAsync("key-1", CancellationToken.None));

        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task A_rotated_in_key_is_found_by_refetching_on_its_unknown_kid()
    {
        _server.Keys = [_first];
        await _source.FindAsync("key-1", CancellationToken.None);
        _server.Keys = [_first, _second];
        _clock.Now = Now.AddSeconds(6);

        var rotated = await _source.FindAsync("key-2", CancellationToken.None);

        Assert.Equal(_second.PublicKey.Modulus, rotated?.Modulus);
        Assert.Equal(2, _server.Requests);
    }

    [Fact]
    public async Task Unknown_kids_refetch_at_most_once_per_interval()
    {
        _server.Keys = [_first];
        await _source.FindAsync("key-1", CancellationToken.None);

        for (var i = 0; i < 5; i++) Assert.Null(await _source.FindAsync("key-unknown", CancellationToken.None));
        Assert.Equal(1, _server.Requests);

        _clock.Now = Now.AddSeconds(6);
        Assert.Null(await _source.FindAsync("key-unknown", CancellationToken.None));
        Assert.Equal(2, _server.Requests);
    }

    [Fact]
    public async Task Authorizer_accepts_tokens_of_both_keys_across_a_rotation()
    {
        var authorizer = new JwtAuthorizer(new JwtAuthorizerSettings(TestSigningKey.Issuer, [TestSigningKey.ClientId]), _source, _clock);
        _server.Keys = [_first];
        Assert.True((await authorizer.AuthorizeAsync(_first.Sign(TestSigningKey.IdTokenClaims(Now)), [], CancellationToken.None)).IsAuthorized);

        _server.Keys = [_first, _second];
        _clock.Now = Now.AddMinutes(1);

        var result = await authorizer.AuthorizeAsync(_second.Sign(TestSigningKey.IdTokenClaims(_clock.Now)), [], CancellationToken.None);
        Assert.True(result.IsAuthorized, result.Reason);
        Assert.True((await authorizer.AuthorizeAsync(_first.Sign(TestSigningKey.IdTokenClaims(_clock.Now)), [], CancellationToken.None)).IsAuthorized);
    }

    [Fact]
    public async Task Unreachable_jwks_makes_the_authorizer_answer_401_not_throw()
    {
        _server.Fail = true;
        var authorizer = new JwtAuthorizer(new JwtAuthorizerSettings(TestSigningKey.Issuer, [TestSigningKey.ClientId]), _source, _clock);

        var result = await authorizer.AuthorizeAsync(_first.Sign(TestSigningKey.IdTokenClaims(Now)), [], CancellationToken.None);

        Assert.Equal((JwtFailure.KeysUnavailable, 401), (result.Failure, result.StatusCode));
    }

    [Fact]
    public void Parse_keeps_rsa_signing_keys_only()
    {
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(
                _first.Jwk(),
                new JsonObject { ["kty"] = "EC", ["kid"] = "ec", ["crv"] = "P-256", ["x"] = "AA", ["y"] = "AA" },
                new JsonObject { ["kty"] = "RSA", ["kid"] = "enc", ["use"] = "enc", ["n"] = "AQAB", ["e"] = "AQAB" }),
        };

        var keys = HttpJsonWebKeySource.Parse(Encoding.UTF8.GetBytes(jwks.ToJsonString()));

        Assert.Equal(["key-1"], keys.Keys);
        Assert.Equal(_first.PublicKey.Exponent, keys["key-1"].Exponent);
    }

    private sealed class JwksServer : HttpMessageHandler
    {
        public TestSigningKey[] Keys { get; set; } = [];
        public bool Fail { get; set; }
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            Assert.Equal(JwksUri, request.RequestUri);
            if (Fail) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
            var body = new JsonObject { ["keys"] = new JsonArray(Keys.Select(key => (JsonNode)key.Jwk()).ToArray()) };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            });
        }
    }
}
