using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmallPay.Local.Aws;
using SmallPay.Local.Demo;
using SmallPay.Local.Functions;
using SmallPay.Local.Http;
using SmallPay.Local.Logging;
using SmallPay.Local.Mail;
using SmallPay.Local.Pipeline;
using SmallPay.Local.Provisioning;
using SmallPay.Local.Template;
using SmallPay.Local.Web;
using SmallPay.Functions.Storage;

namespace SmallPay.Local;

/// <summary>
/// The whole local stack in this process: moto (started, or an endpoint given), template.yaml's tables, buckets
/// and user pool provisioned on it, the SMTP sink (maildev), Kestrel serving the HTTP API (JWT authorizer, CORS,
/// warm in-process handlers), /config.json and the SPA, and the documents pipeline (stream → pipe filter → queue →
/// worker, with its dead-letter queue). <c>serve</c> and the integration-test fixture both start it through
/// <see cref="StartAsync"/>; disposing stops everything it started.
/// </summary>
public sealed class LocalStackHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MotoServer? _moto;
    private readonly DynamoDbLocalServer? _dynamoDbLocal;
    private readonly IAmazonS3 _s3;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private int _disposed;

    private LocalStackHost(
        WebApplication app, MotoServer? moto, DynamoDbLocalServer? dynamoDbLocal, HttpClient http, ILogger logger, Uri apiBaseUrl, LocalEndpoints endpoints,
        LocalResources resources, IAmazonDynamoDB dynamo, IAmazonS3 s3, LocalCognito cognito, SamTemplate template, TimeSpan startupTime)
    {
        _app = app;
        _moto = moto;
        _dynamoDbLocal = dynamoDbLocal;
        _s3 = s3;
        _http = http;
        _logger = logger;
        ApiBaseUrl = apiBaseUrl;
        Endpoints = endpoints;
        Resources = resources;
        DynamoDb = dynamo;
        Cognito = cognito;
        Template = template;
        StartupTime = startupTime;
    }

    /// <summary>The HTTP API (and the app, config.json): <c>http://localhost:3000/</c>.</summary>
    public Uri ApiBaseUrl { get; }

    public Uri ConfigUrl => new(ApiBaseUrl, "/config.json");

    /// <summary>The AWS emulators: moto (Cognito, S3) and DynamoDB Local (DynamoDB, Streams).</summary>
    public LocalEndpoints Endpoints { get; }

    /// <summary>moto: Cognito (the SPA signs in there) and S3.</summary>
    public Uri AwsEndpoint => Endpoints.Aws;

    /// <summary>DynamoDB Local.</summary>
    public Uri DynamoDbEndpoint => Endpoints.DynamoDb;

    public LocalResources Resources { get; }

    public SamTemplate Template { get; }

    /// <summary>A DynamoDB client on the emulator (owned by the host).</summary>
    public IAmazonDynamoDB DynamoDb { get; }

    /// <summary>An S3 client on moto (owned by the host).</summary>
    public IAmazonS3 S3 => _s3;

    /// <summary>The SMTP sink the functions send to, or null (<see cref="LocalStackOptions.StartMailSink"/> off).</summary>
    public LocalMailSink? Mail { get; private init; }

    /// <summary>The template's queues, pipes and queue consumers, or null (<see cref="LocalStackOptions.RunPipeline"/> off).</summary>
    public LocalPipeline? Pipeline { get; private init; }

    /// <summary>The template's schedules (RunRecurring), run every 30 s and after each step of <c>POST /_local/clock</c>.</summary>
    public Time.LocalSchedules? Schedules { get; private init; }

    public LocalCognito Cognito { get; }

    public string UserPoolId => Resources.AppClient?.UserPoolId ?? throw new InvalidOperationException("template.yaml has no user pool client");

    public string UserPoolClientId => Resources.AppClient?.ClientId ?? throw new InvalidOperationException("template.yaml has no user pool client");

    /// <summary>Set after start when the demo account was created (serve without --no-demo).</summary>
    public DemoAccount? Demo { get; private set; }

    public TimeSpan StartupTime { get; }

    /// <summary>The routes served ("POST /invoices", ...).</summary>
    public IReadOnlyList<string> RouteKeys { get; private init; } = [];

    /// <summary>How many of <see cref="RouteKeys"/> need a token (a JWT authorizer or one the local stack cannot run).</summary>
    public int ProtectedRouteCount { get; private init; }

    /// <summary>The built SPA being served, or null (then / shows a page listing the API).</summary>
    public string? SpaRoot { get; private init; }

    public bool OpenApiAvailable { get; private init; }

    /// <summary>The page's /config.json: what the SPA needs to reach the API and sign in.</summary>
    public JsonObject ClientConfig() => new()
    {
        ["apiUrl"] = ApiBaseUrl.ToString().TrimEnd('/'),
        ["region"] = LocalResourceNames.Region,
        ["userPoolId"] = Resources.AppClient?.UserPoolId,
        ["userPoolClientId"] = Resources.AppClient?.ClientId,
        // moto, through this host (CognitoProxy: a confirmed sign-up gets email_verified, as in Cognito).
        ["cognitoEndpoint"] = new Uri(ApiBaseUrl, Auth.CognitoProxy.Path).ToString(),
    };

    /// <summary>The variables every function gets locally (Globals.Function's and the emulator's).</summary>
    public Dictionary<string, string> SharedFunctionVariables() => LocalFunctionEnvironment.Shared(Template, Resources.Resolver, Endpoints);

    /// <summary>The variables a function gets locally (by FunctionCatalog name or logical id).</summary>
    public Dictionary<string, string> FunctionVariables(string functionNameOrLogicalId)
    {
        var function = SamFunction.ReadAll(Template).FirstOrDefault(f => f.CatalogName == functionNameOrLogicalId || f.LogicalId == functionNameOrLogicalId)
            ?? throw new ArgumentException($"template.yaml has no function {functionNameOrLogicalId}", nameof(functionNameOrLogicalId));
        return LocalFunctionEnvironment.Build(function, Resources.Resolver, Endpoints);
    }

    public static async Task<LocalStackHost> StartAsync(LocalStackOptions options, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        // The port is known before anything is built: functions get this host's exact origin (APP_URL, the webhook test receiver).
        var port = options.Port == 0 ? FreePort(options.ListenHost) : options.Port;
        var templatePath = options.TemplatePath ?? RepositoryLayout.FindTemplate();
        var template = SamTemplate.Load(templatePath);
        var repositoryRoot = options.RepositoryRoot ?? Path.GetDirectoryName(Path.GetFullPath(templatePath))!;

        // moto takes a second or two to import: launch it first and build the rest meanwhile.
        var moto = options.AwsEndpoint is null ? MotoServer.Launch(options.AwsPort) : null;
        var awsEndpoint = options.AwsEndpoint ?? moto!.Endpoint;
        DynamoDbLocalServer? dynamoDbLocal = null;
        LocalMailSink? mail = null;
        LocalPipeline? pipeline = null;
        Time.LocalSchedules? schedules = null;
        WebApplication? app = null;
        LocalStackHost? host = null;
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        IAmazonDynamoDB? dynamo = null;
        IAmazonS3? s3 = null;
        try
        {
            app = BuildWebApplication(options, repositoryRoot, port);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SmallPay.Local");
            var requestLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SmallPay.Local.Requests");
            // The JVM starts while moto imports; both take a few seconds.
            dynamoDbLocal = options.DynamoDbEndpoint is null ? DynamoDbLocalServer.Launch(options.DynamoDbPort, repositoryRoot) : null;
            // And node loads maildev meanwhile.
            mail = options.StartMailSink ? LocalMailSink.Launch(options.SmtpPort, options.MailWebPort, repositoryRoot) : null;
            var endpoints = new LocalEndpoints(awsEndpoint, options.DynamoDbEndpoint ?? dynamoDbLocal!.Endpoint)
            {
                Smtp = mail?.Smtp,
                App = new Uri($"http://localhost:{port}/"),
                // Webhooks may reach this host's test receiver (/_local/webhook-receiver/…), and only it: the template never sets this.
                WebhookReceiverOrigin = $"http://{(options.ListenHost is "localhost" or "0.0.0.0" or "::" ? "127.0.0.1" : options.ListenHost)}:{port}",
                // The functions send to the template's queues through this host (AWS_ENDPOINT_URL_SQS).
                Sqs = new Uri($"http://{(options.ListenHost is "localhost" or "0.0.0.0" or "::" ? "127.0.0.1" : options.ListenHost)}:{port}/"),
            };
            dynamo = CreateDynamoDbClient(endpoints.DynamoDb);
            s3 = CreateS3Client(endpoints.Aws);

            if (moto is not null)
            {
                await moto.WaitUntilReadyAsync(cancellationToken);
                logger.LogDebug("moto started on {Endpoint} (pid {Pid}) after {Ms} ms", awsEndpoint, moto.ProcessId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                await MotoServer.WaitUntilAnsweringAsync(awsEndpoint, () => false, TimeSpan.FromSeconds(10), cancellationToken);
            }

            if (dynamoDbLocal is not null) await dynamoDbLocal.WaitUntilReadyAsync(cancellationToken);
            else await MotoServer.WaitUntilAnsweringAsync(endpoints.DynamoDb, () => false, TimeSpan.FromSeconds(10), cancellationToken);
            logger.LogDebug("DynamoDB Local answering on {Endpoint} after {Ms} ms", endpoints.DynamoDb, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            var cognito = new LocalCognito(http, awsEndpoint);
            var resources = await LocalResources.ProvisionAsync(template, dynamo, s3, cognito, cancellationToken);
            logger.LogDebug("provisioned tables {Tables}, buckets {Buckets} and user pools {Pools} after {Ms} ms",
                string.Join(", ", resources.Tables.Values), string.Join(", ", resources.Buckets.Values), string.Join(", ", resources.UserPools.Values),
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            var api = LocalHttpApiBuilder.Build(resources, endpoints, http, logger, options.HandlerOverride);
            var gateway = new HttpApiGateway(api.Routes, logger);
            var site = new LocalSite(repositoryRoot, () => host!.ClientConfig(), api.Routes.All.Select(route => route.RouteKey).ToList());
            if (options.RunPipeline)
            {
                pipeline = LocalPipeline.Build(resources, endpoints, dynamo, new DynamoDbStreamsClient(http, endpoints.DynamoDb), PipelineOptions(options),
                    logger, options.HandlerOverride);
                if (options.StartPipeline) await pipeline.StartAsync(cancellationToken: cancellationToken);
            }
            var cognitoProxy = new Auth.CognitoProxy(http, awsEndpoint, cognito, () => resources.AppClient?.UserPoolId);
            schedules = Time.LocalSchedules.Build(template, resources.Resolver, endpoints, logger);
            if (options.StartSchedules) schedules.Start();
            ConfigurePipeline(app, gateway, api.Cors, site, pipeline, cognitoProxy, requestLogger, schedules);

            await app.StartAsync(cancellationToken);
            var apiBaseUrl = ListeningUrl(app, options);
            logger.LogDebug("{Routes} routes served on {Url} after {Ms} ms", api.Routes.Count, apiBaseUrl, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            // The page served by this host calls the API from its own origin (localhost and 127.0.0.1).
            api.Cors?.AddOrigin(apiBaseUrl.GetLeftPart(UriPartial.Authority));
            api.Cors?.AddOrigin($"http://127.0.0.1:{apiBaseUrl.Port}");
            api.Cors?.AddOrigin($"http://localhost:{apiBaseUrl.Port}");

            if (mail is not null)
            {
                await mail.WaitUntilReadyAsync(cancellationToken);
                logger.LogDebug("maildev answering on {Url} after {Ms} ms", mail.WebUrl, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            host = new LocalStackHost(app, moto, dynamoDbLocal, http, logger, apiBaseUrl, endpoints, resources, dynamo, s3, cognito, template,
                Stopwatch.GetElapsedTime(started))
            {
                Mail = mail,
                Pipeline = pipeline,
                Schedules = schedules,
                RouteKeys = api.Routes.All.Select(route => route.RouteKey).ToList(),
                ProtectedRouteCount = api.Routes.All.Count(route => route.Authorizer is not null || route.UnsupportedAuthorizer is not null),
                SpaRoot = site.SpaRoot,
                OpenApiAvailable = File.Exists(Path.Combine(repositoryRoot, "openapi.yaml")),
            };
            if (moto is not null) host.StopWhenExits(moto.Completion, "moto", () => moto.RecentOutput);
            if (mail is not null) host.StopWhenExits(mail.Completion, "maildev", () => mail.RecentOutput);

            if (options.SeedDemo && resources.AppClient is { } client)
            {
                host.Demo = await DemoAccount.EnsureAsync(cognito, client.UserPoolId, client.ClientId, options.DemoEmail, options.DemoPassword, cancellationToken);
                try
                {
                    // The demo user is an owner of the business the sample events work in, and the app opens it: the
                    // Northwind data (through the API, as the app would) and the events' records are one business.
                    var invoicesTable = resources.Tables["InvoicesTable"];
                    await DemoBusiness.JoinAsync(new DynamoDbTeamStore(dynamo, invoicesTable), host.Demo, cancellationToken);
                    using var demoApi = host.Demo.CreateApiClient(apiBaseUrl, SampleEventData.Sub);
                    await DemoData.SeedAsync(demoApi, cancellationToken);
                    await SampleEventData.SeedIfMissingAsync(dynamo, invoicesTable, resources.Tables["CustomersTable"], cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The stack is still useful without sample data: say so and keep serving.
                    logger.LogError(error, "Seeding the demo data failed");
                }
            }
            return host;
        }
        catch when (host is not null)
        {
            await host.DisposeAsync();
            throw;
        }
        catch
        {
            if (schedules is not null) await schedules.DisposeAsync();
            if (pipeline is not null) await pipeline.DisposeAsync();
            if (app is not null) await app.DisposeAsync();
            dynamo?.Dispose();
            s3?.Dispose();
            http.Dispose();
            if (moto is not null) await moto.DisposeAsync();
            if (dynamoDbLocal is not null) await dynamoDbLocal.DisposeAsync();
            if (mail is not null) await mail.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl-C, SIGTERM, or the emulator died).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        // Stop reading streams and queues first: nothing should call the emulators while they go away.
        if (Schedules is not null) await Schedules.DisposeAsync();
        if (Pipeline is not null) await Pipeline.DisposeAsync();
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        DynamoDb.Dispose();
        _s3.Dispose();
        _http.Dispose();
        if (_moto is not null) await _moto.DisposeAsync();
        if (_dynamoDbLocal is not null) await _dynamoDbLocal.DisposeAsync();
        if (Mail is not null) await Mail.DisposeAsync();
    }

    private void StopWhenExits(Task completion, string what, Func<string> output) =>
        _ = completion.ContinueWith(_ =>
        {
            if (Volatile.Read(ref _disposed) == 1) return;
            _logger.LogError("{What} exited unexpectedly; stopping.{NewLine}{Output}", what, Environment.NewLine, output());
            _app.Lifetime.StopApplication();
        }, TaskScheduler.Default);

    private static LocalPipelineOptions PipelineOptions(LocalStackOptions options) => new()
    {
        VisibilityTimeout = options.QueueVisibilityTimeout,
        StreamPollInterval = options.StreamPollInterval,
    };

    private static WebApplication BuildWebApplication(LocalStackOptions options, string repositoryRoot, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = repositoryRoot,
            EnvironmentName = Environments.Production,
        });
        LocalLogging.Configure(builder.Logging, options.MinimumLogLevel, options.JsonLogs);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The gateway enforces API Gateway's 10 MB itself, with API Gateway's answer.
            kestrel.Limits.MaxRequestBodySize = null;
            if (options.ListenHost == "localhost") kestrel.ListenLocalhost(port);
            else kestrel.Listen(IPAddress.Parse(options.ListenHost), port);
        });
        return builder.Build();
    }

    private static void ConfigurePipeline(
        WebApplication app, HttpApiGateway gateway, CorsPolicy? cors, LocalSite site, LocalPipeline? pipeline, Auth.CognitoProxy cognitoProxy, ILogger requestLogger,
        Time.LocalSchedules? schedules = null)
    {
        // One line per request: method, path, status, milliseconds (and why, for gateway refusals).
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var note = context.Items[HttpApiGateway.LogNoteItem] as string;
                requestLogger.LogInformation("{Method} {Path} {Status} {ElapsedMs} ms{Note}",
                    context.Request.Method, context.Request.Path.Value + context.Request.QueryString.Value, context.Response.StatusCode,
                    (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, note is null ? "" : $" ({note})");
            }
        });

        // Before the API's CORS: the Cognito SDK's headers are not the API's.
        app.Use(async (context, next) =>
        {
            if (!await cognitoProxy.TryServeAsync(context)) await next(context);
        });

        if (cors is not null)
        {
            app.Use((context, next) =>
            {
                if (CorsPolicy.IsPreflight(context.Request))
                {
                    cors.WritePreflight(context);
                    return Task.CompletedTask;
                }
                context.Response.OnStarting(() =>
                {
                    cors.ApplyTo(context.Request, context.Response.Headers);
                    return Task.CompletedTask;
                });
                return next(context);
            });
        }

        if (site.SpaRoot is not null)
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(site.SpaRoot) });

        app.Run(async context =>
        {
            if (await LocalSqsEndpoint.TryServeAsync(context, pipeline)) return;
            if (await SmallPay.Local.Mail.LocalMailEvents.TryServeAsync(context, pipeline)) return;
            if (await Time.LocalClockEndpoint.TryServeAsync(context, Time.LocalClock.Shared, schedules)) return;
            if (await Webhooks.LocalWebhookReceiver.TryServeAsync(context)) return;
            if (await LocalPipelineEndpoints.TryServeAsync(context, pipeline)) return;
            if (await site.TryServeAsync(context)) return;
            var match = gateway.Match(context.Request);
            if (match is not null && !site.IsSpaNavigation(context.Request))
            {
                await gateway.InvokeAsync(context, match);
                return;
            }
            if (site.IsSpaNavigation(context.Request) || context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
            {
                await site.WriteIndexAsync(context);
                return;
            }
            await LocalSite.WriteNotFoundAsync(context);
        });
    }

    /// <summary>A port nobody listens on now (the OS picks it), for a host started with Port 0.</summary>
    private static int FreePort(string listenHost)
    {
        using var probe = new System.Net.Sockets.TcpListener(listenHost == "localhost" ? IPAddress.Loopback : IPAddress.Parse(listenHost), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Uri ListeningUrl(WebApplication app, LocalStackOptions options)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = new Uri(addresses.First());
        return options.ListenHost == "localhost" ? new Uri($"http://localhost:{first.Port}/") : new Uri($"http://{options.ListenHost}:{first.Port}/");
    }

    /// <summary>An S3 client on moto: path-style addressing (<c>http://127.0.0.1:5010/bucket/key</c>), as every local S3 needs.</summary>
    public static IAmazonS3 CreateS3Client(Uri endpoint) =>
        new AmazonS3Client(
            new BasicAWSCredentials(LocalResourceNames.AccessKeyId, LocalResourceNames.SecretAccessKey),
            new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = LocalResourceNames.Region });

    public static IAmazonDynamoDB CreateDynamoDbClient(Uri endpoint) =>
        new AmazonDynamoDBClient(
            new BasicAWSCredentials(LocalResourceNames.AccessKeyId, LocalResourceNames.SecretAccessKey),
            new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = LocalResourceNames.Region });
}
