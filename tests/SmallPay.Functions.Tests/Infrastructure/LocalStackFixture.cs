using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;
using SmallPay.Local;
using SmallPay.Local.Mail;
using SmallPay.Local.Pipeline;

namespace SmallPay.Functions.Tests.Infrastructure;

/// <summary>The xunit collection every test that needs the local stack joins: one stack per test run.</summary>
[CollectionDefinition(Name)]
public sealed class LocalStackCollection : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "local stack";
}

/// <summary>
/// One moto server, one DynamoDB Local, one maildev (each on a free port) and the local host in this process
/// (Kestrel on 127.0.0.1, a free port), provisioned from the repository's template.yaml, without demo data: the
/// same code path as <c>make run</c>, except that the documents pipeline runs only for the tests that hold
/// <see cref="RunPipelineAsync"/>. Tests make their own users (tenants), so they never see each other's data;
/// they tell their e-mails apart by recipient.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public const string TestPassword = "Test-password-2026";

    /// <summary>
    /// The queues' visibility timeout in this run: a retry comes back this long after a failure, so five receives take
    /// seconds instead of the template's 15 minutes. Like the template's, it is longer than the worker takes for a batch
    /// (a cold batch takes up to ~1.2 s on this machine): shorter, SQS hands messages still being processed to a second
    /// invocation, and healthy messages end in the dead-letter queue (seen here with 300 ms under the full suite's load).
    /// </summary>
    public static readonly TimeSpan QueueVisibilityTimeout = TimeSpan.FromSeconds(2);

    // Shared by every client the fixture hands out, so tests that forget to dispose leak no sockets.
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalStackHost? _host;
    private MailSinkClient? _mailSink;
    private readonly SemaphoreSlim _pipelineSwitch = new(1, 1);
    private int _pipelineLeases;

    public LocalStackHost Host => _host ?? throw new InvalidOperationException("the local stack has not started");

    /// <summary>The HTTP API: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri ApiBaseUrl => Host.ApiBaseUrl;

    /// <summary>moto's endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string AwsEndpoint => Host.AwsEndpoint.ToString().TrimEnd('/');

    /// <summary>A DynamoDB client (the SDK's, as the functions use) on DynamoDB Local.</summary>
    public IAmazonDynamoDB DynamoDb => Host.DynamoDb;

    public string UserPoolId => Host.UserPoolId;

    public string UserPoolClientId => Host.UserPoolClientId;

    /// <summary>What every function gets (Globals.Function's variables with local table names, the moto endpoint).</summary>
    public FunctionEnvironment FunctionEnvironment => FunctionEnvironment.From(Host.SharedFunctionVariables());

    /// <summary>One function's exact environment, for <c>FunctionCatalog.Create(name, stack.EnvironmentFor(name))</c>.</summary>
    public FunctionEnvironment EnvironmentFor(string functionName) => FunctionEnvironment.From(Host.FunctionVariables(functionName));

    public TimeSpan StartupTime => Host.StartupTime;

    /// <summary>The SMTP sink (maildev behind the gate the functions send to): stop and start its SMTP port for fault injection.</summary>
    public LocalMailSink Mail => Host.Mail ?? throw new InvalidOperationException("the local stack runs without a mail sink");

    /// <summary>maildev's REST API: what the functions sent.</summary>
    public MailSinkClient MailSink => _mailSink ?? throw new InvalidOperationException("the local stack has not started");

    /// <summary>The queues, pipes and consumers of template.yaml (running only while a test holds <see cref="RunPipelineAsync"/>).</summary>
    public LocalPipeline Pipeline => Host.Pipeline ?? throw new InvalidOperationException("the local stack runs without its pipeline");

    /// <summary>
    /// Runs the documents pipeline until the returned lease is disposed. It starts at the stream's LATEST position: the
    /// tests of the API, which run without it, leave no backlog, and the worker's asynchronous writes (an invoice's
    /// <c>document</c>) never surprise a test that compares an invoice before and after something.
    /// </summary>
    public async Task<IAsyncDisposable> RunPipelineAsync()
    {
        await _pipelineSwitch.WaitAsync();
        try
        {
            if (_pipelineLeases++ == 0) await Pipeline.StartAsync("LATEST");
        }
        finally
        {
            _pipelineSwitch.Release();
        }
        return new PipelineLease(this);
    }

    private async Task ReleasePipelineAsync()
    {
        await _pipelineSwitch.WaitAsync();
        try
        {
            if (--_pipelineLeases == 0) await Pipeline.StopAsync();
        }
        finally
        {
            _pipelineSwitch.Release();
        }
    }

    private sealed class PipelineLease(LocalStackFixture stack) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) await stack.ReleasePipelineAsync();
        }
    }

    public async Task InitializeAsync()
    {
        _host = await LocalStackHost.StartAsync(new LocalStackOptions
        {
            Port = 0,
            ListenHost = "127.0.0.1",
            AwsPort = 0,
            DynamoDbPort = 0,
            SmtpPort = 0,
            MailWebPort = 0,
            QueueVisibilityTimeout = QueueVisibilityTimeout,
            StartPipeline = false,
            // The schedules run when a test moves the local clock, never on their own in between (sample data stays put).
            StartSchedules = false,
            StreamPollInterval = TimeSpan.FromMilliseconds(100),
            SeedDemo = false,
            // SMALLPAY_TEST_LOG=Debug shows the host's start-up steps and every request.
            MinimumLogLevel = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SMALLPAY_TEST_LOG"), out var level) ? level : LogLevel.Warning,
        });
        _mailSink = new MailSinkClient(new HttpClient(_handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) }, _host.Mail!.ApiUrl);
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
