using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using SmallPay.Functions.Hosting.Runtime;

namespace SmallPay.Local.RuntimeApi;

/// <summary>
/// A local Lambda Runtime API (the endpoint a function's <c>AWS_LAMBDA_RUNTIME_API</c> points at):
/// invocations are queued by <see cref="InvokeAsync"/> and handed out by <c>GET invocation/next</c>
/// (a long poll) to any function process polling it; their response, error or init error completes them.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimeError> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    private RuntimeApiEmulator()
    {
    }

    /// <summary><c>host:port</c>, the value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completes when a function reports <c>init/error</c>; every invocation fails with it from then on.</summary>
    public Task<RuntimeError> InitError => _initError.Task;

    /// <summary>The function ARN handed to functions in <c>Lambda-Runtime-Invoked-Function-Arn</c>.</summary>
    public string FunctionArn { get; init; } = "";

    /// <summary>Starts listening on 127.0.0.1; port 0 picks a free one.</summary>
    public static async Task<RuntimeApiEmulator> StartAsync(int port = 0, string functionArn = "", CancellationToken cancellationToken = default)
    {
        var emulator = new RuntimeApiEmulator { FunctionArn = functionArn };
        // The empty builder reads no appsettings, environment or logging configuration: the emulator
        // must not pick up the local host's Kestrel endpoints, nor write logs onto `invoke`'s stdout.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet(Prefix + "/invocation/next", emulator.NextAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/response", emulator.ResponseAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/error", emulator.ErrorAsync);
        app.MapPost(Prefix + "/init/error", emulator.InitErrorAsync);
        await app.StartAsync(cancellationToken);
        emulator._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        emulator.Address = new Uri(address).Authority;
        return emulator;
    }

    /// <summary>
    /// Queues one invocation and waits for its result. The <paramref name="timeout"/> (the function's
    /// Timeout) runs from when a function takes the invocation, as in Lambda, where init is not billed to it.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(byte[] eventJson, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var pending = new PendingInvocation(Guid.NewGuid().ToString(), eventJson, timeout, NewTraceId());
        if (_initError.Task.IsCompleted)
            pending.Complete(pending.Failure(InvocationOutcome.InitError, _initError.Task.Result));
        else
            _queue.Writer.TryWrite(pending);
        try
        {
            return await pending.Result.WaitAsync(cancellationToken);
        }
        finally
        {
            pending.Abandon();
        }
    }

    /// <summary>Fails every queued and running invocation, e.g. when the process serving them has ended.</summary>
    public void FailAll(InvocationOutcome outcome, RuntimeError error)
    {
        while (_queue.Reader.TryRead(out var queued))
            queued.Complete(queued.Failure(outcome, error));
        foreach (var running in _inFlight.Values)
            Finish(running, running.Failure(outcome, error));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        PendingInvocation pending;
        do
        {
            pending = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        while (pending.Result.IsCompleted); // its caller gave up while it was queued

        var deadline = pending.Start(onTimeout: () => Finish(pending, pending.Failure(InvocationOutcome.TimedOut,
            new RuntimeError($"{pending.RequestId} Task timed out after {pending.Timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds", "Sandbox.Timedout", null))));
        _inFlight[pending.RequestId] = pending;

        var headers = context.Response.Headers;
        headers[RuntimeApiClient.RequestIdHeader] = pending.RequestId;
        headers[RuntimeApiClient.DeadlineHeader] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[RuntimeApiClient.TraceIdHeader] = pending.TraceId;
        headers[RuntimeApiClient.FunctionArnHeader] = FunctionArn;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(pending.Event, context.RequestAborted);
    }

    private async Task ResponseAsync(HttpContext context)
    {
        if (!TryTakeInFlight(context, out var pending))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var body = await ReadBodyAsync(context);
        Finish(pending, new InvocationResult(pending.RequestId, InvocationOutcome.Succeeded, body, null, pending.TraceId, pending.Elapsed));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task ErrorAsync(HttpContext context)
    {
        if (!TryTakeInFlight(context, out var pending))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var body = await ReadBodyAsync(context);
        var error = ReadError(body, context.Request.Headers[RuntimeApiClient.ErrorTypeHeader]);
        Finish(pending, new InvocationResult(pending.RequestId, InvocationOutcome.FunctionError, body, error, pending.TraceId, pending.Elapsed));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var error = ReadError(body, context.Request.Headers[RuntimeApiClient.ErrorTypeHeader]);
        _initError.TrySetResult(error);
        FailAll(InvocationOutcome.InitError, error);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private bool TryTakeInFlight(HttpContext context, out PendingInvocation pending) =>
        _inFlight.TryRemove(context.Request.RouteValues["requestId"] as string ?? "", out pending!);

    private void Finish(PendingInvocation pending, InvocationResult result)
    {
        _inFlight.TryRemove(pending.RequestId, out _);
        pending.Complete(result);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>The error document as the function sent it; a body that is not one still yields its text and type header.</summary>
    private static RuntimeError ReadError(byte[] body, string? errorTypeHeader)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, RuntimeJsonContext.Default.RuntimeError) is { } error)
                return error with { ErrorType = error.ErrorType ?? errorTypeHeader ?? "Unhandled", ErrorMessage = error.ErrorMessage ?? "" };
        }
        catch (JsonException)
        {
        }
        return new RuntimeError(Encoding.UTF8.GetString(body), errorTypeHeader ?? "Unhandled", null);
    }

    /// <summary>An X-Ray trace header in the format Lambda passes (<c>Root=1-{time}-{96-bit id};Parent=...;Sampled=0</c>).</summary>
    private static string NewTraceId() =>
        $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))};" +
        $"Parent={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))};Sampled=0";

    private sealed class PendingInvocation(string requestId, byte[] eventJson, TimeSpan timeout, string traceId)
    {
        private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Stopwatch _elapsed = new();
        private CancellationTokenSource? _timer;

        public string RequestId { get; } = requestId;
        public byte[] Event { get; } = eventJson;
        public TimeSpan Timeout { get; } = timeout;
        public string TraceId { get; } = traceId;
        public Task<InvocationResult> Result => _result.Task;
        public TimeSpan Elapsed => _elapsed.Elapsed;

        /// <summary>A function has taken the invocation: its clock starts now.</summary>
        public DateTimeOffset Start(Action onTimeout)
        {
            _elapsed.Start();
            var timer = new CancellationTokenSource(Timeout);
            timer.Token.Register(onTimeout);
            _timer = timer;
            return DateTimeOffset.UtcNow + Timeout;
        }

        public InvocationResult Failure(InvocationOutcome outcome, RuntimeError error) =>
            InvocationResult.Failure(RequestId, outcome, error, TraceId, Elapsed);

        public void Complete(InvocationResult result)
        {
            if (_result.TrySetResult(result))
                _timer?.Dispose();
        }

        /// <summary>The caller stopped waiting: a queued invocation is skipped, a running one no longer times out.</summary>
        public void Abandon()
        {
            _result.TrySetCanceled();
            _timer?.Dispose();
        }
    }
}
