namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>
/// The Lambda runtime loop: build the handler once (init), then next → handle → response, forever.
/// A failing init is reported to <c>init/error</c> and ends the process; a failing invocation is
/// reported to <c>invocation/{id}/error</c> and the loop serves the next one.
/// </summary>
public sealed class LambdaRuntimeLoop
{
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    // Lambda stops the sandbox at the deadline itself, so a token cancelled exactly then would never be
    // observed. Cancelling a little earlier leaves the handler time to stop and have its error reported.
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    private readonly RuntimeApiClient _runtimeApi;
    private readonly Func<ILambdaHandler> _createHandler;
    private readonly TextWriter _log;

    public LambdaRuntimeLoop(RuntimeApiClient runtimeApi, Func<ILambdaHandler> createHandler, TextWriter log)
    {
        _runtimeApi = runtimeApi;
        _createHandler = createHandler;
        _log = log;
    }

    /// <summary>Returns the process exit code: 1 after an init error, 0 when <paramref name="stopping"/> ends the loop.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        ILambdaHandler handler;
        try
        {
            handler = _createHandler();
            StartupTrace.Mark("handler created");
        }
        catch (Exception exception)
        {
            _log.WriteLine($"INIT_ERROR {exception}");
            await _runtimeApi.PostInitErrorAsync(RuntimeError.From(exception), stopping);
            return 1;
        }

        try
        {
            while (true)
            {
                var next = await _runtimeApi.NextInvocationAsync(stopping);
                StartupTrace.Mark("event received");
                await InvokeAsync(handler, next, stopping);
                StartupTrace.Mark("response posted");
                StartupTrace.Print();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
    }

    private async Task InvokeAsync(ILambdaHandler handler, NextInvocation next, CancellationToken stopping)
    {
        var invocation = next.Invocation;
        // The AWS SDK and X-Ray read the current trace from this variable, as in Lambda's own runtimes.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);

        byte[] response;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            deadline.CancelAfter(TimeUntilCancellation(invocation.Deadline));
            try
            {
                response = await handler.HandleAsync(next.Event, invocation, deadline.Token);
                StartupTrace.Mark("handler returned");
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                _log.WriteLine($"{invocation.RequestId} ERROR {exception}");
                await PostOrLogAsync(invocation, () => _runtimeApi.PostInvocationErrorAsync(invocation.RequestId, RuntimeError.From(exception), stopping));
                return;
            }
        }

        await PostOrLogAsync(invocation, () => _runtimeApi.PostResponseAsync(invocation.RequestId, response, stopping));
    }

    /// <summary>
    /// A rejected post (413 for a response over Lambda's payload limit; locally, 400 for an invocation that
    /// has already timed out) fails that invocation, not the runtime. An unreachable Runtime API still ends the loop.
    /// </summary>
    private async Task PostOrLogAsync(LambdaInvocation invocation, Func<Task> post)
    {
        try
        {
            await post();
        }
        catch (HttpRequestException rejected) when (rejected.StatusCode is not null)
        {
            _log.WriteLine($"{invocation.RequestId} ERROR {rejected.Message}");
        }
    }

    private static TimeSpan TimeUntilCancellation(DateTimeOffset deadline)
    {
        var remaining = deadline - DateTimeOffset.UtcNow - DeadlineMargin;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
