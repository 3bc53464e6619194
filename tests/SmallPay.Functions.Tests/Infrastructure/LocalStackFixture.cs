using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local;

namespace SmallPay.Functions.Tests.Infrastructure;

/// <summary>The xunit collection every test that needs the local stack joins: one stack per test run.</summary>
[CollectionDefinition(Name)]
public sealed class LocalStackCollection : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "local stack";
}

/// <summary>
/// One moto server (on a free port) and the local host in this process (Kestrel on 127.0.0.1, a free
/// port), provisioned from the repository's template.yaml, without demo data: the same code path as
/// <c>make run</c>. Tests make their own users (tenants), so they never see each other's data.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public const string TestPassword = "Test-password-2026";

    // Shared by every client the fixture hands out, so tests that forget to dispose leak no sockets.
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalStackHost? _host;

    public LocalStackHost Host => _host ?? throw new InvalidOperationException("the local stack has not started");

    /// <summary>The HTTP API: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri ApiBaseUrl => Host.ApiBaseUrl;

    /// <summary>moto's endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string AwsEndpoint => Host.AwsEndpoint.ToString().TrimEnd('/');

    /// <summary>A DynamoDB client on moto, for assertions on what the functions stored.</summary>
    public IAmazonDynamoDB DynamoDb => Host.DynamoDb;

    public string UserPoolId => Host.UserPoolId;

    public string UserPoolClientId => Host.UserPoolClientId;

    /// <summary>What every function gets (Globals.Function's variables with local table names, the moto endpoint).</summary>
    public FunctionEnvironment FunctionEnvironment => FunctionEnvironment.From(Host.SharedFunctionVariables());

    /// <summary>One function's exact environment, for <c>FunctionCatalog.Create(name, stack.EnvironmentFor(name))</c>.</summary>
    public FunctionEnvironment EnvironmentFor(string functionName) => FunctionEnvironment.From(Host.FunctionVariables(functionName));

    public TimeSpan StartupTime => Host.StartupTime;

    public async Task InitializeAsync()
    {
        _host = await LocalStackHost.StartAsync(new LocalStackOptions
        {
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsPort = 0,
            DynamoDbPort = 0,
            SeedDemo = false,
            // SMALLPAY_TEST_LOG=Debug shows the host's start-up steps and every request.
            MinimumLogLevel = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SMALLPAY_TEST_LOG"), out var level) ? level : LogLevel.Warning,
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _handler.Dispose();
    }

    /// <summary>An HTTP client on the API; with a user, it sends the user's ID token as the SPA does.</summary>
    public HttpClient CreateHttpClient(TestUser? user = null)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = ApiBaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.IdToken);
        return client;
    }

    /// <summary>A fresh, confirmed Cognito user in the local pool, signed in (a new tenant).</summary>
    public async Task<TestUser> CreateUserAsync(string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        await Host.Cognito.EnsureConfirmedUserAsync(UserPoolId, UserPoolClientId, email, TestPassword, CancellationToken.None);
        var tokens = await Host.Cognito.SignInAsync(UserPoolClientId, email, TestPassword, CancellationToken.None);
        return new TestUser(email, TestPassword, ClaimOf(tokens.IdToken, "sub"), tokens.IdToken, tokens.AccessToken);
    }

    private static string ClaimOf(string jwt, string claim)
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]);
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.GetProperty(claim).GetString()!;
    }
}

/// <summary>A signed-in user of the local pool; <see cref="Sub"/> is the tenant.</summary>
public sealed record TestUser(string Email, string Password, string Sub, string IdToken, string AccessToken);
