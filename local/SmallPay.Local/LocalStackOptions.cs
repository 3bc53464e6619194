using Microsoft.Extensions.Logging;
using SmallPay.Functions.Hosting;

namespace SmallPay.Local;

/// <summary>How to start the local stack (<c>serve</c>'s flags; the test fixture sets the same things in code).</summary>
public sealed class LocalStackOptions
{
    public const string DefaultDemoEmail = "demo@smallpay.local";
    public const string DefaultDemoPassword = "SmallPay-demo-2026";

    /// <summary>HTTP port of the API, app and config.json; 0 picks a free one.</summary>
    public int Port { get; init; } = 3000;

    /// <summary><c>localhost</c> (both loopbacks) or an IP address such as <c>127.0.0.1</c> (needed for port 0).</summary>
    public string ListenHost { get; init; } = "localhost";

    /// <summary>Port of the moto server this host starts; 0 picks a free one. Ignored with <see cref="AwsEndpoint"/>.</summary>
    public int AwsPort { get; init; } = 5010;

    /// <summary>An emulator that is already running: used as it is, neither started nor stopped.</summary>
    public Uri? AwsEndpoint { get; init; }

    /// <summary>Port of the DynamoDB Local server this host starts; 0 picks a free one. Ignored with <see cref="DynamoDbEndpoint"/>.</summary>
    public int DynamoDbPort { get; init; } = LocalEndpoints.DefaultDynamoDbPort;

    /// <summary>A DynamoDB Local (or other DynamoDB endpoint) that is already running.</summary>
    public Uri? DynamoDbEndpoint { get; init; }

    /// <summary>Start the SMTP sink (maildev) and point the functions' SMTP settings at it.</summary>
    public bool StartMailSink { get; init; } = true;

    /// <summary>The SMTP port the functions send to; 0 picks a free one.</summary>
    public int SmtpPort { get; init; } = LocalEndpoints.DefaultSmtpPort;

    /// <summary>The port of the sink's web page (every message sent, with its attachments); 0 picks a free one.</summary>
    public int MailWebPort { get; init; } = LocalEndpoints.DefaultMailWebPort;

    /// <summary>
    /// Run the template's pipes (stream → filter → queue) and queue consumers. Off for a second host on the same
    /// emulators, which would otherwise read the same stream and deliver every record twice.
    /// </summary>
    public bool RunPipeline { get; init; } = true;

    /// <summary>
    /// With <see cref="RunPipeline"/>: start the pipes and consumers with the host (serve). Off, they are built but wait
    /// for <c>host.Pipeline.StartAsync()</c>: the test fixture runs them only for the tests about them.
    /// </summary>
    public bool StartPipeline { get; init; } = true;

    /// <summary>Run the template's schedules (RunRecurring) every 30 s of real time; <c>POST /_local/clock</c> runs them after each step either way.</summary>
    public bool StartSchedules { get; init; } = true;

    /// <summary>Replaces every queue's VisibilityTimeout (null: the template's), e.g. a few hundred ms in tests.</summary>
    public TimeSpan? QueueVisibilityTimeout { get; init; }

    /// <summary>How often the pipes poll their streams when nothing new came.</summary>
    public TimeSpan StreamPollInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>template.yaml; default: the one next to SmallPay.sln, found by walking up.</summary>
    public string? TemplatePath { get; init; }

    /// <summary>Where <c>frontend/dist</c> and <c>openapi.yaml</c> are looked for; default: the template's folder.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Create the demo account and call <see cref="Demo.DemoData.SeedAsync"/>.</summary>
    public bool SeedDemo { get; init; } = true;

    public string DemoEmail { get; init; } = DefaultDemoEmail;

    public string DemoPassword { get; init; } = DefaultDemoPassword;

    /// <summary>Lowest level written to the console (the per-request lines are Information).</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>One JSON object per log line instead of the human-readable format.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Test seam: a handler by FunctionCatalog name that replaces the catalog's (e.g. an echo).</summary>
    internal Func<string, ILambdaHandler?>? HandlerOverride { get; init; }
}
